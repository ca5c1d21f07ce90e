#pragma once
// LSD radix sort on an unsigned integer key of a known bit width, for the
// geometry hash's canonical forms: half a million packed vertex keys
// sort several times faster than with std::sort. Stable, so items with equal
// keys keep their input order (what a comparison sort on (key, input
// position) gives).
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace trawl::mesh {

/// Sorts `items` by key_of(item) (a uint64_t below 2^bits) ascending, stably.
template <class T, class KeyOf>
void radix_sort(std::vector<T>& items, unsigned bits, KeyOf key_of) {
  constexpr unsigned kDigitBits = 11;
  constexpr size_t kBuckets = size_t{1} << kDigitBits;
  const size_t n = items.size();
  if (n < 2) return;
  // Default-initialised scratch: no zeroing pass over memory that every pass overwrites anyway.
  std::unique_ptr<T[]> scratch(new T[n]);
  T* from = items.data();
  T* to = scratch.get();
  std::array<size_t, kBuckets> start;
  for (unsigned shift = 0; shift < bits && shift < 64; shift += kDigitBits) {
    start.fill(0);
    for (size_t i = 0; i < n; ++i) ++start[(key_of(from[i]) >> shift) & (kBuckets - 1)];
    size_t sum = 0;
    for (size_t& s : start) {
      const size_t count = s;
      s = sum;
      sum += count;
    }
    for (size_t i = 0; i < n; ++i) to[start[(key_of(from[i]) >> shift) & (kBuckets - 1)]++] = from[i];
    std::swap(from, to);
  }
  if (from != items.data()) std::copy(from, from + n, items.data());
}

}  // namespace trawl::mesh
