// Wavefront OBJ: `v x y z [w]` vertices (global), `f a b c ...` faces whose
// indices are 1-based or negative (relative to the vertices read so far),
// each optionally `a/t/n`; polygons are fan-triangulated. `o` and `g` start
// a new object. Texture, normal, curve and material statements are skipped.
#include <algorithm>
#include <charconv>
#include <cctype>

#include "formats/mesh_parse_internal.hpp"

namespace trawl::formats::detail {
namespace {

std::optional<int64_t> parse_index(std::string_view token) {
  const size_t slash = token.find('/');
  if (slash != std::string_view::npos) token = token.substr(0, slash);
  if (!token.empty() && token.front() == '+') token.remove_prefix(1);
  int64_t value = 0;
  const auto* end = token.data() + token.size();
  const auto [ptr, ec] = std::from_chars(token.data(), end, value);
  if (token.empty() || ec != std::errc() || ptr != end || value == 0) return std::nullopt;
  return value;
}

bool names_exporter(std::string_view comment) {
  std::string lower(comment.substr(0, 200));
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const char* word : {"blender", "produced by", "exported", "created", "generated", "exporter", "written by"})
    if (lower.find(word) != std::string::npos) return true;
  return false;
}

}  // namespace

Result<MeshFile> parse_obj(std::span<const uint8_t> bytes, const MeshLimits& limits) {
  MeshFile file;
  file.format = MeshFormat::obj;
  std::string_view text = as_text(bytes);
  if (const size_t nul = text.find('\0'); nul != std::string_view::npos) text = text.substr(0, nul);
  file.consumed_bytes = text.size();

  std::vector<mesh::Vec3> vertices;
  MeshBuilder builder(limits.max_vertices);
  std::string name;
  uint64_t skipped_faces = 0;
  bool exporter_seen = false;
  size_t comments = 0;
  std::vector<uint32_t> polygon;
  auto flush = [&] {
    if (builder.triangle_count() > 0) file.objects.push_back({name, builder.take()});
    builder = MeshBuilder(limits.max_vertices);
  };

  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    // Backslash continues a statement on the next line; rare, and only in faces of hand-written files.
    Tokenizer tok(line);
    const std::string_view keyword = tok.next();
    if (keyword.empty()) continue;
    if (keyword.front() == '#') {
      std::string_view comment = line.substr(line.find('#') + 1);
      const std::string clean = printable(comment.substr(comment.find_first_not_of(" \t") == std::string_view::npos
                                                             ? comment.size()
                                                             : comment.find_first_not_of(" \t")));
      if (clean.empty()) continue;
      if (file.header.empty()) file.header = clean;
      if (!exporter_seen && names_exporter(clean)) {
        file.metadata.emplace_back("exporter", clean);
        exporter_seen = true;
      } else if (comments < 16) {
        file.metadata.emplace_back("comment", clean);
        ++comments;
      }
      continue;
    }
    if (keyword == "v") {
      mesh::Vec3 v{};
      bool ok = true;
      for (size_t c = 0; c < 3 && ok; ++c) {
        const auto value = parse_number(tok.next());
        ok = value.has_value();
        if (ok) v[c] = *value;
      }
      if (!ok) {
        // Keep numbering right: a broken vertex still takes its index.
        file.warnings.push_back("obj: malformed vertex near byte " + std::to_string(pos));
        v = {0, 0, 0};
      }
      if (vertices.size() >= limits.max_vertices)
        return make_error(Errc::resource_exhausted, "obj: more vertices than the limit of " +
                                                        std::to_string(limits.max_vertices));
      vertices.push_back(v);
    } else if (keyword == "f") {
      polygon.clear();
      bool ok = true;
      for (std::string_view t = tok.next(); !t.empty() && ok; t = tok.next()) {
        const auto index = parse_index(t);
        const int64_t count = static_cast<int64_t>(vertices.size());
        if (!index) {
          ok = false;
        } else {
          const int64_t i = *index > 0 ? *index - 1 : count + *index;
          ok = i >= 0 && i < count;
          if (ok) polygon.push_back(static_cast<uint32_t>(i));
        }
      }
      if (!ok || polygon.size() < 3) {
        ++skipped_faces;
        continue;
      }
      for (size_t k = 1; k + 1 < polygon.size(); ++k) {
        if (file.parsed_triangles >= limits.max_triangles)
          return make_error(Errc::resource_exhausted,
                            "obj: more triangles than the limit of " + std::to_string(limits.max_triangles));
        if (!builder.triangle(vertices[polygon[0]], vertices[polygon[k]], vertices[polygon[k + 1]]))
          return make_error(Errc::resource_exhausted, "obj: more vertices than the limit of " +
                                                          std::to_string(limits.max_vertices));
        ++file.parsed_triangles;
      }
    } else if (keyword == "o" || keyword == "g") {
      flush();
      name = printable(tok.rest_of_line());
    } else if (keyword == "mtllib") {
      file.metadata.emplace_back("mtllib", printable(tok.rest_of_line()));
    }
  }
  flush();
  if (skipped_faces > 0)
    file.warnings.push_back("obj: " + std::to_string(skipped_faces) + " faces with bad or out-of-range indices skipped");
  if (file.objects.empty() && vertices.empty()) return make_error(Errc::data_loss, "obj: no vertices");
  return file;
}

}  // namespace trawl::formats::detail
