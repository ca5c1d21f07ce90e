// Crackable-material lines for the wallets whose password protects a key
// (research note §3): the formats hashcat's extractors print, so a line can be
// handed to hashcat (or btcrecover / John, which read the same lines) as is.
//   Exodus seed.seco  -m 28200  EXODUS:N:r:p:salt:blobKey.iv:blobKey.key:blobKey.tag (base64; hashcat
//                               tools/exodus2hashcat.py, module_28200.c)
//   Electrum BIE1     -m 21700  $electrum$4*ephemeral pubkey*"BIE1" || pubkey || ciphertext*mac (hex: the MAC'd
//                               bytes, up to 16384; hashcat OpenCL/m21700-pure.cl, John's electrum2john.py)
//                     -m 21800  $electrum$5*ephemeral pubkey*first 1024 ciphertext bytes*mac (longer wallets)
#include <string>

#include "core/base64.hpp"
#include "core/byte_read.hpp"
#include "scan/secp256k1.hpp"
#include "scan/wallet_files.hpp"

namespace trawl::scan {
namespace {

using namespace bytes;

// SECO metadata, from the end of the 224-byte header and its 32-byte checksum.
constexpr std::size_t kMetadata = 0x100;
constexpr std::size_t kSalt = kMetadata;              // 32 bytes
constexpr std::size_t kScryptN = kMetadata + 32;      // u32 BE N, r, p
constexpr std::size_t kCipher = kMetadata + 44;       // "aes-256-gcm", zero-padded to 32 bytes
constexpr std::size_t kBlobKeyIv = kMetadata + 76;    // 12 bytes
constexpr std::size_t kBlobKeyTag = kMetadata + 88;   // 16 bytes
constexpr std::size_t kBlobKeyKey = kMetadata + 104;  // 32 bytes (the encrypted blob key)
constexpr std::size_t kMetadataUsed = kMetadata + 136;

constexpr std::size_t kBie1Header = 4 + 33;  // "BIE1" + compressed ephemeral public key
constexpr std::size_t kBie1Mac = 32;         // HMAC-SHA256
constexpr std::size_t kHashcat21700Max = 16384;  // bytes of MAC'd data hashcat's -m 21700 takes
constexpr std::size_t kHashcat21800Data = 1024;

std::string b64(std::span<const std::byte> b) { return base64_encode(text(b)); }

}  // namespace

std::string exodus_seco_line(std::span<const std::byte> seco) {
  if (!fits(seco, 0, kMetadataUsed) || text(seco).substr(0, 4) != "SECO") return {};
  if (text(seco.subspan(kCipher, 12)) != std::string_view("aes-256-gcm\0", 12)) return {};
  const std::uint32_t n = u32be(seco, kScryptN);
  const std::uint32_t r = u32be(seco, kScryptN + 4);
  const std::uint32_t p = u32be(seco, kScryptN + 8);
  // hashcat reads N, r and p as at most six decimal digits.
  if (n == 0 || r == 0 || p == 0 || n > 999999 || r > 999999 || p > 999999) return {};
  return "EXODUS:" + std::to_string(n) + ":" + std::to_string(r) + ":" + std::to_string(p) + ":" +
         b64(seco.subspan(kSalt, 32)) + ":" + b64(seco.subspan(kBlobKeyIv, 12)) + ":" +
         b64(seco.subspan(kBlobKeyKey, 32)) + ":" + b64(seco.subspan(kBlobKeyTag, 16));
}

std::string electrum_bie1_line(std::span<const std::byte> decoded, std::string& format) {
  format.clear();
  if (decoded.size() < kBie1Header + kBie1Mac || text(decoded).substr(0, 4) != "BIE1") return {};
  const auto pubkey = decoded.subspan(4, 33);
  if (!is_valid_public_key({reinterpret_cast<const std::uint8_t*>(pubkey.data()), pubkey.size()})) return {};
  const auto ciphertext = decoded.subspan(kBie1Header, decoded.size() - kBie1Header - kBie1Mac);
  const auto mac = decoded.subspan(decoded.size() - kBie1Mac);
  if (ciphertext.empty() || ciphertext.size() % 16 != 0) return {};  // AES-128-CBC blocks
  // The MAC covers everything before it: the magic, the key and the ciphertext.
  const auto macced = decoded.first(decoded.size() - kBie1Mac);
  if (macced.size() <= kHashcat21700Max) {
    format = "hashcat 21700";
    return "$electrum$4*" + hex(pubkey) + "*" + hex(macced) + "*" + hex(mac);
  }
  if (ciphertext.size() >= kHashcat21800Data) {
    // Too long for -m 21700: -m 21800 checks the first 1024 bytes decrypt to zlib-compressed JSON.
    format = "hashcat 21800";
    return "$electrum$5*" + hex(pubkey) + "*" + hex(ciphertext.first(kHashcat21800Data)) + "*" + hex(mac);
  }
  return {};
}

}  // namespace trawl::scan
