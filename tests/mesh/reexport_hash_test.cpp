// Which geometry-hash tiers survive re-export by real programs: the bunny
// from PrusaSlicer's shape gallery written again by admesh, assimp,
// OpenSCAD and PrusaSlicer, and moved, turned and scaled copies
// (tests/data/mesh-reexport, commands in tests/data/README.md). Also: no
// two different designs among the meshes in tests/data share a hash.
#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "formats/mesh_parse.hpp"
#include "mesh/geometry_hash.hpp"
#include "mesh/primitives.hpp"
#include "test_support.hpp"

namespace trawl::mesh {
namespace {

GeometryHashes hashes_of(const std::string& relative) {
  const std::string bytes = test::read_data_file(relative);
  auto file = formats::parse_mesh({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()});
  REQUIRE_MESSAGE(file.ok(), relative);
  Mesh whole;
  for (const auto& object : file->objects) append(whole, object.mesh);
  REQUIRE_MESSAGE(!whole.triangles.empty(), relative);
  return geometry_hashes(whole);
}

TEST_CASE("GeometryHash re-exports: admesh, assimp, OpenSCAD and PrusaSlicer copies of one mesh") {
  const GeometryHashes source = hashes_of("mesh-reexport/bunny.stl");
  struct Copy {
    const char* file;
    bool exact, pose;  // the shape tier must always match
  };
  const Copy copies[] = {
      // Same coordinates, another format or writer: every tier.
      {"mesh-reexport/bunny-admesh-ascii.stl", true, true},
      {"mesh-reexport/bunny-assimp.obj", true, true},
      {"mesh-reexport/bunny-assimp.ply", true, true},
      // "%g" writers (6 significant digits): exact rounds to 6 digits too; the pose tier's cell boundaries
      // sit clear of that rounding noise for every vertex of this mesh (geometry_hash.hpp).
      {"mesh-reexport/bunny-assimp.3mf", true, true},
      {"mesh-reexport/bunny-openscad.stl", true, true},
      // Moved, turned or scaled: pose and shape.
      {"mesh-reexport/bunny-admesh-translated.stl", false, true},
      {"mesh-reexport/bunny-admesh-rotated-xy.stl", false, true},
      {"mesh-reexport/bunny-admesh-scaled.stl", false, true},
      // PrusaSlicer puts the object on the bed centre: a translation.
      {"mesh-reexport/bunny-prusa.3mf", false, true},
      // OpenSCAD moved and turned it and printed 6 digits: rounding noise after the move, which the pose
      // grid's data-placed cell boundaries (geometry_hash.hpp) keep every vertex of this part clear of.
      {"mesh-reexport/bunny-openscad-moved.stl", false, true},
  };
  for (const Copy& c : copies) {
    CAPTURE(c.file);
    const GeometryHashes h = hashes_of(c.file);
    CHECK((h.exact == source.exact) == c.exact);
    CHECK((h.pose == source.pose) == c.pose);
    CHECK(h.shape.hash == source.shape.hash);
  }
  const GeometryHashes moai = hashes_of("mesh/moai.obj");
  for (const char* file : {"mesh-reexport/moai-assimp.stl", "mesh-reexport/moai-assimp.ply"}) {
    CAPTURE(file);
    const GeometryHashes h = hashes_of(file);
    CHECK(h.exact == moai.exact);
    CHECK(h.pose == moai.pose);
    CHECK(h.shape.hash == moai.shape.hash);
  }
}

TEST_CASE("GeometryHash re-exports: no collisions between different designs in tests/data") {
  // Every mesh fixture with the design it holds; copies of one design may share hashes, different designs
  // must share none (on any tier).
  const std::map<std::string, std::string> design = {
      {"mesh/anycubic_i3_mega_x_platform.stl", "anycubic-plate"},
      {"mesh/uni_print_3d_platform.3mf", "uni-plate"},
      {"mesh/moai.obj", "moai"},
      {"mesh/bambu.3mf", "unit-cube"},
      {"mesh/cura.3mf", "unit-cube"},
      {"mesh/production.3mf", "unit-cube"},
      {"mesh/cube.amf", "unit-cube"},
      {"mesh/transforms.3mf", "three-cubes"},
      {"mesh/transforms-zip64.3mf", "three-cubes"},
      {"mesh-reexport/bunny.stl", "bunny"},
      {"mesh-reexport/bunny-admesh-ascii.stl", "bunny"},
      {"mesh-reexport/bunny-admesh-translated.stl", "bunny"},
      {"mesh-reexport/bunny-admesh-rotated-xy.stl", "bunny"},
      {"mesh-reexport/bunny-admesh-scaled.stl", "bunny"},
      {"mesh-reexport/bunny-assimp.obj", "bunny"},
      {"mesh-reexport/bunny-assimp.ply", "bunny"},
      {"mesh-reexport/bunny-assimp.3mf", "bunny"},
      {"mesh-reexport/bunny-prusa.3mf", "bunny"},
      {"mesh-reexport/bunny-openscad.stl", "bunny"},
      {"mesh-reexport/bunny-openscad-moved.stl", "bunny"},
      {"mesh-reexport/moai-assimp.stl", "moai"},
      {"mesh-reexport/moai-assimp.ply", "moai"},
  };
  std::map<std::string, std::string> owner;  // hash -> design
  for (const auto& [file, name] : design) {
    CAPTURE(file);
    const GeometryHashes h = hashes_of(file);
    for (const std::string& hash : {h.exact, h.pose, h.shape.hash}) {
      const auto [it, inserted] = owner.emplace(hash, name);
      CHECK(it->second == name);
    }
  }
}

}  // namespace
}  // namespace trawl::mesh
