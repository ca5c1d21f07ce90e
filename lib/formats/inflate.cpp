#include "formats/inflate.hpp"

#include <zlib.h>

#include <string>

#include "formats/zlib_input.hpp"

namespace trawl::formats {

Result<InflateResult> inflate_bytes(std::span<const uint8_t> input, InflateFormat format, uint64_t max_output) {
  z_stream z{};
  const int window = format == InflateFormat::raw ? -15 : format == InflateFormat::gzip ? 16 + 15 : 15;
  if (inflateInit2(&z, window) != Z_OK) return make_error(Errc::internal, "inflateInit2 failed");
  InflateResult out;
  z.next_in = const_cast<Bytef*>(input.data());  // zlib's API is not const-correct; it never writes input
  uint64_t remaining_in = input.size();
  uint8_t buffer[64 * 1024];
  int rc = Z_OK;
  while (true) {
    refill_input(z, remaining_in);
    z.next_out = buffer;
    z.avail_out = sizeof buffer;
    rc = inflate(&z, Z_NO_FLUSH);
    const size_t produced = sizeof buffer - z.avail_out;
    if (out.bytes.size() + produced > max_output) {
      inflateEnd(&z);
      return make_error(Errc::resource_exhausted, "inflated size exceeds " + std::to_string(max_output) + " bytes");
    }
    out.bytes.insert(out.bytes.end(), buffer, buffer + produced);
    if (rc == Z_STREAM_END) break;
    if (rc == Z_BUF_ERROR && z.avail_in == 0 && remaining_in == 0) {
      out.truncated = true;  // input ran out mid-stream
      break;
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      const std::string message = z.msg != nullptr ? z.msg : "inflate error";
      inflateEnd(&z);
      if (!out.bytes.empty()) {
        out.truncated = true;  // keep what decoded before the damage
        return out;
      }
      return make_error(Errc::data_loss, message);
    }
  }
  inflateEnd(&z);
  return out;
}

}  // namespace trawl::formats
