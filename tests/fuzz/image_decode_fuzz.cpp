// Fuzzes decode_image() over every format it detects (tests/data/pdq and
// tests/data/photos seed JPEG, PNG, GIF, WebP and BMP). Properties checked:
//  - it never crashes, hangs, leaks or allocates past the limits;
//  - a decoded image has sane dimensions within the limits and exactly
//    width * height * 3 bytes of pixels;
//  - hashing what was decoded (PDQ, all eight transforms) never crashes and
//    gives qualities in 0..100.
// Limits are small so that fuzzed headers cannot ask for gigabytes.
#include <cstddef>
#include <cstdint>
#include <span>

#include "formats/image_decode.hpp"
#include "hash/pdq.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  trawl::formats::ImageLimits limits;
  limits.max_pixels = 4'000'000;
  limits.max_width = 8192;
  limits.max_height = 8192;
  limits.max_decoder_bytes = 256u << 20;
  limits.max_jpeg_scans = 100;
  const auto bytes = std::as_bytes(std::span(data, size));
  auto image = trawl::formats::decode_image(bytes, limits);
  if (!image.ok()) {
    if (image.error().detail.empty()) __builtin_trap();
    return 0;
  }
  if (image->width == 0 || image->height == 0 || image->width > limits.max_width || image->height > limits.max_height)
    __builtin_trap();
  if (uint64_t{image->width} * image->height > limits.max_pixels) __builtin_trap();
  if (image->rgb.size() != size_t{image->width} * image->height * 3) __builtin_trap();
  for (const auto& hash : trawl::hash::pdq_hash_dihedral(*image))
    if (hash.quality < 0 || hash.quality > 100) __builtin_trap();
  return 0;
}
