#pragma once
// What the Chunker tests share: bytes shown as text, a text whose every
// offset is recognisable, and a stream that states a size of its own.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "io/byte_stream.hpp"

namespace trawl::test {

inline std::string_view as_text(std::span<const std::byte> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

/// `size` letters in a sequence that does not repeat within 26 * 26 bytes.
inline std::string numbered(std::size_t size) {
  std::string text(size, '.');
  for (std::size_t i = 0; i < size; ++i) text[i] = static_cast<char>('a' + (i * 7 + i / 26) % 26);
  return text;
}

/// A memory stream that states a size of its own, right or wrong (an archive member's header can lie).
class StatedSizeStream : public io::SeekableStream {
 public:
  StatedSizeStream(std::string bytes, uint64_t stated) : bytes_(std::move(bytes)), stated_(stated) {}
  std::optional<uint64_t> size() const override { return stated_; }
  Result<size_t> read_at(uint64_t offset, std::span<std::byte> buffer) override {
    if (offset >= bytes_.size()) return size_t{0};
    const size_t n = std::min<size_t>(buffer.size(), bytes_.size() - offset);
    std::memcpy(buffer.data(), bytes_.data() + offset, n);
    return n;
  }

 private:
  std::string bytes_;
  uint64_t stated_;
};

}  // namespace trawl::test
