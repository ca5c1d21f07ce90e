#pragma once
// Still-image decoding for perceptual hashing: JPEG, PNG, GIF (first frame),
// WebP and BMP bytes in, 8-bit RGB pixels out. Pure functions over a byte
// span; the format comes from the magic bytes, never a file name. Each
// third-party decoder lives in its own adapter file (jpeg_decode.cpp,
// png_decode.cpp, gif_decode.cpp, webp_decode.cpp); BMP is parsed here by
// hand (bmp_decode.cpp). Bad input gives an Error: nothing throws, aborts or
// allocates more than the limits allow.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/result.hpp"

namespace trawl::formats {

/// Decoded pixels: `rgb` holds width * height * 3 bytes, rows top to bottom,
/// R G B per pixel. Alpha is dropped (as PIL's convert("RGB") does), greyscale
/// and palette images are expanded, CMYK JPEGs converted.
struct RgbImage {
  uint32_t width = 0;
  uint32_t height = 0;
  std::vector<uint8_t> rgb;
};

/// Refusals made from the header, before the pixel buffer is allocated, so a
/// small file claiming a huge canvas (a decompression bomb) costs nothing.
struct ImageLimits {
  uint64_t max_pixels = 100'000'000;  ///< width * height
  uint32_t max_width = 65535;
  uint32_t max_height = 65535;
  /// Working memory a decoder may use beyond the output (libjpeg's
  /// max_memory_to_use: progressive coefficient buffers, for one).
  uint64_t max_decoder_bytes = 1ull << 30;
  /// Progressive JPEG scans; thousands of tiny scans make decoding quadratic.
  uint32_t max_jpeg_scans = 500;
};

enum class ImageFormat { unknown, jpeg, png, gif, webp, bmp };

/// Stable lower-case name ("jpeg", "png", "gif", "webp", "bmp", "unknown").
const char* image_format_name(ImageFormat format);

/// The format the leading magic bytes announce, or unknown.
ImageFormat detect_image_format(std::span<const std::byte> bytes);

/// Decodes `bytes` as the format its magic announces. Errors: unimplemented
/// (not a supported image format, or a variant such as animated WebP or RLE
/// BMP), resource_exhausted (a limit refused the header's dimensions, or
/// memory ran out), data_loss (corrupt or truncated data), with a detail
/// naming the format.
Result<RgbImage> decode_image(std::span<const std::byte> bytes, const ImageLimits& limits = {});

/// The per-format decoders decode_image dispatches to; each expects its own
/// format and fails with data_loss on anything else.
Result<RgbImage> decode_jpeg(std::span<const std::byte> bytes, const ImageLimits& limits);
Result<RgbImage> decode_png(std::span<const std::byte> bytes, const ImageLimits& limits);
Result<RgbImage> decode_gif(std::span<const std::byte> bytes, const ImageLimits& limits);
Result<RgbImage> decode_webp(std::span<const std::byte> bytes, const ImageLimits& limits);
Result<RgbImage> decode_bmp(std::span<const std::byte> bytes, const ImageLimits& limits);

/// Checks header dimensions against `limits` before anything is allocated:
/// data_loss for a zero side, resource_exhausted past a limit. `format` names
/// the format in the message.
Status check_image_size(uint64_t width, uint64_t height, const ImageLimits& limits, const char* format);

/// An image of the checked size with its pixel buffer allocated (zeroed), or
/// resource_exhausted when the allocation fails.
Result<RgbImage> allocate_image(uint32_t width, uint32_t height);

}  // namespace trawl::formats
