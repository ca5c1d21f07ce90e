#include "io/chunker.hpp"

#include <algorithm>
#include <limits>

namespace trawl::io {

Chunker::Chunker(ByteStream& stream, ChunkerOptions options, ChunkWindow window)
    : stream_(stream), options_(options), window_(window) {}

Status Chunker::fill(size_t from) {
  filled_ = from;
  size_t limit = buffer_.size();
  if (window_.stop) {
    // Read no further than stop + margin: a unit's reads end with its window.
    const uint64_t stop = *window_.stop;
    const uint64_t until = stop > std::numeric_limits<uint64_t>::max() - options_.margin
                               ? std::numeric_limits<uint64_t>::max()
                               : stop + options_.margin;
    limit = until <= offset_ ? 0 : static_cast<size_t>(std::min<uint64_t>(limit, until - offset_));
  }
  if (eof_ || from >= limit) return ok_status();
  const std::span<std::byte> free = std::span<std::byte>(buffer_).subspan(from, limit - from);
  // A window that starts inside the stream reads by offset when it can.
  auto got = window_.start > 0 && stream_.seekable() ? read_full_at(stream_, offset_ + from, free) : read_full(stream_, free);
  if (!got) return got.error();
  filled_ = from + *got;
  if (*got < free.size()) eof_ = true;  // read_full is short only at the end
  return ok_status();
}

Status Chunker::skip_to_start() {
  offset_ = window_.start;
  if (window_.start == 0 || stream_.seekable()) return ok_status();
  // A one-pass stream: read up to the start and drop it.
  uint64_t left = window_.start;
  while (left > 0) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(left, buffer_.size()));
    auto got = read_full(stream_, std::span<std::byte>(buffer_).first(n));
    if (!got) return got.error();
    left -= *got;
    if (*got < n) {
      eof_ = true;
      break;
    }
  }
  return ok_status();
}

Result<bool> Chunker::next() {
  if (done_) return false;
  if (!started_) {
    if (options_.page_size == 0) return make_error(Errc::invalid_argument, "chunker: page size must be at least 1");
    if (options_.margin > std::numeric_limits<size_t>::max() - options_.page_size)
      return make_error(Errc::invalid_argument, "chunker: page size plus margin overflows");
    if (window_.stop && *window_.stop < window_.start)
      return make_error(Errc::invalid_argument, "chunker: stop before start");
    started_ = true;
    buffer_.resize(options_.page_size + options_.margin);
    if (auto status = skip_to_start(); !status) return status.error();
    if (auto status = fill(0); !status) return status.error();
  } else {
    const size_t page = options_.page_size;
    if (eof_ && filled_ <= page) {  // the last page held everything that was left
      done_ = true;
      return false;
    }
    if (window_.stop && offset_ + page >= *window_.stop) {  // the last page ended at stop
      done_ = true;
      return false;
    }
    // Roll the margin to the front; it starts the next page.
    std::copy(buffer_.begin() + static_cast<std::ptrdiff_t>(page),
              buffer_.begin() + static_cast<std::ptrdiff_t>(filled_), buffer_.begin());
    offset_ += page;
    if (auto status = fill(filled_ - page); !status) return status.error();
  }
  size_t owned = std::min(filled_, options_.page_size);
  if (window_.stop) owned = static_cast<size_t>(std::min<uint64_t>(owned, *window_.stop - offset_));
  if (filled_ == 0 || owned == 0) {
    done_ = true;
    return false;
  }
  chunk_.offset_ = offset_;
  chunk_.data_ = std::span<const std::byte>(buffer_).first(filled_);
  chunk_.page_size_ = owned;
  chunk_.at_end_ = eof_;  // set only by a short read, so nothing follows data()
  return true;
}

Status for_each_chunk(ByteStream& stream, const ChunkerOptions& options, const ChunkVisitor& visit) {
  Chunker chunker(stream, options);
  while (true) {
    auto more = chunker.next();
    if (!more) return more.error();
    if (!*more) return ok_status();
    if (visit(chunker.chunk()) == Visit::stop) return ok_status();
  }
}

}  // namespace trawl::io
