#include "record/xml_escape.hpp"

#include <fmt/format.h>

#include <cstdint>

#include "core/utf8.hpp"

namespace trawl::record {
namespace {

/// True for characters XML 1.0 allows in a document (section 2.2).
bool xml_char(uint32_t c) {
  if (c < 0x20) return c == 0x9 || c == 0xA || c == 0xD;
  if (c >= 0xD800 && c <= 0xDFFF) return false;
  return c != 0xFFFE && c != 0xFFFF && c <= 0x10FFFF;
}

uint32_t decode_utf8(std::string_view s, size_t pos, size_t len) {
  const auto b = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(s[pos + i])); };
  switch (len) {
    case 1: return b(0);
    case 2: return ((b(0) & 0x1F) << 6) | (b(1) & 0x3F);
    case 3: return ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
    default: return ((b(0) & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
  }
}

}  // namespace

bool append_xml_escaped(std::string& out, std::string_view text) {
  bool exact = true;
  for (size_t i = 0; i < text.size();) {
    const size_t len = utf8_sequence_length(text, i);
    if (len == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD
      exact = false;
      ++i;
      continue;
    }
    const uint32_t c = decode_utf8(text, i, len);
    if (!xml_char(c)) {
      out += "\xEF\xBF\xBD";
      exact = false;
    } else if (c == '&') {
      out += "&amp;";
    } else if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else if (c == '"') {
      out += "&quot;";
    } else if (c == '\'') {
      out += "&apos;";
    } else if (c == '\t' || c == '\n' || c == '\r') {
      out += fmt::format("&#x{:X};", c);
    } else {
      out.append(text.substr(i, len));
    }
    i += len;
  }
  return exact;
}

}  // namespace trawl::record
