#pragma once
// Closed, outward-wound primitive meshes and rigid transforms: test shapes for
// the measures and hashes, and building blocks for previews and cue tests.
// Centred on the origin unless stated; z is the axis of round shapes.
#include <array>
#include <vector>

#include "mesh/mesh.hpp"

namespace trawl::mesh {

Mesh make_box(double sx, double sy, double sz);
/// `segments` around (at least 3).
Mesh make_cylinder(double radius, double height, unsigned segments);
/// A cylinder with a coaxial bore: outer and inner radius.
Mesh make_tube(double outer_radius, double inner_radius, double height, unsigned segments);
/// A UV sphere: `segments` around, `rings` from pole to pole (at least 2).
Mesh make_sphere(double radius, unsigned segments, unsigned rings);
/// A torus around z: major radius (centre of the tube), minor radius.
Mesh make_torus(double major_radius, double minor_radius, unsigned major_segments, unsigned minor_segments);
/// A simple polygon (counter-clockwise, in the xy plane) extruded from z = 0 to `height`;
/// non-convex outlines (an L-bracket) are ear-clipped.
Mesh make_prism(const std::vector<std::array<double, 2>>& outline, double height);

using Matrix3 = std::array<std::array<double, 3>, 3>;
/// Rotation by `angle` radians about the unit `axis` (Rodrigues).
Matrix3 rotation_matrix(const Vec3& axis, double angle);
/// v → scale · (R v) + offset for every vertex.
void transform(Mesh& mesh, const Matrix3& rotation, double scale, const Vec3& offset);
void translate(Mesh& mesh, const Vec3& offset);
/// Appends `part` (its triangles re-indexed) to `mesh`.
void append(Mesh& mesh, const Mesh& part);

}  // namespace trawl::mesh
