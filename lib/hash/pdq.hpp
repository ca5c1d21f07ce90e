#pragma once
// PDQ, Meta's 256-bit perceptual image hash (facebook/ThreatExchange pdq/),
// written from the published algorithm (shared/research/hash-match.md 4.1):
// luminance, two passes of Jarosz box filters, 64x64 decimation, the 16x16
// low-frequency block of a 64-point DCT (DC term skipped), each coefficient
// compared with the median. Near-duplicates differ in few bits; the usual
// match threshold is a Hamming distance <= 31, and hashes of quality < 50
// are not trusted.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "formats/image_decode.hpp"

namespace trawl::hash {

/// 256 bits in the byte order of the hex text (byte 0 = the first two hex
/// digits), the order KnownEntry::pdq uses. Read as a 256-bit big-endian
/// number, bit k is DCT coefficient k = 16 * row + column (see pdq_bit).
using PdqBits = std::array<uint8_t, 32>;

struct PdqHash {
  PdqBits bits{};
  int quality = 0;  ///< 0..100, from the gradient energy of the 64x64 image; < 50 is unreliable
  bool operator==(const PdqHash&) const = default;
};

/// The eight rotations and flips, in the order pdq_hash_dihedral returns them
/// (and the reference's dih/bridge-1..8 file names).
enum class PdqTransform { original, rotate_90, rotate_180, rotate_270, flip_x, flip_y, flip_plus_1, flip_minus_1 };

/// Stable name: "original", "rotate-90", "rotate-180", "rotate-270", "flip-x", "flip-y", "flip-plus-1", "flip-minus-1".
const char* pdq_transform_name(PdqTransform transform);

/// The PDQ hash of an image. An empty image hashes to all zeros, quality 0.
PdqHash pdq_hash(const formats::RgbImage& image);

/// The hashes of the image's eight dihedral transforms (indexed by
/// PdqTransform), derived from one DCT by sign changes and transposition, as
/// the reference does: hashing a rotated copy gives (nearly) the same value.
std::array<PdqHash, 8> pdq_hash_dihedral(const formats::RgbImage& image);

/// The same from a luminance plane (width * height floats, row-major, 0..255).
/// No pre-shrink happens here: identical luma gives identical hashes.
PdqHash pdq_hash_luma(std::span<const float> luma, uint32_t width, uint32_t height);
std::array<PdqHash, 8> pdq_hash_luma_dihedral(std::span<const float> luma, uint32_t width, uint32_t height);

/// 64 lower-case hex digits, as the reference tools print (word 15 first).
std::string pdq_hex(const PdqBits& bits);
/// The inverse, upper or lower case; nullopt unless exactly 64 hex digits.
std::optional<PdqBits> parse_pdq_hex(std::string_view hex);

/// Hamming distance, 0..256.
int pdq_distance(const PdqBits& a, const PdqBits& b);
inline int pdq_distance(const PdqHash& a, const PdqHash& b) { return pdq_distance(a.bits, b.bits); }

/// Bit k (0..255) = whether DCT coefficient [k / 16][k % 16] exceeds the median.
inline bool pdq_bit(const PdqBits& bits, int k) { return (bits[31 - k / 8] >> (k % 8)) & 1; }

}  // namespace trawl::hash
