#pragma once
// Where the blocks of an ext2/3 file lie when its inode holds a block map
// (not ext4 extents): 12 direct pointers, then a single, a double and a triple
// indirect block of 32-bit little-endian pointers; a zero pointer is a hole.
// trawl reads large block-mapped files through this instead of libtsk, which
// builds a list of every run first, walking the list from its head for each
// run it appends and visiting the whole triple-indirect tree: a 4.2 GB sparse
// file on ext3 kept icat busy for more than a minute. Pure: pointer blocks
// come through the callback.
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "core/result.hpp"

namespace trawl::io {

class ExtBlockMap {
 public:
  /// Reads the file system's block `block` into `out` (one block); false when it cannot.
  using ReadBlock = std::function<bool(uint64_t block, std::span<std::byte> out)>;

  /// `pointers`: the inode's 15 block pointers; `last_block`: the file system's last block (a pointer past it
  /// is corrupt).
  ExtBlockMap(const std::array<uint64_t, 15>& pointers, uint32_t block_size, uint64_t last_block, ReadBlock read);

  /// Blocks one after another from logical block `logical` on: where the first lies (0 for a hole) and how
  /// many follow it on disk (or are holes too), at least 1 and at most `most`.
  struct Extent {
    uint64_t physical = 0;
    uint64_t count = 0;
  };
  Result<Extent> extent(uint64_t logical, uint64_t most);

  /// The most logical blocks a block map addresses.
  uint64_t capacity() const;

 private:
  Result<uint64_t> resolve(uint64_t logical);
  Result<uint64_t> entry(uint64_t block, uint64_t index);

  std::array<uint64_t, 15> pointers_;
  uint32_t block_size_;
  uint64_t per_block_;
  uint64_t last_block_;
  ReadBlock read_;
  /// The pointer blocks read last, one per level of indirection: a sequential read stays in them.
  struct Cached {
    uint64_t block = 0;
    std::vector<uint32_t> entries;
  };
  std::array<Cached, 3> cache_;
  std::vector<std::byte> scratch_;
};

}  // namespace trawl::io
