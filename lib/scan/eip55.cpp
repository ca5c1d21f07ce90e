#include "scan/eip55.hpp"

#include "scan/keccak.hpp"

namespace trawl::scan {
namespace {

constexpr std::size_t kHexDigits = 40;

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
char to_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
char to_upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

bool well_formed(std::string_view text) {
  if (text.size() != 2 + kHexDigits || text[0] != '0' || text[1] != 'x') return false;
  for (char c : text.substr(2))
    if (!is_hex(c)) return false;
  return true;
}

/// `0x` + the digits, each letter upper-cased iff its nibble of keccak256(lower-case hex ASCII) >= 8.
std::string checksummed(std::string_view text) {
  std::string lower(kHexDigits, '0');
  for (std::size_t i = 0; i < kHexDigits; ++i) lower[i] = to_lower(text[2 + i]);
  const auto hash = keccak256(std::string_view(lower));
  std::string out = "0x";
  out.reserve(2 + kHexDigits);
  for (std::size_t i = 0; i < kHexDigits; ++i) {
    const unsigned nibble = (i % 2 == 0) ? (hash[i / 2] >> 4) : (hash[i / 2] & 0x0f);
    out.push_back(nibble >= 8 ? to_upper(lower[i]) : lower[i]);
  }
  return out;
}

}  // namespace

const char* eip55_status_name(Eip55Status status) {
  switch (status) {
    case Eip55Status::checksum_valid: return "checksum_valid";
    case Eip55Status::all_lower: return "all_lower";
    case Eip55Status::all_upper: return "all_upper";
    case Eip55Status::checksum_invalid: return "checksum_invalid";
    case Eip55Status::malformed: return "malformed";
  }
  return "malformed";
}

Eip55Status eip55_check(std::string_view text) {
  if (!well_formed(text)) return Eip55Status::malformed;
  bool lower = false;
  bool upper = false;
  for (char c : text.substr(2)) {
    lower = lower || (c >= 'a' && c <= 'f');
    upper = upper || (c >= 'A' && c <= 'F');
  }
  if (!upper) return Eip55Status::all_lower;
  if (!lower) return Eip55Status::all_upper;
  return checksummed(text) == text ? Eip55Status::checksum_valid : Eip55Status::checksum_invalid;
}

std::optional<std::string> eip55_encode(std::string_view text) {
  if (!well_formed(text)) return std::nullopt;
  return checksummed(text);
}

}  // namespace trawl::scan
