#include "scan/keccak.hpp"

#include <doctest/doctest.h>

#include "test_support.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace trawl::scan {
namespace {

using test::hex_of;


std::vector<std::uint8_t> counting_bytes(std::size_t n) {
  std::vector<std::uint8_t> out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>(i & 0xff);
  return out;
}

}  // namespace

TEST_CASE("Keccak: well-known Keccak-256 vectors") {
  CHECK(hex_of(keccak256("")) == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  CHECK(hex_of(keccak256("abc")) == "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
  CHECK(hex_of(keccak256("The quick brown fox jumps over the lazy dog")) ==
        "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15");
}

// Long and rate-boundary messages. Expected values come from an independent Python
// implementation of the FIPS 202 step mappings (rho offsets and round constants computed, not
// tabled) that reproduces hashlib.sha3_256 with domain byte 0x06 on the same inputs.
TEST_CASE("Keccak: long messages and the 136-byte rate boundary") {
  CHECK(hex_of(keccak256(counting_bytes(1000))) == "aca79e4146e30eb1c733f6d6060d72471c36ea4e01ebf45d7f4916249c2bbd82");
  CHECK(hex_of(keccak256(std::string(135, 'a'))) == "34367dc248bbd832f4e3e69dfaac2f92638bd0bbd18f2912ba4ef454919cf446");
  CHECK(hex_of(keccak256(std::string(136, 'a'))) == "a6c4d403279fe3e0af03729caada8374b5ca54d8065329a3ebcaeb4b60aa386e");
  CHECK(hex_of(keccak256(std::string(137, 'a'))) == "d869f639c7046b4929fc92a4d988a8b22c55fbadb802c0c66ebcd484f1915f39");
}

TEST_CASE("Keccak: the SHA3-256 domain byte gives FIPS 202 results, and differs from Keccak") {
  CHECK(hex_of(sha3_256({})) == "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a");
  CHECK(hex_of(sha3_256(counting_bytes(1000))) == "14e5de35911194ddad95ac1572e2b6ce054ed2146cd0562280fcab04ccfecbd8");
  CHECK(sha3_256({}) != keccak256(""));
}

TEST_CASE("Keccak: the span and string overloads agree") {
  const std::string text = "trawl";
  const std::vector<std::uint8_t> bytes(text.begin(), text.end());
  CHECK(keccak256(bytes) == keccak256(text));
  CHECK(keccak256(std::span<const std::uint8_t>{}) == keccak256(""));
}

}  // namespace trawl::scan
