#include "mesh/decimal6.hpp"

#include <array>
#include <charconv>
#include <cmath>

namespace trawl::mesh {
namespace {

constexpr std::array<double, 13> kPow10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12};

}  // namespace

double decimal6_reference(double v) {
  const float f = static_cast<float>(v) + 0.0f;
  if (!std::isfinite(f) || f == 0.0f) return f;
  char text[32];
  const auto end = std::to_chars(text, text + sizeof text, static_cast<double>(f), std::chars_format::scientific, 5);
  double out = f;
  std::from_chars(text, end.ptr, out);
  return out;
}

// The text round trip costs most of the exact hash's time on a large mesh.
// For |f| in [1e-7, 1e6) it is done in arithmetic that is exact where it
// matters: f · 10^k with 0 <= k <= 12 is exact (a 24-bit significand times
// 5^k < 2^28 fits in 53 bits), so rounding that product to an integer in
// [1e5, 1e6] rounds the true decimal value (ties to even, as the text
// conversion does), and dividing by the exact 10^k is one correctly rounded
// operation, like from_chars. Other magnitudes take the text path.
double decimal6(double v) {
  const float f = static_cast<float>(v) + 0.0f;
  if (!std::isfinite(f) || f == 0.0f) return f;
  const double a = std::fabs(static_cast<double>(f));
  if (!(a >= 1e-7 && a < 1e6)) return decimal6_reference(v);
  // 10^e <= a < 10^(e+1): estimate e from the binary exponent, then settle it by exact comparisons.
  int k = 5 - static_cast<int>(std::floor(std::ilogb(a) * 0.30102999566398120));
  k = k < 0 ? 0 : (k > 12 ? 12 : k);
  double scaled = a * kPow10[static_cast<size_t>(k)];
  while (scaled < 1e5 && k < 12) scaled = a * kPow10[static_cast<size_t>(++k)];
  while (scaled >= 1e6 && k > 0) scaled = a * kPow10[static_cast<size_t>(--k)];
  if (scaled < 1e5 || scaled >= 1e6) return decimal6_reference(v);
  const double out = std::nearbyint(scaled) / kPow10[static_cast<size_t>(k)];
  return f < 0 ? -out : out;
}

}  // namespace trawl::mesh
