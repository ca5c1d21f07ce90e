// Fuzzes parse_mesh() over every mesh format it detects (seed with
// tests/data/mesh and STL/OBJ/PLY written by tests/mesh/mesh_writers.hpp).
// Properties checked:
//  - it never crashes, hangs, leaks or allocates past the limits;
//  - a parsed file is consistent: triangle indices in range, consumed_bytes
//    within the input, parsed_triangles equal to the triangles returned,
//    recovered_fraction in [0, 1], counts within the limits;
//  - measuring and hashing what was parsed never crashes, and the exact hash
//    does not depend on the triangle order.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include "formats/mesh_parse.hpp"
#include "mesh/geometry_hash.hpp"
#include "mesh/measure.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  trawl::formats::MeshLimits limits;
  limits.max_triangles = 200'000;
  limits.max_vertices = 200'000;
  limits.max_zip_part = 16u << 20;
  auto file = trawl::formats::parse_mesh(std::span(data, size), limits);
  if (!file.ok()) {
    if (file.error().detail.empty()) __builtin_trap();
    return 0;
  }
  if (file->consumed_bytes > size) __builtin_trap();
  if (!(file->recovered_fraction >= 0 && file->recovered_fraction <= 1)) __builtin_trap();
  uint64_t triangles = 0;
  for (const auto& object : file->objects) {
    const auto& m = object.mesh;
    if (m.vertices.size() > limits.max_vertices) __builtin_trap();
    for (const auto& t : m.triangles)
      for (const uint32_t i : t)
        if (i >= m.vertices.size()) __builtin_trap();
    triangles += m.triangles.size();
    if (m.triangles.size() > 5000) continue;  // keep each run fast
    const auto measures = trawl::mesh::measure_mesh(m);
    if (measures.triangle_count != m.triangles.size()) __builtin_trap();
    const auto hashes = trawl::mesh::geometry_hashes(m, &measures);
    if (hashes.exact.size() != 64 || hashes.pose.size() != 64 || hashes.shape.hash.size() != 64) __builtin_trap();
    auto reversed = m;
    std::reverse(reversed.triangles.begin(), reversed.triangles.end());
    if (trawl::mesh::exact_hash(reversed) != hashes.exact) __builtin_trap();
  }
  if (triangles != file->parsed_triangles || triangles > limits.max_triangles) __builtin_trap();
  return 0;
}
