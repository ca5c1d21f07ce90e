#pragma once
// Helpers shared by the document and video metadata parsers (PDF, OLE2,
// OOXML/ODF, ISO BMFF): text conversions to UTF-8, hex of raw bytes, and a
// field sink that honours MetaLimits::max_fields so no parser can flood a
// record. Not part of the public model; meta_field.hpp is.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "formats/meta_field.hpp"

namespace trawl::formats::docmeta {

/// The limits a context carries, or the defaults when it carries none.
const MetaLimits& limits_of(const MetaContext& ctx);

/// At most this many bytes of an undecodable value go into raw_hex, so a
/// huge invalid value cannot blow up a record.
inline constexpr size_t kMaxRawBytes = 256;

/// UTF-16 to UTF-8; false when the length is odd or a surrogate is unpaired.
/// A trailing NUL terminator (and anything after it) is dropped.
bool utf16_to_utf8(std::span<const uint8_t> bytes, bool little_endian, std::string& out);

/// Windows-1252 (and its Latin-1 subset) to UTF-8; a trailing NUL is dropped.
std::string cp1252_to_utf8(std::span<const uint8_t> bytes);

/// ExifTool's tag for a free-form property or key name: words of ASCII
/// letters and digits (plus any of `extra_word_chars`) joined with their
/// first letters upper-cased ("Case Number" -> "CaseNumber"); "Unknown"
/// when nothing is left.
std::string camel_case_tag(std::string_view name, std::string_view extra_word_chars = {});

/// Appends fields while the item's field budget lasts; one warning when it
/// runs out.
class FieldSink {
 public:
  FieldSink(const MetaContext& ctx, MetaFields& out, MetaOutcome& outcome)
      : ctx_(ctx), out_(out), outcome_(outcome), limit_(limits_of(ctx).max_fields) {}

  /// Adds group:tag with `value`; `segment` is appended to the context path,
  /// `offset` is relative to ctx.base (nullopt when unknown).
  MetaField* add(std::string group, std::string tag, MetaValue value, const std::string& segment,
                 std::optional<uint64_t> offset, unsigned revision = 0);
  /// Adds an undecodable value: `why` as the value, the bytes as raw_hex.
  MetaField* add_invalid(std::string group, std::string tag, std::string why, std::span<const uint8_t> bytes,
                         const std::string& segment, std::optional<uint64_t> offset, unsigned revision = 0);
  bool full() const { return out_.size() >= limit_; }
  MetaOutcome& outcome() { return outcome_; }
  const MetaContext& ctx() const { return ctx_; }

 private:
  const MetaContext& ctx_;
  MetaFields& out_;
  MetaOutcome& outcome_;
  uint64_t limit_;
  bool warned_ = false;
};

/// Fixed-width big/little-endian reads; the caller has checked the bounds.
inline uint16_t be16(const uint8_t* p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }
inline uint32_t be32(const uint8_t* p) {
  return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3];
}
inline uint64_t be64(const uint8_t* p) { return uint64_t{be32(p)} << 32 | be32(p + 4); }
inline uint16_t le16(const uint8_t* p) { return static_cast<uint16_t>(p[1] << 8 | p[0]); }
inline uint32_t le32(const uint8_t* p) {
  return uint32_t{p[3]} << 24 | uint32_t{p[2]} << 16 | uint32_t{p[1]} << 8 | p[0];
}
inline uint64_t le64(const uint8_t* p) { return uint64_t{le32(p + 4)} << 32 | le32(p); }

}  // namespace trawl::formats::docmeta
