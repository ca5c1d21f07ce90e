#include "scan/byte_pair.hpp"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define TRAWL_BYTE_PAIR_X86 1
#endif

namespace trawl::scan {
namespace {

#ifdef TRAWL_BYTE_PAIR_X86
/// 64 positions at a time; returns the match or where it stopped (i + 64 > stop).
__attribute__((target("avx512f,avx512bw"))) std::size_t next_byte_pair_avx512(const std::uint8_t* bytes,
                                                                             std::size_t i, std::size_t stop,
                                                                             std::uint8_t first, std::uint8_t second) {
  const __m512i a = _mm512_set1_epi8(static_cast<char>(first));
  const __m512i b = _mm512_set1_epi8(static_cast<char>(second));
  for (; i + 64 <= stop; i += 64) {
    const __mmask64 before = _mm512_cmpeq_epi8_mask(_mm512_loadu_si512(bytes + i - 1), a);
    const __mmask64 here = _mm512_cmpeq_epi8_mask(_mm512_loadu_si512(bytes + i), b);
    const std::uint64_t pair = before & here;
    if (pair != 0) return i + static_cast<std::size_t>(__builtin_ctzll(pair));
  }
  return i;
}

bool have_avx512bw() {
  static const bool yes = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw");
  return yes;
}
#endif

}  // namespace

std::size_t next_byte_pair_scalar(const std::uint8_t* bytes, std::size_t from, std::size_t stop, std::uint8_t first,
                                  std::uint8_t second) {
  for (std::size_t i = from; i < stop; ++i)
    if (bytes[i] == second && bytes[i - 1] == first) return i;
  return stop;
}

std::size_t next_byte_pair(const std::uint8_t* bytes, std::size_t from, std::size_t stop, std::uint8_t first,
                           std::uint8_t second) {
  std::size_t i = from;
#ifdef TRAWL_BYTE_PAIR_X86
  if (have_avx512bw()) {
    i = next_byte_pair_avx512(bytes, i, stop, first, second);
    if (i + 64 <= stop) return i;  // a match, not the end
  }
  const __m128i a = _mm_set1_epi8(static_cast<char>(first));
  const __m128i b = _mm_set1_epi8(static_cast<char>(second));
  for (; i + 16 <= stop; i += 16) {
    const __m128i before = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes + i - 1));
    const __m128i here = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes + i));
    const auto pair = static_cast<unsigned>(_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(before, a), _mm_cmpeq_epi8(here, b))));
    if (pair != 0) return i + static_cast<std::size_t>(__builtin_ctz(pair));
  }
#endif
  return next_byte_pair_scalar(bytes, i, stop, first, second);
}

}  // namespace trawl::scan
