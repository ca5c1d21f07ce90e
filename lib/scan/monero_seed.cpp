#include "scan/monero_seed.hpp"

#include <algorithm>
#include <cstdint>
#include <string>
#include <unordered_set>

#include "formats/deflate.hpp"

namespace trawl::scan {
namespace {

const std::unordered_set<std::string_view>& word_set() {
  static const std::unordered_set<std::string_view> set(monero_wordlist().begin(), monero_wordlist().end());
  return set;
}

}  // namespace

bool is_monero_seed(std::span<const std::string> words) {
  constexpr std::size_t kPrefix = 3;
  if (words.size() != 25 || monero_wordlist().empty()) return false;
  for (const auto& w : words)
    if (!word_set().count(w)) return false;
  std::string prefixes;
  for (std::size_t i = 0; i < 24; ++i) prefixes += words[i].substr(0, kPrefix);
  const std::size_t index = formats::crc32_of({reinterpret_cast<const std::uint8_t*>(prefixes.data()), prefixes.size()}) % 24;
  return words[index].substr(0, kPrefix) == words[24].substr(0, kPrefix);
}

}  // namespace trawl::scan
