// Writes the format fixtures of tests/data/pdq/formats/ from
// tests/data/photos/square-128x128.jpg (run by hand; outputs are committed):
//   g++ -std=c++20 -I lib tests/data/pdq/formats/make-formats.cpp lib/formats/*.cpp lib/core/result.cpp \
//       -ljpeg -lpng -lgif -lwebp -o /tmp/make-formats && /tmp/make-formats tests/data/pdq/formats
// Every file holds the pixels trawl's own JPEG decoder gives for the photo:
// exactly (PNG, lossless WebP, 24/32-bit BMP) or quantized to a 6x7x6 colour
// cube (GIF, 8-bit BMP), or lossy-compressed (lossy WebP).
#include <gif_lib.h>
#include <png.h>
#include <webp/encode.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "formats/image_decode.hpp"

using trawl::formats::RgbImage;

static void save(const std::string& path, const void* data, size_t size) {
  std::ofstream(path, std::ios::binary).write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
}

static uint8_t cube_index(const uint8_t* p) { return static_cast<uint8_t>((p[0] * 6 / 256) * 42 + (p[1] * 7 / 256) * 6 + p[2] * 6 / 256); }
static void cube_colour(int i, uint8_t* out) {
  out[0] = static_cast<uint8_t>((i / 42) * 255 / 5), out[1] = static_cast<uint8_t>((i / 6 % 7) * 255 / 6),
  out[2] = static_cast<uint8_t>((i % 6) * 255 / 5);
}

static void put16(std::string& s, uint32_t v) { s += char(v & 255), s += char(v >> 8 & 255); }
static void put32(std::string& s, uint32_t v) { put16(s, v & 0xFFFF), put16(s, v >> 16); }

static void write_bmp(const std::string& path, const RgbImage& im, int bits, bool top_down) {
  const uint32_t stride = (im.width * bits + 31) / 32 * 4;
  const uint32_t palette = bits == 8 ? 256 * 4 : 0;
  const uint32_t offset = 14 + 40 + palette;
  std::string s = "BM";
  put32(s, offset + stride * im.height), put32(s, 0), put32(s, offset);
  put32(s, 40), put32(s, im.width), put32(s, top_down ? -static_cast<int32_t>(im.height) : im.height);
  put16(s, 1), put16(s, bits), put32(s, 0), put32(s, stride * im.height), put32(s, 2835), put32(s, 2835);
  put32(s, 0), put32(s, 0);
  for (uint32_t i = 0; i < palette / 4; ++i) {
    uint8_t c[3];
    cube_colour(static_cast<int>(i), c);
    s += char(c[2]), s += char(c[1]), s += char(c[0]), s += char(0);
  }
  for (uint32_t r = 0; r < im.height; ++r) {
    const uint32_t y = top_down ? r : im.height - 1 - r;
    std::string row;
    for (uint32_t x = 0; x < im.width; ++x) {
      const uint8_t* p = &im.rgb[(y * im.width + x) * 3];
      if (bits == 8) row += char(cube_index(p));
      else row += char(p[2]), row += char(p[1]), row += char(p[0]);
      if (bits == 32) row += char(0xFF);
    }
    row.resize(stride, '\0');
    s += row;
  }
  save(path, s.data(), s.size());
}

static void write_png(const std::string& path, const RgbImage& im) {
  FILE* f = std::fopen(path.c_str(), "wb");
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  png_init_io(png, f);
  png_set_IHDR(png, info, im.width, im.height, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_ADAM7, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  std::vector<png_bytep> rows(im.height);
  for (uint32_t y = 0; y < im.height; ++y) rows[y] = const_cast<png_bytep>(&im.rgb[y * im.width * 3]);
  png_set_rows(png, info, rows.data());
  png_write_png(png, info, PNG_TRANSFORM_IDENTITY, nullptr);
  png_destroy_write_struct(&png, &info);
  std::fclose(f);
}

static void write_gif(const std::string& path, const RgbImage& im) {
  int error = 0;
  GifFileType* gif = EGifOpenFileName(path.c_str(), false, &error);
  GifColorType colours[256] = {};
  for (int i = 0; i < 252; ++i) {
    uint8_t c[3];
    cube_colour(i, c);
    colours[i] = {c[0], c[1], c[2]};
  }
  ColorMapObject* map = GifMakeMapObject(256, colours);
  EGifPutScreenDesc(gif, static_cast<int>(im.width), static_cast<int>(im.height), 8, 0, map);
  EGifPutImageDesc(gif, 0, 0, static_cast<int>(im.width), static_cast<int>(im.height), false, nullptr);
  std::vector<GifPixelType> line(im.width);
  for (uint32_t y = 0; y < im.height; ++y) {
    for (uint32_t x = 0; x < im.width; ++x) line[x] = cube_index(&im.rgb[(y * im.width + x) * 3]);
    EGifPutLine(gif, line.data(), static_cast<int>(im.width));
  }
  EGifCloseFile(gif, &error);
  GifFreeMapObject(map);
}

int main(int argc, char** argv) {
  const std::string out = argc > 1 ? argv[1] : ".";
  std::ifstream in("tests/data/photos/square-128x128.jpg", std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  const std::string bytes = text.str();
  auto image = trawl::formats::decode_image(std::as_bytes(std::span(bytes.data(), bytes.size())));
  if (!image) return std::cerr << image.error().detail << "\n", 1;
  const RgbImage& im = *image;
  write_png(out + "/square.png", im);
  write_gif(out + "/square.gif", im);
  write_bmp(out + "/square-24.bmp", im, 24, false);
  write_bmp(out + "/square-32-top-down.bmp", im, 32, true);
  write_bmp(out + "/square-8.bmp", im, 8, false);
  uint8_t* webp = nullptr;
  size_t size = WebPEncodeLosslessRGB(im.rgb.data(), static_cast<int>(im.width), static_cast<int>(im.height),
                                      static_cast<int>(im.width * 3), &webp);
  save(out + "/square-lossless.webp", webp, size);
  WebPFree(webp);
  size = WebPEncodeRGB(im.rgb.data(), static_cast<int>(im.width), static_cast<int>(im.height),
                       static_cast<int>(im.width * 3), 80, &webp);
  save(out + "/square-lossy.webp", webp, size);
  WebPFree(webp);
  return 0;
}
