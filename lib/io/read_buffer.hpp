#pragma once
// A buffer that bytes are read into, left uninitialised.
#include <cstddef>
#include <memory>
#include <span>

namespace trawl::io {

/// Every byte used was read first, so the buffer is not cleared: clearing a buffer of a megabyte for each
/// small item, or for each worker of a run over one small file, cost more than the reading (the kernel maps
/// only the pages written, ~10-30 us each on the virtual machines measured).
class ReadBuffer {
 public:
  ReadBuffer() = default;
  explicit ReadBuffer(std::size_t n) { grow(n); }

  /// Grows to `n` bytes, keeping the ones held.
  void grow(std::size_t n);

  std::byte* data() { return bytes_.get(); }
  std::size_t size() const { return size_; }
  std::span<std::byte> span() { return {bytes_.get(), size_}; }

 private:
  std::unique_ptr<std::byte[]> bytes_;
  std::size_t size_ = 0;
};

}  // namespace trawl::io
