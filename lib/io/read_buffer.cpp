#include "io/read_buffer.hpp"

#include <cstring>

namespace trawl::io {

void ReadBuffer::grow(std::size_t n) {
  if (n <= size_) return;
  std::unique_ptr<std::byte[]> larger(new std::byte[n]);  // default-initialised: not cleared
  if (size_ > 0) std::memcpy(larger.get(), bytes_.get(), size_);
  bytes_ = std::move(larger);
  size_ = n;
}

}  // namespace trawl::io
