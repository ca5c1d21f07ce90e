#pragma once
// Lower-case hex of raw bytes: how records show values that are not text
// (digests, PDQ hashes, undecodable metadata).
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>

namespace trawl {

/// Two lower-case hex digits per byte, for at most `max_bytes` bytes (a cap
/// keeps a huge invalid value from blowing up a record).
std::string hex_lower(std::span<const uint8_t> bytes, size_t max_bytes = std::numeric_limits<size_t>::max());

/// The value of one hex digit (either case), or -1 for any other byte.
constexpr int hex_digit_value(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace trawl
