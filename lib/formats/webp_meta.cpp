#include "formats/webp_meta.hpp"

#include <string>

#include "formats/meta_bytes.hpp"
#include "formats/tiff_meta.hpp"

namespace trawl::formats {

void parse_webp_meta(std::span<const uint8_t> webp, const MetaContext& ctx, MetaFields& out, MetaOutcome& outcome) {
  using meta::fits;
  auto warn = [&](const std::string& text) { outcome.warnings.push_back(ctx.path_of("WebP") + ": " + text); };
  if (webp.size() < 12 || !meta::starts_with(webp, "RIFF") || meta::as_text(webp.subspan(8, 4)) != "WEBP") {
    warn("no RIFF WEBP header");
    return;
  }
  const uint64_t riff_end = uint64_t{meta::le32(webp, 4)} + 8;
  if (riff_end > webp.size()) warn("RIFF size " + std::to_string(riff_end) + " exceeds the " + std::to_string(webp.size()) + " bytes present");
  const size_t end = static_cast<size_t>(std::min<uint64_t>(riff_end, webp.size()));
  bool have_size = false;
  auto size_fields = [&](uint32_t w, uint32_t h, const std::string& chunk, size_t at) {
    if (have_size) return;
    have_size = true;
    meta::add_field(out, outcome, ctx, meta::make_field(ctx, "RIFF", "ImageWidth", int64_t{w}, chunk, at));
    meta::add_field(out, outcome, ctx, meta::make_field(ctx, "RIFF", "ImageHeight", int64_t{h}, chunk, at));
  };
  size_t at = 12;
  uint32_t chunks = 0;
  while (at + 8 <= end) {
    if (++chunks > meta::limits_of(ctx).max_entries) {
      warn("too many chunks");
      return;
    }
    const std::string fourcc(meta::as_text(webp.subspan(at, 4)));
    const uint32_t size = meta::le32(webp, at + 4);
    const size_t data_at = at + 8;
    if (!fits(end, data_at, size)) {
      warn("chunk " + fourcc + " of " + std::to_string(size) + " bytes at offset " + std::to_string(ctx.base + at) +
           " runs past the end");
      return;
    }
    const auto body = webp.subspan(data_at, size);
    if (fourcc == "EXIF") {
      const size_t skip = meta::starts_with(body, std::string_view("Exif\0\0", 6)) ? 6 : 0;
      parse_tiff_meta(body.subspan(skip), ctx.nested("EXIF", data_at + skip), out, outcome);
    } else if (fourcc == "XMP ") {
      meta::add_xmp_block(outcome, ctx, "XMP ", data_at, size);
    } else if (fourcc == "VP8X" && size >= 10) {
      const uint32_t w = (body[4] | body[5] << 8 | body[6] << 16) + 1u;
      const uint32_t h = (body[7] | body[8] << 8 | body[9] << 16) + 1u;
      size_fields(w, h, fourcc, data_at + 4);
    } else if (fourcc == "VP8 " && size >= 10 && body[3] == 0x9D && body[4] == 0x01 && body[5] == 0x2A) {
      size_fields(meta::le16(body, 6) & 0x3FFFu, meta::le16(body, 8) & 0x3FFFu, "VP8", data_at + 6);
    } else if (fourcc == "VP8L" && size >= 5 && body[0] == 0x2F) {
      const uint32_t bits = meta::le32(body, 1);
      size_fields((bits & 0x3FFFu) + 1, ((bits >> 14) & 0x3FFFu) + 1, fourcc, data_at + 1);
    }
    at = data_at + size + (size & 1);
  }
}

}  // namespace trawl::formats
