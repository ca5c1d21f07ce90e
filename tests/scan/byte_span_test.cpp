#include "scan/byte_span.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace trawl::scan {
namespace {

TEST_CASE("ByteSpanSet: the vector search agrees with the byte loop on every set shape") {
  std::mt19937_64 random(42);
  for (int round = 0; round < 200; ++round) {
    std::array<bool, 256> members{};
    // Dense sets (word bytes), sparse ones and every high-nibble row.
    const unsigned density = 1 + static_cast<unsigned>(random() % 16);
    for (auto& m : members) m = random() % 16 < density;
    const ByteSpanSet set(members);
    for (unsigned c = 0; c < 256; ++c) CHECK(set.contains(static_cast<std::uint8_t>(c)) == members[c]);
    std::vector<std::uint8_t> bytes(300);
    std::vector<std::uint8_t> in;
    for (unsigned c = 0; c < 256; ++c)
      if (members[c]) in.push_back(static_cast<std::uint8_t>(c));
    for (auto& b : bytes) b = !in.empty() && random() % 64 != 0 ? in[random() % in.size()] : static_cast<std::uint8_t>(random());
    for (std::size_t from = 0; from < 40; ++from)
      for (std::size_t to : {from, from + 1, std::size_t{47}, std::size_t{100}, std::size_t{299}, std::size_t{300}})
        if (to >= from) CHECK(set.span_end(bytes.data(), from, to) == set.span_end_scalar(bytes.data(), from, to));
  }
  std::array<bool, 256> all{};
  all.fill(true);
  std::vector<std::uint8_t> any(1000);
  for (std::size_t i = 0; i < any.size(); ++i) any[i] = static_cast<std::uint8_t>(i * 7);
  CHECK(ByteSpanSet(all).span_end(any.data(), 3, any.size()) == any.size());
  CHECK(ByteSpanSet(std::array<bool, 256>{}).span_end(any.data(), 3, any.size()) == 3);
}

TEST_CASE("ByteSpanSet: long spans are found the same 64 positions at a time and byte by byte") {
  std::mt19937_64 random(7);
  std::array<bool, 256> members{};
  for (unsigned c = 'a'; c <= 'z'; ++c) members[c] = true;
  members[' '] = true;
  const ByteSpanSet set(members);
  for (int round = 0; round < 300; ++round) {
    // Spans of every length around the threshold, at every alignment.
    std::vector<std::uint8_t> bytes(64 + random() % 900);
    const unsigned breaker_odds = 2 + static_cast<unsigned>(random() % 80);
    for (auto& b : bytes) b = random() % breaker_odds == 0 ? '-' : static_cast<std::uint8_t>('a' + random() % 26);
    // The scanners ask for 14 and 47 (specialised code paths), the rest for the generic one.
    const std::size_t min_length = round % 3 == 0 ? 47 : round % 3 == 1 ? 14 : 1 + random() % 64;
    std::size_t from = random() % 40;
    const std::size_t to = bytes.size() - random() % 40;
    if (from > to) from = to;
    for (;;) {
      const auto fast = set.next_long_span(bytes.data(), from, to, min_length);
      const auto slow = set.next_long_span_scalar(bytes.data(), from, to, min_length);
      CAPTURE(round);
      CAPTURE(from);
      REQUIRE(fast.begin == slow.begin);
      REQUIRE(fast.end == slow.end);
      if (fast.begin >= to) break;
      CHECK(fast.end - fast.begin >= min_length);
      from = fast.end;
    }
  }
}

/// Every long span before `stop`, one next_long_span_scalar at a time: the reference for long_spans.
std::vector<ByteSpanSet::Span> scalar_long_spans(const ByteSpanSet& set, const std::uint8_t* bytes, std::size_t size,
                                                 std::size_t min_length, std::size_t stop) {
  std::vector<ByteSpanSet::Span> out;
  for (std::size_t from = 0; from < size;) {
    const auto span = set.next_long_span_scalar(bytes, from, size, min_length);
    if (span.begin >= std::min(size, stop)) break;
    out.push_back(span);
    from = span.end;
  }
  return out;
}

void check_long_spans(const ByteSpanSet& set, const std::uint8_t* bytes, std::size_t size, std::size_t min_length,
                      std::size_t stop) {
  const auto want = scalar_long_spans(set, bytes, size, min_length, stop);
  std::vector<ByteSpanSet::Span> fast{{1, 2}};  // replaced, not appended to
  std::vector<ByteSpanSet::Span> search;
  set.long_spans(bytes, size, min_length, stop, fast);
  set.long_spans_by_search(bytes, size, min_length, stop, search);
  CAPTURE(size);
  CAPTURE(min_length);
  CAPTURE(stop);
  REQUIRE(fast.size() == want.size());
  REQUIRE(search.size() == want.size());
  for (std::size_t k = 0; k < want.size(); ++k) {
    CHECK(fast[k].begin == want[k].begin);
    CHECK(fast[k].end == want[k].end);
    CHECK(search[k].begin == want[k].begin);
    CHECK(search[k].end == want[k].end);
  }
}

TEST_CASE("ByteSpanSet: every long span of a text is found in one pass as by the search from span to span") {
  std::mt19937_64 random(11);
  for (int round = 0; round < 400; ++round) {
    // Sets with members in every 64-value quarter (each is one AVX-512 table), dense or sparse.
    std::array<bool, 256> members{};
    const unsigned density = 2 + static_cast<unsigned>(random() % 14);
    for (auto& m : members) m = random() % 16 < density;
    const ByteSpanSet set(members);
    std::vector<std::uint8_t> in;
    std::vector<std::uint8_t> out_of_set;
    for (unsigned c = 0; c < 256; ++c) (members[c] ? in : out_of_set).push_back(static_cast<std::uint8_t>(c));
    if (in.empty() || out_of_set.empty()) continue;
    // Member runs of random lengths around the thresholds, broken by single non-members.
    std::vector<std::uint8_t> bytes(64 + 64 + random() % 1100);
    const std::size_t mean_run = 1 + random() % 90;
    for (auto& b : bytes)
      b = random() % mean_run == 0 ? out_of_set[random() % out_of_set.size()] : in[random() % in.size()];
    const std::size_t min_length = round % 3 == 0 ? 47 : round % 3 == 1 ? 14 : 1 + random() % 64;
    // Every alignment of the text start, sizes around whole words, a span cut by the text end.
    for (std::size_t shift = 0; shift < 64; ++shift) {
      const std::size_t size = bytes.size() - 64 - random() % 64;
      check_long_spans(set, bytes.data() + shift, size, min_length, size);
      check_long_spans(set, bytes.data() + shift, size, min_length, random() % (size + 1));
    }
  }
}

TEST_CASE("ByteSpanSet: the long spans of two sets found in one pass are those of each alone") {
  std::mt19937_64 random(13);
  for (int round = 0; round < 300; ++round) {
    // Two overlapping sets (as alphanumeric and phrase bytes), members in every quarter of the byte values.
    std::array<bool, 256> in_a{};
    std::array<bool, 256> in_b{};
    for (std::size_t c = 0; c < 256; ++c) {
      in_a[c] = random() % 3 != 0;
      in_b[c] = in_a[c] ? random() % 4 != 0 : random() % 3 == 0;
    }
    const ByteSpanSet a(in_a);
    const ByteSpanSet b(in_b);
    std::vector<std::uint8_t> bytes(64 + 1 + random() % 1500);
    const std::size_t mean_run = 2 + random() % 60;
    for (auto& x : bytes) x = static_cast<std::uint8_t>(random() % mean_run == 0 ? random() : random() % 64 + 64 * (random() % 4));
    const std::size_t min_a = round % 4 == 3 ? 1 + random() % 64 : 14;
    const std::size_t min_b = round % 4 == 3 ? 1 + random() % 64 : 47;
    for (std::size_t shift = 0; shift < 64; shift += 1 + random() % 8) {
      const std::size_t size = bytes.size() - shift - random() % std::min<std::size_t>(bytes.size() - shift, 64);
      const std::size_t stop_a = random() % 3 == 0 ? size : random() % (size + 1);
      const std::size_t stop_b = random() % 3 == 0 ? size : random() % (size + 1);
      std::vector<ByteSpanSet::Span> out_a{{1, 2}};
      std::vector<ByteSpanSet::Span> out_b{{3, 4}};
      ByteSpanSet::long_spans_of_two(bytes.data() + shift, size, a, min_a, stop_a, out_a, b, min_b, stop_b, out_b);
      const auto want_a = scalar_long_spans(a, bytes.data() + shift, size, min_a, stop_a);
      const auto want_b = scalar_long_spans(b, bytes.data() + shift, size, min_b, stop_b);
      CAPTURE(round);
      CAPTURE(size);
      REQUIRE(out_a.size() == want_a.size());
      REQUIRE(out_b.size() == want_b.size());
      for (std::size_t k = 0; k < want_a.size(); ++k) {
        CHECK(out_a[k].begin == want_a[k].begin);
        CHECK(out_a[k].end == want_a[k].end);
      }
      for (std::size_t k = 0; k < want_b.size(); ++k) {
        CHECK(out_b[k].begin == want_b[k].begin);
        CHECK(out_b[k].end == want_b[k].end);
      }
    }
  }
}

TEST_CASE("ByteSpanSet: long spans at the text ends and of every length around the threshold") {
  std::array<bool, 256> members{};
  for (unsigned c = 0x80; c < 0x100; ++c) members[c] = true;  // the high tables
  members['a'] = true;
  const ByteSpanSet set(members);
  for (const std::size_t min_length : {std::size_t{14}, std::size_t{47}, std::size_t{1}, std::size_t{64}}) {
    for (std::size_t size = 0; size <= 200; ++size) {
      for (std::size_t length = min_length > 2 ? min_length - 2 : 0; length <= min_length + 2; ++length) {
        // A span of `length` at every position, the rest non-members ('-'), one straddling the end.
        for (std::size_t at = 0; at < size; at += 1 + at / 16) {
          std::vector<std::uint8_t> bytes(size, '-');
          for (std::size_t k = at; k < std::min(size, at + length); ++k) bytes[k] = k % 2 == 0 ? 0xE3 : 'a';
          check_long_spans(set, bytes.data(), size, min_length, size);
          check_long_spans(set, bytes.data(), size, min_length, at);
          check_long_spans(set, bytes.data(), size, min_length, at + 1);
        }
      }
    }
    std::vector<std::uint8_t> all(1000, 'a');  // one span over the whole text
    for (std::size_t size : {std::size_t{63}, std::size_t{64}, std::size_t{65}, std::size_t{1000}})
      check_long_spans(set, all.data(), size, min_length, 1);
  }
}

}  // namespace
}  // namespace trawl::scan
