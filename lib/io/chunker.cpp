#include "io/chunker.hpp"

#include <algorithm>
#include <cstring>
#include <limits>

namespace trawl::io {

Chunker::Chunker(ByteStream& stream, ChunkerOptions options, ChunkWindow window)
    : stream_(stream), options_(options), window_(window) {}

size_t Chunker::read_limit(size_t buffer_size) const {
  if (!window_.stop) return buffer_size;
  // Read no further than stop + margin: a unit's reads end with its window.
  const uint64_t stop = *window_.stop;
  const uint64_t until = stop > std::numeric_limits<uint64_t>::max() - options_.margin
                             ? std::numeric_limits<uint64_t>::max()
                             : stop + options_.margin;
  return until <= offset_ ? 0 : static_cast<size_t>(std::min<uint64_t>(buffer_size, until - offset_));
}

size_t Chunker::hinted_limit() const {
  const size_t want = read_limit(options_.page_size + options_.margin);
  if (!size_hint_) return want;
  // One byte past the stated end: a short read then proves the end, a full one that the size was wrong.
  const uint64_t left = *size_hint_ > offset_ ? *size_hint_ - offset_ : 0;
  return static_cast<size_t>(std::min<uint64_t>(want, left + 1));
}

Status Chunker::fill() { return read_to(read_limit(options_.page_size + options_.margin)); }

Status Chunker::read_to(size_t want) {
  while (!eof_ && filled_ < want) {
    // A stated size bounds the read (one byte past it proves the end); a stream that runs longer drops it
    // (an archive member whose header lied) and is read as if it had none.
    size_t limit = want;
    if (size_hint_) {
      const uint64_t left = *size_hint_ > offset_ ? *size_hint_ - offset_ : 0;
      limit = static_cast<size_t>(std::min<uint64_t>(want, left + 1));
      if (filled_ >= limit) {
        size_hint_.reset();
        continue;
      }
    }
    // Roll the bytes still to be shown (the look-behind and the margin) to the front, also when a buffer grown
    // by extend_to could hold more: the bytes in use stay at the front, in the CPU's cache.
    const size_t usual = options_.look_behind + options_.page_size + options_.margin;
    if (start_ + limit > std::min(buffer_.size(), usual)) {
      std::memmove(buffer_.data(), buffer_.data() + (start_ - behind_), behind_ + filled_);
      start_ = behind_;
      buffer_.grow(start_ + limit);
    }
    const std::span<std::byte> free = buffer_.span().subspan(start_ + filled_, limit - filled_);
    // A window that starts inside the stream reads by offset when it can.
    auto got = window_.start > 0 && stream_.seekable() ? read_full_at(stream_, offset_ + filled_, free) : read_full(stream_, free);
    if (!got) return got.error();
    filled_ += *got;
    if (*got < free.size()) eof_ = true;  // read_full is short only at the end
  }
  return ok_status();
}

Status Chunker::load_view(size_t want) {
  viewed_ = {};
  if (want > 0) {
    auto view = stream_.view_at(offset_ - behind_, behind_ + want);
    if (!view) return view.error();
    viewed_ = *view;
    // Short only at the end; each view says it anew (one shown by extend_to may have reached further).
    eof_ = viewed_.size() < behind_ + want;
  }
  // The look-behind was shown before: the stream still has it.
  filled_ = viewed_.size() > behind_ ? viewed_.size() - behind_ : 0;
  return ok_status();
}

Status Chunker::skip_to_start() {
  offset_ = window_.start;
  if (window_.start == 0 || stream_.seekable()) return ok_status();
  // A one-pass stream: read up to the start and drop it.
  uint64_t left = window_.start;
  while (left > 0) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(left, buffer_.size()));
    auto got = read_full(stream_, buffer_.span().first(n));
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
  const size_t page = options_.page_size;
  if (!started_) {
    if (page == 0) return make_error(Errc::invalid_argument, "chunker: page size must be at least 1");
    if (options_.margin > std::numeric_limits<size_t>::max() - page ||
        options_.look_behind > std::numeric_limits<size_t>::max() - page - options_.margin)
      return make_error(Errc::invalid_argument, "chunker: page size plus margin overflows");
    if (window_.stop && *window_.stop < window_.start)
      return make_error(Errc::invalid_argument, "chunker: stop before start");
    started_ = true;
    view_ = options_.zero_copy && stream_.viewable();
    if (view_) {
      offset_ = window_.start;
    } else {
      // One page and its margin, rolled after each page: a buffer that is reused stays in the CPU's cache, so
      // the kernel's copy into it and the scanners reading it back stay off main memory (a buffer of 8 pages,
      // rolled 8 times less often, made a carving scan 8 % slower).
      if (const auto size = stream_.size(); size && *size >= window_.start) size_hint_ = *size;
      offset_ = window_.start;
      buffer_.grow(options_.look_behind + hinted_limit());
      if (auto status = skip_to_start(); !status) return status.error();
    }
  } else {
    if (eof_ && filled_ <= page) {  // the last page held everything that was left
      done_ = true;
      return false;
    }
    if (window_.stop && offset_ + page >= *window_.stop) {  // the last page ended at stop
      done_ = true;
      return false;
    }
    // The margin starts the next page (filled_ >= page: only the last read is short).
    offset_ += page;
    start_ += page;
    filled_ -= page;
    behind_ = std::min(options_.look_behind, behind_ + page);
  }
  if (auto status = view_ ? load_view(read_limit(page + options_.margin)) : fill(); !status) return status.error();
  size_t owned = std::min(filled_, page);
  if (window_.stop) owned = static_cast<size_t>(std::min<uint64_t>(owned, *window_.stop - offset_));
  if (filled_ == 0 || owned == 0) {
    done_ = true;
    return false;
  }
  chunk_.offset_ = offset_;
  chunk_.page_size_ = owned;
  // After extend_to the buffer may hold more than page + margin: the chunk shows the usual bytes only.
  show(read_limit(page + options_.margin));
  return true;
}

void Chunker::show(size_t shown) {
  const size_t n = std::min(filled_, shown);
  chunk_.data_ = view_ ? viewed_.subspan(behind_, n) : std::span<const std::byte>(buffer_.span()).subspan(start_, n);
  chunk_.behind_ = view_ ? viewed_.first(behind_) : std::span<const std::byte>(buffer_.span()).subspan(start_ - behind_, behind_);
  chunk_.at_end_ = eof_ && filled_ <= n;  // eof_ is set only by a short read: nothing follows the bytes held
}

Status Chunker::extend_to(uint64_t end) {
  if (!started_ || done_ || end <= offset_ + chunk_.data_.size()) return ok_status();
  if (end - offset_ > std::numeric_limits<size_t>::max() - options_.look_behind)
    return make_error(Errc::invalid_argument, "chunker: extended margin overflows");
  const size_t want = static_cast<size_t>(end - offset_);
  if (auto status = view_ ? load_view(want) : read_to(want); !status) return status;
  show(want);
  return ok_status();
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
