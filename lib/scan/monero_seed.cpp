#include "scan/monero_seed.hpp"

#include <algorithm>
#include <cstdint>
#include <string>
#include <unordered_set>

namespace trawl::scan {
namespace {

std::uint32_t crc32(std::string_view bytes) {
  std::uint32_t crc = 0xFFFFFFFFu;
  for (char ch : bytes) {
    crc ^= static_cast<std::uint8_t>(ch);
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

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
  const std::size_t index = crc32(prefixes) % 24;
  return words[index].substr(0, kPrefix) == words[24].substr(0, kPrefix);
}

}  // namespace trawl::scan
