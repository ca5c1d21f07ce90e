#include "scan/monero_script_seeds.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <unordered_set>

#include "scan/monero_seed.hpp"

namespace trawl::scan {
namespace {

constexpr std::size_t kSeedWords = 25;
constexpr std::size_t kMaxRunWords = 4096;  // bounded work per run, as in the ASCII finder

/// The words of the lists with no ASCII letter in any word: a token of
/// non-ASCII bytes can only be one of theirs. Prose tokens are most of what
/// is looked up (every sample point in Cyrillic or CJK text): a length check
/// and a 64 Kbit filter on a cheap hash turn most away before the exact set.
class ScriptWords {
 public:
  ScriptWords() : filter_(kFilterBits / 64, 0) {
    for (const MoneroLanguage& language : monero_languages()) {
      bool script = true;
      for (std::string_view w : language.words)
        for (char c : w) script = script && static_cast<unsigned char>(c) >= 0x80;
      if (!script) continue;
      for (std::string_view w : language.words) {
        words_.insert(w);
        shortest_ = std::min(shortest_, w.size());
        longest_ = std::max(longest_, w.size());
        const std::uint64_t bit = cheap_hash(w) >> (64 - kFilterLog);
        filter_[bit / 64] |= std::uint64_t{1} << (bit % 64);
      }
    }
  }
  bool contains(std::string_view token) const {
    if (token.size() < shortest_ || token.size() > longest_) return false;
    const std::uint64_t bit = cheap_hash(token) >> (64 - kFilterLog);
    if ((filter_[bit / 64] >> (bit % 64) & 1) == 0) return false;
    return words_.count(token) != 0;
  }

 private:
  static constexpr unsigned kFilterLog = 16;
  static constexpr std::size_t kFilterBits = std::size_t{1} << kFilterLog;
  /// The first and last (up to) 8 bytes and the length: no list word is longer than 21 bytes.
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
  std::unordered_set<std::string_view> words_;
  std::vector<std::uint64_t> filter_;
  std::size_t shortest_ = SIZE_MAX;
  std::size_t longest_ = 0;
};

const ScriptWords& script_words() {
  static const ScriptWords words;
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

/// A byte of a non-ASCII word: >= 0x80 and not part of U+3000.
bool script_byte(std::string_view t, std::size_t i) {
  if (static_cast<unsigned char>(t[i]) < 0x80) return false;
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

/// The token of script bytes holding `i` (a byte >= 0x80 outside U+3000),
/// and whether it is a whole list word.
Token script_token(std::string_view t, std::size_t i) {
  // The bytes >= 0x80 around i, then cut at any U+3000 among them.
  std::size_t b = i;
  while (b > 0 && static_cast<unsigned char>(t[b - 1]) >= 0x80) --b;
  std::size_t e = i;
  while (e < t.size() && static_cast<unsigned char>(t[e]) >= 0x80) ++e;
  for (std::size_t k = b; k + 3 <= e; ++k) {
    if (!ideographic_space_at(t, k)) continue;
    if (i < k) {
      e = k;
      break;
    }
    b = k + 3;  // i lies after this space (the callers never start inside one)
    k += 2;
  }
  Token token{b, e - b, false, false};
  if (b > 0 && !ascii_separator(t[b - 1]) && !(b >= 3 && ideographic_space_at(t, b - 3))) return token;
  if (e < t.size() && !ascii_separator(t[e]) && !ideographic_space_at(t, e)) {
    if (!sentence_end(t[e])) return token;
    token.ends_run = true;
  }
  token.listed = script_words().contains(t.substr(b, e - b));
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
                          end - run[i].offset, kSeedWords});
    i += kSeedWords;
  }
}

}  // namespace

std::size_t find_script_monero_seeds(std::string_view t, std::size_t at, std::size_t page_end,
                                     std::vector<SeedHit>& out) {
  if (!script_byte(t, at)) return at + 1;  // on U+3000: sampling goes on after it
  const Token first = script_token(t, at);
  if (!first.listed) return first.offset + first.length;
  // Back to the first word of the run: each word before it a whole list word, nothing else between.
  std::size_t start = first.offset;
  for (std::size_t count = 1; count < kMaxRunWords; ++count) {
    const std::size_t gap = skip_gap_back(t, start);
    if (gap == 0 || gap == start || !script_byte(t, gap - 1)) break;
    const Token previous = script_token(t, gap - 1);
    if (!previous.listed || previous.ends_run || previous.offset + previous.length != gap) break;
    if (skip_gap(t, gap) != start) break;  // what lies between is no gap the forward walk would cross
    start = previous.offset;
  }
  // Forward from there: the words in order, up to the first byte that is neither a list word nor a gap.
  std::vector<Token> run;
  std::size_t pos = start;
  while (pos < t.size() && script_byte(t, pos)) {
    const Token token = script_token(t, pos);
    if (!token.listed || token.offset != pos) break;
    run.push_back(token);
    pos = token.offset + token.length;
    if (token.ends_run || run.size() >= kMaxRunWords) break;
    const std::size_t next = skip_gap(t, pos);
    if (next == pos) break;  // the end (script_token saw to a separator after a listed word)
    pos = next;
  }
  if (run.size() >= kSeedWords && run.front().offset < page_end) seeds_in_run(t, run, page_end, out);
  return std::max(run.back().offset + run.back().length, at + 1);
}

}  // namespace trawl::scan
