#include "formats/deflate.hpp"

#include <zlib.h>

#include <algorithm>

#include "formats/zlib_input.hpp"

namespace trawl::formats {

Result<std::vector<uint8_t>> deflate_zlib(std::span<const uint8_t> input, int level) {
  if (level < 0 || level > 9) return make_error(Errc::invalid_argument, "deflate level must be 0-9");
  z_stream z{};
  if (deflateInit(&z, level) != Z_OK) return make_error(Errc::internal, "deflateInit failed");
  std::vector<uint8_t> out;
  z.next_in = const_cast<Bytef*>(input.data());  // zlib's API is not const-correct; it never writes input
  uint64_t remaining_in = input.size();
  uint8_t buffer[64 * 1024];
  while (true) {
    refill_input(z, remaining_in);
    z.next_out = buffer;
    z.avail_out = sizeof buffer;
    const int rc = deflate(&z, remaining_in == 0 ? Z_FINISH : Z_NO_FLUSH);
    out.insert(out.end(), buffer, buffer + (sizeof buffer - z.avail_out));
    if (rc == Z_STREAM_END) break;
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      deflateEnd(&z);
      return make_error(Errc::internal, "deflate failed");
    }
  }
  deflateEnd(&z);
  return out;
}

uint32_t crc32_of(std::span<const uint8_t> bytes, uint32_t crc) {
  uLong c = crc;
  size_t off = 0;
  while (off < bytes.size()) {  // crc32 takes a uInt length
    const auto step = static_cast<uInt>(std::min<size_t>(bytes.size() - off, 1u << 30));
    c = ::crc32(c, bytes.data() + off, step);
    off += step;
  }
  return static_cast<uint32_t>(c);
}

}  // namespace trawl::formats
