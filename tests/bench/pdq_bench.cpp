// pdq_bench: PDQ throughput (run by tests/bench/pdq_bench.sh, never by ctest).
//   pdq_bench hash ROUNDS FILE...   decode + hash the files ROUNDS times; images/s
//   pdq_bench query N QUERIES       index N random hashes; time queries at distance 31
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "formats/image_decode.hpp"
#include "hash/pdq.hpp"
#include "hash/pdq_index.hpp"

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

int bench_hash(int rounds, int argc, char** argv) {
  std::vector<std::string> files;
  for (int i = 0; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    files.push_back(bytes.str());
  }
  double decode_s = 0, hash_s = 0, dihedral_s = 0;
  size_t images = 0;
  uint64_t pixels = 0;
  for (int r = 0; r < rounds; ++r) {
    for (const std::string& f : files) {
      auto start = Clock::now();
      auto image = trawl::formats::decode_image(std::as_bytes(std::span(f.data(), f.size())));
      decode_s += seconds_since(start);
      if (!image) return std::fprintf(stderr, "decode failed: %s\n", image.error().detail.c_str()), 1;
      start = Clock::now();
      volatile int q = trawl::hash::pdq_hash(*image).quality;
      hash_s += seconds_since(start);
      start = Clock::now();
      q = trawl::hash::pdq_hash_dihedral(*image)[7].quality;
      dihedral_s += seconds_since(start);
      (void)q;
      ++images;
      pixels += uint64_t{image->width} * image->height;
    }
  }
  std::printf("%zu images (%.2f Mpixel average), one thread\n", images, pixels / 1e6 / images);
  std::printf("decode          %8.2f ms/image\n", decode_s * 1e3 / images);
  std::printf("pdq_hash        %8.2f ms/image\n", hash_s * 1e3 / images);
  std::printf("pdq_dihedral    %8.2f ms/image\n", dihedral_s * 1e3 / images);
  std::printf("decode + hash   %8.1f images/s\n", images / (decode_s + hash_s));
  return 0;
}

int bench_query(size_t n, size_t queries) {
  std::mt19937_64 random(42);
  auto random_hash = [&] {
    trawl::hash::PdqBits bits;
    for (size_t i = 0; i < 32; i += 8) {
      const uint64_t r = random();
      for (size_t j = 0; j < 8; ++j) bits[i + j] = static_cast<uint8_t>(r >> (8 * j));
    }
    return bits;
  };
  std::vector<trawl::hash::PdqEntry> entries(n);
  for (size_t i = 0; i < n; ++i) entries[i] = {random_hash(), i};
  std::vector<trawl::hash::PdqBits> near, far;
  for (size_t q = 0; q < queries; ++q) {
    trawl::hash::PdqBits h = entries[random() % n].hash;
    for (int b = 0; b < 20; ++b) {  // 20 random bit flips (a few may repeat)
      const unsigned bit = random() % 256;
      h[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    }
    near.push_back(h);
    far.push_back(random_hash());
  }
  auto start = Clock::now();
  const trawl::hash::PdqIndex index(std::move(entries));
  std::printf("index of %zu random hashes built in %.2f s\n", n, seconds_since(start));
  std::vector<trawl::hash::PdqMatch> out;
  for (const char* kind : {"near (hit within 20 bits)", "random (miss)"}) {
    const auto& set = kind[0] == 'n' ? near : far;
    for (int distance : {15, 31, 47}) {
      size_t found = 0;
      std::vector<double> times;
      for (const auto& h : set) {
        start = Clock::now();
        index.query(h, distance, out);
        times.push_back(seconds_since(start));
        found += out.size();
      }
      std::sort(times.begin(), times.end());
      double total = 0;
      for (double t : times) total += t;
      std::printf("query d<=%-2d %-26s mean %7.1f us  p50 %7.1f us  p99 %7.1f us  (%zu matches)\n", distance, kind,
                  total / times.size() * 1e6, times[times.size() / 2] * 1e6, times[times.size() * 99 / 100] * 1e6,
                  found);
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 4 && std::string(argv[1]) == "hash") return bench_hash(std::atoi(argv[2]), argc - 3, argv + 3);
  if (argc == 4 && std::string(argv[1]) == "query") return bench_query(std::strtoull(argv[2], nullptr, 10), std::strtoull(argv[3], nullptr, 10));
  std::fprintf(stderr, "usage: pdq_bench hash ROUNDS FILE... | pdq_bench query N QUERIES\n");
  return 2;
}
