// Windows BMP, parsed by hand: BITMAPINFOHEADER and its V2..V5 extensions,
// uncompressed 24- and 32-bit (BI_RGB, or BI_BITFIELDS masks) and 8-bit
// palette images, bottom-up or top-down. Every size and offset read from the
// file is checked against the bytes present before it is used, and the
// dimensions against the limits before anything is allocated.
#include <bit>
#include <string>

#include "formats/image_decode.hpp"

namespace trawl::formats {
namespace {

constexpr size_t kFileHeader = 14;
constexpr uint32_t kBiRgb = 0;
constexpr uint32_t kBiBitfields = 3;
constexpr uint32_t kBiAlphaBitfields = 6;

struct Reader {
  const uint8_t* data;
  size_t size;
  bool has(size_t offset, size_t length) const { return offset <= size && length <= size - offset; }
  uint16_t u16(size_t at) const { return static_cast<uint16_t>(data[at] | data[at + 1] << 8); }
  uint32_t u32(size_t at) const {
    return data[at] | data[at + 1] << 8 | data[at + 2] << 16 | static_cast<uint32_t>(data[at + 3]) << 24;
  }
};

Error bad(const std::string& what) { return make_error(Errc::data_loss, "bmp: " + what); }

/// One colour channel described by a BI_BITFIELDS mask, scaled to 8 bits.
struct Channel {
  uint32_t mask = 0;
  int shift = 0;
  uint32_t max = 0;
  explicit Channel(uint32_t m) : mask(m) {
    if (m != 0) {
      shift = std::countr_zero(m);
      max = m >> shift;
    }
  }
  uint8_t operator()(uint32_t pixel) const {
    if (max == 0) return 0;
    return static_cast<uint8_t>(static_cast<uint64_t>((pixel & mask) >> shift) * 255 / max);
  }
};

}  // namespace

Result<RgbImage> decode_bmp(std::span<const std::byte> bytes, const ImageLimits& limits) {
  const Reader in{reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()};
  if (!in.has(0, kFileHeader + 4) || in.data[0] != 'B' || in.data[1] != 'M') return bad("not a BMP file header");
  const uint32_t pixel_offset = in.u32(10);
  const uint32_t header_size = in.u32(kFileHeader);
  if (header_size == 12) return make_error(Errc::unimplemented, "bmp: OS/2 BITMAPCOREHEADER is not supported");
  if (header_size < 40 || header_size > 1024) return bad("DIB header of " + std::to_string(header_size) + " bytes");
  if (!in.has(kFileHeader, header_size)) return bad("truncated DIB header");
  const auto width = static_cast<int32_t>(in.u32(18));
  const auto height = static_cast<int32_t>(in.u32(22));
  const uint16_t planes = in.u16(26);
  const uint16_t bits = in.u16(28);
  const uint32_t compression = in.u32(30);
  const uint32_t colors_used = in.u32(46);
  if (width <= 0 || height == 0 || height == INT32_MIN)
    return bad("bad dimensions " + std::to_string(width) + "x" + std::to_string(height));
  const bool top_down = height < 0;
  const uint32_t rows = static_cast<uint32_t>(top_down ? -static_cast<int64_t>(height) : height);
  const uint32_t columns = static_cast<uint32_t>(width);
  if (Status size = check_image_size(columns, rows, limits, "bmp"); !size) return size.error();
  if (planes != 1) return bad(std::to_string(planes) + " planes");

  // Colour layout: masks for 32-bit, a palette for 8-bit.
  Channel red(0x00FF0000), green(0x0000FF00), blue(0x000000FF);
  size_t palette_offset = kFileHeader + header_size;
  if (bits == 32 && (compression == kBiBitfields || compression == kBiAlphaBitfields)) {
    size_t masks = kFileHeader + 40;  // inside V2+ headers, else just after a 40-byte header
    if (header_size < 52) {
      if (!in.has(masks, 12)) return bad("truncated colour masks");
      palette_offset += 12;
    }
    red = Channel(in.u32(masks)), green = Channel(in.u32(masks + 4)), blue = Channel(in.u32(masks + 8));
  } else if (compression != kBiRgb) {
    return make_error(Errc::unimplemented, "bmp: compression " + std::to_string(compression) + " at " +
                                               std::to_string(bits) + " bits per pixel is not supported");
  }
  if (bits != 8 && bits != 24 && bits != 32)
    return make_error(Errc::unimplemented, "bmp: " + std::to_string(bits) + " bits per pixel is not supported");

  uint32_t palette_size = 0;
  if (bits == 8) {
    palette_size = colors_used == 0 ? 256 : colors_used;
    if (palette_size > 256) return bad(std::to_string(colors_used) + " palette colours");
    if (!in.has(palette_offset, static_cast<size_t>(palette_size) * 4)) return bad("truncated palette");
  }

  // Rows are padded to 4 bytes; all of them must be present.
  const uint64_t stride = (static_cast<uint64_t>(columns) * bits + 31) / 32 * 4;
  if (pixel_offset > in.size || stride * rows > in.size - pixel_offset)
    return bad("pixel data of " + std::to_string(stride * rows) + " bytes at offset " + std::to_string(pixel_offset) +
               " runs past the end of the " + std::to_string(in.size) + "-byte file");

  auto image = allocate_image(columns, rows);
  if (!image) return image.error();
  for (uint32_t y = 0; y < rows; ++y) {
    const uint8_t* src = in.data + pixel_offset + stride * (top_down ? y : rows - 1 - y);
    uint8_t* out = image->rgb.data() + static_cast<size_t>(y) * columns * 3;
    for (uint32_t x = 0; x < columns; ++x, out += 3) {
      if (bits == 24) {
        out[0] = src[3 * x + 2], out[1] = src[3 * x + 1], out[2] = src[3 * x];
      } else if (bits == 32) {
        const uint32_t pixel = src[4 * x] | src[4 * x + 1] << 8 | src[4 * x + 2] << 16 |
                               static_cast<uint32_t>(src[4 * x + 3]) << 24;
        out[0] = red(pixel), out[1] = green(pixel), out[2] = blue(pixel);
      } else {
        const uint32_t index = src[x];
        if (index < palette_size) {  // entries are B G R reserved
          const uint8_t* entry = in.data + palette_offset + 4 * index;
          out[0] = entry[2], out[1] = entry[1], out[2] = entry[0];
        }  // an index past the palette stays black
      }
    }
  }
  return image;
}

}  // namespace trawl::formats
