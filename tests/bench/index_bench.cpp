// index_bench: builds a `.tidx` of N random SHA-1 digests through the
// internal entry stream (no set file needed), or times lookups on one.
//   index_bench build N OUTPUT TEMP_DIR BUDGET_MIB
//   index_bench lookup N OUTPUT LOOKUPS
// The digests come from a seeded generator, so `lookup` regenerates the
// inserted keys (hits) and draws fresh ones (misses).
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "hash/index_build.hpp"
#include "hash/set_index.hpp"

namespace {

struct SplitMix {
  uint64_t state;
  uint64_t next() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  void fill(uint8_t* out, size_t n) {
    for (size_t i = 0; i < n; i += 8) {
      const uint64_t v = next();
      for (size_t j = 0; j < 8 && i + j < n; ++j) out[i + j] = static_cast<uint8_t>(v >> (8 * j));
    }
  }
};

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (!((mode == "build" && argc == 6) || (mode == "lookup" && argc == 5))) {
    std::fprintf(stderr, "usage: index_bench build N OUTPUT TEMP_DIR BUDGET_MIB | lookup N OUTPUT LOOKUPS\n");
    return 2;
  }
  const uint64_t n = std::strtoull(argv[2], nullptr, 10);
  const std::string output = argv[3];
  if (mode == "build") {
    trawl::hash::BuildOptions options;
    options.meta.name = "bench";
    options.temp_dir = argv[4];
    options.memory_budget = std::strtoull(argv[5], nullptr, 10) << 20;
    trawl::hash::EntryStream stream = [n](const trawl::hash::EntryVisitor& visit, trawl::hash::IndexMeta&) {
      SplitMix rng{1};
      trawl::hash::KnownEntry e;
      e.sha1.emplace();
      for (uint64_t i = 0; i < n; ++i) {
        rng.fill(e.sha1->data(), 20);
        if (!visit(e)) break;
      }
      return trawl::ok_status();
    };
    const auto t0 = std::chrono::steady_clock::now();
    auto built = trawl::hash::build_index_from(stream, output, options);
    const double t = seconds_since(t0);
    if (!built) {
      std::fprintf(stderr, "index_bench: %s\n", built.error().detail.c_str());
      return 1;
    }
    std::printf("build: %llu entries in %.1f s (%.2f M entries/s), %llu runs spilled\n",
                static_cast<unsigned long long>(built->meta.entries), t, built->meta.entries / t / 1e6,
                static_cast<unsigned long long>(built->runs_spilled));
    std::printf("size: %llu bytes = %.4f x raw keys (%llu bytes)\n", static_cast<unsigned long long>(built->file_size),
                static_cast<double>(built->file_size) / (n * 20.0), static_cast<unsigned long long>(n * 20));
    return 0;
  }
  const uint64_t lookups = std::strtoull(argv[4], nullptr, 10);
  auto t0 = std::chrono::steady_clock::now();
  auto index = trawl::hash::SetIndex::open(output);
  if (!index) {
    std::fprintf(stderr, "index_bench: %s\n", index.error().detail.c_str());
    return 1;
  }
  std::printf("open: %.3f s\n", seconds_since(t0));
  // Hits: a prefix of the inserted keys, shuffled by taking every k-th.
  std::vector<uint8_t> hits(lookups * 20), misses(lookups * 20);
  {
    SplitMix rng{1};
    const uint64_t stride = n > lookups ? n / lookups : 1;
    uint8_t key[20];
    for (uint64_t i = 0, taken = 0; i < n && taken < lookups; ++i) {
      rng.fill(key, 20);
      if (i % stride == 0) std::copy(key, key + 20, &hits[20 * taken++]);
    }
    SplitMix fresh{0xfeedface};
    fresh.fill(misses.data(), misses.size());
  }
  auto run = [&](const std::vector<uint8_t>& keys, const char* what) {
    uint64_t found = 0;
    const auto start = std::chrono::steady_clock::now();
    for (uint64_t i = 0; i < lookups; ++i)
      found += index->contains(trawl::hash::Algorithm::sha1, std::span<const uint8_t>(&keys[20 * i], 20));
    const double t = seconds_since(start);
    std::printf("%s: %llu lookups, %llu found, %.2f s, %.2f M lookups/s\n", what, static_cast<unsigned long long>(lookups),
                static_cast<unsigned long long>(found), t, lookups / t / 1e6);
  };
  // The same lookups asked in batches (contains_many), as block matching asks.
  auto run_batched = [&](const std::vector<uint8_t>& keys, const char* what) {
    std::vector<uint8_t> found(lookups);
    const auto start = std::chrono::steady_clock::now();
    const size_t n = index->contains_many(trawl::hash::Algorithm::sha1, keys, found);
    const double t = seconds_since(start);
    std::printf("%s: %llu lookups, %zu found, %.2f s, %.2f M lookups/s\n", what, static_cast<unsigned long long>(lookups), n,
                t, lookups / t / 1e6);
  };
  run(misses, "warm-up (random keys)");
  run(misses, "random keys (misses), warm, one at a time");
  run(hits, "inserted keys (hits), warm, one at a time");
  run_batched(misses, "random keys (misses), warm, contains_many");
  run_batched(hits, "inserted keys (hits), warm, contains_many");
  return 0;
}
