#pragma once
// Feeding a large input to a zlib stream (deflate.cpp, inflate.cpp): zlib's
// avail_in is a 32-bit uInt, so inputs past 4 GiB go in 1 GiB steps. A
// template over the stream type, so zlib.h stays in its two adapter files.
#include <algorithm>
#include <cstdint>

namespace trawl::formats {

/// Tops up `z.avail_in` from the `remaining_in` bytes not yet handed over
/// (next_in already points at them: zlib advances it as it reads).
template <typename ZStream>
void refill_input(ZStream& z, uint64_t& remaining_in) {
  if (z.avail_in == 0 && remaining_in > 0) {
    const auto step = static_cast<decltype(z.avail_in)>(std::min<uint64_t>(remaining_in, 1u << 30));
    z.avail_in = step;
    remaining_in -= step;
  }
}

}  // namespace trawl::formats
