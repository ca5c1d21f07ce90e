#pragma once
// Offline key derivation, to link found keys to found addresses: BIP32
// (private derivation), BIP39 seeds (no passphrase) and the standard receive
// paths BIP44 (P2PKH), BIP49 (P2SH-P2WPKH), BIP84 (P2WPKH), BIP86 (P2TR,
// key path only) and Ethereum m/44'/60'/0'/0/i (EIP-55).
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "scan/secp256k1.hpp"

namespace trawl::scan {

inline constexpr std::uint32_t kHardened = 0x80000000u;

struct ExtendedPrivateKey {
  PrivateKey key{};
  std::array<std::uint8_t, 32> chain_code{};
  std::uint8_t depth = 0;  ///< from a parsed xprv; 0 for a master key
};

struct DerivedAddress {
  std::string kind;     ///< btc.p2pkh, btc.p2sh, btc.p2wpkh, btc.p2tr, eth.address (as wallet_scanner names hits)
  std::string address;
  std::string path;     ///< m/84'/0'/0'/0/0, or "key" for a bare private key
};

/// BIP39 seed: PBKDF2-HMAC-SHA512(mnemonic, "mnemonic" + passphrase, 2048).
std::array<std::uint8_t, 64> bip39_seed(std::string_view mnemonic, std::string_view passphrase = {});
/// BIP32 master key: HMAC-SHA512(key "Bitcoin seed", seed); nullopt if invalid.
std::optional<ExtendedPrivateKey> bip32_master(std::span<const std::uint8_t> seed);
/// CKDpriv along `path` (indexes >= kHardened are hardened).
std::optional<ExtendedPrivateKey> bip32_derive(const ExtendedPrivateKey& parent, std::span<const std::uint32_t> path);
/// A mainnet xprv (version 0488ADE4) decoded; nullopt when not one.
std::optional<ExtendedPrivateKey> parse_xprv(std::string_view text);
/// The xprv string of a key at depth 0 (for tests).
std::string encode_xprv_master(const ExtendedPrivateKey& key);

/// The addresses one private key controls: P2PKH (compressed and
/// uncompressed), P2SH-P2WPKH, P2WPKH, Ethereum, then P2TR (BIP86 output key).
std::vector<DerivedAddress> addresses_of_key(const PrivateKey& key, const std::string& path = "key");
/// For an account-level key (an xprv found at depth > 0): every address form of
/// its first `count` receive keys, <key>/0/i.
std::vector<DerivedAddress> account_addresses(const ExtendedPrivateKey& account, unsigned count);
/// The first `count` receive addresses on BIP44/49/84/86 (account 0) and Ethereum's path.
std::vector<DerivedAddress> standard_addresses(const ExtendedPrivateKey& master, unsigned count);
/// The bc1p address of a BIP86 key (segwit v1, bech32m, program = the output key); empty when invalid.
std::string p2tr_address(const PrivateKey& key);

}  // namespace trawl::scan
