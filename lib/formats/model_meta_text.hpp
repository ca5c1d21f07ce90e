#pragma once
// Internal to the model_meta parsers: line iteration over a byte span.
#include <cstdint>
#include <span>
#include <string_view>

namespace trawl::formats::model_text {

inline std::string_view as_text(std::span<const std::uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

/// Calls visit(line_without_eol, offset) for every line of text[from, to).
template <typename Visit>
void for_each_line(std::string_view text, std::size_t from, std::size_t to, Visit&& visit) {
  std::size_t pos = from;
  while (pos < to) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos || end > to) end = to;
    std::string_view line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    visit(line, pos);
    pos = end + 1;
  }
}

inline bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

}  // namespace trawl::formats::model_text
