#include "scan/phrase_samples.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "scan/monero_seed.hpp"
#include "scan/monero_seed_finder.hpp"

namespace trawl::scan {
namespace {

constexpr std::size_t kMaxLetters = 12;  // 5 bits a letter in a 64-bit key; the seed finder reads no longer word
enum : std::uint8_t { kBip39 = 1, kSeed = 2, kMonero = 4 };  // the finders a word is for

bool is_ascii_letter(unsigned char c) { return static_cast<unsigned char>((c | 0x20u) - 'a') < 26; }
bool is_ascii_digit_or_number_mark(unsigned char c) { return (c >= '0' && c <= '9') || c == '.' || c == ')' || c == ':'; }

/// Bit 7 of each byte set where that byte of `x` is no ASCII letter (either case), the others clear.
std::uint64_t non_letters(std::uint64_t x) {
  constexpr std::uint64_t k01 = 0x0101010101010101ull;
  const std::uint64_t folded = x | 0x20 * k01;
  const std::uint64_t low7 = folded & 0x7F * k01;
  const std::uint64_t from_a = low7 + 0x1F * k01;  // bit 7: low7 >= 'a' (no carry: low7 + 0x1F < 0x100)
  const std::uint64_t to_z = 0xFA * k01 - low7;    // bit 7: low7 <= 'z' (no borrow: 0xFA > low7)
  return ~(from_a & to_z & ~folded) & 0x80 * k01;
}

std::uint64_t load8(const unsigned char* p) {
  std::uint64_t x;
  std::memcpy(&x, p, 8);
  if constexpr (std::endian::native == std::endian::big) x = __builtin_bswap64(x);
  return x;
}

/// How many ASCII letters in a row start at p (0..16; reads p[0, 16)).
std::size_t letters_from(const unsigned char* p) {
  const std::uint64_t first = non_letters(load8(p));
  if (first != 0) return static_cast<std::size_t>(__builtin_ctzll(first)) / 8;
  const std::uint64_t second = non_letters(load8(p + 8));
  return second != 0 ? 8 + static_cast<std::size_t>(__builtin_ctzll(second)) / 8 : 16;
}

/// How many ASCII letters in a row end just before p (0..16; reads p[-16, 0)).
std::size_t letters_before(const unsigned char* p) {
  const std::uint64_t last = non_letters(load8(p - 8));
  if (last != 0) return static_cast<std::size_t>(__builtin_clzll(last)) / 8;
  const std::uint64_t earlier = non_letters(load8(p - 16));
  return earlier != 0 ? 8 + static_cast<std::size_t>(__builtin_clzll(earlier)) / 8 : 16;
}

/// 1..12 ASCII letters (either case) as a number: 5 bits a letter, left-aligned, as wallet_seeds.cpp keys them.
std::uint64_t letters_key(std::string_view word) {
  std::uint64_t key = 0;
  for (char c : word) key = key << 5 | ((static_cast<unsigned char>(c) | 0x20u) - 'a' + 1);
  return key << (5 * (kMaxLetters - word.size()));
}

/// The letters of a 1..12-letter token read as two words, 8 bytes at a time:
/// byte k of `low` (k < 8) and of `high` (k < 4) is letter k & 0x1F (the
/// same for either case), the bytes past the token zero. Reads p[0, 16).
struct LetterWords {
  std::uint64_t low = 0;
  std::uint64_t high = 0;
};

LetterWords letter_words(const unsigned char* p, std::size_t length) {
  constexpr std::uint64_t kLow5 = 0x1F1F1F1F1F1F1F1Full;
  const std::uint64_t keep_low = length >= 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * length)) - 1;
  const std::uint64_t keep_high = length > 8 ? (std::uint64_t{1} << (8 * (length - 8))) - 1 : 0;
  return {load8(p) & keep_low & kLow5, load8(p + 8) & keep_high & kLow5};
}

/// The same for a token with fewer than 16 bytes readable from its start.
LetterWords letter_words_copied(std::string_view token) {
  std::array<unsigned char, 16> padded{};
  std::memcpy(padded.data(), token.data(), std::min(token.size(), padded.size()));
  return letter_words(padded.data(), token.size());
}

/// One 64-bit hash of both words (the letters of a token fit in 60 bits; the
/// sampling pass needs no exact key, see PhraseWordFilter).
std::uint64_t letters_hash(const LetterWords& w) {
  constexpr std::uint64_t kMultiplier = 0x9E3779B97F4A7C15ull;
  std::uint64_t h = (w.low ^ (w.high << 40 | w.high >> 24)) * kMultiplier;
  h ^= h >> 32;
  return h * kMultiplier;
}

bool all_lower_letters(std::string_view word) {
  for (char c : word)
    if (c < 'a' || c > 'z') return false;
  return !word.empty() && word.size() <= kMaxLetters;
}

/// Calls add(word, finder) for the ASCII words of every list with the finders that read them: any BIP39
/// list (either spelling) for the BIP39 finder, BIP39 English and Monero for the seed finder.
template <typename Add>
void for_each_list_word(Add add) {
  for (std::size_t lang = 0; lang < kBip39LanguageCount; ++lang) {
    const auto language = static_cast<Bip39Language>(lang);
    for (const auto& list : {bip39_wordlist(language), bip39_wordlist_composed(language)})
      for (std::string_view word : list)
        if (all_lower_letters(word)) add(word, kBip39);
  }
  for (std::string_view word : bip39_wordlist(Bip39Language::english))
    if (all_lower_letters(word)) add(word, kSeed);
  for (std::string_view word : monero_wordlist())
    if (all_lower_letters(word)) add(word, kSeed);
  // Monero's other lists (find_other_monero_seeds reads the seed finder's points too).
  for (const std::string& word : other_monero_ascii_words()) add(word, kMonero);
}

/// The ASCII words of every list by letters_key, with the finders that read
/// them: any BIP39 list (either spelling), and the seed finder's BIP39 English
/// and Monero. A bit filter in front (8 KiB, ~17% of other keys pass) keeps
/// most prose words off the table.
class PhraseWordTable {
 public:
  PhraseWordTable() : slots_(kSlots, 0), filter_(kFilterBits / 64, 0) {
    for_each_list_word([this](std::string_view word, std::uint8_t finder) { add(letters_key(word), finder); });
  }

  std::uint8_t finders(std::uint64_t key) const {
    const std::uint64_t h = mix(key);
    const std::uint64_t bit = h >> (64 - kFilterLog);
    if ((filter_[bit / 64] >> (bit % 64) & 1) == 0) return 0;
    for (std::size_t at = slot_of(h);; at = (at + 1) & (kSlots - 1)) {
      if (slots_[at] == 0) return 0;
      if (slots_[at] >> 3 == key) return static_cast<std::uint8_t>(slots_[at] & 7);
    }
  }

 private:
  static constexpr std::size_t kSlots = std::size_t{1} << 16;  // ~22k words: a third full
  static constexpr unsigned kFilterLog = 16;
  static constexpr std::size_t kFilterBits = std::size_t{1} << kFilterLog;
  static constexpr std::uint64_t kMultiplier = 0x9E3779B97F4A7C15ull;
  /// Short words' keys end in many zero bits: mixed so that every bit of the hash depends on every letter.
  static std::uint64_t mix(std::uint64_t key) {
    std::uint64_t h = key * kMultiplier;
    h ^= h >> 32;
    return h * kMultiplier;
  }
  static std::size_t slot_of(std::uint64_t h) { return static_cast<std::size_t>(h >> 24) & (kSlots - 1); }

  void add(std::uint64_t key, std::uint8_t finder) {
    const std::uint64_t h = mix(key);
    const std::uint64_t bit = h >> (64 - kFilterLog);
    filter_[bit / 64] |= std::uint64_t{1} << (bit % 64);
    std::size_t at = slot_of(h);
    while (slots_[at] != 0 && slots_[at] >> 3 != key) at = (at + 1) & (kSlots - 1);
    slots_[at] = key << 3 | (slots_[at] & 7) | finder;
  }

  std::vector<std::uint64_t> slots_;  ///< key << 3 | finders; 0: empty (no key is 0)
  std::vector<std::uint64_t> filter_;
};

const PhraseWordTable& phrase_word_table() {
  static const PhraseWordTable table;
  return table;
}

/// The same words for the sampling pass, in 64 KiB instead of 512 KiB and
/// keyed by letters_hash(), read from the text 8 bytes at a time instead of
/// packed letter by letter: a slot holds 13 bits of the hash, not the word,
/// so that the table stays in cache next to the page. A prose token whose hash bits match a list word's
/// (about one in 8,000 of those the filter lets through) is taken for that
/// word, and words sharing hash bits in a probe chain share a slot and their
/// finder bits: the pass then keeps a point it could have dropped, never the
/// other way round, and the finders decide with their own exact look-ups.
class PhraseWordFilter {
 public:
  PhraseWordFilter() : slots_(kSlots, 0), filter_(kFilterBits / 64, 0) {
    for_each_list_word([this](std::string_view word, std::uint8_t finder) {
      add(letters_hash(letter_words_copied(word)), finder);
    });
  }

  /// The finders of the token whose letters_hash() is `h` (and maybe more).
  std::uint8_t finders(std::uint64_t h) const {
    const std::uint64_t bit = h >> (64 - kFilterLog);
    if ((filter_[bit / 64] >> (bit % 64) & 1) == 0) return 0;
    const std::uint16_t print = print_of(h);
    for (std::size_t at = slot_of(h);; at = (at + 1) & (kSlots - 1)) {
      if (slots_[at] == 0) return 0;
      if (slots_[at] >> 3 == print) return static_cast<std::uint8_t>(slots_[at] & 7);
    }
  }

 private:
  static constexpr std::size_t kSlots = std::size_t{1} << 16;  // ~22k words: a third full
  static constexpr unsigned kFilterLog = 17;  // 16 KiB: with ~22k words ~15% of other keys pass
  static constexpr std::size_t kFilterBits = std::size_t{1} << kFilterLog;
  static std::size_t slot_of(std::uint64_t h) { return static_cast<std::size_t>(h >> 24) & (kSlots - 1); }
  /// Hash bits 8..20 (the slot uses 24..39, the filter 48..63), never 0 (an empty slot).
  static std::uint16_t print_of(std::uint64_t h) {
    const auto print = static_cast<std::uint16_t>(h >> 8 & 0x1FFF);
    return print == 0 ? 1 : print;
  }

  void add(std::uint64_t h, std::uint8_t finders) {
    const std::uint64_t bit = h >> (64 - kFilterLog);
    filter_[bit / 64] |= std::uint64_t{1} << (bit % 64);
    const std::uint16_t print = print_of(h);
    std::size_t at = slot_of(h);
    while (slots_[at] != 0 && slots_[at] >> 3 != print) at = (at + 1) & (kSlots - 1);
    slots_[at] = static_cast<std::uint16_t>(print << 3 | (slots_[at] & 7) | finders);
  }

  std::vector<std::uint16_t> slots_;  ///< hash bits << 3 | finders; 0: empty
  std::vector<std::uint64_t> filter_;
};

const PhraseWordFilter& phrase_word_filter() {
  static const PhraseWordFilter filter;
  return filter;
}

/// phrase_sample_lookup() inline, for the sampling pass's every token (forced:
/// with two callers GCC made it a call, 3% of the pass).
[[gnu::always_inline]] inline std::uint8_t sample_lookup(const PhraseWordFilter& filter, std::string_view text,
                                                         std::size_t begin, std::size_t length) {
  // 16 bytes readable from begin: the words straight from the text.
  const LetterWords words = begin + 16 <= text.size()
                                ? letter_words(reinterpret_cast<const unsigned char*>(text.data()) + begin, length)
                                : letter_words_copied(text.substr(begin, length));
  return filter.finders(letters_hash(words));
}

/// The one-byte separators of the BIP39 tokenizer (bip39.cpp): a token of
/// letters between two of them is read whole by both finders.
constexpr std::array<bool, 256> make_separators() {
  std::array<bool, 256> t{};
  for (char c : std::string_view(" \t\n\r\f\v,;\"'[](){}")) t[static_cast<unsigned char>(c)] = true;
  return t;
}
constexpr std::array<bool, 256> kSeparators = make_separators();

/// The separators both finders skip between words (no \f, \v: they end seed runs).
constexpr std::array<bool, 256> make_seed_separators() {
  std::array<bool, 256> t{};
  for (char c : std::string_view(" \t\n\r,;\"'[](){}")) t[static_cast<unsigned char>(c)] = true;
  return t;
}
constexpr std::array<bool, 256> kSeedSeparators = make_seed_separators();
constexpr std::size_t kMaxSkip = 16;  // separators skipped after a sample; more: it is kept for both

/// ASCII bytes that no word of Monero's lists holds and that no run of its
/// words crosses (not separators, list numbers or sentence ends): a token
/// glued to one is no word of theirs, and ends their runs.
constexpr std::array<bool, 256> make_monero_breakers() {
  std::array<bool, 256> t{};
  for (std::size_t c = 0; c < 0x80; ++c) {
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    const bool digit = c >= '0' && c <= '9';
    // \f and \v are BIP39 separators but end seed runs.
    t[c] = (!letter && !digit && !make_separators()[c] && std::string_view(".:)!?").find(static_cast<char>(c)) == std::string_view::npos) ||
           c == '\f' || c == '\v';
  }
  return t;
}
constexpr std::array<bool, 256> kMoneroBreakers = make_monero_breakers();
constexpr std::size_t kMaxMoneroLetters = 16;  // the longest ASCII word of Monero's lists (Dutch, Portuguese)

/// A Monero word of 13..16 ASCII letters (either case; 29 of them, in Dutch,
/// Esperanto and Portuguese): the sampling pass's key holds 12 letters at most.
bool is_long_monero_word(std::string_view token) {
  static const std::vector<std::string> words = [] {
    std::vector<std::string> out;
    for (const MoneroLanguage& language : monero_languages())
      for (std::string_view w : language.words)
        if (w.size() > kMaxLetters && w.size() <= kMaxMoneroLetters &&
            std::all_of(w.begin(), w.end(), [](char c) { return is_ascii_letter(static_cast<unsigned char>(c)); }))
          out.emplace_back(w);
    return out;
  }();
  for (const std::string& w : words) {
    if (w.size() != token.size()) continue;
    bool same = true;
    for (std::size_t k = 0; k < w.size() && same; ++k)
      same = (static_cast<unsigned char>(token[k]) | 0x20u) == static_cast<unsigned char>(w[k]);
    if (same) return true;
  }
  return false;
}

/// A token both finders read the same way: 1..12 ASCII letters between
/// separators (or stretch ends), maybe with a full stop ("word." is "word").
struct SimpleToken {
  bool simple = false;
  std::size_t begin = 0;
  std::size_t end = 0;  ///< after the full stop, if any
  std::uint8_t finders = 0;
  bool cut = false;  ///< touches a stretch end inside the text: BIP39 reads no word there
  bool apostrophe = false;  ///< an apostrophe and a letter right before or after it ("jbota'a")
  bool monero_breaker = false;  ///< not simple: glued to (or at) a byte in kMoneroBreakers
  bool long_letters = false;    ///< not simple: 13 ASCII letters or more, a breaker for BIP39 and the seed finder
};

/// Per finder, the run of its words around a sample as far as the walk saw it.
struct RunCount {
  bool alive = true;     ///< the run goes on
  bool unknown = false;  ///< the walk met a token it does not judge: the finder must look
  std::size_t words = 0;
  /// Takes one more token of the run (or marks the run ended or unjudged).
  void take(const SimpleToken& token, bool is_word) {
    if (!alive) return;
    if (!token.simple) {
      unknown = true;
      alive = false;
    } else if (is_word) {
      ++words;
    } else {
      alive = false;
    }
  }
  bool keep() const { return unknown || words >= 12; }
};

}  // namespace

void phrase_samples(std::string_view text, std::span<const PhraseStretch> stretches, std::size_t seeds_from,
                    PhraseSamples& out) {
  out.bip39.clear();
  out.seeds.clear();
  out.monero.clear();
  const PhraseWordFilter& filter = phrase_word_filter();
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  for (const PhraseStretch& stretch : stretches) {
    const std::size_t b = stretch.begin;
    const std::size_t e = stretch.end;
    // The token holding the letter at `at` (in [b, e)).
    // Inlined (forced: called from the first token and both walks, GCC made it a call, 4% of the pass).
    auto token_at = [&](std::size_t at) __attribute__((always_inline)) {
      SimpleToken token;
      std::size_t s = at;
      std::size_t t = at + 1;
      if (at >= 16 && at + 17 <= text.size()) {
        // 8 bytes at a time: the bytes before b and at e are no letters (no phrase bytes).
        const std::size_t before = letters_before(bytes + at);
        const std::size_t after = letters_from(bytes + at + 1);
        if (before + 1 + after > kMaxLetters) {
          token.monero_breaker = before + 1 + after > kMaxMoneroLetters ||
                                 !is_long_monero_word(text.substr(at - before, before + 1 + after));
          // 13 ASCII letters or more in a row ("MERCHANTABILITY", identifiers):
          // no BIP39 word and no word of the seed finder's lists holds them
          // (phrase_samples_test checks), so whatever the token around them,
          // it is a breaker for those two finders (take() reads it so; Monero's
          // other lists have such words and judge it as before). It starts at
          // or before at - before: cut by the seed finder's start, it still
          // holds more than 12 letters after it.
          token.long_letters = true;
          token.begin = at - before;
          token.end = at + 1 + after;
          return token;
        }
        s = at - before;
        t = at + 1 + after;
      } else {
        while (s > b && at - s <= kMaxLetters && is_ascii_letter(bytes[s - 1])) --s;
        while (t < e && t - s <= kMaxLetters && is_ascii_letter(bytes[t])) ++t;
      }
      const std::size_t length = t - s;
      const std::size_t end = t < e && bytes[t] == '.' ? t + 1 : t;
      if (length > kMaxLetters || (s != b && !kSeparators[bytes[s - 1]]) || (end != e && !kSeparators[bytes[end]])) {
        // Glued to an ASCII byte: no Monero word inside a run of them (their words are letters, UTF-8 bytes
        // and apostrophes, set apart by separators); a run's last word before '.' or ':' is no matter: a
        // seed is long enough for a sample in another of its words.
        auto breaks = [](unsigned char c) { return c < 0x80 && !kSeparators[c]; };
        // (Here a token of more than 12 letters is cut at 13 near the text's ends: not judged.)
        token.monero_breaker = (length <= kMaxLetters && ((s != b && breaks(bytes[s - 1])) ||
                                                          (end != e && breaks(bytes[end]))));
        return token;
      }
      token.simple = true;
      token.begin = s;
      token.end = end;
      token.apostrophe = (s >= 2 && bytes[s - 1] == '\'' && is_ascii_letter(bytes[s - 2])) ||
                         (end + 1 < text.size() && bytes[end] == '\'' && is_ascii_letter(bytes[end + 1]));
      // Shorter than 3 letters: no list word, a breaker for both.
      if (length >= 3) token.finders = sample_lookup(filter, text, s, length);
      // A token touching a stretch end (glued to a byte that is no phrase
      // byte) ends BIP39 runs whatever it is.
      token.cut = (s == b && b > 0) || (end == e && e < text.size());
      return token;
    };
    // A byte other than a letter that lies in no run of Monero words: a
    // breaker byte, '.', ':', ')', '!' or '?' but after a digit (list
    // numbers), a digit of no list number (more than 4 digits, or glued to
    // more than ".):" and separators).
    auto monero_breaker_at = [&](std::size_t at) {
      const unsigned char c = bytes[at];
      if (kMoneroBreakers[c]) return true;
      auto digit = [](unsigned char d) { return d >= '0' && d <= '9'; };
      if (c == '.' || c == ':' || c == ')' || c == '!' || c == '?') return !(at > b && digit(bytes[at - 1]));
      if (!digit(c)) return false;
      std::size_t first_digit = at;
      while (first_digit > b && at - first_digit < 5 && digit(bytes[first_digit - 1])) --first_digit;
      std::size_t after = at;
      while (after < e && after - first_digit < 6 && digit(bytes[after])) ++after;
      if (after - first_digit > 4) return true;
      if (first_digit > b && !kSeedSeparators[bytes[first_digit - 1]] && bytes[first_digit - 1] < 0x80) return true;
      if (after < e && (bytes[after] == '.' || bytes[after] == ')' || bytes[after] == ':')) ++after;
      return after < e && !kSeedSeparators[bytes[after]] && bytes[after] < 0x80;
    };
    auto take = [&](RunCount& bip39, RunCount& seeds, const SimpleToken& read) {
      SimpleToken token = read;
      if (token.long_letters) {  // a breaker for both: a simple token no list of theirs holds
        token.simple = true;
        token.finders = 0;
      }
      bip39.take(token, !token.cut && (token.finders & kBip39) != 0);
      // The seed finder reads from seeds_from: a token before it is seen cut.
      if (token.simple && token.begin < seeds_from) {
        if (seeds.alive) seeds.unknown = true;
        seeds.alive = false;
      }
      seeds.take(token, (token.finders & kSeed) != 0);
    };
    // The separators (at most kMaxSkip) after the token that ends at `from`
    // (way > 0) or before the one that starts there (way < 0): where they
    // stop, whether all are seed separators (no \f, \v), and the byte of the
    // next token to judge (its last letter before a full stop, going back).
    struct Gap {
      std::size_t at = 0;
      bool seed = true;
      std::size_t letter = 0;
    };
    auto gap_after = [&](std::size_t from, int way) {
      Gap gap{from, true, 0};
      if (way < 0) {
        while (gap.at > b && from - gap.at < kMaxSkip && kSeparators[bytes[gap.at - 1]]) {
          gap.seed = gap.seed && kSeedSeparators[bytes[gap.at - 1]];
          --gap.at;
        }
        if (gap.at > b) gap.letter = bytes[gap.at - 1] == '.' && gap.at - 1 > b ? gap.at - 2 : gap.at - 1;
      } else {
        while (gap.at < e && gap.at - from < kMaxSkip && kSeparators[bytes[gap.at]]) {
          gap.seed = gap.seed && kSeedSeparators[bytes[gap.at]];
          ++gap.at;
        }
        gap.letter = gap.at;
      }
      return gap;
    };
    // The token at `letter` as Monero's other lists' finder judges it: a
    // simple token, unknown (SimpleToken{}) or a breaker.
    auto monero_token_at = [&](std::size_t letter) {
      return is_ascii_letter(bytes[letter]) ? token_at(letter)
             : monero_breaker_at(letter)   ? SimpleToken{.monero_breaker = true}
                                           : SimpleToken{};
    };
    // Whether the finder of Monero's other lists reads the point whose first
    // token (after the separators) is `first` at `at`: a run of 12 of their
    // words around it, or a token it must judge itself (UTF-8 bytes, an
    // apostrophe, a long word, a list number before a word it may hold).
    // Apart from the shared walk: in most text the first token ends it.
    auto monero_keep = [&](std::size_t at, const SimpleToken& first) {
      RunCount monero;
      auto take_monero = [&](RunCount& run, const SimpleToken& token) {
        if (token.simple && (token.begin < seeds_from || token.apostrophe)) {
          // Read cut, or glued to an apostrophe (Lojban words hold one; the other finders split there).
          if (run.alive) run.unknown = true;
          run.alive = false;
        }
        if (token.monero_breaker) run.alive = false;  // "abc_def", "x=1": no Monero word, the run ends
        run.take(token, (token.finders & kMonero) != 0);
      };
      take_monero(monero, first);
      if (!first.simple && !first.monero_breaker && at < e && is_ascii_digit_or_number_mark(bytes[at])) {
        // On a list number ("12. word") the word after it decides, alone (a seed's every sample may land on numbers).
        std::size_t p = at;
        while (p < e && p - at < 6 && is_ascii_digit_or_number_mark(bytes[p])) ++p;
        while (p < e && p - at < kMaxSkip && kSeedSeparators[bytes[p]]) ++p;
        if (p < e && is_ascii_letter(bytes[p])) {
          const SimpleToken word = token_at(p);
          return !(word.monero_breaker || (word.simple && !word.apostrophe && (word.finders & kMonero) == 0));
        }
        return !(p < e && (monero_breaker_at(p) || (bytes[p] >= '0' && bytes[p] <= '9')));  // a number after a number
      }
      if (!first.simple || !monero.alive) return monero.keep();
      for (int way : {-1, 1}) {
        RunCount back = monero;
        std::size_t from = way < 0 ? first.begin : first.end;
        for (std::size_t steps = 0; back.alive; ++steps) {
          if (steps == 24) {  // a long run: let the finder read it
            back.unknown = true;
            break;
          }
          const Gap gap = gap_after(from, way);
          if (gap.at == (way < 0 ? b : e) || !gap.seed) {  // the stretch ends, or \f, \v: no seed byte
            back.alive = false;
            break;
          }
          const SimpleToken token = gap.at != from ? monero_token_at(gap.letter) : SimpleToken{};
          take_monero(back, token);
          from = way < 0 ? token.begin : token.end;
        }
        monero.unknown = monero.unknown || back.unknown;
        monero.words = back.words;
      }
      return monero.keep();
    };
    for (std::size_t q = b + kMinPhraseSampleStride - 1; q < e; q += kMinPhraseSampleStride) {
      RunCount bip39;
      RunCount seeds;
      if (q < seeds_from) seeds = RunCount{false, false, 0};  // not kept
      // On white space or punctuation both finders need a word after it (a
      // run of words ends with one): the token after the separators decides.
      std::size_t at = q;
      while (at < e && at - q < kMaxSkip && kSeedSeparators[bytes[at]]) ++at;
      const SimpleToken first = at < e && is_ascii_letter(bytes[at]) ? token_at(at) : SimpleToken{};
      take(bip39, seeds, first);
      // A run of 12 words or more around it: walked token by token both ways
      // as long as a finder's run goes on (one look-up a token for both).
      // Between tokens only the separators both finders skip are crossed; \f
      // and \v end seed runs, other bytes are not judged.
      for (int way : {-1, 1}) {
        RunCount back_bip39 = bip39;
        RunCount back_seeds = seeds;
        std::size_t from = way < 0 ? first.begin : first.end;
        for (std::size_t steps = 0; first.simple && (back_bip39.alive || back_seeds.alive); ++steps) {
          if (steps == 24) {  // a long run: let the finders read it
            if (back_bip39.alive) back_bip39.unknown = true;
            if (back_seeds.alive) back_seeds.unknown = true;
            break;
          }
          const Gap gap = gap_after(from, way);
          if (gap.at == (way < 0 ? b : e)) {
            // The stretch ends: a byte that is no phrase byte, a breaker for both.
            back_bip39.alive = back_seeds.alive = false;
            break;
          }
          if (!gap.seed) back_seeds.alive = false;  // \f or \v: no seed byte
          const bool separated = gap.at != from;
          const SimpleToken token =
              separated && is_ascii_letter(bytes[gap.letter]) ? token_at(gap.letter) : SimpleToken{};
          take(back_bip39, back_seeds, token);
          from = way < 0 ? token.begin : token.end;
        }
        bip39.unknown = bip39.unknown || back_bip39.unknown;
        seeds.unknown = seeds.unknown || back_seeds.unknown;
        bip39.words = back_bip39.words;
        seeds.words = back_seeds.words;
      }
      if (bip39.keep()) out.bip39.push_back(q);
      if (q >= seeds_from && seeds.keep()) out.seeds.push_back(q);
      // Most points: a simple token none of Monero's other lists holds, decided here.
      bool monero = false;
      if (q < seeds_from || at >= e) monero = false;
      else if (first.simple) monero = ((first.finders & kMonero) != 0 || first.apostrophe || first.begin < seeds_from) && monero_keep(at, first);
      else if (is_ascii_letter(bytes[at])) monero = !first.monero_breaker && monero_keep(at, first);
      else monero = monero_keep(at, monero_token_at(at));
      if (monero) out.monero.push_back(q);
    }
  }
}

std::uint8_t phrase_sample_lookup(std::string_view text, std::size_t begin, std::size_t length) {
  return sample_lookup(phrase_word_filter(), text, begin, length);
}

bool is_ascii_bip39_word(std::string_view token) {
  if (token.empty() || token.size() > kMaxLetters) return false;
  for (char c : token)
    if (!is_ascii_letter(static_cast<unsigned char>(c))) return false;
  return (phrase_word_table().finders(letters_key(token)) & kBip39) != 0;
}

}  // namespace trawl::scan
