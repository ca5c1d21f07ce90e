#include "scan/byte_span_avx512.hpp"

#include "scan/byte_span_bits.hpp"

#ifdef TRAWL_BYTE_SPAN_AVX2
#include <immintrin.h>

namespace trawl::scan::detail {
namespace {

#define TRAWL_BYTE_SPAN_AVX512 __attribute__((target("avx512f,avx512bw,avx512vbmi")))

/// A set's 256 member flags (bytes 1 and 0) in four registers: two 128-entry tables.
struct MemberFlags512 {
  __m512i t0, t1, t2, t3;
};

TRAWL_BYTE_SPAN_AVX512 inline MemberFlags512 member_flags512(const std::array<std::uint8_t, 256>& flags) {
  return {_mm512_loadu_si512(flags.data()), _mm512_loadu_si512(flags.data() + 64),
          _mm512_loadu_si512(flags.data() + 128), _mm512_loadu_si512(flags.data() + 192)};
}

/// The flag bytes of bytes[at, at + 64) looked up in `t` (0 past `size`,
/// where `live` is clear; those bytes are not loaded).
TRAWL_BYTE_SPAN_AVX512 inline __m512i flags512(const std::uint8_t* bytes, std::size_t at, std::size_t size,
                                               const MemberFlags512& t, __mmask64& live) {
  live = size - at >= 64 ? ~__mmask64{0} : (__mmask64{1} << (size - at)) - 1;
  const __m512i v = size - at >= 64 ? _mm512_loadu_si512(bytes + at) : _mm512_maskz_loadu_epi8(live, bytes + at);
  // Bits 0..6 index a pair of 64-byte tables; bit 7 picks the pair.
  const __m512i low = _mm512_permutex2var_epi8(t.t0, v, t.t1);
  const __m512i high = _mm512_permutex2var_epi8(t.t2, v, t.t3);
  return _mm512_mask_blend_epi8(_mm512_movepi8_mask(v), low, high);
}

/// Bit k set when bytes[at + k] is a member (flag 1), for the bytes before `size`.
TRAWL_BYTE_SPAN_AVX512 inline std::uint64_t member_bits512(const std::uint8_t* bytes, std::size_t at,
                                                           std::size_t size, const MemberFlags512& t) {
  __mmask64 live;
  const __m512i flags = flags512(bytes, at, size, t, live);
  return _mm512_mask_test_epi8_mask(live, flags, flags);
}

// The plain 512-bit shifts and and-not start from _mm512_undefined_epi32(),
// which GCC 12 reports as maybe uninitialized; the zero-masked forms with
// every lane kept compile to the same instructions.
TRAWL_BYTE_SPAN_AVX512 inline __m512i shr512(__m512i v, unsigned k) { return _mm512_maskz_srli_epi64(0xFF, v, k); }
TRAWL_BYTE_SPAN_AVX512 inline __m512i shl512(__m512i v, unsigned k) { return _mm512_maskz_slli_epi64(0xFF, v, k); }
/// a & ~b
TRAWL_BYTE_SPAN_AVX512 inline __m512i and_not512(__m512i a, __m512i b) { return _mm512_maskz_andnot_epi64(0xFF, b, a); }

/// One doubling step over the 128-bit (hi:lo) of each lane: bit k set when bits k and k + shift were.
TRAWL_BYTE_SPAN_AVX512 inline void and_shifted512(__m512i& lo, __m512i& hi, unsigned shift) {
  lo = _mm512_and_si512(lo, _mm512_or_si512(shr512(lo, shift), shl512(hi, 64 - shift)));
  hi = _mm512_and_si512(hi, shr512(hi, shift));
}

/// Bit k of each lane: bits k .. k + MinLength - 1 of the 128-bit (hi:lo) of
/// that lane are all set (shifts by doubling, as all_set_from).
template <std::size_t MinLength>
TRAWL_BYTE_SPAN_AVX512 inline __m512i all_set_from512(__m512i lo, __m512i hi) {
  static_assert(MinLength >= 1 && MinLength <= 64);
  std::size_t covered = 1;
  for (; covered * 2 <= MinLength; covered *= 2) and_shifted512(lo, hi, static_cast<unsigned>(covered));
  if (covered < MinLength) and_shifted512(lo, hi, static_cast<unsigned>(MinLength - covered));
  return lo;
}

/// ByteSpanSet::long_spans of one set over member bits given 8 words (512
/// bytes) at a time: in word i (bytes 64 i .. 64 i + 63) the long spans start
/// where a non-member (or the text start) precedes MinLength members
/// (doubling over this word and the next), and every span ends at a member
/// followed by a non-member; a span going on past its word ends at the first
/// such end after it. Text has spans in most blocks of 512 bytes, random bytes
/// in few: only the words of a block that start a span or close the open one
/// are read one by one.
template <std::size_t MinLength>
struct SpanReader512 {
  std::size_t stop;
  std::vector<ByteSpanSet::Span>* out;
  /// [0]: the word before the block (0 before the text), [1, 9): the block's,
  /// [9, 17): the next block's (0 past the text), filled by the caller.
  alignas(64) std::uint64_t words[17] = {};
  bool open = false;  // a span started in an earlier word and has not ended yet
  std::size_t open_begin = 0;
  bool done = false;  // a span starts at or after `stop`: none is wanted after it

  /// More spans may be wanted from the block at byte i on.
  bool wants(std::size_t i) const { return !done && (i < stop || open); }

  /// Reads the block at byte i, then rolls the next block's words in.
  TRAWL_BYTE_SPAN_AVX512 void read(std::size_t i) {
    const __m512i before = _mm512_loadu_si512(words);
    const __m512i cur = _mm512_loadu_si512(words + 1);
    const __m512i next = _mm512_loadu_si512(words + 2);
    // Bit k: a span starts at byte k of the word (a member after a non-member).
    const __m512i heads = and_not512(cur, _mm512_or_si512(shl512(cur, 1), shr512(before, 63)));
    const __m512i starts = _mm512_and_si512(heads, all_set_from512<MinLength>(cur, next));
    // Bit k: byte k of the word is the last member of a span.
    const __m512i ends = and_not512(cur, _mm512_or_si512(shr512(cur, 1), shl512(next, 63)));
    const __mmask8 start_lanes = _mm512_test_epi64_mask(starts, starts);
    const __mmask8 end_lanes = _mm512_test_epi64_mask(ends, ends);
    if (!done && (start_lanes != 0 || (open && end_lanes != 0))) lanes(i, starts, ends, start_lanes, end_lanes);
    _mm512_store_si512(words, _mm512_loadu_si512(words + 8));
    words[8] = words[16];
  }

  TRAWL_BYTE_SPAN_AVX512 void lanes(std::size_t i, __m512i starts, __m512i ends, __mmask8 start_lanes,
                                    __mmask8 end_lanes) {
    alignas(64) std::uint64_t start_bits[8];
    alignas(64) std::uint64_t end_bits[8];
    _mm512_store_si512(start_bits, starts);
    _mm512_store_si512(end_bits, ends);
    for (unsigned lane = 0; lane < 8; ++lane) {
      if (open) {
        const unsigned with_end = static_cast<unsigned>(end_lanes) >> lane;
        if (with_end == 0) break;
        lane += static_cast<unsigned>(__builtin_ctz(with_end));
        out->push_back({open_begin, i + 64 * lane + static_cast<std::size_t>(__builtin_ctzll(end_bits[lane])) + 1});
        open = false;
      } else {
        const unsigned with_start = static_cast<unsigned>(start_lanes) >> lane;
        if (with_start == 0) break;
        lane += static_cast<unsigned>(__builtin_ctz(with_start));
      }
      const std::size_t base = i + 64 * lane;
      for (std::uint64_t s = start_bits[lane]; s != 0; s &= s - 1) {
        const auto k = static_cast<unsigned>(__builtin_ctzll(s));
        if (base + k >= stop) {
          done = true;
          return;
        }
        const std::uint64_t end = end_bits[lane] & (~std::uint64_t{0} << k);
        if (end == 0) {  // the span goes on past this word: no other start after it here
          open = true;
          open_begin = base + k;
          break;
        }
        out->push_back({base + k, base + static_cast<std::size_t>(__builtin_ctzll(end)) + 1});
      }
    }
  }

  void finish(std::size_t size) {
    if (open && !done) out->push_back({open_begin, size});  // not reached: the bits past `size` are clear
  }
};

/// ByteSpanSet::long_spans with AVX-512 VBMI: each 64 bytes classified once.
template <std::size_t MinLength>
TRAWL_BYTE_SPAN_AVX512 void long_spans_avx512(const std::uint8_t* bytes, std::size_t size, std::size_t stop,
                                              const std::array<std::uint8_t, 256>& flags,
                                              std::vector<ByteSpanSet::Span>& out) {
  if (size == 0) return;
  const MemberFlags512 t = member_flags512(flags);
  SpanReader512<MinLength> reader{stop, &out};
  for (std::size_t k = 0; k < 8; ++k) reader.words[1 + k] = 64 * k < size ? member_bits512(bytes, 64 * k, size, t) : 0;
  for (std::size_t i = 0; i < size && reader.wants(i); i += 512) {
    for (std::size_t k = 0, at = i + 512; k < 8; ++k, at += 64)
      reader.words[9 + k] = at < size ? member_bits512(bytes, at, size, t) : 0;
    reader.read(i);
  }
  reader.finish(size);
}

/// The same for two sets (flag bits 1 and 2 of `flags`) in one pass: the
/// bytes are loaded and looked up once for both.
template <std::size_t MinA, std::size_t MinB>
TRAWL_BYTE_SPAN_AVX512 void long_spans_two_avx512(const std::uint8_t* bytes, std::size_t size,
                                                  const std::array<std::uint8_t, 256>& flags, std::size_t stop_a,
                                                  std::vector<ByteSpanSet::Span>& out_a, std::size_t stop_b,
                                                  std::vector<ByteSpanSet::Span>& out_b) {
  if (size == 0) return;
  const MemberFlags512 t = member_flags512(flags);
  const __m512i bit_a = _mm512_set1_epi8(1);
  const __m512i bit_b = _mm512_set1_epi8(2);
  SpanReader512<MinA> a{stop_a, &out_a};
  SpanReader512<MinB> b{stop_b, &out_b};
  auto fill = [&](std::size_t at, std::size_t word) __attribute__((always_inline, target("avx512f,avx512bw,avx512vbmi"))) {
    for (std::size_t k = 0; k < 8; ++k, at += 64) {
      if (at >= size) {
        a.words[word + k] = b.words[word + k] = 0;
        continue;
      }
      __mmask64 live;
      const __m512i f = flags512(bytes, at, size, t, live);
      a.words[word + k] = _mm512_mask_test_epi8_mask(live, f, bit_a);
      b.words[word + k] = _mm512_mask_test_epi8_mask(live, f, bit_b);
    }
  };
  fill(0, 1);
  for (std::size_t i = 0; i < size && (a.wants(i) || b.wants(i)); i += 512) {
    fill(i + 512, 9);
    a.read(i);
    b.read(i);
  }
  a.finish(size);
  b.finish(size);
}

/// The same for a length known only at run time (the generic search: doubling word by word).
TRAWL_BYTE_SPAN_AVX512 void long_spans_any_avx512(const std::uint8_t* bytes, std::size_t size,
                                                  std::size_t min_length, std::size_t stop,
                                                  const std::array<std::uint8_t, 256>& flags,
                                                  std::vector<ByteSpanSet::Span>& out) {
  if (size == 0) return;
  const MemberFlags512 t = member_flags512(flags);
  std::uint64_t cur = member_bits512(bytes, 0, size, t);
  std::uint64_t before = 0;
  bool open = false;
  std::size_t open_begin = 0;
  for (std::size_t i = 0; i < size && (i < stop || open); i += 64) {
    const std::uint64_t next = i + 64 < size ? member_bits512(bytes, i + 64, size, t) : 0;
    const std::uint64_t ends = cur & ~(cur >> 1 | next << 63);
    if (open && ends != 0) {
      out.push_back({open_begin, i + static_cast<std::size_t>(__builtin_ctzll(ends)) + 1});
      open = false;
    }
    if (!open) {
      std::uint64_t starts =
          static_cast<std::uint64_t>(all_set_from<0>(static_cast<u128>(next) << 64 | cur, min_length)) &
          ~(cur << 1 | before >> 63);
      for (; starts != 0; starts &= starts - 1) {
        const auto k = static_cast<unsigned>(__builtin_ctzll(starts));
        if (i + k >= stop) return;
        const std::uint64_t end = ends & (~std::uint64_t{0} << k);
        if (end == 0) {
          open = true;
          open_begin = i + k;
          break;
        }
        out.push_back({i + k, i + static_cast<std::size_t>(__builtin_ctzll(end)) + 1});
      }
    }
    before = cur;
    cur = next;
  }
  if (open) out.push_back({open_begin, size});
}

}  // namespace

void long_spans_avx512(const std::uint8_t* bytes, std::size_t size, std::size_t min_length, std::size_t stop,
                       const std::array<std::uint8_t, 256>& flags, std::vector<ByteSpanSet::Span>& out) {
  // 47: the shortest seed phrase; 14: the shortest address.
  if (min_length == 47) long_spans_avx512<47>(bytes, size, stop, flags, out);
  else if (min_length == 14) long_spans_avx512<14>(bytes, size, stop, flags, out);
  else long_spans_any_avx512(bytes, size, min_length, stop, flags, out);
}

void long_spans_two_avx512_14_47(const std::uint8_t* bytes, std::size_t size,
                                 const std::array<std::uint8_t, 256>& flags, std::size_t stop_a,
                                 std::vector<ByteSpanSet::Span>& out_a, std::size_t stop_b,
                                 std::vector<ByteSpanSet::Span>& out_b) {
  long_spans_two_avx512<14, 47>(bytes, size, flags, stop_a, out_a, stop_b, out_b);
}

}  // namespace trawl::scan::detail
#endif
