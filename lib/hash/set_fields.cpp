// Field helpers shared by the known-set readers: hex digests and sizes.
#include <cctype>
#include <string>

#include "core/hex.hpp"
#include "hash/set_readers.hpp"

namespace trawl::hash {
namespace {

template <size_t N>
bool store(std::optional<std::array<uint8_t, N>>& slot, std::string_view hex) {
  std::array<uint8_t, N> bytes{};
  if (!parse_hex_into(hex, bytes)) return false;
  slot = bytes;
  return true;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

/// The first non-hex character, for messages.
std::string describe_bad_hex(std::string_view hex) {
  for (size_t i = 0; i < hex.size(); ++i) {
    if (!is_hex_digit(hex[i])) return "not a hex digit at position " + std::to_string(i + 1) + " of the digest";
  }
  return "";
}

}  // namespace

bool is_hex_digit(char c) { return hex_digit_value(c) >= 0; }

bool parse_hex_into(std::string_view hex, std::span<uint8_t> out) {
  if (hex.size() != out.size() * 2) return false;
  for (size_t i = 0; i < out.size(); ++i) {
    const int hi = hex_digit_value(hex[2 * i]);
    const int lo = hex_digit_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return true;
}

std::string set_digest_by_length(KnownEntry& entry, std::string_view hex) {
  if (std::string bad = describe_bad_hex(hex); !bad.empty()) return bad;
  switch (hex.size()) {
    case 32: store(entry.md5, hex); return "";
    case 40: store(entry.sha1, hex); return "";
    case 64: store(entry.sha256, hex); return "";
    case 128: store(entry.sha512, hex); return "";
    default:
      return "digest of " + std::to_string(hex.size()) +
             " hex digits is none of MD5 (32), SHA-1 (40), SHA-256 (64), SHA-512 (128)";
  }
}

std::string set_digest_named(KnownEntry& entry, std::string_view algorithm, std::string_view hex) {
  size_t want = 0;
  bool ok = false;
  if (equals_ignoring_case(algorithm, "md5")) {
    want = 32;
    ok = store(entry.md5, hex);
  } else if (equals_ignoring_case(algorithm, "sha1") || equals_ignoring_case(algorithm, "sha-1")) {
    want = 40;
    ok = store(entry.sha1, hex);
  } else if (equals_ignoring_case(algorithm, "sha256") || equals_ignoring_case(algorithm, "sha-256")) {
    want = 64;
    ok = store(entry.sha256, hex);
  } else if (equals_ignoring_case(algorithm, "sha512") || equals_ignoring_case(algorithm, "sha-512")) {
    want = 128;
    ok = store(entry.sha512, hex);
  } else {
    return "unsupported algorithm " + std::string(algorithm.substr(0, 32));
  }
  if (ok) return "";
  if (std::string bad = describe_bad_hex(hex); !bad.empty()) return bad;
  return std::string(algorithm.substr(0, 32)) + " digest of " + std::to_string(hex.size()) + " hex digits, expected " +
         std::to_string(want);
}

std::optional<uint64_t> parse_decimal(std::string_view text) {
  if (text.empty() || text.size() > 20) return std::nullopt;
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (value > (UINT64_MAX - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

bool has_digest(const KnownEntry& entry) {
  return entry.md5 || entry.sha1 || entry.sha256 || entry.sha512 || entry.pdq;
}

Result<bool> next_set_line(LineReader& lines, SetLine& line, SetReadContext& context) {
  for (;;) {
    auto more = lines.next(line);
    if (!more || !*more) return more;
    if (!line.too_long) return true;
    context.problem(line.number, line.offset, "line longer than " + std::to_string(kSetMaxLine) + " bytes");
    if (context.stopped()) return false;
  }
}

}  // namespace trawl::hash
