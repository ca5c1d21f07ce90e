#pragma once
// Snappy raw-block decompression (LevelDB table blocks, Chromium extension
// storage), bounded: the output never exceeds `max_output` bytes.
#include <cstddef>
#include <span>
#include <string>

#include "core/result.hpp"

namespace trawl::scan {

/// Errors: data_loss (malformed or truncated), resource_exhausted (output over max_output).
Result<std::string> snappy_decompress(std::span<const std::byte> input, std::size_t max_output);

}  // namespace trawl::scan
