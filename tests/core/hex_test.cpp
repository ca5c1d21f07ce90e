#include "core/hex.hpp"

#include <doctest/doctest.h>

#include <array>
#include <cstdint>

namespace trawl {
namespace {

TEST_CASE("Hex: two lower-case digits per byte, optionally capped") {
  const std::array<uint8_t, 4> bytes{0x00, 0x0f, 0xa5, 0xff};
  CHECK(hex_lower(bytes) == "000fa5ff");
  CHECK(hex_lower(bytes, 2) == "000f");
  CHECK(hex_lower(bytes, 0).empty());
  CHECK(hex_lower(std::span<const uint8_t>()).empty());
}

}  // namespace
}  // namespace trawl
