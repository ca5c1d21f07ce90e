#include "scan/bip39.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "scan/byte_span.hpp"
#include "scan/monero_seed.hpp"
#include "scan/sha256_adapter.hpp"

namespace trawl::scan {
namespace {

constexpr std::array<Bip39Language, kBip39LanguageCount> kLanguages = {
    Bip39Language::english,      Bip39Language::japanese,           Bip39Language::korean,
    Bip39Language::spanish,      Bip39Language::chinese_simplified, Bip39Language::chinese_traditional,
    Bip39Language::french,       Bip39Language::italian,            Bip39Language::czech,
    Bip39Language::portuguese,
};

/// Index of a word in each list, -1 where the list does not hold it.
struct WordEntry {
  std::array<int16_t, kBip39LanguageCount> index;
};

constexpr char fold(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

/// FNV-1a over the ASCII-folded bytes: the gate's hash, cheap enough for every token.
constexpr std::uint32_t folded_hash(std::string_view token) {
  std::uint32_t h = 2166136261u;
  for (char c : token) h = (h ^ static_cast<unsigned char>(fold(c))) * 16777619u;
  return h;
}

/// Every list word once, with its index in each list. Flat, without an allocation per word: the
/// unordered_map it replaces (30,000 nodes) took ~15 ms of every wallet-scan run's start.
class Lexicon {
 public:
  Lexicon() {
    entries_.reserve(2 * 2048 * kBip39LanguageCount);
    for (size_t lang = 0; lang < kBip39LanguageCount; ++lang) {
      for (const auto& list : {bip39_wordlist(kLanguages[lang]), bip39_wordlist_composed(kLanguages[lang])}) {
        for (size_t i = 0; i < list.size(); ++i) {
          std::uint32_t& slot = slot_of(list[i]);
          if (slot == 0) {
            entries_.emplace_back(list[i], WordEntry{});
            entries_.back().second.index.fill(-1);
            slot = static_cast<std::uint32_t>(entries_.size());
          }
          entries_[slot - 1].second.index[lang] = static_cast<int16_t>(i);
        }
      }
    }
  }

  /// The entry of exactly these bytes; nullptr if no list holds them.
  const WordEntry* find(std::string_view word) const {
    for (std::uint32_t at = folded_hash(word) & kMask;; at = (at + 1) & kMask) {
      const std::uint32_t slot = slots_[at];
      if (slot == 0) return nullptr;
      if (entries_[slot - 1].first == word) return &entries_[slot - 1].second;
    }
  }

  auto begin() const { return entries_.begin(); }
  auto end() const { return entries_.end(); }
  size_t size() const { return entries_.size(); }

 private:
  static constexpr std::uint32_t kMask = (1u << 16) - 1;  // 65,536 slots for at most 40,960 words
  static_assert(2 * 2048 * kBip39LanguageCount <= kMask, "an empty slot ends every probe");

  /// The slot holding `word`, or the empty one where it belongs.
  std::uint32_t& slot_of(std::string_view word) {
    for (std::uint32_t at = folded_hash(word) & kMask;; at = (at + 1) & kMask) {
      std::uint32_t& slot = slots_[at];
      if (slot == 0 || entries_[slot - 1].first == word) return slot;
    }
  }

  std::vector<std::pair<std::string_view, WordEntry>> entries_;
  std::vector<std::uint32_t> slots_ = std::vector<std::uint32_t>(kMask + 1, 0);  ///< 1 + entries_ index; 0: empty
};

const Lexicon& lexicon() {
  static const Lexicon table;
  return table;
}

constexpr size_t kLongestWord = 40;  // the longest list word is 33 bytes (Korean, NFKD)
constexpr size_t kShortestWord = 3;  // English "act", one 3-byte Chinese character

/// The lookup structure of the scanner's hot path: the folded first two bytes of
/// every word (most tokens stop there), a one-hash Bloom filter (~4% false
/// positives with 40k words in 2^20 bits), then an open-addressing table keyed
/// by the same hash, so a token is hashed once and never allocated. Slots are
/// 8 bytes (the hash and a word number) so the table stays in cache: 512 KiB,
/// under half full.
struct WordIndex {
  static constexpr std::uint32_t kBits = 1u << 20;
  static constexpr std::uint32_t kSlots = 1u << 16;
  struct Slot {
    std::uint32_t hash = 0;
    std::uint32_t word = 0;  ///< 1 + index into words; 0: empty
  };
  std::vector<std::uint64_t> starts = std::vector<std::uint64_t>(65536 / 64, 0);
  /// Low 5 bits of the first three bytes and the length (to 31) of every word
  /// (128 KiB): prose tokens mostly pass `starts` but fail this, before hashing.
  std::vector<std::uint64_t> shapes = std::vector<std::uint64_t>((1u << 20) / 64, 0);
  std::vector<std::uint64_t> bits = std::vector<std::uint64_t>(kBits / 64, 0);
  std::vector<Slot> slots = std::vector<Slot>(kSlots);
  std::vector<std::pair<std::string_view, const WordEntry*>> words;

  /// Case does not matter: ASCII upper and lower case share the low 5 bits.
  static std::uint32_t shape_of(std::string_view token) {
    return (static_cast<std::uint32_t>(static_cast<unsigned char>(token[0]) & 31u) << 15) |
           (static_cast<std::uint32_t>(static_cast<unsigned char>(token[1]) & 31u) << 10) |
           (static_cast<std::uint32_t>(static_cast<unsigned char>(token[2]) & 31u) << 5) |
           static_cast<std::uint32_t>(std::min<std::size_t>(token.size(), 31));
  }
  static std::uint32_t start_of(std::string_view folded) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(folded[0])) << 8 |
           static_cast<unsigned char>(folded[1]);
  }
  static bool test(const std::vector<std::uint64_t>& set, std::uint32_t bit) { return (set[bit / 64] >> (bit % 64) & 1) != 0; }
  static void mark(std::vector<std::uint64_t>& set, std::uint32_t bit) { set[bit / 64] |= std::uint64_t{1} << (bit % 64); }

  /// `folded` is ASCII lower case and kShortestWord..kLongestWord bytes long.
  const WordEntry* find(std::string_view folded) const {
    if (!test(starts, start_of(folded))) return nullptr;
    const std::uint32_t h = folded_hash(folded);
    if (!test(bits, h & (kBits - 1))) return nullptr;
    for (std::uint32_t at = h & (kSlots - 1);; at = (at + 1) & (kSlots - 1)) {
      const Slot& slot = slots[at];
      if (slot.word == 0) return nullptr;
      if (slot.hash == h && words[slot.word - 1].first == folded) return words[slot.word - 1].second;
    }
  }
};

const WordIndex& word_index() {
  static const WordIndex index = [] {
    WordIndex x;
    x.words.reserve(lexicon().size());
    for (const auto& [word, entry] : lexicon()) {
      const std::uint32_t h = folded_hash(word);
      WordIndex::mark(x.bits, h & (WordIndex::kBits - 1));
      if (word.size() >= 2) WordIndex::mark(x.starts, WordIndex::start_of(word));
      if (word.size() >= 3) WordIndex::mark(x.shapes, WordIndex::shape_of(word));
      std::uint32_t at = h & (WordIndex::kSlots - 1);
      while (x.slots[at].word != 0) at = (at + 1) & (WordIndex::kSlots - 1);
      x.words.emplace_back(word, &entry);
      x.slots[at] = WordIndex::Slot{h, static_cast<std::uint32_t>(x.words.size())};
    }
    return x;
  }();
  return index;
}

/// The lexicon entry of a token, folding ASCII upper case; nullptr if no list holds it.
const WordEntry* lookup(std::string_view token) {
  if (token.size() < kShortestWord || token.size() > kLongestWord) return nullptr;
  const WordIndex& index = word_index();
  const std::uint32_t start = static_cast<std::uint32_t>(static_cast<unsigned char>(fold(token[0]))) << 8 |
                              static_cast<unsigned char>(fold(token[1]));
  if (!WordIndex::test(index.starts, start)) return nullptr;  // most tokens end here, unfolded
  if (!WordIndex::test(index.shapes, WordIndex::shape_of(token))) return nullptr;
  std::array<char, kLongestWord> folded;
  for (size_t i = 0; i < token.size(); ++i) folded[i] = fold(token[i]);
  return index.find(std::string_view(folded.data(), token.size()));
}

constexpr bool valid_count(size_t count) { return count >= 12 && count <= 24 && count % 3 == 0; }

/// Unpacks 11-bit indices into entropy and checks the checksum bits.
void decode(std::span<const uint16_t> indices, Bip39Phrase& phrase) {
  const size_t total_bits = indices.size() * 11;
  const size_t entropy_bits = total_bits * 32 / 33;
  const size_t checksum_bits = entropy_bits / 32;
  std::array<uint8_t, 33> packed{};
  size_t bit = 0;
  for (uint16_t index : indices) {
    for (int b = 10; b >= 0; --b, ++bit) {
      if ((index >> b) & 1) packed[bit / 8] = static_cast<uint8_t>(packed[bit / 8] | (0x80u >> (bit % 8)));
    }
  }
  phrase.word_count = indices.size();
  phrase.entropy.assign(packed.begin(), packed.begin() + static_cast<std::ptrdiff_t>(entropy_bits / 8));
  const Sha256Digest digest = sha256(phrase.entropy);
  const unsigned stored = packed[entropy_bits / 8] >> (8 - checksum_bits);
  const unsigned expected = digest[0] >> (8 - checksum_bits);
  phrase.checksum_valid = stored == expected;
}

/// Evaluates words (by lexicon entry) in one list; false if a word is missing from it.
bool evaluate(std::span<const WordEntry* const> words, size_t lang, Bip39Phrase& phrase) {
  std::array<uint16_t, 24> indices{};
  for (size_t i = 0; i < words.size(); ++i) {
    if (words[i]->index[lang] < 0) return false;
    indices[i] = static_cast<uint16_t>(words[i]->index[lang]);
  }
  phrase.language = kLanguages[lang];
  decode(std::span<const uint16_t>(indices).first(words.size()), phrase);
  return true;
}

// --- tokenizer ----------------------------------------------------------------

enum : std::uint8_t { kNotSeparator = 0, kSeparator = 1, kMaybeIdeographicSpace = 2 };

constexpr std::array<std::uint8_t, 256> make_separator_table() {
  std::array<std::uint8_t, 256> t{};
  for (char c : std::string_view(" \t\n\r\f\v,;\"'[](){}")) t[static_cast<unsigned char>(c)] = kSeparator;
  t[0xE3] = kMaybeIdeographicSpace;
  return t;
}
constexpr std::array<std::uint8_t, 256> kSeparatorTable = make_separator_table();

/// Length of the separator at `at` (0 when there is none).
inline size_t separator_at(std::string_view text, size_t at) {
  const std::uint8_t cls = kSeparatorTable[static_cast<unsigned char>(text[at])];
  if (cls == kNotSeparator) return 0;
  if (cls == kSeparator) return 1;
  return text.substr(at, 3) == "\xE3\x80\x80" ? 3 : 0;  // U+3000 IDEOGRAPHIC SPACE
}

/// "1", "12.", "3)", "4:": list numbering between words.
bool is_list_number(std::string_view token) {
  if (token.size() > 1 && (token.back() == '.' || token.back() == ')' || token.back() == ':')) token.remove_suffix(1);
  if (token.empty() || token.size() > 4) return false;
  for (char c : token) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

struct Word {
  size_t offset;
  size_t length;
  const WordEntry* entry;
  /// A line break, a list number or a sentence end comes before this word:
  /// a phrase may start here even when list words precede it.
  bool break_before = false;
  /// "seed", "phrase", "mnemonic"...: a word that introduces a phrase, so it
  /// does not glue the phrase to the prose before it.
  bool keyword = false;
  /// The token ended a sentence ("word."): inside a phrase that means prose.
  bool period = false;
  /// Only white space (and the ideographic space) separates it from the word before.
  bool plain_gap = true;
};

bool is_phrase_keyword(std::string_view token) {
  static constexpr std::string_view kKeywords[] = {"seed", "phrase", "mnemonic", "recovery", "words", "word",
                                                    "backup", "wallet", "secret", "key", "restore", "private"};
  if (token.size() > 8 || token.size() < 3) return false;
  std::array<char, 8> folded;  // called for every word of a run: no allocation
  for (size_t i = 0; i < token.size(); ++i) folded[i] = fold(token[i]);
  const std::string_view lower(folded.data(), token.size());
  for (std::string_view k : kKeywords)
    if (lower == k) return true;
  return false;
}

/// A phrase must be the whole run of words of its list, unless a line break,
/// list number or sentence end separates it from its neighbours: prose is
/// full of list words, and one 12-word window in 16 passes the checksum.
bool delimited(std::span<const Word> words, size_t first, size_t count, size_t lang) {
  const bool open_before = first > 0 && !words[first].break_before && !words[first - 1].keyword &&
                           words[first - 1].entry->index[lang] >= 0;
  const size_t next = first + count;
  const bool open_after = next < words.size() && !words[next].break_before && words[next].entry->index[lang] >= 0;
  if (open_before || open_after) return false;
  // "Add.\n\tFix.\n\tUpdate." in a changelog: sentences, not a phrase; a
  // period may only follow the last word.
  for (size_t k = first; k + 1 < next; ++k)
    if (words[k].period) return false;
  // Two different words repeated ("false, true, true, false...") are a table.
  // The official vectors of that shape (abandon ... about, zoo ... wrong)
  // stay: people do use them, and the stop list marks them.
  int16_t a = -1, b = -1;
  bool more = false;
  for (size_t k = first; k < next && !more; ++k) {
    const int16_t index = words[k].entry->index[lang];
    if (index == a || index == b) continue;
    if (a < 0) a = index;
    else if (b < 0) b = index;
    else more = true;
  }
  if (!more && kLanguages[lang] == Bip39Language::english && words[first].entry->index[lang] != 0 &&
      words[first].entry->index[lang] != 2047)
    return false;
  // Chinese words are single characters: code tables list them between
  // quotes and brackets ("一)(二)(三"), people write a mnemonic with spaces.
  if (kLanguages[lang] == Bip39Language::chinese_simplified || kLanguages[lang] == Bip39Language::chinese_traditional)
    for (size_t k = first + 1; k < next; ++k)
      if (!words[k].plain_gap) return false;
  return true;
}

constexpr size_t kListRun = 24;  // this many words in a row, each the next of one list, make a word list

/// Marks the words that belong to a copy of an official list.
std::vector<bool> word_list_stretches(const std::vector<Word>& run) {
  std::vector<bool> in_list(run.size(), false);
  for (size_t lang = 0; lang < kBip39LanguageCount; ++lang) {
    size_t start = 0;
    for (size_t i = 0; i <= run.size(); ++i) {
      const bool continues = i < run.size() && i > start && run[i].entry->index[lang] >= 0 &&
                             run[i].entry->index[lang] == run[i - 1].entry->index[lang] + 1;
      if (continues) continue;
      if (i - start >= kListRun) {
        for (size_t k = start; k < i; ++k) in_list[k] = true;
      }
      start = i;
      // a word missing from this list cannot start a stretch; the next one may
      if (i < run.size() && run[i].entry->index[lang] < 0) start = i + 1;
    }
  }
  return in_list;
}

/// Reports the phrases in a run of words that holds no word-list stretch.
/// Windows are tried from the first word at or after `try_from` (the words
/// before it are context: their windows were decided by an earlier page).
void scan_words(std::span<const Word> words, size_t try_from, std::vector<Bip39Match>& out) {
  // avail[lang][i]: how many consecutive words from i the list holds.
  std::array<std::vector<uint8_t>, kBip39LanguageCount> avail;
  for (size_t lang = 0; lang < kBip39LanguageCount; ++lang) {
    avail[lang].assign(words.size() + 1, 0);
    for (size_t i = words.size(); i-- > 0;) {
      avail[lang][i] = words[i].entry->index[lang] < 0 ? 0 : static_cast<uint8_t>(std::min(avail[lang][i + 1] + 1, 255));
    }
  }
  std::vector<const WordEntry*> entries;
  entries.reserve(words.size());
  for (const Word& word : words) entries.push_back(word.entry);

  size_t i = 0;
  while (i < words.size() && words[i].offset < try_from) ++i;
  while (i + 12 <= words.size()) {
    bool found = false;
    for (size_t length = 24; length >= 12 && !found; length -= 3) {
      if (i + length > words.size()) continue;
      for (size_t lang = 0; lang < kBip39LanguageCount && !found; ++lang) {
        if (avail[lang][i] < length) continue;
        if (!delimited(words, i, length, lang)) continue;
        Bip39Match match;
        evaluate(std::span<const WordEntry* const>(entries).subspan(i, length), lang, match.phrase);
        if (!match.phrase.checksum_valid) continue;
        match.offset = words[i].offset;
        const Word& last = words[i + length - 1];
        match.length = last.offset + last.length - match.offset;
        out.push_back(std::move(match));
        i += length;
        found = true;
      }
    }
    if (!found) ++i;
  }
}

void scan_run(const std::vector<Word>& run, size_t try_from, std::vector<Bip39Match>& out) {
  if (run.size() < 12) return;
  const std::vector<bool> in_list = word_list_stretches(run);
  size_t start = 0;
  for (size_t i = 0; i <= run.size(); ++i) {
    if (i < run.size() && !in_list[i]) continue;
    if (i - start >= 12) scan_words(std::span<const Word>(run).subspan(start, i - start), try_from, out);
    start = i + 1;
  }
}

/// 12 words of 3 bytes and 11 one-byte separators: no phrase is shorter.
constexpr size_t kMinPhraseBytes = 12 * kShortestWord + 11;
static_assert(kMinPhraseBytes == kMinPhraseSampleStride);

/// Bytes that can occur inside a phrase or seed: BIP39 and Monero list-word bytes (either case for
/// ASCII), separators, digits and `.`, `)`, `:` of list numbers.
const ByteSpanSet& phrase_bytes() {
  static const ByteSpanSet table = ByteSpanSet([] {
    std::array<bool, 256> t{};
    for (const auto& [word, entry] : lexicon()) {
      for (char c : word) t[static_cast<unsigned char>(c)] = true;
    }
    // Monero's lists too (Cyrillic, for one): the seed finder samples these stretches (find_wallet_seeds).
    for (const MoneroLanguage& language : monero_languages())
      for (std::string_view word : language.words)
        for (char c : word) t[static_cast<unsigned char>(c)] = true;
    for (int c = 'a'; c <= 'z'; ++c) t[static_cast<size_t>(c)] = t[static_cast<size_t>(c - 'a' + 'A')] = true;
    for (int c = '0'; c <= '9'; ++c) t[static_cast<size_t>(c)] = true;
    for (size_t c = 0; c < 256; ++c) t[c] = t[c] || kSeparatorTable[c] != kNotSeparator;
    for (int c : {int{'.'}, int{')'}, int{':'}, 0xE3, 0x80}) t[static_cast<size_t>(c)] = true;
    return t;
  }());
  return table;
}

/// Tokenizes text[from, to) into word runs. A byte that is no phrase byte sits at from - 1 and at
/// `to` (unless they are the text's ends): the tokens touching them are not words.
void tokenize(std::string_view text, size_t from, size_t to, size_t try_from, std::vector<Word>& run,
              std::vector<Bip39Match>& out) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  size_t at = from;
  if (from > 0) {
    while (at < to && separator_at(text, at) == 0) ++at;  // the tail of a token holding that byte
  }
  bool pending_break = false;
  bool plain_gap = true;
  while (at < to) {
    if (const size_t sep = separator_at(text, at); sep > 0) {
      if (sep == 1 && bytes[at] != ' ' && bytes[at] != '\t' && bytes[at] != '\n' && bytes[at] != '\r') plain_gap = false;
      // A line break or JSON/list structure between two words separates them.
      if (text.substr(at, sep).find_first_of("\n[]{}()") != std::string_view::npos) pending_break = true;
      at += sep;
      continue;
    }
    const size_t begin = at;
    // The hot loop of wallet-scan on text: one table load per byte until a separator.
    while (at < to) {
      const std::uint8_t cls = kSeparatorTable[bytes[at]];
      if (cls == kSeparator || (cls == kMaybeIdeographicSpace && separator_at(text, at) != 0)) break;
      ++at;
    }
    std::string_view token = text.substr(begin, at - begin);
    const bool cut = at == to && to < text.size();
    if (!cut && is_list_number(token)) {
      pending_break = true;
      plain_gap = false;
      continue;
    }
    bool sentence_end = false;
    const WordEntry* entry = cut ? nullptr : lookup(token);
    if (entry == nullptr && !cut && token.size() > 1 && token.back() == '.') {  // a sentence ending after the last word
      token.remove_suffix(1);
      entry = lookup(token);
      sentence_end = entry != nullptr;
    }
    if (entry != nullptr) {
      run.push_back(Word{begin, token.size(), entry, pending_break, is_phrase_keyword(token), sentence_end, plain_gap});
      pending_break = sentence_end;
      plain_gap = true;
    } else {
      pending_break = false;
      scan_run(run, try_from, out);
      run.clear();
    }
  }
  scan_run(run, try_from, out);
  run.clear();
}

/// True when a separator ends just before `at` (the token at `at` starts there).
bool separator_ends_at(const unsigned char* bytes, size_t at) {
  if (kSeparatorTable[bytes[at - 1]] == kSeparator) return true;
  return at >= 3 && bytes[at - 3] == 0xE3 && bytes[at - 2] == 0x80 && bytes[at - 1] == 0x80;
}

/// Finds the word runs of a phrase-byte region text[from, to) without
/// tokenizing all of it: only a run of 12 or more words can hold a phrase, and
/// such a run spans at least kMinPhraseBytes bytes, so a sample every
/// kMinPhraseBytes bytes (phrase_sample_grid) lands in it. `samples` are
/// those grid points, in order, less the ones shown to lie in no run of
/// words (phrase_samples: a token no list holds). From each sample the run around it is
/// walked token by token to the tokens that end it (any token that is neither
/// a list word nor a list number); only a run with 12 or more words is
/// tokenized, exactly as tokenize() over the whole region would see it (the
/// tokens before and after a run do not change how it is read). Prose is full
/// of list words, but rarely of 12 in a row, so most samples cost a few lookups.
void scan_region(std::string_view text, size_t from, size_t to, std::span<const size_t> samples, size_t try_from,
                 std::vector<Word>& run, std::vector<Bip39Match>& out) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  enum class Kind { breaks, number, word };
  // A token as tokenize() classes it: the one holding the byte before the
  // region and the one cut by the byte after it are no words.
  auto kind_of = [&](size_t begin, size_t end) {
    if ((begin == from && from > 0) || (end == to && to < text.size())) return Kind::breaks;
    std::string_view token = text.substr(begin, end - begin);
    if (is_list_number(token)) return Kind::number;
    if (lookup(token) != nullptr) return Kind::word;
    if (token.size() > 1 && token.back() == '.' && lookup(token.substr(0, token.size() - 1)) != nullptr)
      return Kind::word;
    return Kind::breaks;
  };
  auto token_end = [&](size_t at) {
    while (at < to) {
      const std::uint8_t cls = kSeparatorTable[bytes[at]];
      if (cls == kSeparator || (cls == kMaybeIdeographicSpace && separator_at(text, at) != 0)) break;
      ++at;
    }
    return at;
  };
  auto skip_separators = [&](size_t at) {
    while (at < to) {
      const size_t sep = separator_at(text, at);
      if (sep == 0) break;
      at += sep;
    }
    return at;
  };
  // Length of the separator ending at `at` (0 if none), not reaching before `floor`.
  auto separator_before = [&](size_t at, size_t floor) -> size_t {
    if (at > floor && kSeparatorTable[bytes[at - 1]] == kSeparator) return 1;
    if (at >= floor + 3 && bytes[at - 3] == 0xE3 && bytes[at - 2] == 0x80 && bytes[at - 1] == 0x80) return 3;
    return 0;
  };
  auto token_start = [&](size_t at, size_t floor) {
    while (at > floor && !separator_ends_at(bytes, at)) --at;
    return at;
  };

  // Every run before `segment` is done; a token or a separator starts there
  // (the end of a token that ends runs, or `from`). Samples before it lie in
  // runs already read.
  size_t segment = from;
  for (const size_t q : samples) {
    if (q < segment) continue;
    if (q >= to) break;
    // The token holding q, else the last one before it, else the first one after `segment`.
    size_t begin = token_start(q, segment);
    size_t end = token_end(begin);
    if (end == begin) {
      begin = skip_separators(begin);
      if (begin >= to) break;
      end = token_end(begin);
    }
    Kind kind = kind_of(begin, end);
    if (kind == Kind::breaks) {
      segment = end;
      continue;
    }
    size_t words = kind == Kind::word ? 1 : 0;
    // Back to the token that ends the run, or to `segment`.
    size_t first = begin;
    for (;;) {
      size_t at = first;
      while (const size_t sep = separator_before(at, segment)) at -= sep;
      if (at <= segment) break;
      const size_t b = token_start(at, segment);
      const Kind k = kind_of(b, at);
      if (k == Kind::breaks) break;
      words += k == Kind::word ? 1 : 0;
      first = b;
    }
    // On to the token that ends the run, or to the region end.
    size_t last_end = end;
    size_t next = to;       // where the token ending the run starts
    size_t next_end = to;   // and ends
    for (;;) {
      const size_t b = skip_separators(last_end);
      if (b >= to) break;
      const size_t e = token_end(b);
      const Kind k = kind_of(b, e);
      if (k == Kind::breaks) {
        next = b;
        next_end = e;
        break;
      }
      words += k == Kind::word ? 1 : 0;
      last_end = e;
    }
    if (words >= 12) {
      // From the separator before the first token: tokenize() skips the tail
      // of a token it starts in.
      const size_t run_from = first == 0 ? 0 : first - separator_before(first, 0);
      tokenize(text, run_from, next, try_from, run, out);
    }
    segment = next_end;
  }
}

}  // namespace

const char* bip39_language_name(Bip39Language language) {
  switch (language) {
    case Bip39Language::english: return "english";
    case Bip39Language::japanese: return "japanese";
    case Bip39Language::korean: return "korean";
    case Bip39Language::spanish: return "spanish";
    case Bip39Language::chinese_simplified: return "chinese_simplified";
    case Bip39Language::chinese_traditional: return "chinese_traditional";
    case Bip39Language::french: return "french";
    case Bip39Language::italian: return "italian";
    case Bip39Language::czech: return "czech";
    case Bip39Language::portuguese: return "portuguese";
  }
  return "unknown";
}

std::optional<uint16_t> bip39_word_index(Bip39Language language, std::string_view word) {
  const WordEntry* entry = lexicon().find(word);
  if (entry == nullptr) return std::nullopt;
  const int16_t index = entry->index[static_cast<size_t>(language)];
  if (index < 0) return std::nullopt;
  return static_cast<uint16_t>(index);
}

std::optional<Bip39Phrase> check_bip39(std::span<const std::string_view> words) {
  if (!valid_count(words.size())) return std::nullopt;
  std::array<const WordEntry*, 24> entries{};
  for (size_t i = 0; i < words.size(); ++i) {
    entries[i] = lookup(words[i]);
    if (entries[i] == nullptr) return std::nullopt;
  }
  const auto span = std::span<const WordEntry* const>(entries).first(words.size());
  std::optional<Bip39Phrase> first;
  for (size_t lang = 0; lang < kBip39LanguageCount; ++lang) {
    Bip39Phrase phrase;
    if (!evaluate(span, lang, phrase)) continue;
    if (phrase.checksum_valid) return phrase;
    if (!first) first = std::move(phrase);
  }
  return first;
}

std::vector<Bip39Match> find_bip39_phrases(std::string_view text) { return find_bip39_phrases(text, text.size()); }

std::vector<Bip39Match> find_bip39_phrases(std::string_view text, size_t report_end) {
  return find_bip39_phrases(text, report_end, 0);
}

std::vector<Bip39Match> find_bip39_phrases(std::string_view text, size_t report_end, size_t try_from) {
  std::vector<PhraseStretch> stretches;
  phrase_stretches(text, report_end, stretches);
  std::vector<size_t> samples;
  phrase_sample_grid(stretches, samples);
  return find_bip39_phrases(text, report_end, try_from, stretches, samples);
}

void phrase_sample_grid(std::span<const PhraseStretch> stretches, std::vector<size_t>& out) {
  out.clear();
  for (const PhraseStretch& stretch : stretches)
    for (size_t q = stretch.begin + kMinPhraseBytes - 1; q < stretch.end; q += kMinPhraseBytes) out.push_back(q);
}

const ByteSpanSet& phrase_byte_set() { return phrase_bytes(); }

void phrase_stretches(std::string_view text, size_t stop, std::vector<PhraseStretch>& out) {
  // Only stretches of "phrase bytes" (word bytes, separators, list numbering)
  // of at least kMinPhraseBytes can hold a phrase, and a token holding any
  // other byte breaks a word run, so each stretch is tokenized alone with the
  // same result as the whole text. Random bytes have few such stretches, text
  // is mostly stretches too short: long_spans finds the long ones 64
  // positions at a time.
  std::vector<ByteSpanSet::Span> spans;
  phrase_bytes().long_spans(reinterpret_cast<const unsigned char*>(text.data()), text.size(), kMinPhraseBytes, stop,
                            spans);
  out.clear();
  for (const ByteSpanSet::Span& span : spans) out.push_back(PhraseStretch{span.begin, span.end});
}

std::vector<Bip39Match> find_bip39_phrases(std::string_view text, size_t report_end, size_t try_from,
                                           std::span<const PhraseStretch> stretches, std::span<const size_t> samples) {
  // Stretches starting at or after report_end hold no phrase the caller wants.
  std::vector<Bip39Match> out;
  std::vector<Word> run;
  size_t next = 0;  // the first sample of the stretch
  for (const PhraseStretch& stretch : stretches) {
    if (stretch.begin >= std::min(text.size(), report_end)) break;
    while (next < samples.size() && samples[next] < stretch.begin) ++next;
    size_t last = next;
    while (last < samples.size() && samples[last] < stretch.end) ++last;
    scan_region(text, stretch.begin, stretch.end, samples.subspan(next, last - next), try_from, run, out);
    next = last;
  }
  std::erase_if(out, [&](const Bip39Match& m) { return m.offset >= report_end; });
  return out;
}

}  // namespace trawl::scan
