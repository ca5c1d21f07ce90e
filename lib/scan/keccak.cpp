#include "scan/keccak.hpp"

#include <cstddef>

namespace trawl::scan {
namespace {

constexpr std::size_t kRate = 136;  // (1600 - 2 * 256) / 8

constexpr std::array<std::uint64_t, 24> kRoundConstants = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
    0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
    0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL};

// Rho rotation offsets and pi lane order, walked along the pi cycle starting at lane 1.
constexpr std::array<int, 24> kRotations = {1,  3,  6,  10, 15, 21, 28, 36, 45, 55, 2,  14,
                                            27, 41, 56, 8,  25, 43, 62, 18, 39, 61, 20, 44};
constexpr std::array<std::size_t, 24> kPiLanes = {10, 7,  11, 17, 18, 3, 5,  16, 8,  21, 24, 4,
                                                  15, 23, 19, 13, 12, 2, 20, 14, 22, 9,  6,  1};

constexpr std::uint64_t rotl(std::uint64_t x, int n) { return (x << n) | (x >> (64 - n)); }

void keccak_f1600(std::array<std::uint64_t, 25>& st) {
  for (std::uint64_t rc : kRoundConstants) {
    std::array<std::uint64_t, 5> c{};
    for (std::size_t x = 0; x < 5; ++x) c[x] = st[x] ^ st[x + 5] ^ st[x + 10] ^ st[x + 15] ^ st[x + 20];
    for (std::size_t x = 0; x < 5; ++x) {
      const std::uint64_t d = c[(x + 4) % 5] ^ rotl(c[(x + 1) % 5], 1);
      for (std::size_t y = 0; y < 25; y += 5) st[y + x] ^= d;
    }
    std::uint64_t carry = st[1];
    for (std::size_t i = 0; i < 24; ++i) {
      const std::size_t lane = kPiLanes[i];
      const std::uint64_t next = st[lane];
      st[lane] = rotl(carry, kRotations[i]);
      carry = next;
    }
    for (std::size_t y = 0; y < 25; y += 5) {
      std::array<std::uint64_t, 5> row{};
      for (std::size_t x = 0; x < 5; ++x) row[x] = st[y + x];
      for (std::size_t x = 0; x < 5; ++x) st[y + x] = row[x] ^ (~row[(x + 1) % 5] & row[(x + 2) % 5]);
    }
    st[0] ^= rc;
  }
}

/// Lanes are little-endian: byte i of the state is byte i % 8 of lane i / 8.
void xor_byte(std::array<std::uint64_t, 25>& st, std::size_t i, std::uint8_t b) {
  st[i / 8] ^= std::uint64_t{b} << (8 * (i % 8));
}

Keccak256Digest sponge(std::span<const std::uint8_t> bytes, std::uint8_t domain) {
  std::array<std::uint64_t, 25> st{};
  std::size_t off = 0;
  while (bytes.size() - off >= kRate) {
    for (std::size_t i = 0; i < kRate; ++i) xor_byte(st, i, bytes[off + i]);
    keccak_f1600(st);
    off += kRate;
  }
  const std::size_t tail = bytes.size() - off;
  for (std::size_t i = 0; i < tail; ++i) xor_byte(st, i, bytes[off + i]);
  xor_byte(st, tail, domain);
  xor_byte(st, kRate - 1, 0x80);
  keccak_f1600(st);
  Keccak256Digest out{};
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<std::uint8_t>(st[i / 8] >> (8 * (i % 8)));
  return out;
}

}  // namespace

Keccak256Digest keccak256(std::span<const std::uint8_t> bytes) { return sponge(bytes, 0x01); }

Keccak256Digest keccak256(std::string_view text) {
  return keccak256(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

Keccak256Digest sha3_256(std::span<const std::uint8_t> bytes) { return sponge(bytes, 0x06); }

}  // namespace trawl::scan
