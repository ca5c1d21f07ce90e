#include "scan/base58.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#include "scan/sha256_adapter.hpp"

namespace trawl::scan {
namespace {

constexpr std::string_view kBitcoinChars = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
constexpr std::string_view kXrpChars = "rpshnaf39wBUDNEGHJKLM4PQRST7VWXYZ2bcdeCg65jkm8oFqi1tuvAxyz";

struct DigitTable {
  std::array<std::int8_t, 256> digit{};
};

constexpr DigitTable make_table(std::string_view chars) {
  DigitTable table;
  for (auto& d : table.digit) d = -1;
  for (std::size_t i = 0; i < chars.size(); ++i)
    table.digit[static_cast<unsigned char>(chars[i])] = static_cast<std::int8_t>(i);
  return table;
}

constexpr DigitTable kBitcoinTable = make_table(kBitcoinChars);
constexpr DigitTable kXrpTable = make_table(kXrpChars);

std::string_view chars_of(Base58Alphabet alphabet) {
  return alphabet == Base58Alphabet::xrp ? kXrpChars : kBitcoinChars;
}
const DigitTable& table_of(Base58Alphabet alphabet) {
  return alphabet == Base58Alphabet::xrp ? kXrpTable : kBitcoinTable;
}

constexpr std::size_t kChecksumBytes = 4;

}  // namespace

namespace {

std::size_t leading_zero_chars(std::string_view text, Base58Alphabet alphabet) {
  const char zero_char = chars_of(alphabet)[0];
  std::size_t zeros = 0;
  while (zeros < text.size() && text[zeros] == zero_char) ++zeros;
  return zeros;
}

/// log(58) / log(256) < 0.733: enough big-endian room for `digits` base58 digits.
std::size_t room_for(std::size_t digits) { return digits * 733 / 1000 + 1; }

}  // namespace

std::size_t base58_decoded_size_bound(std::string_view text, Base58Alphabet alphabet) {
  const std::size_t zeros = leading_zero_chars(text, alphabet);
  return zeros + room_for(text.size() - zeros);
}

Result<std::vector<std::uint8_t>> base58_decode(std::string_view text, Base58Alphabet alphabet,
                                                std::size_t max_chars) {
  if (text.size() > max_chars) return make_error(Errc::resource_exhausted, "base58: text too long");
  const auto& table = table_of(alphabet);
  const std::size_t zeros = leading_zero_chars(text, alphabet);
  const std::size_t room = room_for(text.size() - zeros);
  std::vector<std::uint8_t> number(room, 0);
  std::size_t used = 0;  // significant bytes at the end of `number`
  for (std::size_t i = zeros; i < text.size(); ++i) {
    const int digit = table.digit[static_cast<unsigned char>(text[i])];
    if (digit < 0) return make_error(Errc::invalid_argument, "base58: invalid character");
    unsigned carry = static_cast<unsigned>(digit);
    std::size_t n = 0;
    for (auto it = number.rbegin(); it != number.rend() && (carry != 0 || n < used); ++it, ++n) {
      carry += 58u * *it;
      *it = static_cast<std::uint8_t>(carry & 0xff);
      carry >>= 8;
    }
    used = n;
  }
  auto first = number.begin() + static_cast<std::ptrdiff_t>(room - used);
  while (first != number.end() && *first == 0) ++first;
  std::vector<std::uint8_t> out(zeros, 0);
  out.insert(out.end(), first, number.end());
  return out;
}

std::string base58_encode(std::span<const std::uint8_t> bytes, Base58Alphabet alphabet) {
  const std::string_view chars = chars_of(alphabet);
  std::size_t zeros = 0;
  while (zeros < bytes.size() && bytes[zeros] == 0) ++zeros;
  // log(256) / log(58) < 1.38.
  const std::size_t room = (bytes.size() - zeros) * 138 / 100 + 1;
  std::vector<std::uint8_t> digits(room, 0);
  std::size_t used = 0;
  for (std::size_t i = zeros; i < bytes.size(); ++i) {
    unsigned carry = bytes[i];
    std::size_t n = 0;
    for (auto it = digits.rbegin(); it != digits.rend() && (carry != 0 || n < used); ++it, ++n) {
      carry += 256u * *it;
      *it = static_cast<std::uint8_t>(carry % 58);
      carry /= 58;
    }
    used = n;
  }
  auto first = digits.begin() + static_cast<std::ptrdiff_t>(room - used);
  while (first != digits.end() && *first == 0) ++first;
  std::string out(zeros, chars[0]);
  out.reserve(zeros + static_cast<std::size_t>(digits.end() - first));
  for (; first != digits.end(); ++first) out.push_back(chars[*first]);
  return out;
}

Result<std::vector<std::uint8_t>> base58check_decode(std::string_view text, Base58Alphabet alphabet,
                                                     std::size_t max_chars) {
  auto decoded = base58_decode(text, alphabet, max_chars);
  if (!decoded) return decoded.error();
  auto& bytes = *decoded;
  if (bytes.size() <= kChecksumBytes) return make_error(Errc::data_loss, "base58check: too short");
  const std::size_t payload_size = bytes.size() - kChecksumBytes;
  const auto digest = sha256d(std::span(bytes.data(), payload_size));
  if (std::memcmp(digest.data(), bytes.data() + payload_size, kChecksumBytes) != 0)
    return make_error(Errc::data_loss, "base58check: checksum mismatch");
  bytes.resize(payload_size);
  return std::move(bytes);
}

std::string base58check_encode(std::span<const std::uint8_t> payload, Base58Alphabet alphabet) {
  std::vector<std::uint8_t> bytes(payload.begin(), payload.end());
  const auto digest = sha256d(payload);
  bytes.insert(bytes.end(), digest.begin(), digest.begin() + kChecksumBytes);
  return base58_encode(bytes, alphabet);
}

}  // namespace trawl::scan
