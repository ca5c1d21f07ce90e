#pragma once
// LSD radix sort on an unsigned integer key of a known bit width, for the
// geometry hash's canonical forms: a million packed triangles or vertex keys
// sort several times faster than with std::sort. Stable, so items with equal
// keys keep their input order (what a comparison sort on (key, input
// position) gives).
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace trawl::mesh {

/// Sorts `items` by key_of(item) (a uint64_t below 2^bits) ascending, stably.
template <class T, class KeyOf>
void radix_sort(std::vector<T>& items, unsigned bits, KeyOf key_of) {
  constexpr unsigned kDigitBits = 11;
  constexpr size_t kBuckets = size_t{1} << kDigitBits;
  if (items.size() < 2) return;
  std::vector<T> scratch(items.size());
  std::array<size_t, kBuckets> start;
  for (unsigned shift = 0; shift < bits && shift < 64; shift += kDigitBits) {
    start.fill(0);
    for (const T& item : items) ++start[(key_of(item) >> shift) & (kBuckets - 1)];
    size_t sum = 0;
    for (size_t& s : start) {
      const size_t n = s;
      s = sum;
      sum += n;
    }
    for (const T& item : items) scratch[start[(key_of(item) >> shift) & (kBuckets - 1)]++] = item;
    items.swap(scratch);
  }
}

}  // namespace trawl::mesh
