#pragma once
// secp256k1 operations for validating and deriving keys: private-key range,
// public keys from private keys, points on the curve, BIP32 tweaks.
// libsecp256k1 is included only by secp256k1.cpp; one immutable context is
// shared by all threads (the library allows concurrent use of a const context).
#include <array>
#include <cstdint>
#include <optional>
#include <span>

namespace trawl::scan {

using PrivateKey = std::array<std::uint8_t, 32>;
using CompressedPublicKey = std::array<std::uint8_t, 33>;
using UncompressedPublicKey = std::array<std::uint8_t, 65>;
using XOnlyPublicKey = std::array<std::uint8_t, 32>;

/// BIP86 key-path-only taproot keys of one private key: the x-only internal
/// key P and the output key Q = P + t·G with t = tagged_hash("TapTweak", P)
/// (BIP341, no script tree). Q is the witness program of the bc1p address.
struct TaprootKeys {
  XOnlyPublicKey internal{};
  XOnlyPublicKey output{};
};

/// 0 < k < n (the curve order).
bool is_valid_private_key(std::span<const std::uint8_t, 32> key);
/// A 33-byte (02/03) or 65-byte (04) encoding of a point on the curve.
bool is_valid_public_key(std::span<const std::uint8_t> key);

std::optional<CompressedPublicKey> public_key_compressed(std::span<const std::uint8_t, 32> private_key);
std::optional<UncompressedPublicKey> public_key_uncompressed(std::span<const std::uint8_t, 32> private_key);
/// Re-encodes a valid public key (either form).
std::optional<CompressedPublicKey> compress_public_key(std::span<const std::uint8_t> key);
std::optional<UncompressedPublicKey> decompress_public_key(std::span<const std::uint8_t> key);

/// (k + tweak) mod n, for BIP32 private child derivation; nullopt when invalid.
std::optional<PrivateKey> private_key_tweak_add(std::span<const std::uint8_t, 32> key,
                                                std::span<const std::uint8_t, 32> tweak);
/// P + tweak·G, for BIP32 public child derivation; nullopt when invalid.
std::optional<CompressedPublicKey> public_key_tweak_add(std::span<const std::uint8_t> key,
                                                        std::span<const std::uint8_t, 32> tweak);

/// The BIP86 taproot keys of `private_key`; nullopt when it is not a valid key
/// (or, vanishingly rarely, the tweak is out of range).
std::optional<TaprootKeys> taproot_keys(std::span<const std::uint8_t, 32> private_key);

}  // namespace trawl::scan
