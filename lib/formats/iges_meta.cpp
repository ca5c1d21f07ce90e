// Provenance of IGES files: the Global section (columns 1-72 of the G
// records), whose fields are Hollerith strings (nHtext) and numbers separated
// by the parameter delimiter the section itself declares (',' by default).
#include <string>
#include <vector>

#include "formats/model_meta.hpp"
#include "formats/model_meta_text.hpp"

namespace trawl::formats {
namespace {

/// Splits the global section into fields; Hollerith strings are decoded.
std::vector<std::string> global_fields(std::string_view g) {
  std::vector<std::string> fields;
  char delim = ',', record_end = ';';
  std::size_t pos = 0;
  while (pos < g.size() && fields.size() < 64) {
    while (pos < g.size() && g[pos] == ' ') ++pos;
    if (pos >= g.size()) break;
    std::string value;
    std::size_t digits = pos;
    while (digits < g.size() && g[digits] >= '0' && g[digits] <= '9') ++digits;
    if (digits > pos && digits < g.size() && g[digits] == 'H' && digits - pos <= 6) {
      const std::size_t n = std::stoul(std::string(g.substr(pos, digits - pos)));
      value = std::string(g.substr(digits + 1, n));
      pos = digits + 1 + n;
      while (pos < g.size() && g[pos] == ' ') ++pos;
    } else {
      const std::size_t start = pos;
      while (pos < g.size() && g[pos] != delim && g[pos] != record_end) ++pos;
      value = std::string(model_text::trim(g.substr(start, pos - start)));
    }
    fields.push_back(value);
    // The first two fields may redefine the delimiters.
    if (fields.size() == 1 && value.size() == 1) delim = value[0];
    if (fields.size() == 2 && value.size() == 1) record_end = value[0];
    if (pos >= g.size() || g[pos] == record_end) break;
    ++pos;  // the delimiter
  }
  return fields;
}

}  // namespace

ModelMeta iges_meta(std::span<const std::uint8_t> bytes) {
  ModelMeta out;
  const std::string_view text = model_text::as_text(bytes);
  std::string global;
  std::uint64_t first = 0;
  bool found = false;
  model_text::for_each_line(text, 0, std::min(text.size(), std::size_t{1} << 20), [&](std::string_view line, std::size_t offset) {
    if (line.size() < 73 || line[72] != 'G') return;
    if (!found) first = offset;
    found = true;
    global += line.substr(0, 72);
  });
  if (!found) return out;
  const std::vector<std::string> f = global_fields(global);
  static constexpr std::pair<std::size_t, const char*> kKeys[] = {
      {3, "sender"}, {4, "file_name"}, {5, "system"}, {6, "preprocessor"}, {12, "receiver"},
      {18, "date"},  {21, "author"},   {22, "organization"}, {25, "modified"}};
  for (const auto& [index, key] : kKeys)
    if (index - 1 < f.size() && !f[index - 1].empty()) out.push_back({key, f[index - 1], first});
  return out;
}

}  // namespace trawl::formats
