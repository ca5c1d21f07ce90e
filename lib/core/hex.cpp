#include "core/hex.hpp"

#include <algorithm>

namespace trawl {

std::string hex_lower(std::span<const uint8_t> bytes, size_t max_bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  const size_t n = std::min(bytes.size(), max_bytes);
  std::string out;
  out.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    out.push_back(kDigits[bytes[i] >> 4]);
    out.push_back(kDigits[bytes[i] & 15]);
  }
  return out;
}

}  // namespace trawl
