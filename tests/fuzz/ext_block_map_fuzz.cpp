// Resolves logical blocks of an ext2/3 block map whose pointers and pointer blocks come from the input (the
// first 60 bytes the inode's pointers, the rest pointer blocks 1, 2, 3... of 1 KiB each). Properties: nothing
// crashes or reads out of bounds; an extent is at least one block, at most the blocks asked for, and never past
// the file system's last block; resolving it block by block gives the same blocks.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>

#include "io/ext_block_map.hpp"

namespace {

void require(bool condition) {
  if (!condition) std::abort();
}

uint32_t le32(const uint8_t* p) { return p[0] | p[1] << 8 | p[2] << 16 | static_cast<uint32_t>(p[3]) << 24; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  constexpr uint32_t kBlock = 1024;
  if (size < 64) return 0;
  std::array<uint64_t, 15> pointers{};
  for (size_t i = 0; i < 15; ++i) pointers[i] = le32(data + 4 * i) % 64;  // small: the pointer blocks below
  const uint64_t last_block = 32 + le32(data + 60) % 4096;
  const uint8_t* blocks = data + 64;
  const size_t block_count = (size - 64) / kBlock;
  trawl::io::ExtBlockMap map(pointers, kBlock, last_block, [&](uint64_t block, std::span<std::byte> out) {
    if (block == 0 || block > block_count) return false;
    std::memcpy(out.data(), blocks + (block - 1) * kBlock, kBlock);
    for (size_t i = 0; i < kBlock; i += 4) out[i + 1] = out[i + 2] = out[i + 3] = std::byte{0};  // keep them small
    return true;
  });
  const uint64_t probes[] = {0, 11, 12, 267, 268, 300, 65803, 65804, 70000, map.capacity() - 1, map.capacity()};
  for (uint64_t logical : probes) {
    auto e = map.extent(logical, 40);
    if (!e) continue;
    require(e->count >= 1 && e->count <= 40);
    require(e->physical == 0 || e->physical + e->count - 1 <= last_block);
    for (uint64_t k = 0; k < e->count; ++k) {
      auto one = map.extent(logical + k, 1);
      require(one && one->count == 1);
      require(one->physical == (e->physical == 0 ? 0 : e->physical + k));
    }
  }
  return 0;
}
