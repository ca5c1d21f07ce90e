#pragma once
// Chunker: reads a ByteStream in pages with a look-ahead margin, the one
// streaming reader every scanner uses (style.md, "Streaming: pages with margins").
//
// Each chunk owns `page()` (the bytes at [offset, offset + page().size())) and
// also shows up to `margin` following bytes; `data()` is page + margin. The
// margin of one chunk is rolled to the front of the buffer and becomes the
// start of the next page; nothing is read twice.
//
// THE RULE: a scanner reports a hit iff the hit STARTS in the page
// (offset <= start < offset + page().size()). The hit may run into the margin.
// With a margin of at least (longest hit - 1) bytes every hit is then seen in
// full and reported exactly once, whatever the page size. Hits that would need
// bytes beyond data() are only truncated at the end of the stream (at_end()).
// Digests and counters look at page() only.
//
// With ChunkerOptions::zero_copy and a stream that can show its bytes in place
// (ByteStream::viewable(): memory, a mapped regular host file) data() is a
// view into the stream instead of a copy: the same chunks, one copy fewer.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "core/result.hpp"
#include "io/byte_stream.hpp"
#include "io/read_buffer.hpp"

namespace trawl::io {

struct ChunkerOptions {
  size_t page_size = size_t{1} << 20;  ///< bytes owned by each chunk; must be >= 1
  size_t margin = 0;                   ///< look-ahead bytes after the page; any size
  /// Show chunks in place when the stream can (ByteStream::view_at), else copy. Off by default: a mapped
  /// file that shrinks during the scan raises SIGBUS, and mapping is slower on some machines (host_file.hpp).
  bool zero_copy = false;
  /// Bytes before the page kept in front of it in memory (Chunk::behind()), for
  /// scanners that read the end of the previous page as context: they find it
  /// there instead of copying page + margin after their own copy of it.
  size_t look_behind = 0;
};

/// The part of the stream a work unit reads (a separate struct, so the many
/// `ChunkerOptions{page, margin}` stay as they are).
struct ChunkWindow {
  /// Stream offset of the first page: the bytes before it are skipped
  /// (read_at on a seekable stream, read and dropped otherwise).
  uint64_t start = 0;
  /// No page owns bytes at or after `stop`: the last page ends there and its
  /// margin still runs on, so a hit straddling `stop` is seen whole and
  /// reported by this chunker's user only. Nothing past stop + margin is read.
  std::optional<uint64_t> stop;
};

/// What a stream scanner reads for a work unit that owns hits starting in
/// [owned_start, owned_end): from one margin before the window, so its state
/// (the byte before, a phrase or object running into the window) is the
/// unsharded run's there; the caller drops hits starting before owned_start.
inline ChunkWindow unit_read_window(uint64_t owned_start, uint64_t owned_end, uint64_t margin) {
  return ChunkWindow{owned_start > margin ? owned_start - margin : 0, owned_end};
}

/// One page plus its margin; valid until the next call that advances the chunker.
class Chunk {
 public:
  /// Absolute stream offset of the first byte of the page (and of data()).
  uint64_t offset() const { return offset_; }
  /// Page followed by the margin bytes available (fewer at the end of the stream).
  std::span<const std::byte> data() const { return data_; }
  /// The bytes this chunk owns; never empty.
  std::span<const std::byte> page() const { return data_.first(page_size_); }
  /// Up to ChunkerOptions::look_behind bytes just before the page, in memory
  /// right before data() (behind().data() + behind().size() == data().data()):
  /// the end of the earlier pages this chunker showed, none before its first.
  std::span<const std::byte> behind() const { return behind_; }
  /// True when data() is known to reach the end of the stream (no bytes follow it). When the
  /// stream ends exactly at the end of data() this may still be false;
  /// next() then reports the end (or a last chunk of margin bytes that is at_end).
  bool at_end() const { return at_end_; }

 private:
  friend class Chunker;
  uint64_t offset_ = 0;
  std::span<const std::byte> data_;
  std::span<const std::byte> behind_;
  size_t page_size_ = 0;
  bool at_end_ = false;
};

/// Pull interface: `while (auto more = chunker.next(); more && *more) use(chunker.chunk());`
class Chunker {
 public:
  /// The stream must outlive the chunker. Options are checked by the first next().
  Chunker(ByteStream& stream, ChunkerOptions options, ChunkWindow window = ChunkWindow{});

  /// Advances to the next chunk: true if there is one, false at the end
  /// (an empty stream has no chunk), or the read error.
  Result<bool> next();
  /// The current chunk; only meaningful after next() returned true.
  const Chunk& chunk() const { return chunk_; }

  /// Shows more of what follows the current page: data() then runs to stream offset `end` (fewer bytes at the
  /// end of the stream; never fewer than it showed). For a scanner whose rare finds need a longer look-ahead
  /// than its common ones: a small margin keeps page + margin in the CPU's cache, and the page that holds the
  /// sign of a rare find asks for the rest. The bytes read stay for the next chunks (nothing is read twice, a
  /// one-pass stream works too); those show the usual margin again. It may read past ChunkWindow::stop + margin:
  /// the caller owns that choice. Spans taken from chunk() before are invalid after it.
  /// Errors: invalid_argument when the buffer size overflows; the stream's read error.
  Status extend_to(uint64_t end);

 private:
  /// Reads what the chunk at offset_ lacks (page + margin, cut at stop + margin) after the filled_ bytes kept.
  Status fill();
  Status skip_to_start();
  /// The byte count data() may reach from offset_ (page + margin, cut at stop + margin).
  size_t read_limit(size_t buffer_size) const;
  /// read_limit of page + margin, cut one byte past the stream's stated size.
  size_t hinted_limit() const;
  /// Reads until `want` bytes from offset_ are held (fewer at the end), rolling the bytes in use to the front
  /// of the buffer and growing it when they do not fit.
  Status read_to(size_t want);
  /// zero_copy: `want` bytes from offset_ (and the look-behind before them) as a view of the stream.
  Status load_view(size_t want);
  /// Points chunk_'s data() at the first min(filled_, shown) bytes from offset_ (and behind() before them).
  void show(size_t shown);

  ByteStream& stream_;
  ChunkerOptions options_;
  ChunkWindow window_;
  ReadBuffer buffer_;       ///< page + margin (and what extend_to asked for), unless view_
  size_t start_ = 0;        ///< buffer_ index of the byte at offset_
  size_t behind_ = 0;       ///< look-behind bytes shown before the page (buffer_ or viewed_)
  bool view_ = false;       ///< chunks are views of the stream (zero_copy), buffer_ unused
  std::span<const std::byte> viewed_;  ///< view mode: the current data()
  size_t filled_ = 0;       ///< valid bytes from offset_ (buffer_[start_...], or viewed_)
  uint64_t offset_ = 0;     ///< stream offset of the current chunk
  bool started_ = false;
  bool eof_ = false;        ///< the stream reported its end
  bool done_ = false;
  /// The stream's size when it says one: reads ask for no more than one byte past it, so a small item
  /// needs no buffer of page + margin (cleared and mapped per item). Dropped if the stream runs longer.
  std::optional<uint64_t> size_hint_;
  Chunk chunk_;
};

enum class Visit { proceed, stop };
using ChunkVisitor = std::function<Visit(const Chunk&)>;

/// Calls `visit` for every chunk in order until it returns Visit::stop.
/// Errors: invalid_argument for page_size 0, page_size + margin overflowing or stop before start,
/// or the stream's own read error.
Status for_each_chunk(ByteStream& stream, const ChunkerOptions& options, const ChunkVisitor& visit);

}  // namespace trawl::io
