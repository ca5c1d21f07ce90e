#include "io/ext_block_map.hpp"

#include <doctest/doctest.h>

#include <map>
#include <vector>

namespace trawl::io {
namespace {

constexpr uint32_t kBlock = 1024;  // 256 pointers per block

/// Pointer blocks held in memory, as a file system would hold them.
struct FakeDisk {
  std::map<uint64_t, std::vector<uint32_t>> blocks;
  int reads = 0;
  ExtBlockMap::ReadBlock reader() {
    return [this](uint64_t block, std::span<std::byte> out) {
      ++reads;
      auto it = blocks.find(block);
      if (it == blocks.end()) return false;
      for (size_t i = 0; i < out.size() / 4; ++i) {
        const uint32_t v = i < it->second.size() ? it->second[i] : 0;
        for (int b = 0; b < 4; ++b) out[4 * i + b] = static_cast<std::byte>(v >> (8 * b));
      }
      return true;
    };
  }
};

uint64_t physical(ExtBlockMap& map, uint64_t logical) {
  auto e = map.extent(logical, 1);
  REQUIRE(e);
  return e->physical;
}

TEST_CASE("ExtBlockMap: direct, single, double and triple indirect pointers") {
  FakeDisk disk;
  std::array<uint64_t, 15> p{};
  for (int i = 0; i < 12; ++i) p[i] = 100 + i;
  p[12] = 500;  // single: logical 12..267
  p[13] = 501;  // double: logical 268..65803
  p[14] = 502;  // triple: from 65804
  disk.blocks[500] = std::vector<uint32_t>(256);
  for (uint32_t i = 0; i < 256; ++i) disk.blocks[500][i] = 1000 + i;
  disk.blocks[501] = {600, 0, 601};
  disk.blocks[600] = {2000, 2001};
  disk.blocks[601] = {0, 3000};
  disk.blocks[502] = {0, 700};
  disk.blocks[700] = {0, 0, 701};
  disk.blocks[701] = {0, 0, 0, 9000};
  ExtBlockMap map(p, kBlock, 100000, disk.reader());
  CHECK(physical(map, 0) == 100);
  CHECK(physical(map, 11) == 111);
  CHECK(physical(map, 12) == 1000);
  CHECK(physical(map, 267) == 1255);
  CHECK(physical(map, 268) == 2000);
  CHECK(physical(map, 269) == 2001);
  CHECK(physical(map, 268 + 256) == 0);            // the double block's entry 1 is a hole
  CHECK(physical(map, 268 + 512 + 1) == 3000);
  const uint64_t triple = 12 + 256 + 256 * 256;
  CHECK(physical(map, triple) == 0);               // the triple block's entry 0 is a hole: 65,536 blocks of it
  CHECK(physical(map, triple + 65536 + 2 * 256 + 3) == 9000);
  CHECK(map.capacity() == 12 + 256 + 65536 + 16777216ull);
}

TEST_CASE("ExtBlockMap: an extent runs while the blocks follow on, or while they are holes") {
  FakeDisk disk;
  std::array<uint64_t, 15> p{};
  for (int i = 0; i < 12; ++i) p[i] = i < 6 ? 100 + i : 0;
  p[12] = 500;
  disk.blocks[500] = {106, 107, 300};
  ExtBlockMap map(p, kBlock, 100000, disk.reader());
  auto e = map.extent(0, 100);
  REQUIRE(e);
  CHECK(e->physical == 100);
  CHECK(e->count == 6);
  e = map.extent(6, 100);
  REQUIRE(e);
  CHECK(e->physical == 0);
  CHECK(e->count == 6);
  e = map.extent(12, 100);
  REQUIRE(e);
  CHECK(e->physical == 106);
  CHECK(e->count == 2);
  e = map.extent(0, 3);  // at most `most`
  REQUIRE(e);
  CHECK(e->count == 3);
}

TEST_CASE("ExtBlockMap: a sequential read reads each pointer block once") {
  FakeDisk disk;
  std::array<uint64_t, 15> p{};
  p[13] = 501;
  disk.blocks[501] = {600, 601};
  disk.blocks[600] = std::vector<uint32_t>(256, 0);
  disk.blocks[601] = std::vector<uint32_t>(256, 0);
  for (uint32_t i = 0; i < 256; ++i) disk.blocks[600][i] = 5000 + 2 * i;  // every block a run of its own
  ExtBlockMap map(p, kBlock, 100000, disk.reader());
  for (uint64_t lb = 268; lb < 268 + 512; ++lb) REQUIRE(map.extent(lb, 1));
  CHECK(disk.reads == 3);
}

TEST_CASE("ExtBlockMap: corrupt maps are errors, not crashes") {
  FakeDisk disk;
  std::array<uint64_t, 15> p{};
  p[0] = 5000;      // past the file system's last block
  p[12] = 999999;   // an indirect block past it
  p[13] = 777;      // an indirect block that cannot be read
  ExtBlockMap map(p, kBlock, 4095, disk.reader());
  CHECK_FALSE(map.extent(0, 1));
  CHECK_FALSE(map.extent(12, 1));
  CHECK_FALSE(map.extent(268, 1));
  CHECK_FALSE(map.extent(map.capacity(), 1));  // past what a block map addresses
  CHECK(map.extent(1, 1));                      // a hole is fine
}

}  // namespace
}  // namespace trawl::io
