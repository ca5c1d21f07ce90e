#include "formats/doc_meta_support.hpp"

#include <algorithm>

#include "core/hex.hpp"
#include "core/utf8.hpp"

namespace trawl::formats::docmeta {

const MetaLimits& limits_of(const MetaContext& ctx) {
  static const MetaLimits defaults;
  return ctx.limits != nullptr ? *ctx.limits : defaults;
}

std::string camel_case_tag(std::string_view name, std::string_view extra_word_chars) {
  std::string tag;
  bool upper = true;
  for (char c : name) {
    const bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      extra_word_chars.find(c) != std::string_view::npos;
    if (!word) {
      upper = true;
      continue;
    }
    tag.push_back(upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c);
    upper = false;
  }
  return tag.empty() ? "Unknown" : tag;
}

bool utf16_to_utf8(std::span<const uint8_t> bytes, bool little_endian, std::string& out) {
  out.clear();
  if (bytes.size() % 2 != 0) return false;
  const size_t units = bytes.size() / 2;
  auto unit = [&](size_t i) -> uint32_t {
    return little_endian ? le16(bytes.data() + 2 * i) : be16(bytes.data() + 2 * i);
  };
  for (size_t i = 0; i < units; ++i) {
    uint32_t u = unit(i);
    if (u == 0) break;  // terminator: property strings carry one, sometimes followed by padding
    if (u >= 0xD800 && u <= 0xDBFF) {
      if (i + 1 >= units) return false;
      const uint32_t low = unit(i + 1);
      if (low < 0xDC00 || low > 0xDFFF) return false;
      u = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00);
      ++i;
    } else if (u >= 0xDC00 && u <= 0xDFFF) {
      return false;
    }
    append_utf8(out, u);
  }
  return true;
}

std::string cp1252_to_utf8(std::span<const uint8_t> bytes) {
  // 0x80..0x9F of Windows-1252; 0 marks the five undefined bytes (kept as C1).
  static const uint16_t high[32] = {0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
                                    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};
  std::string out;
  for (uint8_t b : bytes) {
    if (b == 0) break;
    if (b >= 0x80 && b <= 0x9F && high[b - 0x80] != 0)
      append_utf8(out, high[b - 0x80]);
    else
      append_utf8(out, b);
  }
  return out;
}

MetaField* FieldSink::add(std::string group, std::string tag, MetaValue value, const std::string& segment,
                          std::optional<uint64_t> offset, unsigned revision) {
  if (full()) {
    if (!warned_) outcome_.warnings.push_back("field limit reached; further fields dropped");
    warned_ = true;
    return nullptr;
  }
  MetaField f;
  f.group = std::move(group);
  f.tag = std::move(tag);
  f.value = std::move(value);
  f.path = ctx_.path_of(segment);
  if (offset) f.offset = ctx_.base + *offset;
  f.revision = revision != 0 ? revision : ctx_.revision;
  out_.push_back(std::move(f));
  return &out_.back();
}

MetaField* FieldSink::add_invalid(std::string group, std::string tag, std::string why,
                                  std::span<const uint8_t> bytes, const std::string& segment,
                                  std::optional<uint64_t> offset, unsigned revision) {
  MetaField* f = add(std::move(group), std::move(tag), std::move(why), segment, offset, revision);
  if (f != nullptr) {
    f->invalid = true;
    f->raw_hex = hex_lower(bytes, kMaxRawBytes);
  }
  return f;
}

}  // namespace trawl::formats::docmeta
