#include "scan/bech32.hpp"

#include <doctest/doctest.h>

#include "test_support.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace trawl::scan {
namespace {

using test::hex_of;
using test::lower;



// BIP173 "Test vectors": valid Bech32 strings.
const std::string kValidBech32[] = {
    "A12UEL5L",
    "a12uel5l",
    "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
    "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
    "11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j",
    "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
    "?1ezyfcl",
};

// BIP350 "Test vectors for Bech32m": valid Bech32m strings.
const std::string kValidBech32m[] = {
    "A1LQFN3A",
    "a1lqfn3a",
    "an83characterlonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11sg7hg6",
    "abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx",
    "11llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllludsr8",
    "split1checkupstagehandshakeupstreamerranterredcaperredlc445v",
    "?1v759aa",
};

// BIP173 invalid Bech32 strings, then BIP350 invalid Bech32m strings (reason in the comment).
const std::string kInvalidStrings[] = {
    std::string("\x20") + "1nwldj5",  // HRP character out of range
    std::string("\x7f") + "1axkwrx",  // HRP character out of range
    std::string("\x80") + "1eym55h",  // HRP character out of range
    "an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx",  // too long
    "pzry9x0s0muk",                    // no separator
    "1pzry9x0s0muk",                   // empty HRP
    "x1b4n0q5v",                       // invalid data character
    "li1dgmt3",                        // too short checksum
    std::string("de1lg7wt") + "\xff",  // invalid character in checksum
    "A1G7SGD8",                        // checksum calculated with uppercase form of HRP
    "10a06t8",                         // empty HRP
    "1qzzfhee",                        // empty HRP
    std::string("\x20") + "1xj0phk",  // HRP character out of range
    std::string("\x7f") + "1g6xzxy",  // HRP character out of range
    std::string("\x80") + "1vctc34",  // HRP character out of range
    "an84characterslonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11d6pts4",  // too long
    "qyrz8wqd2c9m",   // no separator
    "1qyrz8wqd2c9m",  // empty HRP
    "y1b0jsk6g",      // invalid data character
    "lt1igcx5c0",     // invalid data character
    "in1muywd",       // too short checksum
    "mm1crxm3i",      // invalid character in checksum
    "au1s5cgom",      // invalid character in checksum
    "M1VUXWEZ",       // checksum calculated with uppercase form of HRP
    "16plkw9",        // empty HRP
    "1p2gdwpf",       // empty HRP
};

struct SegwitVector {
  std::string_view address;
  std::string_view script_hex;
};

// BIP350 "Test vectors for v0-v16 native segregated witness addresses": valid.
constexpr SegwitVector kValidSegwit[] = {
    {"BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", "0014751e76e8199196d454941c45d1b3a323f1433bd6"},
    {"tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7",
     "00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262"},
    {"bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y",
     "5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6"},
    {"BC1SW50QGDZ25J", "6002751e"},
    {"bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", "5210751e76e8199196d454941c45d1b3a323"},
    {"tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy",
     "0020000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433"},
    {"tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c",
     "5120000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433"},
    {"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
     "512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"},
};

// BIP173's valid v1+ addresses: correct bech32 strings, but BIP350 requires bech32m for v1+.
constexpr SegwitVector kBip173HigherVersions[] = {
    {"bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx",
     "5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6"},
    {"BC1SW50QA3JX3S", "6002751e"},
    {"bc1zw508d6qejxtdg4y5r3zarvaryvg6kdaj", "5210751e76e8199196d454941c45d1b3a323"},
};

// BIP173 then BIP350 invalid segwit addresses.
constexpr std::string_view kInvalidSegwit[] = {
    "tc1qw508d6qejxtdg4y5r3zarvary0c5xw7kg3g4ty",                               // invalid HRP
    "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5",                               // invalid checksum
    "BC13W508D6QEJXTDG4Y5R3ZARVARY0C5XW7KN40WF2",                               // invalid witness version
    "bc1rw5uspcuh",                                                             // invalid program length
    "bc10w508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kw5rljs90",  // program length
    "BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P",                                     // v0 program length
    "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sL5k7",           // mixed case
    "bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du",                                    // > 4 bits of zero padding
    "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3pjxtptv",           // non-zero padding
    "bc1gmk9yu",                                                                // empty data section
    "tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut",           // invalid HRP
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd",           // bech32 for v1
    "tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf",           // bech32 for v2
    "BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL",           // bech32 for v16
    "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh",                               // bech32m for v0
    "tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47",           // bech32m for v0
    "bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4",           // bad checksum character
    "BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R",           // invalid witness version
    "bc1pw5dgrnzv",                                                             // 1-byte program
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav",  // 41-byte program
    "BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P",                                     // v0 program length
    "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq",           // mixed case
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf",         // > 4 bits of zero padding
    "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j",           // non-zero padding
    "bc1gmk9yu",                                                                // empty data section
};

/// As the reference implementations test: valid if it decodes for "bc" or for "tb".
Result<SegwitAddress> decode_bc_or_tb(std::string_view address) {
  auto bc = segwit_decode(address, "bc");
  if (bc) return bc;
  return segwit_decode(address, "tb");
}

}  // namespace

TEST_CASE("Bech32: BIP173 valid strings decode as bech32 and re-encode") {
  for (const auto& text : kValidBech32) {
    CAPTURE(text);
    auto decoded = bech32_decode(text);
    REQUIRE(decoded.ok());
    CHECK(decoded->encoding == Bech32Encoding::bech32);
    auto encoded = bech32_encode(decoded->hrp, decoded->data, Bech32Encoding::bech32);
    REQUIRE(encoded.ok());
    CHECK(*encoded == lower(text));
  }
}

TEST_CASE("Bech32: BIP350 valid strings decode as bech32m and re-encode") {
  for (const auto& text : kValidBech32m) {
    CAPTURE(text);
    auto decoded = bech32_decode(text);
    REQUIRE(decoded.ok());
    CHECK(decoded->encoding == Bech32Encoding::bech32m);
    auto encoded = bech32_encode(decoded->hrp, decoded->data, Bech32Encoding::bech32m);
    REQUIRE(encoded.ok());
    CHECK(*encoded == lower(text));
  }
}

TEST_CASE("Bech32: BIP173 and BIP350 invalid strings are rejected") {
  for (const auto& text : kInvalidStrings) {
    CAPTURE(text);
    CHECK_FALSE(bech32_decode(text).ok());
  }
}

TEST_CASE("Bech32: one changed character fails the checksum of every valid string") {
  for (const auto* list : {&kValidBech32, &kValidBech32m}) {
    for (const auto& text : *list) {
      std::string changed = lower(text);
      char& last = changed.back();
      last = last == 'q' ? 'p' : 'q';
      CAPTURE(changed);
      auto decoded = bech32_decode(changed);
      REQUIRE_FALSE(decoded.ok());
      CHECK(decoded.error().code == Errc::data_loss);
    }
  }
}

TEST_CASE("Bech32: the 90-character limit can be lifted, the 83-character HRP limit cannot") {
  // CIP-19 base address: 103 characters, valid bech32 once the limit is lifted.
  const std::string_view cardano =
      "addr1qx2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzer3n0d3vllmyqwsx5wktcd8cc3sq835lu7drv2xwl2wywfgse35a3x";
  CHECK_FALSE(bech32_decode(cardano).ok());
  auto lifted = bech32_decode(cardano, kBech32NoLengthLimit);
  REQUIRE(lifted.ok());
  CHECK(lifted->hrp == "addr");
  CHECK(lifted->encoding == Bech32Encoding::bech32);
  auto stake = bech32_decode("stake1uyehkck0lajq8gr28t9uxnuvgcqrc6070x3k9r8048z8y5gh6ffgw");
  REQUIRE(stake.ok());
  CHECK(stake->hrp == "stake");
  // An 84-character HRP stays invalid without a length limit.
  CHECK_FALSE(bech32_decode(kInvalidStrings[3], kBech32NoLengthLimit).ok());
  CHECK_FALSE(bech32_encode(std::string(84, 'a'), {}, Bech32Encoding::bech32).ok());
}

TEST_CASE("Bech32: encoder rejects bad input") {
  const std::vector<std::uint8_t> wide = {1, 32};
  CHECK_FALSE(bech32_encode("bc", wide, Bech32Encoding::bech32).ok());
  CHECK_FALSE(bech32_encode("", {}, Bech32Encoding::bech32).ok());
  CHECK_FALSE(bech32_encode("b c", {}, Bech32Encoding::bech32).ok());
}

TEST_CASE("Bech32: convert_bits padding rules") {
  const std::vector<std::uint8_t> bytes = {0xff};
  auto five = convert_bits(bytes, 8, 5, true);
  REQUIRE(five.ok());
  CHECK(*five == std::vector<std::uint8_t>{31, 28});
  auto back = convert_bits(*five, 5, 8, false);
  REQUIRE(back.ok());
  CHECK(*back == bytes);
  CHECK_FALSE(convert_bits(std::vector<std::uint8_t>{31, 29}, 5, 8, false).ok());  // non-zero padding
  CHECK_FALSE(convert_bits(std::vector<std::uint8_t>{31, 28, 0}, 5, 8, false).ok());  // 7 bits left over
  CHECK_FALSE(convert_bits(std::vector<std::uint8_t>{32}, 5, 8, false).ok());  // value too wide
  CHECK_FALSE(convert_bits(bytes, 0, 5, true).ok());
}

TEST_CASE("Segwit: BIP350 valid addresses, their scripts, and re-encoding") {
  for (const auto& v : kValidSegwit) {
    CAPTURE(v.address);
    auto address = decode_bc_or_tb(v.address);
    REQUIRE(address.ok());
    CHECK(hex_of(segwit_script_pubkey(*address)) == v.script_hex);
    auto encoded = segwit_encode(address->hrp, address->witness_version, address->program);
    REQUIRE(encoded.ok());
    CHECK(*encoded == lower(v.address));
    CHECK(segwit_decode(v.address).ok());  // any HRP
  }
}

TEST_CASE("Segwit: BIP173's example addresses for the key 0279BE66...") {
  auto p2wpkh = segwit_decode("tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx", "tb");
  REQUIRE(p2wpkh.ok());
  CHECK(hex_of(p2wpkh->program) == "751e76e8199196d454941c45d1b3a323f1433bd6");
  auto p2wsh = segwit_decode("bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3", "bc");
  REQUIRE(p2wsh.ok());
  CHECK(p2wsh->program.size() == 32);
}

TEST_CASE("Segwit: BIP173 and BIP350 invalid addresses are rejected") {
  for (auto text : kInvalidSegwit) {
    CAPTURE(text);
    CHECK_FALSE(decode_bc_or_tb(text).ok());
  }
}

TEST_CASE("Segwit: BIP173's v1+ addresses are bech32 strings but invalid addresses under BIP350") {
  for (const auto& v : kBip173HigherVersions) {
    CAPTURE(v.address);
    auto raw = bech32_decode(v.address);
    REQUIRE(raw.ok());
    CHECK(raw->encoding == Bech32Encoding::bech32);
    auto address = segwit_decode(v.address);
    REQUIRE_FALSE(address.ok());
    CHECK(address.error().code == Errc::data_loss);
  }
}

TEST_CASE("Segwit: HRP checks and encoder rules") {
  CHECK(segwit_decode("tc1qw508d6qejxtdg4y5r3zarvary0c5xw7kg3g4ty").ok());  // valid when any HRP goes
  auto wrong_hrp = segwit_decode("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "tb");
  REQUIRE_FALSE(wrong_hrp.ok());
  CHECK(wrong_hrp.error().code == Errc::invalid_argument);
  const std::vector<std::uint8_t> program20(20, 0x11);
  const std::vector<std::uint8_t> program41(41, 0x11);
  CHECK(segwit_encode("bc", 0, program20).ok());
  CHECK(segwit_encode("bc", 16, program20).ok());
  CHECK_FALSE(segwit_encode("bc", 17, program20).ok());
  CHECK_FALSE(segwit_encode("bc", -1, program20).ok());
  CHECK_FALSE(segwit_encode("bc", 0, std::vector<std::uint8_t>(21, 0)).ok());
  CHECK_FALSE(segwit_encode("bc", 1, program41).ok());
  CHECK_FALSE(segwit_encode("bc", 1, std::vector<std::uint8_t>(1, 0)).ok());
  // A 40-byte program with a long HRP would exceed 90 characters.
  CHECK_FALSE(segwit_encode(std::string(30, 'a'), 1, std::vector<std::uint8_t>(40, 0)).ok());
}

}  // namespace trawl::scan
