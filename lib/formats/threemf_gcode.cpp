#include "formats/threemf_gcode.hpp"

#include "formats/mesh_parse_internal.hpp"

namespace trawl::formats {
namespace {

bool gcode_member(std::string_view name) {
  auto ends = [&](std::string_view suffix) {
    return name.size() > suffix.size() && name.substr(name.size() - suffix.size()) == suffix;
  };
  return name.substr(0, 9) == "Metadata/" && (ends(".gcode") || ends(".bgcode"));
}

}  // namespace

std::vector<EmbeddedGcode> threemf_gcode(std::span<const std::uint8_t> zip, std::uint64_t max_member) {
  std::vector<std::string> warnings;  // a damaged member is left out; the 3MF's own record says why
  auto parts = detail::read_zip_parts(zip, max_member, gcode_member, warnings);
  std::vector<EmbeddedGcode> out;
  if (!parts) return out;
  for (auto& p : *parts) out.push_back({std::move(p.name), std::move(p.bytes)});
  return out;
}

}  // namespace trawl::formats
