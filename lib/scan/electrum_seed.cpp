#include "scan/electrum_seed.hpp"

#include <cstdint>
#include <span>

#include "scan/crypto_hashes.hpp"

namespace trawl::scan {

std::string normalise_electrum_seed(std::string_view phrase) {
  std::string out;
  bool space = false;
  for (char c : phrase) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

std::optional<std::string> electrum_seed_type(std::string_view phrase) {
  static constexpr std::string_view kKey = "Seed version";
  const std::string normal = normalise_electrum_seed(phrase);
  const auto mac = hmac_sha512(
      std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(kKey.data()), kKey.size()),
      std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(normal.data()), normal.size()));
  // Hex digits of the first two bytes: "01" is one byte, the others three nibbles.
  if (mac[0] == 0x01) return std::string("standard");
  if (mac[0] == 0x10) {
    const unsigned third = mac[1] >> 4;
    if (third == 0) return std::string("segwit");
    if (third == 1) return std::string("2fa");
    if (third == 2) return std::string("2fa_segwit");
  }
  return std::nullopt;
}

}  // namespace trawl::scan
