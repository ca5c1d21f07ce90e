#pragma once
// The hashes key validation and derivation need beyond SHA-256: HASH160
// (RIPEMD-160 of SHA-256, Bitcoin's key and script hash), HMAC-SHA512 (BIP32
// child keys, Electrum seed versions, BIP39 seeds via PBKDF2), SHA-512,
// PBKDF2-HMAC-SHA512 (BIP39 seed from mnemonic) and scrypt (BIP38). OpenSSL is
// included only by crypto_hashes.cpp and sha256_adapter.cpp.
#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace trawl::scan {

using Hash160 = std::array<std::uint8_t, 20>;
using Sha512Digest = std::array<std::uint8_t, 64>;

Hash160 hash160(std::span<const std::uint8_t> bytes);
Hash160 ripemd160(std::span<const std::uint8_t> bytes);
Sha512Digest sha512(std::span<const std::uint8_t> bytes);
Sha512Digest hmac_sha512(std::span<const std::uint8_t> key, std::span<const std::uint8_t> message);
/// PBKDF2-HMAC-SHA512 with a 64-byte output (BIP39: 2048 iterations, salt "mnemonic" + passphrase).
Sha512Digest pbkdf2_sha512(std::string_view password, std::string_view salt, unsigned iterations);
/// scrypt(password, salt, N, r, p) of `length` bytes; empty on failure (bad parameters or memory).
std::vector<std::uint8_t> scrypt(std::span<const std::uint8_t> password, std::span<const std::uint8_t> salt,
                                 std::uint64_t n, std::uint32_t r, std::uint32_t p, std::size_t length);

}  // namespace trawl::scan
