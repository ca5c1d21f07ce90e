#include "scan/derive.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "test_support.hpp"

namespace trawl::scan {
namespace {

std::vector<std::uint8_t> unhex(std::string_view hex) {
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<std::uint8_t>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  return out;
}

constexpr std::string_view kAbandon =
    "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

std::string find_path(const std::vector<DerivedAddress>& all, const std::string& path) {
  for (const auto& a : all)
    if (a.path == path) return a.address;
  return {};
}

TEST_CASE("Derive: BIP32 test vector 1 master and m/0'") {
  auto master = bip32_master(unhex("000102030405060708090a0b0c0d0e0f"));
  REQUIRE(master.has_value());
  CHECK(encode_xprv_master(*master) ==
        "xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi");
  auto parsed = parse_xprv(encode_xprv_master(*master));
  REQUIRE(parsed.has_value());
  CHECK(parsed->key == master->key);
  const std::array<std::uint32_t, 1> path{kHardened};
  auto child = bip32_derive(*master, path);
  REQUIRE(child.has_value());
  CHECK(test::hex_of(child->key) == "edb2e14f9ee77d26dd93b4ecede8d16ed408ce149b6cd80b0715a2d911a0afea");
  CHECK_FALSE(parse_xprv("xpub661MyMwAqRbcFtXgS5sYJABqqG9YLmC4Q1Rdap9gSE8NqtwybGhePY2gZ29ESFjqJoCu1Rupje8YtGqsefD265TMg7usUDFdp6W1EGMcet8").has_value());
}

TEST_CASE("Derive: BIP84/BIP49/BIP44 and Ethereum addresses of \"abandon … about\"") {
  auto master = bip32_master(bip39_seed(kAbandon));
  REQUIRE(master.has_value());
  const auto all = standard_addresses(*master, 2);
  CHECK(all.size() == 10);
  CHECK(find_path(all, "m/84'/0'/0'/0/0") == "bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu");  // BIP84 vector
  CHECK(find_path(all, "m/84'/0'/0'/0/1") == "bc1qnjg0jd8228aq7egyzacy8cys3knf9xvrerkf9g");
  CHECK(find_path(all, "m/49'/0'/0'/0/0") == "37VucYSaXLCAsxYyAPfbSi9eh4iEcbShgf");
  CHECK(find_path(all, "m/44'/0'/0'/0/0") == "1LqBGSKuX5yYUonjxT5qGfpUsXKYYWeabA");
  CHECK(find_path(all, "m/44'/60'/0'/0/0") == "0x9858EfFD232B4033E47d90003D41EC34EcaEda94");
}

TEST_CASE("Derive: an account-level xprv gives the receive addresses under it") {
  auto master = bip32_master(bip39_seed(kAbandon));
  REQUIRE(master.has_value());
  const std::array<std::uint32_t, 3> account_path{84 | kHardened, kHardened, kHardened};
  auto account = bip32_derive(*master, account_path);
  REQUIRE(account.has_value());
  account->depth = 3;
  const auto all = account_addresses(*account, 2);
  CHECK(all.size() == 12);
  CHECK(all[3].address == "bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu");
  CHECK(all[3].path == "xprv/0/0");
}

TEST_CASE("Derive: addresses of private key 1") {
  PrivateKey one{};
  one[31] = 1;
  const auto all = addresses_of_key(one);
  REQUIRE(all.size() == 6);
  CHECK(all[0].address == "1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH");
  CHECK(all[1].address == "1EHNa6Q4Jz2uvNExL497mE43ikXhwF6kZm");
  CHECK(all[3].address == "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4");
  CHECK(all[4].address == "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf");
  CHECK(addresses_of_key(PrivateKey{}).empty());
}

// BIP86 "Test vectors" (bip-0086.mediawiki): mnemonic "abandon … about", account 0.
TEST_CASE("Derive: BIP86 taproot keys and bc1p addresses of \"abandon … about\"") {
  auto master = bip32_master(bip39_seed(kAbandon));
  REQUIRE(master.has_value());
  const std::array<std::uint32_t, 5> first{86 | kHardened, kHardened, kHardened, 0, 0};
  auto key = bip32_derive(*master, first);
  REQUIRE(key.has_value());
  auto keys = taproot_keys(key->key);
  REQUIRE(keys.has_value());
  CHECK(test::hex_of(keys->internal) == "cc8a4bc64d897bddc5fbc2f670f7a8ba0b386779106cf1223c6fc5d7cd6fc115");
  CHECK(test::hex_of(keys->output) == "a60869f0dbcf1dc659c9cecbaf8050135ea9e8cdc487053f1dc6880949dc684c");
  CHECK(p2tr_address(key->key) == "bc1p5cyxnuxmeuwuvkwfem96lqzszd02n6xdcjrs20cac6yqjjwudpxqkedrcr");

  const auto all = standard_addresses(*master, 2);
  CHECK(find_path(all, "m/86'/0'/0'/0/0") == "bc1p5cyxnuxmeuwuvkwfem96lqzszd02n6xdcjrs20cac6yqjjwudpxqkedrcr");
  CHECK(find_path(all, "m/86'/0'/0'/0/1") == "bc1p4qhjn9zdvkux4e44uhx8tc55attvtyu358kutcqkudyccelu0was9fqzwh");

  // The same key found bare (a WIF) or under an account xprv links its bc1p address too.
  const auto bare = addresses_of_key(key->key);
  CHECK(bare.back().kind == "btc.p2tr");
  CHECK(bare.back().address == "bc1p5cyxnuxmeuwuvkwfem96lqzszd02n6xdcjrs20cac6yqjjwudpxqkedrcr");
  CHECK_FALSE(taproot_keys(PrivateKey{}).has_value());
}

}  // namespace
}  // namespace trawl::scan
