#pragma once
// Files on the examiner's machine, opened read-only (O_NOATIME where the
// kernel allows it, so reading evidence does not change its access time).
#include <memory>
#include <string>

#include "io/byte_stream.hpp"

namespace trawl::io {

class HostFileStream final : public SeekableStream {
 public:
  ~HostFileStream() override;
  static Result<std::unique_ptr<HostFileStream>> open(const std::string& path);
  std::optional<uint64_t> size() const override { return size_; }
  Result<size_t> read_at(uint64_t offset, std::span<std::byte> buffer) override;

 private:
  HostFileStream(int fd, uint64_t size) : fd_(fd), size_(size) {}
  int fd_;
  uint64_t size_;
};

/// Opens `path` read-only; never creates, truncates or follows into a FIFO.
Result<int> open_read_only(const std::string& path);
/// "what failed: strerror" for the current errno.
std::string errno_text(const char* what);

}  // namespace trawl::io
