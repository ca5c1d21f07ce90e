#pragma once
// Bounded zlib/deflate decompression for metadata inside files (PNG zTXt and
// iTXt, PDF FlateDecode streams, compressed 3MF parts read by hand). zlib is
// included only by inflate.cpp. Output beyond `max_output` is an Error
// (resource_exhausted), so a tiny bomb never allocates gigabytes.
#include <cstdint>
#include <span>
#include <vector>

#include "core/result.hpp"

namespace trawl::formats {

enum class InflateFormat {
  zlib,  ///< RFC 1950: 2-byte header, adler32 trailer (PNG, PDF FlateDecode)
  raw,   ///< RFC 1951: bare deflate (zip members)
  gzip,  ///< RFC 1952
};

struct InflateResult {
  std::vector<uint8_t> bytes;
  /// Input ended before the stream did; `bytes` holds what was recovered.
  /// PDF writers truncate streams often enough that salvage matters.
  bool truncated = false;
};

Result<InflateResult> inflate_bytes(std::span<const uint8_t> input, InflateFormat format, uint64_t max_output);

}  // namespace trawl::formats
