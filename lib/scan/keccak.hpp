#pragma once
// Keccak-256 as Ethereum uses it: the original Keccak submission's padding
// (domain byte 0x01), not FIPS 202 SHA3-256 (0x06). Written from the Keccak
// reference because OpenSSL 3.0 on Debian 12 has no KECCAK-256.
#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace trawl::scan {

using Keccak256Digest = std::array<std::uint8_t, 32>;

/// Keccak-256 (rate 136 bytes, pad 0x01 .. 0x80). Linear in the input; no allocation.
Keccak256Digest keccak256(std::span<const std::uint8_t> bytes);
Keccak256Digest keccak256(std::string_view text);

/// FIPS 202 SHA3-256: the same sponge with domain byte 0x06. Kept so the permutation can be
/// checked against an independent SHA3 implementation (OpenSSL, Python hashlib).
Keccak256Digest sha3_256(std::span<const std::uint8_t> bytes);

}  // namespace trawl::scan
