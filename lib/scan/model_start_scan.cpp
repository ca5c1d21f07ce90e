#include "scan/model_start_scan.hpp"

#include <array>
#include <bit>
#include <string_view>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define TRAWL_START_SCAN_AVX2 1
#endif

namespace trawl::scan::carve {
namespace {

bool line_start_byte(std::uint8_t before) { return (before < 0x20 && before != '\t') || before == 0x7f; }
bool digit(std::uint8_t c) { return c >= '0' && c <= '9'; }
/// Could this float32's top byte belong to 0 or a finite |x| < 1e5 (exponent <= 143)?
bool plausible_top(std::uint8_t top) { return (top & 0x7f) <= 0x47; }
/// The first STL record's floats whose top bytes the filter reads: the normal's x and each vertex's x.
constexpr std::array<std::size_t, 4> kStlTops = {84 + 3, 84 + 15, 84 + 27, 84 + 39};

/// A byte the text trackers read inside a line, or a line end.
bool text_or_newline(std::uint8_t c) { return c >= 0x20 ? c != 0x7f : (c == '\t' || c == '\n' || c == '\r' || c == '\f'); }

/// The text formats but AMF cannot be reported without their first bytes being text or line ends: ASCII STL,
/// PLY and STEP headers kTextRun ("ISO-10303-21;" + "HEADER;" is the shortest), the formats that start at a
/// line start kLineTextRun (three OBJ vertices and a face "v 1 2 3\n" x 3 + "f 1 2 3"; a G-code is confirmed
/// by a slicer marker and 8 commands, or 32 commands; an IGES record is 80). Random data rarely has such
/// runs (0.89^16 = 15 %, 0.89^31 = 2.4 %).
constexpr std::size_t kTextRun = 16;
constexpr std::size_t kLineTextRun = 31;
bool text_run(const std::uint8_t* d, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    if (!text_or_newline(d[i])) return false;
  return true;
}

/// The signature and text rules of may_start; `line`: the position is a line start.
bool text_may_start(const std::uint8_t* d, std::size_t p, bool line) {
  const std::uint8_t a = d[p], b = d[p + 1];
  if ((a == '<' && (b == 'a' || b == '?')) || (a == 'P' && b == 'K') || (a == 'G' && b == 'C')) return true;
  if ((a == 's' && b == 'o') || (a == 'p' && b == 'l') || (a == 'I' && b == 'S')) return text_run(d + p, kTextRun);
  if (!line) return false;
  const bool line_format = a == ';' || a == '#' || (a == 'm' && b == 't') || ((a == 'G' || a == 'M') && digit(b)) ||
                           ((a == 'o' || a == 'v') && b == ' ') || (d[p + 72] == 'S' && d[p + 79] == '1');
  return line_format && text_run(d + p, kLineTextRun);
}

}  // namespace

bool may_start_at_line_start(const std::uint8_t* d, std::size_t p) { return text_may_start(d, p, true); }

bool may_start(const std::uint8_t* d, std::size_t p, bool stl_every_byte) {
  if (text_may_start(d, p, line_start_byte(d[p - 1]))) return true;
  if (!stl_every_byte || d[p + 83] > 3) return false;
  if (d[p + 83] == 0 && d[p + 82] == 0 && d[p + 81] == 0 && d[p + 80] < 4) return false;
  for (std::size_t at : kStlTops)
    if (!plausible_top(d[p + at])) return false;
  return true;
}

namespace {

std::size_t scan_scalar(const std::uint8_t* d, std::size_t from, std::size_t to, bool stl_every_byte) {
  while (from < to && !may_start(d, from, stl_every_byte)) ++from;
  return from;
}

#ifdef TRAWL_START_SCAN_AVX2

// Pair classes: a position passes when class(d[p]) & class(d[p + 1]) has a bit, bits 6 and 7 only at a line
// start. Each class is looked up by nibble (pshufb): table_lo[c & 15] & table_hi[c >> 4], which may let a few
// other bytes through (a superset, as the contract allows) but never drops one listed here.
struct PairBit {
  std::string_view first;
  std::string_view second;  ///< empty: any byte
};
constexpr std::array<PairBit, 8> kPairs = {{
    {"sp", "ol"},               // solid, ply (text run; "sl" and "po" pass too)
    {"I", "S"},                 // ISO-10303-21; (text run)
    {"<", "a?"},                // <amf, <?xml
    {"P", "K"},                 // PK\3\4
    {"G", "C"},                 // GCDE
    {";", ""},                  // G-code comment (line start, long text run)
    {"#", ""},                  // OBJ comment (line start, long text run)
    {"GMovm", "0123456789 t"},  // G1, M104, "o ", "v ", mtllib (line start, long text run)
}};
constexpr std::uint8_t kAnywhereBits = 0x1f;  // bits 5-7 need a line start
constexpr std::uint8_t kUngatedBits = 0x1c;   // signatures that need no text run
constexpr std::uint8_t kTextBits = 0x03;      // kTextRun
constexpr std::uint8_t kLineTextBits = 0xe0;  // kLineTextRun

struct NibbleTables {
  std::array<std::uint8_t, 16> lo{}, hi{};
};

constexpr NibbleTables make_tables(bool second) {
  NibbleTables t;
  for (std::size_t bit = 0; bit < kPairs.size(); ++bit) {
    const std::string_view chars = second ? kPairs[bit].second : kPairs[bit].first;
    const auto mask = static_cast<std::uint8_t>(1u << bit);
    if (chars.empty()) {
      for (std::size_t i = 0; i < 16; ++i) {
        t.lo[i] |= mask;
        t.hi[i] |= mask;
      }
    }
    for (char ch : chars) {
      const auto c = static_cast<std::uint8_t>(ch);
      t.lo[c & 15] |= mask;
      t.hi[c >> 4] |= mask;
    }
  }
  return t;
}
constexpr NibbleTables kFirst = make_tables(false);
constexpr NibbleTables kSecond = make_tables(true);

__attribute__((target("avx2"))) inline __m256i table(const std::array<std::uint8_t, 16>& t) {
  return _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(t.data())));
}

__attribute__((target("avx2"))) inline __m256i load(const std::uint8_t* p) {
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
}

/// Bytes <= limit (unsigned), as 0xff lanes.
__attribute__((target("avx2"))) inline __m256i at_most(__m256i v, std::uint8_t limit) {
  return _mm256_cmpeq_epi8(_mm256_min_epu8(v, _mm256_set1_epi8(static_cast<char>(limit))), v);
}

/// The class bits of each byte of v.
__attribute__((target("avx2"))) inline __m256i classify(__m256i v, __m256i lo, __m256i hi, __m256i nibble) {
  const __m256i l = _mm256_shuffle_epi8(lo, _mm256_and_si256(v, nibble));
  const __m256i h = _mm256_shuffle_epi8(hi, _mm256_and_si256(_mm256_srli_epi16(v, 4), nibble));
  return _mm256_and_si256(l, h);
}

/// Bit i: lane i of v has one of `bits`.
__attribute__((target("avx2"))) inline std::uint32_t any_bit(__m256i v, std::uint8_t bits) {
  const __m256i masked = _mm256_and_si256(v, _mm256_set1_epi8(static_cast<char>(bits)));
  return ~static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(masked, _mm256_setzero_si256())));
}

/// Bit i: byte q[i] cannot be in a text run (a control byte other than tab, line end and form feed, or DEL).
/// 0x19, 0x1a, 0x1c and 0x1d pass as text (the lookup sees their low nibble only): a superset.
__attribute__((target("avx2"))) inline std::uint32_t non_text(const std::uint8_t* q, __m256i controls) {
  const __m256i v = load(q);
  const __m256i control = _mm256_and_si256(at_most(v, 0x1f), _mm256_shuffle_epi8(controls, v));
  return static_cast<std::uint32_t>(
      _mm256_movemask_epi8(_mm256_or_si256(control, _mm256_cmpeq_epi8(v, _mm256_set1_epi8(0x7f)))));
}

__attribute__((target("avx2"))) std::size_t scan_avx2(const std::uint8_t* d, std::size_t from, std::size_t to,
                                                     bool stl_every_byte) {
  const __m256i nibble = _mm256_set1_epi8(0x0f);
  const __m256i first_lo = table(kFirst.lo), first_hi = table(kFirst.hi);
  const __m256i second_lo = table(kSecond.lo), second_hi = table(kSecond.hi);
  const __m256i anywhere = _mm256_set1_epi8(kAnywhereBits);
  const __m256i controls = _mm256_setr_epi8(-1, -1, -1, -1, -1, -1, -1, -1, -1, 0, 0, -1, 0, 0, -1, -1,  //
                                            -1, -1, -1, -1, -1, -1, -1, -1, -1, 0, 0, -1, 0, 0, -1, -1);
  for (std::size_t p = from; p < to; p += 32) {
    const __m256i a = load(d + p), b = load(d + p + 1), before = load(d + p - 1);
    // Line start: the byte before is a control byte or DEL (a tab too: a superset, the carver checks).
    const __m256i line = _mm256_or_si256(at_most(before, 0x1f), _mm256_cmpeq_epi8(before, _mm256_set1_epi8(0x7f)));
    const __m256i pairs =
        _mm256_and_si256(_mm256_and_si256(classify(a, first_lo, first_hi, nibble), classify(b, second_lo, second_hi, nibble)),
                         _mm256_or_si256(line, anywhere));
    std::uint32_t hits = any_bit(pairs, kUngatedBits);
    const std::uint32_t text_hits = any_bit(pairs, kTextBits);
    const __m256i iges = _mm256_and_si256(_mm256_cmpeq_epi8(load(d + p + 72), _mm256_set1_epi8('S')),
                                          _mm256_cmpeq_epi8(load(d + p + 79), _mm256_set1_epi8('1')));
    const std::uint32_t line_hits =
        any_bit(pairs, kLineTextBits) | static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_and_si256(iges, line)));
    if ((text_hits | line_hits) != 0) {
      // Only then (a few blocks in a hundred of random data): the text runs starting at each of the 32
      // positions, from the non-text bits of 64 bytes; `spread` bit i: a non-text byte in [i, i + 16).
      const std::uint64_t non = non_text(d + p, controls) | (std::uint64_t{non_text(d + p + 32, controls)} << 32);
      std::uint64_t spread = non | (non >> 1);
      spread |= spread >> 2;
      spread |= spread >> 4;
      spread |= spread >> 8;
      static_assert(kTextRun == 16 && kLineTextRun == 31);
      hits |= text_hits & static_cast<std::uint32_t>(~spread);
      hits |= line_hits & static_cast<std::uint32_t>(~(spread | (spread >> 15)));  // [i, i + 31)
    }
    if (stl_every_byte) {
      const __m256i top_mask = _mm256_set1_epi8(0x7f);
      __m256i stl = at_most(load(d + p + 83), 3);
      for (std::size_t at : kStlTops)
        stl = _mm256_and_si256(stl, at_most(_mm256_and_si256(load(d + p + at), top_mask), 0x47));
      // A count below 4 (as may_start): runs of zeros, common on disks, are not each a candidate.
      const __m256i zero = _mm256_setzero_si256();
      const __m256i small = _mm256_and_si256(
          _mm256_and_si256(at_most(load(d + p + 80), 3), _mm256_cmpeq_epi8(load(d + p + 81), zero)),
          _mm256_and_si256(_mm256_cmpeq_epi8(load(d + p + 82), zero), _mm256_cmpeq_epi8(load(d + p + 83), zero)));
      stl = _mm256_andnot_si256(small, stl);
      hits |= static_cast<std::uint32_t>(_mm256_movemask_epi8(stl));
    }
    if (to - p < 32) hits &= (std::uint32_t{1} << (to - p)) - 1;
    if (hits != 0) return p + static_cast<std::size_t>(std::countr_zero(hits));
  }
  return to;
}

#define TRAWL_AVX512 __attribute__((target("avx512f,avx512bw,avx512vbmi")))

/// The pair classes by byte value below 0x80 (AVX-512 VBMI looks up 128-entry tables in one instruction):
/// exact, where the nibble tables let a few other bytes through. A byte from 0x80 up looks up entry byte - 0x80;
/// the first byte's lookup is masked off for those, the second's may let some through (a superset).
struct ByteTables {
  std::array<std::uint8_t, 128> first{}, second{};
};

constexpr ByteTables make_byte_tables() {
  ByteTables t;
  for (std::size_t bit = 0; bit < kPairs.size(); ++bit) {
    const auto mask = static_cast<std::uint8_t>(1u << bit);
    for (char ch : kPairs[bit].first) t.first[static_cast<std::uint8_t>(ch)] |= mask;
    if (kPairs[bit].second.empty())
      for (std::uint8_t& e : t.second) e |= mask;
    for (char ch : kPairs[bit].second) t.second[static_cast<std::uint8_t>(ch)] |= mask;
  }
  return t;
}
constexpr ByteTables kByteTables = make_byte_tables();

/// A 16-byte table repeated in each 128-bit lane (pshufb looks up within its lane).
constexpr std::array<std::uint8_t, 64> lanes(const std::array<std::uint8_t, 16>& t) {
  std::array<std::uint8_t, 64> out{};
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = t[i % 16];
  return out;
}
/// Control bytes other than tab, line feed, form feed and carriage return (by low nibble, as non_text).
constexpr std::array<std::uint8_t, 64> kControls =
    lanes({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0xff, 0, 0, 0xff, 0xff});

/// 128 bits as two words, for the text-run spread over 64 positions and their look-ahead.
struct Bits128 {
  std::uint64_t lo = 0, hi = 0;
  /// Bit i of the result: bit i of this or bit i + k (0 < k < 64).
  Bits128 or_shifted(unsigned k) const { return {lo | (lo >> k) | (hi << (64 - k)), hi | (hi >> k)}; }
};

TRAWL_AVX512 inline __m512i load512(const std::uint8_t* p) { return _mm512_loadu_si512(p); }

/// Bit i: byte q[i] cannot be in a text run (as non_text above).
TRAWL_AVX512 inline std::uint64_t non_text512(const std::uint8_t* q, __m512i controls) {
  const __m512i v = load512(q);
  const __m512i listed = _mm512_shuffle_epi8(controls, v);
  const __mmask64 control = _mm512_cmple_epu8_mask(v, _mm512_set1_epi8(0x1f)) & _mm512_test_epi8_mask(listed, listed);
  return control | _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(0x7f));
}

/// scan_avx2 for 64 positions at a time, with exact byte classes: the same superset test, fewer false positives.
/// A short first test (the pair classes, all kept at a line start and those that need none elsewhere, and the
/// IGES columns) passes the blocks that may hold a start, one in 15 of random data; only those pay for the
/// whole test. Fewer instructions per block: a 2 GiB carving run 4 % less CPU (medians of 9, 542 -> 518 ms).
TRAWL_AVX512 std::size_t scan_avx512(const std::uint8_t* d, std::size_t from, std::size_t to, bool stl_every_byte) {
  const __m512i first_lo = load512(kByteTables.first.data()), first_hi = load512(kByteTables.first.data() + 64);
  const __m512i second_lo = load512(kByteTables.second.data()), second_hi = load512(kByteTables.second.data() + 64);
  const __m512i ungated = _mm512_set1_epi8(static_cast<char>(kUngatedBits));
  const __m512i text = _mm512_set1_epi8(static_cast<char>(kTextBits));
  const __m512i line_text = _mm512_set1_epi8(static_cast<char>(kLineTextBits));
  const __m512i controls = load512(kControls.data());
  const __m512i zero = _mm512_setzero_si512();
  // Whole blocks only: the last STL float of position p + 63 is read at p + 186, past what the contract
  // guarantees for a block that runs beyond `to`; AVX2 takes the rest.
  std::size_t p = from;
  for (; p < to && to - p >= 64; p += 64) {
    const __m512i before = load512(d + p - 1), a = load512(d + p);
    const __m512i first = _mm512_maskz_permutex2var_epi8(_mm512_cmpge_epi8_mask(a, zero), first_lo, a, first_hi);
    const __m512i pairs = _mm512_and_si512(first, _mm512_permutex2var_epi8(second_lo, load512(d + p + 1), second_hi));
    const __mmask64 line =
        _mm512_cmple_epu8_mask(before, _mm512_set1_epi8(0x1f)) | _mm512_cmpeq_epi8_mask(before, _mm512_set1_epi8(0x7f));
    const __m512i kept = _mm512_mask_mov_epi8(_mm512_set1_epi8(kAnywhereBits), line, _mm512_set1_epi8(-1));
    const __m512i gated = _mm512_and_si512(pairs, kept);
    const std::uint64_t iges = _mm512_mask_cmpeq_epi8_mask(
        _mm512_cmpeq_epi8_mask(load512(d + p + 72), _mm512_set1_epi8('S')), load512(d + p + 79), _mm512_set1_epi8('1'));
    std::uint64_t hits = 0;
    if (!_kortestz_mask64_u8(_mm512_test_epi8_mask(gated, gated), iges)) {
      hits = _mm512_test_epi8_mask(pairs, ungated);
      const std::uint64_t text_hits = _mm512_test_epi8_mask(pairs, text);
      const std::uint64_t line_hits = (_mm512_test_epi8_mask(pairs, line_text) | iges) & line;
      if ((text_hits | line_hits) != 0) {
        // The text runs starting at each of the 64 positions, from the non-text bits of 128 bytes.
        const Bits128 non{non_text512(d + p, controls), non_text512(d + p + 64, controls)};
        const Bits128 spread = non.or_shifted(1).or_shifted(2).or_shifted(4).or_shifted(8);  // [i, i + 16)
        hits |= text_hits & ~spread.lo;
        hits |= line_hits & ~spread.or_shifted(15).lo;  // [i, i + 31)
      }
    }
    if (stl_every_byte) {
      const __m512i top_mask = _mm512_set1_epi8(0x7f), top_limit = _mm512_set1_epi8(0x47);
      __mmask64 stl = _mm512_cmple_epu8_mask(load512(d + p + 83), _mm512_set1_epi8(3));
      for (std::size_t at : kStlTops)
        stl = _mm512_mask_cmple_epu8_mask(stl, _mm512_and_si512(load512(d + p + at), top_mask), top_limit);
      // A count below 4 (as may_start): runs of zeros, common on disks, are not each a candidate.
      const __mmask64 small = _mm512_cmple_epu8_mask(load512(d + p + 80), _mm512_set1_epi8(3)) &
                              _mm512_cmpeq_epi8_mask(load512(d + p + 81), zero) &
                              _mm512_cmpeq_epi8_mask(load512(d + p + 82), zero) &
                              _mm512_cmpeq_epi8_mask(load512(d + p + 83), zero);
      hits |= stl & ~small;
    }
    if (hits != 0) return p + static_cast<std::size_t>(std::countr_zero(hits));
  }
  return p < to ? scan_avx2(d, p, to, stl_every_byte) : to;
}

#endif

}  // namespace

StartScanLevel best_start_scan_level() {
#ifdef TRAWL_START_SCAN_AVX2
  static const StartScanLevel best = __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vbmi")
                                         ? StartScanLevel::avx512
                                     : __builtin_cpu_supports("avx2") ? StartScanLevel::avx2
                                                                      : StartScanLevel::scalar;
  return best;
#else
  return StartScanLevel::scalar;
#endif
}

std::size_t next_start_candidate(const std::uint8_t* d, std::size_t from, std::size_t to, bool stl_every_byte,
                                 StartScanLevel level) {
#ifdef TRAWL_START_SCAN_AVX2
  if (level == StartScanLevel::avx512 && best_start_scan_level() == StartScanLevel::avx512)
    return scan_avx512(d, from, to, stl_every_byte);
  if (level != StartScanLevel::scalar && best_start_scan_level() != StartScanLevel::scalar)
    return scan_avx2(d, from, to, stl_every_byte);
#else
  (void)level;
#endif
  return scan_scalar(d, from, to, stl_every_byte);
}

std::size_t next_start_candidate(const std::uint8_t* d, std::size_t from, std::size_t to, bool stl_every_byte) {
  return next_start_candidate(d, from, to, stl_every_byte, best_start_scan_level());
}

}  // namespace trawl::scan::carve
