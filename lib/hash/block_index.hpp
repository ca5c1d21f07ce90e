#pragma once
// Block hashes of known files, for finding their fragments in unallocated
// space or a whole image (see block_scan.hpp).
//
// A block index is an ordinary `.tidx` (set_index.hpp) with one entry per
// aligned block of every known file:
//   - md5        MD5 of the block (the same value `hashdeep -p` prints per piece);
//   - name       "<file path>#<block number>" (block_name / parse_block_name:
//                the number after the last '#', counted from 0);
//   - version    "blocks:<block size>" in the index meta; it marks the index
//                as a block index, and the scanner takes its block size from it.
// The last, partial block of a file is not indexed, nor are blocks that carry
// no evidence (block_has_evidence): they would match every empty sector.
//
// Next to it, `<index>.filter` holds a pre-filter: a cache-line-blocked Bloom
// filter of a cheap 64-bit key of every indexed block (BlockFilter). It lets
// the scanner compute MD5 only for the ~1% of candidate windows that may be in
// the index instead of every 512-byte step. The filter names the index it
// belongs to (the index header checksum); without it, or with a stale one,
// scanning is correct but about 8x slower for 4 KiB blocks.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "hash/set_index.hpp"

namespace trawl::hash {

/// Disk sector: block sizes and scan steps are multiples of it.
inline constexpr size_t kSectorSize = 512;
/// Longest repeating pattern that still counts as "no evidence".
inline constexpr size_t kMaxNoEvidencePeriod = 16;
inline constexpr size_t kMaxBlockSize = 16u << 20;

/// False for bytes that say nothing about where they came from: every byte
/// the same, or a pattern of at most 16 bytes repeating through the block
/// ("abcabc...", a 16-byte stamp over and over). Blocks of 16 bytes or fewer
/// never carry evidence.
bool block_has_evidence(std::span<const std::byte> block);

/// Provenance name of block `block` of `file`: "<file>#<block>".
std::string block_name(std::string_view file, uint64_t block);
struct BlockRef {
  std::string file;
  uint64_t block = 0;
};
/// Splits "<file>#<block>" at the last '#'; nullopt when there is no number.
std::optional<BlockRef> parse_block_name(std::string_view name);

/// "blocks:4096", the index meta version of a block index.
std::string block_index_version(size_t block_size);
/// The block size a meta version names; nullopt when it is not a block index.
std::optional<size_t> parse_block_index_version(std::string_view version);
/// Checks a block size: a multiple of 512 from 512 to 16 MiB.
Status check_block_size(size_t block_size);

/// The cheap key of 512 bytes (an XXH64-style hash, fixed by the filter format).
uint64_t sector_key(const std::byte* sector);
/// The key of a block from the keys of its sectors, in order.
uint64_t block_key(std::span<const uint64_t> sector_keys);
/// block_key over the sectors of `block` (block.size() a multiple of 512).
uint64_t block_key_of(std::span<const std::byte> block);

/// A Bloom filter whose probes for one key fall in one 64-byte line (one
/// cache miss per lookup): 16 bits per key and 3 probes, about 0.5% false
/// positives. Never a false negative.
class BlockFilter {
 public:
  BlockFilter() = default;
  /// Room for `keys` keys at the designed false-positive rate.
  static BlockFilter with_capacity(uint64_t keys);
  void add(uint64_t key);
  bool may_contain(uint64_t key) const {
    const uint64_t* line = words_.data() + ((key >> line_shift_) & line_mask_) * 8;
    for (unsigned j = 0; j < kProbes; ++j) {
      const unsigned p = static_cast<unsigned>(key >> (9 * j)) & 511;  // bit in the 512-bit line
      if ((line[p >> 6] >> (p & 63) & 1) == 0) return false;
    }
    return true;
  }
  uint64_t keys() const { return keys_; }
  size_t bytes() const { return words_.size() * 8; }

  /// The filter file: "TRAWLBKF", version, block size, the index header
  /// checksum it belongs to, then the lines (little-endian).
  Status write(const std::string& path, size_t block_size, std::span<const uint8_t, 32> index_checksum) const;
  /// Reads a filter file: data_loss when it is damaged, invalid_argument
  /// when it belongs to another index or block size.
  static Result<BlockFilter> read(const std::string& path, size_t block_size, std::span<const uint8_t, 32> index_checksum);

 private:
  static constexpr unsigned kProbes = 3;
  std::vector<uint64_t> words_ = std::vector<uint64_t>(8, 0);
  unsigned line_shift_ = 63;
  uint64_t line_mask_ = 0;
  uint64_t keys_ = 0;
};

/// `<index>.filter`
std::string block_filter_path(const std::string& index_path);

/// Walks `files_or_dirs` (host files, or directories recursed in byte order
/// of names; symbolic links and special files are skipped) and writes the
/// block index `output` and its filter `<output>.filter`. Provenance names
/// use the paths as walked (a given root joined with the names below it).
/// Meta: options.meta with version "blocks:<block size>" and the roots as
/// sources (name defaults to the first root's file name). Unreadable files go
/// to `on_problem` with the path in the message (an error with options.strict).
Result<IndexMeta> build_block_index(const std::vector<std::string>& files_or_dirs, size_t block_size, const std::string& output,
                                    const BuildOptions& options, const ProblemVisitor& on_problem);

/// A block index and its filter, opened together.
class BlockIndex {
 public:
  /// Opens `path` (which must be a block index) and `<path>.filter` when it
  /// exists. A damaged or foreign filter is an error; a missing one is not
  /// (filter() is null and scanning hashes every window).
  static Result<BlockIndex> open(const std::string& path);
  /// Wraps an index that is already open (tests; filter optional).
  static Result<BlockIndex> wrap(SetIndex index, std::optional<BlockFilter> filter);

  const SetIndex& set() const { return set_; }
  size_t block_size() const { return block_size_; }
  const BlockFilter* filter() const { return filter_ ? &*filter_ : nullptr; }

 private:
  BlockIndex(SetIndex set, size_t block_size, std::optional<BlockFilter> filter)
      : set_(std::move(set)), block_size_(block_size), filter_(std::move(filter)) {}
  SetIndex set_;
  size_t block_size_;
  std::optional<BlockFilter> filter_;
};

}  // namespace trawl::hash
