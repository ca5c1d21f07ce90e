// Tests of lib/formats/bmff_meta. Fixtures: tests/data/meta/bmff_video.mov and
// bmff_image.heic, made by tests/data/meta/make_bmff_fixtures.py; ExifTool's
// view of each is committed next to it (*.exiftool.json).
#include "formats/bmff_meta.hpp"

#include <doctest/doctest.h>

#include <string>

#include "meta_test_support.hpp"
#include "test_support.hpp"

namespace trawl::formats {
namespace {

using namespace test_meta;

Parsed parse(const std::string& bytes, const MetaLimits* limits = nullptr) {
  MetaContext ctx;
  ctx.limits = limits;
  return run_parser(parse_bmff_meta, bytes, ctx);
}

std::string be32s(uint32_t v) {
  return std::string{static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
                     static_cast<char>(v)};
}
std::string box(const std::string& type, const std::string& payload) {
  return be32s(static_cast<uint32_t>(8 + payload.size())) + type + payload;
}

TEST_CASE("bmff_meta: movie, track and media times, user data and Apple keys") {
  const Parsed p = parse(test::read_data_file("meta/bmff_video.mov"));
  CHECK(str(one_of(p.fields, "QuickTime", "MajorBrand")) == "qt  ");
  const MetaField& created = one_of(p.fields, "QuickTime", "CreateDate");
  CHECK(str(created) == "2023-07-04T16:34:56Z");
  CHECK(created.raw == "3771333296");
  REQUIRE(created.offset.has_value());
  CHECK(str(one_of(p.fields, "QuickTime", "ModifyDate")) == "2023-07-04T16:35:10Z");
  CHECK(str(one_of(p.fields, "Track1", "TrackCreateDate")) == "2023-07-04T16:34:56Z");
  CHECK(str(one_of(p.fields, "Track1", "MediaCreateDate")) == "2023-07-04T16:34:56Z");
  CHECK(all(p.fields, "Track1", "MediaModifyDate").empty());  // stored as 0: not set
  const MetaField& xyz = one_of(p.fields, "UserData", "GPSCoordinates");
  CHECK(str(xyz) == "+40.6892-074.0445+010.000/");
  CHECK(p.bytes.substr(*xyz.offset, 8) == "+40.6892");
  CHECK(str(one_of(p.fields, "UserData", "Make")) == "Apple");
  CHECK(str(one_of(p.fields, "UserData", "Model")) == "iPhone 12");
  CHECK(str(one_of(p.fields, "UserData", "SoftwareVersion")) == "16.5");
  CHECK(str(one_of(p.fields, "UserData", "ContentCreateDate")) == "2023-07-04T12:34:56-04:00");
  CHECK(str(one_of(p.fields, "Keys", "Make")) == "Apple");
  CHECK(str(one_of(p.fields, "Keys", "Model")) == "iPhone 12");
  CHECK(str(one_of(p.fields, "Keys", "Software")) == "16.5");
  const MetaField& keydate = one_of(p.fields, "Keys", "CreationDate");
  CHECK(str(keydate) == "2023-07-04T12:34:56-04:00");
  CHECK(keydate.raw == "2023-07-04T12:34:56-0400");
  CHECK(str(one_of(p.fields, "Keys", "GPSCoordinates")) == "+40.6892-074.0445+010.000/");
  CHECK(real(one_of(p.fields, "Composite", "GPSLatitude")) == doctest::Approx(40.6892));
  CHECK(real(one_of(p.fields, "Composite", "GPSLongitude")) == doctest::Approx(-74.0445));
  CHECK(real(one_of(p.fields, "Composite", "GPSAltitude")) == doctest::Approx(10.0));
  REQUIRE(p.outcome.embedded.size() == 1);
  CHECK(p.outcome.embedded[0].kind == "xmp");
  CHECK(p.bytes.substr(p.outcome.embedded[0].offset, 9) == "<?xpacket");
  CHECK(p.outcome.warnings.empty());
}

TEST_CASE("bmff_meta: HEIF Exif and XMP items") {
  const Parsed p = parse(test::read_data_file("meta/bmff_image.heic"));
  CHECK(str(one_of(p.fields, "QuickTime", "MajorBrand")) == "heic");
  REQUIRE(p.outcome.embedded.size() == 2);
  const EmbeddedBlock& exif = p.outcome.embedded[0];
  CHECK(exif.kind == "exif");
  CHECK(p.bytes.substr(exif.offset, 4) == std::string("II*\0", 4));
  CHECK(exif.length == 34);
  CHECK(exif.path == "meta/item 1");
  const EmbeddedBlock& xmp = p.outcome.embedded[1];
  CHECK(xmp.kind == "xmp");
  CHECK(p.bytes.substr(xmp.offset, 9) == "<?xpacket");
  CHECK(p.outcome.warnings.empty());
}

TEST_CASE("bmff_meta: ISO 6709") {
  Iso6709 p;
  CHECK(parse_iso6709("+40.6892-074.0445+010.000/", p));
  CHECK(p.has_altitude);
  CHECK(parse_iso6709("-3330.5+15100.0/", p));  // DDMM.M form
  CHECK(p.latitude == doctest::Approx(-33.508333));
  CHECK(p.longitude == doctest::Approx(151.0));
  CHECK_FALSE(p.has_altitude);
  CHECK(parse_iso6709("+403000-0740000CRSWGS_84/", p));
  CHECK(p.latitude == doctest::Approx(40.5));
  CHECK_FALSE(parse_iso6709("+95.0-074.0/", p));
  CHECK_FALSE(parse_iso6709("40.0 -74.0", p));
  CHECK_FALSE(parse_iso6709("+40.0", p));
}

TEST_CASE("bmff_meta: damaged boxes give warnings, never guesses") {
  // a box claiming more bytes than the file has
  Parsed big = parse(be32s(0x7FFFFFFF) + "moov" + std::string(20, '\0'));
  CHECK(big.fields.empty());
  CHECK_FALSE(big.outcome.warnings.empty());
  // a 64-bit size smaller than its header
  Parsed tiny = parse(be32s(1) + "moov" + std::string(8, '\0'));
  CHECK_FALSE(tiny.outcome.warnings.empty());
  // deep nesting stops at max_depth
  std::string nested = box("udta", "");
  for (int i = 0; i < 100; ++i) nested = box("moov", nested);
  Parsed deep = parse(nested);
  CHECK_FALSE(deep.outcome.warnings.empty());
  // a ©xyz atom whose text length runs past the atom, and a malformed location
  const std::string bad_len = box("\xA9xyz", std::string("\x00\x40\x55\xC4+40.0-074.0/", 16));
  const std::string bad_loc = box("\xA9xyz", std::string("\x00\x05\x55\xC4north", 9));
  Parsed gps = parse(box("moov", box("udta", bad_len + bad_loc)));
  const auto hits = all(gps.fields, "UserData", "GPSCoordinates");
  REQUIRE(hits.size() == 2);
  CHECK(hits[0]->invalid);
  CHECK(hits[1]->invalid);
  CHECK(hits[1]->raw_hex == "6e6f727468");
  CHECK(all(gps.fields, "Composite", "GPSLatitude").empty());
  // truncations of the fixtures never crash
  const std::string heic = test::read_data_file("meta/bmff_image.heic");
  for (size_t cut = 0; cut < heic.size(); cut += 7) parse(heic.substr(0, cut));
  const std::string mov = test::read_data_file("meta/bmff_video.mov");
  for (size_t cut = 0; cut < mov.size(); cut += 13) parse(mov.substr(0, cut));
}

TEST_CASE("bmff_meta: an Exif item whose offset prefix points past its data is refused") {
  std::string heic = test::read_data_file("meta/bmff_image.heic");
  const size_t at = heic.find(std::string("\x00\x00\x00\x06" "Exif", 8));
  REQUIRE(at != std::string::npos);
  heic[at] = '\x7f';
  Parsed p = parse(heic);
  REQUIRE(p.outcome.embedded.size() == 1);
  CHECK(p.outcome.embedded[0].kind == "xmp");
  CHECK_FALSE(p.outcome.warnings.empty());
}

}  // namespace
}  // namespace trawl::formats
