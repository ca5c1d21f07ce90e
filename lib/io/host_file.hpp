#pragma once
// Files on the examiner's machine, opened read-only (O_NOATIME where the
// kernel allows it, so reading evidence does not change its access time).
//
// A regular file can also show its bytes in place (view_at): a read-only
// private mapping of a window around the offset asked for, moved as the
// reader advances, so a scan reads the page cache without copying it into a
// buffer first, using only a window's worth of address space. Readers opt in
// (ChunkerOptions::zero_copy, stl-detect --mmap): on the virtual machines
// measured, the page faults and TLB misses on a mapping cost more than the
// copy. If a file shrank while a window is mapped, touching the lost pages
// would raise SIGBUS and end the process; evidence does not shrink, and the
// size is checked before each window is mapped (a shrunk file is a read error).
#include <cstddef>
#include <cstdint>
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
  /// Regular files only (a block device's size can change under a mapping without notice).
  bool viewable() const override { return regular_; }
  Result<std::span<const std::byte>> view_at(uint64_t offset, size_t length) override;
  /// Bytes mapped at a time (rounded up to whole memory pages; at least the length asked for).
  /// Tests make it small to cross many windows; the default is kDefaultMapWindow.
  void set_map_window(size_t bytes) { map_window_ = bytes; }
  static constexpr size_t kDefaultMapWindow = size_t{128} << 20;

 private:
  HostFileStream(int fd, uint64_t size, bool regular) : fd_(fd), size_(size), regular_(regular) {}
  void unmap();

  int fd_;
  uint64_t size_;
  bool regular_;
  size_t map_window_ = kDefaultMapWindow;
  const std::byte* map_ = nullptr;  ///< the mapped window, or null
  uint64_t map_offset_ = 0;         ///< file offset of map_[0]
  size_t map_length_ = 0;
};

/// Opens `path` read-only; never creates, truncates or follows into a FIFO.
Result<int> open_read_only(const std::string& path);
/// "what failed: strerror" for the current errno.
std::string errno_text(const char* what);

}  // namespace trawl::io
