#pragma once
// The G-code inside a PrusaSlicer binary G-code file (.bgcode, libbgcode
// doc/specifications.md): the GCode blocks (type 1) decompressed (none,
// Deflate, heatshrink 11/4 or 12/4) and unpacked (none, MeatPack, MeatPack
// keeping comments), concatenated into the text G-code they encode, so that
// the text G-code readers (object labels, extrusion extents) apply to it.
// Pure: a byte span in, values out; bounded by `max_output`; a damaged block
// ends the text there and says why.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace trawl::formats {

struct BgcodeGcode {
  std::string text;                 ///< the decoded G-code blocks, in file order
  std::uint64_t blocks = 0;         ///< GCode blocks found
  std::uint64_t decoded_blocks = 0; ///< of which decoded into `text`
  std::uint64_t crc_mismatches = 0; ///< blocks whose CRC32 disagreed (still decoded)
  /// How the blocks were stored, distinct values in order of first use, e.g. "heatshrink-12-4+meatpack".
  std::vector<std::string> encodings;
  std::string problem;              ///< why decoding stopped early; empty when every block decoded
};

/// One block's data as stored with `compression` (0 none, 1 Deflate, 2 heatshrink 11/4, 3 heatshrink 12/4),
/// decompressed to at most `declared` bytes (the block header's uncompressed size). Errors: invalid_argument
/// (another compression), data_loss, resource_exhausted.
Result<std::vector<std::uint8_t>> bgcode_decompress(std::uint16_t compression, std::span<const std::uint8_t> data,
                                                    std::uint64_t declared);

/// Not a GCDE file: an empty result with `problem` set.
BgcodeGcode bgcode_gcode(std::span<const std::uint8_t> bytes, std::uint64_t max_output = std::uint64_t{256} << 20);

}  // namespace trawl::formats
