#pragma once
// Key artifacts inside base58check payloads: WIF private keys, BIP32 extended
// keys with SLIP-132 version bytes, BIP38 encrypted keys (structure only).
// Pure validators for wallet-scan; no I/O, no globals, never throw.
#include <cstdint>
#include <span>

namespace trawl::scan {

/// A validated key: its record kind and whether it is a secret (a private key).
struct KeyKind {
  const char* kind = nullptr;  ///< btc.wif, btc.xprv, btc.zpub, ltc.xpub (Ltub), btc.bip38 ...
  bool secret = false;
};

/// WIF: 0x80 (mainnet) or 0xEF (testnet) + 32-byte key (+ 0x01 when compressed), 0 < k < n.
/// `payload` is the base58check payload (checksum removed). nullptr kind when not a WIF key.
KeyKind classify_wif(std::span<const std::uint8_t> payload);

/// BIP32 extended key: 78 bytes = version 4 | depth 1 | parent fingerprint 4 | child 4 |
/// chain code 32 | key 33. The version must be a known SLIP-132 one; depth 0 needs a zero
/// fingerprint and child number; a private key is 0x00 + k with 0 < k < n, a public key a
/// compressed point on the curve.
KeyKind classify_extended_key(std::span<const std::uint8_t> payload);

/// BIP38: 39 bytes starting 0x01 0x42 (non-EC-multiplied; flag byte 0xC0 or 0xE0) or 0x01 0x43
/// (EC-multiplied; flag with only the compressed and lot/sequence bits 0x20 / 0x04 set).
KeyKind classify_bip38(std::span<const std::uint8_t> payload);

}  // namespace trawl::scan
