// PDQ hash lists as Meta's reference tools write them: `hash,quality,name`
// or `hash,name`, the hash 64 hex digits (256 bits, word 15 first).
#include <string>

#include "hash/set_readers.hpp"

namespace trawl::hash {
namespace {

/// Problem text, or empty when `line` became `entry`.
std::string parse_pdq_line(std::string_view line, KnownEntry& entry) {
  const size_t comma = line.find(',');
  const std::string_view hex = line.substr(0, comma);
  std::array<uint8_t, 32> hash{};
  if (!parse_hex_into(hex, hash)) {
    for (size_t i = 0; i < hex.size(); ++i) {
      if (!is_hex_digit(hex[i])) return "not a hex digit at position " + std::to_string(i + 1) + " of the PDQ hash";
    }
    return "PDQ hash of " + std::to_string(hex.size()) + " hex digits, expected 64";
  }
  entry.pdq = hash;
  if (comma == std::string_view::npos) return "";
  std::string_view rest = line.substr(comma + 1);
  const size_t second = rest.find(',');
  const std::string_view field = rest.substr(0, second);
  const auto quality = parse_decimal(field);
  if (quality && *quality <= 100) {
    entry.pdq_quality = static_cast<int>(*quality);
    if (second != std::string_view::npos) entry.name = std::string(rest.substr(second + 1));
    return "";
  }
  // `hash,name` (no quality) is what the tools print without --details; a
  // second field of digits or an empty one was meant as the quality.
  if (field.find_first_not_of("0123456789") == std::string_view::npos) return "quality is not an integer from 0 to 100";
  entry.name = std::string(rest);
  return "";
}

}  // namespace

Status read_pdq_list(SetSource& source, SetReadContext& context) {
  LineReader lines(source);
  SetLine line;
  while (!context.stopped()) {
    auto more = next_set_line(lines, line, context);
    if (!more) return more.error();
    if (!*more) break;
    if (line.text.find_first_not_of(" \t") == std::string_view::npos || line.text.starts_with("#")) continue;
    KnownEntry entry;
    if (std::string problem = parse_pdq_line(line.text, entry); !problem.empty()) {
      context.problem(line.number, line.offset, problem);
      continue;
    }
    context.entry(entry);
  }
  return ok_status();
}

}  // namespace trawl::hash
