#pragma once
// Bech32 (BIP173) and bech32m (BIP350) strings and segwit addresses: pure
// validators for wallet-scan. No I/O, no globals, never throw; work is linear
// in the input and bounded by `max_length`.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace trawl::scan {

/// Which checksum constant verified: 1 (bech32) or 0x2bc830a3 (bech32m).
enum class Bech32Encoding { bech32, bech32m };

/// The BIP173 limit on the whole string. Cardano and Lightning need it lifted.
inline constexpr std::size_t kBech32MaxLength = 90;
inline constexpr std::size_t kBech32NoLengthLimit = std::numeric_limits<std::size_t>::max();
/// The HRP is 1..83 characters whatever the length limit.
inline constexpr std::size_t kBech32MaxHrpLength = 83;

struct Bech32Decoded {
  Bech32Encoding encoding = Bech32Encoding::bech32;
  std::string hrp;                 ///< lower case
  std::vector<std::uint8_t> data;  ///< 5-bit values, checksum removed
};

/// Decodes a whole bech32 or bech32m string. Rejects: characters outside 33..126, mixed case,
/// no separator, an empty or over-long HRP, fewer than 6 checksum characters, data characters
/// outside the charset, a checksum matching neither constant, length over `max_length`.
Result<Bech32Decoded> bech32_decode(std::string_view text, std::size_t max_length = kBech32MaxLength);

/// Encodes `hrp` (used lower-cased; must be 1..83 characters in 33..126) and 5-bit `data`
/// (every value < 32). Errors: invalid_argument.
Result<std::string> bech32_encode(std::string_view hrp, std::span<const std::uint8_t> data,
                                  Bech32Encoding encoding);

/// Regroups bits, MSB first (8 -> 5 with `pad`, 5 -> 8 without). Without `pad`, leftover bits
/// must be fewer than `from_bits` and all zero. Errors: invalid_argument.
Result<std::vector<std::uint8_t>> convert_bits(std::span<const std::uint8_t> in, int from_bits, int to_bits,
                                               bool pad);

struct SegwitAddress {
  std::string hrp;  ///< lower case, e.g. "bc", "tb", "bcrt"
  int witness_version = 0;
  std::vector<std::uint8_t> program;  ///< 2..40 bytes; 20 or 32 for version 0
};

/// Decodes a segwit address (90-character limit): version 0 must be bech32 with a 20- or
/// 32-byte program, versions 1..16 must be bech32m with 2..40 bytes. An empty `expected_hrp`
/// accepts any HRP. Errors: invalid_argument (not bech32, wrong HRP), data_loss (checksum,
/// version, program length, padding).
Result<SegwitAddress> segwit_decode(std::string_view text, std::string_view expected_hrp = {});

/// Encodes a segwit address, checking the same rules as segwit_decode.
Result<std::string> segwit_encode(std::string_view hrp, int witness_version,
                                  std::span<const std::uint8_t> program);

/// The output script an address pays to: OP_n, push length, program.
std::vector<std::uint8_t> segwit_script_pubkey(const SegwitAddress& address);

}  // namespace trawl::scan
