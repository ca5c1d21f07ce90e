#include "scan/byte_span.hpp"

#include <algorithm>

#include "scan/byte_span_avx512.hpp"
#include "scan/byte_span_bits.hpp"

#ifdef TRAWL_BYTE_SPAN_AVX2
#include <immintrin.h>
#endif

namespace trawl::scan {
namespace {

using detail::all_set_from;
using detail::u128;

#ifdef TRAWL_BYTE_SPAN_AVX2
/// A set's two low-nibble tables and the high-nibble bit selectors, in vector registers.
struct MemberTables {
  __m256i low0, low1, high_bit0, high_bit1;
};

__attribute__((target("avx2"))) inline __m256i table(const std::array<std::uint8_t, 16>& t) {
  return _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(t.data())));
}

__attribute__((target("avx2"))) inline MemberTables member_tables(
    const std::array<std::array<std::uint8_t, 16>, 2>& low) {
  // high nibble h selects bit h of table 0 (h < 8) or bit h - 8 of table 1
  return {table(low[0]), table(low[1]),
          _mm256_setr_epi8(1, 2, 4, 8, 16, 32, 64, -128, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, -128, 0, 0, 0,
                           0, 0, 0, 0, 0),
          _mm256_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, -128, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 4, 8, 16,
                           32, 64, -128)};
}

/// Bit k set when p[k] is a member, for 32 bytes.
__attribute__((target("avx2"))) inline std::uint32_t member_mask(const std::uint8_t* p, const MemberTables& t) {
  const __m256i nibble = _mm256_set1_epi8(0x0f);
  const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  const __m256i lo = _mm256_and_si256(v, nibble);
  const __m256i hi = _mm256_and_si256(_mm256_srli_epi16(v, 4), nibble);
  const __m256i a = _mm256_and_si256(_mm256_shuffle_epi8(t.low0, lo), _mm256_shuffle_epi8(t.high_bit0, hi));
  const __m256i b = _mm256_and_si256(_mm256_shuffle_epi8(t.low1, lo), _mm256_shuffle_epi8(t.high_bit1, hi));
  const __m256i none = _mm256_cmpeq_epi8(_mm256_or_si256(a, b), _mm256_setzero_si256());
  return ~static_cast<std::uint32_t>(_mm256_movemask_epi8(none));
}

__attribute__((target("avx2"))) std::size_t span_end_avx2(const std::uint8_t* bytes, std::size_t from,
                                                          std::size_t to,
                                                          const std::array<std::array<std::uint8_t, 16>, 2>& low) {
  const MemberTables t = member_tables(low);
  std::size_t i = from;
  for (; i + 32 <= to; i += 32) {
    const std::uint32_t outside = ~member_mask(bytes + i, t);
    if (outside != 0) return i + static_cast<std::size_t>(__builtin_ctz(outside));
  }
  return i;
}

/// Bit k set when bytes[k] is a member, for 64 bytes.
__attribute__((target("avx2"))) inline std::uint64_t member_mask64(const std::uint8_t* p,
                                                            const std::array<std::array<std::uint8_t, 16>, 2>& low) {
  const MemberTables t = member_tables(low);
  const std::uint64_t a = member_mask(p, t);
  const std::uint64_t b = member_mask(p + 32, t);
  return a | b << 32;
}

/// The first position in [from, to - 127) where `min_length` members in a row
/// start, tested 64 positions at a time on the member bits of 128 bytes; or
/// where it stopped (a multiple of 64 past `from`).

/// Index of the lowest set bit of x (x != 0).
inline std::size_t lowest_bit(u128 x) {
  const auto low = static_cast<std::uint64_t>(x);
  return low != 0 ? static_cast<std::size_t>(__builtin_ctzll(low))
                  : 64 + static_cast<std::size_t>(__builtin_ctzll(static_cast<std::uint64_t>(x >> 64)));
}

/// One past the index of the highest set bit of x (x != 0).
inline std::size_t bit_after_highest(u128 x) {
  const auto high = static_cast<std::uint64_t>(x >> 64);
  return high != 0 ? 128 - static_cast<std::size_t>(__builtin_clzll(high))
                   : 64 - static_cast<std::size_t>(__builtin_clzll(static_cast<std::uint64_t>(x)));
}

template <std::size_t MinLength>
__attribute__((target("avx2"))) std::size_t next_long_start_avx2(
    const std::uint8_t* bytes, std::size_t from, std::size_t to, std::size_t min_length,
    const std::array<std::array<std::uint8_t, 16>, 2>& low) {
  std::size_t i = from;
  if (i + 128 > to) return i;
  std::uint64_t next = member_mask64(bytes + i + 64, low);
  // Bit j: the 16 bytes from i + 16 j are all members.
  auto full_quarters = [](std::uint64_t m) {
    unsigned f = 0;
    for (unsigned j = 0; j < 4; ++j) f |= (m >> (16 * j) & 0xFFFFu) == 0xFFFFu ? 1u << j : 0u;
    return f;
  };
  for (std::uint64_t cur = member_mask64(bytes + i, low); i + 128 <= to; i += 64) {
    if constexpr (MinLength >= 47) {
      // A span of 47 starting before i + 64 holds two whole aligned 16-byte
      // quarters in a row (of the first six): random bytes almost never have
      // one, and the doubling below is a chain of dependent 128-bit shifts.
      const unsigned full = full_quarters(cur) | full_quarters(next) << 4;
      // Each such pair lies in one span: measured from the non-members around
      // it, lowest pair first (the spans are in order), instead of doubling.
      const u128 outside = ~(static_cast<u128>(next) << 64 | cur);
      for (unsigned pairs = full & full >> 1 & 0x1Fu; pairs != 0; pairs &= pairs - 1) {
        const unsigned lo = 16 * static_cast<unsigned>(__builtin_ctz(pairs));  // the pair is [lo, lo + 32)
        const u128 before = outside & ((static_cast<u128>(1) << lo) - 1);
        const std::size_t begin = before == 0 ? 0 : bit_after_highest(before);
        if (begin >= 64) break;  // a span starting in the next block: found from there
        const u128 after = outside >> (lo + 32);
        const std::size_t end = after == 0 ? 128 : lo + 32 + lowest_bit(after);
        if (end - begin >= MinLength) return i + begin;
      }
      cur = next;
      if (i + 192 <= to) next = member_mask64(bytes + i + 128, low);
      continue;
    }
    // Bit k: bytes i + k .. i + k + min_length - 1 are all members.
    const auto starts = static_cast<std::uint64_t>(all_set_from<MinLength>(static_cast<u128>(next) << 64 | cur, min_length));
    if (starts != 0) return i + static_cast<std::size_t>(__builtin_ctzll(starts));
    cur = next;
    if (i + 192 <= to) next = member_mask64(bytes + i + 128, low);
  }
  return i;
}

#endif

}  // namespace

ByteSpanSet::ByteSpanSet(const std::array<bool, 256>& members) : members_(members) {
  for (unsigned c = 0; c < 256; ++c)
    if (members[c]) low_[(c >> 4) / 8][c & 15] |= static_cast<std::uint8_t>(1u << ((c >> 4) % 8));
  for (unsigned c = 0; c < 256; ++c) flags_[c] = members[c] ? 1 : 0;
}

std::size_t ByteSpanSet::span_end_scalar(const std::uint8_t* bytes, std::size_t from, std::size_t to) const {
  while (from < to && members_[bytes[from]]) ++from;
  return from;
}

std::size_t ByteSpanSet::span_end(const std::uint8_t* bytes, std::size_t from, std::size_t to) const {
  // Short spans (most in binary data) end before a vector would pay off.
  for (std::size_t k = 0; k < 16 && from < to; ++k, ++from)
    if (!members_[bytes[from]]) return from;
#ifdef TRAWL_BYTE_SPAN_AVX2
  static const bool avx2 = __builtin_cpu_supports("avx2");
  if (avx2) from = span_end_avx2(bytes, from, to, low_);
#endif
  return span_end_scalar(bytes, from, to);
}

ByteSpanSet::Span ByteSpanSet::next_long_span_scalar(const std::uint8_t* bytes, std::size_t from, std::size_t to,
                                                    std::size_t min_length) const {
  std::size_t begin = from;
  while (begin < to) {
    const std::size_t end = span_end_scalar(bytes, begin, to);
    if (end - begin >= min_length) return {begin, end};
    begin = end + 1;
  }
  return {to, to};
}

ByteSpanSet::Span ByteSpanSet::next_long_span(const std::uint8_t* bytes, std::size_t from, std::size_t to,
                                              std::size_t min_length) const {
#ifdef TRAWL_BYTE_SPAN_AVX2
  static const bool avx2 = __builtin_cpu_supports("avx2");
  if (avx2 && min_length >= 1 && min_length <= 64) {
    // 47: the shortest seed phrase; 14: the shortest address.
    const std::size_t at = min_length == 47   ? next_long_start_avx2<47>(bytes, from, to, min_length, low_)
                           : min_length == 14 ? next_long_start_avx2<14>(bytes, from, to, min_length, low_)
                                              : next_long_start_avx2<0>(bytes, from, to, min_length, low_);
    if (at + 128 > to) return next_long_span_scalar(bytes, at, to, min_length);
    // A long span starts at `at` (the first position with min_length members
    // from it), and those members are known: its end is searched after them.
    std::size_t end = span_end_avx2(bytes, at + min_length, to, low_);
    return {at, span_end_scalar(bytes, end, to)};
  }
#endif
  return next_long_span_scalar(bytes, from, to, min_length);
}

void ByteSpanSet::long_spans_by_search(const std::uint8_t* bytes, std::size_t size, std::size_t min_length,
                                       std::size_t stop, std::vector<Span>& out) const {
  out.clear();
  for (std::size_t from = 0; from < size;) {
    const Span span = next_long_span(bytes, from, size, min_length);
    if (span.begin >= std::min(size, stop)) break;
    out.push_back(span);
    from = span.end;  // a non-member, or the end
  }
}

void ByteSpanSet::long_spans_of_two(const std::uint8_t* bytes, std::size_t size, const ByteSpanSet& a,
                                    std::size_t min_a, std::size_t stop_a, std::vector<Span>& out_a,
                                    const ByteSpanSet& b, std::size_t min_b, std::size_t stop_b,
                                    std::vector<Span>& out_b) {
#ifdef TRAWL_BYTE_SPAN_AVX2
  static const bool avx512 = __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vbmi");
  // The wallet scanner's pair: alphanumeric runs of 14 (addresses), phrase stretches of 47.
  if (avx512 && min_a == 14 && min_b == 47) {
    std::array<std::uint8_t, 256> flags{};
    for (std::size_t c = 0; c < flags.size(); ++c)
      flags[c] = static_cast<std::uint8_t>((a.members_[c] ? 1 : 0) | (b.members_[c] ? 2 : 0));
    out_a.clear();
    out_b.clear();
    detail::long_spans_two_avx512_14_47(bytes, size, flags, stop_a, out_a, stop_b, out_b);
    return;
  }
#endif
  a.long_spans(bytes, size, min_a, stop_a, out_a);
  b.long_spans(bytes, size, min_b, stop_b, out_b);
}

void ByteSpanSet::long_spans(const std::uint8_t* bytes, std::size_t size, std::size_t min_length, std::size_t stop,
                             std::vector<Span>& out) const {
#ifdef TRAWL_BYTE_SPAN_AVX2
  static const bool avx512 = __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vbmi");
  if (avx512 && min_length >= 1 && min_length <= 64) {
    out.clear();
    detail::long_spans_avx512(bytes, size, min_length, stop, flags_, out);
    return;
  }
#endif
  long_spans_by_search(bytes, size, min_length, stop, out);
}

}  // namespace trawl::scan
