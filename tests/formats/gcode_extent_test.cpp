#include "formats/gcode_extent.hpp"

#include <doctest/doctest.h>

#include <string>

namespace trawl::formats {
namespace {

std::vector<GcodeObjectExtent> extents(const std::string& text) {
  return gcode_extents({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
}

TEST_CASE("G-code extent: extrusion moves only, absolute and relative, skirt left out") {
  const auto e = extents(
      "G90\nM82\nG92 E0\n;TYPE:Skirt\nG1 Z0.2\nG1 X0 Y0\nG1 X200 Y0 E5\n;TYPE:External perimeter\n"
      "G0 X10 Y10 F9000 ; travel\nG1 X30 Y10 E6\nG1 X30 Y15 E7\nG1 E6 ; retract\nG1 X99 Y99\nG1 X25 Y12\nG1 E7\n"
      "G1 Z2.4\nG91\nG1 X-5 Y0 E1\nG90\n");
  REQUIRE(e.size() == 1);
  CHECK(e[0].name.empty());
  CHECK(e[0].min[0] == doctest::Approx(10));
  CHECK(e[0].max[0] == doctest::Approx(30));
  CHECK(e[0].min[1] == doctest::Approx(10));
  CHECK(e[0].max[1] == doctest::Approx(15));
  CHECK(e[0].max[2] == doctest::Approx(2.4));
  CHECK(e[0].moves == 3);
}

TEST_CASE("G-code extent: per object from Cura, PrusaSlicer, Klipper and M486 labels") {
  const auto e = extents(
      "M83\n;MESH:left.stl\nG1 X0 Y0\nG1 X10 Y5 E1\n;MESH:NONMESH\nG1 X500 Y500 E1\n"
      "; printing object right.stl id:1 copy 0\nG1 X100 Y0\nG1 X120 Y8 E1\n; stop printing object right.stl id:1 copy 0\n"
      "EXCLUDE_OBJECT_START NAME='top part'\nG1 Z5\nG1 X50 Y50 E1\nEXCLUDE_OBJECT_END\n"
      "M486 S3\nM486 Alid\nG1 X60 Y60 E1\nM486 S-1\nN7 G1 X61 Y60 E1*33\n");
  REQUIRE(e.size() == 5);
  CHECK(e[0].name == "left.stl");
  CHECK(e[0].max[0] == doctest::Approx(10));
  CHECK(e[1].name.empty());  // the NONMESH move
  CHECK(e[2].name == "right.stl");
  CHECK(e[2].min[0] == doctest::Approx(100));
  CHECK(e[3].name == "top part");
  CHECK(e[3].max[2] == doctest::Approx(5));
  CHECK(e[4].name == "lid");
  CHECK(e[1].moves == 2);  // NONMESH, then the numbered line (with a checksum) after M486 S-1
}

TEST_CASE("G-code extent: inches, damaged numbers and no moves") {
  const auto e = extents("G20\nG1 X1 Y1\nG1 X2 Y1 E0.1\nG1 Xnan Y1e999 E0.2\nG1 X1..2 E0.3\n");
  REQUIRE(e.size() == 1);
  CHECK(e[0].max[0] == doctest::Approx(50.8));
  CHECK(e[0].min[0] == doctest::Approx(25.4));
  CHECK(extents("; only comments\nM104 S200\n").empty());
  CHECK(extents("").empty());
  CHECK(extents(std::string("\0\xff\x01G1 E", 7)).empty());
}

}  // namespace
}  // namespace trawl::formats
