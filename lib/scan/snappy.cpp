// The Snappy format (google/snappy format_description.txt): a varint
// uncompressed length, then elements whose tag's low two bits say literal,
// or copy with a 1-, 2- or 4-byte offset back into the output.
#include "scan/snappy.hpp"

#include <cstdint>

namespace trawl::scan {
namespace {

Error bad(const char* what) { return make_error(Errc::data_loss, std::string("snappy: ") + what); }

}  // namespace

Result<std::string> snappy_decompress(std::span<const std::byte> input, std::size_t max_output) {
  auto byte_at = [&](std::size_t i) { return static_cast<std::uint8_t>(input[i]); };
  std::size_t pos = 0;
  std::uint64_t expected = 0;
  for (int shift = 0;; shift += 7) {
    if (pos >= input.size() || shift > 28) return bad("bad length");
    const std::uint8_t b = byte_at(pos++);
    expected |= static_cast<std::uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) break;
  }
  if (expected > max_output) return make_error(Errc::resource_exhausted, "snappy: block larger than the limit");
  std::string out;
  out.reserve(static_cast<std::size_t>(expected));
  while (pos < input.size()) {
    const std::uint8_t tag = byte_at(pos++);
    std::size_t length = 0;
    std::size_t offset = 0;
    switch (tag & 3) {
      case 0: {  // literal
        length = (tag >> 2) + 1;
        if (length > 60) {
          const std::size_t extra = length - 60;
          if (input.size() - pos < extra) return bad("truncated literal length");
          length = 0;
          for (std::size_t i = 0; i < extra; ++i) length |= static_cast<std::size_t>(byte_at(pos + i)) << (8 * i);
          length += 1;
          pos += extra;
        }
        if (input.size() - pos < length) return bad("truncated literal");
        if (length > expected - out.size()) return bad("output longer than declared");
        out.append(reinterpret_cast<const char*>(input.data()) + pos, length);
        pos += length;
        continue;
      }
      case 1:
        if (pos >= input.size()) return bad("truncated copy");
        length = 4 + ((tag >> 2) & 7);
        offset = (static_cast<std::size_t>(tag >> 5) << 8) | byte_at(pos++);
        break;
      case 2:
        if (input.size() - pos < 2) return bad("truncated copy");
        length = (tag >> 2) + 1;
        offset = byte_at(pos) | (static_cast<std::size_t>(byte_at(pos + 1)) << 8);
        pos += 2;
        break;
      default:
        if (input.size() - pos < 4) return bad("truncated copy");
        length = (tag >> 2) + 1;
        offset = byte_at(pos) | (static_cast<std::size_t>(byte_at(pos + 1)) << 8) |
                 (static_cast<std::size_t>(byte_at(pos + 2)) << 16) | (static_cast<std::size_t>(byte_at(pos + 3)) << 24);
        pos += 4;
        break;
    }
    if (offset == 0 || offset > out.size()) return bad("copy offset out of range");
    if (length > expected - out.size()) return bad("output longer than declared");
    // Byte by byte: copies may overlap their own output (run-length style).
    const std::size_t from = out.size() - offset;
    for (std::size_t i = 0; i < length; ++i) out.push_back(out[from + i]);
  }
  if (out.size() != expected) return bad("output shorter than declared");
  return out;
}

}  // namespace trawl::scan
