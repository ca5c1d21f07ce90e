#pragma once
// Test-side writers for PrusaSlicer binary G-code: a greedy heatshrink
// encoder, a MeatPack packer (the libbgcode rules: G lines lose their
// spaces, comments either dropped or kept raw between packing commands) and
// a GCDE file builder with CRC32 blocks. Built from the specifications, for
// round trips through the decoders; the decoders are also pinned by vectors
// checked with an independent decoder (see bgcode_gcode_test.cpp).
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "formats/deflate.hpp"

namespace trawl::test_bgcode {

inline std::string heatshrink_encode(const std::string& data, unsigned window_bits, unsigned lookahead_bits) {
  std::vector<int> bits;
  auto put = [&](unsigned v, unsigned n) {
    for (unsigned i = n; i-- > 0;) bits.push_back(static_cast<int>((v >> i) & 1));
  };
  std::size_t i = 0;
  while (i < data.size()) {
    std::size_t best = 0, best_distance = 0;
    const std::size_t max_len = std::min<std::size_t>(std::size_t{1} << lookahead_bits, data.size() - i);
    for (std::size_t d = 1; d <= std::min<std::size_t>(std::size_t{1} << window_bits, i); ++d) {
      std::size_t l = 0;
      while (l < max_len && data[i - d + l] == data[i + l]) ++l;
      if (l > best) best = l, best_distance = d;
    }
    if (best >= 3) {
      put(0, 1);
      put(static_cast<unsigned>(best_distance - 1), window_bits);
      put(static_cast<unsigned>(best - 1), lookahead_bits);
      i += best;
    } else {
      put(1, 1);
      put(static_cast<unsigned char>(data[i]), 8);
      ++i;
    }
  }
  while (bits.size() % 8) bits.push_back(0);
  std::string out;
  for (std::size_t k = 0; k < bits.size(); k += 8) {
    unsigned b = 0;
    for (std::size_t j = 0; j < 8; ++j) b = (b << 1) | static_cast<unsigned>(bits[k + j]);
    out += static_cast<char>(b);
  }
  return out;
}

/// MeatPack of `gcode` (lines ending in '\n'); `keep_comments`: encoding 2.
inline std::string meatpack_encode(const std::string& gcode, bool keep_comments) {
  static const std::string kChars = "0123456789. \nGX";
  auto code = [](char c) { return kChars.find(c); };  // npos: not packable
  std::string out = std::string("\xff\xff\xfb", 3);
  bool packing = true;
  std::size_t start = 0;
  while (start < gcode.size()) {
    std::size_t end = gcode.find('\n', start);
    if (end == std::string::npos) end = gcode.size();
    std::string line = gcode.substr(start, end - start);
    start = end + 1;
    if (line.empty()) continue;
    if (line[0] == ';') {
      if (!keep_comments) continue;
      if (packing) out += std::string("\xff\xff\xfa", 3), packing = false;
      out += line + "\n";
      continue;
    }
    if (const std::size_t c = line.find(';'); c != std::string::npos) line.resize(c);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    if (line.empty()) continue;
    if (line[0] == 'G') line.erase(std::remove(line.begin(), line.end(), ' '), line.end());
    line += '\n';
    if (!packing) out += std::string("\xff\xff\xfb", 3), packing = true;
    for (std::size_t k = 0; k < line.size(); k += 2) {
      const char a = line[k], b = k + 1 < line.size() ? line[k + 1] : '\n';
      const std::size_t ca = code(a), cb = code(b);
      const unsigned lo = ca == std::string::npos ? 0xF : static_cast<unsigned>(ca);
      const unsigned hi = cb == std::string::npos ? 0xF : static_cast<unsigned>(cb);
      out += static_cast<char>((hi << 4) | lo);
      if (lo == 0xF) out += a;
      if (hi == 0xF) out += b;
    }
  }
  return out;
}

inline void put16(std::string& s, std::uint32_t v) {
  s += static_cast<char>(v & 0xff);
  s += static_cast<char>((v >> 8) & 0xff);
}
inline void put32(std::string& s, std::uint32_t v) {
  put16(s, v & 0xffff);
  put16(s, v >> 16);
}

enum class Compression : std::uint16_t { none = 0, deflate = 1, heatshrink11 = 2, heatshrink12 = 3 };
enum class Encoding : std::uint16_t { none = 0, meatpack = 1, meatpack_comments = 2 };

/// A GCDE file with CRC32 blocks, built block by block.
class BgcodeBuilder {
 public:
  BgcodeBuilder() {
    out_ = "GCDE";
    put32(out_, 1);
    put16(out_, 1);
  }
  BgcodeBuilder& metadata(std::uint16_t type, const std::string& ini, Compression c = Compression::none) {
    return block(type, c, 0, ini);
  }
  BgcodeBuilder& gcode(const std::string& text, Compression c, Encoding e) {
    std::string data = text;
    if (e != Encoding::none) data = meatpack_encode(text, e == Encoding::meatpack_comments);
    return block(1, c, static_cast<std::uint16_t>(e), data);
  }
  std::string bytes() const { return out_; }

 private:
  BgcodeBuilder& block(std::uint16_t type, Compression c, std::uint16_t param, const std::string& data) {
    std::string stored = data;
    if (c == Compression::deflate) {
      auto z = formats::deflate_zlib({reinterpret_cast<const std::uint8_t*>(data.data()), data.size()});
      stored.assign(z->begin(), z->end());
    } else if (c == Compression::heatshrink11 || c == Compression::heatshrink12) {
      stored = heatshrink_encode(data, c == Compression::heatshrink11 ? 11 : 12, 4);
    }
    std::string b;
    put16(b, type);
    put16(b, static_cast<std::uint16_t>(c));
    put32(b, static_cast<std::uint32_t>(data.size()));
    if (c != Compression::none) put32(b, static_cast<std::uint32_t>(stored.size()));
    put16(b, param);
    b += stored;
    put32(b, formats::crc32_of({reinterpret_cast<const std::uint8_t*>(b.data()), b.size()}));
    out_ += b;
    return *this;
  }
  std::string out_;
};

}  // namespace trawl::test_bgcode
