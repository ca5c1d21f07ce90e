#include "scan/sha256_adapter.hpp"

#include <doctest/doctest.h>

#include "test_support.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace trawl::scan {
namespace {

using test::hex_of;


std::span<const std::uint8_t> bytes_of(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

}  // namespace

TEST_CASE("Sha256Adapter: FIPS 180 vectors") {
  CHECK(hex_of(sha256(bytes_of(""))) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(hex_of(sha256(bytes_of("abc"))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(hex_of(sha256(bytes_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))) ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_CASE("Sha256Adapter: sha256d is SHA-256 applied twice") {
  // SHA256(SHA256("")), the checksum of an empty base58check payload.
  CHECK(hex_of(sha256d(bytes_of(""))) == "5df6e0e2761359d30a8275058e299fcc0381534545f55cf43e41983f5d4c9456");
  const auto once = sha256(bytes_of("abc"));
  CHECK(sha256d(bytes_of("abc")) == sha256(once));
}

}  // namespace trawl::scan
