// Tests of lib/formats/tiff_meta: hand-built TIFF streams in both byte
// orders (tests/formats/meta_test_support.hpp builds them) for values,
// conversions and every malformation class; tests/data/meta/plain.tif
// (exiftool-written, see tests/data/README.md) for a real file.
#include "formats/tiff_meta.hpp"

#include <doctest/doctest.h>

#include "formats/meta_test_support.hpp"
#include "test_support.hpp"

namespace trawl::formats {
namespace {

using namespace test_meta;

// An EXIF tree like a camera's: IFD0 -> ExifIFD, GPS; IFD1 next.
std::vector<uint8_t> camera_tiff(bool big, std::pair<uint32_t, uint32_t> lat_deg = {57, 1},
                                 const std::string& original = "2023:03:11 10:10:07") {
  TiffBuilder t(big);
  std::vector<uint8_t> xp = {'\xdc' & 0xFF, 0x00, 'n', 0, 'i', 0, 0, 0};  // "Üni" in UCS-2LE
  std::vector<uint8_t> comment = TiffBuilder::text("UNICODE", true);
  for (char c : std::string("Hi")) {  // UNICODE comments follow the TIFF byte order
    if (big) comment.push_back(0);
    comment.push_back(uint8_t(c));
    if (!big) comment.push_back(0);
  }
  TiffBuilder::Ifd ifd0{{t.ascii(0x010F, "FUJIFILM"), t.ascii(0x0110, "X-T4"), t.shorts(0x0112, {6}),
                         t.ascii(0x0132, "2023:04:01 10:00:00"), t.pointer(0x8769, 1), t.pointer(0x8825, 2),
                         t.bytes(0x9C9D, 1, xp), t.ascii(0xC62F, "DNG-SN-1")},
                        3,
                        {}};
  TiffBuilder::Ifd exif{{t.rational(0x829A, {{1, 200}}), t.shorts(0x8827, {200}),
                         t.bytes(0x9000, 7, {'0', '2', '3', '2'}), t.ascii(0x9003, original),
                         t.ascii(0x9004, "2023:03:11 10:10:07"), t.ascii(0x9011, "+01:00"),
                         t.bytes(0x9286, 7, comment), t.ascii(0x9291, "050"), t.ascii(0xA420, "1e5"),
                         t.ascii(0xA431, "SN00079190"), t.rational(0xA432, {{24, 1}, {70, 1}, {28, 10}, {28, 10}})},
                        -1,
                        {}};
  TiffBuilder::Ifd gps{{t.bytes(0x0000, 1, {2, 3, 0, 0}), t.ascii(0x0001, "S"),
                        t.rational(0x0002, {lat_deg, {37, 1}, {4440, 100}}), t.ascii(0x0003, "W"),
                        t.rational(0x0004, {{162, 1}, {48, 1}, {2520, 100}}), t.bytes(0x0005, 1, {1}),
                        t.rational(0x0006, {{105, 10}}), t.rational(0x0007, {{10, 1}, {10, 1}, {7, 1}}),
                        t.ascii(0x001D, "2023:03:11")},
                       -1,
                       {}};
  TiffBuilder::Ifd ifd1{{t.shorts(0x0103, {6})}, -1, {}};
  return t.build({ifd0, exif, gps, ifd1});
}

struct Parsed {
  MetaFields fields;
  MetaOutcome outcome;
};

Parsed parse(const std::vector<uint8_t>& tiff, const MetaContext& ctx = {}) {
  Parsed p;
  parse_tiff_meta(bytes_of(tiff), ctx, p.fields, p.outcome);
  return p;
}

TEST_CASE("TiffMeta: camera tags typed as ExifTool -n does, in both byte orders") {
  for (bool big : {true, false}) {
    CAPTURE(big);
    MetaContext ctx;
    ctx.path = "APP1";
    ctx.base = 1000;
    const auto tiff = camera_tiff(big);
    const Parsed p = parse(tiff, ctx);
    CHECK(p.outcome.warnings.empty());
    CHECK(str(get(p.fields, "File", "ExifByteOrder")) == (big ? "MM" : "II"));
    const MetaField& make = get(p.fields, "IFD0", "Make");
    CHECK(str(make) == "FUJIFILM");
    CHECK(make.path == "APP1/IFD0/0x010f");
    REQUIRE(make.offset);
    CHECK(std::string(tiff.begin() + long(*make.offset - 1000), tiff.begin() + long(*make.offset - 1000) + 8) == "FUJIFILM");
    CHECK(num(get(p.fields, "IFD0", "Orientation")) == 6);
    CHECK(str(get(p.fields, "IFD0", "XPAuthor")) == "Üni");
    CHECK(str(get(p.fields, "IFD0", "CameraSerialNumber")) == "DNG-SN-1");
    CHECK(real(get(p.fields, "ExifIFD", "ExposureTime")) == doctest::Approx(0.005));
    CHECK(get(p.fields, "ExifIFD", "ExposureTime").raw == "1/200");
    CHECK(num(get(p.fields, "ExifIFD", "ISO")) == 200);
    CHECK(str(get(p.fields, "ExifIFD", "ExifVersion")) == "0232");
    CHECK(str(get(p.fields, "ExifIFD", "ImageUniqueID")) == "1e5");  // a string, not the number 100000
    CHECK(str(get(p.fields, "ExifIFD", "SubSecTimeOriginal")) == "050");
    CHECK(str(get(p.fields, "ExifIFD", "UserComment")) == "Hi");
    CHECK(str(get(p.fields, "ExifIFD", "LensInfo")) == "24 70 2.8 2.8");
    CHECK(str(get(p.fields, "ExifIFD", "SerialNumber")) == "SN00079190");
    // Dates: ISO 8601, the zone appended only where OffsetTime* gives it.
    const MetaField& original = get(p.fields, "ExifIFD", "DateTimeOriginal");
    CHECK(str(original) == "2023-03-11T10:10:07+01:00");
    CHECK(original.raw == "2023:03:11 10:10:07");
    CHECK(str(get(p.fields, "ExifIFD", "CreateDate")) == "2023-03-11T10:10:07");
    CHECK(str(get(p.fields, "IFD0", "ModifyDate")) == "2023-04-01T10:00:00");
    CHECK(str(get(p.fields, "Composite", "SubSecDateTimeOriginal")) == "2023-03-11T10:10:07.050+01:00");
    // GPS: unsigned in the GPS group, signed in Composite.
    CHECK(str(get(p.fields, "GPS", "GPSVersionID")) == "2 3 0 0");
    CHECK(real(get(p.fields, "GPS", "GPSLatitude")) == doctest::Approx(57.629));
    CHECK(get(p.fields, "GPS", "GPSLatitude").raw == "57/1 37/1 4440/100");
    CHECK(get(p.fields, "GPS", "GPSLatitude").path == "APP1/IFD0/GPS/0x0002");
    CHECK(real(get(p.fields, "Composite", "GPSLatitude")) == doctest::Approx(-57.629));
    CHECK(real(get(p.fields, "Composite", "GPSLongitude")) == doctest::Approx(-162.807));
    CHECK(str(get(p.fields, "Composite", "GPSPosition")) == "-57.629 -162.807");
    CHECK(real(get(p.fields, "Composite", "GPSAltitude")) == doctest::Approx(-10.5));  // below sea level
    CHECK(str(get(p.fields, "GPS", "GPSTimeStamp")) == "10:10:07");
    CHECK(str(get(p.fields, "Composite", "GPSDateTime")) == "2023-03-11T10:10:07Z");
    CHECK(num(get(p.fields, "IFD1", "Compression")) == 6);
  }
}

TEST_CASE("TiffMeta: a zero-denominator latitude is invalid, never a 0,0 position") {
  const Parsed p = parse(camera_tiff(false, {57, 0}));
  const MetaField& gps = get(p.fields, "GPS", "GPSLatitude");
  CHECK(gps.invalid);
  CHECK(gps.raw == "57/0 37/1 4440/100");
  CHECK(gps.raw_hex.substr(0, 16) == "3900000000000000");
  const MetaField& composite = get(p.fields, "Composite", "GPSLatitude");
  CHECK(composite.invalid);
  CHECK_FALSE(composite.raw_hex.empty());
  CHECK(find(p.fields, "Composite", "GPSPosition") == nullptr);
  CHECK_FALSE(get(p.fields, "Composite", "GPSLongitude").invalid);
}

TEST_CASE("TiffMeta: minutes out of range make the composite position invalid") {
  TiffBuilder t(true);
  const auto tiff = t.build({{{t.pointer(0x8825, 1)}, -1, {}},
                             {{t.ascii(0x0001, "N"), t.rational(0x0002, {{10, 1}, {75, 1}, {0, 1}})}, -1, {}}});
  const Parsed p = parse(tiff);
  CHECK(get(p.fields, "Composite", "GPSLatitude").invalid);
  CHECK(str(get(p.fields, "Composite", "GPSLatitude")) == "minutes or seconds out of range");
}

TEST_CASE("TiffMeta: all-zero, blank and impossible dates are invalid with their raw bytes") {
  for (const std::string bad : {"0000:00:00 00:00:00", "    :  :     :  :  ", "2023:02:29 10:00:00", "2023:13:01 10:00:00",
                                "2023:01:01 25:00:00", "yesterday"}) {
    CAPTURE(bad);
    const Parsed p = parse(camera_tiff(true, {57, 1}, bad));
    const MetaField& f = get(p.fields, "ExifIFD", "DateTimeOriginal");
    CHECK(f.invalid);
    CHECK(f.raw == std::string(bad).substr(0, bad.find_last_not_of(' ') + 1));
    CHECK_FALSE(f.raw_hex.empty());
    CHECK(find(p.fields, "Composite", "SubSecDateTimeOriginal") == nullptr);
  }
  const Parsed leap = parse(camera_tiff(true, {57, 1}, "2024:02:29 23:59:59"));
  CHECK(str(get(leap.fields, "ExifIFD", "DateTimeOriginal")) == "2024-02-29T23:59:59+01:00");
}

TEST_CASE("TiffMeta: IFD loops are cut with a warning") {
  TiffBuilder t(false);
  // ExifIFD points back at IFD0, IFD0's next IFD is itself.
  const auto tiff = t.build({{{t.ascii(0x010F, "Loop"), t.pointer(0x8769, 0)}, 0, {}}});
  const Parsed p = parse(tiff);
  CHECK(str(get(p.fields, "IFD0", "Make")) == "Loop");
  CHECK(all(p.fields, "IFD0", "Make").size() == 1);
  CHECK(has_warning(p.outcome, "already read"));
}

TEST_CASE("TiffMeta: offsets past the end and huge counts are invalid fields plus warnings") {
  TiffBuilder t(true);
  auto make = t.ascii(0x010F, "Canon EOS");
  make.raw_value = 0x7FFFFFF0;
  auto model = t.ascii(0x0110, "Model");
  model.count = 0x40000000;
  const auto tiff = t.build({{{make, model, t.ascii(0x0131, "Software ok"), t.pointer(0x8769, 1)}, -1, {}},
                             {{t.ascii(0xA431, "SN")}, -1, {}}});
  const Parsed p = parse(tiff);
  CHECK(get(p.fields, "IFD0", "Make").invalid);
  CHECK(get(p.fields, "IFD0", "Make").raw_hex == "7ffffff0");
  CHECK(get(p.fields, "IFD0", "Model").invalid);
  CHECK(str(get(p.fields, "IFD0", "Software")) == "Software ok");
  CHECK(str(get(p.fields, "ExifIFD", "SerialNumber")) == "SN");
  CHECK(has_warning(p.outcome, "Bad offset for IFD0 Make"));
  CHECK(has_warning(p.outcome, "Bad count for IFD0 Model"));
}

TEST_CASE("TiffMeta: an entry count larger than the stream reads the entries that fit") {
  TiffBuilder t(false);
  TiffBuilder::Ifd ifd0{{t.ascii(0x010F, "Nikon"), t.ascii(0x0110, "D70")}, -1, uint16_t{65535}};
  const Parsed p = parse(t.build({ifd0}));
  CHECK(str(get(p.fields, "IFD0", "Make")) == "Nikon");
  CHECK(has_warning(p.outcome, "65535 entries"));
  // Pointers past the end.
  TiffBuilder u(true);
  auto exif = u.pointer(0x8769, 0);
  exif.raw_value = 0xFFFFFF00;
  const Parsed q = parse(u.build({{{exif}, -1, {}}}));
  CHECK(has_warning(q.outcome, "ExifIFD offset 4294967040 is past the end"));
}

TEST_CASE("TiffMeta: not a TIFF stream, BigTIFF and damage give warnings, never crashes") {
  for (const std::string& bad : {std::string(), std::string("II"), std::string("XX*\0\0\0\0\0", 8),
                                std::string("II+\0\x08\0\0\0", 8)}) {
    MetaFields out;
    MetaOutcome outcome;
    parse_tiff_meta(bytes_of(bad), {}, out, outcome);
    CHECK(out.empty());
    CHECK(outcome.warnings.size() == 1);
  }
  for (bool big : {true, false}) survive_damage(camera_tiff(big), parse_tiff_meta);
}

TEST_CASE("TiffMeta: the field limit stops a stream without losing the warning") {
  MetaLimits limits;
  limits.max_fields = 3;
  MetaContext ctx;
  ctx.limits = &limits;
  const Parsed p = parse(camera_tiff(true), ctx);
  CHECK(p.fields.size() == 3);
  CHECK(has_warning(p.outcome, "field limit"));
}

TEST_CASE("TiffMeta: MakerNote body serials (Canon, Nikon) are read, nothing else breaks") {
  for (bool big : {true, false}) {
    CAPTURE(big);
    TiffBuilder t(big);
    // Canon: a bare IFD in the parent's byte order.
    std::vector<uint8_t> canon = t.u16({1, 0x000C, 4});
    for (auto part : {t.u32({1}), t.u32({12345}), t.u32({0})}) canon.insert(canon.end(), part.begin(), part.end());
    const auto with_canon = t.build({{{t.ascii(0x010F, "Canon"), t.pointer(0x8769, 1)}, -1, {}},
                                     {{t.bytes(0x927C, 7, canon), t.ascii(0xA431, "after")}, -1, {}}});
    const Parsed c = parse(with_canon);
    CHECK(num(get(c.fields, "Canon", "SerialNumber")) == 12345);
    CHECK(str(get(c.fields, "ExifIFD", "SerialNumber")) == "after");
    // Nikon type 3: "Nikon\0" header, then its own TIFF stream.
    TiffBuilder inner(true);
    const auto nikon_tiff = inner.build({{{inner.ascii(0x001D, "NK123456")}, -1, {}}});
    std::vector<uint8_t> nikon = {'N', 'i', 'k', 'o', 'n', 0, 2, 0x10, 0, 0};
    nikon.insert(nikon.end(), nikon_tiff.begin(), nikon_tiff.end());
    const auto with_nikon = t.build({{{t.ascii(0x010F, "NIKON CORPORATION"), t.pointer(0x8769, 1)}, -1, {}},
                                     {{t.bytes(0x927C, 7, nikon)}, -1, {}}});
    const Parsed n = parse(with_nikon);
    const MetaField& serial = get(n.fields, "Nikon", "SerialNumber");
    CHECK(str(serial) == "NK123456");
    CHECK(std::string(with_nikon.begin() + long(*serial.offset), with_nikon.begin() + long(*serial.offset) + 8) == "NK123456");
    // Garbage MakerNotes are ignored silently.
    const auto junk = t.build({{{t.ascii(0x010F, "Canon"), t.pointer(0x8769, 1)}, -1, {}},
                               {{t.bytes(0x927C, 7, std::vector<uint8_t>(40, 0xFF))}, -1, {}}});
    const Parsed j = parse(junk);
    CHECK(find(j.fields, "Canon", "SerialNumber") == nullptr);
    CHECK(j.outcome.warnings.empty());
  }
}

TEST_CASE("TiffMeta: SubIFDs of raw files, XMP in ApplicationNotes, IPTC-NAA") {
  TiffBuilder t(false);
  const std::string packet = "<?xpacket begin?><x:xmpmeta/>";
  const std::vector<uint8_t> iptc = {0x1C, 2, 80, 0, 3, 'B', 'o', 'b'};
  const auto tiff = t.build({{{t.shorts(0x0100, {6000}), t.pointer(0x014A, 1),
                               t.bytes(0x02BC, 1, TiffBuilder::text(packet, false)), t.bytes(0x83BB, 7, iptc)},
                              -1,
                              {}},
                             {{t.shorts(0x0100, {160}), t.shorts(0x0101, {120})}, -1, {}}});
  const Parsed p = parse(tiff);
  CHECK(num(get(p.fields, "IFD0", "ImageWidth")) == 6000);
  CHECK(num(get(p.fields, "SubIFD", "ImageWidth")) == 160);
  CHECK(get(p.fields, "SubIFD", "ImageWidth").path == "IFD0/SubIFD/0x0100");
  REQUIRE(p.outcome.embedded.size() == 1);
  CHECK(p.outcome.embedded[0].kind == "xmp");
  CHECK(std::string(tiff.begin() + long(p.outcome.embedded[0].offset), tiff.begin() + long(p.outcome.embedded[0].offset + p.outcome.embedded[0].length)) == packet);
  CHECK(str(get(p.fields, "IPTC", "By-line")) == "Bob");
}

TEST_CASE("TiffMeta: the exiftool-written TIFF matches exiftool -j -n -G1") {
  const std::string file = test::read_data_file("meta/plain.tif");
  MetaFields out;
  MetaOutcome outcome;
  parse_tiff_file_meta(bytes_of(file), {}, out, outcome);
  CHECK(outcome.warnings.empty());
  const auto oracle = read_exiftool_json(test::read_data_file("meta/plain.tif.exiftool.json"));
  for (const char* key : {"IFD0:Make", "IFD0:Model", "IFD0:XPComment", "GPS:GPSLatitudeRef", "GPS:GPSVersionID"}) {
    CAPTURE(key);
    const std::string k(key);
    const MetaField& f = get(out, k.substr(0, k.find(':')), k.substr(k.find(':') + 1));
    CHECK(str(f) == oracle.at(k).text);
  }
  for (const char* key : {"GPS:GPSLatitude", "GPS:GPSLongitude", "Composite:GPSLatitude", "Composite:GPSLongitude",
                          "IFD0:StripOffsets", "IFD0:ImageWidth"}) {
    CAPTURE(key);
    const std::string k(key);
    const MetaField& f = get(out, k.substr(0, k.find(':')), k.substr(k.find(':') + 1));
    const double expected = std::stod(oracle.at(k).text);
    if (std::holds_alternative<int64_t>(f.value)) CHECK(double(num(f)) == expected);
    else CHECK(real(f) == doctest::Approx(expected).epsilon(1e-9));
  }
  CHECK(get(out, "ExifIFD", "DateTimeOriginal").raw == oracle.at("ExifIFD:DateTimeOriginal").text);
  CHECK(str(get(out, "Composite", "GPSPosition")) == oracle.at("Composite:GPSPosition").text);
}

}  // namespace
}  // namespace trawl::formats
