#include "scan/cashaddr.hpp"

#include <array>

#include "scan/bech32.hpp"

namespace trawl::scan {
namespace {

constexpr std::string_view kCharset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
constexpr std::size_t kChecksumChars = 8;
constexpr std::array<std::size_t, 8> kHashBytes = {20, 24, 28, 32, 40, 48, 56, 64};

int charset_value(char c) {
  const auto pos = kCharset.find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

char to_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool valid_prefix(std::string_view prefix) {
  if (prefix.empty()) return false;
  for (char c : prefix)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  return true;
}

std::vector<std::uint8_t> checksum_input(std::string_view prefix, std::span<const std::uint8_t> data) {
  std::vector<std::uint8_t> values;
  values.reserve(prefix.size() + 1 + data.size() + kChecksumChars);
  for (char c : prefix) values.push_back(static_cast<std::uint8_t>(static_cast<unsigned char>(c) & 31));
  values.push_back(0);
  values.insert(values.end(), data.begin(), data.end());
  return values;
}

}  // namespace

std::uint64_t cashaddr_polymod(std::span<const std::uint8_t> values) {
  std::uint64_t c = 1;
  for (auto d : values) {
    const std::uint64_t c0 = c >> 35;
    c = ((c & 0x07ffffffffULL) << 5) ^ d;
    if (c0 & 0x01) c ^= 0x98f2bc8e61ULL;
    if (c0 & 0x02) c ^= 0x79b76d99e2ULL;
    if (c0 & 0x04) c ^= 0xf33e5fb3c4ULL;
    if (c0 & 0x08) c ^= 0xae2eabe2a8ULL;
    if (c0 & 0x10) c ^= 0x1e4f43e470ULL;
  }
  return c ^ 1;
}

Result<CashAddrPayload> cashaddr_decode_raw(std::string_view text, std::string_view default_prefix,
                                            std::size_t max_length) {
  if (text.size() > max_length) return make_error(Errc::invalid_argument, "cashaddr: too long");
  bool lower = false;
  bool upper = false;
  for (char c : text) {
    lower = lower || (c >= 'a' && c <= 'z');
    upper = upper || (c >= 'A' && c <= 'Z');
  }
  if (lower && upper) return make_error(Errc::invalid_argument, "cashaddr: mixed case");
  CashAddrPayload out;
  std::string_view payload = text;
  if (const auto colon = text.find(':'); colon != std::string_view::npos) {
    for (char c : text.substr(0, colon)) out.prefix.push_back(to_lower(c));
    payload = text.substr(colon + 1);
  } else {
    for (char c : default_prefix) out.prefix.push_back(to_lower(c));
  }
  if (!valid_prefix(out.prefix)) return make_error(Errc::invalid_argument, "cashaddr: bad prefix");
  if (payload.size() < kChecksumChars) return make_error(Errc::invalid_argument, "cashaddr: checksum too short");
  out.data.reserve(payload.size());
  for (char c : payload) {
    const int v = charset_value(to_lower(c));
    if (v < 0) return make_error(Errc::invalid_argument, "cashaddr: invalid payload character");
    out.data.push_back(static_cast<std::uint8_t>(v));
  }
  if (cashaddr_polymod(checksum_input(out.prefix, out.data)) != 0)
    return make_error(Errc::data_loss, "cashaddr: checksum mismatch");
  out.data.resize(out.data.size() - kChecksumChars);
  return out;
}

Result<std::string> cashaddr_encode_raw(std::string_view prefix, std::span<const std::uint8_t> data) {
  std::string lower_prefix;
  for (char c : prefix) lower_prefix.push_back(to_lower(c));
  if (!valid_prefix(lower_prefix)) return make_error(Errc::invalid_argument, "cashaddr: bad prefix");
  for (auto v : data)
    if (v >= 32) return make_error(Errc::invalid_argument, "cashaddr: data value over 31");
  auto values = checksum_input(lower_prefix, data);
  values.insert(values.end(), kChecksumChars, 0);
  const std::uint64_t mod = cashaddr_polymod(values);
  std::string out = lower_prefix;
  out.push_back(':');
  for (auto v : data) out.push_back(kCharset[v]);
  for (std::size_t i = 0; i < kChecksumChars; ++i) out.push_back(kCharset[(mod >> (5 * (7 - i))) & 31]);
  return out;
}

Result<CashAddress> cashaddr_decode(std::string_view text, std::string_view default_prefix, std::size_t max_length) {
  auto raw = cashaddr_decode_raw(text, default_prefix, max_length);
  if (!raw) return raw.error();
  auto bytes = convert_bits(raw->data, 5, 8, false);
  if (!bytes) return make_error(Errc::data_loss, "cashaddr: bad padding");
  if (bytes->empty()) return make_error(Errc::data_loss, "cashaddr: no version byte");
  const std::uint8_t version = (*bytes)[0];
  if (version & 0x80) return make_error(Errc::data_loss, "cashaddr: reserved version bit set");
  CashAddress out;
  out.prefix = std::move(raw->prefix);
  out.version = version;
  out.type = (version >> 3) & 0x0f;
  out.hash.assign(bytes->begin() + 1, bytes->end());
  if (out.type <= 3 && out.hash.size() != kHashBytes[version & 7])
    return make_error(Errc::data_loss, "cashaddr: hash length does not match the size bits");
  return out;
}

Result<std::string> cashaddr_encode(std::string_view prefix, int type, std::span<const std::uint8_t> hash) {
  if (type < 0 || type > 15) return make_error(Errc::invalid_argument, "cashaddr: bad type");
  std::size_t size_bits = 0;
  while (size_bits < kHashBytes.size() && kHashBytes[size_bits] != hash.size()) ++size_bits;
  if (size_bits == kHashBytes.size()) return make_error(Errc::invalid_argument, "cashaddr: bad hash length");
  std::vector<std::uint8_t> bytes;
  bytes.reserve(hash.size() + 1);
  bytes.push_back(static_cast<std::uint8_t>((type << 3) | static_cast<int>(size_bits)));
  bytes.insert(bytes.end(), hash.begin(), hash.end());
  auto data = convert_bits(bytes, 8, 5, true);
  if (!data) return data.error();
  return cashaddr_encode_raw(prefix, *data);
}

}  // namespace trawl::scan
