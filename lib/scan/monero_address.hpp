#pragma once
// Monero addresses: Monero's block base58 (8-byte blocks -> 11 characters, a
// final block of k bytes -> {0,2,3,5,6,7,9,10,11}[k] characters; the payload is
// not one big integer) and the Keccak-256 checksum. Pure validator for
// wallet-scan; no I/O, no globals, never throws; linear in the input.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace trawl::scan {

/// Decodes Monero block base58; nullopt on a bad character, an impossible final block length
/// or a block value that does not fit its byte count.
std::optional<std::vector<std::uint8_t>> monero_base58_decode(std::string_view text);

/// The record kind of a Monero address (xmr.address, xmr.integrated, xmr.subaddress, and
/// xmr-testnet.* / xmr-stagenet.*), or nullptr: 95 or 106 characters, a known one-byte network
/// tag, 69 or 77 payload bytes, last 4 = Keccak-256(the rest)[0:4].
const char* classify_monero_address(std::string_view text);

}  // namespace trawl::scan
