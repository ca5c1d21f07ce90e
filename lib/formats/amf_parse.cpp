// AMF (ISO/ASTM 52915): XML, plain or as the single member of a zip (the
// first bytes "PK" tell, as PrusaSlicer does). <amf unit=...> holds
// <object>s, each a <mesh> of <vertices> (<vertex><coordinates><x>..) and
// one or more <volume>s of <triangle><v1><v2><v3>; every object becomes one
// MeshObject with its volumes merged. Constellations (instances) are not
// expanded: each object is reported once, untransformed.
#include "formats/mesh_parse_internal.hpp"
#include "formats/mesh_xml.hpp"
#include "formats/xml_reader.hpp"

namespace trawl::formats::detail {
namespace {

std::optional<double> child_number(const XmlElement& el, std::string_view name) {
  const auto* c = find_child(el, name);
  if (c == nullptr) return std::nullopt;
  return parse_number(trimmed(c->text));
}

bool any_member(std::string_view name) { return !name.empty() && name.back() != '/'; }

}  // namespace

Result<MeshFile> parse_amf(std::span<const uint8_t> bytes, const MeshLimits& limits) {
  MeshFile file;
  file.format = MeshFormat::amf;
  std::vector<ZipPart> parts;
  std::span<const uint8_t> xml_bytes = bytes;
  if (bytes.size() >= 2 && bytes[0] == 'P' && bytes[1] == 'K') {
    auto read = read_zip_parts(bytes, limits.max_zip_part, any_member, file.warnings);
    if (!read.ok()) return make_error(Errc::data_loss, "amf: " + read.error().detail);
    parts = std::move(read.value());
    if (parts.empty()) return make_error(Errc::data_loss, "amf: empty zip");
    xml_bytes = parts.front().bytes;
  }
  XmlLimits xml_limits;
  xml_limits.max_elements = std::min<uint64_t>(3 * (limits.max_triangles + limits.max_vertices) + 100'000, 20'000'000);
  xml_limits.max_bytes = std::max<uint64_t>(xml_limits.max_bytes, limits.max_zip_part);
  auto xml = parse_xml(xml_bytes, xml_limits);
  if (!xml.ok()) return make_error(xml.error().code, "amf: " + xml.error().detail);
  const XmlElement& root = *xml;
  if (root.local != "amf") return make_error(Errc::data_loss, "amf: root is not <amf>");
  if (const auto* unit = find_attribute(root, "unit")) {
    if (const auto known = unit_from_name(unit->value)) {
      file.unit = *known;
      file.unit_source = mesh::UnitSource::declared;
    } else {
      file.warnings.push_back("amf: unknown unit '" + printable(unit->value.substr(0, 32)) + "'");
    }
  }
  uint64_t bad = 0;
  uint64_t total_vertices = 0;
  for (const auto& el : root.children) {
    if (el.local == "metadata") {
      file.metadata.emplace_back(attribute_or(el, "type"), trimmed(el.text));
      continue;
    }
    if (el.local != "object") continue;
    MeshObject object;
    for (const auto& md : el.children)
      if (md.local == "metadata" && attribute_or(md, "type") == "name") object.name = trimmed(md.text);
    MeshBuilder builder(limits.max_vertices);
    for (const auto& mesh_el : el.children) {
      if (mesh_el.local != "mesh") continue;
      std::vector<mesh::Vec3> vertices;
      if (const auto* vs = find_child(mesh_el, "vertices")) {
        for (const auto& v : vs->children) {
          if (v.local != "vertex") continue;
          if (++total_vertices > limits.max_vertices)
            return make_error(Errc::resource_exhausted, "amf: more vertices than the limit");
          const auto* coords = find_child(v, "coordinates");
          mesh::Vec3 p{};
          if (coords != nullptr) {
            const auto x = child_number(*coords, "x"), y = child_number(*coords, "y"), z = child_number(*coords, "z");
            if (x && y && z) p = {*x, *y, *z};
            else ++bad;
          } else {
            ++bad;
          }
          vertices.push_back(p);
        }
      }
      for (const auto& volume : mesh_el.children) {
        if (volume.local != "volume") continue;
        for (const auto& t : volume.children) {
          if (t.local != "triangle") continue;
          uint32_t idx[3] = {0, 0, 0};
          bool ok = true;
          const char* names[3] = {"v1", "v2", "v3"};
          for (int k = 0; k < 3 && ok; ++k) {
            const auto value = child_number(t, names[k]);
            ok = value && *value >= 0 && *value < static_cast<double>(vertices.size());
            if (ok) idx[k] = static_cast<uint32_t>(*value);
          }
          if (!ok) {
            ++bad;
            continue;
          }
          if (file.parsed_triangles >= limits.max_triangles)
            return make_error(Errc::resource_exhausted, "amf: more triangles than the limit");
          if (!builder.triangle(vertices[idx[0]], vertices[idx[1]], vertices[idx[2]]))
            return make_error(Errc::resource_exhausted, "amf: more vertices than the limit");
          ++file.parsed_triangles;
        }
      }
    }
    object.mesh = builder.take();
    file.objects.push_back(std::move(object));
  }
  if (bad > 0) file.warnings.push_back("amf: " + std::to_string(bad) + " malformed vertices or triangles");
  file.consumed_bytes = bytes.size();
  return file;
}

}  // namespace trawl::formats::detail
