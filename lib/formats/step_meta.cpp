// Provenance of STEP (ISO 10303-21) files: the HEADER section entities
// FILE_DESCRIPTION, FILE_NAME and FILE_SCHEMA. Strings are kept as written
// (\X2\...\X0\ escapes included) so nothing is guessed.
#include <string>
#include <vector>

#include "formats/model_meta.hpp"
#include "formats/model_meta_text.hpp"

namespace trawl::formats {
namespace {

/// A parameter: a string, a list of strings, or another token ($, *, a number).
struct Param {
  std::vector<std::string> values;
  bool list = false;
};

constexpr int kMaxDepth = 8;

/// Parses `( p, p, ... )` at text[pos] into params; returns false on bad syntax.
bool parse_list(std::string_view text, std::size_t& pos, std::vector<std::string>& flat, int depth) {
  if (depth > kMaxDepth || pos >= text.size() || text[pos] != '(') return false;
  ++pos;
  while (pos < text.size()) {
    const char c = text[pos];
    if (c == ')') {
      ++pos;
      return true;
    }
    if (c == ',' || c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      ++pos;
    } else if (c == '\'') {
      std::string s;
      ++pos;
      while (pos < text.size()) {
        if (text[pos] == '\'') {
          if (pos + 1 < text.size() && text[pos + 1] == '\'') {
            s += '\'';
            pos += 2;
            continue;
          }
          break;
        }
        s += text[pos++];
      }
      if (pos >= text.size()) return false;
      ++pos;
      flat.push_back(std::move(s));
    } else if (c == '(') {
      if (!parse_list(text, pos, flat, depth + 1)) return false;
    } else {
      while (pos < text.size() && text[pos] != ',' && text[pos] != ')') ++pos;
    }
  }
  return false;
}

/// The top-level parameters of ENTITY(...) starting at `at` (the '(' position).
std::vector<Param> top_params(std::string_view text, std::size_t at) {
  std::vector<Param> params;
  if (at >= text.size() || text[at] != '(') return params;
  std::size_t pos = at + 1;
  while (pos < text.size() && params.size() < 32) {
    const char c = text[pos];
    if (c == ')') break;
    if (c == ',' || c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      ++pos;
      continue;
    }
    Param p;
    if (c == '(') {
      p.list = true;
      if (!parse_list(text, pos, p.values, 1)) break;
    } else if (c == '\'') {
      std::vector<std::string> one;
      std::string wrapped = "(";  // reuse the list parser on a one-string list
      std::size_t end = pos + 1;
      while (end < text.size() && !(text[end] == '\'' && (end + 1 >= text.size() || text[end + 1] != '\''))) {
        end += text[end] == '\'' ? 2 : 1;
      }
      if (end >= text.size()) break;
      wrapped += std::string(text.substr(pos, end + 1 - pos)) + ")";
      std::size_t wpos = 0;
      if (!parse_list(wrapped, wpos, one, 1)) break;
      p.values = std::move(one);
      pos = end + 1;
    } else {
      const std::size_t start = pos;
      while (pos < text.size() && text[pos] != ',' && text[pos] != ')') ++pos;
      const std::string_view token = model_text::trim(text.substr(start, pos - start));
      if (token != "$" && token != "*") p.values.emplace_back(token);
    }
    params.push_back(std::move(p));
  }
  return params;
}

void add(ModelMeta& out, const char* key, const std::vector<Param>& params, std::size_t index, std::uint64_t offset) {
  if (index >= params.size()) return;
  for (const std::string& v : params[index].values)
    if (!v.empty()) out.push_back({key, v, offset});
}

}  // namespace

ModelMeta step_meta(std::span<const std::uint8_t> bytes) {
  ModelMeta out;
  std::string_view text = model_text::as_text(bytes);
  const std::size_t header = text.find("HEADER;");
  if (header == std::string_view::npos) return out;
  std::size_t end = text.find("ENDSEC;", header);
  if (end == std::string_view::npos) end = std::min(text.size(), header + (std::size_t{1} << 20));
  text = text.substr(0, end);
  auto entity = [&](std::string_view name) -> std::size_t {
    std::size_t at = text.find(name, header);
    if (at == std::string_view::npos) return at;
    at += name.size();
    while (at < text.size() && (text[at] == ' ' || text[at] == '\n' || text[at] == '\r')) ++at;
    return at;
  };
  if (std::size_t at = entity("FILE_DESCRIPTION"); at != std::string_view::npos) {
    const auto p = top_params(text, at);
    add(out, "description", p, 0, at);
    add(out, "implementation_level", p, 1, at);
  }
  if (std::size_t at = entity("FILE_NAME"); at != std::string_view::npos) {
    const auto p = top_params(text, at);
    static constexpr const char* kKeys[] = {"file_name",         "time_stamp",   "author",           "organization",
                                            "preprocessor", "originating_system", "authorization"};
    for (std::size_t i = 0; i < 7; ++i) add(out, kKeys[i], p, i, at);
  }
  if (std::size_t at = entity("FILE_SCHEMA"); at != std::string_view::npos) add(out, "file_schema", top_params(text, at), 0, at);
  return out;
}

}  // namespace trawl::formats
