// 3MF (3D Manufacturing Format): an OPC zip. `_rels/.rels` names the root
// model part (usually 3D/3dmodel.model). Its <resources> hold objects, each a
// <mesh> (vertices, triangles) or <components> referring to other objects
// with a transform, possibly in other model parts (production extension
// p:path). <build><item> lists what is printed, each with its own transform;
// every item becomes one MeshObject with all transforms applied. Metadata,
// thumbnails and the slicer flavour files (PrusaSlicer, Bambu, Cura) are
// collected for provenance.
#include <algorithm>
#include <array>
#include <map>
#include <memory>

#include "formats/mesh_parse_internal.hpp"
#include "formats/mesh_xml.hpp"
#include "formats/xml_reader.hpp"

namespace trawl::formats::detail {
namespace {

/// 3MF affine transform "m00 m01 m02 m10 m11 m12 m20 m21 m22 m30 m31 m32":
/// a point is a row vector, p' = [x y z 1] · M (rows 0–2 linear, row 3 translation).
using Transform = std::array<double, 12>;
constexpr Transform kIdentity{1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0};
constexpr unsigned kMaxComponentDepth = 16;

std::optional<Transform> parse_transform(std::string_view text) {
  Transform t{};
  Tokenizer tok(text);
  for (double& value : t) {
    const auto v = parse_number(tok.next());
    if (!v) return std::nullopt;
    value = *v;
  }
  if (!tok.at_end()) return std::nullopt;
  return t;
}

mesh::Vec3 apply(const Transform& m, const mesh::Vec3& p) {
  return {p[0] * m[0] + p[1] * m[3] + p[2] * m[6] + m[9], p[0] * m[1] + p[1] * m[4] + p[2] * m[7] + m[10],
          p[0] * m[2] + p[1] * m[5] + p[2] * m[8] + m[11]};
}

/// First `inner`, then `outer`.
Transform compose(const Transform& inner, const Transform& outer) {
  Transform out{};
  for (size_t r = 0; r < 4; ++r)
    for (size_t c = 0; c < 3; ++c) {
      double v = r == 3 ? outer[9 + c] : 0;
      for (size_t k = 0; k < 3; ++k) v += inner[r * 3 + k] * outer[k * 3 + c];
      out[r * 3 + c] = v;
    }
  return out;
}

struct Component {
  std::string object_id;
  std::string path;  ///< other model part ("" = the same one)
  Transform transform = kIdentity;
};

struct Object {
  std::string name;
  mesh::Mesh mesh;  ///< as written, not welded
  std::vector<Component> components;
};

struct ModelPart {
  std::string unit;  ///< unit attribute as written ("" when absent)
  std::map<std::string, Object> objects;
  std::vector<Component> items;  ///< build items
};

std::string normalise_path(std::string_view path) {
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  return std::string(path);
}

bool wanted_member(std::string_view name) {
  auto ends = [&](std::string_view suffix) {
    return name.size() >= suffix.size() && name.substr(name.size() - suffix.size()) == suffix;
  };
  if (ends(".rels") || ends(".model")) return true;
  if (name.substr(0, 9) == "Metadata/" &&
      (ends(".png") || ends(".jpg") || ends(".jpeg") || ends(".config")))
    return true;
  return name.substr(0, 5) == "Cura/" && ends(".cfg");
}

class Parser {
 public:
  Parser(std::vector<ZipPart> parts, const MeshLimits& limits, MeshFile& file)
      : parts_(std::move(parts)), limits_(limits), file_(file) {}

  Status run() {
    const std::string root = root_model_path();
    if (root.empty()) return make_error(Errc::data_loss, "3mf: no 3D model part");
    auto part = load(root);
    if (!part.ok()) return part.error();
    const ModelPart& model = *part.value();
    if (!model.unit.empty()) {
      const auto unit = unit_from_name(model.unit);
      if (unit) file_.unit = *unit;
      else file_.warnings.push_back("3mf: unknown unit '" + printable(model.unit.substr(0, 32)) + "', millimetres assumed");
    }
    // The 3MF core spec makes millimetre the default, so the unit is always the file's word.
    file_.unit_source = mesh::UnitSource::declared;
    std::vector<Component> items = model.items;
    if (items.empty()) {
      file_.warnings.push_back("3mf: no build items; every object is reported untransformed");
      for (const auto& [id, object] : model.objects) items.push_back({id, "", kIdentity});
    }
    for (const auto& item : items) {
      MeshBuilder builder(limits_.max_vertices);
      std::string name;
      const std::string path = item.path.empty() ? root : normalise_path(item.path);
      auto status = flatten(path, item.object_id, item.transform, builder, 0, &name);
      if (!status.ok()) return status;
      if (builder.triangle_count() == 0) continue;
      file_.objects.push_back({name, builder.take()});
    }
    collect_flavour_metadata();
    return ok_status();
  }

 private:
  const ZipPart* part(std::string_view name) const {
    for (const auto& p : parts_)
      if (p.name == name) return &p;
    return nullptr;
  }

  std::string root_model_path() {
    if (const ZipPart* rels = part("_rels/.rels")) {
      auto xml = parse_xml(rels->bytes);
      if (xml.ok()) {
        for (const auto& r : xml->children) {
          if (r.local != "Relationship") continue;
          const std::string type = attribute_or(r, "Type");
          if (type.size() >= 8 && type.substr(type.size() - 8) == "/3dmodel") {
            const std::string target = normalise_path(attribute_or(r, "Target"));
            if (part(target) != nullptr) return target;
          }
        }
      } else {
        file_.warnings.push_back("3mf: _rels/.rels: " + xml.error().detail);
      }
    }
    if (part("3D/3dmodel.model") != nullptr) return "3D/3dmodel.model";
    for (const auto& p : parts_)
      if (p.name.size() > 6 && p.name.substr(p.name.size() - 6) == ".model") return p.name;
    return {};
  }

  Result<const ModelPart*> load(const std::string& path) {
    if (auto it = cache_.find(path); it != cache_.end()) return it->second.get();
    const ZipPart* zip_part = part(path);
    if (zip_part == nullptr) return make_error(Errc::data_loss, "3mf: model part " + path + " missing");
    XmlLimits xml_limits;
    xml_limits.max_elements = std::min<uint64_t>(limits_.max_triangles + limits_.max_vertices + 100'000, 20'000'000);
    xml_limits.max_bytes = std::max<uint64_t>(xml_limits.max_bytes, limits_.max_zip_part);
    auto xml = parse_xml(zip_part->bytes, xml_limits);
    if (!xml.ok()) return make_error(xml.error().code, "3mf: " + path + ": " + xml.error().detail);
    auto model = std::make_unique<ModelPart>();
    const XmlElement& root = *xml;
    if (root.local != "model") return make_error(Errc::data_loss, "3mf: " + path + ": root is not <model>");
    model->unit = attribute_or(root, "unit");
    const bool is_root = cache_.empty();
    for (const auto& el : root.children) {
      if (el.local == "metadata" && is_root) {
        const std::string name = attribute_or(el, "name");
        if (!name.empty()) file_.metadata.emplace_back(name, trimmed(el.text));
      } else if (el.local == "resources") {
        for (const auto& res : el.children)
          if (res.local == "object") {
            auto status = read_object(res, *model);
            if (!status.ok()) return status.error();
          }
      } else if (el.local == "build") {
        for (const auto& item : el.children) {
          if (item.local != "item") continue;
          Component c;
          c.object_id = attribute_or(item, "objectid");
          c.path = attribute_or(item, "path");
          if (!read_transform(item, c.transform)) continue;
          model->items.push_back(std::move(c));
        }
      }
    }
    auto [it, inserted] = cache_.emplace(path, std::move(model));
    return it->second.get();
  }

  bool read_transform(const XmlElement& el, Transform& out) {
    const auto* attr = find_attribute(el, "transform");
    if (attr == nullptr) return true;
    const auto t = parse_transform(attr->value);
    if (!t) {
      file_.warnings.push_back("3mf: bad transform '" + printable(attr->value.substr(0, 64)) + "'; item skipped");
      return false;
    }
    out = *t;
    return true;
  }

  Status read_object(const XmlElement& el, ModelPart& model) {
    Object object;
    object.name = attribute_or(el, "name");
    const std::string id = attribute_or(el, "id");
    // Cura and Bambu put per-object names in a metadata group.
    if (const auto* group = find_child(el, "metadatagroup"))
      for (const auto& md : group->children)
        if (md.local == "metadata") {
          const std::string name = attribute_or(md, "name");
          if (!name.empty() && file_.metadata.size() < 512) file_.metadata.emplace_back(name, trimmed(md.text));
        }
    if (const auto* mesh_el = find_child(el, "mesh")) {
      if (const auto* vertices = find_child(*mesh_el, "vertices")) {
        for (const auto& v : vertices->children) {
          if (v.local != "vertex") continue;
          if (total_vertices_++ >= limits_.max_vertices)
            return make_error(Errc::resource_exhausted, "3mf: more vertices than the limit");
          mesh::Vec3 p{};
          bool ok = true;
          const char* names[3] = {"x", "y", "z"};
          for (size_t c = 0; c < 3; ++c) {
            const auto value = parse_number(trimmed(attribute_or(v, names[c])));
            ok = ok && value.has_value();
            p[c] = value.value_or(0);
          }
          if (!ok) ++bad_vertices_;
          object.mesh.vertices.push_back(p);
        }
      }
      if (const auto* triangles = find_child(*mesh_el, "triangles")) {
        for (const auto& t : triangles->children) {
          if (t.local != "triangle") continue;
          mesh::Triangle tri{};
          bool ok = true;
          const char* names[3] = {"v1", "v2", "v3"};
          for (size_t k = 0; k < 3; ++k) {
            const auto value = parse_number(trimmed(attribute_or(t, names[k])));
            ok = ok && value && *value >= 0 && *value < static_cast<double>(object.mesh.vertices.size()) &&
                 *value == static_cast<double>(static_cast<uint32_t>(*value));
            if (ok) tri[k] = static_cast<uint32_t>(*value);
          }
          if (!ok) {
            ++bad_triangles_;
            continue;
          }
          object.mesh.triangles.push_back(tri);
        }
      }
    }
    if (const auto* components = find_child(el, "components")) {
      for (const auto& c : components->children) {
        if (c.local != "component") continue;
        Component comp;
        comp.object_id = attribute_or(c, "objectid");
        comp.path = attribute_or(c, "path");
        if (!read_transform(c, comp.transform)) continue;
        object.components.push_back(std::move(comp));
      }
    }
    model.objects[id] = std::move(object);
    return ok_status();
  }

  Status flatten(const std::string& path, const std::string& id, const Transform& transform, MeshBuilder& builder,
                 unsigned depth, std::string* name) {
    if (depth > kMaxComponentDepth) return make_error(Errc::data_loss, "3mf: components nested too deep (a cycle?)");
    auto part = load(path);
    if (!part.ok()) return part.error();
    const auto it = part.value()->objects.find(id);
    if (it == part.value()->objects.end()) {
      file_.warnings.push_back("3mf: object " + printable(id.substr(0, 32)) + " not found in " + path);
      return ok_status();
    }
    const Object& object = it->second;
    if (name != nullptr) *name = object.name;
    for (const auto& t : object.mesh.triangles) {
      if (file_.parsed_triangles >= limits_.max_triangles)
        return make_error(Errc::resource_exhausted, "3mf: more triangles than the limit");
      if (!builder.triangle(apply(transform, object.mesh.vertices[t[0]]), apply(transform, object.mesh.vertices[t[1]]),
                            apply(transform, object.mesh.vertices[t[2]])))
        return make_error(Errc::resource_exhausted, "3mf: more vertices than the limit");
      ++file_.parsed_triangles;
    }
    for (const auto& c : object.components) {
      const std::string child_path = c.path.empty() ? path : normalise_path(c.path);
      auto status = flatten(child_path, c.object_id, compose(c.transform, transform), builder, depth + 1, nullptr);
      if (!status.ok()) return status;
    }
    return ok_status();
  }

  /// Names and identities from the slicer flavour files.
  void collect_flavour_metadata() {
    static constexpr std::string_view kConfigKeys[] = {"name", "source_file", "source_object_id", "source_volume_id"};
    for (const auto& p : parts_) {
      const std::string_view name = p.name;
      if (name.substr(0, 9) == "Metadata/" && (name.ends_with(".png") || name.ends_with(".jpg") || name.ends_with(".jpeg"))) {
        file_.thumbnails.emplace_back(p.name, p.bytes);
        continue;
      }
      if (name == "Metadata/Slic3r_PE_model.config" || name == "Metadata/model_settings.config") {
        auto xml = parse_xml(p.bytes);
        if (!xml.ok()) {
          file_.warnings.push_back("3mf: " + p.name + ": " + xml.error().detail);
          continue;
        }
        collect_config(*xml, kConfigKeys, 0);
      } else if (name == "Metadata/project_settings.config") {
        // Bambu writes JSON here; a few identity strings are enough.
        const std::string_view text = as_text(p.bytes);
        for (std::string_view key : {"printer_model", "printer_settings_id", "print_settings_id", "filament_settings_id"}) {
          const size_t at = text.find("\"" + std::string(key) + "\"");
          if (at == std::string_view::npos) continue;
          const size_t open = text.find('"', text.find(':', at) + 1);
          const size_t close = open == std::string_view::npos ? open : text.find('"', open + 1);
          if (close == std::string_view::npos || close - open > 256) continue;
          file_.metadata.emplace_back(std::string(key), printable(text.substr(open + 1, close - open - 1)));
        }
      } else if (name.substr(0, 5) == "Cura/" && name.ends_with(".cfg")) {
        // Cura stacks: "[general]" ... "name = <machine or profile>".
        Tokenizer lines(as_text(p.bytes));
        while (!lines.at_end()) {
          const std::string_view line = lines.rest_of_line();
          if (line.substr(0, 4) != "name") continue;
          const size_t eq = line.find('=');
          if (eq == std::string_view::npos) continue;
          file_.metadata.emplace_back("cura:" + std::string(name.substr(5, name.size() - 9)),
                                      printable(trimmed(line.substr(eq + 1))));
          break;
        }
      }
    }
  }

  void collect_config(const XmlElement& el, std::span<const std::string_view> keys, unsigned depth) {
    if (depth > 32 || file_.metadata.size() > 4096) return;
    if (el.local == "metadata") {
      const std::string key = attribute_or(el, "key");
      if (std::find(keys.begin(), keys.end(), key) != keys.end())
        file_.metadata.emplace_back(key, printable(attribute_or(el, "value")));
    }
    for (const auto& c : el.children) collect_config(c, keys, depth + 1);
  }

 public:
  void finish() {
    if (bad_vertices_ > 0) file_.warnings.push_back("3mf: " + std::to_string(bad_vertices_) + " vertices with bad coordinates");
    if (bad_triangles_ > 0)
      file_.warnings.push_back("3mf: " + std::to_string(bad_triangles_) + " triangles with bad indices skipped");
  }

 private:
  std::vector<ZipPart> parts_;
  const MeshLimits& limits_;
  MeshFile& file_;
  std::map<std::string, std::unique_ptr<ModelPart>> cache_;
  uint64_t total_vertices_ = 0;
  uint64_t bad_vertices_ = 0;
  uint64_t bad_triangles_ = 0;
};

}  // namespace

Result<MeshFile> parse_threemf(std::span<const uint8_t> bytes, const MeshLimits& limits) {
  MeshFile file;
  file.format = MeshFormat::threemf;
  auto parts = read_zip_parts(bytes, limits.max_zip_part, wanted_member, file.warnings);
  if (!parts.ok()) return make_error(Errc::data_loss, "3mf: " + parts.error().detail);
  Parser parser(std::move(parts.value()), limits, file);
  auto status = parser.run();
  if (!status.ok()) return status.error();
  parser.finish();
  file.consumed_bytes = bytes.size();  // the zip's own end is the carver's business
  return file;
}

}  // namespace trawl::formats::detail
