#include "formats/xmp_meta.hpp"

#include <doctest/doctest.h>

#include "test_support.hpp"

#include <map>
#include <string>

namespace trawl::formats {
namespace {

std::map<std::string, MetaField> by_name(const MetaFields& fields) {
  std::map<std::string, MetaField> out;
  for (const auto& f : fields) out.emplace(f.group + ":" + f.tag, f);
  return out;
}

std::span<const uint8_t> bytes_of(std::string_view text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

}  // namespace

TEST_CASE("XmpMeta: an ExifTool-written sidecar gives ExifTool's names and values") {
  // Oracle: tests/data/meta/sample.xmp.exiftool.json (exiftool -j -n -G1 -a -XMP:all).
  const std::string packet = test::read_data_file("meta/sample.xmp");
  MetaFields fields;
  MetaOutcome outcome;
  MetaContext ctx;
  ctx.path = "file";
  ctx.base = 100;
  parse_xmp(bytes_of(packet), ctx, fields, outcome);
  CHECK(outcome.warnings.empty());
  const auto f = by_name(fields);
  CHECK(std::get<std::string>(f.at("XMP-x:XMPToolkit").value) == "Image::ExifTool 12.57");
  CHECK(std::get<std::string>(f.at("XMP-aux:SerialNumber").value) == "0012345");
  CHECK(std::get<std::string>(f.at("XMP-dc:Creator").value) == "Jane Roe, Second Author");
  CHECK(std::get<std::string>(f.at("XMP-dc:Subject").value) == "boat, night");
  CHECK(std::get<std::string>(f.at("XMP-dc:Title").value) == "Harbour at dusk");
  CHECK(std::get<double>(f.at("XMP-exif:FNumber").value) == doctest::Approx(2.8));
  CHECK(std::get<double>(f.at("XMP-exif:GPSLatitude").value) == doctest::Approx(-57.629));
  CHECK(f.at("XMP-exif:GPSLatitude").raw == "57,37.74S");
  CHECK(std::get<double>(f.at("XMP-exif:GPSLongitude").value) == doctest::Approx(-162.807));
  // ExifTool prints this as the JSON number 1e5; it is an identifier, so text.
  CHECK(std::get<std::string>(f.at("XMP-exif:ImageUniqueID").value) == "1e5");
  CHECK(std::get<std::string>(f.at("XMP-tiff:Make").value) == "FUJIFILM");
  CHECK(std::get<std::string>(f.at("XMP-xmp:CreateDate").value) == "2023-03-11T10:10:07+01:00");
  CHECK(std::get<int64_t>(f.at("XMP-xmp:Rating").value) == 4);
  CHECK(std::get<std::string>(f.at("XMP-xmpMM:HistoryAction").value) == "created, saved");
  CHECK(std::get<std::string>(f.at("XMP-xmpMM:HistorySoftwareAgent").value) == "Adobe Photoshop 24.0, GIMP 2.10");
  // Provenance: item-absolute offset of the element, container path.
  const MetaField& make = f.at("XMP-tiff:Make");
  REQUIRE(make.offset);
  CHECK(packet.substr(*make.offset - 100, 10) == "<tiff:Make");
  CHECK(make.path == "file/XMP/tiff:Make");
}

TEST_CASE("XmpMeta: shorthand attributes, padding, invalid GPS and broken packets") {
  using namespace std::string_literals;
  const std::string packet =
      "\0\0<?xpacket begin=''?><x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF "
      "xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><rdf:Description "
      "xmlns:xmp='http://ns.adobe.com/xap/1.0/' xmlns:exif='http://ns.adobe.com/exif/1.0/' "
      "xmp:CreatorTool='GIMP' exif:GPSLatitude='57,99.0N' exif:FNumber='28/0'/></rdf:RDF></x:xmpmeta>"
      "<?xpacket end='w'?>\0\0   "s;
  MetaFields fields;
  MetaOutcome outcome;
  parse_xmp(bytes_of(packet), MetaContext{}, fields, outcome);
  const auto f = by_name(fields);
  CHECK(std::get<std::string>(f.at("XMP-xmp:CreatorTool").value) == "GIMP");
  CHECK(f.at("XMP-exif:GPSLatitude").invalid);  // 99 minutes: never turned into a position
  CHECK(f.at("XMP-exif:GPSLatitude").raw == "57,99.0N");
  CHECK(f.at("XMP-exif:FNumber").invalid);

  MetaFields none;
  MetaOutcome broken;
  parse_xmp(bytes_of("<x:xmpmeta><rdf:RDF"), MetaContext{}, none, broken);
  CHECK(none.empty());
  CHECK_FALSE(broken.warnings.empty());
  parse_xmp(bytes_of(""), MetaContext{}, none, broken);
  parse_xmp(bytes_of("<a/>"), MetaContext{}, none, broken);
  CHECK(none.empty());
}

}  // namespace trawl::formats
