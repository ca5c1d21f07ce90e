#pragma once
// The one mesh representation every 3D parser produces and every measure,
// hash, cue and preview consumes: an indexed triangle mesh in the file's own
// units (millimetres unless `unit` says otherwise). Parsers weld vertices that
// are bit-identical, so a triangle soup (STL) and an indexed file (OBJ, PLY,
// 3MF) of the same geometry give the same Mesh up to vertex order.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace trawl::mesh {

using Vec3 = std::array<double, 3>;
using Triangle = std::array<uint32_t, 3>;

struct Mesh {
  std::vector<Vec3> vertices;
  std::vector<Triangle> triangles;  ///< indices into vertices, counter-clockwise seen from outside
};

/// How a model's length unit was decided.
enum class UnitSource {
  declared,  ///< the file says (3MF unit attribute, AMF unit, G-code G21/G20)
  inferred,  ///< guessed from the size (a 0.2 × 0.1 × 0.05 model is in metres or inches)
  assumed,   ///< nothing said: millimetres, as slicers assume for STL
};

}  // namespace trawl::mesh
