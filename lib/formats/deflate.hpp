#pragma once
// zlib compression and CRC-32 for the few places trawl writes compressed
// bytes (PNG previews). The zlib adapter for writing, next to inflate.hpp;
// zlib is included only by deflate.cpp here.
#include <cstdint>
#include <span>
#include <vector>

#include "core/result.hpp"

namespace trawl::formats {

/// RFC 1950 zlib stream of `input` at the given level (0–9).
Result<std::vector<uint8_t>> deflate_zlib(std::span<const uint8_t> input, int level = 6);

/// CRC-32 (ISO 3309, as in PNG and ZIP) of `bytes`, continuing from `crc`.
uint32_t crc32_of(std::span<const uint8_t> bytes, uint32_t crc = 0);

}  // namespace trawl::formats
