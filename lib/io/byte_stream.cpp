#include "io/byte_stream.hpp"

#include <algorithm>
#include <cstring>

namespace trawl::io {

Result<size_t> ByteStream::read_at(uint64_t, std::span<std::byte>) {
  return make_error(Errc::unimplemented, "stream does not support random access");
}

Result<std::span<const std::byte>> ByteStream::view_at(uint64_t, size_t) {
  return make_error(Errc::unimplemented, "stream cannot show its bytes in place");
}

Result<size_t> SeekableStream::read(std::span<std::byte> buffer) {
  auto n = read_at(position_, buffer);
  if (n) position_ += *n;
  return n;
}

Result<size_t> MemoryStream::read_at(uint64_t offset, std::span<std::byte> buffer) {
  if (offset >= bytes_.size()) return size_t{0};
  const size_t n = std::min<uint64_t>(buffer.size(), bytes_.size() - offset);
  std::memcpy(buffer.data(), bytes_.data() + offset, n);
  return n;
}

Result<std::span<const std::byte>> MemoryStream::view_at(uint64_t offset, size_t length) {
  if (offset >= bytes_.size()) return std::span<const std::byte>();
  const size_t n = std::min<uint64_t>(length, bytes_.size() - offset);
  return std::as_bytes(std::span(bytes_)).subspan(static_cast<size_t>(offset), n);
}

Result<size_t> read_full(ByteStream& stream, std::span<std::byte> buffer) {
  size_t done = 0;
  while (done < buffer.size()) {
    auto n = stream.read(buffer.subspan(done));
    if (!n) return n.error();
    if (*n == 0) break;
    done += *n;
  }
  return done;
}

Result<size_t> read_full_at(ByteStream& stream, uint64_t offset, std::span<std::byte> buffer) {
  size_t done = 0;
  while (done < buffer.size()) {
    auto n = stream.read_at(offset + done, buffer.subspan(done));
    if (!n) return n.error();
    if (*n == 0) break;
    done += *n;
  }
  return done;
}

}  // namespace trawl::io
