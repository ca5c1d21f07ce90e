#include "formats/doc_meta_support.hpp"

#include <algorithm>

namespace trawl::formats::docmeta {

const MetaLimits& limits_of(const MetaContext& ctx) {
  static const MetaLimits defaults;
  return ctx.limits != nullptr ? *ctx.limits : defaults;
}

std::string hex_bytes(std::span<const uint8_t> bytes, size_t max_bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  const size_t n = std::min(bytes.size(), max_bytes);
  out.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    out.push_back(digits[bytes[i] >> 4]);
    out.push_back(digits[bytes[i] & 15]);
  }
  return out;
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | cp >> 6));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | cp >> 12));
    out.push_back(static_cast<char>(0x80 | (cp >> 6 & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | cp >> 18));
    out.push_back(static_cast<char>(0x80 | (cp >> 12 & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp >> 6 & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
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
    f->raw_hex = hex_bytes(bytes);
  }
  return f;
}

}  // namespace trawl::formats::docmeta
