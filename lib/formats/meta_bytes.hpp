#pragma once
// Small helpers shared by the image metadata parsers (tiff_meta, jpeg_meta,
// png_meta, gif_meta, webp_meta, photoshop_meta): checked integer reads,
// text decoding, EXIF date conversion, and appending a field under the
// per-item field limit. Internal to lib/formats.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "formats/meta_field.hpp"

namespace trawl::formats::meta {

using Bytes = std::span<const uint8_t>;

/// True when [offset, offset + length) lies inside `size` bytes (overflow-safe).
inline bool fits(uint64_t size, uint64_t offset, uint64_t length) { return offset <= size && length <= size - offset; }

/// Unchecked reads: callers check `fits` first.
inline uint16_t be16(Bytes b, size_t at) { return static_cast<uint16_t>(b[at] << 8 | b[at + 1]); }
inline uint32_t be32(Bytes b, size_t at) {
  return uint32_t{b[at]} << 24 | uint32_t{b[at + 1]} << 16 | uint32_t{b[at + 2]} << 8 | b[at + 3];
}
inline uint16_t le16(Bytes b, size_t at) { return static_cast<uint16_t>(b[at] | b[at + 1] << 8); }
inline uint32_t le32(Bytes b, size_t at) {
  return uint32_t{b[at]} | uint32_t{b[at + 1]} << 8 | uint32_t{b[at + 2]} << 16 | uint32_t{b[at + 3]} << 24;
}

inline std::string_view as_text(Bytes b) { return {reinterpret_cast<const char*>(b.data()), b.size()}; }
inline bool starts_with(Bytes b, std::string_view prefix) {
  return b.size() >= prefix.size() && as_text(b.first(prefix.size())) == prefix;
}

std::string latin1_to_utf8(std::string_view bytes);
/// Text of unknown charset: kept when valid UTF-8, read as Latin-1 otherwise.
std::string utf8_or_latin1(std::string_view bytes);
/// UCS-2/UTF-16 little-endian to UTF-8 (stops at a NUL code unit; lone
/// surrogates become U+FFFD).
std::string utf16le_to_utf8(Bytes b);
std::string utf16be_to_utf8(Bytes b);
/// Cuts at the first NUL and trims trailing spaces (EXIF ASCII values).
std::string_view trim_c_string(std::string_view text);

/// "2023:03:11 10:10:07" -> "2023-03-11T10:10:07"; nullopt for all-zero,
/// blank, malformed or impossible dates and times.
std::optional<std::string> exif_date_to_iso(std::string_view text);
/// "2023:03:11" (or "2023-03-11", "20230311") -> "2023-03-11"; nullopt when impossible.
std::optional<std::string> date_only_to_iso(std::string_view text);
/// "+01:00" / "-05:30" / "Z": a well-formed UTC offset.
bool is_utc_offset(std::string_view text);

const MetaLimits& limits_of(const MetaContext& ctx);

/// Appends a field unless the per-item field limit was reached (then one
/// warning is added, once).
void add_field(MetaFields& out, MetaOutcome& outcome, const MetaContext& ctx, MetaField field);

/// Records an XMP packet found at `offset_in_span` (relative to ctx.base):
/// XMP is handed on whole for the XMP parser rather than parsed in place.
/// The block is returned so a caller can attach bytes it had to decode.
EmbeddedBlock& add_xmp_block(MetaOutcome& outcome, const MetaContext& ctx, const std::string& segment,
                             uint64_t offset_in_span, uint64_t length);

/// A field with its name, value, path (ctx.path_of(segment)) and item offset
/// (ctx.base + offset_in_span).
MetaField make_field(const MetaContext& ctx, std::string group, std::string tag, MetaValue value,
                     const std::string& segment, uint64_t offset_in_span);

/// "%.10g"-style number text without trailing zeros (ExifTool's rounding of
/// rationals in -n output).
std::string number_text(double value);

}  // namespace trawl::formats::meta
