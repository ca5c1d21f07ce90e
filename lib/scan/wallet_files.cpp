// find_wallet_files: signature search over a window, then the format parsers.
#include "scan/wallet_files.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <set>

#include "core/base64.hpp"
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

#include "core/byte_read.hpp"
#include "scan/json_escaped.hpp"
#include "scan/leveldb_log.hpp"
#include "scan/sha256_adapter.hpp"
#include "scan/snappy.hpp"

namespace trawl::scan {
namespace {

using namespace bytes;
using namespace std::string_view_literals;

constexpr std::size_t kMargin = std::size_t{1} << 20;
constexpr std::size_t kJsonLookBack = 64 * 1024;  // from a member name back to its object's '{'
constexpr std::size_t kMaxJson = 256 * 1024;      // largest JSON wallet read
constexpr std::size_t kMaxBlock = 4 * 1024 * 1024;

constexpr std::string_view kBdbSignature("\x62\x31\x05\x00\x09\x00\x00\x00", 8);  // at meta page offset 12
constexpr std::string_view kSqliteSignature("SQLite format 3\0", 16);
constexpr std::string_view kSecoSignature("SECO\0\0\0\0\0\0\0\0\x12seco-v0-scrypt-aes", 31);
constexpr std::string_view kArmorySignature("\xbaWALLET\0", 8);
constexpr std::string_view kBitcoinjSignature("\x0a\x16org.bitcoin.production", 24);
constexpr std::string_view kBie1Signature("QklFMQ");  // base64 of "BIE1"
constexpr std::string_view kBie2Signature("QklFMg");  // base64 of "BIE2"

bool is_base64_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' ||
         c == '=';
}

/// Every signature and member name the finder looks for, with the byte of it
/// the single pass looks for (its rarest in text and random bytes).
enum Needle : std::size_t {
  kBdb, kSqlite, kSeco, kArmory, kBitcoinj, kBie1, kBie2,
  kSeedVersion, kCrypto, kCryptoUpper, kData, kPayload,       // JSON member names
  kEscData, kEscSeedVersion, kEscCrypto,                       // the same, JSON-escaped
  kUData, kUSeedVersion, kUCrypto,                             // the same, quotes as \u0022
  kLeData, kLeSeedVersion, kLeCrypto, kLeEscData, kLeEscSeedVersion, kLeEscCrypto,  // in UTF-16LE text
  kBeData, kBeSeedVersion, kBeCrypto, kBeEscData, kBeEscSeedVersion, kBeEscCrypto,  // in UTF-16BE text
  kNeedleCount
};
struct NeedleSpec {
  std::string_view text;
  std::size_t anchor;  // index of the byte pair searched for
};
constexpr std::array<NeedleSpec, kNeedleCount> kNeedles = {{
    {kBdbSignature, 1},       // "1\x05"
    {kSqliteSignature, 1},    // "QL"
    {kSecoSignature, 12},     // "\x12s"
    {kArmorySignature, 0},    // "\xbaW"
    {kBitcoinjSignature, 1},  // "\x16o"
    {kBie1Signature, 0},      // "Qk"
    {kBie2Signature, 0},      // "Qk"
    {"\"seed_version\"", 0}, {"\"crypto\"", 0}, {"\"Crypto\"", 0}, {"\"data\"", 0}, {"\"payload\"", 0},
    {"\\\"data\\\"", 0}, {"\\\"seed_version\\\"", 0}, {"\\\"crypto\\\"", 0},
    {"\\u0022data\\u0022", 0}, {"\\u0022seed_version\\u0022", 0}, {"\\u0022crypto\\u0022", 0},
    // UTF-16: the quote (or backslash) and the zero byte after it are the anchor pair, at 0 in LE, at 1 in BE.
    {"\"\0d\0a\0t\0a\0\"\0"sv, 0}, {"\"\0s\0e\0e\0d\0_\0v\0e\0r\0s\0i\0o\0n\0\"\0"sv, 0},
    {"\"\0c\0r\0y\0p\0t\0o\0\"\0"sv, 0}, {"\\\0\"\0d\0a\0t\0a\0\\\0\"\0"sv, 0},
    {"\\\0\"\0s\0e\0e\0d\0_\0v\0e\0r\0s\0i\0o\0n\0\\\0\"\0"sv, 0},
    {"\\\0\"\0c\0r\0y\0p\0t\0o\0\\\0\"\0"sv, 0},
    {"\0\"\0d\0a\0t\0a\0\""sv, 1}, {"\0\"\0s\0e\0e\0d\0_\0v\0e\0r\0s\0i\0o\0n\0\""sv, 1},
    {"\0\"\0c\0r\0y\0p\0t\0o\0\""sv, 1}, {"\0\\\0\"\0d\0a\0t\0a\0\\\0\""sv, 1},
    {"\0\\\0\"\0s\0e\0e\0d\0_\0v\0e\0r\0s\0i\0o\0n\0\\\0\""sv, 1},
    {"\0\\\0\"\0c\0r\0y\0p\0t\0o\0\\\0\""sv, 1},
}};

/// True when a needle's anchor pair starts at bytes[0], bytes[1]: the test the
/// vector loop below makes 16 positions at a time.
bool anchor_pair(std::uint8_t x, std::uint8_t y) {
  switch (x) {
    case 0x31: return y == 0x05;
    case 'Q': return y == 'L' || y == 'k';
    case 0x12: return y == 's';
    case 0xba: return y == 'W';
    case 0x16: return y == 'o';
    case '"': return y == 's' || (y | 0x20) == 'c' || y == 'd' || y == 'p' || y == 0;
    case '\\': return y == '"' || y == 'u' || y == 0;
    default: return false;
  }
}

#if defined(__SSE2__)
// The pair test of anchor_pair() over vectors x (bytes i..) and y (bytes i+1..),
// written once for SSE2 and AVX2.
#define TRAWL_PAIR_TEST(X, Y, EQ, OR, AND, SET1)                                                        \
  OR(OR(OR(AND(EQ(X, SET1(0x31)), EQ(Y, SET1(0x05))),                                                    \
           AND(EQ(X, SET1('Q')), OR(EQ(Y, SET1('L')), EQ(Y, SET1('k'))))),                               \
        OR(AND(EQ(X, SET1(0x12)), EQ(Y, SET1('s'))),                                                     \
           AND(EQ(X, SET1(static_cast<char>(0xba))), EQ(Y, SET1('W'))))),                                \
     OR(OR(AND(EQ(X, SET1(0x16)), EQ(Y, SET1('o'))),                                                     \
           AND(EQ(X, SET1('\\')), OR(OR(EQ(Y, SET1('"')), EQ(Y, SET1('u'))), EQ(Y, SET1(0))))),          \
        AND(EQ(X, SET1('"')), OR(OR(OR(EQ(Y, SET1('s')), EQ(OR(Y, SET1(0x20)), SET1('c'))), EQ(Y, SET1(0))), \
                                 OR(EQ(Y, SET1('d')), EQ(Y, SET1('p')))))))
#endif

#if defined(__x86_64__) && defined(__GNUC__)
/// anchor_pair() as nibble tables, one bit per first byte.
struct PairTables {
  std::array<std::uint8_t, 16> x_lo{}, x_hi{}, y_lo{}, y_hi{};
};

constexpr PairTables make_pair_tables() {
  struct Group {
    std::uint8_t first;
    std::string_view seconds;
  };
  constexpr std::array<Group, 7> kGroups = {{{0x31, "\x05"}, {'Q', "Lk"}, {0x12, "s"}, {0xba, "W"}, {0x16, "o"},
                                             {'"', "scCdp\0"sv}, {'\\', "\"u\0"sv}}};  // \0: UTF-16 needles
  PairTables t;
  for (std::size_t g = 0; g < kGroups.size(); ++g) {
    const auto bit = static_cast<std::uint8_t>(1u << g);
    t.x_lo[kGroups[g].first & 15] |= bit;
    t.x_hi[kGroups[g].first >> 4] |= bit;
    for (char c : kGroups[g].seconds) {
      const auto y = static_cast<std::uint8_t>(c);
      t.y_lo[y & 15] |= bit;
      t.y_hi[y >> 4] |= bit;
    }
  }
  return t;
}

__attribute__((target("avx2"))) inline __m256i table(const std::array<std::uint8_t, 16>& t) {
  return _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(t.data())));
}

/// The AVX2 form of the pair test, 32 positions at a time (runtime dispatch:
/// the build targets plain x86-64). Returns the first i >= from, i < stop, whose
/// pair matches, or where it stopped: i + 32 > stop or i + 33 > size.
__attribute__((target("avx2"))) std::size_t next_pair_avx2(const std::uint8_t* bytes, std::size_t size,
                                                           std::size_t from, std::size_t stop) {
  // Nibble tables: bit g of x_lo[b & 15] & x_hi[b >> 4] is set exactly for the
  // first byte of group g; the same for the second bytes allows a few more
  // (a superset: find_needles compares each needle's text anyway). Four
  // shuffles instead of the ~30 compares of TRAWL_PAIR_TEST.
  static constexpr PairTables kTables = make_pair_tables();
  const __m256i x_lo = table(kTables.x_lo);
  const __m256i x_hi = table(kTables.x_hi);
  const __m256i y_lo = table(kTables.y_lo);
  const __m256i y_hi = table(kTables.y_hi);
  const __m256i nibble = _mm256_set1_epi8(0x0f);
  std::size_t i = from;
  for (; i + 33 <= size && i + 32 <= stop; i += 32) {
    const __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(bytes + i));
    const __m256i y = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(bytes + i + 1));
    const __m256i xs = _mm256_and_si256(_mm256_shuffle_epi8(x_lo, _mm256_and_si256(x, nibble)),
                                        _mm256_shuffle_epi8(x_hi, _mm256_and_si256(_mm256_srli_epi16(x, 4), nibble)));
    const __m256i ys = _mm256_and_si256(_mm256_shuffle_epi8(y_lo, _mm256_and_si256(y, nibble)),
                                        _mm256_shuffle_epi8(y_hi, _mm256_and_si256(_mm256_srli_epi16(y, 4), nibble)));
    const __m256i none = _mm256_cmpeq_epi8(_mm256_and_si256(xs, ys), _mm256_setzero_si256());
    const auto mask = ~static_cast<unsigned>(_mm256_movemask_epi8(none));
    if (mask != 0) return i + static_cast<std::size_t>(__builtin_ctz(mask));
  }
  return i;
}

/// A 16-byte table in each 128-bit lane of a 64-byte register (vpshufb looks up within its lane).
constexpr std::array<std::uint8_t, 64> lanes(const std::array<std::uint8_t, 16>& t) {
  std::array<std::uint8_t, 64> four{};
  for (std::size_t i = 0; i < four.size(); ++i) four[i] = t[i % 16];
  return four;
}

/// The same test 64 positions at a time with AVX-512 BW (the nibble tables
/// in each 128-bit lane): returns the first match, or where it stopped
/// (i + 64 > stop or i + 65 > size).
__attribute__((target("avx512f,avx512bw"))) std::size_t next_pair_avx512(const std::uint8_t* bytes, std::size_t size,
                                                                        std::size_t from, std::size_t stop) {
  static constexpr PairTables kTables = make_pair_tables();
  static constexpr std::array<std::array<std::uint8_t, 64>, 4> kLanes = {
      lanes(kTables.x_lo), lanes(kTables.x_hi), lanes(kTables.y_lo), lanes(kTables.y_hi)};
  const __m512i x_lo = _mm512_loadu_si512(kLanes[0].data());
  const __m512i x_hi = _mm512_loadu_si512(kLanes[1].data());
  const __m512i y_lo = _mm512_loadu_si512(kLanes[2].data());
  const __m512i y_hi = _mm512_loadu_si512(kLanes[3].data());
  const __m512i nibble = _mm512_set1_epi8(0x0f);
  std::size_t i = from;
  for (; i + 65 <= size && i + 64 <= stop; i += 64) {
    const __m512i x = _mm512_loadu_si512(bytes + i);
    const __m512i y = _mm512_loadu_si512(bytes + i + 1);
    const __m512i xs = _mm512_and_si512(_mm512_shuffle_epi8(x_lo, _mm512_and_si512(x, nibble)),
                                        _mm512_shuffle_epi8(x_hi, _mm512_and_si512(_mm512_srli_epi16(x, 4), nibble)));
    const __m512i ys = _mm512_and_si512(_mm512_shuffle_epi8(y_lo, _mm512_and_si512(y, nibble)),
                                        _mm512_shuffle_epi8(y_hi, _mm512_and_si512(_mm512_srli_epi16(y, 4), nibble)));
    const std::uint64_t mask = _mm512_test_epi8_mask(xs, ys);
    if (mask != 0) return i + static_cast<std::size_t>(__builtin_ctzll(mask));
  }
  return i;
}

bool have_avx2() {
  static const bool yes = __builtin_cpu_supports("avx2");
  return yes;
}

bool have_avx512bw() {
  static const bool yes = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw");
  return yes;
}
#endif

/// The first i >= from, i < stop, where a needle's anchor pair starts (stop if none).
std::size_t next_pair(const std::uint8_t* bytes, std::size_t size, std::size_t from, std::size_t stop) {
  std::size_t i = from;
#if defined(__x86_64__) && defined(__GNUC__)
  if (have_avx512bw()) {
    i = next_pair_avx512(bytes, size, i, stop);
    if (i + 65 <= size && i + 64 <= stop) return i;  // a match, not the end
  }
  if (have_avx2()) {
    i = next_pair_avx2(bytes, size, i, stop);
    if (i + 33 <= size && i + 32 <= stop) return i;  // a match, not the end
  }
#endif
#if defined(__SSE2__)
  for (; i + 17 <= size && i + 16 <= stop; i += 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes + i));
    const __m128i y = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes + i + 1));
    const __m128i hit = TRAWL_PAIR_TEST(x, y, _mm_cmpeq_epi8, _mm_or_si128, _mm_and_si128, _mm_set1_epi8);
    const auto mask = static_cast<unsigned>(_mm_movemask_epi8(hit));
    if (mask != 0) return i + static_cast<std::size_t>(__builtin_ctz(mask));
  }
#endif
  for (; i < stop; ++i)
    if (i + 1 < size && anchor_pair(bytes[i], bytes[i + 1])) return i;
  return stop;
}

#undef TRAWL_PAIR_TEST

/// Where each needle occurs in t, in increasing order, for occurrences whose
/// anchor pair starts in [0, limit): one pass over the bytes for all needles,
/// testing the first two bytes of each needle's anchor pair (rare in random
/// bytes and in text) 16 or 32 positions at a time.
using NeedleMatches = std::array<std::vector<std::size_t>, kNeedleCount>;

NeedleMatches find_needles(std::string_view t, std::size_t limit) {
  NeedleMatches found;
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(t.data());
  limit = std::min(limit, t.size());
  for (std::size_t i = next_pair(bytes, t.size(), 0, limit); i < limit; i = next_pair(bytes, t.size(), i + 1, limit)) {
    for (std::size_t n = 0; n < kNeedleCount; ++n) {
      const NeedleSpec& needle = kNeedles[n];
      if (i < needle.anchor || t[i] != needle.text[needle.anchor] || t[i + 1] != needle.text[needle.anchor + 1])
        continue;
      const std::size_t at = i - needle.anchor;
      if (t.substr(at, needle.text.size()) == needle.text) found[n].push_back(at);
    }
  }
  return found;
}

/// True when any needle occurs with its anchor pair starting in [0, limit):
/// find_needles stopped at the first.
bool any_needle(std::string_view t, std::size_t limit) {
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(t.data());
  limit = std::min(limit, t.size());
  for (std::size_t i = next_pair(bytes, t.size(), 0, limit); i < limit; i = next_pair(bytes, t.size(), i + 1, limit)) {
    for (const NeedleSpec& needle : kNeedles) {
      if (i < needle.anchor || t[i] != needle.text[needle.anchor] || t[i + 1] != needle.text[needle.anchor + 1])
        continue;
      if (t.substr(i - needle.anchor, needle.text.size()) == needle.text) return true;
    }
  }
  return false;
}

/// How far past the page find_wallet_files() looks for needles (a member name
/// up to kJsonLookBack after its object's '{').
constexpr std::size_t kNeedleReach = kJsonLookBack + 16;

constexpr std::size_t longest_needle() {
  std::size_t n = 0;
  for (const NeedleSpec& needle : kNeedles) n = std::max(n, needle.text.size());
  return n;
}

/// The '{' opening the object that contains `at`, within kJsonLookBack.
std::optional<std::size_t> object_start(std::string_view t, std::size_t at) {
  int depth = 0;
  const std::size_t stop = at > kJsonLookBack ? at - kJsonLookBack : 0;
  for (std::size_t i = at; i-- > stop;) {
    if (t[i] == '}') ++depth;
    if (t[i] == '{') {
      if (depth == 0) return i;
      --depth;
    }
  }
  return std::nullopt;
}

/// Details of a wallet read from payload bytes [begin, end) of a LevelDB log
/// record: the fragments it spans, whether the record's chain of fragments
/// ends (the end of a truncated one is lost: partial) and whether the CRCs
/// matched (bytes damaged: partial).
void add_log_details(const LevelDbLogRecord& rec, std::size_t begin, std::size_t end, WalletFileHit& hit) {
  hit.add("container", "leveldb-log");
  hit.add("fragments", std::to_string(rec.pieces_spanned(begin, end)));
  hit.add("chain", rec.complete ? "complete" : "truncated");
  hit.add("crc", rec.crc_ok ? "ok" : "mismatch");
  if (!rec.crc_ok || !rec.complete) hit.partial = true;
}

/// Carving: an escaped wallet object at `start` that did not parse may run
/// across LevelDB log fragment headers (a vault value larger than what was left
/// of a 32 KiB block). Parsed again with the headers taken out.
bool spliced_json_wallet(std::string_view t, std::size_t start, WalletFileHit& hit) {
  LevelDbLogRecord rec;
  if (!splice_leveldb_fragments(span_of(t), start, 6 * kMaxJson, rec)) return false;
  JsonUnescaped plain;
  json_unescape(rec.payload, kMaxJson, plain);
  hit = WalletFileHit{};
  if (!classify_json_wallet(plain.text, hit) || hit.length == 0 || hit.length > plain.text.size()) return false;
  const std::size_t end = plain.input_end(0, hit.length);  // in the payload
  if (end == 0 || end > rec.payload.size()) return false;
  hit.length = rec.input_end(end) - start;
  hit.add("escaped", "json-string");
  hit.add("encoding", "json-escaped");
  add_log_details(rec, 0, end, hit);
  return true;
}

void json_wallets(std::string_view t, std::size_t page_end, const NeedleMatches& found,
                  std::vector<WalletFileHit>& hits, bool splice_log_fragments = true) {
  std::set<std::size_t> tried;
  auto try_at = [&](std::size_t member, bool escaped) {
    auto start = object_start(t, member);
    if (!start || *start >= page_end || !tried.insert(*start).second) return;
    WalletFileHit hit;
    if (!escaped) {
      if (!classify_json_wallet(t.substr(*start, kMaxJson), hit)) return;
    } else {
      // One level of JSON string escaping (\" \\ \/ \n \uXXXX), each decoded byte mapped to its input.
      JsonUnescaped plain;
      json_unescape(t.substr(*start, 6 * kMaxJson), kMaxJson, plain);
      if (classify_json_wallet(plain.text, hit) && hit.length > 0 && hit.length <= plain.text.size()) {
        hit.length = plain.input_end(0, hit.length);
        hit.add("escaped", "json-string");
        hit.add("encoding", "json-escaped");
      } else if (!splice_log_fragments || !spliced_json_wallet(t, *start, hit)) {
        return;
      }
    }
    hit.offset = *start;
    hits.push_back(std::move(hit));
  };
  for (Needle name : {kSeedVersion, kCrypto, kCryptoUpper, kData, kPayload})
    for (std::size_t at : found[name]) try_at(at, false);
  for (Needle name : {kEscData, kEscSeedVersion, kEscCrypto, kUData, kUSeedVersion, kUCrypto})
    for (std::size_t at : found[name]) try_at(at, true);
}

/// JSON wallets stored as UTF-16 (a vault or wallet file copied into a Windows
/// text file, or in memory), plain or JSON-escaped: the run of ASCII-in-UTF-16
/// text around a member name (bytes alternating zero and text) is narrowed to
/// bytes and read as above; offsets and lengths map back to the UTF-16 bytes.
/// The object start is looked for within kJsonLookBack bytes of the member,
/// as for 8-bit text. A run is read as UTF-16LE when its last byte is zero,
/// else as UTF-16BE: its end is in the window whatever the page size (its
/// start may be cut off), so each page reads it the same way. The bytes of
/// UTF-16BE text followed by a zero byte are also UTF-16LE text one byte on:
/// such a wallet is reported as UTF-16LE (same characters, extent one byte later).
void utf16_json_wallets(std::string_view t, std::size_t page_end, const NeedleMatches& found,
                        std::vector<WalletFileHit>& hits) {
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(t.data());
  auto text_byte = [](std::uint8_t c) { return (c >= 0x20 && c < 0x7f) || c == '\t' || c == '\n' || c == '\r'; };
  // Bytes i-1 and i continue a run: one is zero and the other a text byte.
  auto pairs_up = [&](std::size_t i) {
    return (bytes[i - 1] == 0) != (bytes[i] == 0) && text_byte(static_cast<std::uint8_t>(bytes[i - 1] | bytes[i]));
  };
  std::vector<std::pair<std::size_t, std::size_t>> done;  // runs read
  std::string narrow;
  for (Needle name : {kLeData, kLeSeedVersion, kLeCrypto, kLeEscData, kLeEscSeedVersion, kLeEscCrypto, kBeData,
                      kBeSeedVersion, kBeCrypto, kBeEscData, kBeEscSeedVersion, kBeEscCrypto}) {
    for (std::size_t at : found[name]) {
      if (std::any_of(done.begin(), done.end(), [&](const auto& r) { return at >= r.first && at < r.second; }))
        continue;
      std::size_t start = at;
      while (start > 0 && at - start < kJsonLookBack && pairs_up(start)) --start;
      std::size_t end = at + 1;
      const std::size_t limit = 2 * (kJsonLookBack + 6 * kMaxJson);
      while (end < t.size() && end - start < limit && pairs_up(end)) ++end;
      done.emplace_back(start, end);
      const bool le = bytes[end - 1] == 0;
      // LE characters are the first byte of each pair, BE ones the second.
      const std::size_t first = (bytes[start] == 0) == le ? start + 1 : start;
      if (first >= page_end || first >= end) continue;
      narrow.resize((end - first) / 2);
      for (std::size_t k = 0; k < narrow.size(); ++k) narrow[k] = t[first + 2 * k + (le ? 0 : 1)];
      std::vector<WalletFileHit> inner;
      // Objects starting at first + 2 * s with first + 2 * s < page_end.
      json_wallets(narrow, (page_end - first + 1) / 2, find_needles(narrow, narrow.size()), inner, false);
      for (auto& hit : inner) {
        hit.offset = first + 2 * hit.offset;
        hit.length *= 2;
        bool escaped = false;
        for (auto& [key, value] : hit.details)
          if (key == "encoding") {
            value = le ? "utf-16le+json-escaped" : "utf-16be+json-escaped";
            escaped = true;
          }
        if (!escaped) hit.add("encoding", le ? "utf-16le" : "utf-16be");
        hits.push_back(std::move(hit));
      }
    }
  }
}

bool armory(std::span<const std::byte> b, WalletFileHit& hit) {
  if (!fits(b, 0, 16)) return false;
  hit.kind = "wallet.armory";
  hit.length = 16;
  hit.partial = true;  // the extent is not in the header
  hit.add("format", "armory-1.35");
  hit.add("version", std::to_string(u32le(b, 8)));
  hit.add("network", u32be(b, 12) == 0xF9BEB4D9 ? "mainnet" : hex(b.subspan(12, 4)));
  return true;
}

/// Electrum storage encryption: one base64 run of "BIE1" || pubkey || ciphertext || mac
/// (password) or the same with "BIE2" (the key derived from a hardware wallet's
/// xpub, not from a password: hashcat has no mode for it, so no line).
bool electrum_bie(std::string_view t, std::size_t at, bool bie2, WalletFileHit& hit) {
  if (at > 0 && is_base64_char(t[at - 1])) return false;
  std::size_t end = at;
  while (end < t.size() && is_base64_char(t[end])) ++end;
  if (end - at < 120) return false;  // magic + 33-byte key + one block + 32-byte MAC
  hit.kind = "wallet.electrum";
  hit.length = end - at;
  hit.add("format", bie2 ? "bie2" : "bie1");
  hit.add("encrypted", "yes");
  if (bie2) {
    hit.add("key_source", "hardware-wallet-xpub");
    hit.add("hashcat", "none");  // no hashcat mode: the key is not a password
  }
  if (end == t.size() && t.size() >= kMargin) {
    // The run fills a full window: it may go on past it, and the MAC (its last 32 bytes) is not here.
    // A shorter window ends with the item, so a run reaching its end is whole.
    hit.partial = true;
    return true;
  }
  if (bie2) return true;
  if (auto decoded = base64_decode(t.substr(at, end - at))) {
    hit.crackable = electrum_bie1_line(span_of(*decoded), hit.crack_format);
    if (hit.crackable.empty()) hit.crack_format.clear();
  }
  return true;
}

/// LevelDB varint32 at `pos`.
bool varint(std::span<const std::byte> b, std::size_t& pos, std::uint64_t& value) {
  value = 0;
  for (int shift = 0; shift <= 63; shift += 7) {
    if (pos >= b.size()) return false;
    const std::uint8_t c = u8(b, pos++);
    value |= static_cast<std::uint64_t>(c & 0x7f) << shift;
    if ((c & 0x80) == 0) return true;
  }
  return false;
}

/// A table block's contents (decompressed when its trailer says Snappy).
std::optional<std::string> table_block(std::span<const std::byte> file, std::uint64_t offset, std::uint64_t size,
                                       bool& compressed) {
  if (offset > file.size() || size > file.size() - offset || file.size() - offset - size < 5) return std::nullopt;
  auto raw = file.subspan(static_cast<std::size_t>(offset), static_cast<std::size_t>(size));
  const std::uint8_t type = u8(file, static_cast<std::size_t>(offset + size));
  compressed = type == 1;
  if (type == 0) return std::string(text(raw));
  if (type != 1) return std::nullopt;
  auto plain = snappy_decompress(raw, kMaxBlock);
  if (!plain) return std::nullopt;
  return std::move(*plain);
}

/// A LevelDB table (.ldb/.sst) whose data blocks are Snappy-compressed: the
/// vault JSON is only visible after decompression. Uncompressed blocks are
/// left to the plain byte search.
void leveldb_table(std::span<const std::byte> file, std::vector<WalletFileHit>& hits) {
  static constexpr std::string_view kMagic("\x57\xfb\x80\x8b\x24\x75\x47\xdb", 8);
  if (file.size() < 48 || text(file).substr(file.size() - 8) != kMagic) return;
  std::size_t pos = file.size() - 48;
  std::uint64_t meta_offset = 0, meta_size = 0, index_offset = 0, index_size = 0;
  if (!varint(file, pos, meta_offset) || !varint(file, pos, meta_size) || !varint(file, pos, index_offset) ||
      !varint(file, pos, index_size))
    return;
  bool compressed = false;
  auto index = table_block(file, index_offset, index_size, compressed);
  if (!index || index->size() < 4) return;
  const auto ib = span_of(*index);
  const std::uint64_t restarts = u32le(ib, ib.size() - 4);
  if (restarts > (ib.size() - 4) / 4) return;
  const std::size_t entries_end = ib.size() - 4 - static_cast<std::size_t>(restarts) * 4;
  for (std::size_t p = 0; p < entries_end;) {
    std::uint64_t shared = 0, non_shared = 0, value_len = 0;
    if (!varint(ib, p, shared) || !varint(ib, p, non_shared) || !varint(ib, p, value_len)) return;
    if (non_shared > entries_end - p || value_len > entries_end - p - non_shared) return;
    p += static_cast<std::size_t>(non_shared);
    auto value = ib.subspan(p, static_cast<std::size_t>(value_len));
    p += static_cast<std::size_t>(value_len);
    std::size_t vp = 0;
    std::uint64_t block_offset = 0, block_size = 0;
    if (!varint(value, vp, block_offset) || !varint(value, vp, block_size)) return;
    auto block = table_block(file, block_offset, block_size, compressed);
    if (!block || !compressed) continue;
    std::vector<WalletFileHit> inner;
    json_wallets(*block, block->size(), find_needles(*block, block->size()), inner);
    for (auto& hit : inner) {
      hit.add("container", "leveldb-table");
      hit.add("block_offset", std::to_string(block_offset));
      hit.add("offset_in_block", std::to_string(hit.offset));
      hit.offset = static_cast<std::size_t>(block_offset);
      hit.length = static_cast<std::size_t>(block_size) + 5;
      hits.push_back(std::move(hit));
    }
  }
}

constexpr std::size_t kMaxLogRecord = 6 * kMaxJson;  // a vault value, escaped, with its key

/// A LevelDB log file (.log): wallets in records split over blocks, read
/// from the fragments put back together (whole records are left to the plain
/// byte search, which sees them as they are).
void leveldb_log(std::span<const std::byte> file, std::size_t page_end, std::vector<WalletFileHit>& hits) {
  for (const LevelDbLogRecord& rec : leveldb_log_records(file, kMaxLogRecord)) {
    if (rec.fragments < 2 && rec.complete) continue;
    std::vector<WalletFileHit> inner;
    json_wallets(rec.payload, rec.payload.size(), find_needles(rec.payload, rec.payload.size()), inner, false);
    for (auto& hit : inner) {
      if (hit.length == 0 || hit.offset + hit.length > rec.payload.size()) continue;
      add_log_details(rec, hit.offset, hit.offset + hit.length, hit);
      const std::size_t end = rec.input_end(hit.offset + hit.length);
      hit.offset = rec.input_offset(hit.offset);
      hit.length = end - hit.offset;
      // Only hits starting in the page (style.md): later ones are carved by their own page.
      if (hit.offset >= page_end) continue;
      hits.push_back(std::move(hit));
    }
  }
}

}  // namespace

std::string WalletFileHit::detail(const std::string& key) const {
  for (const auto& [k, v] : details)
    if (k == key) return v;
  return {};
}

std::size_t wallet_file_margin() { return kMargin; }

bool parse_seco(std::span<const std::byte> b, WalletFileHit& hit) {
  // Header 224 bytes, SHA-256 checksum at 0xE0 over metadata (0x100, 256 bytes)
  // || u32 BE blob length (0x200) || blob (0x204).
  if (!fits(b, 0, 32) || text(b).substr(0, kSecoSignature.size()) != kSecoSignature) return false;
  hit.kind = "wallet.exodus-seco";
  hit.add("format", "seco-v0-scrypt-aes");
  hit.add("encrypted", "yes");
  std::size_t off = kSecoSignature.size();
  for (const char* field : {"app_name", "app_version"}) {
    if (!fits(b, off, 1) || !fits(b, off + 1, u8(b, off))) break;
    hit.add(field, std::string(text(b.subspan(off + 1, u8(b, off)))));
    off += 1 + u8(b, off);
  }
  // The scrypt parameters and the encrypted blob key are all a cracker needs: a
  // truncated or damaged blob still yields the line.
  hit.crackable = exodus_seco_line(b);
  if (!hit.crackable.empty()) hit.crack_format = "hashcat 28200";
  if (!fits(b, 0, 0x204)) {
    hit.length = b.size();
    hit.partial = true;
    hit.add("checksum", "truncated");
    return true;
  }
  hit.add("scrypt", std::to_string(u32be(b, 0x120)) + "," + std::to_string(u32be(b, 0x124)) + "," +
                        std::to_string(u32be(b, 0x128)));
  const std::uint32_t blob = u32be(b, 0x200);
  if (!fits(b, 0x204, blob)) {
    hit.length = b.size();
    hit.partial = true;
    hit.add("checksum", "truncated");
    return true;
  }
  hit.length = 0x204 + std::size_t{blob};
  auto covered = b.subspan(0x100, hit.length - 0x100);
  std::vector<std::uint8_t> copy(covered.size());
  std::memcpy(copy.data(), covered.data(), covered.size());
  const Sha256Digest digest = sha256(copy);
  const bool intact = std::memcmp(digest.data(), b.data() + 0xE0, 32) == 0;
  hit.partial = !intact;
  hit.add("checksum", intact ? "intact" : "mismatch");
  return true;
}

std::size_t wallet_file_gate_margin() { return kNeedleReach + longest_needle(); }

bool wallet_files_possible(const WalletFileWindow& window) {
  if (window.item_start) return true;
  // Every hit below comes from a needle found in [0, page_end + kNeedleReach) (the item start aside): none
  // there, no hit. The needle's text is compared up to longest_needle() bytes past that.
  const std::string_view t = text(window.data);
  return any_needle(t, std::min(t.size(), std::min(window.page_end, t.size()) + kNeedleReach));
}

std::vector<WalletFileHit> find_wallet_files(const WalletFileWindow& window) {
  std::vector<WalletFileHit> hits;
  const auto data = window.data;
  const std::string_view t = text(data);
  const std::size_t page_end = std::min(window.page_end, data.size());
  auto at_start = [&](std::size_t start, auto&& parse) {
    if (start >= page_end) return;
    WalletFileHit hit;
    if (!parse(data.subspan(start), hit)) return;
    hit.offset = start;
    hits.push_back(std::move(hit));
  };
  // Hits start in the page; a JSON member name may lie up to kJsonLookBack after its object's start.
  const NeedleMatches found = find_needles(t, std::min(t.size(), page_end + kNeedleReach));
  for (std::size_t at : found[kBdb])
    if (at >= 12) at_start(at - 12, parse_bdb_wallet);
  for (std::size_t at : found[kSqlite]) at_start(at, parse_sqlite_wallet);
  for (std::size_t at : found[kSeco]) at_start(at, parse_seco);
  for (std::size_t at : found[kArmory]) at_start(at, armory);
  for (std::size_t at : found[kBitcoinj]) {
    at_start(at, [](std::span<const std::byte>, WalletFileHit& hit) {
      hit.kind = "wallet.bitcoinj";
      hit.length = kBitcoinjSignature.size();
      hit.partial = true;  // protobuf: the extent is not in the header
      hit.add("format", "bitcoinj-protobuf");
      hit.add("network", "mainnet");
      return true;
    });
  }
  for (Needle bie : {kBie1, kBie2}) {
    for (std::size_t at : found[bie]) {
      if (at >= page_end) continue;
      WalletFileHit hit;
      if (!electrum_bie(t, at, bie == kBie2, hit)) continue;
      hit.offset = at;
      hits.push_back(std::move(hit));
    }
  }
  json_wallets(t, page_end, found, hits);
  utf16_json_wallets(t, page_end, found, hits);
  if (window.item_start) {
    std::vector<WalletFileHit> tables;
    leveldb_table(data, tables);
    leveldb_log(data, page_end, tables);
    // Snappy literals can show a vault as plain bytes too: the decoded block wins; a log
    // record's fragments are carved too: the record read from the file start wins.
    for (const auto& table : tables)
      std::erase_if(hits, [&](const WalletFileHit& h) {
        return h.offset >= table.offset && h.offset < table.offset + table.length && h.kind == table.kind;
      });
    hits.insert(hits.end(), tables.begin(), tables.end());
  }
  std::stable_sort(hits.begin(), hits.end(), [](const auto& a, const auto& b) { return a.offset < b.offset; });
  return hits;
}

std::size_t next_wallet_anchor_pair(const std::uint8_t* bytes, std::size_t size, std::size_t from, std::size_t stop) {
  return next_pair(bytes, size, from, stop);
}

bool is_wallet_anchor_pair(std::uint8_t first, std::uint8_t second) { return anchor_pair(first, second); }

}  // namespace trawl::scan
