// PDQ hashing. The arithmetic follows the reference step by step, in float
// and in the same order (running box sums, DCT accumulation), because a
// coefficient that lands near the median flips its bit on the last ulp.
#include "hash/pdq.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdlib>
#include <numbers>
#include <vector>

#include "core/hex.hpp"

namespace trawl::hash {
namespace {

constexpr int kDownsample = 512;  // the reference's pre-shrink before the Jarosz filters
constexpr int kGrid = 64;
constexpr int kBlock = 16;

using Dct = std::array<float, kBlock * kBlock>;  // [row frequency][column frequency], frequencies 1..16

/// Box filter of `window` taps along one line of `length` values, `stride`
/// apart. Output o averages inputs [o - (window - half), o + half - 1]
/// clipped to the line, half = (window + 2) / 2: centred, one more tap to the
/// right for even windows. Kept as the reference's running sum (add the
/// entering value, then drop the leaving one, divide by the count).
void box_line(const float* in, float* out, size_t length, size_t stride, size_t window) {
  const size_t half = (window + 2) / 2;
  float sum = 0;
  float count = 0;
  size_t right = 0, left = 0, o = 0;
  for (size_t i = 0; i + 1 < half; ++i, ++right) sum += in[right * stride], ++count;
  for (size_t i = 0; i < window - half + 1; ++i, ++right, ++o) {
    sum += in[right * stride], ++count;
    out[o * stride] = sum / count;
  }
  for (size_t i = window; i < length; ++i, ++right, ++left, ++o) {
    sum += in[right * stride];
    sum -= in[left * stride];
    out[o * stride] = sum / count;
  }
  for (size_t i = 0; i + 1 < half; ++i, ++left, ++o) {
    sum -= in[left * stride], --count;
    out[o * stride] = sum / count;
  }
}

/// The same filter down every column at once, a row at a time (cache
/// friendly); each column sees exactly the operations box_line would do.
void box_columns(const float* in, float* out, size_t width, size_t height, size_t window, std::vector<float>& sums) {
  sums.assign(width, 0.0f);
  const size_t half = (window + 2) / 2;
  float count = 0;
  size_t right = 0, left = 0, o = 0;
  auto add = [&](size_t row) {
    const float* r = in + row * width;
    for (size_t x = 0; x < width; ++x) sums[x] += r[x];
  };
  auto drop = [&](size_t row) {
    const float* r = in + row * width;
    for (size_t x = 0; x < width; ++x) sums[x] -= r[x];
  };
  auto emit = [&] {
    float* r = out + o * width;
    for (size_t x = 0; x < width; ++x) r[x] = sums[x] / count;
    ++o;
  };
  for (size_t i = 0; i + 1 < half; ++i) add(right++), ++count;
  for (size_t i = 0; i < window - half + 1; ++i) add(right++), ++count, emit();
  for (size_t i = window; i < height; ++i) add(right++), drop(left++), emit();
  for (size_t i = 0; i + 1 < half; ++i) drop(left++), --count, emit();
}

/// ceil(length / 128): the window that makes two box passes a tent about
/// one 64th of the side wide.
size_t jarosz_window(size_t length) { return (length + 2 * kGrid - 1) / (2 * kGrid); }

const std::array<float, kBlock * kGrid>& dct_matrix() {
  static const auto matrix = [] {
    std::array<float, kBlock * kGrid> d{};
    const double scale = std::sqrt(2.0 / kGrid);
    for (int i = 0; i < kBlock; ++i)
      for (int j = 0; j < kGrid; ++j)
        d[i * kGrid + j] = static_cast<float>(scale * std::cos(std::numbers::pi / 2 / kGrid * (i + 1) * (2 * j + 1)));
    return d;
  }();
  return matrix;
}

struct Transformed {
  Dct dct{};
  int quality = 0;
};

/// Luma -> filtered -> 64x64 -> quality and 16x16 DCT. `luma` is consumed as scratch.
Transformed transform(std::vector<float>& luma, size_t width, size_t height) {
  Transformed t;
  if (width == 0 || height == 0) return t;
  std::vector<float> scratch(width * height);
  std::vector<float> sums;
  const size_t window_x = jarosz_window(width), window_y = jarosz_window(height);
  for (int pass = 0; pass < 2; ++pass) {
    for (size_t y = 0; y < height; ++y) box_line(&luma[y * width], &scratch[y * width], width, 1, window_x);
    box_columns(scratch.data(), luma.data(), width, height, window_y, sums);
  }

  // Decimate: the filtered value at the centre of each of the 64x64 cells.
  std::array<float, kGrid * kGrid> grid{};
  for (int i = 0; i < kGrid; ++i) {
    const auto y = static_cast<size_t>((i + 0.5) * static_cast<double>(height) / kGrid);
    for (int j = 0; j < kGrid; ++j) {
      const auto x = static_cast<size_t>((j + 0.5) * static_cast<double>(width) / kGrid);
      grid[i * kGrid + j] = luma[y * width + x];
    }
  }

  // Quality: the summed neighbour differences, in percent of full scale.
  int gradient = 0;
  for (int i = 0; i + 1 < kGrid; ++i)
    for (int j = 0; j < kGrid; ++j)
      gradient += std::abs(static_cast<int>((grid[i * kGrid + j] - grid[(i + 1) * kGrid + j]) * 100 / 255));
  for (int i = 0; i < kGrid; ++i)
    for (int j = 0; j + 1 < kGrid; ++j)
      gradient += std::abs(static_cast<int>((grid[i * kGrid + j] - grid[i * kGrid + j + 1]) * 100 / 255));
  t.quality = std::min(100, gradient / 90);

  // B = D * A * D^T, D the 16x64 cosine basis for frequencies 1..16.
  const auto& d = dct_matrix();
  std::array<float, kBlock * kGrid> half{};  // D * A
  for (int i = 0; i < kBlock; ++i)
    for (int j = 0; j < kGrid; ++j) {
      float sum = 0;
      for (int k = 0; k < kGrid; ++k) sum += d[i * kGrid + k] * grid[k * kGrid + j];
      half[i * kGrid + j] = sum;
    }
  for (int i = 0; i < kBlock; ++i)
    for (int j = 0; j < kBlock; ++j) {
      float sum = 0;
      for (int k = 0; k < kGrid; ++k) sum += half[i * kGrid + k] * d[j * kGrid + k];
      t.dct[i * kBlock + j] = sum;
    }
  return t;
}

/// Bit k set iff coefficient k exceeds the median (the lower one: the 128th
/// smallest of 256), so about half the bits are set.
PdqBits threshold(const Dct& dct) {
  Dct sorted = dct;
  std::nth_element(sorted.begin(), sorted.begin() + 127, sorted.end());
  const float median = sorted[127];
  PdqBits bits{};
  for (int k = 0; k < kBlock * kBlock; ++k)
    if (dct[k] > median) bits[31 - k / 8] |= static_cast<uint8_t>(1u << (k % 8));
  return bits;
}

/// Cosine basis functions of frequency f (1-based) are odd about the centre
/// for odd f and even for even f, so mirroring an axis negates the
/// coefficients of odd frequency (0-based index even); transposing the image
/// transposes the block. Names as in the reference's dih/ test files, checked
/// against their hashes: rotate-90 is counter-clockwise, flip-x swaps top and
/// bottom, flip-plus-1 is the transpose (main diagonal).
Dct dihedral(const Dct& in, PdqTransform transform) {
  Dct out{};
  for (int u = 0; u < kBlock; ++u)
    for (int v = 0; v < kBlock; ++v) {
      const float same = in[u * kBlock + v];
      const float swapped = in[v * kBlock + u];
      const float su = u % 2 == 0 ? -1.0f : 1.0f;  // mirror top-bottom
      const float sv = v % 2 == 0 ? -1.0f : 1.0f;  // mirror left-right
      float value = same;
      switch (transform) {
        case PdqTransform::original: value = same; break;
        case PdqTransform::rotate_90: value = su * swapped; break;  // counter-clockwise
        case PdqTransform::rotate_180: value = su * sv * same; break;
        case PdqTransform::rotate_270: value = sv * swapped; break;
        case PdqTransform::flip_x: value = su * same; break;  // about the horizontal axis: top <-> bottom
        case PdqTransform::flip_y: value = sv * same; break;  // about the vertical axis: left <-> right
        case PdqTransform::flip_plus_1: value = swapped; break;
        case PdqTransform::flip_minus_1: value = su * sv * swapped; break;
      }
      out[u * kBlock + v] = value;
    }
  return out;
}

/// Luma of the image, pre-shrunk as the reference does: an image wider or
/// taller than 512 is resampled (nearest neighbour, aspect not kept) to
/// 512x512 first, which also bounds the filter's memory and time.
std::vector<float> image_luma(const formats::RgbImage& image, size_t& width, size_t& height) {
  width = image.width;
  height = image.height;
  if (width == 0 || height == 0 || image.rgb.size() < width * height * 3) {
    width = height = 0;
    return {};
  }
  size_t out_w = width, out_h = height;
  if (width > kDownsample || height > kDownsample) out_w = out_h = kDownsample;
  std::vector<float> luma(out_w * out_h);
  for (size_t y = 0; y < out_h; ++y) {
    const size_t sy = y * height / out_h;
    for (size_t x = 0; x < out_w; ++x) {
      const size_t sx = x * width / out_w;
      const uint8_t* p = &image.rgb[(sy * width + sx) * 3];
      luma[y * out_w + x] = 0.299f * p[0] + 0.587f * p[1] + 0.114f * p[2];
    }
  }
  width = out_w;
  height = out_h;
  return luma;
}

}  // namespace

const char* pdq_transform_name(PdqTransform transform) {
  switch (transform) {
    case PdqTransform::original: return "original";
    case PdqTransform::rotate_90: return "rotate-90";
    case PdqTransform::rotate_180: return "rotate-180";
    case PdqTransform::rotate_270: return "rotate-270";
    case PdqTransform::flip_x: return "flip-x";
    case PdqTransform::flip_y: return "flip-y";
    case PdqTransform::flip_plus_1: return "flip-plus-1";
    case PdqTransform::flip_minus_1: return "flip-minus-1";
  }
  return "original";
}

PdqHash pdq_hash_luma(std::span<const float> luma, uint32_t width, uint32_t height) {
  if (luma.size() < static_cast<size_t>(width) * height || width == 0 || height == 0) return {};
  std::vector<float> copy(luma.begin(), luma.begin() + static_cast<ptrdiff_t>(static_cast<size_t>(width) * height));
  const Transformed t = transform(copy, width, height);
  return {threshold(t.dct), t.quality};
}

std::array<PdqHash, 8> pdq_hash_luma_dihedral(std::span<const float> luma, uint32_t width, uint32_t height) {
  std::array<PdqHash, 8> out{};
  if (luma.size() < static_cast<size_t>(width) * height || width == 0 || height == 0) return out;
  std::vector<float> copy(luma.begin(), luma.begin() + static_cast<ptrdiff_t>(static_cast<size_t>(width) * height));
  const Transformed t = transform(copy, width, height);
  for (int i = 0; i < 8; ++i) out[i] = {threshold(dihedral(t.dct, static_cast<PdqTransform>(i))), t.quality};
  return out;
}

PdqHash pdq_hash(const formats::RgbImage& image) {
  size_t width = 0, height = 0;
  std::vector<float> luma = image_luma(image, width, height);
  if (width == 0) return {};
  const Transformed t = transform(luma, width, height);
  return {threshold(t.dct), t.quality};
}

std::array<PdqHash, 8> pdq_hash_dihedral(const formats::RgbImage& image) {
  std::array<PdqHash, 8> out{};
  size_t width = 0, height = 0;
  std::vector<float> luma = image_luma(image, width, height);
  if (width == 0) return out;
  const Transformed t = transform(luma, width, height);
  for (int i = 0; i < 8; ++i) out[i] = {threshold(dihedral(t.dct, static_cast<PdqTransform>(i))), t.quality};
  return out;
}

std::string pdq_hex(const PdqBits& bits) { return hex_lower(bits); }

std::optional<PdqBits> parse_pdq_hex(std::string_view hex) {
  if (hex.size() != 64) return std::nullopt;
  auto value = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  PdqBits bits{};
  for (size_t i = 0; i < bits.size(); ++i) {
    const int hi = value(hex[2 * i]), lo = value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    bits[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return bits;
}

int pdq_distance(const PdqBits& a, const PdqBits& b) {
  int distance = 0;
  for (size_t i = 0; i < a.size(); i += 8) {
    uint64_t x = 0, y = 0;
    for (size_t j = 0; j < 8; ++j) x = x << 8 | a[i + j], y = y << 8 | b[i + j];
    distance += std::popcount(x ^ y);
  }
  return distance;
}

}  // namespace trawl::hash
