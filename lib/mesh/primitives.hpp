#pragma once
// Coarse, deterministic test shapes for the cue extractors, the preview
// renderer and the synthetic benchmark corpus. They are envelopes only (boxes,
// rings and tubes put side by side), never functional designs. Composite shapes
// are unions by juxtaposition: pieces touch and internal faces remain, which
// ray-based cues and the rasteriser do not mind. Every length is in mm; shapes
// sit centred on the origin unless said otherwise.
#include <array>
#include <cstdint>
#include <vector>

#include "mesh/mesh.hpp"

namespace trawl::mesh {

/// Appends `piece` to `into`, re-indexing its triangles.
void append(Mesh& into, const Mesh& piece);
/// `m` moved by `offset`.
Mesh translated(Mesh m, const Vec3& offset);
/// `m` rotated by `degrees` about the axis `axis` (0 = x, 1 = y, 2 = z) through the origin.
Mesh rotated(Mesh m, int axis, double degrees);

/// Axis-aligned box of the given size.
Mesh make_box(const Vec3& size);
/// Solid cylinder along z with `segments` sides.
Mesh make_cylinder(double radius, double length, uint32_t segments = 32);
/// Tube along z: outer radius, coaxial through-bore radius.
Mesh make_tube(double outer_radius, double bore_radius, double length, uint32_t segments = 32);
/// Square block (side × side × length, along z) with a round through-hole along z.
Mesh make_block_with_hole(double side, double hole_radius, double length, uint32_t segments = 32);
Mesh make_sphere(double radius, uint32_t slices = 24, uint32_t stacks = 12);
/// Torus in the xy plane.
Mesh make_torus(double major_radius, double minor_radius, uint32_t major_segments = 32, uint32_t minor_segments = 16);
/// Cone along z, base at -length/2.
Mesh make_cone(double radius, double length, uint32_t segments = 32);
/// L-shaped bracket: two plates of `thickness` joined along one edge.
Mesh make_l_bracket(double length, double width, double height, double thickness);
/// Plate (x × y × thickness) cut into `cell`-sized squares; the cells listed by
/// `holes_x` × `holes_y` in a regular grid carry a round through-hole along z.
Mesh make_plate_with_holes(double x, double y, double thickness, uint32_t holes_x, uint32_t holes_y,
                           double hole_radius);
/// `count` discs (annuli) along z with a common central bore, separated by `gap`.
Mesh make_disc_stack(uint32_t count, double outer_radius, double bore_radius, double disc_length, double gap,
                     uint32_t segments = 32);
/// Bar along x (length × width × height) whose top carries `slots` transverse
/// slots of `slot_width` and `slot_depth`, `pitch` apart (a rail's profile).
Mesh make_slotted_rail(double length, double width, double height, uint32_t slots, double pitch,
                       double slot_width, double slot_depth);
/// A coarse frame-sized envelope: a horizontal slab (x along the length,
/// thickness along z) with `pin_holes` small transverse holes through the
/// thickness, plus a grip-like block at `grip_degrees` below its rear end.
struct FrameLikeOptions {
  double length = 180;
  double slab_height = 35;
  double thickness = 28;
  double grip_length = 90;
  double grip_width = 32;
  double grip_degrees = 18;
  uint32_t pin_holes = 3;
  double pin_radius = 1.95;  ///< the research note's example ≈ 3.9 mm holes
};
Mesh make_frame_like(const FrameLikeOptions& options = {});

/// The minimal box, centred: 8 vertices, 12 triangles (the measure and hash tests' form).
Mesh make_box(double sx, double sy, double sz);
/// Extrusion of a simple counter-clockwise polygon (ear-clipped caps) from z = 0 to `height`.
Mesh make_prism(const std::vector<std::array<double, 2>>& outline, double height);

using Matrix3 = std::array<std::array<double, 3>, 3>;
/// Rotation by `angle` radians about an arbitrary `axis`.
Matrix3 rotation_matrix(const Vec3& axis, double angle);
/// v -> scale * R v + offset, in place.
void transform(Mesh& mesh, const Matrix3& rotation, double scale, const Vec3& offset);
void translate(Mesh& mesh, const Vec3& offset);

}  // namespace trawl::mesh
