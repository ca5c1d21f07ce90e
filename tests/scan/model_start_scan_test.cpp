#include "scan/model_start_scan.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "scan/model_fixtures.hpp"
#include "test_support.hpp"

namespace trawl::scan::carve {
namespace {

namespace tm = test_models;

/// Walks [1, end) with next_start_candidate and checks that no position the reference accepts is skipped.
std::size_t skipped_starts(const std::string& bytes, bool stl_every_byte, std::size_t& candidates,
                           StartScanLevel level = best_start_scan_level()) {
  const auto* d = reinterpret_cast<const std::uint8_t*>(bytes.data());
  const std::size_t end = bytes.size() - kStartLookAhead - 32;
  std::size_t skipped = 0;
  candidates = 0;
  for (std::size_t p = 1; p < end;) {
    // Stop every 512 bytes like the carver, so that each block start and end are exercised.
    const std::size_t stop = std::min(end, p + 512 - p % 512);
    const std::size_t q = next_start_candidate(d, p, stop, stl_every_byte, level);
    REQUIRE(q <= stop);
    for (; p < q; ++p)
      if (may_start(d, p, stl_every_byte)) ++skipped;
    if (q < stop) ++candidates;
    p = q + 1;
  }
  return skipped;
}

/// Random filler with every format's start written at odd offsets, after line ends and not.
std::string mixed_bytes() {
  const std::vector<std::string> starts = {
      tm::stl_ascii(tm::cube(1)), tm::obj(tm::cube(1)), tm::ply_ascii(tm::cube(1)), tm::gcode(20), tm::threemf(),
      tm::step(), tm::iges(), tm::amf(), tm::bgcode(), tm::stl_binary(tm::cube(1)), "#\n# comment\nv 1 2 3\n",
      ";\nG1 X1 Y2\n"};
  std::string out;
  std::uint64_t seed = 1;
  for (int round = 0; round < 6; ++round)
    for (const std::string& s : starts) {
      out += test::random_bytes(37 + 11 * (seed % 29), seed);
      if (seed % 2 == 0) out += '\n';
      out += s.substr(0, 300);
      ++seed;
    }
  return out + test::random_bytes(4096, 99);
}

/// The levels this CPU runs (a level it lacks would silently test a lower one).
std::vector<StartScanLevel> levels() {
  std::vector<StartScanLevel> out = {StartScanLevel::scalar};
  if (best_start_scan_level() != StartScanLevel::scalar) out.push_back(StartScanLevel::avx2);
  if (best_start_scan_level() == StartScanLevel::avx512) out.push_back(StartScanLevel::avx512);
  return out;
}

TEST_CASE("model start scan: the vector filter skips no position the reference filter accepts") {
  for (StartScanLevel level : levels())
    for (bool stl : {false, true}) {
      CAPTURE(static_cast<int>(level));
      CAPTURE(stl);
      std::size_t candidates = 0;
      CHECK(skipped_starts(mixed_bytes(), stl, candidates, level) == 0);
      CHECK(candidates > 0);
      CHECK(skipped_starts(test::random_bytes(1 << 20, 5), stl, candidates, level) == 0);
      std::string text;
      while (text.size() < (std::size_t{1} << 18)) text += tm::gcode(50) + "# a comment\nsolid x\n" + tm::obj(tm::cube(2));
      CHECK(skipped_starts(text, stl, candidates, level) == 0);
    }
}

TEST_CASE("model start scan: ranges of every length end where they should, at every level") {
  std::string bytes = mixed_bytes() + test::random_bytes(1 << 17, 8);
  for (std::size_t at = 700; at + 200 < bytes.size(); at += 4001) bytes[at] = '\n';
  const auto* d = reinterpret_cast<const std::uint8_t*>(bytes.data());
  const std::size_t end = bytes.size() - kStartLookAhead - 32;
  for (StartScanLevel level : levels())
    for (bool stl : {false, true}) {
      CAPTURE(static_cast<int>(level));
      CAPTURE(stl);
      std::size_t skipped = 0;
      // Lengths 1 to 200: every remainder of 32 and 64, so that each last block's mask is exercised.
      for (std::size_t p = 1, len = 1; p < end; len = len % 200 + 1) {
        const std::size_t stop = std::min(end, p + len);
        const std::size_t q = next_start_candidate(d, p, stop, stl, level);
        REQUIRE(q <= stop);
        for (; p < q; ++p)
          if (may_start(d, p, stl)) ++skipped;
        p = q + 1;
      }
      CHECK(skipped == 0);
    }
}

TEST_CASE("model start scan: random data yields few candidates") {
  for (StartScanLevel level : levels()) {
    CAPTURE(static_cast<int>(level));
    std::size_t candidates = 0;
    REQUIRE(skipped_starts(test::random_bytes(1 << 20, 6), false, candidates, level) == 0);
    CHECK(candidates < 400);  // under 1 in 2,500 positions (1 in 5,000 measured)
  }
}

TEST_CASE("model start scan: runs of zeros yield no binary STL candidate at any byte") {
  // Disks are full of zeros: a count of 0 is no binary STL, so no position of them is a candidate.
  for (StartScanLevel level : levels()) {
    CAPTURE(static_cast<int>(level));
    std::size_t candidates = 0;
    REQUIRE(skipped_starts(std::string(1 << 16, '\0'), true, candidates, level) == 0);
    CHECK(candidates == 0);
  }
}

TEST_CASE("model start scan: at a line start the sector rule is the reference's, whatever the byte before") {
  // Every format's start after a byte that ends no line (a sector start inside other data).
  const std::vector<std::string> starts = {tm::stl_ascii(tm::cube(1)), tm::obj(tm::cube(1)),
                                           tm::ply_ascii(tm::cube(1)), tm::gcode(20), tm::threemf(), tm::step(),
                                           tm::iges(), tm::amf(), tm::bgcode()};
  for (const std::string& start : starts) {
    const std::string bytes = "x" + start.substr(0, 300) + test::random_bytes(400, 3);
    CHECK(may_start_at_line_start(reinterpret_cast<const std::uint8_t*>(bytes.data()), 1));
  }
  // After a line end both rules agree (binary STL aside, which the carver tests on sectors itself).
  const std::string bytes = mixed_bytes();
  const auto* d = reinterpret_cast<const std::uint8_t*>(bytes.data());
  std::size_t line_starts = 0, disagree = 0;
  for (std::size_t p = 1; p + kStartLookAhead + 32 < bytes.size(); ++p)
    if (d[p - 1] == '\n') {
      ++line_starts;
      if (may_start(d, p, false) != may_start_at_line_start(d, p)) ++disagree;
    }
  CHECK(line_starts > 30);
  CHECK(disagree == 0);
}

TEST_CASE("model start scan: a start at the first and last position of a range is found") {
  std::string bytes = test::random_bytes(1024, 7);
  bytes.replace(100, 4, "PK\x03\x04");
  const auto* d = reinterpret_cast<const std::uint8_t*>(bytes.data());
  CHECK(next_start_candidate(d, 100, 101, false) == 100);
  CHECK(next_start_candidate(d, 69, 101, false) <= 100);
  CHECK(next_start_candidate(d, 101, 400, false) > 100);
}

}  // namespace
}  // namespace trawl::scan::carve
