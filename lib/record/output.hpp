#pragma once
// A buffered byte sink over a file descriptor that reports a closed reader
// (EPIPE) instead of dying, so `tool | head` ends quietly.
#include <string>
#include <string_view>

namespace trawl::record {

class FdOutput {
 public:
  explicit FdOutput(int fd, bool line_buffered = false) : fd_(fd), line_buffered_(line_buffered) {}
  ~FdOutput() { flush(); }
  FdOutput(const FdOutput&) = delete;
  FdOutput& operator=(const FdOutput&) = delete;

  /// Appends bytes; false once the reader has gone or a write failed.
  bool write(std::string_view bytes);
  /// Marks the end of one record (flushes in line-buffered mode).
  bool end_record();
  bool flush();
  bool broken() const { return broken_; }

 private:
  int fd_;
  bool line_buffered_;
  bool broken_ = false;
  std::string buffer_;
};

}  // namespace trawl::record
