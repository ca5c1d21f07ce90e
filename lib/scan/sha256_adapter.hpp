#pragma once
// SHA-256 for the validators (base58check). The one lib/scan file that talks to
// OpenSSL; hash::MultiDigest is built for streams and too heavy per candidate.
#include <array>
#include <cstdint>
#include <span>

namespace trawl::scan {

using Sha256Digest = std::array<std::uint8_t, 32>;

Sha256Digest sha256(std::span<const std::uint8_t> bytes);
/// SHA-256 of SHA-256: the base58check checksum hash.
Sha256Digest sha256d(std::span<const std::uint8_t> bytes);

}  // namespace trawl::scan
