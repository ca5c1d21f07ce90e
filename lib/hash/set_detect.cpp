#include "hash/set_detect.hpp"

#include <cctype>

#include "hash/set_readers.hpp"

namespace trawl::hash {
namespace {

constexpr std::string_view kSqliteMagic{"SQLite format 3\0", 16};
constexpr size_t kLinesToTry = 64;  ///< non-blank lines looked at before giving up

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

/// `MD5 (name) = hex`, optionally preceded by the escape mark `\`.
bool is_bsd_tag_line(std::string_view line) {
  if (!line.empty() && line[0] == '\\') line.remove_prefix(1);
  size_t n = 0;
  while (n < line.size() && n <= 16 && (std::isalnum(static_cast<unsigned char>(line[n])) || line[n] == '-')) ++n;
  return n >= 2 && n <= 16 && line.substr(n, 2) == " (" && line.find(") = ", n) != std::string_view::npos;
}

std::optional<SetFormat> classify_line(std::string_view line) {
  if (line.starts_with("%%%% HASHDEEP") || line.starts_with("%%%% size")) return SetFormat::hashdeep;
  if (starts_with_ignoring_case(line, "\"SHA-1\",")) return SetFormat::nsrl_rds2;
  if (line.starts_with("#")) return std::nullopt;
  if (is_bsd_tag_line(line)) return SetFormat::md5sum;
  const bool escaped = line.starts_with("\\");
  if (escaped) line.remove_prefix(1);
  size_t n = 0;
  while (n < line.size() && is_hex_digit(line[n])) ++n;
  if (n == 64 && !escaped && n < line.size() && line[n] == ',') return SetFormat::pdq;
  if (n != 32 && n != 40 && n != 64 && n != 128) return std::nullopt;
  if (n == line.size()) return escaped ? std::nullopt : std::optional(SetFormat::plain);
  if (line[n] == ' ' && n + 1 < line.size() && (line[n + 1] == ' ' || line[n + 1] == '*')) return SetFormat::md5sum;
  if (!escaped && (line[n] == ' ' || line[n] == '\t')) return SetFormat::plain;
  return std::nullopt;
}

}  // namespace

std::optional<SetFormat> detect_set_format(std::string_view head) {
  if (head.starts_with(kSqliteMagic)) return SetFormat::nsrl_rds3;
  if (head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);
  const size_t first = head.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return std::nullopt;
  if (head[first] == '{' || head[first] == '[') return SetFormat::vics;
  size_t tried = 0;
  while (!head.empty() && tried < kLinesToTry) {
    const size_t end = head.find('\n');
    std::string_view line = head.substr(0, end);
    head = end == std::string_view::npos ? std::string_view{} : head.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    ++tried;
    if (auto format = classify_line(line)) return format;
  }
  return std::nullopt;
}

}  // namespace trawl::hash
