#include "formats/heatshrink.hpp"

namespace trawl::formats {
namespace {

class BitReader {
 public:
  explicit BitReader(std::span<const uint8_t> bytes) : bytes_(bytes) {}
  uint64_t remaining() const { return bytes_.size() * 8 - bit_; }
  /// `n` <= 16 bits, most significant first; the caller checked remaining().
  unsigned take(unsigned n) {
    unsigned v = 0;
    for (unsigned i = 0; i < n; ++i, ++bit_) v = (v << 1) | ((bytes_[bit_ >> 3] >> (7 - (bit_ & 7))) & 1u);
    return v;
  }

 private:
  std::span<const uint8_t> bytes_;
  uint64_t bit_ = 0;
};

}  // namespace

Result<std::vector<uint8_t>> heatshrink_decode(std::span<const uint8_t> input, unsigned window_bits,
                                               unsigned lookahead_bits, uint64_t max_output) {
  if (window_bits < 4 || window_bits > 15 || lookahead_bits < 3 || lookahead_bits >= window_bits)
    return make_error(Errc::invalid_argument, "heatshrink: unsupported window/lookahead sizes");
  std::vector<uint8_t> out;
  BitReader in(input);
  // The encoder pads the last byte with zero bits: fewer than 8, so never a whole item (a back-reference
  // takes at least 1 + 4 + 3 bits, a literal 9).
  while (in.remaining() > 0) {
    if (in.take(1) == 1) {
      if (in.remaining() < 8) break;
      if (out.size() >= max_output) return make_error(Errc::resource_exhausted, "heatshrink: output over the limit");
      out.push_back(static_cast<uint8_t>(in.take(8)));
      continue;
    }
    if (in.remaining() < window_bits + lookahead_bits) break;  // padding after the last item
    const std::size_t distance = std::size_t{in.take(window_bits)} + 1;
    const std::size_t count = std::size_t{in.take(lookahead_bits)} + 1;
    if (distance > out.size()) return make_error(Errc::data_loss, "heatshrink: back-reference before the start");
    if (count > max_output - std::min<uint64_t>(max_output, out.size()))
      return make_error(Errc::resource_exhausted, "heatshrink: output over the limit");
    // Byte by byte: a copy may overlap the bytes it writes (distance < count repeats a run).
    const std::size_t from = out.size() - distance;
    for (std::size_t i = 0; i < count; ++i) {
      const uint8_t b = out[from + i];
      out.push_back(b);
    }
  }
  return out;
}

}  // namespace trawl::formats
