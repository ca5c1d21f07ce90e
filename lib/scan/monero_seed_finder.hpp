#pragma once
// Monero seeds in the lists other than English (German, Spanish, French,
// Italian, Dutch, Portuguese, Russian, Japanese, Chinese, Esperanto, Lojban),
// for the seed finder (find_wallet_seeds): it finds English Monero seeds in
// its runs of ASCII words and hands every sample point to this finder too.
#include <cstddef>
#include <string_view>
#include <vector>

#include "scan/wallet_seeds.hpp"

namespace trawl::scan {

/// Reads the run of Monero list words (other lists than English) around the
/// word at `at` (a byte of it, or the separators before it): words of ASCII
/// letters and UTF-8 bytes (an apostrophe inside, as in Lojban) between ASCII
/// white space, ",;\"'[](){}", U+3000 (the ideographic space) and list
/// numbers ("1.", "2)"); a word followed by '.', ':', '!' or '?' ends the run.
/// Appends to `out` the seeds (monero.seed, with their language) whose first
/// word starts before `page_end`: 25 words of one list whose last is the
/// checksum word, neither a copy of the list (consecutive words) nor a
/// stretch of the same few words, with no list word next to it on the same
/// line. Returns a byte up to which sampling may skip: the end of the run, or
/// of the token at `at`.
std::size_t find_other_monero_seeds(std::string_view text, std::size_t at, std::size_t page_end,
                                    std::vector<SeedHit>& out);

/// The words of Monero's lists other than English that are 3 to 12 ASCII
/// letters, lower-cased (the sampling pass keeps seed points on them).
std::vector<std::string> other_monero_ascii_words();

}  // namespace trawl::scan
