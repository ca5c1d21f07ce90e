// Tests of lib/formats/png_meta: tests/data/meta/text.png (hand-made PNG,
// text written by exiftool, then a tEXt and a zTXt appended after IDAT)
// against its exiftool oracle; hand-built chunks for CRC errors, ImageMagick
// raw profiles, compressed text limits and damage.
#include "formats/png_meta.hpp"

#include <doctest/doctest.h>

#include "formats/meta_test_support.hpp"
#include "test_support.hpp"

namespace trawl::formats {
namespace {

using namespace test_meta;

std::string be32(uint32_t v) { return {char(v >> 24), char(v >> 16), char(v >> 8), char(v)}; }
uint32_t crc32(const std::string& bytes) {
  uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char c : bytes) {
    crc ^= c;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
  }
  return ~crc;
}
std::string chunk(const std::string& type, const std::string& data) {
  return be32(uint32_t(data.size())) + type + data + be32(crc32(type + data));
}
std::string png(const std::string& chunks) {
  return std::string("\x89PNG\r\n\x1a\n", 8) + chunk("IHDR", be32(1) + be32(1) + std::string("\x08\x00\x00\x00\x00", 5)) +
         chunks + chunk("IEND", "");
}
// A zlib stream of stored (uncompressed) deflate blocks: no zlib needed here.
std::string zlib(const std::string& text) {
  std::string out("\x78\x01", 2);
  size_t at = 0;
  do {
    const size_t n = std::min<size_t>(text.size() - at, 65535);
    const bool last = at + n == text.size();
    out += char(last ? 1 : 0);
    out += std::string{char(n & 0xFF), char(n >> 8), char(~n & 0xFF), char((~n >> 8) & 0xFF)};
    out += text.substr(at, n);
    at += n;
  } while (at < text.size());
  uint32_t a = 1, b = 0;
  for (unsigned char c : text) {
    a = (a + c) % 65521;
    b = (b + a) % 65521;
  }
  return out + be32(b << 16 | a);
}

struct Parsed {
  MetaFields fields;
  MetaOutcome outcome;
};
Parsed parse(const std::string& bytes, const MetaContext& ctx = {}) {
  Parsed p;
  parse_png_meta(bytes_of(bytes), ctx, p.fields, p.outcome);
  return p;
}

TEST_CASE("PngMeta: the text fixture agrees with exiftool -j -n -G1 -a, including text after IDAT") {
  compare_with_exiftool("meta/text.png", parse_png_meta,
                        {"PNG:ImageWidth", "PNG:ImageHeight", "PNG:ModifyDate", "PNG:Title", "PNG:Description-en",
                         "PNG:Author", "PNG:Software", "PNG:Datecreate", "PNG:Comment", "IFD0:Make",
                         "ExifIFD:DateTimeOriginal", "File:ExifByteOrder"});
  const Parsed p = parse(test::read_data_file("meta/text.png"));
  CHECK(has_warning(p.outcome, "after IDAT"));
  CHECK(str(get(p.fields, "PNG", "ModifyDate")) == "2023-03-11T10:10:07");
  const MetaField& comment = get(p.fields, "PNG", "Comment");
  CHECK(comment.path == "zTXt/Comment");
  CHECK_FALSE(comment.offset);  // inside a compressed stream
  CHECK(get(p.fields, "PNG", "Title").offset.has_value());
  REQUIRE(p.outcome.embedded.size() == 1);
  CHECK(p.outcome.embedded[0].path == "iTXt/XML:com.adobe.xmp");
}

TEST_CASE("PngMeta: keywords become ExifTool tag names; Latin-1 tEXt, UTF-8 iTXt, compressed iTXt") {
  const Parsed p = parse(png(chunk("tEXt", std::string("date:modify\0", 12) + "x") +
                             chunk("tEXt", std::string("Creation Time\0", 14) + "2001") +
                             chunk("tEXt", std::string("Author\0", 7) + "J\xF6rg") +
                             chunk("iTXt", std::string("Software\0\x01\0\0\0", 13) + zlib("Gr\xC3\xBC\xC3\x9F" "e"))));
  CHECK(str(get(p.fields, "PNG", "Datemodify")) == "x");
  CHECK(str(get(p.fields, "PNG", "CreationTime")) == "2001");
  CHECK(str(get(p.fields, "PNG", "Author")) == "Jörg");
  CHECK(str(get(p.fields, "PNG", "Software")) == "Grüße");
  CHECK(p.outcome.warnings.empty());
}

TEST_CASE("PngMeta: a CRC mismatch is a warning and parsing goes on") {
  std::string bytes = png(chunk("tEXt", std::string("Title\0", 6) + "abc") + chunk("tEXt", std::string("Author\0", 7) + "me"));
  bytes[8 + 25 + 8 + 6] = 'X';  // inside the Title text
  const Parsed p = parse(bytes);
  CHECK(has_warning(p.outcome, "CRC mismatch in chunk tEXt"));
  CHECK(str(get(p.fields, "PNG", "Title")) == "Xbc");
  CHECK(str(get(p.fields, "PNG", "Author")) == "me");
}

TEST_CASE("PngMeta: ImageMagick raw profiles are decoded; eXIf goes to the TIFF parser") {
  TiffBuilder t(false);
  const auto tiff = t.build({{{t.ascii(0x010F, "RawProfileCam")}, -1, {}}});
  std::string hex;
  const std::string exif = std::string("Exif\0\0", 6) + std::string(tiff.begin(), tiff.end());
  static const char* kDigits = "0123456789abcdef";
  for (size_t i = 0; i < exif.size(); ++i) {
    hex += kDigits[uint8_t(exif[i]) >> 4];
    hex += kDigits[uint8_t(exif[i]) & 15];
    if (i % 36 == 35) hex += '\n';
  }
  const std::string profile = "\nexif\n      " + std::to_string(exif.size()) + "\n" + hex + "\n";
  const Parsed p = parse(png(chunk("zTXt", std::string("Raw profile type exif\0\0", 23) + zlib(profile)) +
                             chunk("eXIf", std::string(tiff.begin(), tiff.end()))));
  const auto makes = all(p.fields, "IFD0", "Make");
  REQUIRE(makes.size() == 2);
  CHECK(str(*makes[0]) == "RawProfileCam");
  CHECK_FALSE(makes[0]->offset);  // decoded from hex: no item offset
  CHECK(makes[0]->path == "zTXt/Raw profile type exif/IFD0/0x010f");
  CHECK(makes[1]->path == "eXIf/IFD0/0x010f");
  CHECK(makes[1]->offset.has_value());
  // An APP1 profile holding XMP becomes an embedded block with its decoded bytes.
  const std::string packet = "<x:xmpmeta/>";
  const std::string app1 = std::string("http://ns.adobe.com/xap/1.0/\0", 29) + packet;
  std::string app1_hex;
  for (unsigned char c : app1) app1_hex += std::string{kDigits[c >> 4], kDigits[c & 15]};
  const Parsed xmp = parse(png(chunk("tEXt", std::string("Raw profile type APP1\0", 22) + "\nAPP1\n " +
                                                   std::to_string(app1.size()) + "\n" + app1_hex)));
  REQUIRE(xmp.outcome.embedded.size() == 1);
  CHECK(xmp.outcome.embedded[0].decoded);
  CHECK(std::string(xmp.outcome.embedded[0].bytes.begin(), xmp.outcome.embedded[0].bytes.end()) == packet);
  const Parsed bad = parse(png(chunk("tEXt", std::string("Raw profile type exif\0", 22) + "\nexif\n 99\nzz")));
  CHECK(has_warning(bad.outcome, "undecodable raw profile"));
}

TEST_CASE("PngMeta: compressed text beyond the value limit is invalid, not allocated") {
  MetaLimits limits;
  limits.max_value_bytes = 1000;
  MetaContext ctx;
  ctx.limits = &limits;
  const Parsed p = parse(png(chunk("zTXt", std::string("Comment\0\0", 9) + zlib(std::string(100000, 'A')))), ctx);
  CHECK(get(p.fields, "PNG", "Comment").invalid);
  CHECK_FALSE(p.outcome.warnings.empty());
}

TEST_CASE("PngMeta: truncation and bit flips give warnings, never crashes") {
  const std::string file = test::read_data_file("meta/text.png");
  CHECK(has_warning(parse(file.substr(0, 200)).outcome, "runs past the end"));
  CHECK(parse("GIF89a").outcome.warnings.size() == 1);
  survive_damage(std::vector<uint8_t>(file.begin(), file.end()), parse_png_meta);
}

}  // namespace
}  // namespace trawl::formats
