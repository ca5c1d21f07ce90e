#pragma once
// BIP39 mnemonic phrases: the ten official word lists, the checksum check and a
// tokenizer that finds checksum-valid phrases in text.
//
// A phrase of MS words (12, 15, 18, 21, 24) holds ENT = MS * 32 / 3 bits of
// entropy followed by CS = ENT / 32 checksum bits, the first bits of
// SHA-256(entropy); each word is an 11-bit index into one 2048-word list.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "scan/byte_span.hpp"

namespace trawl::scan {

/// The official lists, in the order of bip-0039-wordlists.md.
enum class Bip39Language {
  english,
  japanese,
  korean,
  spanish,
  chinese_simplified,
  chinese_traditional,
  french,
  italian,
  czech,
  portuguese,
};
inline constexpr size_t kBip39LanguageCount = 10;

/// Stable lower-case name, as the list's file name: "english", "chinese_simplified", ...
const char* bip39_language_name(Bip39Language language);

/// The official list, byte-for-byte (UTF-8, NFKD) in official order (generated: bip39_wordlists.cpp).
std::span<const std::string_view, 2048> bip39_wordlist(Bip39Language language);
/// The same list in NFC (composed) spelling; the same array where NFC and NFKD agree.
std::span<const std::string_view, 2048> bip39_wordlist_composed(Bip39Language language);

/// Index of `word` in the list (NFKD or NFC spelling, exact bytes; no case folding), or nullopt.
std::optional<uint16_t> bip39_word_index(Bip39Language language, std::string_view word);

struct Bip39Phrase {
  Bip39Language language = Bip39Language::english;
  size_t word_count = 0;          ///< 12, 15, 18, 21 or 24
  bool checksum_valid = false;    ///< the last CS bits equal the first bits of SHA-256(entropy)
  std::vector<uint8_t> entropy;   ///< 16, 20, 24, 28 or 32 bytes
};

/// Checks a sequence of words against the lists. nullopt when the count is not
/// 12/15/18/21/24 or no single list holds every word. When several lists hold
/// every word (English and French share 100 words; the Chinese lists share many),
/// the first list in enum order whose checksum passes wins, else the first list.
/// ASCII letters are compared case-insensitively ("Abandon" is "abandon").
std::optional<Bip39Phrase> check_bip39(std::span<const std::string_view> words);

/// A checksum-valid phrase found in text.
struct Bip39Match {
  size_t offset = 0;  ///< byte offset of the first word in the text
  size_t length = 0;  ///< bytes from the first byte of the first word to the last byte of the last word
  Bip39Phrase phrase;
};

/// Finds checksum-valid phrases in UTF-8 text.
///
/// Words are separated by any run of: ASCII white space, ',', ';', '"', '\'', '[', ']', '(', ')',
/// '{', '}' and the ideographic space U+3000. List numbers ("1.", "2)", "3:", "4") between words
/// are skipped, so "1. word 2. word", "1) word" and JSON arrays (["word", "word"]) are read as
/// plain word runs. Any other token ends the run.
///
/// At each word of a run the window lengths 24, 21, 18, 15 and 12 are tried in turn; the first
/// window whose words all come from one list and pass the checksum is reported and the search goes
/// on after its last word, so a phrase is reported once and never together with pieces of itself.
///
/// Word lists are not phrases: a stretch of >= 24 words that follow each other in one official
/// list (index + 1 each time: a copy of a list, whole or in part, numbered or not) is skipped
/// entirely; the words around it are still searched.
std::vector<Bip39Match> find_bip39_phrases(std::string_view text);
/// The same, only the phrases starting before `report_end` (the text after it
/// is still read: it decides where the runs around them end).
std::vector<Bip39Match> find_bip39_phrases(std::string_view text, size_t report_end);
/// The same, trying windows only from the first word at or after `try_from`:
/// the text before it is context (the words next to a phrase, word-list
/// stretches), read but not searched, as when a stream's earlier page already
/// searched it.
std::vector<Bip39Match> find_bip39_phrases(std::string_view text, size_t report_end, size_t try_from);

/// A stretch of bytes that may hold a seed phrase of any finder: BIP39 phrase
/// bytes (list-word bytes, separators, list numbering), a superset of the bytes
/// of Electrum and Monero seeds (find_wallet_seeds), so one pass finds the
/// stretches of both.
struct PhraseStretch {
  size_t begin = 0;
  size_t end = 0;
};

/// The maximal stretches of phrase bytes in `text` (cut at both ends of it) at
/// least as long as the shortest phrase, those starting before `stop`, in order.
void phrase_stretches(std::string_view text, size_t stop, std::vector<PhraseStretch>& out);

/// The phrase bytes phrase_stretches() reads: list-word bytes (either case for
/// ASCII), separators, digits and the `.`, `)`, `:` of list numbers. For a
/// caller that finds the stretches together with other spans in one pass.
const ByteSpanSet& phrase_byte_set();

/// 12 words of 3 bytes and 11 one-byte separators: no phrase or seed of any
/// finder is shorter, so a sample this many bytes apart lands in each.
inline constexpr size_t kMinPhraseSampleStride = 12 * 3 + 11;

/// Where the phrase finders sample the stretches: every kMinPhraseSampleStride-th
/// byte of each, in order.
void phrase_sample_grid(std::span<const PhraseStretch> stretches, std::vector<size_t>& out);

/// find_bip39_phrases(text, report_end, try_from) with the stretches already
/// found (phrase_stretches(text, report_end, stretches)) and `samples`: the
/// points of phrase_sample_grid(stretches), less any shown to lie in no run of
/// list words (a token no list holds, see phrase_samples()).
std::vector<Bip39Match> find_bip39_phrases(std::string_view text, size_t report_end, size_t try_from,
                                           std::span<const PhraseStretch> stretches, std::span<const size_t> samples);

}  // namespace trawl::scan
