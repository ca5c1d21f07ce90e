#include "scan/byte_pair.hpp"

#include <doctest/doctest.h>

#include <random>
#include <vector>

namespace trawl::scan {
namespace {

TEST_CASE("BytePair: the vector search finds the same pairs as the byte loop at every alignment") {
  std::mt19937_64 random(3);
  for (int round = 0; round < 200; ++round) {
    // Mostly the two bytes themselves (many of each, pairs at any distance), some other bytes.
    std::vector<std::uint8_t> bytes(2 + random() % 400);
    const unsigned odds = 2 + static_cast<unsigned>(random() % 40);
    for (auto& b : bytes) {
      const auto r = random() % odds;
      b = r == 0 ? ')' : r == 1 ? '#' : static_cast<std::uint8_t>(random() % 3 == 0 ? ')' : 'a' + random() % 26);
    }
    for (std::size_t from = 1; from < std::min<std::size_t>(bytes.size(), 70); ++from) {
      for (std::size_t stop : {from, bytes.size(), bytes.size() - 1, from + 64, from + 65, from + 63}) {
        stop = std::min(stop, bytes.size());
        if (stop < from) continue;
        // Every pair in [from, stop), one search after the other, as the descriptor scan walks them.
        for (std::size_t at = from; at < stop; ++at) {
          const std::size_t fast = next_byte_pair(bytes.data(), at, stop, ')', '#');
          const std::size_t slow = next_byte_pair_scalar(bytes.data(), at, stop, ')', '#');
          CAPTURE(at);
          CAPTURE(stop);
          REQUIRE(fast == slow);
          at = fast;
        }
      }
    }
  }
}

TEST_CASE("BytePair: a pair straddling the search start or the end of the bytes") {
  for (std::size_t size = 2; size <= 200; ++size) {
    std::vector<std::uint8_t> bytes(size, '#');
    bytes[size - 2] = ')';  // the last two bytes: ")#"
    CHECK(next_byte_pair(bytes.data(), 1, size, ')', '#') == size - 1);
    CHECK(next_byte_pair(bytes.data(), 1, size - 1, ')', '#') == size - 1);  // stop: not searched
    std::vector<std::uint8_t> first(size, ')');
    first[0] = ')';
    first[1] = '#';  // the pair's first byte before `from`
    CHECK(next_byte_pair(first.data(), 1, size, ')', '#') == 1);
    CHECK(next_byte_pair(first.data(), 2, size, ')', '#') == size);
  }
}

}  // namespace
}  // namespace trawl::scan
