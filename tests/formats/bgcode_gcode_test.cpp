#include "formats/bgcode_gcode.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "formats/bgcode_writer.hpp"
#include "formats/gcode_extent.hpp"
#include "formats/heatshrink.hpp"
#include "formats/meatpack.hpp"
#include "formats/model_meta.hpp"

namespace trawl::formats {
namespace {

using test_bgcode::BgcodeBuilder;
using test_bgcode::Compression;
using test_bgcode::Encoding;

std::span<const std::uint8_t> u8(const std::string& s) { return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()}; }

std::string unhex(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return out;
}

const std::string kMoves = "G1 X10 Y10 E0.5\nG1 X20 Y10 E1.0\nG1 X20 Y20 E1.5\nG1 X10 Y20 E2.0\nG1 X10 Y10 E2.5\n";

std::string as_string(const std::vector<std::uint8_t>& v) { return {v.begin(), v.end()}; }

TEST_CASE("heatshrink decode: vectors checked with an independent decoder (heatshrink-ts 0.1.0)") {
  // Both streams were written by the greedy encoder in bgcode_writer.hpp and decode to kMoves with
  // heatshrink-ts's HeatshrinkDecoder(11|12, 4): the bit order and the distance/count offsets agree.
  const std::string w11 = unhex(
      "a3cc6415898cc241590032a2cc25d35850079cc803da632e98007c0019007900fa81798079cc807d80fde6403e40");
  const std::string w12 = unhex(
      "a3cc6415898cc241590019516612e9ac2801e732007b4c65d30007c000c801e401f50179803ce6401f601fbcc803e4");
  CHECK(as_string(*heatshrink_decode(u8(w11), 11, 4, 1 << 20)) == kMoves);
  CHECK(as_string(*heatshrink_decode(u8(w12), 12, 4, 1 << 20)) == kMoves);
  CHECK(test_bgcode::heatshrink_encode(kMoves, 11, 4) == w11);
}

TEST_CASE("heatshrink decode: overlapping copies, limits and damage") {
  const std::string run(300, 'a');
  const std::string packed = test_bgcode::heatshrink_encode(run, 12, 4);
  CHECK(packed.size() < 60);
  CHECK(as_string(*heatshrink_decode(u8(packed), 12, 4, 1000)) == run);
  CHECK(heatshrink_decode(u8(packed), 12, 4, 100).error().code == Errc::resource_exhausted);
  CHECK(heatshrink_decode(u8(std::string("\x00\x00\x00", 3)), 12, 4, 100).error().code == Errc::data_loss);
  CHECK(heatshrink_decode(u8(packed), 20, 4, 100).error().code == Errc::invalid_argument);
  CHECK(heatshrink_decode({}, 11, 4, 100)->empty());
  // The smallest sizes: a stream that ends in an 8-bit back-reference.
  const std::string tail = "abcdefghabcdefgh";  // 8 literals (72 bits) and a back-reference (8 bits): no padding
  CHECK(as_string(*heatshrink_decode(u8(test_bgcode::heatshrink_encode(tail, 4, 3)), 4, 3, 100)) == tail);
}

TEST_CASE("meatpack decode: packed G lines get their spaces back; comments kept raw") {
  const std::string gcode = "; printing object part.stl id:0 copy 0\nG1 X10.5 Y3 E0.25\nM104 S215\nG28\n";
  const auto packed = test_bgcode::meatpack_encode(gcode, true);
  CHECK(packed.size() < gcode.size());
  CHECK(*meatpack_decode(u8(packed), 1 << 20) == gcode);
  // Encoding 1 drops comment lines.
  CHECK(*meatpack_decode(u8(test_bgcode::meatpack_encode(gcode, false)), 1 << 20) == "G1 X10.5 Y3 E0.25\nM104 S215\nG28\n");
  // No-spaces mode: the space code stands for 'E'.
  CHECK(*meatpack_decode(u8(std::string("\xff\xff\xfb\xff\xff\xf7\x1d\xbe\xc0", 9)), 100) == "G1 X E0\n");
  CHECK(meatpack_decode(u8(packed), 10).error().code == Errc::resource_exhausted);
  CHECK(*meatpack_decode(u8(std::string("plain\n")), 100) == "plain\n");
}

TEST_CASE("bgcode G-code: every compression and encoding decodes to the same text") {
  const std::string gcode = "; printing object cube.stl id:0 copy 0\nG0 X10 Y10\n" + kMoves + "; stop printing object cube.stl id:0 copy 0\n";
  struct Case {
    Compression c;
    Encoding e;
    const char* name;
  };
  for (const Case& k : {Case{Compression::none, Encoding::none, "none"},
                        Case{Compression::deflate, Encoding::none, "deflate"},
                        Case{Compression::heatshrink11, Encoding::meatpack_comments, "heatshrink-11-4+meatpack-comments"},
                        Case{Compression::heatshrink12, Encoding::meatpack_comments, "heatshrink-12-4+meatpack-comments"},
                        Case{Compression::deflate, Encoding::meatpack_comments, "deflate+meatpack-comments"}}) {
    CAPTURE(k.name);
    const std::string file = BgcodeBuilder()
                                 .metadata(0, "Producer=PrusaSlicer 2.7.0\n")
                                 .metadata(3, "printer_model=MK4\n")
                                 .gcode(gcode.substr(0, 60), k.c, k.e)
                                 .gcode(gcode.substr(60), k.c, k.e)
                                 .bytes();
    const BgcodeGcode g = bgcode_gcode(u8(file));
    CHECK(g.problem == "");
    CHECK(g.blocks == 2);
    CHECK(g.decoded_blocks == 2);
    CHECK(g.crc_mismatches == 0);
    REQUIRE(g.encodings.size() == 1);
    CHECK(g.encodings[0] == k.name);
    if (k.e == Encoding::none) CHECK(g.text == gcode);
    const auto extents = gcode_extents(u8(g.text));
    REQUIRE(extents.size() == 1);
    CHECK(extents[0].name == "cube.stl");
    CHECK(extents[0].max[0] - extents[0].min[0] == doctest::Approx(10));
  }
}

TEST_CASE("bgcode G-code: damage ends the text and says where") {
  const std::string file = BgcodeBuilder().gcode("G1 X1 Y1 E1\n", Compression::none, Encoding::none)
                               .gcode("G1 X2 Y2 E2\n", Compression::heatshrink12, Encoding::meatpack)
                               .bytes();
  CHECK(bgcode_gcode(u8(std::string("PK\x03\x04......", 10))).problem == "not a binary G-code file");
  const BgcodeGcode cut = bgcode_gcode(u8(file.substr(0, file.size() - 3)));
  CHECK(cut.text == "G1 X1 Y1 E1\n");
  CHECK(cut.blocks == 2);
  CHECK(cut.decoded_blocks == 1);
  CHECK(cut.problem.find("block cut short at") == 0);
  std::string flipped = file;
  flipped[10 + 8 + 2 + 3] ^= 0x01;  // a byte of the first block's data: CRC disagrees, text still decoded
  const BgcodeGcode bad = bgcode_gcode(u8(flipped));
  CHECK(bad.crc_mismatches == 1);
  CHECK(bad.decoded_blocks == 2);
  CHECK(bgcode_gcode(u8(file), 5).problem.find("decoded G-code over the limit") == 0);
}

TEST_CASE("bgcode_meta: compressed metadata blocks are decoded (PrusaSlicer deflates the slicer block)") {
  const std::string file = BgcodeBuilder()
                               .metadata(0, "Producer=PrusaSlicer 2.7.0\n")
                               .metadata(3, "printer_model=MK4\nnozzle_diameter=0.4\n", Compression::heatshrink12)
                               .metadata(2, "filament_type=PETG\n", Compression::deflate)
                               .gcode("G28\n", Compression::none, Encoding::none)
                               .bytes();
  std::string flat;
  for (const auto& p : bgcode_meta(u8(file))) flat += p.key + "=" + p.value + "\n";
  CHECK(flat == "file.Producer=PrusaSlicer 2.7.0\nprinter.printer_model=MK4\nprinter.nozzle_diameter=0.4\n"
                "slicer.filament_type=PETG\n");
  // A compressed block that does not decode says so.
  std::string bad = BgcodeBuilder().metadata(2, "filament_type=PETG\n", Compression::deflate).bytes();
  bad[10 + 12 + 2] ^= 0x55;  // the zlib header
  const auto meta = bgcode_meta(u8(bad));
  REQUIRE(meta.size() == 1);
  CHECK(meta[0].key == "slicer.compressed");
}

}  // namespace
}  // namespace trawl::formats
