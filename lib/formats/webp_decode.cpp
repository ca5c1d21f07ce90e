// WebP through libwebp's simple decoder: still images (lossy, lossless,
// with alpha). Animated WebP needs the demux library and is refused.
#include <string>

#include <webp/decode.h>

#include "formats/image_decode.hpp"

namespace trawl::formats {
namespace {

const char* status_text(VP8StatusCode status) {
  switch (status) {
    case VP8_STATUS_OK: return "ok";
    case VP8_STATUS_OUT_OF_MEMORY: return "out of memory";
    case VP8_STATUS_INVALID_PARAM: return "invalid parameter";
    case VP8_STATUS_BITSTREAM_ERROR: return "bitstream error";
    case VP8_STATUS_UNSUPPORTED_FEATURE: return "unsupported feature";
    case VP8_STATUS_SUSPENDED: return "suspended";
    case VP8_STATUS_USER_ABORT: return "aborted";
    case VP8_STATUS_NOT_ENOUGH_DATA: return "truncated data";
  }
  return "unknown error";
}

}  // namespace

Result<RgbImage> decode_webp(std::span<const std::byte> bytes, const ImageLimits& limits) {
  const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
  WebPBitstreamFeatures features{};
  if (VP8StatusCode status = WebPGetFeatures(data, bytes.size(), &features); status != VP8_STATUS_OK)
    return make_error(status == VP8_STATUS_UNSUPPORTED_FEATURE ? Errc::unimplemented : Errc::data_loss,
                      std::string("webp: ") + status_text(status));
  if (features.has_animation) return make_error(Errc::unimplemented, "webp: animated WebP is not supported");
  if (Status size = check_image_size(features.width > 0 ? features.width : 0, features.height > 0 ? features.height : 0,
                                     limits, "webp");
      !size)
    return size.error();
  auto image = allocate_image(static_cast<uint32_t>(features.width), static_cast<uint32_t>(features.height));
  if (!image) return image.error();
  const int stride = features.width * 3;
  if (WebPDecodeRGBInto(data, bytes.size(), image->rgb.data(), image->rgb.size(), stride) == nullptr)
    return make_error(Errc::data_loss, "webp: corrupt or truncated image data");
  return image;
}

}  // namespace trawl::formats
