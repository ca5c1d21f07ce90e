#pragma once
// Cheap whole-mesh measures, all O(n) or O(n log n) over the triangles:
// counts, bounding box, area, volume, closedness and connected parts.
#include <cstdint>
#include <string>
#include <vector>

#include "mesh/mesh.hpp"

namespace trawl::mesh {

struct MeshMeasures {
  uint64_t triangle_count = 0;
  uint64_t vertex_count = 0;  ///< vertices used by at least one triangle
  Vec3 bbox_min{0, 0, 0};
  Vec3 bbox_max{0, 0, 0};
  Vec3 size{0, 0, 0};  ///< bbox_max - bbox_min, per axis
  double surface_area = 0;
  /// |Σ v1·(v2×v3)| / 6: the enclosed volume when the mesh is closed and consistently wound.
  double volume = 0;
  /// The signed sum: negative when the triangles face inwards (or the copy is mirrored).
  double signed_volume = 0;
  /// Every edge is shared by exactly two triangles, traversed in opposite directions.
  bool watertight = false;
  /// No edge is shared by more than two triangles.
  bool manifold = false;
  uint64_t edge_count = 0;  ///< distinct undirected edges
  uint64_t degenerate_triangles = 0;  ///< repeated vertex index or zero area
  /// Connected parts: triangles joined through shared vertices.
  uint64_t component_count = 0;
  /// V − E + F over the used vertices; 2 per closed sphere-like part, 0 for a torus.
  int64_t euler_characteristic = 0;
};

MeshMeasures measure_mesh(const Mesh& mesh);

/// The bounding-box size (max - min per axis) of the vertices that valid triangles use, as
/// MeshMeasures::size, without the rest of measure_mesh's work; zeros for an empty mesh.
Vec3 mesh_extent(const Mesh& mesh);

/// The connected parts, each with its own compact vertex list, largest
/// (by triangle count) first; ties keep the order of first appearance.
std::vector<Mesh> split_components(const Mesh& mesh);

/// Label per triangle (0..count-1, in order of first appearance) of its connected part.
std::vector<uint32_t> component_labels(const Mesh& mesh, uint64_t* count = nullptr);

/// A guess at the length unit of a mesh whose file declared none (§3.1 of the
/// research note). Printable objects are 1 mm to 1 m across; rules, on the
/// largest bounding-box extent L in file units:
///  - L < 1: almost certainly metres (a sub-millimetre print is implausible)
///    → scale 1000, unit "m";
///  - L > 5000: more than 5 m of millimetres, so probably micrometres
///    → scale 0.001, unit "um";
///  - otherwise keep millimetres. Inches (×25.4) are not inferred: a 1–10
///    unit model is as likely a small mm part as an inch part; the caller
///    reports the extents and lets the cues test both.
struct UnitInference {
  double scale_to_mm = 1.0;
  std::string unit = "mm";
  UnitSource source = UnitSource::assumed;
};
UnitInference infer_unit(const MeshMeasures& measures, UnitSource current);

/// The factor infer_unit would apply (1 when nothing is inferred or the unit was declared).
double infer_unit_scale(const MeshMeasures& measures, UnitSource current);

}  // namespace trawl::mesh
