#include "scan/monero_seed.hpp"

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/ascii.hpp"
#include "formats/deflate.hpp"

namespace trawl::scan {
namespace {

/// Each list's words (ASCII-lower-cased) to their index; built on the first
/// candidate checked, which a scan of ordinary data rarely reaches.
const std::vector<std::unordered_map<std::string, int>>& indexes() {
  static const auto maps = [] {
    std::vector<std::unordered_map<std::string, int>> out;
    for (const MoneroLanguage& language : monero_languages()) {
      auto& map = out.emplace_back();
      map.reserve(language.words.size());
      for (std::size_t i = 0; i < language.words.size(); ++i) map.emplace(ascii_lower(language.words[i]), static_cast<int>(i));
    }
    return out;
  }();
  return maps;
}

/// The first `count` code points of UTF-8 `word` (all of it when shorter).
std::string_view utf8_prefix(std::string_view word, unsigned count) {
  std::size_t at = 0;
  for (unsigned seen = 0; at < word.size(); ++at) {
    const auto byte = static_cast<unsigned char>(word[at]);
    if ((byte & 0xC0) != 0x80 && seen++ == count) break;  // a lead byte starts code point number `seen`
  }
  return word.substr(0, at);
}

bool checksum_passes(const MoneroLanguage& language, const int (&index)[25]) {
  std::string prefixes;
  for (std::size_t i = 0; i < 24; ++i) prefixes += utf8_prefix(language.words[static_cast<std::size_t>(index[i])], language.prefix);
  const std::size_t at =
      formats::crc32_of({reinterpret_cast<const std::uint8_t*>(prefixes.data()), prefixes.size()}) % 24;
  // Prefixes are unique in a list: the same prefix is the same word.
  return index[at] == index[24];
}

}  // namespace

int monero_word_index(const MoneroLanguage& language, std::string_view word) {
  const auto languages = monero_languages();
  const auto& map = indexes()[static_cast<std::size_t>(&language - languages.data())];
  const auto it = map.find(ascii_lower(word));
  return it == map.end() ? -1 : it->second;
}

const MoneroLanguage* monero_seed_language(std::span<const std::string_view> words) {
  if (words.size() != 25) return nullptr;
  for (const MoneroLanguage& language : monero_languages()) {
    int index[25];
    bool all = true;
    for (std::size_t i = 0; i < 25 && all; ++i) all = (index[i] = monero_word_index(language, words[i])) >= 0;
    if (all && checksum_passes(language, index)) return &language;
  }
  return nullptr;
}

bool is_monero_seed(std::span<const std::string> words) {
  if (words.size() != 25) return false;
  const MoneroLanguage& english = monero_languages().front();
  int index[25];
  for (std::size_t i = 0; i < 25; ++i) {
    for (char c : words[i])
      if (c < 'a' || c > 'z') return false;
    if ((index[i] = monero_word_index(english, words[i])) < 0) return false;
  }
  return checksum_passes(english, index);
}

}  // namespace trawl::scan
