#include "scan/monero_seed_finder.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <deque>
#include <string>
#include <unordered_set>
#include <vector>

#include "scan/monero_seed.hpp"

namespace trawl::scan {
namespace {

constexpr std::size_t kSeedWords = 25;
constexpr std::size_t kMaxRunWords = 4096;  // bounded work per run, as in the ASCII finder

bool ascii_letter(char c) { return static_cast<unsigned char>((static_cast<unsigned char>(c) | 0x20u) - 'a') < 26; }

constexpr std::size_t kMaxWordBytes = 32;  // no list word is longer (Japanese: 21 bytes)

/// `token` with its ASCII letters in lower case, in `buffer` (the token must fit).
std::string_view fold(std::string_view token, std::array<char, kMaxWordBytes>& buffer) {
  for (std::size_t k = 0; k < token.size(); ++k) {
    const char c = token[k];
    buffer[k] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return {buffer.data(), token.size()};
}

/// The words of Monero's lists but English (the ASCII seed finder's), ASCII
/// letters in lower case. Prose tokens are most of what is looked up (every
/// kept sample point): a length check and a 256 Kbit filter on a cheap hash
/// turn most away before the exact set.
class OtherWords {
 public:
  OtherWords() : filter_(kFilterBits / 64, 0) {
    for (const MoneroLanguage& language : monero_languages()) {
      if (language.name == "english") continue;
      for (std::string_view w : language.words) {
        std::array<char, kMaxWordBytes> buffer{};
        storage_.emplace_back(fold(w, buffer));
      }
    }
    for (const std::string& w : storage_) {
      words_.insert(w);
      shortest_ = std::min(shortest_, w.size());
      longest_ = std::max(longest_, w.size());
      const std::uint64_t bit = cheap_hash(w) >> (64 - kFilterLog);
      filter_[bit / 64] |= std::uint64_t{1} << (bit % 64);
    }
  }
  /// `token` (ASCII letters in either case) is a word of these lists.
  bool contains(std::string_view token) const {
    if (token.size() < shortest_ || token.size() > longest_) return false;
    std::array<char, kMaxWordBytes> buffer;
    const std::string_view folded = fold(token, buffer);
    const std::uint64_t bit = cheap_hash(folded) >> (64 - kFilterLog);
    if ((filter_[bit / 64] >> (bit % 64) & 1) == 0) return false;
    return words_.count(folded) != 0;
  }

 private:
  static constexpr unsigned kFilterLog = 18;  // 32 KiB: ~7% of other tokens pass to the set
  static constexpr std::size_t kFilterBits = std::size_t{1} << kFilterLog;
  /// The first and last (up to) 8 bytes and the length.
  static std::uint64_t cheap_hash(std::string_view w) {
    std::uint64_t head = 0;
    std::uint64_t tail = 0;
    const std::size_t n = std::min<std::size_t>(w.size(), 8);
    std::memcpy(&head, w.data(), n);
    std::memcpy(&tail, w.data() + w.size() - n, n);
    std::uint64_t h = (head * 0x9E3779B97F4A7C15ull) ^ (tail * 0xC2B2AE3D27D4EB4Full) ^ w.size();
    h ^= h >> 29;
    return h * 0x9E3779B97F4A7C15ull;
  }
  std::deque<std::string> storage_;  // stable addresses for the views in words_
  std::unordered_set<std::string_view> words_;
  std::vector<std::uint64_t> filter_;
  std::size_t shortest_ = SIZE_MAX;
  std::size_t longest_ = 0;
};

const OtherWords& other_words() {
  static const OtherWords words;
  return words;
}

bool ascii_separator(char c) {
  switch (c) {
    case ' ': case '\t': case '\n': case '\r': case ',': case ';': case '"': case '\'':
    case '[': case ']': case '(': case ')': case '{': case '}':
      return true;
    default:
      return false;
  }
}

bool ideographic_space_at(std::string_view t, std::size_t i) {
  return i + 3 <= t.size() && t[i] == '\xE3' && t[i + 1] == '\x80' && t[i + 2] == '\x80';
}

/// A byte of a word: an ASCII letter or a byte >= 0x80 (U+3000 aside: see word_token).
bool word_byte(char c) { return ascii_letter(c) || static_cast<unsigned char>(c) >= 0x80; }

/// A word byte at i that is not part of U+3000.
bool word_byte_at(std::string_view t, std::size_t i) {
  if (!word_byte(t[i])) return false;
  for (std::size_t back = 0; back < 3 && back <= i; ++back)
    if (ideographic_space_at(t, i - back)) return false;
  return true;
}

bool sentence_end(char c) { return c == '.' || c == ':' || c == '!' || c == '?'; }

struct Token {
  std::size_t offset = 0;
  std::size_t length = 0;
  bool ends_run = false;  ///< followed by sentence punctuation
  bool listed = false;    ///< a whole list word: set apart by separators (or sentence punctuation after it)
};

/// The word holding `i` (a word byte outside U+3000): word bytes, and an
/// apostrophe between two of them; whether it is a whole list word.
Token word_token(std::string_view t, std::size_t i) {
  std::size_t b = i;
  bool high = static_cast<unsigned char>(t[i]) >= 0x80;
  for (;;) {
    if (b > 0 && word_byte(t[b - 1])) --b;
    else if (b > 1 && t[b - 1] == '\'' && word_byte(t[b - 2])) b -= 2;
    else break;
    high = high || static_cast<unsigned char>(t[b]) >= 0x80;
  }
  std::size_t e = i;
  for (;;) {
    if (e < t.size() && word_byte(t[e])) ++e;
    else if (e + 1 < t.size() && t[e] == '\'' && word_byte(t[e + 1])) e += 2;
    else break;
    high = high || static_cast<unsigned char>(t[e - 1]) >= 0x80;
  }
  // Cut at any U+3000 among the bytes (most tokens hold no 0xE3 at all).
  for (const char* hit = high ? static_cast<const char*>(std::memchr(t.data() + b, 0xE3, e - b)) : nullptr;
       hit != nullptr;) {
    const auto k = static_cast<std::size_t>(hit - t.data());
    if (ideographic_space_at(t, k) && k + 3 <= e) {
      if (i < k) {
        e = k;
        break;
      }
      b = k + 3;  // i lies after this space (the callers never start inside one)
    }
    hit = k + 1 < e ? static_cast<const char*>(std::memchr(t.data() + k + 1, 0xE3, e - k - 1)) : nullptr;
  }
  Token token{b, e - b, false, false};
  if (b > 0 && !ascii_separator(t[b - 1]) && !(b >= 3 && ideographic_space_at(t, b - 3))) return token;
  if (e < t.size() && !ascii_separator(t[e]) && !ideographic_space_at(t, e)) {
    if (!sentence_end(t[e])) return token;
    token.ends_run = true;
  }
  token.listed = e - b <= kMaxWordBytes && other_words().contains(t.substr(b, e - b));
  return token;
}

/// From `pos` over what may lie between two words of a run: separators,
/// U+3000 and list numbers ("12.", "3)", "4:", "5"). Stops at the next byte
/// that is none of them.
std::size_t skip_gap(std::string_view t, std::size_t pos) {
  while (pos < t.size()) {
    if (ascii_separator(t[pos])) {
      ++pos;
    } else if (ideographic_space_at(t, pos)) {
      pos += 3;
    } else if (t[pos] >= '0' && t[pos] <= '9') {
      std::size_t j = pos;
      while (j < t.size() && t[j] >= '0' && t[j] <= '9') ++j;
      if (j - pos > 4) return pos;
      if (j < t.size() && (t[j] == '.' || t[j] == ')' || t[j] == ':')) ++j;
      pos = j;
    } else {
      return pos;
    }
  }
  return pos;
}

/// Back from `pos` (a word start) over what skip_gap() skips, to the byte after the previous word's last byte.
std::size_t skip_gap_back(std::string_view t, std::size_t pos) {
  while (pos > 0) {
    const char c = t[pos - 1];
    if (ascii_separator(c) || (c >= '0' && c <= '9') || c == '.' || c == ')' || c == ':') {
      --pos;
    } else if (pos >= 3 && ideographic_space_at(t, pos - 3)) {
      pos -= 3;
    } else {
      return pos;
    }
  }
  return pos;
}

bool line_break_between(std::string_view t, const Token& a, const Token& b) {
  const std::size_t gap = a.offset + a.length;
  return t.substr(gap, b.offset - gap).find('\n') != std::string_view::npos;
}

/// Seeds are random: their words are nearly all different (a table of the
/// same few characters is not one).
bool diverse(std::string_view t, const std::vector<Token>& run, std::size_t from) {
  std::vector<std::string_view> words;
  for (std::size_t k = from; k < from + kSeedWords; ++k) words.push_back(t.substr(run[k].offset, run[k].length));
  std::sort(words.begin(), words.end());
  const auto distinct = static_cast<std::size_t>(std::unique(words.begin(), words.end()) - words.begin());
  return distinct * 3 >= kSeedWords * 2;
}

void seeds_in_run(std::string_view t, const std::vector<Token>& run, std::size_t page_end, std::vector<SeedHit>& out) {
  for (std::size_t i = 0; i + kSeedWords <= run.size();) {
    if (run[i].offset >= page_end) break;
    const std::size_t last = i + kSeedWords - 1;
    // The window is the whole run of list words, or a line break sets it apart from its neighbours.
    const bool apart = (i == 0 || line_break_between(t, run[i - 1], run[i])) &&
                       (last + 1 == run.size() || line_break_between(t, run[last], run[last + 1]));
    const MoneroLanguage* language = nullptr;
    std::vector<std::string_view> words;
    if (apart && diverse(t, run, i)) {
      for (std::size_t k = i; k <= last; ++k) words.push_back(t.substr(run[k].offset, run[k].length));
      language = monero_seed_language(words);
      if (language != nullptr && language->name == "english") language = nullptr;  // the ASCII finder's
      if (language != nullptr) {
        // A copy of the list (index + 1 each time) is no seed.
        bool consecutive = true;
        for (std::size_t k = 1; k < words.size() && consecutive; ++k)
          consecutive = monero_word_index(*language, words[k]) == monero_word_index(*language, words[k - 1]) + 1;
        if (consecutive) language = nullptr;
      }
    }
    if (language == nullptr) {
      ++i;
      continue;
    }
    std::string phrase;
    for (std::string_view w : words) phrase += (phrase.empty() ? "" : " ") + std::string(w);
    const std::size_t end = run[last].offset + run[last].length;
    out.push_back(SeedHit{"monero.seed", std::move(phrase), "", std::string(language->name), run[i].offset,
                          end - run[i].offset, kSeedWords, ""});
    i += kSeedWords;
  }
}

}  // namespace

std::size_t find_other_monero_seeds(std::string_view t, std::size_t at, std::size_t page_end,
                                    std::vector<SeedHit>& out) {
  if (at >= t.size() || !word_byte_at(t, at)) return at + 1;  // no word here (or U+3000): sampling goes on after it
  const Token first = word_token(t, at);
  if (!first.listed) return first.offset + first.length;
  // Back to the first word of the run: each word before it a whole list word, nothing else between.
  std::size_t start = first.offset;
  for (std::size_t count = 1; count < kMaxRunWords; ++count) {
    const std::size_t gap = skip_gap_back(t, start);
    if (gap == 0 || gap == start || !word_byte_at(t, gap - 1)) break;
    const Token previous = word_token(t, gap - 1);
    if (!previous.listed || previous.ends_run || previous.offset + previous.length != gap) break;
    if (skip_gap(t, gap) != start) break;  // what lies between is no gap the forward walk would cross
    start = previous.offset;
  }
  // Forward from there: the words in order, up to the first byte that is neither a list word nor a gap.
  std::vector<Token> run;
  std::size_t pos = start;
  while (pos < t.size() && word_byte_at(t, pos)) {
    const Token token = word_token(t, pos);
    if (!token.listed || token.offset != pos) break;
    run.push_back(token);
    pos = token.offset + token.length;
    if (token.ends_run || run.size() >= kMaxRunWords) break;
    const std::size_t next = skip_gap(t, pos);
    if (next == pos) break;  // the end (word_token saw to a separator after a listed word)
    pos = next;
  }
  if (run.size() >= kSeedWords && run.front().offset < page_end) seeds_in_run(t, run, page_end, out);
  return std::max(run.back().offset + run.back().length, at + 1);
}

std::vector<std::string> other_monero_ascii_words() {
  std::vector<std::string> out;
  for (const MoneroLanguage& language : monero_languages()) {
    if (language.name == "english") continue;
    for (std::string_view w : language.words) {
      if (w.size() < 3 || w.size() > 12 || !std::all_of(w.begin(), w.end(), ascii_letter)) continue;
      std::array<char, kMaxWordBytes> buffer{};
      out.emplace_back(fold(w, buffer));
    }
  }
  return out;
}

}  // namespace trawl::scan
