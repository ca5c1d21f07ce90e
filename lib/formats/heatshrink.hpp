#pragma once
// heatshrink decompression (LZSS with a bit-packed stream), as PrusaSlicer
// binary G-code stores blocks with compression 2 (window 2^11, lookahead
// 2^4) and 3 (window 2^12, lookahead 2^4). The stream is read MSB first: a
// 1 bit and 8 bits are a literal byte; a 0 bit, `window_bits` bits of
// (distance - 1) and `lookahead_bits` bits of (count - 1) copy earlier
// output. Trailing bits too few for a whole item are the encoder's padding.
// Pure: no globals; bounded by `max_output`.
#include <cstdint>
#include <span>
#include <vector>

#include "core/result.hpp"

namespace trawl::formats {

/// Errors: invalid_argument (window_bits outside 4..15 or lookahead_bits outside 3..window_bits),
/// data_loss (a back-reference before the start of the output), resource_exhausted (more than
/// `max_output` bytes).
Result<std::vector<uint8_t>> heatshrink_decode(std::span<const uint8_t> input, unsigned window_bits,
                                               unsigned lookahead_bits, uint64_t max_output);

}  // namespace trawl::formats
