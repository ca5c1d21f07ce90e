#include "formats/deflate.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <string_view>
#include <vector>

#include "formats/inflate.hpp"

namespace trawl::formats {
namespace {

TEST_CASE("Deflate: zlib output inflates back to the input") {
  std::vector<uint8_t> input;
  for (int i = 0; i < 100000; ++i) input.push_back(static_cast<uint8_t>((i * 7) % 251));
  for (int level : {0, 1, 6, 9}) {
    const auto z = deflate_zlib(input, level);
    REQUIRE(z.ok());
    CHECK((*z)[0] == 0x78);  // RFC 1950 header: deflate, 32 KiB window
    const auto back = inflate_bytes(*z, InflateFormat::zlib, input.size());
    REQUIRE(back.ok());
    CHECK_FALSE(back->truncated);
    CHECK(back->bytes == input);
  }
  const auto empty = deflate_zlib({});
  REQUIRE(empty.ok());
  CHECK(inflate_bytes(*empty, InflateFormat::zlib, 10)->bytes.empty());
  CHECK(deflate_zlib(input, 10).error().code == Errc::invalid_argument);
}

TEST_CASE("Deflate: CRC-32 matches the published check value") {
  constexpr std::string_view kCheck = "123456789";  // CRC-32/ISO-HDLC check: 0xCBF43926
  const std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(kCheck.data()), kCheck.size());
  CHECK(crc32_of(bytes) == 0xCBF43926u);
  CHECK(crc32_of(bytes.subspan(4), crc32_of(bytes.first(4))) == 0xCBF43926u);  // continues
  CHECK(crc32_of({}) == 0);
}

}  // namespace
}  // namespace trawl::formats
