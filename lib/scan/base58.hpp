#pragma once
// Base58 and base58check (Bitcoin and XRP alphabets): pure validators for
// wallet-scan. No I/O, no globals, never throw; work is bounded by the input.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace trawl::scan {

/// Same 58 characters, different order: XRP starts with `r` (value 0) where Bitcoin has `1`.
enum class Base58Alphabet { bitcoin, xrp };

/// Default longest text decoded. Covers every known base58 artifact (BIP32 keys are 111 characters).
inline constexpr std::size_t kBase58MaxChars = 128;

/// Decodes `text` exactly: every character must be in the alphabet (no whitespace, no junk on
/// either side). Each leading zero character (`1`, or `r` for XRP) becomes one 0x00 byte.
/// Errors: invalid_argument (bad character), resource_exhausted (longer than `max_chars`).
/// Cost is quadratic in the length, hence the limit.
Result<std::vector<std::uint8_t>> base58_decode(std::string_view text,
                                                Base58Alphabet alphabet = Base58Alphabet::bitcoin,
                                                std::size_t max_chars = kBase58MaxChars);

/// The most bytes base58_decode(text, alphabet) can give, from the length of
/// `text` and its leading zero characters alone (no decoding): one per zero
/// character and log(58) / log(256) per other character, rounded up. A
/// scanner looking for a payload of known size skips the quadratic decoding
/// of strings too short for it.
std::size_t base58_decoded_size_bound(std::string_view text, Base58Alphabet alphabet = Base58Alphabet::bitcoin);

/// Encodes `bytes`; quadratic in their length, so callers bound it.
std::string base58_encode(std::span<const std::uint8_t> bytes,
                          Base58Alphabet alphabet = Base58Alphabet::bitcoin);

/// Decodes base58 of `payload || SHA256(SHA256(payload))[0:4]` and returns the payload (version
/// bytes included). Errors as base58_decode, plus data_loss (shorter than 5 bytes, wrong checksum).
Result<std::vector<std::uint8_t>> base58check_decode(std::string_view text,
                                                     Base58Alphabet alphabet = Base58Alphabet::bitcoin,
                                                     std::size_t max_chars = kBase58MaxChars);

/// Appends the 4-byte double-SHA-256 checksum and encodes.
std::string base58check_encode(std::span<const std::uint8_t> payload,
                               Base58Alphabet alphabet = Base58Alphabet::bitcoin);

}  // namespace trawl::scan
