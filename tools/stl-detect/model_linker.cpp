#include "stl-detect/model_linker.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>
#include <tuple>

#include "formats/bgcode_gcode.hpp"
#include "formats/gcode_extent.hpp"
#include "formats/model_meta.hpp"
#include "formats/threemf_gcode.hpp"
#include "hash/digest.hpp"
#include "scan/json_lite.hpp"

namespace trawl::tools {
namespace {

std::span<const std::uint8_t> as_u8(std::span<const std::byte> b) {
  return {reinterpret_cast<const std::uint8_t*>(b.data()), b.size()};
}

std::optional<double> number_field(const ModelFields& fields, std::string_view key) {
  for (const auto& [k, v] : fields) {
    if (k != key) continue;
    if (const auto* d = std::get_if<double>(&v)) return *d;
    if (const auto* u = std::get_if<std::uint64_t>(&v)) return static_cast<double>(*u);
    if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  }
  return std::nullopt;
}

std::vector<std::string> string_fields(const ModelFields& fields, std::string_view key) {
  std::vector<std::string> out;
  for (const auto& [k, v] : fields)
    if (k == key)
      if (const auto* s = std::get_if<std::string>(&v)) out.push_back(*s);
  return out;
}

/// Millimetres per unit as the mesh parsers name units (3MF and AMF units; STL, OBJ, PLY are mm).
double unit_scale(const std::string& unit) {
  if (unit == "micron") return 0.001;
  if (unit == "centimeter" || unit == "cm") return 10.0;
  if (unit == "inch" || unit == "in") return 25.4;
  if (unit == "foot" || unit == "ft") return 304.8;
  if (unit == "meter" || unit == "m") return 1000.0;
  return 1.0;
}

std::optional<mesh::Size3> mesh_size(const ModelFields& fields) {
  const auto x = number_field(fields, "size_x"), y = number_field(fields, "size_y"), z = number_field(fields, "size_z");
  if (!x || !y || !z) return std::nullopt;
  const auto units = string_fields(fields, "unit");
  const double s = units.empty() ? 1.0 : unit_scale(units.front());
  return mesh::Size3{*x * s, *y * s, *z * s};
}

/// The `mesh_objects` field of a file of several objects: the extent of each uniquely named object, in mm.
std::map<std::string, mesh::Size3> object_sizes(const ModelFields& fields) {
  std::map<std::string, mesh::Size3> out;
  std::set<std::string> repeated;
  const auto units = string_fields(fields, "unit");
  const double scale = units.empty() ? 1.0 : unit_scale(units.front());
  for (const auto& [k, v] : fields) {
    const auto* json = std::get_if<record::RawJson>(&v);
    if (k != "mesh_objects" || json == nullptr) continue;
    const auto parsed = scan::parse_json_prefix(json->text);
    if (!parsed || parsed->value.type != scan::JsonType::array) continue;
    for (const scan::JsonValue& object : parsed->value.items) {
      const std::string name = object.string_of("name");
      mesh::Size3 size{};
      bool complete = !name.empty();
      const char* axes[] = {"size_x", "size_y", "size_z"};
      for (std::size_t i = 0; i < 3 && complete; ++i) {
        const scan::JsonValue* n = object.find(axes[i]);
        complete = n != nullptr && n->type == scan::JsonType::number;
        if (complete) size[i] = std::strtod(n->text.c_str(), nullptr) * scale;
      }
      if (!complete) continue;
      // Copies of one part share a name and an extent; two different objects of one name have no single one.
      const auto [it, added] = out.emplace(name, size);
      if (!added && !mesh::sizes_agree(it->second, size)) repeated.insert(name);
    }
  }
  for (const auto& name : repeated) out.erase(name);
  return out;
}

/// What a G-code was made from: its labelled objects with the extent of their extrusion moves (on the bed
/// from z = 0, so the height is the top), and names found only in its header.
std::vector<mesh::LinkSource> gcode_sources(const ModelFields& fields, std::span<const std::byte> bytes) {
  const auto extents = formats::gcode_extents(as_u8(bytes));
  auto size_of = [](const formats::GcodeObjectExtent& e) {
    return mesh::Size3{e.max[0] - e.min[0], e.max[1] - e.min[1], e.max[2]};
  };
  std::vector<mesh::LinkSource> out;
  const formats::GcodeObjectExtent* unlabelled = nullptr;
  for (const auto& e : extents) {
    if (e.name.empty()) unlabelled = &e;
    else if (e.name.front() != '#') out.push_back({e.name, size_of(e)});  // "#3": an M486 id never named
  }
  for (const std::string& name : string_fields(fields, "object"))
    if (std::none_of(out.begin(), out.end(), [&](const mesh::LinkSource& s) { return s.name == name; }))
      out.push_back({name, std::nullopt});
  // One named object and moves outside any label: those moves are that object's.
  if (out.size() == 1 && !out.front().size && unlabelled != nullptr) out.front().size = size_of(*unlabelled);
  return out;
}

/// Object names a G-code's header and labels give (gcode_meta's `object`), as describe_model writes them.
ModelFields gcode_objects(std::span<const std::uint8_t> gcode) {
  ModelFields f;
  for (const auto& p : formats::gcode_meta(gcode))
    if (p.key == "object") f.emplace_back(p.key, record::Value(p.value));
  return f;
}

std::string sha256_of(std::span<const std::uint8_t> bytes) {
  hash::MultiDigest digest({hash::Algorithm::sha256});
  digest.update(std::as_bytes(bytes));
  return digest.finish().front().second;
}

}  // namespace

void ModelLinker::add_embedded(const Entry& project, std::span<const std::byte> bytes) {
  for (const formats::EmbeddedGcode& g : formats::threemf_gcode(as_u8(bytes))) {
    Entry e;
    e.source = project.source;
    e.path = project.path + "!/" + g.member;  // as the archive walk names the member
    e.offset = project.offset;
    e.sha256 = sha256_of(g.bytes);
    e.embedded = true;
    if (g.bytes.size() >= 4 && std::equal(g.bytes.begin(), g.bytes.begin() + 4, "GCDE")) {
      const formats::BgcodeGcode b = formats::bgcode_gcode(g.bytes);
      const auto text = std::as_bytes(std::span(b.text.data(), b.text.size()));
      e.format = "bgcode";
      e.model.made_from = gcode_sources(gcode_objects(as_u8(text)), text);
    } else {
      e.format = "gcode";
      e.model.made_from = gcode_sources(gcode_objects(g.bytes), std::as_bytes(std::span(g.bytes)));
    }
    e.evidence = "3mf-" + e.format;
    if (e.model.made_from.empty()) continue;
    std::lock_guard lock(mutex_);
    entries_.push_back(std::move(e));
  }
}

void ModelLinker::add(const record::Record& r, scan::ModelFormat format, const ModelFields& fields,
                      std::span<const std::byte> bytes) {
  Entry e;
  e.source = r.get_string("source").value_or("");
  e.path = r.get_string("path").value_or("");
  e.format = scan::model_format_name(format);
  e.sha256 = r.get_string("sha256").value_or("");
  const bool carved = r.get_bool("carved").value_or(false);
  if (carved) e.offset = r.get_uint("offset");
  switch (format) {
    case scan::ModelFormat::gcode:
      e.model.made_from = gcode_sources(fields, bytes);
      // A slicer project's G-code read as a zip member (Bambu and Prusa Metadata/plate_N.gcode).
      e.evidence = e.path.find(".3mf!/") != std::string::npos ? "3mf-gcode" : "gcode";
      break;
    case scan::ModelFormat::bgcode: {
      const formats::BgcodeGcode g = formats::bgcode_gcode(as_u8(bytes));
      e.model.made_from = gcode_sources(fields, std::as_bytes(std::span(g.text.data(), g.text.size())));
      e.evidence = "bgcode";
      for (std::size_t i = 0; i < g.encodings.size(); ++i) e.evidence += (i ? "," : ":") + g.encodings[i];
      break;
    }
    case scan::ModelFormat::threemf: {
      // A PrusaSlicer project names the mesh files it imported; with one, the project's mesh is that mesh.
      const auto sources = string_fields(fields, "meta.source_file");
      for (const std::string& s : sources)
        e.model.made_from.push_back({s, sources.size() == 1 ? mesh_size(fields) : std::nullopt});
      e.evidence = "3mf-source_file";
      add_embedded(e, bytes);
      break;
    }
    default: break;
  }
  e.model.size = mesh_size(fields);
  if (e.model.size) {
    if (!carved && !e.path.empty()) e.model.names.push_back(e.path.substr(e.path.find_last_of("/\\!") + 1));
    for (const char* key : {"mesh_object", "solid_name"})
      for (std::string& n : string_fields(fields, key)) e.model.names.push_back(std::move(n));
    // Several objects: each object name is compared with its own object's extent.
    const auto objects = object_sizes(fields);
    e.model.name_sizes.resize(e.model.names.size());
    for (std::size_t i = 0; i < e.model.names.size(); ++i)
      if (const auto it = objects.find(e.model.names[i]); it != objects.end()) e.model.name_sizes[i] = it->second;
  }
  if (e.model.made_from.empty() && e.model.names.empty()) return;
  std::lock_guard lock(mutex_);
  entries_.push_back(std::move(e));
}

void ModelLinker::write(record::RecordSink& out) {
  std::lock_guard lock(mutex_);
  // A 3MF's G-code read from the 3MF here and also walked as its member: keep the member's record.
  std::set<std::pair<std::string, std::string>> walked;
  for (const Entry& e : entries_)
    if (!e.embedded) walked.emplace(e.source, e.path);
  std::erase_if(entries_, [&](const Entry& e) { return e.embedded && walked.count({e.source, e.path}) > 0; });
  // Workers finish in any order: sort by address so that the output does not depend on the thread count.
  std::sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) {
    return std::tie(a.source, a.path, a.offset, a.format, a.sha256) < std::tie(b.source, b.path, b.offset, b.format, b.sha256);
  });
  std::vector<mesh::LinkModel> models;
  models.reserve(entries_.size());
  for (const Entry& e : entries_) models.push_back(e.model);
  for (const mesh::ModelLink& link : mesh::link_models(models)) {
    record::Record r("model_link", "stl-detect");
    auto address = [&](const std::string& side, const Entry& e) {
      r.set(side + "_source", e.source);
      r.set(side + "_path", e.path);
      if (e.offset) r.set(side + "_offset", *e.offset);
      r.set(side + "_format", e.format);
      r.set(side + "_sha256", e.sha256);
    };
    address("project", entries_[link.project]);
    address("mesh", entries_[link.mesh]);
    r.set("name", link.name);
    r.set("mesh_name", link.mesh_name);
    r.set("reason", link.size_checked ? "name+extent" : "name");
    r.set("evidence", entries_[link.project].evidence);
    if (link.size_checked) {
      const char* axes[] = {"x", "y", "z"};
      for (std::size_t i = 0; i < 3; ++i) {
        r.set(std::string("project_size_") + axes[i], link.project_size[i]);
        r.set(std::string("mesh_size_") + axes[i], link.mesh_size[i]);
      }
    }
    if (out.write(r) != record::SinkStatus::proceed) return;
  }
}

namespace {

/// A number field as the JSON Lines reader gives it back (a double, or an integer when it has no fraction).
std::optional<double> number_of(const record::Record& r, const std::string& key) {
  const record::Value* v = r.get(key);
  if (v == nullptr) return std::nullopt;
  if (const auto* d = std::get_if<double>(v)) return *d;
  if (const auto* u = std::get_if<std::uint64_t>(v)) return static_cast<double>(*u);
  if (const auto* i = std::get_if<std::int64_t>(v)) return static_cast<double>(*i);
  return std::nullopt;
}

/// Sizes as three number fields PREFIX_x, _y, _z: written and read back exactly (shortest round-trip form).
void set_size(record::Record& r, const std::string& prefix, const std::optional<mesh::Size3>& size) {
  if (!size) return;
  const char* axes[] = {"_x", "_y", "_z"};
  for (std::size_t i = 0; i < 3; ++i) r.set(prefix + axes[i], (*size)[i]);
}

std::optional<mesh::Size3> size_of(const record::Record& r, const std::string& prefix) {
  const auto x = number_of(r, prefix + "_x"), y = number_of(r, prefix + "_y"), z = number_of(r, prefix + "_z");
  if (!x || !y || !z) return std::nullopt;
  return mesh::Size3{*x, *y, *z};
}

}  // namespace

void ModelLinker::save(record::RecordSink& out) {
  std::lock_guard lock(mutex_);
  for (const Entry& e : entries_) {
    record::Record r("link_state", "stl-detect");
    r.set("source", e.source);
    r.set("path", e.path);
    if (e.offset) r.set("offset", *e.offset);
    r.set("format", e.format);
    r.set("sha256", e.sha256);
    r.set("evidence", e.evidence);
    r.set("embedded", e.embedded);
    // Lists as numbered fields: strings keep their exact bytes (the writer's _b64 rule).
    r.set("made_from", static_cast<std::uint64_t>(e.model.made_from.size()));
    for (std::size_t i = 0; i < e.model.made_from.size(); ++i) {
      r.set("made_from_" + std::to_string(i), e.model.made_from[i].name);
      set_size(r, "made_from_" + std::to_string(i), e.model.made_from[i].size);
    }
    r.set("names", static_cast<std::uint64_t>(e.model.names.size()));
    for (std::size_t i = 0; i < e.model.names.size(); ++i) {
      r.set("name_" + std::to_string(i), e.model.names[i]);
      if (i < e.model.name_sizes.size()) set_size(r, "name_" + std::to_string(i), e.model.name_sizes[i]);
    }
    set_size(r, "size", e.model.size);
    if (out.write(r) == record::SinkStatus::stop) return;
  }
}

void ModelLinker::load(const record::Record& r) {
  if (r.type() != "link_state") return;
  Entry e;
  e.source = r.get_string("source").value_or("");
  e.path = r.get_string("path").value_or("");
  e.offset = r.get_uint("offset");
  e.format = r.get_string("format").value_or("");
  e.sha256 = r.get_string("sha256").value_or("");
  e.evidence = r.get_string("evidence").value_or("");
  e.embedded = r.get_bool("embedded").value_or(false);
  // Counts come from a file a unit wrote; still bounded by the fields present.
  for (std::uint64_t i = 0, n = r.get_uint("made_from").value_or(0); i < n; ++i) {
    const auto name = r.get_string("made_from_" + std::to_string(i));
    if (!name) break;
    e.model.made_from.push_back({*name, size_of(r, "made_from_" + std::to_string(i))});
  }
  for (std::uint64_t i = 0, n = r.get_uint("names").value_or(0); i < n; ++i) {
    const auto name = r.get_string("name_" + std::to_string(i));
    if (!name) break;
    e.model.names.push_back(*name);
    e.model.name_sizes.push_back(size_of(r, "name_" + std::to_string(i)));
  }
  e.model.size = size_of(r, "size");
  std::lock_guard lock(mutex_);
  entries_.push_back(std::move(e));
}

}  // namespace trawl::tools
