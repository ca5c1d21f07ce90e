#include "scan/descriptor_checksum.hpp"

#include <array>
#include <cstdint>
#include <vector>

namespace trawl::scan {
namespace {

constexpr std::string_view kInputCharset =
    "0123456789()[],'/*abcdefgh@:$%{}IJKLMNOPQRSTUVWXYZ&+-.;<=>?!^_|~ijklmnopqrstuvwxyzABCDEFGH`#\"\\ ";
constexpr std::string_view kChecksumCharset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
constexpr std::array<std::uint64_t, 5> kGenerator = {0xf5dee51989, 0xa9fdca3312, 0x1bab10e32d, 0x3706b1677a,
                                                     0x644d626ffd};

std::uint64_t polymod(std::uint64_t chk, std::uint64_t value) {
  const std::uint64_t top = chk >> 35;
  chk = ((chk & 0x7ffffffff) << 5) ^ value;
  for (std::size_t i = 0; i < 5; ++i) {
    if ((top >> i) & 1) chk ^= kGenerator[i];
  }
  return chk;
}

/// The BIP380 symbol expansion folded into the polymod; nullopt on a character outside the charset.
std::optional<std::uint64_t> expand(std::string_view text) {
  std::uint64_t chk = 1;
  std::array<std::uint64_t, 3> groups{};
  std::size_t count = 0;
  for (char c : text) {
    const auto at = kInputCharset.find(c);
    if (at == std::string_view::npos) return std::nullopt;
    chk = polymod(chk, at & 31);
    groups[count++] = at >> 5;
    if (count == 3) {
      chk = polymod(chk, groups[0] * 9 + groups[1] * 3 + groups[2]);
      count = 0;
    }
  }
  if (count == 1) chk = polymod(chk, groups[0]);
  if (count == 2) chk = polymod(chk, groups[0] * 3 + groups[1]);
  return chk;
}

}  // namespace

bool descriptor_checksum_valid(std::string_view text) {
  if (text.size() < 9 || text[text.size() - 9] != '#') return false;
  auto chk = expand(text.substr(0, text.size() - 9));
  if (!chk) return false;
  for (char c : text.substr(text.size() - 8)) {
    const auto at = kChecksumCharset.find(c);
    if (at == std::string_view::npos) return false;
    *chk = polymod(*chk, at);
  }
  return *chk == 1;
}

std::optional<std::string> descriptor_add_checksum(std::string_view descriptor) {
  auto chk = expand(descriptor);
  if (!chk) return std::nullopt;
  for (int i = 0; i < 8; ++i) *chk = polymod(*chk, 0);
  const std::uint64_t checksum = *chk ^ 1;
  std::string out(descriptor);
  out += '#';
  for (int i = 0; i < 8; ++i) out += kChecksumCharset[(checksum >> (5 * (7 - i))) & 31];
  return out;
}

}  // namespace trawl::scan
