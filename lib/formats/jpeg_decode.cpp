// JPEG through libjpeg(-turbo). libjpeg reports fatal errors by calling
// error_exit, whose default prints and exit()s: ours longjmps back to
// decode_jpeg instead. All state a longjmp may skip over lives in one heap
// context reached through an unchanging pointer, so nothing with a
// destructor is jumped across and no local is modified after setjmp.
#include <csetjmp>
#include <cstdio>
#include <memory>
#include <string>

#include <jpeglib.h>
#include <jerror.h>  // message codes (JWRN_JPEG_EOF)

#include "formats/image_decode.hpp"

namespace trawl::formats {
namespace {

struct JpegContext {
  jpeg_decompress_struct info{};
  jpeg_error_mgr errors{};
  jpeg_progress_mgr progress{};
  std::jmp_buf jump{};
  char message[JMSG_LENGTH_MAX] = {};
  Errc code = Errc::data_loss;
  uint32_t max_scans = 0;
  bool created = false;
  RgbImage image;
  std::vector<uint8_t> row;  // CMYK rows before conversion

  ~JpegContext() {
    if (created) jpeg_destroy_decompress(&info);
  }
};

JpegContext* context_of(j_common_ptr info) { return static_cast<JpegContext*>(info->client_data); }

[[noreturn]] void on_error(j_common_ptr info) {
  JpegContext* context = context_of(info);
  (*info->err->format_message)(info, context->message);
  std::longjmp(context->jump, 1);
}

void on_message(j_common_ptr info, int level) {
  // Warnings (level -1) are mostly harmless ("extraneous bytes before
  // marker"), but running out of data means the rest of the picture is grey
  // padding: a hash of that would be a hash of a different image.
  if (level == -1 && info->err->msg_code == JWRN_JPEG_EOF) {
    JpegContext* context = context_of(info);
    std::snprintf(context->message, sizeof context->message, "truncated JPEG data");
    std::longjmp(context->jump, 1);
  }
}

void on_progress(j_common_ptr info) {
  JpegContext* context = context_of(info);
  if (info->is_decompressor) {
    auto* decompress = reinterpret_cast<j_decompress_ptr>(info);
    if (static_cast<uint32_t>(decompress->input_scan_number) > context->max_scans) {
      std::snprintf(context->message, sizeof context->message, "more than %u progressive scans", context->max_scans);
      context->code = Errc::resource_exhausted;
      std::longjmp(context->jump, 1);
    }
  }
}

/// Adobe-style CMYK (stored inverted, as Photoshop writes it) to RGB.
void cmyk_to_rgb(const uint8_t* cmyk, uint8_t* rgb, uint32_t width, bool inverted) {
  for (uint32_t x = 0; x < width; ++x, cmyk += 4, rgb += 3) {
    unsigned c = cmyk[0], m = cmyk[1], y = cmyk[2], k = cmyk[3];
    if (!inverted) c = 255 - c, m = 255 - m, y = 255 - y, k = 255 - k;
    rgb[0] = static_cast<uint8_t>(c * k / 255);
    rgb[1] = static_cast<uint8_t>(m * k / 255);
    rgb[2] = static_cast<uint8_t>(y * k / 255);
  }
}

/// Runs the decoder; returns false after a longjmp with the message in `context`.
/// Only `context` (never reassigned) is touched across the setjmp.
bool run_decoder(JpegContext* const context, std::span<const std::byte> bytes, const ImageLimits& limits,
                 Error* const refusal) {
  jpeg_decompress_struct* const info = &context->info;
  info->err = jpeg_std_error(&context->errors);
  context->errors.error_exit = on_error;
  context->errors.emit_message = on_message;
  info->client_data = context;
  if (setjmp(context->jump) != 0) return false;
  jpeg_create_decompress(info);
  context->created = true;
  info->mem->max_memory_to_use = static_cast<long>(limits.max_decoder_bytes);
  context->progress.progress_monitor = on_progress;
  info->progress = &context->progress;
  jpeg_mem_src(info, reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<unsigned long>(bytes.size()));
  jpeg_read_header(info, TRUE);
  if (Status size = check_image_size(info->image_width, info->image_height, limits, "jpeg"); !size) {
    *refusal = size.error();
    return true;
  }  // `size` is gone before the next libjpeg call
  const bool cmyk = info->jpeg_color_space == JCS_CMYK || info->jpeg_color_space == JCS_YCCK;
  info->out_color_space = cmyk ? JCS_CMYK : JCS_RGB;
  jpeg_start_decompress(info);
  if (info->output_components != (cmyk ? 4 : 3)) {
    std::snprintf(context->message, sizeof context->message, "unexpected %d output components", info->output_components);
    return false;
  }
  {  // scoped: nothing with a destructor may be alive when libjpeg longjmps
    auto image = allocate_image(info->output_width, info->output_height);
    if (!image) {
      *refusal = image.error();
      return true;
    }
    context->image = std::move(*image);
  }
  if (cmyk) context->row.resize(static_cast<size_t>(info->output_width) * 4);
  const size_t stride = static_cast<size_t>(info->output_width) * 3;
  while (info->output_scanline < info->output_height) {
    uint8_t* const out = context->image.rgb.data() + stride * info->output_scanline;
    JSAMPROW row = cmyk ? context->row.data() : out;
    if (jpeg_read_scanlines(info, &row, 1) != 1) {
      std::snprintf(context->message, sizeof context->message, "no scanline decoded");
      return false;
    }
    if (cmyk) cmyk_to_rgb(context->row.data(), out, info->output_width, info->saw_Adobe_marker);
  }
  jpeg_finish_decompress(info);
  return true;
}

}  // namespace

Result<RgbImage> decode_jpeg(std::span<const std::byte> bytes, const ImageLimits& limits) {
  if (bytes.empty()) return make_error(Errc::data_loss, "jpeg: no data");
  auto context = std::make_unique<JpegContext>();
  context->max_scans = limits.max_jpeg_scans;
  Error refusal{Errc::internal, ""};
  if (!run_decoder(context.get(), bytes, limits, &refusal))
    return make_error(context->code, std::string("jpeg: ") + context->message);
  if (!refusal.detail.empty()) return refusal;
  return std::move(context->image);
}

}  // namespace trawl::formats
