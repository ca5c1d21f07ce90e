#pragma once
// UTF-16 text with letters beyond ASCII (Cyrillic, Greek, accented Latin,
// kana, CJK, Hangul): the seed phrases of BIP39's and Monero's non-English
// lists as a Windows program holds them in memory or writes them to a file.
// The ASCII UTF-16 pass (wallet_scanner.cpp) finds its regions by their zero
// bytes; these regions hold units without one, so they are found from the
// spaces between words (U+0020 and U+3000) and read unit by unit.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace trawl::scan {

struct WideUtf16Region {
  std::size_t begin = 0;  ///< byte offset of the first unit
  std::size_t end = 0;    ///< byte offset after the last unit
  bool le = true;         ///< little-endian units
};

/// The regions in `text` starting before `stop`, in order and apart: runs of
/// units that are ASCII printable characters, tabs, line breaks or letters of
/// the scripts above (combining accents too: BIP39's lists are NFKD), holding
/// a letter beyond ASCII next to a space and at least `min_spaces` spaces
/// (U+0020, U+3000), as a phrase of 12 words has 11.
void wide_utf16_regions(std::string_view text, std::size_t stop, std::size_t min_spaces,
                        std::vector<WideUtf16Region>& out);

/// A region as UTF-8, with the region's unit of each UTF-8 byte (and one past
/// the end) and whether each unit is beyond ASCII.
struct WideUtf16Text {
  std::string utf8;
  std::vector<std::uint32_t> unit_of;
  std::vector<bool> wide;
};
void decode_wide_utf16(std::string_view text, const WideUtf16Region& region, WideUtf16Text& out);

}  // namespace trawl::scan
