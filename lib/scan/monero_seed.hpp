#pragma once
// Monero 25-word seeds: 24 data words and a checksum word, in one of Monero's
// twelve word lists. The checksum word is words[crc32(the first `prefix` code
// points of each of the 24 list words) mod 24] (monero src/mnemonics
// electrum-words.cpp); Monero's wallet prints the words separated by spaces.
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace trawl::scan {

struct MoneroLanguage {
  std::string_view name;  ///< lower-case English name: english, german, ..., chinese_simplified, lojban
  unsigned prefix = 0;    ///< code points per word that the checksum reads (and that are unique in the list)
  std::span<const std::string_view> words;  ///< 1626 words in index order, UTF-8 as Monero spells them
};

/// Monero's lists (generated: monero_words.cpp), English first, in the order
/// its wallet offers them. Not the legacy "English (old)" list (Electrum 1.x
/// words, restore only: its prefixes are not unique).
std::span<const MoneroLanguage> monero_languages();

/// The English list.
std::span<const std::string_view> monero_wordlist();

/// The language of 25 words that form a Monero seed: every word, whole, in
/// one list (ASCII letters in either case: German nouns are capitalised) and
/// the last one the checksum word; nullptr otherwise. When several lists hold
/// every word, the first in monero_languages() order whose checksum passes.
const MoneroLanguage* monero_seed_language(std::span<const std::string_view> words);

/// 25 lower-case words of the English list whose last word is the checksum word.
bool is_monero_seed(std::span<const std::string> words);

/// The index of `word` (whole; ASCII letters in either case) in `language`'s list, or -1.
int monero_word_index(const MoneroLanguage& language, std::string_view word);

}  // namespace trawl::scan
