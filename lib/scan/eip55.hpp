#pragma once
// EIP-55 mixed-case checksums of `0x` + 40-hex-digit EVM addresses: pure
// validator for wallet-scan. No I/O, no globals, never throws.
#include <optional>
#include <string>
#include <string_view>

namespace trawl::scan {

enum class Eip55Status {
  checksum_valid,    ///< mixed case, and the case matches the checksum
  all_lower,         ///< no upper-case letter (also: no letters at all); carries no checksum
  all_upper,         ///< no lower-case letter, at least one upper-case; carries no checksum
  checksum_invalid,  ///< mixed case that does not match the checksum
  malformed,         ///< not `0x` followed by exactly 40 hex digits
};

/// Stable lower-case name, for records.
const char* eip55_status_name(Eip55Status status);

/// Classifies `text`, which must be exactly `0x` + 40 hex digits (upper-case `0X` is malformed).
Eip55Status eip55_check(std::string_view text);

/// The checksummed form of an address in any case; nullopt when malformed.
std::optional<std::string> eip55_encode(std::string_view text);

}  // namespace trawl::scan
