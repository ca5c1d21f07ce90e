#include "scan/byte_span.hpp"

#include <doctest/doctest.h>

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

}  // namespace
}  // namespace trawl::scan
