#include "hash/set_source.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

namespace trawl::hash {
namespace {

constexpr size_t kChunk = 64 * 1024;

/// read(2) until `size` bytes or the end; EINTR retried.
Result<size_t> read_fully(int fd, char* buffer, size_t size) {
  size_t done = 0;
  while (done < size) {
    const ssize_t n = ::read(fd, buffer + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return make_error(Errc::io, std::string("read: ") + std::strerror(errno));
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  return done;
}

}  // namespace

Result<SetSource> SetSource::open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int e = errno;
    return make_error(e == ENOENT || e == ENOTDIR ? Errc::not_found : Errc::io, path + ": " + std::strerror(e));
  }
  SetSource source(fd, path);
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) return make_error(Errc::io, path + ": is a directory");
  source.head_.resize(kSetHeadBytes);
  auto n = read_fully(fd, source.head_.data(), source.head_.size());
  if (!n) return make_error(Errc::io, path + ": " + n.error().detail);
  source.head_.resize(*n);
  return source;
}

SetSource::SetSource(SetSource&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), path_(std::move(other.path_)), head_(std::move(other.head_)),
      head_pos_(other.head_pos_) {}

SetSource& SetSource::operator=(SetSource&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    path_ = std::move(other.path_);
    head_ = std::move(other.head_);
    head_pos_ = other.head_pos_;
  }
  return *this;
}

SetSource::~SetSource() {
  if (fd_ >= 0) ::close(fd_);
}

Result<size_t> SetSource::read(char* buffer, size_t size) {
  if (head_pos_ < head_.size()) {
    const size_t n = std::min(size, head_.size() - head_pos_);
    std::memcpy(buffer, head_.data() + head_pos_, n);
    head_pos_ += n;
    return n;
  }
  // The head was read to its end: a short head means the file ended there.
  if (head_.size() < kSetHeadBytes) return size_t{0};
  for (;;) {
    const ssize_t n = ::read(fd_, buffer, size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return make_error(Errc::io, path_ + ": read: " + std::strerror(errno));
    return static_cast<size_t>(n);
  }
}

Result<bool> LineReader::fill() {
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  // Grow only as long lines demand: most sets never need more than a chunk.
  const size_t capacity = max_line_ + 2 + kChunk;
  if (buffer_.size() - end_ < kChunk && buffer_.size() < capacity) {
    buffer_.resize(std::min(capacity, std::max(buffer_.size() * 2, end_ + kChunk)));
  }
  const size_t room = buffer_.size() - end_;
  if (room == 0) return true;
  auto n = source_.read(buffer_.data() + end_, std::min(room, kChunk));
  if (!n) return n.error();
  if (*n == 0) eof_ = true;
  end_ += *n;
  return true;
}

Result<bool> LineReader::next(SetLine& line) {
  size_t scanned = 0;  // bytes after begin_ known to hold no newline
  for (;;) {
    const char* base = buffer_.data();
    const void* nl = end_ > begin_ + scanned ? std::memchr(base + begin_ + scanned, '\n', end_ - begin_ - scanned)
                                             : nullptr;
    if (nl != nullptr || (eof_ && end_ > begin_)) {
      const size_t stop = nl != nullptr ? static_cast<size_t>(static_cast<const char*>(nl) - base) : end_;
      if (stop - begin_ > max_line_ + 1) break;  // over long even when complete
      std::string_view text(base + begin_, stop - begin_);
      if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
      line = SetLine{text, ++number_, consumed_, text.size() > max_line_};
      if (line.too_long) line.text = {};
      const size_t used = (nl != nullptr ? stop + 1 : stop) - begin_;
      consumed_ += used;
      begin_ += used;
      return true;
    }
    if (eof_) return false;
    scanned = end_ - begin_;
    if (scanned > max_line_ + 1) break;
    auto filled = fill();
    if (!filled) return filled.error();
  }
  // Over long: report it once, skip its bytes up to the next newline.
  line = SetLine{{}, ++number_, consumed_, true};
  for (;;) {
    const char* base = buffer_.data();
    const void* nl = std::memchr(base + begin_, '\n', end_ - begin_);
    if (nl != nullptr) {
      const size_t used = static_cast<size_t>(static_cast<const char*>(nl) - base) + 1 - begin_;
      consumed_ += used;
      begin_ += used;
      return true;
    }
    consumed_ += end_ - begin_;
    begin_ = end_ = 0;
    if (eof_) return true;
    auto filled = fill();
    if (!filled) return filled.error();
  }
}

}  // namespace trawl::hash
