#include "scan/wallet_seeds.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/ascii.hpp"
#include "scan/bip39.hpp"
#include "scan/byte_span.hpp"
#include "scan/electrum_seed.hpp"
#include "scan/monero_seed_finder.hpp"
#include "scan/monero_seed.hpp"

namespace trawl::scan {
namespace {

struct Word {
  std::size_t offset = 0;
  std::size_t length = 0;
  std::string_view text;
};

enum : std::uint8_t { kLetter = 1, kDigit = 2, kSeparator = 4, kRunByte = 8 };

/// Byte classes of the tokenizer. kRunByte: a byte that can sit inside a run
/// of words (letters, digits, separators, and '.' / ':' of list numbers);
/// every other byte ends the run it meets, whatever the tokenizer is doing.
constexpr std::array<std::uint8_t, 256> make_classes() {
  std::array<std::uint8_t, 256> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<std::size_t>(c)] = kLetter | kRunByte;
  for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<std::size_t>(c)] = kLetter | kRunByte;
  for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] = kDigit | kRunByte;
  for (char c : std::string_view(" \t\n\r,;\"'[](){}")) t[static_cast<unsigned char>(c)] = kSeparator | kRunByte;
  for (char c : {'.', ':'}) t[static_cast<unsigned char>(c)] = kRunByte;
  return t;
}
constexpr std::array<std::uint8_t, 256> kClasses = make_classes();

bool is_letter(char c) { return (kClasses[static_cast<unsigned char>(c)] & kLetter) != 0; }
bool is_digit(char c) { return (kClasses[static_cast<unsigned char>(c)] & kDigit) != 0; }
bool is_separator(char c) { return (kClasses[static_cast<unsigned char>(c)] & kSeparator) != 0; }
bool is_run_byte(char c) { return (kClasses[static_cast<unsigned char>(c)] & kRunByte) != 0; }

const ByteSpanSet& run_bytes() {
  static const ByteSpanSet set = [] {
    std::array<bool, 256> members{};
    for (std::size_t c = 0; c < 256; ++c) members[c] = (kClasses[c] & kRunByte) != 0;
    // The bytes of Monero's non-ASCII words and of U+3000 (find_other_monero_seeds).
    for (const MoneroLanguage& language : monero_languages())
      for (std::string_view word : language.words)
        for (char c : word)
          if (static_cast<unsigned char>(c) >= 0x80) members[static_cast<unsigned char>(c)] = true;
    members[0xE3] = members[0x80] = true;
    return ByteSpanSet(members);
  }();
  return set;
}

/// 12 words of 3 letters (the shortest English list words; Monero's are longer)
/// and 11 separators: no seed is shorter.
constexpr std::size_t kMinSeedBytes = 12 * 3 + 11;
static_assert(kMinSeedBytes == kMinPhraseSampleStride);  // the BIP39 finder's grid serves both
constexpr std::size_t kMaxRunWords = 4096;  // bounded work per run

/// Where word_runs() stopped: the first byte that is no run byte (or the end),
/// and whether the tokenizer is skipping a glued token there.
struct StretchEnd {
  std::size_t end = 0;
  bool skipping = false;
};

/// Runs of ASCII words separated by separators and list numbers ("1.", "2)")
/// from `from` up to the first byte that is no run byte (it ends any run),
/// handed to `visit` one at a time; the stretch is read once, finding its end
/// as it goes. `skip` says the bytes from `from` up to the next separator
/// belong to a word glued to other bytes before `from`.
/// Reading stops at `to` (a byte that ends runs, or the start of a token that
/// does: see find_wallet_seeds); the byte at `to` is still looked at to decide
/// how the token before it ends.
template <typename Visit>
StretchEnd word_runs(std::string_view t, std::size_t from, std::size_t to, bool skip, std::vector<Word>& run,
                     const Visit& visit) {
  auto end_run = [&] {
    if (!run.empty()) visit(run);
    run.clear();
  };
  const std::size_t size = t.size();
  std::size_t i = from;
  if (skip) {
    while (i < to && !is_separator(t[i]) && is_run_byte(t[i])) ++i;
    if (i == to || !is_run_byte(t[i])) return {i, true};
  }
  while (i < to) {
    if (is_letter(t[i])) {
      std::size_t j = i;
      while (j < to && is_letter(t[j])) ++j;
      if (j < size && (t[j] == '.' || t[j] == ':' || t[j] == '!' || t[j] == '?')) {
        // Sentence punctuation ends the run after this word.
        if (j - i <= 12) run.push_back(Word{i, j - i, t.substr(i, j - i)});
        end_run();
        if (!is_run_byte(t[j])) return {j, false};  // '!' or '?', read: between tokens after it
        i = j + 1;
        continue;
      }
      if (j < size && !is_separator(t[j]) && !is_digit(t[j])) {
        // A word glued to other bytes ("word-x") ends the run; the bytes up
        // to the next separator are skipped. Only a byte that is no run byte
        // glues (the others are letters, digits, separators or punctuation).
        end_run();
        return {j, true};
      }
      if (j - i <= 12) run.push_back(Word{i, j - i, t.substr(i, j - i)});
      else end_run();
      i = j;
    } else if (is_digit(t[i])) {
      std::size_t j = i;
      while (j < to && is_digit(t[j])) ++j;
      if (j < to && (t[j] == '.' || t[j] == ')' || t[j] == ':')) ++j;
      if (j - i > 4) end_run();
      i = j;
    } else if (is_separator(t[i])) {
      ++i;
    } else if (!is_run_byte(t[i])) {
      break;  // ends the run: between tokens after it
    } else {
      end_run();  // '.' or ':' between tokens
      ++i;
    }
    if (run.size() > kMaxRunWords) end_run();
  }
  end_run();
  return {i, false};
}

/// Whether the tokenizer, reading the whole text from the start, skips the
/// bytes at `at` as the tail of a glued token. t[at - 1] ends runs; `known`
/// (<= at) is a position whose state `known_skip` is known. Only the bytes
/// back to the last separator matter: the tokenizer is between tokens after one.
bool skipping_at(std::string_view t, std::size_t at, std::size_t known, bool known_skip) {
  std::size_t i = at;
  while (i > known && !is_separator(t[i - 1])) --i;
  if (i == known && known_skip) return true;
  // t[i, at) holds no separator and the tokenizer is between tokens at i.
  while (i < at) {
    if (is_letter(t[i])) {
      std::size_t j = i;
      while (j < at && is_letter(t[j])) ++j;
      if (j < at && (t[j] == '.' || t[j] == ':' || t[j] == '!' || t[j] == '?')) {
        i = j + 1;
      } else if (j < at && !is_digit(t[j])) {
        return true;  // glued: skipped up to the next separator, which lies beyond `at`
      } else {
        i = j;
      }
    } else if (is_digit(t[i])) {
      std::size_t j = i;
      while (j < at && is_digit(t[j])) ++j;
      if (j < at && (t[j] == '.' || t[j] == ')' || t[j] == ':')) ++j;
      i = j;
    } else {
      ++i;
    }
  }
  return false;
}

std::string join(const std::vector<Word>& run, std::size_t from, std::size_t n) {
  std::string out;
  for (std::size_t k = from; k < from + n; ++k) out += (out.empty() ? "" : " ") + ascii_lower(run[k].text);
  return out;
}

/// A word of 1..12 ASCII letters as a number that sorts as the lower-case word:
/// 5 bits per letter, left-aligned. 0 for anything else.
std::uint64_t word_key(std::string_view word) {
  if (word.empty() || word.size() > 12) return 0;
  std::uint64_t key = 0;
  for (std::size_t k = 0; k < 12; ++k) {
    unsigned letter = 0;
    if (k < word.size()) {
      const char c = word[k];
      if (c >= 'a' && c <= 'z') letter = static_cast<unsigned>(c - 'a' + 1);
      else if (c >= 'A' && c <= 'Z') letter = static_cast<unsigned>(c - 'A' + 1);
      else return 0;
    }
    key = key << 5 | letter;
  }
  return key;
}

/// word_key of 1..12 ASCII letters the caller has checked, without a branch per letter.
std::uint64_t letters_key(std::string_view word) {
  std::uint64_t key = 0;
  for (char c : word) key = key << 5 | ((static_cast<unsigned char>(c) | 0x20u) - 'a' + 1);
  return key << (5 * (12 - word.size()));
}

/// A word list as sorted keys, with each word's index in the list.
struct KeyedList {
  std::vector<std::pair<std::uint64_t, int>> keys;
  explicit KeyedList(std::span<const std::string_view> list) {
    for (std::size_t i = 0; i < list.size(); ++i)
      if (const std::uint64_t key = word_key(list[i]); key != 0) keys.emplace_back(key, static_cast<int>(i));
    std::sort(keys.begin(), keys.end());
  }
  /// Index in the list of `word` (either case), or -1.
  int find(std::string_view word) const {
    const std::uint64_t key = word_key(word);
    if (key == 0) return -1;
    auto it = std::lower_bound(keys.begin(), keys.end(), std::pair<std::uint64_t, int>(key, -1));
    return it != keys.end() && it->first == key ? it->second : -1;
  }
};

/// Index in the BIP39 English list, or -1.
int english_index(std::string_view word) {
  static const KeyedList list(bip39_wordlist(Bip39Language::english));
  return list.find(word);
}

constexpr std::size_t kMoneroShortest = 4;  // letters of the list's shortest words ("aces")

bool in_monero_list(std::string_view word) {
  static const KeyedList list(monero_wordlist());
  return list.find(word) >= 0;
}

/// The letters-only words of both seed lists (BIP39 English for Electrum, and
/// Monero's), by word_key: the one look-up of the scan's hot path, an
/// open-addressing table of 8192 keys (under half full), no allocation.
class SeedWordSet {
 public:
  SeedWordSet() : slots_(kSlots, 0) {
    const std::span<const std::string_view> lists[] = {bip39_wordlist(Bip39Language::english), monero_wordlist()};
    for (const auto& list : lists)
      for (std::string_view word : list)
        if (const std::uint64_t key = word_key(word); key != 0) insert(key);
  }
  bool contains(std::uint64_t key) const {
    if (key == 0) return false;
    const std::uint64_t h = key * kMultiplier;
    if ((filter_[h >> 43 & 511] >> (h >> 37 & 63) & 1) == 0) return false;  // most prose words stop here, in L1
    for (std::size_t at = slot_of(key);; at = (at + 1) & (kSlots - 1)) {
      if (slots_[at] == key) return true;
      if (slots_[at] == 0) return false;
    }
  }

 private:
  static constexpr std::size_t kSlots = 8192;
  static constexpr std::uint64_t kMultiplier = 0x9E3779B97F4A7C15ull;
  static std::size_t slot_of(std::uint64_t key) { return static_cast<std::size_t>((key * kMultiplier) >> 51) & (kSlots - 1); }
  void insert(std::uint64_t key) {
    const std::uint64_t h = key * kMultiplier;
    filter_[h >> 43 & 511] |= std::uint64_t{1} << (h >> 37 & 63);
    std::size_t at = slot_of(key);
    while (slots_[at] != 0 && slots_[at] != key) at = (at + 1) & (kSlots - 1);
    slots_[at] = key;
  }
  std::vector<std::uint64_t> slots_;
  /// One bit per 15-bit hash (4 KiB, other bits than the slot's): the 3.7k
  /// words set about one in nine.
  std::array<std::uint64_t, 512> filter_{};
};

const SeedWordSet& seed_word_set() {
  static const SeedWordSet set;
  return set;
}

/// Seeds come from random entropy: their words are nearly all different, and a
/// seed is written on its own, not in the middle of prose. Both tests keep
/// "null null null ..." tables and 25-word stretches of English text (one in
/// 24 passes Monero's checksum word) out.
bool diverse(const std::vector<Word>& run, std::size_t from, std::size_t n) {
  std::vector<std::string> words;
  for (std::size_t k = from; k < from + n; ++k) words.push_back(ascii_lower(run[k].text));
  std::sort(words.begin(), words.end());
  const auto distinct = static_cast<std::size_t>(std::unique(words.begin(), words.end()) - words.begin());
  return distinct * 3 >= n * 2;
}

/// The window [from, from + n) is the whole stretch of list words around it,
/// or a line break sets it apart from the list words next to it.
template <typename InList>
bool whole_stretch(std::string_view t, const std::vector<Word>& run, std::size_t from, std::size_t n,
                   const InList& in_list) {
  auto joined = [&](std::size_t a, std::size_t b) {  // words a and b with no line break between them
    const std::size_t gap_start = run[a].offset + run[a].length;
    return t.substr(gap_start, run[b].offset - gap_start).find('\n') == std::string_view::npos;
  };
  const bool open_before = from > 0 && in_list(from - 1) && joined(from - 1, from);
  const bool open_after = from + n < run.size() && in_list(from + n) && joined(from + n - 1, from + n);
  return !open_before && !open_after;
}

/// Whether `run` has `count` words in a row whose lengths lie in [shortest, longest].
bool has_streak(const std::vector<Word>& run, std::size_t count, std::size_t shortest, std::size_t longest) {
  std::size_t streak = 0;
  for (const Word& word : run) {
    streak = word.length >= shortest && word.length <= longest ? streak + 1 : 0;
    if (streak >= count) return true;
  }
  return false;
}

void electrum_in_run(std::string_view t, const std::vector<Word>& run, std::size_t page_end, std::vector<SeedHit>& out) {
  if (!has_streak(run, 12, 3, 8)) return;  // most runs of prose: nothing to look up or allocate
  // Only words inside 12 or more in a row of 3..8 letters (the English list's
  // lengths) can be in a window or next to one: the others are not looked up
  // (-1, as a lookup would say for the words of other lengths).
  std::vector<int> idx(run.size(), -1);
  std::size_t streak = 0;
  for (std::size_t k = 0; k <= run.size(); ++k) {
    if (k < run.size() && run[k].length >= 3 && run[k].length <= 8) {
      ++streak;
      continue;
    }
    if (streak >= 12)
      for (std::size_t w = k - streak; w < k; ++w) idx[w] = english_index(run[w].text);
    streak = 0;
  }
  for (std::size_t i = 0; i < run.size();) {
    if (run[i].offset >= page_end) break;
    bool found = false;
    for (std::size_t n : {24u, 13u, 12u}) {
      if (i + n > run.size()) continue;
      bool all = true;
      bool consecutive = true;
      for (std::size_t k = i; k < i + n; ++k) {
        if (idx[k] < 0) all = false;
        if (k > i && idx[k] != idx[k - 1] + 1) consecutive = false;
      }
      if (!all || consecutive) continue;
      if (!whole_stretch(t, run, i, n, [&](std::size_t k) { return idx[k] >= 0; }) || !diverse(run, i, n))
        continue;
      std::vector<std::string_view> words;
      for (std::size_t k = i; k < i + n; ++k) words.push_back(run[k].text);
      if (auto bip = check_bip39(words); bip && bip->checksum_valid) continue;
      const std::string phrase = join(run, i, n);
      auto type = electrum_seed_type(phrase);
      if (!type) continue;
      const std::size_t end = run[i + n - 1].offset + run[i + n - 1].length;
      out.push_back(SeedHit{"electrum.seed", phrase, *type, "", run[i].offset, end - run[i].offset, n, ""});
      i += n;
      found = true;
      break;
    }
    if (!found) ++i;
  }
}

void monero_in_run(std::string_view t, const std::vector<Word>& run, std::size_t page_end, std::vector<SeedHit>& out) {
  constexpr std::size_t kWords = 25;
  if (!has_streak(run, kWords, kMoneroShortest, 12)) return;
  // Words not in the list end any window early: the next candidate starts after them.
  std::vector<std::size_t> next_miss(run.size() + 1, run.size());
  // Only words inside 25 or more in a row of the list's lengths can be in a
  // window or next to one; the others count as misses unread.
  std::vector<bool> maybe(run.size(), false);
  std::size_t streak = 0;
  for (std::size_t k = 0; k <= run.size(); ++k) {
    if (k < run.size() && run[k].length >= kMoneroShortest) {
      ++streak;
      continue;
    }
    if (streak >= kWords) std::fill(maybe.begin() + static_cast<std::ptrdiff_t>(k - streak), maybe.begin() + static_cast<std::ptrdiff_t>(k), true);
    streak = 0;
  }
  for (std::size_t k = run.size(); k-- > 0;)
    next_miss[k] = maybe[k] && in_monero_list(run[k].text) ? next_miss[k + 1] : k;
  for (std::size_t i = 0; i + kWords <= run.size();) {
    if (run[i].offset >= page_end) break;
    if (next_miss[i] < i + kWords) {
      i = next_miss[i] + 1;
      continue;
    }
    const bool candidate =
        whole_stretch(t, run, i, kWords, [&](std::size_t k) { return next_miss[k] != k; }) &&
        diverse(run, i, kWords);
    std::vector<std::string> words;
    if (candidate)
      for (std::size_t k = i; k < i + kWords; ++k) words.push_back(ascii_lower(run[k].text));
    if (candidate && is_monero_seed(words)) {
      const std::size_t end = run[i + kWords - 1].offset + run[i + kWords - 1].length;
      out.push_back(SeedHit{"monero.seed", join(run, i, kWords), "", "english", run[i].offset, end - run[i].offset, kWords, ""});
      i += kWords;
    } else {
      ++i;
    }
  }
}

}  // namespace

std::vector<SeedHit> find_wallet_seeds(std::span<const std::byte> data, std::size_t page_end) {
  // Regions lie in stretches of run bytes at least kMinSeedBytes long: those
  // are found 64 positions at a time, and only they are sampled.
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(data.data());
  std::vector<PhraseStretch> stretches;
  for (std::size_t from = 0; from < data.size();) {
    const auto stretch = run_bytes().next_long_span(bytes, from, data.size(), kMinSeedBytes);
    if (stretch.begin >= std::min(data.size(), page_end)) break;
    stretches.push_back(PhraseStretch{stretch.begin, stretch.end});
    from = stretch.end;
  }
  return find_wallet_seeds(data, page_end, stretches);
}

std::vector<SeedHit> find_wallet_seeds(std::span<const std::byte> data, std::size_t page_end,
                                       std::span<const PhraseStretch> stretches) {
  std::vector<std::size_t> samples;
  phrase_sample_grid(stretches, samples);
  return find_wallet_seeds(data, page_end, stretches, samples, samples);
}

std::vector<SeedHit> find_wallet_seeds(std::span<const std::byte> data, std::size_t page_end,
                                       std::span<const PhraseStretch> stretches, std::span<const std::size_t> samples,
                                       std::span<const std::size_t> monero_samples) {
  const std::string_view t(reinterpret_cast<const char*>(data.data()), data.size());
  std::vector<SeedHit> out;
  std::vector<Word> run;
  auto visit = [&](const std::vector<Word>& words) {
    if (words.size() < 12) return;
    electrum_in_run(t, words, page_end, out);
    if (words.size() >= 25) monero_in_run(t, words, page_end, out);
  };
  // A seed is 12 or more list words in a row: every maximal letter sequence
  // inside it is a list word, and every other byte in it is a separator, a
  // digit, '.' or ':'. An "unlisted" letter sequence or a byte that is no run
  // byte (a "breaker") cannot lie inside one, and a seed spans at least
  // kMinSeedBytes bytes, so a sample every kMinSeedBytes-th byte lands in it.
  // A sample on a breaker costs one look-up and skips past it; a sample on a
  // list word is widened to the breakers on either side (a "region"), and only
  // a region of 12 or more list words is tokenized. Prose is full of list
  // words, but rarely of 12 in a row.
  //
  // A region read alone gives the seeds of the whole text: its windows and
  // their list-word neighbours all lie inside it, and a word next to it is a
  // breaker (unlisted, as if absent). Reading starts at the region start in
  // the state the tokenizer reading from the text start would be in there
  // (skipping_at: between tokens, or still skipping a glued token).
  const std::size_t size = t.size();
  const SeedWordSet& words = seed_word_set();
  auto letters_end = [&](std::size_t at) {
    while (at < size && is_letter(t[at])) ++at;
    return at;
  };
  // The list word of letters [s, e) (whole letter sequences only).
  auto listed = [&](std::size_t s, std::size_t e) {
    return e - s >= 3 && e - s <= 12 && (s == 0 || !is_letter(t[s - 1])) && (e == size || !is_letter(t[e])) &&
           words.contains(letters_key(t.substr(s, e - s)));
  };
  // One sample: the first byte the next sample may be at (the bytes before it
  // lie in no region, or in the region read).
  auto ascii_sample = [&](std::size_t q) -> std::size_t {
  // The letter sequence holding q, else the next one (a region holding q ends with a word).
  std::size_t s = q;
  while (s < size && is_run_byte(t[s]) && !is_letter(t[s])) ++s;
  if (s == size || !is_run_byte(t[s])) return s + 1;
  const std::size_t floor = s > 13 ? s - 13 : 0;  // a word has at most 12 letters
  while (s > floor && is_letter(t[s - 1])) --s;
  std::size_t e = std::max(s, q);
  const std::size_t limit = std::min(size, s + 13);
  while (e < limit && is_letter(t[e])) ++e;
  if (!listed(s, e)) return letters_end(e);
  // Back to the breaker before the region.
  std::size_t count = 1;
  std::size_t first = s;  // the region starts here
  for (;;) {
    std::size_t at = first;
    while (at > 0 && is_run_byte(t[at - 1]) && !is_letter(t[at - 1])) --at;
    if (at == 0 || !is_letter(t[at - 1])) {
      first = at;
      break;
    }
    std::size_t b = at;
    while (b > 0 && at - b <= 12 && is_letter(t[b - 1])) --b;
    if (!listed(b, at)) {
      first = at;
      break;
    }
    ++count;
    first = b;
  }
  // On to the breaker after it.
  std::size_t last = e;
  std::size_t next = size;  // where the breaker after the region starts
  for (;;) {
    std::size_t at = last;
    while (at < size && is_run_byte(t[at]) && !is_letter(t[at])) ++at;
    if (at == size || !is_run_byte(t[at])) {
      next = at;
      break;
    }
    const std::size_t b = std::min(letters_end(at), at + 13);
    if (!listed(at, b)) {
      next = at;
      break;
    }
    ++count;
    last = b;
  }
  if (count >= 12 && first < page_end) {
    const bool skip = first > 0 && skipping_at(t, first, 0, false);
    word_runs(t, first, next, skip, run, visit);
  }
  return next < size && is_letter(t[next]) ? letters_end(next) : next + 1;

  };
  // Monero's other lists (their words may hold bytes >= 0x80 or an
  // apostrophe) are read by their own finder at its own points.
  auto other_sample = [&](std::size_t q) -> std::size_t {
    std::size_t s = q;
    while (s < size && is_run_byte(t[s]) && !is_letter(t[s])) ++s;
    return find_other_monero_seeds(t, s, page_end, out);
  };
  // Sampling a stretch that also holds bytes no seed holds finds the same
  // regions: a sample on such a byte is a breaker, skipped like any other.
  // A sample every kMinSeedBytes bytes of a stretch lands in each region
  // starting in it; samples in a region or breaker already read are skipped.
  auto read = [&](std::span<const std::size_t> points, const auto& at_point) {
    std::size_t done = 0;
    std::size_t next = 0;  // the first sample of the stretch
    for (const PhraseStretch& stretch : stretches) {
      if (stretch.begin >= std::min(size, page_end)) break;
      while (next < points.size() && points[next] < stretch.begin) ++next;
      for (; next < points.size() && points[next] < std::min(stretch.end, size); ++next)
        if (points[next] >= done) done = at_point(points[next]);
    }
  };
  read(samples, ascii_sample);
  read(monero_samples, other_sample);
  std::stable_sort(out.begin(), out.end(), [](const SeedHit& a, const SeedHit& b) { return a.offset < b.offset; });
  return out;
}

}  // namespace trawl::scan
