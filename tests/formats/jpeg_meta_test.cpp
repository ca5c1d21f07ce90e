// Tests of lib/formats/jpeg_meta (and photoshop_meta through it): the
// exiftool-written fixtures tests/data/meta/camera-{be,le}.jpg compared with
// their stored `exiftool -j -n -G1 -a` output, plus hand-built segments for
// extended XMP, IPTC charsets, MPF and damage.
#include "formats/jpeg_meta.hpp"

#include <doctest/doctest.h>

#include <set>

#include "formats/meta_test_support.hpp"
#include "hash/digest.hpp"
#include "test_support.hpp"

namespace trawl::formats {
namespace {

using namespace test_meta;

struct Parsed {
  MetaFields fields;
  MetaOutcome outcome;
};

Parsed parse(const std::string& jpeg) {
  Parsed p;
  parse_jpeg_meta(bytes_of(jpeg), {}, p.fields, p.outcome);
  return p;
}

std::string segment(uint8_t marker, const std::string& body) {
  const size_t n = body.size() + 2;
  return std::string{'\xFF', char(marker), char(n >> 8), char(n & 0xFF)} + body;
}

// SOF0 for a w x h frame, an empty scan and EOI.
std::string frame(uint16_t w, uint16_t h) {
  const std::string sof{8, char(h >> 8), char(h), char(w >> 8), char(w), 1, 1, 0x11, 0};
  return segment(0xC0, sof) + segment(0xDA, std::string("\x01\x01\x00\x00\x3f\x00", 6)) + "\x12\x34\xFF\x00\x56" +
         "\xFF\xD9";
}

TEST_CASE("JpegMeta: the big-endian camera fixture agrees with exiftool -j -n -G1 -a") {
  compare_with_exiftool("meta/camera-be.jpg", parse_jpeg_meta,
                        {"File:ExifByteOrder", "File:Comment", "File:ImageWidth", "File:ImageHeight", "JFIF:JFIFVersion",
                         "JFIF:XResolution", "IFD0:Make", "IFD0:Model", "IFD0:ModifyDate", "IFD0:Artist", "IFD0:XPAuthor",
                         "ExifIFD:DateTimeOriginal", "ExifIFD:CreateDate", "ExifIFD:OffsetTimeOriginal",
                         "ExifIFD:SubSecTimeOriginal", "ExifIFD:ImageUniqueID", "ExifIFD:OwnerName",
                         "ExifIFD:SerialNumber", "ExifIFD:LensModel", "ExifIFD:LensSerialNumber", "ExifIFD:UserComment",
                         "ExifIFD:ExposureTime", "ExifIFD:FNumber", "ExifIFD:ExifVersion", "GPS:GPSVersionID",
                         "GPS:GPSLatitudeRef", "GPS:GPSLatitude", "GPS:GPSLongitude", "GPS:GPSAltitudeRef",
                         "GPS:GPSAltitude", "GPS:GPSTimeStamp", "GPS:GPSDateStamp", "IFD1:ThumbnailOffset",
                         "IFD1:ThumbnailLength", "IPTC:CodedCharacterSet", "IPTC:By-line", "IPTC:Keywords", "IPTC:City",
                         "IPTC:DateCreated", "IPTC:TimeCreated", "Photoshop:IPTCDigest",
                         "Composite:SubSecDateTimeOriginal", "Composite:GPSLatitude", "Composite:GPSLongitude",
                         "Composite:GPSPosition", "Composite:GPSAltitude", "Composite:GPSDateTime"});
}

TEST_CASE("JpegMeta: the little-endian camera fixture agrees with exiftool -j -n -G1 -a") {
  compare_with_exiftool("meta/camera-le.jpg", parse_jpeg_meta, {"File:ExifByteOrder", "IFD0:Make", "IFD0:XPAuthor", "ExifIFD:DateTimeOriginal",
                                              "GPS:GPSLatitude", "Composite:GPSLatitude", "Composite:GPSAltitude",
                                              "ExifIFD:ComponentsConfiguration", "ExifIFD:FlashpixVersion"});
}

TEST_CASE("JpegMeta: provenance, XMP block and the thumbnail indicators") {
  const std::string file = test::read_data_file("meta/camera-be.jpg");
  const Parsed p = parse(file);
  CHECK(p.outcome.warnings.empty());
  const MetaField& make = get(p.fields, "IFD0", "Make");
  CHECK(make.path == "APP1/IFD0/0x010f");
  REQUIRE(make.offset);
  CHECK(file.substr(*make.offset, 8) == "FUJIFILM");
  const MetaField& byline = get(p.fields, "IPTC", "By-line");
  CHECK(byline.path == "APP13/Photoshop/0x0404/IPTC/2:80");
  CHECK(file.substr(*byline.offset, 9) == "Byline 10");
  REQUIRE(p.outcome.embedded.size() == 1);
  const EmbeddedBlock& xmp = p.outcome.embedded[0];
  CHECK(xmp.kind == "xmp");
  CHECK(xmp.path == "APP1");
  CHECK(file.substr(xmp.offset, 9) == "<?xpacket");
  CHECK(file.substr(xmp.offset + xmp.length - 2, 2) == "?>");
  // The 128x128 thumbnail on a 160x100 image.
  const std::string thumb = test::read_data_file("photos/square-128x128.jpg");
  CHECK(str(get(p.fields, "Composite", "ThumbnailImageSize")) == "128x128");
  hash::MultiDigest sha({hash::Algorithm::sha256});
  sha.update(std::as_bytes(std::span(thumb.data(), thumb.size())));
  CHECK(str(get(p.fields, "Composite", "ThumbnailSHA256")) == sha.finish().front().second);
  CHECK(std::get<bool>(get(p.fields, "Composite", "ThumbnailAspectMismatch").value));
  CHECK(file.substr(*get(p.fields, "Composite", "ThumbnailSHA256").offset, thumb.size()) == thumb);
}

TEST_CASE("JpegMeta: extended XMP chunks are reassembled in offset order") {
  const std::string guid = "0123456789ABCDEF0123456789ABCDEF";
  const std::string full = "<x:xmpmeta>" + std::string(100, 'a') + std::string(100, 'b') + "</x:xmpmeta>";
  auto chunk = [&](size_t offset, size_t n) {
    std::string body = std::string("http://ns.adobe.com/xmp/extension/\0", 35) + guid;
    for (uint32_t v : {uint32_t(full.size()), uint32_t(offset)})
      body += std::string{char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
    return segment(0xE1, body + full.substr(offset, n));
  };
  const std::string main_xmp = std::string("http://ns.adobe.com/xap/1.0/\0", 29) + "<x:xmpmeta main/>";
  const std::string jpeg = "\xFF\xD8" + segment(0xE1, main_xmp) + chunk(120, full.size() - 120) + chunk(0, 120) +
                           frame(4, 3) + "trailing junk";
  const Parsed p = parse(jpeg);
  REQUIRE(p.outcome.embedded.size() == 2);
  const EmbeddedBlock& ext = p.outcome.embedded[1];
  CHECK(ext.decoded);
  CHECK(std::string(ext.bytes.begin(), ext.bytes.end()) == full);
  CHECK(ext.length == full.size());
  CHECK(ext.path == "APP1/ExtendedXMP/" + guid);
  CHECK(has_warning(p.outcome, "13 bytes of trailing data after EOI"));
  CHECK(num(get(p.fields, "File", "ImageWidth")) == 4);
  CHECK(num(get(p.fields, "File", "ImageHeight")) == 3);

  // A missing chunk is reported, the part that arrived still handed back.
  const Parsed partial = parse("\xFF\xD8" + chunk(0, 120) + frame(4, 3));
  CHECK(has_warning(partial.outcome, "incomplete: 120 of"));
  // A chunk claiming more than the file is refused.
  std::string huge = std::string("http://ns.adobe.com/xmp/extension/\0", 35) + guid + "\x7F\xFF\xFF\xFF" + std::string(4, '\0') + "x";
  const Parsed refused = parse("\xFF\xD8" + segment(0xE1, huge) + frame(1, 1));
  CHECK(refused.outcome.embedded.empty());
  CHECK(has_warning(refused.outcome, "does not fit"));
}

std::string iim(uint8_t record, uint8_t dataset, const std::string& value) {
  return std::string{0x1C, char(record), char(dataset), char(value.size() >> 8), char(value.size())} + value;
}
std::string app13(const std::string& iptc) {
  std::string irb = std::string("8BIM\x04\x04\0\0", 8);
  const uint32_t n = uint32_t(iptc.size());
  irb += std::string{char(n >> 24), char(n >> 16), char(n >> 8), char(n)} + iptc;
  if (n & 1) irb += '\0';
  return segment(0xED, std::string("Photoshop 3.0\0", 14) + irb);
}

TEST_CASE("JpegMeta: IPTC text is Latin-1 unless CodedCharacterSet says UTF-8") {
  const Parsed latin = parse("\xFF\xD8" + app13(iim(2, 80, "Caf\xE9") + iim(2, 25, "k1") + iim(2, 25, "k2")) + frame(1, 1));
  CHECK(str(get(latin.fields, "IPTC", "By-line")) == "Café");
  CHECK(all(latin.fields, "IPTC", "Keywords").size() == 2);
  const Parsed utf8 = parse("\xFF\xD8" + app13(iim(1, 90, "\x1b%G") + iim(2, 80, "Caf\xC3\xA9")) + frame(1, 1));
  CHECK(str(get(utf8.fields, "IPTC", "By-line")) == "Café");
  const Parsed bad_date = parse("\xFF\xD8" + app13(iim(2, 55, "00000000")) + frame(1, 1));
  CHECK(get(bad_date.fields, "IPTC", "DateCreated").invalid);
  const Parsed overrun = parse("\xFF\xD8" + app13(std::string("\x1C\x02\x50\x7F\xFF", 5) + "short") + frame(1, 1));
  CHECK(has_warning(overrun.outcome, "runs past the end"));
}

TEST_CASE("JpegMeta: MPF index, JFIF and COM") {
  TiffBuilder t(true);
  std::vector<uint8_t> entries(32, 0);
  entries[7] = 100;                         // image 1: 100 bytes at 0
  entries[16 + 7] = 50, entries[16 + 11] = 200;  // image 2: 50 bytes at MP header + 200
  const auto mp = t.build({{{t.bytes(0xB000, 7, {'0', '1', '0', '0'}), t.longs(0xB001, {2}), t.bytes(0xB002, 7, entries)}, -1, {}}});
  const std::string jpeg = "\xFF\xD8" + segment(0xE2, std::string("MPF\0", 4) + std::string(mp.begin(), mp.end())) +
                           segment(0xFE, std::string("a comment\0", 10)) + frame(2, 2);
  const Parsed p = parse(jpeg);
  CHECK(num(get(p.fields, "MPF", "NumberOfImages")) == 2);
  CHECK(num(get(p.fields, "MPImage2", "MPImageLength")) == 50);
  CHECK(num(get(p.fields, "MPImage2", "MPImageStart")) == 2 + 4 + 4 + 200);
  CHECK(str(get(p.fields, "File", "Comment")) == "a comment");
}

TEST_CASE("JpegMeta: truncation, bad markers and bit flips give warnings, never crashes") {
  const std::string file = test::read_data_file("meta/camera-be.jpg");
  const Parsed cut = parse(file.substr(0, 330));
  CHECK(has_warning(cut.outcome, "JPEG format error"));
  CHECK(parse("not a jpeg").outcome.warnings.size() == 1);
  CHECK(has_warning(parse(std::string("\xFF\xD8\x00\x00", 4)).outcome, "marker expected"));
  CHECK(has_warning(parse("\xFF\xD8" + segment(0xDA, "x") + "scan without end").outcome, "no EOI"));
  survive_damage(std::vector<uint8_t>(file.begin(), file.end()), parse_jpeg_meta, 7);
}

}  // namespace
}  // namespace trawl::formats
