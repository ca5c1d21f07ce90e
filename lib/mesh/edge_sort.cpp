#include "mesh/edge_sort.hpp"

#include <algorithm>
#include <array>

namespace trawl::mesh {

void radix_sort(std::vector<uint64_t>& keys) {
  if (keys.size() < 256) {
    std::sort(keys.begin(), keys.end());
    return;
  }
  // Skip the 16-bit digits that are the same in every key (high vertex-index bits of small meshes).
  uint64_t all_or = 0;
  uint64_t all_and = ~0ull;
  for (const uint64_t k : keys) {
    all_or |= k;
    all_and &= k;
  }
  const uint64_t varying = all_or ^ all_and;
  std::vector<uint64_t> buffer(keys.size());
  for (int shift = 0; shift < 64; shift += 16) {
    if (((varying >> shift) & 0xffff) == 0) continue;
    std::vector<uint32_t> counts(65537, 0);
    for (const uint64_t k : keys) ++counts[((k >> shift) & 0xffff) + 1];
    for (size_t i = 1; i < counts.size(); ++i) counts[i] += counts[i - 1];
    for (const uint64_t k : keys) buffer[counts[(k >> shift) & 0xffff]++] = k;
    keys.swap(buffer);
  }
}

}  // namespace trawl::mesh
