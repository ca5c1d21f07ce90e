// Provenance of OpenSCAD sources: the modules a file defines, the meshes it
// imports (often the names of the original downloads), and the top-level
// parameters (the customizer variables) before the first module.
#include <string>

#include "formats/model_meta.hpp"
#include "formats/model_meta_text.hpp"

namespace trawl::formats {
namespace {

bool ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$'; }
bool ident_char(char c) { return ident_start(c) || (c >= '0' && c <= '9'); }

std::string_view identifier(std::string_view s, std::size_t pos) {
  std::size_t end = pos;
  if (end < s.size() && ident_start(s[end])) ++end;
  else return {};
  while (end < s.size() && ident_char(s[end])) ++end;
  return s.substr(pos, end - pos);
}

}  // namespace

ModelMeta scad_meta(std::span<const std::uint8_t> bytes) {
  ModelMeta out;
  const std::string_view text = model_text::as_text(bytes);
  int depth = 0;
  bool module_seen = false;
  std::size_t i = 0;
  while (i < text.size() && out.size() < 10000) {
    const char c = text[i];
    if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      const std::size_t nl = text.find('\n', i);
      i = nl == std::string_view::npos ? text.size() : nl + 1;
      continue;
    }
    if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      const std::size_t close = text.find("*/", i + 2);
      i = close == std::string_view::npos ? text.size() : close + 2;
      continue;
    }
    if (c == '"') {  // a string outside import(): skip it
      ++i;
      while (i < text.size() && text[i] != '"') i += text[i] == '\\' ? 2 : 1;
      ++i;
      continue;
    }
    if (c == '{') ++depth;
    if (c == '}' && depth > 0) --depth;
    if (!ident_start(c) || (i > 0 && ident_char(text[i - 1]))) {
      ++i;
      continue;
    }
    const std::string_view word = identifier(text, i);
    std::size_t after = i + word.size();
    while (after < text.size() && (text[after] == ' ' || text[after] == '\t')) ++after;
    if (word == "module" || word == "function") {
      std::size_t name_at = after;
      const std::string_view name = identifier(text, name_at);
      if (!name.empty()) {
        if (word == "module") {
          out.push_back({"module", std::string(name), name_at});
          module_seen = true;
        }
        i = name_at + name.size();
        continue;
      }
    } else if ((word == "import" || word == "surface" || word == "include" || word == "use") && after < text.size()) {
      const char open = text[after];
      std::size_t q = text.find_first_of("\"<\n;", after);
      if ((open == '(' || open == '<') && q != std::string_view::npos && (text[q] == '"' || text[q] == '<')) {
        const char close = text[q] == '"' ? '"' : '>';
        const std::size_t end = text.find(close, q + 1);
        if (end != std::string_view::npos && end - q < 4096) {
          out.push_back({word == "import" || word == "surface" ? "import" : word == "use" ? "use" : "include",
                         std::string(text.substr(q + 1, end - q - 1)), q + 1});
          i = end + 1;
          continue;
        }
      }
    } else if (depth == 0 && !module_seen && after < text.size() && text[after] == '=' &&
               (after + 1 >= text.size() || text[after + 1] != '=')) {
      const std::size_t semi = text.find(';', after);
      if (semi != std::string_view::npos && semi - after < 4096) {
        out.push_back({"parameter", std::string(word) + " = " + std::string(model_text::trim(text.substr(after + 1, semi - after - 1))), i});
        i = semi + 1;
        continue;
      }
    }
    i += word.size();
  }
  return out;
}

}  // namespace trawl::formats
