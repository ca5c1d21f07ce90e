#include "formats/image_decode.hpp"

#include <cstring>
#include <new>
#include <string>

namespace trawl::formats {
namespace {

bool starts_with(std::span<const std::byte> bytes, const char* magic, size_t length, size_t at = 0) {
  return bytes.size() >= at + length && std::memcmp(bytes.data() + at, magic, length) == 0;
}

}  // namespace

const char* image_format_name(ImageFormat format) {
  switch (format) {
    case ImageFormat::jpeg: return "jpeg";
    case ImageFormat::png: return "png";
    case ImageFormat::gif: return "gif";
    case ImageFormat::webp: return "webp";
    case ImageFormat::bmp: return "bmp";
    case ImageFormat::unknown: break;
  }
  return "unknown";
}

ImageFormat detect_image_format(std::span<const std::byte> bytes) {
  if (starts_with(bytes, "\xFF\xD8\xFF", 3)) return ImageFormat::jpeg;
  if (starts_with(bytes, "\x89PNG\r\n\x1A\n", 8)) return ImageFormat::png;
  if (starts_with(bytes, "GIF87a", 6) || starts_with(bytes, "GIF89a", 6)) return ImageFormat::gif;
  if (starts_with(bytes, "RIFF", 4) && starts_with(bytes, "WEBP", 4, 8)) return ImageFormat::webp;
  // "BM" alone is too weak (text starting "BM..."): require a plausible DIB header size too.
  if (starts_with(bytes, "BM", 2) && bytes.size() >= 18) {
    const auto* p = reinterpret_cast<const uint8_t*>(bytes.data()) + 14;
    const uint32_t header = p[0] | p[1] << 8 | p[2] << 16 | static_cast<uint32_t>(p[3]) << 24;
    if (header == 12 || header == 40 || header == 52 || header == 56 || header == 64 || header == 108 || header == 124)
      return ImageFormat::bmp;
  }
  return ImageFormat::unknown;
}

Status check_image_size(uint64_t width, uint64_t height, const ImageLimits& limits, const char* format) {
  const std::string size = std::to_string(width) + "x" + std::to_string(height);
  if (width == 0 || height == 0) return make_error(Errc::data_loss, std::string(format) + ": empty image (" + size + ")");
  if (width > limits.max_width || height > limits.max_height)
    return make_error(Errc::resource_exhausted, std::string(format) + ": " + size + " exceeds the dimension limit of " +
                                                    std::to_string(limits.max_width) + "x" +
                                                    std::to_string(limits.max_height));
  // Both sides are below 2^32 here, so the product cannot overflow.
  if (width * height > limits.max_pixels)
    return make_error(Errc::resource_exhausted, std::string(format) + ": " + size + " exceeds the limit of " +
                                                    std::to_string(limits.max_pixels) + " pixels");
  return ok_status();
}

Result<RgbImage> allocate_image(uint32_t width, uint32_t height) {
  RgbImage image;
  image.width = width;
  image.height = height;
  try {
    image.rgb.assign(static_cast<size_t>(width) * height * 3, 0);
  } catch (const std::bad_alloc&) {
    return make_error(Errc::resource_exhausted,
                      "cannot allocate " + std::to_string(width) + "x" + std::to_string(height) + " RGB pixels");
  }
  return image;
}

Result<RgbImage> decode_image(std::span<const std::byte> bytes, const ImageLimits& limits) {
  try {
    switch (detect_image_format(bytes)) {
      case ImageFormat::jpeg: return decode_jpeg(bytes, limits);
      case ImageFormat::png: return decode_png(bytes, limits);
      case ImageFormat::gif: return decode_gif(bytes, limits);
      case ImageFormat::webp: return decode_webp(bytes, limits);
      case ImageFormat::bmp: return decode_bmp(bytes, limits);
      case ImageFormat::unknown: break;
    }
  } catch (const std::bad_alloc&) {  // a decoder's own bookkeeping; the pixel buffer is caught in allocate_image
    return make_error(Errc::resource_exhausted, "out of memory while decoding an image");
  }
  return make_error(Errc::unimplemented, "not a JPEG, PNG, GIF, WebP or BMP image");
}

}  // namespace trawl::formats
