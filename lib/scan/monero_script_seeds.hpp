#pragma once
// Monero seeds in the lists written without ASCII (Russian, Japanese, Chinese),
// for the seed finder (find_wallet_seeds): it reads runs of ASCII words, and
// hands a sample point that lands on a byte >= 0x80 to this finder.
#include <cstddef>
#include <string_view>
#include <vector>

#include "scan/wallet_seeds.hpp"

namespace trawl::scan {

/// Reads the run of non-ASCII Monero list words around `at` (a byte >= 0x80 of
/// `text`): words of UTF-8 bytes between ASCII white space, ",;\"'[](){}",
/// U+3000 (the ideographic space) and list numbers ("1.", "2)"); a word
/// followed by '.', ':', '!' or '?' ends the run. Appends to `out` the seeds
/// (monero.seed, with their language) whose first word starts before
/// `page_end`: 25 words of one list whose last is the checksum word, neither
/// a copy of the list (consecutive words) nor a stretch of the same few
/// words, with no list word next to it on the same line. Returns the first
/// byte after the run (or after the token at `at`): where sampling goes on.
std::size_t find_script_monero_seeds(std::string_view text, std::size_t at, std::size_t page_end,
                                     std::vector<SeedHit>& out);

}  // namespace trawl::scan
