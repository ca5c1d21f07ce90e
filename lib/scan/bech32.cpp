#include "scan/bech32.hpp"

#include <array>

namespace trawl::scan {
namespace {

constexpr std::string_view kCharset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
constexpr std::uint32_t kBech32Const = 1;
constexpr std::uint32_t kBech32mConst = 0x2bc830a3;
constexpr std::size_t kChecksumChars = 6;

struct CharsetTable {
  std::array<std::int8_t, 256> value{};
};

constexpr CharsetTable make_table() {
  CharsetTable table;
  for (auto& v : table.value) v = -1;
  for (std::size_t i = 0; i < kCharset.size(); ++i) {
    const auto c = static_cast<unsigned char>(kCharset[i]);
    table.value[c] = static_cast<std::int8_t>(i);
    if (c >= 'a' && c <= 'z') table.value[c - 'a' + 'A'] = static_cast<std::int8_t>(i);
  }
  return table;
}

constexpr CharsetTable kTable = make_table();

constexpr std::uint32_t polymod_step(std::uint32_t chk, std::uint8_t value) {
  constexpr std::array<std::uint32_t, 5> kGen = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
  const std::uint32_t top = chk >> 25;
  chk = ((chk & 0x1ffffff) << 5) ^ value;
  for (int i = 0; i < 5; ++i)
    if ((top >> i) & 1) chk ^= kGen[static_cast<std::size_t>(i)];
  return chk;
}

/// Polymod over the expanded HRP (high bits, 0, low bits) followed by `data`.
std::uint32_t polymod(std::string_view hrp, std::span<const std::uint8_t> data) {
  std::uint32_t chk = 1;
  for (char c : hrp) chk = polymod_step(chk, static_cast<std::uint8_t>(static_cast<unsigned char>(c) >> 5));
  chk = polymod_step(chk, 0);
  for (char c : hrp) chk = polymod_step(chk, static_cast<std::uint8_t>(static_cast<unsigned char>(c) & 31));
  for (auto v : data) chk = polymod_step(chk, v);
  return chk;
}

char to_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool valid_hrp(std::string_view hrp) {
  if (hrp.empty() || hrp.size() > kBech32MaxHrpLength) return false;
  for (char c : hrp) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 33 || u > 126) return false;
  }
  return true;
}

}  // namespace

Result<Bech32Decoded> bech32_decode(std::string_view text, std::size_t max_length) {
  if (text.size() > max_length) return make_error(Errc::invalid_argument, "bech32: too long");
  bool lower = false;
  bool upper = false;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 33 || u > 126) return make_error(Errc::invalid_argument, "bech32: character out of range");
    lower = lower || (u >= 'a' && u <= 'z');
    upper = upper || (u >= 'A' && u <= 'Z');
  }
  if (lower && upper) return make_error(Errc::invalid_argument, "bech32: mixed case");
  const std::size_t separator = text.rfind('1');
  if (separator == std::string_view::npos) return make_error(Errc::invalid_argument, "bech32: no separator");
  if (separator == 0 || separator > kBech32MaxHrpLength)
    return make_error(Errc::invalid_argument, "bech32: bad HRP length");
  if (text.size() - separator - 1 < kChecksumChars)
    return make_error(Errc::invalid_argument, "bech32: checksum too short");
  Bech32Decoded out;
  out.hrp.reserve(separator);
  for (char c : text.substr(0, separator)) out.hrp.push_back(to_lower(c));
  out.data.reserve(text.size() - separator - 1);
  for (char c : text.substr(separator + 1)) {
    const int v = kTable.value[static_cast<unsigned char>(c)];
    if (v < 0) return make_error(Errc::invalid_argument, "bech32: invalid data character");
    out.data.push_back(static_cast<std::uint8_t>(v));
  }
  const std::uint32_t chk = polymod(out.hrp, out.data);
  if (chk == kBech32Const) {
    out.encoding = Bech32Encoding::bech32;
  } else if (chk == kBech32mConst) {
    out.encoding = Bech32Encoding::bech32m;
  } else {
    return make_error(Errc::data_loss, "bech32: checksum mismatch");
  }
  out.data.resize(out.data.size() - kChecksumChars);
  return out;
}

Result<std::string> bech32_encode(std::string_view hrp, std::span<const std::uint8_t> data,
                                  Bech32Encoding encoding) {
  if (!valid_hrp(hrp)) return make_error(Errc::invalid_argument, "bech32: bad HRP");
  std::string lower_hrp;
  lower_hrp.reserve(hrp.size());
  for (char c : hrp) lower_hrp.push_back(to_lower(c));
  std::vector<std::uint8_t> values(data.begin(), data.end());
  for (auto v : values)
    if (v >= 32) return make_error(Errc::invalid_argument, "bech32: data value over 31");
  values.insert(values.end(), kChecksumChars, 0);
  const std::uint32_t target = encoding == Bech32Encoding::bech32m ? kBech32mConst : kBech32Const;
  const std::uint32_t mod = polymod(lower_hrp, values) ^ target;
  std::string out = lower_hrp;
  out.reserve(lower_hrp.size() + 1 + values.size());
  out.push_back('1');
  for (std::size_t i = 0; i < data.size(); ++i) out.push_back(kCharset[data[i]]);
  for (std::size_t i = 0; i < kChecksumChars; ++i) out.push_back(kCharset[(mod >> (5 * (5 - i))) & 31]);
  return out;
}

Result<std::vector<std::uint8_t>> convert_bits(std::span<const std::uint8_t> in, int from_bits, int to_bits,
                                               bool pad) {
  if (from_bits < 1 || from_bits > 8 || to_bits < 1 || to_bits > 8)
    return make_error(Errc::invalid_argument, "convert_bits: bad group size");
  const std::uint32_t max_out = (1u << to_bits) - 1;
  const std::uint32_t max_acc = (1u << (from_bits + to_bits - 1)) - 1;
  std::uint32_t acc = 0;
  int bits = 0;
  std::vector<std::uint8_t> out;
  out.reserve(in.size() * static_cast<std::size_t>(from_bits) / static_cast<std::size_t>(to_bits) + 1);
  for (auto value : in) {
    if ((value >> from_bits) != 0) return make_error(Errc::invalid_argument, "convert_bits: value too wide");
    acc = ((acc << from_bits) | value) & max_acc;
    bits += from_bits;
    while (bits >= to_bits) {
      bits -= to_bits;
      out.push_back(static_cast<std::uint8_t>((acc >> bits) & max_out));
    }
  }
  if (pad) {
    if (bits > 0) out.push_back(static_cast<std::uint8_t>((acc << (to_bits - bits)) & max_out));
  } else if (bits >= from_bits || ((acc << (to_bits - bits)) & max_out) != 0) {
    return make_error(Errc::invalid_argument, "convert_bits: bad padding");
  }
  return out;
}

namespace {

Status check_program(int version, std::size_t size, Bech32Encoding encoding) {
  if (version < 0 || version > 16) return make_error(Errc::data_loss, "segwit: bad witness version");
  if (size < 2 || size > 40) return make_error(Errc::data_loss, "segwit: bad program length");
  if (version == 0 && size != 20 && size != 32)
    return make_error(Errc::data_loss, "segwit: bad program length for version 0");
  const auto expected = version == 0 ? Bech32Encoding::bech32 : Bech32Encoding::bech32m;
  if (encoding != expected) return make_error(Errc::data_loss, "segwit: wrong checksum variant for version");
  return ok_status();
}

}  // namespace

Result<SegwitAddress> segwit_decode(std::string_view text, std::string_view expected_hrp) {
  auto decoded = bech32_decode(text, kBech32MaxLength);
  if (!decoded) return decoded.error();
  if (!expected_hrp.empty() && decoded->hrp != expected_hrp)
    return make_error(Errc::invalid_argument, "segwit: unexpected HRP");
  if (decoded->data.empty()) return make_error(Errc::data_loss, "segwit: empty data");
  const int version = decoded->data[0];
  if (version > 16) return make_error(Errc::data_loss, "segwit: bad witness version");
  auto program = convert_bits(std::span(decoded->data).subspan(1), 5, 8, false);
  if (!program) return make_error(Errc::data_loss, "segwit: bad padding");
  if (auto status = check_program(version, program->size(), decoded->encoding); !status) return status.error();
  SegwitAddress out;
  out.hrp = std::move(decoded->hrp);
  out.witness_version = version;
  out.program = std::move(*program);
  return out;
}

Result<std::string> segwit_encode(std::string_view hrp, int witness_version, std::span<const std::uint8_t> program) {
  const auto encoding = witness_version == 0 ? Bech32Encoding::bech32 : Bech32Encoding::bech32m;
  if (auto status = check_program(witness_version, program.size(), encoding); !status) return status.error();
  auto values = convert_bits(program, 8, 5, true);
  if (!values) return values.error();
  values->insert(values->begin(), static_cast<std::uint8_t>(witness_version));
  auto text = bech32_encode(hrp, *values, encoding);
  if (!text) return text.error();
  if (text->size() > kBech32MaxLength) return make_error(Errc::invalid_argument, "segwit: address too long");
  return text;
}

std::vector<std::uint8_t> segwit_script_pubkey(const SegwitAddress& address) {
  std::vector<std::uint8_t> script;
  script.reserve(address.program.size() + 2);
  script.push_back(address.witness_version == 0 ? std::uint8_t{0}
                                                : static_cast<std::uint8_t>(0x50 + address.witness_version));
  script.push_back(static_cast<std::uint8_t>(address.program.size()));
  script.insert(script.end(), address.program.begin(), address.program.end());
  return script;
}

}  // namespace trawl::scan
