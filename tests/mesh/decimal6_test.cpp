#include "mesh/decimal6.hpp"

#include <doctest/doctest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <limits>

namespace trawl::mesh {
namespace {

bool same(double a, double b) {
  return std::bit_cast<uint64_t>(a) == std::bit_cast<uint64_t>(b) || (std::isnan(a) && std::isnan(b));
}

TEST_CASE("Decimal6: the arithmetic path equals the text round trip for floats of every magnitude") {
  // Every 4099th float bit pattern, both signs: all exponents, the arithmetic range and the text fallback.
  // (All 2^32 patterns were compared once by hand: no difference.)
  size_t differ = 0;
  for (uint64_t bits = 0; bits < (uint64_t{1} << 32); bits += 4099) {
    const double v = std::bit_cast<float>(static_cast<uint32_t>(bits));
    if (!same(decimal6(v), decimal6_reference(v)) && differ++ < 5) CHECK_MESSAGE(false, "differs at " << v);
  }
  CHECK(differ == 0);
}

TEST_CASE("Decimal6: ties round to even and the range edges agree with the text round trip") {
  // Exact float ties m.5 · 10^-k (m with 6 digits) round to the even neighbour, as printf does.
  CHECK(decimal6(123456.5) == 123456.0);
  CHECK(decimal6(123457.5) == 123458.0);
  CHECK(decimal6(1234.565) == decimal6_reference(1234.565));
  size_t differ = 0;
  for (int k = 0; k <= 12; ++k)
    for (int m = 100000; m < 1000000; m += 37) {
      const double v = (m + 0.5) / std::pow(10.0, k);
      if (!same(decimal6(v), decimal6_reference(v))) ++differ;
      if (!same(decimal6(-v), decimal6_reference(-v))) ++differ;
    }
  CHECK(differ == 0);
  for (const double v : {1e-7, 9.99999e-8, 1.00001e-7, 999999.0, 999999.5, 1e6, 1e-45, 3.4e38, 0.1, 1.0, 25.4}) {
    CAPTURE(v);
    CHECK(same(decimal6(v), decimal6_reference(v)));
    CHECK(same(decimal6(-v), decimal6_reference(-v)));
  }
  CHECK(same(decimal6(-0.0), 0.0));
  CHECK(std::isnan(decimal6(std::numeric_limits<double>::quiet_NaN())));
  CHECK(decimal6(std::numeric_limits<double>::infinity()) == std::numeric_limits<double>::infinity());
  CHECK(decimal6(1e300) == std::numeric_limits<double>::infinity());  // float32 first
  // A value already printed with 6 significant digits is a fixed point.
  CHECK(decimal6(decimal6(1.23456789)) == decimal6(1.23456789));
  CHECK(decimal6(1.23456789) == 1.23457);
}

}  // namespace
}  // namespace trawl::mesh
