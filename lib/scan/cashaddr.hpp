#pragma once
// Bitcoin Cash CashAddr (bitcoincash.org spec/cashaddr.md): 40-bit BCH
// checksum over the prefix and a bech32-charset payload. Pure validator for
// wallet-scan: no I/O, no globals, never throws; work is linear in the input.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace trawl::scan {

/// Assumed when the text carries no `prefix:`.
inline constexpr std::string_view kCashAddrDefaultPrefix = "bitcoincash";
/// Default longest text: `bitcoincash:` + a 512-bit hash (104 characters) + 8 checksum characters.
inline constexpr std::size_t kCashAddrMaxLength = 128;

/// The checksum over 5-bit values (prefix low bits, 0, payload, checksum): valid iff 0.
std::uint64_t cashaddr_polymod(std::span<const std::uint8_t> values);

struct CashAddrPayload {
  std::string prefix;              ///< lower case
  std::vector<std::uint8_t> data;  ///< 5-bit values, checksum removed
};

/// Checks the checksum of `[prefix:]payload`. No prefix means `default_prefix`. Rejects mixed
/// case, an empty prefix or one with characters other than letters and digits, payload
/// characters outside the bech32 charset, fewer than 8 checksum characters, a length over
/// `max_length`. Errors: invalid_argument (syntax), data_loss (checksum).
Result<CashAddrPayload> cashaddr_decode_raw(std::string_view text,
                                            std::string_view default_prefix = kCashAddrDefaultPrefix,
                                            std::size_t max_length = kCashAddrMaxLength);

/// `prefix:` + 5-bit `data` + checksum. Errors: invalid_argument (bad prefix, value over 31).
Result<std::string> cashaddr_encode_raw(std::string_view prefix, std::span<const std::uint8_t> data);

struct CashAddress {
  std::string prefix;  ///< lower case: "bitcoincash", "bchtest", "bchreg", ...
  std::uint8_t version = 0;  ///< the version byte: type << 3 | size bits
  int type = 0;              ///< 0 = P2PKH (`q`), 1 = P2SH (`p`), 2/3 = token-aware forms
  std::vector<std::uint8_t> hash;
};

/// Decodes an address: checksum, zero padding, version byte with its reserved bit clear. For
/// types 0..3 the size bits must match the hash length (160..512 bits); other types are
/// undefined and their length is not checked. Errors as cashaddr_decode_raw.
Result<CashAddress> cashaddr_decode(std::string_view text, std::string_view default_prefix = kCashAddrDefaultPrefix,
                                    std::size_t max_length = kCashAddrMaxLength);

/// Encodes `type` (0..15) and a hash of 20, 24, 28, 32, 40, 48, 56 or 64 bytes.
Result<std::string> cashaddr_encode(std::string_view prefix, int type, std::span<const std::uint8_t> hash);

}  // namespace trawl::scan
