#pragma once
// The search for a two-byte sequence, such as the ")#" that ends every output
// descriptor before its checksum: text has many of either byte and few of the
// pair. 64 positions at a time with AVX-512 BW where the CPU has it (runtime
// dispatch), 16 with SSE2, else byte by byte; all give the same answer (tested
// against each other).
#include <cstddef>
#include <cstdint>

namespace trawl::scan {

/// The first i in [from, stop) with bytes[i - 1] == first and bytes[i] == second, else `stop`
/// (1 <= from; bytes[from - 1, stop) readable).
std::size_t next_byte_pair(const std::uint8_t* bytes, std::size_t from, std::size_t stop, std::uint8_t first,
                           std::uint8_t second);
/// The same, byte by byte (the reference).
std::size_t next_byte_pair_scalar(const std::uint8_t* bytes, std::size_t from, std::size_t stop, std::uint8_t first,
                                  std::uint8_t second);

}  // namespace trawl::scan
