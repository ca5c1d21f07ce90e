#include "formats/bgcode_gcode.hpp"

#include <algorithm>

#include "formats/deflate.hpp"
#include "formats/heatshrink.hpp"
#include "formats/inflate.hpp"
#include "formats/meatpack.hpp"

namespace trawl::formats {
namespace {

std::uint16_t le16(const std::uint8_t* p) { return static_cast<std::uint16_t>(p[0] | (p[1] << 8)); }
std::uint32_t le32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
         (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}

constexpr std::uint16_t kGcodeBlock = 1, kThumbnailBlock = 5;

const char* compression_name(std::uint16_t c) {
  switch (c) {
    case 0: return "none";
    case 1: return "deflate";
    case 2: return "heatshrink-11-4";
    default: return "heatshrink-12-4";
  }
}

}  // namespace

Result<std::vector<std::uint8_t>> bgcode_decompress(std::uint16_t compression, std::span<const std::uint8_t> data,
                                                    std::uint64_t declared) {
  switch (compression) {
    case 0: return std::vector<std::uint8_t>(data.begin(), data.end());
    case 1: {
      // libbgcode writes zlib streams; a bare deflate stream is accepted too.
      auto z = inflate_bytes(data, InflateFormat::zlib, declared);
      if (!z) z = inflate_bytes(data, InflateFormat::raw, declared);
      if (!z) return z.error();
      if (z->truncated) return make_error(Errc::data_loss, "deflate stream cut short");
      return std::move(z->bytes);
    }
    case 2: return heatshrink_decode(data, 11, 4, declared);
    case 3: return heatshrink_decode(data, 12, 4, declared);
    default: return make_error(Errc::invalid_argument, "unknown compression " + std::to_string(compression));
  }
}

BgcodeGcode bgcode_gcode(std::span<const std::uint8_t> bytes, std::uint64_t max_output) {
  BgcodeGcode out;
  // Damage ends the text where it is: what was decoded before stays useful.
  auto fail = [&out](std::string why) {
    out.problem = std::move(why);
    return std::move(out);
  };
  if (bytes.size() < 10 || !std::equal(bytes.begin(), bytes.begin() + 4, "GCDE")) return fail("not a binary G-code file");
  const bool crc = le16(bytes.data() + 8) == 1;
  const std::size_t tail = crc ? 4 : 0;
  std::size_t pos = 10;
  for (std::uint64_t n = 0; pos < bytes.size(); ++n) {
    const std::string at = " at " + std::to_string(pos);
    if (n == 1'000'000) return fail("too many blocks");
    if (bytes.size() - pos < 8) return fail("block header cut short" + at);
    const std::uint16_t type = le16(bytes.data() + pos), compression = le16(bytes.data() + pos + 2);
    if (type > kThumbnailBlock || compression > 3) return fail("not a block" + at);
    const std::size_t header = compression == 0 ? 8 : 12;
    const std::size_t params = type == kThumbnailBlock ? 6 : 2;
    if (bytes.size() - pos < header + params) return fail("block cut short" + at);
    const std::uint64_t declared = le32(bytes.data() + pos + 4);
    const std::uint64_t size = compression == 0 ? declared : le32(bytes.data() + pos + 8);
    const std::size_t data = pos + header + params;
    if (type == kGcodeBlock) ++out.blocks;
    if (size > bytes.size() - data || tail > bytes.size() - data - size) return fail("block cut short" + at);
    const std::size_t next = data + static_cast<std::size_t>(size) + tail;
    if (type != kGcodeBlock) {
      pos = next;
      continue;
    }
    if (crc) {
      const std::uint32_t stored = le32(bytes.data() + data + size);
      if (crc32_of(bytes.subspan(pos, header + params + static_cast<std::size_t>(size))) != stored) ++out.crc_mismatches;
    }
    const std::uint16_t encoding = le16(bytes.data() + pos + header);
    if (encoding > 2) return fail("unknown G-code encoding " + std::to_string(encoding) + at);
    const std::uint64_t budget = max_output - std::min<std::uint64_t>(max_output, out.text.size());
    if (declared > budget) return fail("decoded G-code over the limit" + at);
    auto raw = bgcode_decompress(compression, bytes.subspan(data, static_cast<std::size_t>(size)), declared);
    if (!raw) return fail(std::string(compression_name(compression)) + " block" + at + ": " + raw.error().detail);
    std::string encoded = compression_name(compression);
    if (encoding == 0) {
      out.text.append(raw->begin(), raw->end());
    } else {
      encoded += encoding == 1 ? "+meatpack" : "+meatpack-comments";
      auto text = meatpack_decode(*raw, budget);
      if (!text) return fail("meatpack block" + at + ": " + text.error().detail);
      out.text += *text;
    }
    if (std::find(out.encodings.begin(), out.encodings.end(), encoded) == out.encodings.end())
      out.encodings.push_back(std::move(encoded));
    ++out.decoded_blocks;
    pos = next;
  }
  return out;
}

}  // namespace trawl::formats
