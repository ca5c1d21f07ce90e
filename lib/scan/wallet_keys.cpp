#include "scan/wallet_keys.hpp"

#include <array>

#include "scan/secp256k1.hpp"

namespace trawl::scan {
namespace {

struct ExtendedVersion {
  std::uint32_t version;
  const char* kind;
  bool secret;
};

// SLIP-132 (and BIP32 / BIP49 / BIP84) version bytes; the kind names the prefix as written.
constexpr std::array<ExtendedVersion, 26> kExtendedVersions = {{
    {0x0488B21E, "btc.xpub", false},         {0x0488ADE4, "btc.xprv", true},
    {0x043587CF, "btc-testnet.tpub", false}, {0x04358394, "btc-testnet.tprv", true},
    {0x049D7CB2, "btc.ypub", false},         {0x049D7878, "btc.yprv", true},
    {0x044A5262, "btc-testnet.upub", false}, {0x044A4E28, "btc-testnet.uprv", true},
    {0x04B24746, "btc.zpub", false},         {0x04B2430C, "btc.zprv", true},
    {0x045F1CF6, "btc-testnet.vpub", false}, {0x045F18BC, "btc-testnet.vprv", true},
    {0x0295B43F, "btc.Ypub", false},         {0x0295B005, "btc.Yprv", true},
    {0x02AA7ED3, "btc.Zpub", false},         {0x02AA7A99, "btc.Zprv", true},
    {0x024289EF, "btc-testnet.Upub", false}, {0x024285B5, "btc-testnet.Uprv", true},
    {0x02575483, "btc-testnet.Vpub", false}, {0x02575048, "btc-testnet.Vprv", true},
    {0x019DA462, "ltc.Ltub", false},         {0x019D9CFE, "ltc.Ltpv", true},
    {0x01B26EF6, "ltc.Mtub", false},         {0x01B26792, "ltc.Mtpv", true},
    {0x02FACAFD, "doge.dgub", false},        {0x02FAC398, "doge.dgpv", true},
}};

std::uint32_t be32(std::span<const std::uint8_t> bytes) {
  return static_cast<std::uint32_t>(bytes[0]) << 24 | static_cast<std::uint32_t>(bytes[1]) << 16 |
         static_cast<std::uint32_t>(bytes[2]) << 8 | bytes[3];
}

}  // namespace

KeyKind classify_wif(std::span<const std::uint8_t> payload) {
  if (payload.size() != 33 && payload.size() != 34) return {};
  if (payload.size() == 34 && payload[33] != 0x01) return {};
  const char* kind = payload[0] == 0x80 ? "btc.wif" : payload[0] == 0xEF ? "btc-testnet.wif" : nullptr;
  if (kind == nullptr || !is_valid_private_key(payload.subspan<1, 32>())) return {};
  return {kind, true};
}

KeyKind classify_extended_key(std::span<const std::uint8_t> payload) {
  if (payload.size() != 78) return {};
  const std::uint32_t version = be32(payload.first(4));
  const ExtendedVersion* known = nullptr;
  for (const auto& v : kExtendedVersions) {
    if (v.version == version) known = &v;
  }
  if (known == nullptr) return {};
  const std::uint8_t depth = payload[4];
  if (depth == 0 && (be32(payload.subspan(5, 4)) != 0 || be32(payload.subspan(9, 4)) != 0)) return {};
  const auto key = payload.subspan<45, 33>();
  if (known->secret) {
    if (key[0] != 0x00 || !is_valid_private_key(key.subspan<1, 32>())) return {};
  } else {
    if ((key[0] != 0x02 && key[0] != 0x03) || !is_valid_public_key(key)) return {};
  }
  return {known->kind, known->secret};
}

KeyKind classify_bip38(std::span<const std::uint8_t> payload) {
  if (payload.size() != 39 || payload[0] != 0x01) return {};
  const std::uint8_t flag = payload[2];
  if (payload[1] == 0x42 && (flag == 0xC0 || flag == 0xE0)) return {"btc.bip38", true};
  if (payload[1] == 0x43 && (flag & ~0x24) == 0) return {"btc.bip38", true};
  return {};
}

}  // namespace trawl::scan
