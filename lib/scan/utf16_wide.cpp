#include "scan/utf16_wide.hpp"

#include <algorithm>
#include <cstring>

namespace trawl::scan {
namespace {

std::uint16_t unit_at(std::string_view t, std::size_t at, bool le) {
  const auto a = static_cast<unsigned char>(t[at]);
  const auto b = static_cast<unsigned char>(t[at + 1]);
  return static_cast<std::uint16_t>(le ? (b << 8 | a) : (a << 8 | b));
}

bool ascii_unit(std::uint16_t u) { return (u >= 0x20 && u <= 0x7E) || u == 0x09 || u == 0x0A || u == 0x0D; }
bool space_unit(std::uint16_t u) { return u == 0x0020 || u == 0x3000; }

/// A letter of the scripts the seed word lists use.
bool wide_letter(std::uint16_t u) {
  return (u >= 0x00C0 && u <= 0x024F && u != 0x00D7 && u != 0x00F7) ||  // accented Latin
         (u >= 0x0300 && u <= 0x036F) ||                                 // combining accents (NFKD)
         (u >= 0x0370 && u <= 0x04FF) ||                                 // Greek, Cyrillic
         (u >= 0x1100 && u <= 0x11FF) ||                                 // Hangul jamo (NFKD)
         (u >= 0x3040 && u <= 0x30FF) ||                                 // kana
         (u >= 0x4E00 && u <= 0x9FFF) ||                                 // CJK ideographs
         (u >= 0xAC00 && u <= 0xD7A3);                                   // Hangul syllables
}

bool text_unit(std::uint16_t u) { return ascii_unit(u) || u == 0x3000 || wide_letter(u); }

}  // namespace

void wide_utf16_regions(std::string_view text, std::size_t stop, std::size_t min_spaces,
                        std::vector<WideUtf16Region>& out) {
  out.clear();
  const std::size_t size = text.size();
  std::size_t done = 0;  // the end of the last region read: anchors before it lie in it
  for (std::size_t z = 1; z + 1 < size;) {
    const void* found = std::memchr(text.data() + z, 0, size - 1 - z);
    if (found == nullptr) break;
    const std::size_t here = static_cast<std::size_t>(static_cast<const char*>(found) - text.data());
    z = here + 1;
    // The zero byte of a space unit (20 00 / 00 20, 00 30 / 30 00): one look each way first.
    const auto before = static_cast<unsigned char>(text[here - 1]);
    const auto after = static_cast<unsigned char>(text[here + 1]);
    if (before != 0x20 && before != 0x30 && after != 0x20 && after != 0x30) continue;
    for (int k = 0; k < 4; ++k) {
      const bool le = k < 2;
      const std::size_t at = k % 2 == 0 ? here - 1 : here;
      if (at < done || at + 2 > size || !space_unit(unit_at(text, at, le))) continue;
      const bool next_wide = at + 4 <= size && wide_letter(unit_at(text, at + 2, le));
      const bool prev_wide = at >= 2 && wide_letter(unit_at(text, at - 2, le));
      if (!next_wide && !prev_wide) continue;
      std::size_t begin = at;
      while (begin >= 2 && text_unit(unit_at(text, begin - 2, le))) begin -= 2;
      std::size_t end = at + 2;
      std::size_t spaces = 0;
      while (end + 2 <= size && text_unit(unit_at(text, end, le))) end += 2;
      for (std::size_t u = begin; u < end; u += 2) spaces += space_unit(unit_at(text, u, le)) ? 1 : 0;
      done = end;
      z = std::max(z, end);
      if (begin < stop && spaces >= min_spaces) out.push_back({begin, end, le});
      break;
    }
  }
}

void decode_wide_utf16(std::string_view text, const WideUtf16Region& region, WideUtf16Text& out) {
  out.utf8.clear();
  out.unit_of.clear();
  out.wide.clear();
  std::uint32_t index = 0;
  for (std::size_t at = region.begin; at + 2 <= region.end; at += 2, ++index) {
    const std::uint16_t u = unit_at(text, at, region.le);
    out.wide.push_back(u > 0x7F);
    if (u < 0x80) {
      out.utf8 += static_cast<char>(u);
      out.unit_of.push_back(index);
    } else if (u < 0x800) {
      out.utf8 += static_cast<char>(0xC0 | u >> 6);
      out.utf8 += static_cast<char>(0x80 | (u & 0x3F));
      out.unit_of.insert(out.unit_of.end(), 2, index);
    } else {
      out.utf8 += static_cast<char>(0xE0 | u >> 12);
      out.utf8 += static_cast<char>(0x80 | (u >> 6 & 0x3F));
      out.utf8 += static_cast<char>(0x80 | (u & 0x3F));
      out.unit_of.insert(out.unit_of.end(), 3, index);
    }
  }
  out.unit_of.push_back(index);
}

}  // namespace trawl::scan
