#pragma once
// BIP380 output-descriptor checksums (`wpkh(...)#8chars`): pure validator for
// wallet-scan. No I/O, no globals, never throws; linear in the input.
#include <optional>
#include <string>
#include <string_view>

namespace trawl::scan {

/// True iff `text` is `descriptor#checksum` with 8 checksum characters and a valid BIP380
/// checksum (every descriptor character in the BIP380 input charset).
bool descriptor_checksum_valid(std::string_view text);

/// `descriptor#checksum`; nullopt when a character is outside the input charset.
std::optional<std::string> descriptor_add_checksum(std::string_view descriptor);

}  // namespace trawl::scan
