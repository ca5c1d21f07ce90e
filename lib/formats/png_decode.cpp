// PNG through libpng's classic API. libpng reports errors by longjmp to
// png_jmpbuf(); as in jpeg_decode.cpp, everything a jump may skip lives in
// one heap context reached through an unchanging pointer.
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include <png.h>

#include "formats/image_decode.hpp"

namespace trawl::formats {
namespace {

struct PngContext {
  png_structp png = nullptr;
  png_infop info = nullptr;
  std::span<const std::byte> bytes;
  size_t offset = 0;
  char message[200] = {};
  RgbImage image;
  std::vector<png_bytep> rows;

  ~PngContext() { png_destroy_read_struct(&png, info ? &info : nullptr, nullptr); }
};

void on_error(png_structp png, png_const_charp message) {
  auto* context = static_cast<PngContext*>(png_get_error_ptr(png));
  std::snprintf(context->message, sizeof context->message, "%s", message ? message : "unknown error");
  png_longjmp(png, 1);
}

void on_warning(png_structp, png_const_charp) {}  // benign: bad ancillary chunk CRCs, unknown sRGB profiles...

void on_read(png_structp png, png_bytep out, png_size_t length) {
  auto* context = static_cast<PngContext*>(png_get_io_ptr(png));
  const size_t left = context->bytes.size() - context->offset;
  if (length > left) png_error(png, "truncated PNG data");
  std::memcpy(out, context->bytes.data() + context->offset, length);
  context->offset += length;
}

/// Returns false after a libpng error (message in `context`).
bool run_decoder(PngContext* const context, const ImageLimits& limits, Error* const refusal) {
  if (setjmp(png_jmpbuf(context->png)) != 0) return false;
  png_structp const png = context->png;
  png_infop const info = context->info;
  png_set_read_fn(png, context, on_read);
  png_set_user_limits(png, limits.max_width, limits.max_height);
  png_set_chunk_malloc_max(png, 8u << 20);  // ancillary chunks (iCCP, zTXt) decompress into at most 8 MiB
  png_read_info(png, info);
  const png_uint_32 width = png_get_image_width(png, info);
  const png_uint_32 height = png_get_image_height(png, info);
  if (Status size = check_image_size(width, height, limits, "png"); !size) {
    *refusal = size.error();
    return true;
  }
  const int color = png_get_color_type(png, info);
  png_set_expand(png);  // palette -> RGB, grey < 8 bits -> 8 bits, tRNS -> alpha
  png_set_strip_16(png);
  png_set_strip_alpha(png);
  if (color == PNG_COLOR_TYPE_GRAY || color == PNG_COLOR_TYPE_GRAY_ALPHA) png_set_gray_to_rgb(png);
  png_set_interlace_handling(png);
  png_read_update_info(png, info);
  if (png_get_channels(png, info) != 3 || png_get_bit_depth(png, info) != 8 ||
      png_get_rowbytes(png, info) != static_cast<size_t>(width) * 3) {
    std::snprintf(context->message, sizeof context->message, "unexpected pixel layout after conversion");
    return false;
  }
  {  // scoped: nothing with a destructor may be alive when libpng longjmps
    auto image = allocate_image(width, height);
    if (!image) {
      *refusal = image.error();
      return true;
    }
    context->image = std::move(*image);
  }
  context->rows.resize(height);
  for (png_uint_32 y = 0; y < height; ++y) context->rows[y] = context->image.rgb.data() + static_cast<size_t>(y) * width * 3;
  // Every pixel is in once png_read_image returns; the chunks after the
  // image data are not read, so a file cut just before IEND still decodes.
  png_read_image(png, context->rows.data());
  return true;
}

}  // namespace

Result<RgbImage> decode_png(std::span<const std::byte> bytes, const ImageLimits& limits) {
  // png_read_info reads every chunk up to the image data, so a bomb's
  // dimensions are checked here, straight from IHDR (always the first chunk).
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  if (bytes.size() >= 24 && std::memcmp(p + 12, "IHDR", 4) == 0) {
    auto be32 = [](const uint8_t* q) { return uint32_t{q[0]} << 24 | q[1] << 16 | q[2] << 8 | q[3]; };
    if (Status size = check_image_size(be32(p + 16), be32(p + 20), limits, "png"); !size) return size.error();
  }
  auto context = std::make_unique<PngContext>();
  context->bytes = bytes;
  context->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, context.get(), on_error, on_warning);
  if (context->png) context->info = png_create_info_struct(context->png);
  if (!context->png || !context->info) return make_error(Errc::resource_exhausted, "png: cannot create a decoder");
  Error refusal{Errc::internal, ""};
  if (!run_decoder(context.get(), limits, &refusal)) return make_error(Errc::data_loss, std::string("png: ") + context->message);
  if (!refusal.detail.empty()) return refusal;
  return std::move(context->image);
}

}  // namespace trawl::formats
