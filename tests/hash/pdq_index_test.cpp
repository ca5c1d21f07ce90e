#include "hash/pdq_index.hpp"

#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace trawl::hash {
namespace {

PdqBits random_hash(std::mt19937_64& random) {
  PdqBits bits;
  for (size_t i = 0; i < bits.size(); i += 8) {
    const uint64_t r = random();
    for (size_t j = 0; j < 8; ++j) bits[i + j] = static_cast<uint8_t>(r >> (8 * j));
  }
  return bits;
}

/// `hash` with `n` distinct random bits flipped.
PdqBits flip_bits(PdqBits hash, int n, std::mt19937_64& random) {
  std::vector<int> positions(256);
  for (int i = 0; i < 256; ++i) positions[i] = i;
  std::shuffle(positions.begin(), positions.end(), random);
  for (int i = 0; i < n; ++i) hash[positions[i] / 8] ^= static_cast<uint8_t>(1u << (positions[i] % 8));
  return hash;
}

std::vector<PdqMatch> brute_force(const std::vector<PdqEntry>& entries, const PdqBits& query, int max_distance) {
  std::vector<PdqMatch> out;
  for (const PdqEntry& e : entries)
    if (const int d = pdq_distance(e.hash, query); d <= max_distance) out.push_back({e.id, d});
  std::sort(out.begin(), out.end(), [](const PdqMatch& a, const PdqMatch& b) {
    return a.distance != b.distance ? a.distance < b.distance : a.id < b.id;
  });
  return out;
}

}  // namespace

TEST_CASE("PdqIndex: exact and near matches are found, far ones are not") {
  std::mt19937_64 random(7);
  const PdqBits base = random_hash(random);
  std::vector<PdqEntry> entries;
  entries.push_back({base, 100});
  entries.push_back({flip_bits(base, 10, random), 101});
  entries.push_back({flip_bits(base, 31, random), 102});
  entries.push_back({flip_bits(base, 32, random), 103});
  entries.push_back({flip_bits(base, 100, random), 104});
  entries.push_back({base, 105});  // a duplicate hash with its own id
  for (int i = 0; i < 1000; ++i) entries.push_back({random_hash(random), static_cast<uint64_t>(i)});
  const PdqIndex index(entries);
  CHECK(index.size() == entries.size());

  CHECK(index.query(base, 0) == std::vector<PdqMatch>{{100, 0}, {105, 0}});
  CHECK(index.query(base, 10) == std::vector<PdqMatch>{{100, 0}, {105, 0}, {101, 10}});
  CHECK(index.query(base, 31) == std::vector<PdqMatch>{{100, 0}, {105, 0}, {101, 10}, {102, 31}});
  CHECK(index.query(base, 32) == std::vector<PdqMatch>{{100, 0}, {105, 0}, {101, 10}, {102, 31}, {103, 32}});
  CHECK(index.query(flip_bits(base, 5, random), 4).empty());
  CHECK(index.query(base, -1).empty());
  CHECK(index.query(base, 1000).size() == entries.size());  // clamped to 256: everything
}

TEST_CASE("PdqIndex: agrees with brute force on random data") {
  std::mt19937_64 random(2024);
  std::vector<PdqEntry> entries;
  for (uint64_t i = 0; i < 20000; ++i) entries.push_back({random_hash(random), i});
  // Plant neighbours at every distance up to 70 around a few centres.
  std::vector<PdqBits> centres;
  for (int c = 0; c < 20; ++c) {
    centres.push_back(random_hash(random));
    for (int d = 0; d <= 70; d += 1)
      entries.push_back({flip_bits(centres.back(), d, random), static_cast<uint64_t>(entries.size())});
  }
  const PdqIndex index(entries);
  std::vector<PdqMatch> got;
  for (const PdqBits& centre : centres) {
    for (int max_distance : {0, 1, 5, 15, 16, 17, 31, 32, 33, 47, 48, 64, 90}) {
      CAPTURE(max_distance);
      index.query(centre, max_distance, got);
      CHECK(got == brute_force(entries, centre, max_distance));
    }
  }
  // Random queries find (almost surely) nothing within 31, as brute force says.
  for (int q = 0; q < 50; ++q) {
    const PdqBits query = random_hash(random);
    CHECK(index.query(query, 31) == brute_force(entries, query, 31));
  }
}

TEST_CASE("PdqIndex: an empty index answers nothing") {
  const PdqIndex empty;
  CHECK(empty.empty());
  CHECK(empty.query(PdqBits{}, 31).empty());
  const PdqIndex built(std::vector<PdqEntry>{});
  CHECK(built.query(PdqBits{}, 200).empty());
}

TEST_CASE("PdqIndex: loads a PDQ list, skipping low-quality hashes") {
  char path[] = "/tmp/pdq-index-test-XXXXXX";
  const int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  close(fd);
  const std::string original = "f8f8f0cce0f4e84d0e370a22028f67f0b36e2ed596623e1d33e6339c4e9c9b22";
  const std::string small = "0007001f003f003f007f00ff00ff00ff01ff01ff01ff03ff03ff03ff03ff03ff";
  {
    std::ofstream out(path);
    out << original << ",100,bridge-1-original.jpg\n"
        << small << ",47,small.jpg\n"                     // quality < 50: skipped by default
        << small << ",name without quality.jpg\n"        // no quality: kept
        << "nothex,100,bad.jpg\n";                         // a problem, skipped
  }
  int problems = 0;
  auto set = load_pdq_set(path, {}, [&](const SetProblem&) { ++problems; });
  REQUIRE(set.ok());
  CHECK(set->info.format == SetFormat::pdq);
  CHECK(problems == 1);
  CHECK(set->index.size() == 2);
  CHECK(set->low_quality == 1);
  CHECK(set->without_pdq == 0);
  CHECK(set->names == std::vector<std::string>{"bridge-1-original.jpg", "name without quality.jpg"});
  CHECK(set->qualities == std::vector<int>{100, -1});
  // A hash of the bridge photo computed by trawl (12 bits from the C++ README value) matches entry 0.
  const auto ours = parse_pdq_hex("d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22");
  REQUIRE(ours.has_value());
  const auto matches = set->index.query(*ours, 31);
  REQUIRE(matches.size() == 1);
  CHECK(matches[0].id == 0);
  CHECK(matches[0].distance == 10);

  PdqSetOptions all;
  all.min_quality = 0;
  auto everything = load_pdq_set(path, all, [](const SetProblem&) {});
  REQUIRE(everything.ok());
  CHECK(everything->index.size() == 3);
  CHECK(everything->index.query(*parse_pdq_hex(small), 0).size() == 2);

  CHECK_FALSE(load_pdq_set("/nonexistent/pdq.txt", {}, [](const SetProblem&) {}).ok());
  std::remove(path);
}

}  // namespace trawl::hash
