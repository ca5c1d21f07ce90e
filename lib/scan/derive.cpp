#include "scan/derive.hpp"

#include <cstring>

#include "core/hex.hpp"
#include "scan/base58.hpp"
#include "scan/bech32.hpp"
#include "scan/crypto_hashes.hpp"
#include "scan/eip55.hpp"
#include "scan/keccak.hpp"

namespace trawl::scan {
namespace {

std::span<const std::uint8_t> bytes_of(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

std::string p2pkh(std::span<const std::uint8_t> pubkey) {
  const Hash160 h = hash160(pubkey);
  std::vector<std::uint8_t> payload{0x00};
  payload.insert(payload.end(), h.begin(), h.end());
  return base58check_encode(payload);
}

std::string p2wpkh(const CompressedPublicKey& pubkey) {
  const Hash160 h = hash160(pubkey);
  auto a = segwit_encode("bc", 0, h);
  return a ? *a : std::string();
}

std::string p2sh_p2wpkh(const CompressedPublicKey& pubkey) {
  const Hash160 h = hash160(pubkey);
  std::vector<std::uint8_t> redeem{0x00, 0x14};
  redeem.insert(redeem.end(), h.begin(), h.end());
  const Hash160 script = hash160(redeem);
  std::vector<std::uint8_t> payload{0x05};
  payload.insert(payload.end(), script.begin(), script.end());
  return base58check_encode(payload);
}

std::string p2tr(const PrivateKey& key) {
  const auto keys = taproot_keys(key);
  if (!keys) return {};
  auto a = segwit_encode("bc", 1, keys->output);
  return a ? *a : std::string();
}

std::string ethereum(const UncompressedPublicKey& pubkey) {
  const auto digest = keccak256(std::span<const std::uint8_t>(pubkey).subspan(1));
  const std::string text = "0x" + hex_lower(std::span<const std::uint8_t>(digest).subspan(12));  // the last 20 bytes
  return eip55_encode(text).value_or(text);
}

std::string path_text(std::span<const std::uint32_t> path) {
  std::string out = "m";
  for (std::uint32_t i : path)
    out += "/" + std::to_string(i & ~kHardened) + ((i & kHardened) != 0 ? "'" : "");
  return out;
}

}  // namespace

std::array<std::uint8_t, 64> bip39_seed(std::string_view mnemonic, std::string_view passphrase) {
  return pbkdf2_sha512(mnemonic, "mnemonic" + std::string(passphrase), 2048);
}

std::optional<ExtendedPrivateKey> bip32_master(std::span<const std::uint8_t> seed) {
  const auto i = hmac_sha512(bytes_of("Bitcoin seed"), seed);
  ExtendedPrivateKey out;
  std::memcpy(out.key.data(), i.data(), 32);
  std::memcpy(out.chain_code.data(), i.data() + 32, 32);
  if (!is_valid_private_key(out.key)) return std::nullopt;
  return out;
}

std::optional<ExtendedPrivateKey> bip32_derive(const ExtendedPrivateKey& parent, std::span<const std::uint32_t> path) {
  ExtendedPrivateKey k = parent;
  for (std::uint32_t index : path) {
    std::vector<std::uint8_t> data;
    if ((index & kHardened) != 0) {
      data.push_back(0);
      data.insert(data.end(), k.key.begin(), k.key.end());
    } else {
      auto pub = public_key_compressed(k.key);
      if (!pub) return std::nullopt;
      data.assign(pub->begin(), pub->end());
    }
    for (int shift = 24; shift >= 0; shift -= 8) data.push_back(static_cast<std::uint8_t>(index >> shift));
    const auto i = hmac_sha512(k.chain_code, data);
    std::array<std::uint8_t, 32> tweak{};
    std::memcpy(tweak.data(), i.data(), 32);
    auto child = private_key_tweak_add(k.key, tweak);
    if (!child) return std::nullopt;  // BIP32: invalid child, vanishingly rare
    k.key = *child;
    std::memcpy(k.chain_code.data(), i.data() + 32, 32);
  }
  return k;
}

std::optional<ExtendedPrivateKey> parse_xprv(std::string_view text) {
  auto payload = base58check_decode(text);
  if (!payload || payload->size() != 78) return std::nullopt;
  const auto& p = *payload;
  if (p[0] != 0x04 || p[1] != 0x88 || p[2] != 0xAD || p[3] != 0xE4 || p[45] != 0x00) return std::nullopt;
  ExtendedPrivateKey k;
  std::memcpy(k.chain_code.data(), p.data() + 13, 32);
  std::memcpy(k.key.data(), p.data() + 46, 32);
  k.depth = p[4];
  if (!is_valid_private_key(k.key)) return std::nullopt;
  return k;
}

std::string encode_xprv_master(const ExtendedPrivateKey& key) {
  std::vector<std::uint8_t> p{0x04, 0x88, 0xAD, 0xE4, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  p.insert(p.end(), key.chain_code.begin(), key.chain_code.end());
  p.push_back(0);
  p.insert(p.end(), key.key.begin(), key.key.end());
  return base58check_encode(p);
}

std::string p2tr_address(const PrivateKey& key) { return p2tr(key); }

std::vector<DerivedAddress> addresses_of_key(const PrivateKey& key, const std::string& path) {
  std::vector<DerivedAddress> out;
  auto compressed = public_key_compressed(key);
  auto uncompressed = public_key_uncompressed(key);
  if (!compressed || !uncompressed) return out;
  out.push_back({"btc.p2pkh", p2pkh(*compressed), path});
  out.push_back({"btc.p2pkh", p2pkh(*uncompressed), path});
  out.push_back({"btc.p2sh", p2sh_p2wpkh(*compressed), path});
  out.push_back({"btc.p2wpkh", p2wpkh(*compressed), path});
  out.push_back({"eth.address", ethereum(*uncompressed), path});
  if (auto taproot = p2tr(key); !taproot.empty()) out.push_back({"btc.p2tr", std::move(taproot), path});
  return out;
}

std::vector<DerivedAddress> account_addresses(const ExtendedPrivateKey& account, unsigned count) {
  std::vector<DerivedAddress> out;
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::array<std::uint32_t, 2> path{0, i};
    auto k = bip32_derive(account, path);
    if (!k) continue;
    for (auto& a : addresses_of_key(k->key, "xprv/0/" + std::to_string(i))) out.push_back(std::move(a));
  }
  return out;
}

std::vector<DerivedAddress> standard_addresses(const ExtendedPrivateKey& master, unsigned count) {
  std::vector<DerivedAddress> out;
  for (std::uint32_t purpose : {44u, 49u, 84u, 86u, 60u}) {
    const std::uint32_t coin = purpose == 60 ? 60 : 0;
    const std::uint32_t bip = purpose == 60 ? 44 : purpose;
    const std::array<std::uint32_t, 4> account{bip | kHardened, coin | kHardened, kHardened, 0};
    auto chain = bip32_derive(master, account);
    if (!chain) continue;
    for (std::uint32_t i = 0; i < count; ++i) {
      const std::array<std::uint32_t, 1> leaf{i};
      auto k = bip32_derive(*chain, leaf);
      if (!k) continue;
      const std::array<std::uint32_t, 5> full{account[0], account[1], account[2], account[3], i};
      const std::string path = path_text(full);
      auto compressed = public_key_compressed(k->key);
      auto uncompressed = public_key_uncompressed(k->key);
      if (!compressed || !uncompressed) continue;
      if (purpose == 44) out.push_back({"btc.p2pkh", p2pkh(*compressed), path});
      if (purpose == 49) out.push_back({"btc.p2sh", p2sh_p2wpkh(*compressed), path});
      if (purpose == 84) out.push_back({"btc.p2wpkh", p2wpkh(*compressed), path});
      if (purpose == 86) {
        if (auto taproot = p2tr(k->key); !taproot.empty()) out.push_back({"btc.p2tr", std::move(taproot), path});
      }
      if (purpose == 60) out.push_back({"eth.address", ethereum(*uncompressed), path});
    }
  }
  return out;
}

}  // namespace trawl::scan
