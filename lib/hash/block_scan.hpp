#pragma once
// Finding fragments of known files: every sector-aligned window of a byte
// range (unallocated space, a gap, a whole image) is looked up in a block
// index (block_index.hpp), and windows that match consecutive blocks of one
// file at consecutive places are reported as one run.
//
// Per window: the cheap key (from per-sector keys, each sector hashed once)
// is tried against the index's filter; only windows the filter lets through,
// and that carry evidence, are hashed with MD5 and asked of the index in
// batches (SetIndex::contains_many); the few hits have their provenance read
// (SetIndex::find). Without a filter every window with evidence is hashed.
//
// Streaming is page + margin: the buffer holds a page and block_size bytes
// after it, windows are tried where they start inside the page, and the
// margin is rolled to the front. So a window straddling pages is tried
// exactly once, with any page size, and memory is page + block_size.
//
// Work units cut a long range into byte windows (BlockScanOptions::own_from,
// own_until). A run belongs to the window its first block starts in: the
// owner follows it past its window's end for as long as it continues, and the
// next window hashes the windows of one block before its start, so that a run
// already under way there is recognised as someone else's. The runs of all
// windows together are the runs of one scan over the whole range.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "hash/block_index.hpp"
#include "io/byte_stream.hpp"

namespace trawl::hash {

/// Consecutive windows matching consecutive blocks of one known file.
struct BlockRun {
  uint64_t offset = 0;       ///< absolute offset of the first window in the image
  uint64_t length = 0;       ///< block_count * block size
  std::string file;          ///< the known file, as named in the index
  uint64_t first_block = 0;  ///< its first block matched (0-based)
  uint64_t block_count = 0;
};

bool operator==(const BlockRun& a, const BlockRun& b);

struct BlockScanOptions {
  /// Windows start at absolute offsets that are multiples of this (a
  /// multiple of 512): 512 finds blocks on any sector; the file system's
  /// cluster size finds only cluster-aligned ones, faster.
  size_t step = kSectorSize;
  size_t page_size = 1u << 20;  ///< bytes read per page (the margin adds one block)
  size_t batch = 1024;          ///< digests per contains_many call
  uint64_t min_blocks = 1;      ///< shorter runs are not reported
  /// Index entries followed per matching window (a block shared by many
  /// known files); the rest are counted in BlockScanStats::truncated.
  size_t max_matches = 64;
  /// Ownership (absolute offsets): only runs whose first window starts in
  /// [own_from, own_until) are reported, each whole. Windows before
  /// own_from - block size are skipped; past own_until only the windows that
  /// continue an owned run are hashed, and the scan ends with the last such run.
  uint64_t own_from = 0;
  uint64_t own_until = UINT64_MAX;
};

struct BlockScanStats {
  uint64_t bytes = 0;        ///< bytes read
  uint64_t windows = 0;      ///< aligned windows tried
  uint64_t filtered = 0;     ///< windows the filter let through (all of them without a filter)
  uint64_t no_evidence = 0;  ///< of those, skipped for carrying no evidence
  uint64_t hashed = 0;       ///< windows hashed with MD5
  uint64_t matched = 0;      ///< windows whose MD5 is in the index
  uint64_t truncated = 0;    ///< index entries not followed (max_matches)
  uint64_t runs = 0;         ///< runs reported
};

/// Receives runs in order of offset (then file, first block); false stops the scan.
using BlockRunVisitor = std::function<bool(const BlockRun&)>;

class BlockScanner {
 public:
  /// `index` must outlive the scanner. Invalid options give an error from scan().
  explicit BlockScanner(const BlockIndex& index, BlockScanOptions options = {});

  /// Reads `stream` to its end (or, with own_until, until no owned run
  /// continues); its first byte is at absolute `offset` of the image, which
  /// fixes the sector alignment. Runs never continue from one scan() call to
  /// the next. Read errors end the scan with the error
  /// after the runs found so far were reported.
  Status scan(io::ByteStream& stream, uint64_t offset, const BlockRunVisitor& on_run);

  /// Totals over every scan() call.
  const BlockScanStats& stats() const { return stats_; }

 private:
  const BlockIndex& index_;
  BlockScanOptions options_;
  BlockScanStats stats_;
};

}  // namespace trawl::hash
