#include "record/output.hpp"

#include <cerrno>
#include <unistd.h>

namespace trawl::record {

namespace {
constexpr size_t kFlushThreshold = 64 * 1024;
}

bool FdOutput::write(std::string_view bytes) {
  if (broken_) return false;
  buffer_.append(bytes);
  if (buffer_.size() >= kFlushThreshold) return flush();
  return true;
}

bool FdOutput::end_record() {
  if (line_buffered_) return flush();
  return !broken_;
}

bool FdOutput::flush() {
  size_t done = 0;
  while (!broken_ && done < buffer_.size()) {
    const ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      broken_ = true;  // EPIPE or a full disk: either way nobody gets more output
      break;
    }
    done += static_cast<size_t>(n);
  }
  buffer_.clear();
  return !broken_;
}

}  // namespace trawl::record
