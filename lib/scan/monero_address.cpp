#include "scan/monero_address.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "scan/keccak.hpp"

namespace trawl::scan {
namespace {

constexpr std::string_view kAlphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
constexpr std::size_t kFullBlockBytes = 8;
constexpr std::size_t kFullBlockChars = 11;
/// Characters of a block of k bytes, k = 0..8.
constexpr std::array<std::size_t, 9> kBlockChars = {0, 2, 3, 5, 6, 7, 9, 10, 11};

constexpr std::array<std::int8_t, 256> make_digits() {
  std::array<std::int8_t, 256> t{};
  for (auto& d : t) d = -1;
  for (std::size_t i = 0; i < kAlphabet.size(); ++i) t[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::int8_t>(i);
  return t;
}
constexpr std::array<std::int8_t, 256> kDigits = make_digits();

/// Appends the `bytes` big-endian bytes of one block; false when invalid.
bool decode_block(std::string_view chars, std::size_t bytes, std::vector<std::uint8_t>& out) {
  // 11 base58 digits can exceed 64 bits; such a value fits no block.
  std::uint64_t value = 0;
  for (char c : chars) {
    const std::int8_t d = kDigits[static_cast<unsigned char>(c)];
    if (d < 0) return false;
    const auto digit = static_cast<std::uint64_t>(d);
    if (value > (UINT64_MAX - digit) / 58) return false;
    value = value * 58 + digit;
  }
  if (bytes < 8 && (value >> (8 * bytes)) != 0) return false;
  for (std::size_t i = bytes; i-- > 0;) out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
  return true;
}

struct Network {
  std::uint8_t tag;
  const char* kind;
  std::size_t chars;
};

constexpr std::array<Network, 9> kNetworks = {{
    {18, "xmr.address", 95},           {19, "xmr.integrated", 106},           {42, "xmr.subaddress", 95},
    {53, "xmr-testnet.address", 95},   {54, "xmr-testnet.integrated", 106},   {63, "xmr-testnet.subaddress", 95},
    {24, "xmr-stagenet.address", 95},  {25, "xmr-stagenet.integrated", 106},  {36, "xmr-stagenet.subaddress", 95},
}};

}  // namespace

std::optional<std::vector<std::uint8_t>> monero_base58_decode(std::string_view text) {
  const std::size_t full = text.size() / kFullBlockChars;
  const std::size_t rest = text.size() % kFullBlockChars;
  std::size_t last_bytes = 0;
  while (last_bytes < kBlockChars.size() && kBlockChars[last_bytes] != rest) ++last_bytes;
  if (last_bytes == kBlockChars.size()) return std::nullopt;
  std::vector<std::uint8_t> out;
  out.reserve(full * kFullBlockBytes + last_bytes);
  for (std::size_t b = 0; b < full; ++b) {
    if (!decode_block(text.substr(b * kFullBlockChars, kFullBlockChars), kFullBlockBytes, out)) return std::nullopt;
  }
  if (rest > 0 && !decode_block(text.substr(full * kFullBlockChars), last_bytes, out)) return std::nullopt;
  return out;
}

const char* classify_monero_address(std::string_view text) {
  if (text.size() != 95 && text.size() != 106) return nullptr;
  const auto payload = monero_base58_decode(text);
  if (!payload || payload->size() < 5) return nullptr;
  const Network* network = nullptr;
  for (const auto& n : kNetworks) {
    if (n.tag == (*payload)[0] && n.chars == text.size()) network = &n;
  }
  if (network == nullptr) return nullptr;
  const std::span<const std::uint8_t> bytes(*payload);
  const Keccak256Digest digest = keccak256(bytes.first(bytes.size() - 4));
  for (std::size_t i = 0; i < 4; ++i) {
    if (digest[i] != bytes[bytes.size() - 4 + i]) return nullptr;
  }
  return network->kind;
}

}  // namespace trawl::scan
