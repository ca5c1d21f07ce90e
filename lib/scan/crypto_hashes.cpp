#include "scan/crypto_hashes.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/sha.h>

#include "scan/sha256_adapter.hpp"

namespace trawl::scan {
namespace {

const std::uint8_t* data_or_empty(std::span<const std::uint8_t> bytes) {
  static constexpr std::uint8_t kEmpty = 0;  // OpenSSL dislikes null pointers even for zero lengths
  return bytes.empty() ? &kEmpty : bytes.data();
}

}  // namespace

Hash160 ripemd160(std::span<const std::uint8_t> bytes) {
  Hash160 out{};
  unsigned int length = 0;
  // RIPEMD-160 is in OpenSSL 3's default provider again since 3.0.7 (Debian 12 ships 3.0.x >= 3.0.9).
  EVP_Digest(data_or_empty(bytes), bytes.size(), out.data(), &length, EVP_ripemd160(), nullptr);
  return out;
}

Hash160 hash160(std::span<const std::uint8_t> bytes) {
  const Sha256Digest inner = sha256(bytes);
  return ripemd160(inner);
}

Sha512Digest sha512(std::span<const std::uint8_t> bytes) {
  Sha512Digest out{};
  SHA512(data_or_empty(bytes), bytes.size(), out.data());
  return out;
}

Sha512Digest hmac_sha512(std::span<const std::uint8_t> key, std::span<const std::uint8_t> message) {
  Sha512Digest out{};
  unsigned int length = 0;
  HMAC(EVP_sha512(), data_or_empty(key), static_cast<int>(key.size()), data_or_empty(message), message.size(),
       out.data(), &length);
  return out;
}

Sha512Digest pbkdf2_sha512(std::string_view password, std::string_view salt, unsigned iterations) {
  Sha512Digest out{};
  PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                    reinterpret_cast<const unsigned char*>(salt.data()), static_cast<int>(salt.size()),
                    static_cast<int>(iterations), EVP_sha512(), static_cast<int>(out.size()), out.data());
  return out;
}

std::vector<std::uint8_t> scrypt(std::span<const std::uint8_t> password, std::span<const std::uint8_t> salt,
                                 std::uint64_t n, std::uint32_t r, std::uint32_t p, std::size_t length) {
  std::vector<std::uint8_t> out(length);
  // maxmem: BIP38 uses N=16384, r=8 (16 MiB); allow up to 256 MiB for other wallets' parameters.
  if (EVP_PBE_scrypt(reinterpret_cast<const char*>(data_or_empty(password)), password.size(), data_or_empty(salt),
                     salt.size(), n, r, p, 256ull << 20, out.data(), out.size()) != 1)
    return {};
  return out;
}

}  // namespace trawl::scan
