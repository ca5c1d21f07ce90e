#include "mesh/model_link.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

namespace trawl::mesh {
namespace {

bool alnum(unsigned char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c >= 0x80; }

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() > suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

/// "_id_<digits>_copy_<digits>" at the end (PrusaSlicer's object labels): its start, else npos.
std::size_t prusa_copy_suffix(std::string_view s) {
  const std::size_t id = s.rfind("_id_");
  if (id == std::string_view::npos) return std::string_view::npos;
  std::string_view rest = s.substr(id + 4);
  std::size_t i = 0;
  while (i < rest.size() && rest[i] >= '0' && rest[i] <= '9') ++i;
  if (i == 0 || rest.substr(i, 6) != "_copy_") return std::string_view::npos;
  rest = rest.substr(i + 6);
  if (rest.empty() || !std::all_of(rest.begin(), rest.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::string_view::npos;
  return id;
}

bool close(double a, double b) { return std::fabs(a - b) <= std::max(1.5, 0.03 * std::max(std::fabs(a), std::fabs(b))); }

}  // namespace

std::string link_name_key(std::string_view name) {
  if (const std::size_t cut = name.find_last_of("/\\!"); cut != std::string_view::npos) name = name.substr(cut + 1);
  std::string key;
  bool gap = false;
  for (char ch : name) {
    const auto c = static_cast<unsigned char>(std::tolower(static_cast<unsigned char>(ch)));
    if (alnum(c)) {
      if (gap && !key.empty()) key += '_';
      key += static_cast<char>(c);
      gap = false;
    } else {
      gap = true;
    }
  }
  if (const std::size_t copy = prusa_copy_suffix(key); copy != std::string::npos) key.resize(copy);
  for (std::string_view ext : {"_stl", "_obj", "_ply", "_3mf", "_amf", "_step", "_stp", "_igs", "_iges", "_scad",
                               "_fcstd", "_gcode", "_bgcode", "_f3d", "_blend"})
    if (ends_with(key, ext)) {
      key.resize(key.size() - ext.size());
      break;
    }
  return key;
}

bool sizes_agree(const Size3& made, const Size3& mesh) {
  if (!close(made[2], mesh[2])) return false;
  return (close(made[0], mesh[0]) && close(made[1], mesh[1])) || (close(made[0], mesh[1]) && close(made[1], mesh[0]));
}

std::vector<ModelLink> link_models(const std::vector<LinkModel>& models) {
  // Mesh names by key: a project looks up its names instead of comparing with every mesh.
  std::map<std::string, std::vector<std::pair<std::size_t, std::size_t>>> by_key;  // key -> (mesh, name)
  for (std::size_t m = 0; m < models.size(); ++m)
    for (std::size_t n = 0; n < models[m].names.size(); ++n) {
      std::string key = link_name_key(models[m].names[n]);
      if (!key.empty()) by_key[std::move(key)].emplace_back(m, n);
    }
  std::vector<ModelLink> links;
  for (std::size_t p = 0; p < models.size(); ++p) {
    std::map<std::size_t, ModelLink> best;  // by mesh: the mesh order of the output
    for (const LinkSource& source : models[p].made_from) {
      const auto it = by_key.find(link_name_key(source.name));
      if (it == by_key.end()) continue;
      for (const auto& [m, n] : it->second) {
        if (m == p) continue;
        const std::optional<Size3>& mesh_size =
            n < models[m].name_sizes.size() && models[m].name_sizes[n] ? models[m].name_sizes[n] : models[m].size;
        const bool sized = source.size && mesh_size;
        if (sized && !sizes_agree(*source.size, *mesh_size)) continue;  // same name, another object
        const auto found = best.find(m);
        if (found != best.end() && (found->second.size_checked || !sized)) continue;
        ModelLink link;
        link.project = p;
        link.mesh = m;
        link.name = source.name;
        link.mesh_name = models[m].names[n];
        link.size_checked = sized;
        if (sized) {
          link.project_size = *source.size;
          link.mesh_size = *mesh_size;
        }
        best[m] = link;
      }
    }
    for (auto& [m, link] : best) links.push_back(std::move(link));
  }
  return links;
}

}  // namespace trawl::mesh
