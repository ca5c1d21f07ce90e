#pragma once
// Little/big-endian reads of binary structures (wallet files, ext2/3/4
// directory and pointer blocks). Callers check `off + n <= size` with fits()
// before reading.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/hex.hpp"

namespace trawl::bytes {

inline bool fits(std::span<const std::byte> b, std::size_t off, std::size_t n) {
  return off <= b.size() && n <= b.size() - off;
}
inline std::uint8_t u8(std::span<const std::byte> b, std::size_t off) { return static_cast<std::uint8_t>(b[off]); }
inline std::uint16_t u16le(std::span<const std::byte> b, std::size_t off) {
  return static_cast<std::uint16_t>(u8(b, off) | (u8(b, off + 1) << 8));
}
inline std::uint32_t u32le(std::span<const std::byte> b, std::size_t off) {
  return static_cast<std::uint32_t>(u8(b, off)) | (static_cast<std::uint32_t>(u8(b, off + 1)) << 8) |
         (static_cast<std::uint32_t>(u8(b, off + 2)) << 16) | (static_cast<std::uint32_t>(u8(b, off + 3)) << 24);
}
inline std::uint16_t u16be(std::span<const std::byte> b, std::size_t off) {
  return static_cast<std::uint16_t>((u8(b, off) << 8) | u8(b, off + 1));
}
inline std::uint32_t u32be(std::span<const std::byte> b, std::size_t off) {
  return (static_cast<std::uint32_t>(u8(b, off)) << 24) | (static_cast<std::uint32_t>(u8(b, off + 1)) << 16) |
         (static_cast<std::uint32_t>(u8(b, off + 2)) << 8) | static_cast<std::uint32_t>(u8(b, off + 3));
}
inline std::string_view text(std::span<const std::byte> b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}
inline std::span<const std::byte> span_of(std::string_view s) {
  return {reinterpret_cast<const std::byte*>(s.data()), s.size()};
}
inline std::string hex(std::span<const std::byte> b) {
  return hex_lower({reinterpret_cast<const std::uint8_t*>(b.data()), b.size()});
}
/// Bitcoin CompactSize at `off`; sets `used`. False when truncated.
inline bool compact_size(std::span<const std::byte> b, std::size_t off, std::uint64_t& value, std::size_t& used) {
  if (!fits(b, off, 1)) return false;
  const std::uint8_t first = u8(b, off);
  if (first < 0xfd) {
    value = first;
    used = 1;
    return true;
  }
  if (first == 0xfd) {
    if (!fits(b, off, 3)) return false;
    value = u16le(b, off + 1);
    used = 3;
    return true;
  }
  if (first == 0xfe) {
    if (!fits(b, off, 5)) return false;
    value = u32le(b, off + 1);
    used = 5;
    return true;
  }
  return false;  // 8-byte sizes never occur in wallet records
}
/// A CompactSize-prefixed string at `off`; advances `off`. False when truncated.
inline bool compact_string(std::span<const std::byte> b, std::size_t& off, std::span<const std::byte>& out) {
  std::uint64_t n = 0;
  std::size_t used = 0;
  if (!compact_size(b, off, n, used)) return false;
  if (!fits(b, off + used, static_cast<std::size_t>(n)) || n > b.size()) return false;
  out = b.subspan(off + used, static_cast<std::size_t>(n));
  off += used + static_cast<std::size_t>(n);
  return true;
}

}  // namespace trawl::bytes
