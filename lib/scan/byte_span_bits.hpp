#pragma once
// Bit helpers shared by the span searches (byte_span.cpp) and their AVX-512
// form (byte_span_avx512.cpp): internal to lib/scan.
#include <cstddef>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define TRAWL_BYTE_SPAN_AVX2 1
#endif

namespace trawl::scan::detail {

/// Bit k of the result: bits k .. k + min_length - 1 of `r` are all set (shifts by doubling).
template <std::size_t MinLength, typename Bits>
inline Bits all_set_from(Bits r, std::size_t min_length) {
  std::size_t covered = 1;
  if constexpr (MinLength != 0) {
    static_assert(MinLength >= 1 && MinLength <= 64);
    // Constant shift amounts: the text scanners' case, unrolled by the compiler.
    for (std::size_t step = 1; step * 2 <= MinLength; step *= 2) r &= r >> step;
    while (covered * 2 <= MinLength) covered *= 2;
    if (covered < MinLength) r &= r >> (MinLength - covered);
    return r;
  }
  while (covered * 2 <= min_length) {
    r &= r >> covered;
    covered *= 2;
  }
  if (covered < min_length) r &= r >> (min_length - covered);
  return r;
}

__extension__ using u128 = unsigned __int128;

}  // namespace trawl::scan::detail
