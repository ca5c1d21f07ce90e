#include "scan/wallet_seeds.hpp"

#include <algorithm>
#include <optional>
#include <string_view>

#include "scan/bip39.hpp"
#include "scan/electrum_seed.hpp"
#include "scan/monero_seed.hpp"

namespace trawl::scan {
namespace {

struct Word {
  std::size_t offset = 0;
  std::size_t length = 0;
  std::string_view text;
};

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool is_separator(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == ';' || c == '"' || c == '\'' ||
         c == '[' || c == ']' || c == '(' || c == ')' || c == '{' || c == '}';
}

/// Runs of ASCII words separated by separators and list numbers ("1.", "2)").
std::vector<std::vector<Word>> word_runs(std::string_view t) {
  std::vector<std::vector<Word>> runs(1);
  std::size_t i = 0;
  while (i < t.size()) {
    if (is_letter(t[i])) {
      std::size_t j = i;
      while (j < t.size() && is_letter(t[j])) ++j;
      if (j < t.size() && (t[j] == '.' || t[j] == ':' || t[j] == '!' || t[j] == '?')) {
        // Sentence punctuation ends the run after this word.
        if (j - i <= 12) runs.back().push_back(Word{i, j - i, t.substr(i, j - i)});
        runs.emplace_back();
        i = j + 1;
        continue;
      }
      if (j < t.size() && !is_separator(t[j]) && !(t[j] >= '0' && t[j] <= '9')) {
        // A word glued to other bytes ("word.x") ends the run.
        runs.emplace_back();
        while (j < t.size() && !is_separator(t[j])) ++j;
        i = j;
        continue;
      }
      if (j - i <= 12) runs.back().push_back(Word{i, j - i, t.substr(i, j - i)});
      else runs.emplace_back();
      i = j;
    } else if (t[i] >= '0' && t[i] <= '9') {
      std::size_t j = i;
      while (j < t.size() && t[j] >= '0' && t[j] <= '9') ++j;
      if (j < t.size() && (t[j] == '.' || t[j] == ')' || t[j] == ':')) ++j;
      if (j - i > 4) runs.emplace_back();
      i = j;
    } else if (is_separator(t[i])) {
      ++i;
    } else {
      runs.emplace_back();
      ++i;
    }
    if (runs.back().size() > 4096) runs.emplace_back();  // bounded work per run
  }
  return runs;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string join(const std::vector<Word>& run, std::size_t from, std::size_t n) {
  std::string out;
  for (std::size_t k = from; k < from + n; ++k) out += (out.empty() ? "" : " ") + lower(run[k].text);
  return out;
}

/// Index in the BIP39 English list, or -1.
int english_index(std::string_view word) {
  const std::string w = lower(word);
  auto idx = bip39_word_index(Bip39Language::english, w);
  return idx ? static_cast<int>(*idx) : -1;
}

/// Seeds come from random entropy: their words are nearly all different, and a
/// seed is written on its own, not in the middle of prose. Both tests keep
/// "null null null ..." tables and 25-word stretches of English text (one in
/// 24 passes Monero's checksum word) out.
bool diverse(const std::vector<Word>& run, std::size_t from, std::size_t n) {
  std::vector<std::string> words;
  for (std::size_t k = from; k < from + n; ++k) words.push_back(lower(run[k].text));
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

void electrum_in_run(std::string_view t, const std::vector<Word>& run, std::size_t page_end, std::vector<SeedHit>& out) {
  std::vector<int> idx;
  idx.reserve(run.size());
  for (const auto& w : run) idx.push_back(english_index(w.text));
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
      out.push_back(SeedHit{"electrum.seed", phrase, *type, run[i].offset, end - run[i].offset, n});
      i += n;
      found = true;
      break;
    }
    if (!found) ++i;
  }
}

void monero_in_run(std::string_view t, const std::vector<Word>& run, std::size_t page_end, std::vector<SeedHit>& out) {
  constexpr std::size_t kWords = 25;
  // Words not in the list end any window early: the next candidate starts after them.
  std::vector<std::size_t> next_miss(run.size() + 1, run.size());
  const auto& list = monero_wordlist();
  for (std::size_t k = run.size(); k-- > 0;) {
    const std::string w = lower(run[k].text);
    const bool in = std::binary_search(list.begin(), list.end(), std::string_view(w));
    next_miss[k] = in ? next_miss[k + 1] : k;
  }
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
      for (std::size_t k = i; k < i + kWords; ++k) words.push_back(lower(run[k].text));
    if (candidate && is_monero_seed(words)) {
      const std::size_t end = run[i + kWords - 1].offset + run[i + kWords - 1].length;
      out.push_back(SeedHit{"monero.seed", join(run, i, kWords), "", run[i].offset, end - run[i].offset, kWords});
      i += kWords;
    } else {
      ++i;
    }
  }
}

}  // namespace

std::vector<SeedHit> find_wallet_seeds(std::span<const std::byte> data, std::size_t page_end) {
  const std::string_view t(reinterpret_cast<const char*>(data.data()), data.size());
  std::vector<SeedHit> out;
  for (const auto& run : word_runs(t)) {
    if (run.size() < 12) continue;
    electrum_in_run(t, run, page_end, out);
    if (run.size() >= 25) monero_in_run(t, run, page_end, out);
  }
  std::stable_sort(out.begin(), out.end(), [](const SeedHit& a, const SeedHit& b) { return a.offset < b.offset; });
  return out;
}

}  // namespace trawl::scan
