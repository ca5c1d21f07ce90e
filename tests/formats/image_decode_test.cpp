// Tests of lib/formats/image_decode (kept under tests/hash/ until the test
// glob covers tests/formats/). Fixtures: tests/data/pdq/ (see its README
// section); bombs and corrupt files are built here from them.
#include "formats/image_decode.hpp"

#include <doctest/doctest.h>

#include <array>
#include <random>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace trawl::formats {
namespace {

std::span<const std::byte> as_span(const std::string& s) { return std::as_bytes(std::span(s.data(), s.size())); }

RgbImage decode_ok(const std::string& fixture) {
  const std::string bytes = test::read_data_file(fixture);
  auto image = decode_image(as_span(bytes));
  REQUIRE_MESSAGE(image.ok(), fixture << ": " << image.error().detail);
  return std::move(*image);
}

Error decode_error(const std::string& bytes, const ImageLimits& limits = {}) {
  auto image = decode_image(as_span(bytes), limits);
  REQUIRE_FALSE(image.ok());
  return image.error();
}

uint32_t crc32(const std::string& bytes) {
  uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char c : bytes) {
    crc ^= c;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
  }
  return ~crc;
}

std::string be32(uint32_t v) { return {char(v >> 24), char(v >> 16 & 255), char(v >> 8 & 255), char(v & 255)}; }
std::string le32(uint32_t v) { return {char(v & 255), char(v >> 8 & 255), char(v >> 16 & 255), char(v >> 24)}; }
std::string le16(uint16_t v) { return {char(v & 255), char(v >> 8)}; }

/// A BMP header (BITMAPINFOHEADER) followed by `pixels` bytes.
std::string bmp(int32_t width, int32_t height, uint16_t bits, size_t pixels, uint32_t compression = 0) {
  std::string s = "BM" + le32(54 + static_cast<uint32_t>(pixels)) + le32(0) + le32(54);
  s += le32(40) + le32(static_cast<uint32_t>(width)) + le32(static_cast<uint32_t>(height)) + le16(1) + le16(bits);
  s += le32(compression) + le32(0) + le32(0) + le32(0) + le32(0) + le32(0);
  s.append(pixels, '\x7f');
  return s;
}

}  // namespace

TEST_CASE("ImageDecode: formats are detected from their magic bytes") {
  CHECK(detect_image_format(as_span(test::read_data_file("photos/square-128x128.jpg"))) == ImageFormat::jpeg);
  CHECK(detect_image_format(as_span(test::read_data_file("pdq/formats/square.png"))) == ImageFormat::png);
  CHECK(detect_image_format(as_span(test::read_data_file("pdq/formats/square.gif"))) == ImageFormat::gif);
  CHECK(detect_image_format(as_span(test::read_data_file("pdq/formats/square-lossy.webp"))) == ImageFormat::webp);
  CHECK(detect_image_format(as_span(test::read_data_file("pdq/formats/square-24.bmp"))) == ImageFormat::bmp);
  CHECK(detect_image_format(as_span(std::string("BMW is not a bitmap header"))) == ImageFormat::unknown);
  CHECK(detect_image_format({}) == ImageFormat::unknown);
  CHECK(std::string(image_format_name(ImageFormat::webp)) == "webp");
}

TEST_CASE("ImageDecode: the reference JPEGs, baseline and progressive") {
  const RgbImage original = decode_ok("pdq/dih/bridge-1-original.jpg");  // baseline
  CHECK(original.width == 1600);
  CHECK(original.height == 1004);
  CHECK(original.rgb.size() == 1600u * 1004 * 3);
  const RgbImage rotated = decode_ok("pdq/dih/bridge-2-rotate-90.jpg");  // progressive
  CHECK(rotated.width == 1004);
  CHECK(rotated.height == 1600);
  const RgbImage transposed = decode_ok("pdq/dih/bridge-7-flip-plus-1.jpg");
  CHECK(transposed.width == 1004);
  CHECK(transposed.height == 1600);
}

TEST_CASE("ImageDecode: every format of the same photo gives the same pixels") {
  const RgbImage jpeg = decode_ok("photos/square-128x128.jpg");
  REQUIRE(jpeg.width == 128);
  REQUIRE(jpeg.height == 128);
  // Lossless copies of the decoded JPEG (tests/data/pdq/formats/make-formats.cpp).
  for (const char* lossless : {"pdq/formats/square.png", "pdq/formats/square-lossless.webp", "pdq/formats/square-24.bmp",
                               "pdq/formats/square-32-top-down.bmp"}) {
    CAPTURE(lossless);
    const RgbImage image = decode_ok(lossless);
    CHECK(image.width == 128);
    CHECK(image.height == 128);
    CHECK(image.rgb == jpeg.rgb);
  }
  // The GIF and the 8-bit BMP hold the same palette quantization.
  const RgbImage gif = decode_ok("pdq/formats/square.gif");
  const RgbImage bmp8 = decode_ok("pdq/formats/square-8.bmp");
  CHECK(gif.width == 128);
  CHECK(gif.rgb == bmp8.rgb);
  const RgbImage lossy = decode_ok("pdq/formats/square-lossy.webp");
  CHECK(lossy.width == 128);
  CHECK(lossy.rgb.size() == jpeg.rgb.size());
}

TEST_CASE("ImageDecode: truncated JPEG and PNG are errors, not grey padding") {
  const std::string jpeg = test::read_data_file("pdq/dih/bridge-1-original.jpg");
  for (size_t cut : {size_t{3}, size_t{100}, jpeg.size() / 2, jpeg.size() - 10}) {
    CAPTURE(cut);
    const Error e = decode_error(jpeg.substr(0, cut));
    CHECK(e.code == Errc::data_loss);
    CHECK(e.detail.starts_with("jpeg: "));
  }
  const std::string png = test::read_data_file("pdq/formats/square.png");
  for (size_t cut : {size_t{8}, size_t{30}, png.size() / 2, png.size() - 20}) {
    CAPTURE(cut);
    const Error e = decode_error(png.substr(0, cut));
    CHECK(e.code == Errc::data_loss);
    CHECK(e.detail.starts_with("png: "));
  }
  const std::string webp = test::read_data_file("pdq/formats/square-lossy.webp");
  CHECK(decode_error(webp.substr(0, webp.size() / 2)).code == Errc::data_loss);
  const std::string gif = test::read_data_file("pdq/formats/square.gif");
  CHECK(decode_error(gif.substr(0, gif.size() / 2)).code == Errc::data_loss);
}

TEST_CASE("ImageDecode: a GIF with no frames") {
  // Header, 2x2 logical screen without a colour table, trailer.
  std::string gif = "GIF89a" + le16(2) + le16(2) + std::string("\x00\x00\x00", 3) + ";";
  Error e = decode_error(gif);
  CHECK(e.code == Errc::data_loss);
  CHECK(e.detail == "gif: no image in the file");
  // A comment extension and no image: the same.
  gif = "GIF89a" + le16(2) + le16(2) + std::string("\x00\x00\x00", 3) + "!\xFE\x03" + "abc" + std::string(1, '\0') + ";";
  CHECK(decode_error(gif).detail == "gif: no image in the file");
}

TEST_CASE("ImageDecode: bombs are refused from the header") {
  // A 54-byte BMP claiming 100000 x 100000 pixels: refused before anything is allocated.
  Error e = decode_error(bmp(100000, 100000, 24, 0));
  CHECK(e.code == Errc::resource_exhausted);
  CHECK(e.detail == "bmp: 100000x100000 exceeds the dimension limit of 65535x65535");
  e = decode_error(bmp(60000, -60000, 24, 0));  // top-down
  CHECK(e.code == Errc::resource_exhausted);
  CHECK(e.detail == "bmp: 60000x60000 exceeds the limit of 100000000 pixels");

  // A PNG whose IHDR (valid CRC) claims 50000 x 50000.
  std::string ihdr = "IHDR" + be32(50000) + be32(50000) + std::string("\x08\x02\x00\x00\x00", 5);
  std::string png = "\x89PNG\r\n\x1A\n" + be32(13) + ihdr + be32(crc32(ihdr));
  e = decode_error(png);
  CHECK(e.code == Errc::resource_exhausted);
  CHECK(e.detail.starts_with("png: 50000x50000 exceeds"));

  // The 128x128 JPEG with its frame header patched to 60000 x 60000.
  std::string jpeg = test::read_data_file("photos/square-128x128.jpg");
  size_t sof = std::string::npos;
  for (size_t i = 2; i + 9 < jpeg.size(); ++i)
    if (jpeg[i] == '\xFF' && (jpeg[i + 1] == '\xC0' || jpeg[i + 1] == '\xC2')) {
      sof = i;
      break;
    }
  REQUIRE(sof != std::string::npos);
  jpeg[sof + 5] = '\xEA', jpeg[sof + 6] = '\x60', jpeg[sof + 7] = '\xEA', jpeg[sof + 8] = '\x60';
  e = decode_error(jpeg);
  CHECK(e.code == Errc::resource_exhausted);
  CHECK(e.detail.starts_with("jpeg: 60000x60000 exceeds"));

  // Limits apply to real images too.
  ImageLimits small;
  small.max_pixels = 128 * 127;
  for (const char* fixture : {"photos/square-128x128.jpg", "pdq/formats/square.png", "pdq/formats/square.gif",
                              "pdq/formats/square-lossy.webp", "pdq/formats/square-24.bmp"}) {
    CAPTURE(fixture);
    CHECK(decode_error(test::read_data_file(fixture), small).code == Errc::resource_exhausted);
  }
  small = {};
  small.max_width = 100;
  CHECK(decode_error(test::read_data_file("pdq/formats/square.png"), small).code == Errc::resource_exhausted);
}

TEST_CASE("ImageDecode: BMP sizes are checked against the bytes") {
  // 2x2 24-bit: rows of 6 bytes padded to 8.
  auto image = decode_image(as_span(bmp(2, 2, 24, 16)));
  REQUIRE(image.ok());
  CHECK(image->rgb == std::vector<uint8_t>(12, 0x7f));
  CHECK(decode_error(bmp(2, 2, 24, 15)).detail.find("runs past the end") != std::string::npos);
  CHECK(decode_error(bmp(2, 2, 24, 0)).code == Errc::data_loss);
  CHECK(decode_error(bmp(0, 2, 24, 16)).code == Errc::data_loss);
  CHECK(decode_error(bmp(2, INT32_MIN, 24, 16)).code == Errc::data_loss);
  CHECK(decode_error(bmp(2, 2, 16, 16)).code == Errc::unimplemented);
  CHECK(decode_error(bmp(2, 2, 8, 16, 1)).code == Errc::unimplemented);  // RLE8
  CHECK(decode_error(bmp(2, 2, 8, 8)).detail == "bmp: truncated palette");  // 256 colours need 1024 bytes
  std::string header_only = bmp(2, 2, 24, 16).substr(0, 30);
  CHECK(decode_error(header_only).code == Errc::data_loss);
  // Pixel offset past the end of the file.
  std::string far = bmp(2, 2, 24, 16);
  far.replace(10, 4, le32(0xFFFFFFF0u));
  CHECK(decode_error(far).code == Errc::data_loss);
}

TEST_CASE("ImageDecode: random bytes, alone or after a magic, never crash") {
  CHECK(decode_error("").code == Errc::unimplemented);
  CHECK(decode_error("just some text").detail == "not a JPEG, PNG, GIF, WebP or BMP image");
  std::mt19937 random(20240601);
  const std::array<std::string, 6> magics = {"", "\xFF\xD8\xFF", "\x89PNG\r\n\x1A\n", "GIF89a",
                                             std::string("RIFF\x10\x00\x00\x00WEBP", 12), "BM"};
  for (int round = 0; round < 200; ++round) {
    std::string bytes = magics[round % magics.size()];
    const size_t n = random() % 300;
    for (size_t i = 0; i < n; ++i) bytes += static_cast<char>(random());
    auto image = decode_image(as_span(bytes));
    if (image.ok()) CHECK(image->rgb.size() == size_t{image->width} * image->height * 3);
  }
}

}  // namespace trawl::formats
