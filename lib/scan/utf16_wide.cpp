#include "scan/utf16_wide.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#include "core/utf8.hpp"

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

/// Units by their high byte: 1 when every unit with it is a text unit (Cyrillic, CJK, Hangul...), 2 when its
/// low byte decides (text_unit_slow), 0 when none is.
constexpr std::array<std::uint8_t, 256> make_high_bytes() {
  std::array<std::uint8_t, 256> t{};
  t[0x00] = t[0x02] = t[0x03] = t[0x11] = t[0x30] = t[0xD7] = 2;
  t[0x01] = t[0x04] = 1;
  for (int h = 0x4E; h <= 0x9F; ++h) t[static_cast<std::size_t>(h)] = 1;
  for (int h = 0xAC; h <= 0xD6; ++h) t[static_cast<std::size_t>(h)] = 1;
  return t;
}
constexpr std::array<std::uint8_t, 256> kHighBytes = make_high_bytes();

bool text_unit_slow(std::uint16_t u) { return ascii_unit(u) || u == 0x3000 || wide_letter(u); }

/// An ASCII printable character, tab, line break, U+3000 or a letter of the scripts above.
bool text_unit(std::uint16_t u) {
  const std::uint8_t kind = kHighBytes[u >> 8];
  return kind == 1 || (kind == 2 && text_unit_slow(u));
}

}  // namespace

/// Bit 7 of each byte where that byte of `x` may equal `b` (no byte that
/// equals it is missed; a byte above one that does may be marked too).
std::uint64_t byte_eq(std::uint64_t x, std::uint8_t b) {
  constexpr std::uint64_t k01 = 0x0101010101010101ull;
  const std::uint64_t y = x ^ (k01 * b);
  return (y - k01) & ~y & (k01 * 0x80);
}

std::uint64_t load8(const char* p) {
  std::uint64_t x;
  std::memcpy(&x, p, 8);
  return x;  // little-endian hosts (x86-64, arm64): byte k of the text is byte k of x
}

void wide_utf16_regions(std::string_view text, std::size_t stop, std::size_t min_spaces,
                        std::vector<WideUtf16Region>& out) {
  out.clear();
  const std::size_t size = text.size();
  std::size_t done = 0;  // the end of the last region read: anchors before it lie in it
  // Anchors: the zero byte of a space unit (20 00 / 00 20, 00 30 / 30 00), found 8 bytes at a time: a zero
  // byte with 0x20 or 0x30 next to it; then the unit is read whole, either byte order.
  auto anchor = [&](std::size_t here) {
    for (int k = 0; k < 4; ++k) {
      const bool le = k < 2;
      const std::size_t at = k % 2 == 0 ? here - 1 : here;
      if (at < done || at + 2 > size || !space_unit(unit_at(text, at, le))) continue;
      const bool next_wide = at + 4 <= size && wide_letter(unit_at(text, at + 2, le));
      const bool prev_wide = at >= 2 && wide_letter(unit_at(text, at - 2, le));
      if (!next_wide && !prev_wide) continue;
      std::size_t spaces = 1;
      std::size_t begin = at;
      for (std::uint16_t u; begin >= 2 && text_unit(u = unit_at(text, begin - 2, le)); begin -= 2)
        spaces += space_unit(u) ? 1 : 0;
      std::size_t end = at + 2;
      for (std::uint16_t u; end + 2 <= size && text_unit(u = unit_at(text, end, le)); end += 2)
        spaces += space_unit(u) ? 1 : 0;
      done = end;
      if (begin < stop && spaces >= min_spaces) out.push_back({begin, end, le});
      return;
    }
  };
  std::size_t i = 1;
  for (; i + 9 <= size; i += 8) {
    if (i + 8 <= done) continue;
    const std::uint64_t zero = byte_eq(load8(text.data() + i), 0);
    if (zero == 0) continue;
    const std::uint64_t prev = load8(text.data() + i - 1);
    const std::uint64_t next = load8(text.data() + i + 1);
    std::uint64_t candidates =
        zero & (byte_eq(prev, 0x20) | byte_eq(prev, 0x30) | byte_eq(next, 0x20) | byte_eq(next, 0x30));
    for (; candidates != 0; candidates &= candidates - 1) {
      const std::size_t here = i + static_cast<std::size_t>(__builtin_ctzll(candidates)) / 8;
      if (here >= done && text[here] == 0) anchor(here);
    }
  }
  for (; i + 1 < size; ++i)
    if (i >= done && text[i] == 0) anchor(i);
}

void decode_wide_utf16(std::string_view text, const WideUtf16Region& region, WideUtf16Text& out) {
  out.utf8.clear();
  out.unit_of.clear();
  out.wide.clear();
  std::uint32_t index = 0;
  for (std::size_t at = region.begin; at + 2 <= region.end; at += 2, ++index) {
    const std::uint16_t u = unit_at(text, at, region.le);
    out.wide.push_back(u > 0x7F);
    const std::size_t before = out.utf8.size();
    append_utf8(out.utf8, u);  // regions hold no surrogates: every unit is a character of its own
    out.unit_of.insert(out.unit_of.end(), out.utf8.size() - before, index);
  }
  out.unit_of.push_back(index);
}

}  // namespace trawl::scan
