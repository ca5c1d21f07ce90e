#include "scan/base58.hpp"

#include <doctest/doctest.h>

#include <random>

#include "test_support.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace trawl::scan {
namespace {

using test::hex_of;

std::vector<std::uint8_t> from_hex(std::string_view hex) {
  std::vector<std::uint8_t> out;
  auto nibble = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<std::uint8_t>(nibble(hex[i]) << 4 | nibble(hex[i + 1])));
  return out;
}


struct Vector {
  std::string_view hex;
  std::string_view text;
};

// Bitcoin Core src/test/data/base58_encode_decode.json.
constexpr Vector kCoreVectors[] = {
    {"", ""},
    {"61", "2g"},
    {"626262", "a3gV"},
    {"636363", "aPEr"},
    {"73696d706c792061206c6f6e6720737472696e67", "2cFupjhnEsSn59qHXstmK2ffpLv2"},
    {"00eb15231dfceb60925886b67d065299925915aeb172c06647", "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L"},
    {"516b6fcd0f", "ABnLTmg"},
    {"bf4f89001e670274dd", "3SEo3LWLoPntC"},
    {"572e4794", "3EFU7m"},
    {"ecac89cad93923c02321", "EJDM8drfXA6uyA"},
    {"10c8511e", "Rt5zm"},
    {"00000000000000000000", "1111111111"},
};

// base58check text -> payload (version byte first). Addresses from bulk_extractor's
// tests/Data/bitcoin.txt, the BIP173 key (private key 1), the CashAddr spec's legacy column,
// Tron and WIF forms of private key 1.
constexpr Vector kCheckVectors[] = {
    {"007680adec8eabcabac676be9e83854ade0bd22cdb", "1BoatSLRHtKNngkdXEeobR76b53LETtpyT"},
    {"0065a16059864a2fdbc7c99a4723a8395bc6f188eb", "1AGNa15ZQXAZUgFiqJ2i7Z2DPU2J6hW62i"},
    {"000000000000000000000000000000000000000000", "1111111111111111111114oLvT2"},
    {"0045e80af49c0a9396ba25dab4696e9764a7433938", "17NdbrSGoUotzeGCcMMCqnFkEvLymoou9j"},
    {"00fc7250a211deddc70ee5a2738de5f07817351cef", "1Q1pE5vPGEEMqRcVRMbtBK842Y6Pzo6nK9"},
    {"0091b24bf9f5288532960ac687abb035127b1d28a5", "1EHNa6Q4Jz2uvNExL497mE43ikXhwF6kZm"},
    {"00751e76e8199196d454941c45d1b3a323f1433bd6", "1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH"},
    {"0576a04053bda0a88bda5177b86a15c3b29f559873", "3CWFddi6m4ndiGyKqzYvsFYagqDLPVMTzC"},
    {"00011f28e473c95f4013d7d53ec5fbc3b42df8ed10", "16w1D5WRVKJuZUsSRzdLp9w3YGcgoxDXb"},
    {"417e5f4552091a69125d5dfcb7b8c2659029395bdf", "TMVQGm1qAQYVdetCeGRRkTWYYrLXuHK2HC"},
    {"800000000000000000000000000000000000000000000000000000000000000001",
     "5HpHagT65TZzG1PH3CSu63k8DbpvD8s5ip4nEB3kEsreAnchuDf"},
    {"80000000000000000000000000000000000000000000000000000000000000000101",
     "KwDiBf89QgGbjEhKnhXJuH7LrciVrZi3qYjgd9M7rFU73sVHnoWn"},
};

// XRP accounts (xrpl.org examples, the genesis account, ACCOUNT_ZERO and ACCOUNT_ONE).
constexpr Vector kXrpVectors[] = {
    {"005e7b112523f68d2f5e879db4eac51c6698a69304", "r9cZA1mLK5R5Am25ArfXFmqgNwjZgnfk59"},
    {"00b5f762798a53d543a014caf8b297cff8f2f937e8", "rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTh"},
    {"000000000000000000000000000000000000000000", "rrrrrrrrrrrrrrrrrrrrrhoLvTp"},
    {"000000000000000000000000000000000000000001", "rrrrrrrrrrrrrrrrrrrrBZbvji"},
};

}  // namespace

TEST_CASE("Base58: Bitcoin Core encode/decode vectors") {
  for (const auto& v : kCoreVectors) {
    CAPTURE(v.text);
    CHECK(base58_encode(from_hex(v.hex)) == v.text);
    auto decoded = base58_decode(v.text);
    REQUIRE(decoded.ok());
    CHECK(hex_of(*decoded) == v.hex);
  }
}

TEST_CASE("Base58: the decoded size bound holds for every length, leading zeros and largest digits") {
  std::mt19937_64 random(58);
  for (Base58Alphabet alphabet : {Base58Alphabet::bitcoin, Base58Alphabet::xrp}) {
    const std::string_view chars = alphabet == Base58Alphabet::xrp
                                       ? "rpshnaf39wBUDNEGHJKLM4PQRST7VWXYZ2bcdeCg65jkm8oFqi1tuvAxyz"
                                       : "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    for (std::size_t length = 0; length <= 120; ++length) {
      for (int round = 0; round < 20; ++round) {
        std::string text;
        const std::size_t zeros = round == 0 ? 0 : random() % (length + 1);
        for (std::size_t i = 0; i < length; ++i)
          text += i < zeros ? chars[0] : round == 1 ? chars[57] : chars[random() % chars.size()];
        const auto decoded = base58_decode(text, alphabet);
        REQUIRE(decoded.ok());
        CAPTURE(text);
        CHECK(decoded->size() <= base58_decoded_size_bound(text, alphabet));
        // Not loose: the largest digits after the zeros come within a byte of it.
        if (round == 1 && length > zeros) CHECK(decoded->size() + 1 >= base58_decoded_size_bound(text, alphabet));
      }
    }
  }
  // The scanner's cut: 32 characters of no leading zero cannot hold a 21-byte payload and its checksum.
  CHECK(base58_decoded_size_bound(std::string(32, 'z')) < 25);
  CHECK(base58_decoded_size_bound(std::string(33, 'z')) >= 25);
}

TEST_CASE("Base58: rejects characters outside the alphabet, including junk at either end") {
  for (std::string_view bad : {"0", "O", "I", "l", " 2g", "2g ", "2g\n", "\t2g", "2 g", "+2g", "a3gV-"}) {
    CAPTURE(bad);
    auto decoded = base58_decode(bad);
    REQUIRE_FALSE(decoded.ok());
    CHECK(decoded.error().code == Errc::invalid_argument);
  }
  CHECK_FALSE(base58_decode(std::string_view("2g\0", 3)).ok());
  CHECK_FALSE(base58_decode("\xff\xfe").ok());
}

TEST_CASE("Base58: the length limit applies before any work") {
  const std::string long_text(kBase58MaxChars + 1, '2');
  auto decoded = base58_decode(long_text);
  REQUIRE_FALSE(decoded.ok());
  CHECK(decoded.error().code == Errc::resource_exhausted);
  CHECK(base58_decode(long_text, Base58Alphabet::bitcoin, long_text.size()).ok());
  CHECK(base58_decode(std::string(kBase58MaxChars, 'z')).ok());
}

TEST_CASE("Base58: round trips of leading zeros and every byte value") {
  std::vector<std::uint8_t> bytes = {0, 0, 0};
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<std::uint8_t>(i));
  for (auto alphabet : {Base58Alphabet::bitcoin, Base58Alphabet::xrp}) {
    const std::string text = base58_encode(bytes, alphabet);
    auto decoded = base58_decode(text, alphabet, text.size());
    REQUIRE(decoded.ok());
    CHECK(*decoded == bytes);
  }
  CHECK(base58_encode(std::vector<std::uint8_t>{0, 0}, Base58Alphabet::xrp) == "rr");
}

TEST_CASE("Base58check: valid addresses, WIF keys and their payloads") {
  for (const auto& v : kCheckVectors) {
    CAPTURE(v.text);
    auto payload = base58check_decode(v.text);
    REQUIRE(payload.ok());
    CHECK(hex_of(*payload) == v.hex);
    CHECK(base58check_encode(from_hex(v.hex)) == v.text);
  }
}

TEST_CASE("Base58check: one changed character fails the checksum") {
  for (std::string_view bad : {"1BoatSLRHtKNngkdXEeobR76b53LETtpyt", "1AGNa15ZQXAZUgFiqJ2i7Z2DPU2J6hW62X",
                               "1BoatSLRHtKNngkdXEeobR76b53LETtpy", "2BoatSLRHtKNngkdXEeobR76b53LETtpyT",
                               "1BoatSLRHtKNngkdXEeobR76b53LETtpyTT", "TMVQGm1qAQYVdetCeGRRkTWYYrLXuHK2Hc"}) {
    CAPTURE(bad);
    auto payload = base58check_decode(bad);
    REQUIRE_FALSE(payload.ok());
    CHECK(payload.error().code == Errc::data_loss);
  }
}

TEST_CASE("Base58check: too short, bad characters, and the wrong alphabet") {
  CHECK(base58check_decode("").error().code == Errc::data_loss);
  CHECK(base58check_decode("1111").error().code == Errc::data_loss);  // four zero bytes: no payload
  CHECK(base58check_decode("1BoatSLRHtKNngkdXEeobR76b53LETtpy0").error().code == Errc::invalid_argument);
  CHECK(base58check_decode(" 1BoatSLRHtKNngkdXEeobR76b53LETtpyT").error().code == Errc::invalid_argument);
  CHECK_FALSE(base58check_decode("1BoatSLRHtKNngkdXEeobR76b53LETtpyT", Base58Alphabet::xrp).ok());
  CHECK_FALSE(base58check_decode("r9cZA1mLK5R5Am25ArfXFmqgNwjZgnfk59").ok());
}

TEST_CASE("Base58check: XRP alphabet accounts") {
  for (const auto& v : kXrpVectors) {
    CAPTURE(v.text);
    auto payload = base58check_decode(v.text, Base58Alphabet::xrp);
    REQUIRE(payload.ok());
    CHECK(hex_of(*payload) == v.hex);
    CHECK(base58check_encode(from_hex(v.hex), Base58Alphabet::xrp) == v.text);
  }
  CHECK(base58check_decode("r9cZA1mLK5R5Am25ArfXFmqgNwjZgnfk5a", Base58Alphabet::xrp).error().code == Errc::data_loss);
}

}  // namespace trawl::scan
