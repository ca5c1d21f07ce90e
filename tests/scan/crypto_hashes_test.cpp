#include "scan/crypto_hashes.hpp"
#include "scan/secp256k1.hpp"

#include <doctest/doctest.h>

#include "test_support.hpp"

#include <string>
#include <vector>

namespace trawl::scan {
namespace {

using test::hex_of;

std::span<const std::uint8_t> bytes_of(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

std::vector<std::uint8_t> from_hex(std::string_view hex) {
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<std::uint8_t>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  return out;
}

PrivateKey key_of(std::string_view hex) {
  PrivateKey key{};
  const auto bytes = from_hex(hex);
  std::copy(bytes.begin(), bytes.end(), key.begin());
  return key;
}

}  // namespace

TEST_CASE("CryptoHashes: RIPEMD-160 and HASH160 vectors") {
  CHECK(hex_of(ripemd160(bytes_of("abc"))) == "8eb208f7e05d987a9b044a8e98c6b087f15a0bfc");
  // BIP173's example key: the generator point G, compressed.
  const auto g = from_hex("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
  CHECK(hex_of(hash160(g)) == "751e76e8199196d454941c45d1b3a323f1433bd6");
}

TEST_CASE("CryptoHashes: HMAC-SHA512 (RFC 4231 case 1), PBKDF2 (BIP39 vector), scrypt (RFC 7914)") {
  const std::vector<std::uint8_t> key(20, 0x0b);
  CHECK(hex_of(hmac_sha512(key, bytes_of("Hi There"))) ==
        "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854");
  CHECK(hex_of(pbkdf2_sha512("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about",
                             "mnemonicTREZOR", 2048)) ==
        "c55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e53495531f09a6987599d18264c1e1c92f2cf141630c7a3c4ab7c81b2f001698e7463b04");
  CHECK(hex_of(scrypt(bytes_of("password"), bytes_of("NaCl"), 1024, 8, 16, 64)) ==
        "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640");
  CHECK(scrypt(bytes_of("x"), bytes_of("y"), 3, 8, 1, 32).empty());  // N must be a power of two
}

TEST_CASE("Secp256k1: key range, public keys, compression round trip, tweaks") {
  const PrivateKey one = key_of("0000000000000000000000000000000000000000000000000000000000000001");
  const PrivateKey zero{};
  const PrivateKey order = key_of("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
  CHECK(is_valid_private_key(one));
  CHECK_FALSE(is_valid_private_key(zero));
  CHECK_FALSE(is_valid_private_key(order));
  const auto g = public_key_compressed(one);
  REQUIRE(g);
  CHECK(hex_of(*g) == "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
  const auto g_full = decompress_public_key(*g);
  REQUIRE(g_full);
  CHECK(hex_of(*g_full).substr(66) == "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8");
  CHECK(compress_public_key(*g_full) == g);
  CHECK_FALSE(public_key_compressed(zero));
  CHECK(is_valid_public_key(*g));
  CHECK_FALSE(is_valid_public_key(std::vector<std::uint8_t>(33, 0)));
  // 1 + 1 = 2: private tweak and public tweak agree.
  const auto two = private_key_tweak_add(one, one);
  REQUIRE(two);
  const auto two_g = public_key_tweak_add(*g, one);
  REQUIRE(two_g);
  CHECK(public_key_compressed(*two) == two_g);
  CHECK(hex_of(*two_g) == "02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5");
}

}  // namespace trawl::scan
