#include "scan/json_escaped.hpp"

#include <algorithm>
#include <cstring>
#include <limits>

#include "core/hex.hpp"

namespace trawl::scan {
namespace {

/// The code unit of `\uXXXX` at `at` (text[at] == '\\'), or -1.
long unicode_escape(std::string_view text, std::size_t at) {
  if (at + 6 > text.size() || text[at] != '\\' || text[at + 1] != 'u') return -1;
  long value = 0;
  for (std::size_t i = at + 2; i < at + 6; ++i) {
    const int h = hex_digit_value(text[i]);
    if (h < 0) return -1;
    value = value * 16 + h;
  }
  return value;
}

char simple_escape(char c) {
  switch (c) {
    case '"': return '"';
    case '\\': return '\\';
    case '/': return '/';
    case 'b': return '\b';
    case 'f': return '\f';
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    default: return 0;
  }
}

void put_utf8(unsigned long cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

bool has_json_escape(std::string_view text) {
  const char* data = text.data();
  std::size_t at = 0;
  while (at < text.size()) {
    const void* found = std::memchr(data + at, '\\', text.size() - at);
    if (found == nullptr) return false;
    const auto b = static_cast<std::size_t>(static_cast<const char*>(found) - data);
    if (b + 1 < text.size() && (simple_escape(text[b + 1]) != 0 || unicode_escape(text, b) >= 0)) return true;
    at = b + 1;
  }
  return false;
}

void json_unescape(std::string_view text, std::size_t max_out, JsonUnescaped& out) {
  out.text.clear();
  out.begin.clear();
  out.escapes = 0;
  constexpr std::size_t kMaxInput = std::numeric_limits<std::uint32_t>::max() - 1;  // offsets are 32-bit
  if (text.size() > kMaxInput) text = text.substr(0, kMaxInput);
  // Decoded text is never longer than its input (+3 bytes for a last \uXXXX): no regrowth in the loop.
  const std::size_t expected = std::min(text.size(), max_out) + 4;
  out.text.reserve(expected);
  out.begin.reserve(expected + 1);
  auto emit = [&](std::size_t from) {
    // Every byte appended since the last call came from the character or escape at `from`.
    out.begin.resize(out.text.size(), static_cast<std::uint32_t>(from));
  };
  std::size_t i = 0;
  while (i < text.size() && out.text.size() < max_out) {
    if (text[i] != '\\') {
      // A run of plain bytes, copied as a block: most of any text.
      const void* found = std::memchr(text.data() + i, '\\', text.size() - i);
      std::size_t stop = found == nullptr ? text.size()
                                          : static_cast<std::size_t>(static_cast<const char*>(found) - text.data());
      stop = std::min(stop, i + (max_out - out.text.size()));
      out.text.append(text.data() + i, stop - i);
      const std::size_t at = out.begin.size();
      out.begin.resize(at + (stop - i));
      std::uint32_t* map = out.begin.data() + at;
      for (std::size_t k = 0; k < stop - i; ++k) map[k] = static_cast<std::uint32_t>(i + k);
      i = stop;
      continue;
    }
    if (i + 1 >= text.size()) {
      out.text += text[i];
      emit(i);
      ++i;
      continue;
    }
    if (const char c = simple_escape(text[i + 1]); c != 0) {
      out.text += c;
      emit(i);
      ++out.escapes;
      i += 2;
      continue;
    }
    const long unit = unicode_escape(text, i);
    if (unit < 0) {
      out.text += text[i];
      emit(i);
      ++i;
      continue;
    }
    std::size_t next = i + 6;
    unsigned long cp = static_cast<unsigned long>(unit);
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      const long low = unicode_escape(text, next);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        cp = 0x10000 + ((static_cast<unsigned long>(unit) - 0xD800) << 10) + (static_cast<unsigned long>(low) - 0xDC00);
        next += 6;
      } else {
        cp = 0xFFFD;
      }
    } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
      cp = 0xFFFD;
    }
    put_utf8(cp, out.text);
    emit(i);
    ++out.escapes;
    i = next;
  }
  out.begin.push_back(static_cast<std::uint32_t>(i));  // the end of what was decoded
}

}  // namespace trawl::scan
