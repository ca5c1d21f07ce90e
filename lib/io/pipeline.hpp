#pragma once
// The engine every tool runs on: a producer walks the sources (or reads
// records), workers open and consume items in parallel, and records leave
// in the order the walk found the items, whatever the thread count.
// Archives and images found inside items are descended into by the worker
// that consumed the item, so their members follow their container.
#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "io/walk.hpp"
#include "record/sink.hpp"

namespace trawl::io {

/// What a tool does with one item. Called concurrently from worker threads.
class ItemConsumer {
 public:
  virtual ~ItemConsumer() = default;
  /// Reads `data` (null when the item has no content: symlinks, special
  /// files, deleted names without metadata) and writes the tool's records.
  virtual void consume(const ItemInfo& info, ByteStream* data, record::RecordSink& out) = 0;
  /// Called instead of consume for an item that has content but is not consumed (it could not be
  /// opened, or output stopped first), so a window waiting for this one (ItemInfo::after_window) is let go.
  virtual void skipped(const ItemInfo& info) { (void)info; }
};

struct PipelineOptions {
  std::string tool;          ///< the `tool` field of generated records
  unsigned threads = 1;      ///< workers; 1 runs everything on the calling thread
  WalkOptions walk;
  /// Byte ranges longer than this are cut into windows of about this size that
  /// several workers scan at once (0: never). Only for consumers that honour
  /// ItemInfo::window as a work unit does (hits owned by the window they start
  /// in, read from one margin before it), so the records are the same.
  uint64_t split_ranges_over = 0;
  /// Cut long files the same way (a consumer that carves files like ranges,
  /// e.g. stl-detect --carve-files); archives and images in them are opened once.
  bool split_files = false;
};

/// Counters shared with the progress display and the summary record.
struct PipelineCounters {
  std::atomic<uint64_t> items{0};
  std::atomic<uint64_t> bytes{0};
  std::atomic<uint64_t> errors{0};
};

/// Feeds the pipeline: walks sources, reads records... `visitor.stopped()`
/// turns true once output is closed.
using Producer = std::function<void(WalkVisitor& visitor)>;

/// Runs `producer`, consumes every item with `consumer`, writes records to
/// `sink` in walk order. Returns when all items are done or the sink stopped.
void run_pipeline(const Producer& producer, ItemConsumer& consumer, record::RecordSink& sink,
                  const PipelineOptions& options, PipelineCounters& counters);

}  // namespace trawl::io
