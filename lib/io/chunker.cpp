#include "io/chunker.hpp"

#include <algorithm>
#include <limits>

namespace trawl::io {

Chunker::Chunker(ByteStream& stream, ChunkerOptions options) : stream_(stream), options_(options) {}

Status Chunker::fill(size_t from) {
  filled_ = from;
  if (eof_ || from == buffer_.size()) return ok_status();
  const std::span<std::byte> free = std::span<std::byte>(buffer_).subspan(from);
  auto got = read_full(stream_, free);
  if (!got) return got.error();
  filled_ = from + *got;
  if (*got < free.size()) eof_ = true;  // read_full is short only at the end
  return ok_status();
}

Result<bool> Chunker::next() {
  if (done_) return false;
  if (!started_) {
    if (options_.page_size == 0) return make_error(Errc::invalid_argument, "chunker: page size must be at least 1");
    if (options_.margin > std::numeric_limits<size_t>::max() - options_.page_size)
      return make_error(Errc::invalid_argument, "chunker: page size plus margin overflows");
    started_ = true;
    buffer_.resize(options_.page_size + options_.margin);
    if (auto status = fill(0); !status) return status.error();
  } else {
    const size_t page = options_.page_size;
    if (eof_ && filled_ <= page) {  // the last page held everything that was left
      done_ = true;
      return false;
    }
    // Roll the margin to the front; it starts the next page.
    std::copy(buffer_.begin() + static_cast<std::ptrdiff_t>(page),
              buffer_.begin() + static_cast<std::ptrdiff_t>(filled_), buffer_.begin());
    offset_ += page;
    if (auto status = fill(filled_ - page); !status) return status.error();
  }
  if (filled_ == 0) {
    done_ = true;
    return false;
  }
  chunk_.offset_ = offset_;
  chunk_.data_ = std::span<const std::byte>(buffer_).first(filled_);
  chunk_.page_size_ = std::min(filled_, options_.page_size);
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
