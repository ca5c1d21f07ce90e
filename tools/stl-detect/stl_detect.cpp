#include "stl-detect/stl_detect.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <memory>

#include "common/file_output.hpp"
#include "core/utf8.hpp"
#include "formats/bgcode_gcode.hpp"
#include "formats/gcode_extent.hpp"
#include "formats/mesh_parse.hpp"
#include "formats/model_meta.hpp"
#include "hash/digest.hpp"
#include "io/chunker.hpp"
#include "io/item_record.hpp"
#include "mesh/geometry_hash.hpp"
#include "mesh/measure.hpp"
#include "mesh/cue_table.hpp"
#include "mesh/primitives.hpp"
#include "record/jsonl_writer.hpp"
#include "stl-detect/model_assessor.hpp"
#include "stl-detect/model_linker.hpp"

namespace trawl::tools {
namespace {

constexpr std::size_t kPageSize = std::size_t{512} << 10;
/// Files up to this size are read whole to detect and hash them; larger ones are carved as streams.
constexpr std::uint64_t kMaxWholeFile = std::uint64_t{1} << 30;

std::span<const std::uint8_t> as_u8(std::span<const std::byte> b) {
  return {reinterpret_cast<const std::uint8_t*>(b.data()), b.size()};
}

std::string lower_extension(const std::string& path) {
  const std::size_t slash = path.find_last_of("/!");
  const std::size_t dot = path.rfind('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return {};
  std::string ext = path.substr(dot + 1);
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

const char* extension_of(const std::string& format) {
  static const std::map<std::string, const char*> kExt = {
      {"stl-binary", "stl"}, {"stl-ascii", "stl"}, {"obj", "obj"},     {"ply", "ply"},   {"gcode", "gcode"},
      {"bgcode", "bgcode"},  {"3mf", "3mf"},       {"fcstd", "FCStd"}, {"step", "step"}, {"iges", "igs"},
      {"amf", "amf"},        {"scad", "scad"}};
  auto it = kExt.find(format);
  return it == kExt.end() ? "bin" : it->second;
}

/// Sets the description fields; a repeated key becomes a JSON array; keys
/// that would overwrite an address field get a `model_` prefix.
void set_fields(record::Record& r, const ModelFields& fields) {
  std::map<std::string, std::vector<record::Value>> grouped;
  std::vector<std::string> order;
  for (const auto& [k, v] : fields) {
    if (!grouped.count(k)) order.push_back(k);
    grouped[k].push_back(v);
  }
  for (const std::string& k : order) {
    const std::string key = r.has(k) ? "model_" + k : k;
    const auto& values = grouped[k];
    if (values.size() == 1 || !std::holds_alternative<std::string>(values.front())) {
      r.set(key, values.front());
      continue;
    }
    std::string json = "[";
    for (std::size_t i = 0; i < values.size(); ++i) {
      const auto* text = std::get_if<std::string>(&values[i]);
      if (i) json += ',';
      // RawJson must be valid UTF-8: records keep non-UTF-8 bytes only in plain strings.
      record::append_json_string(json, utf8_lossy(text != nullptr ? *text : std::string()));
    }
    r.set(key, record::Value(record::RawJson{json + "]"}));
  }
}

std::string join(const std::vector<std::string>& parts, const char* separator) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : separator) + p;
  return out;
}

/// Where plastic goes: the extent of all extrusion moves (the print's size; height from the bed).
void add_extent_fields(ModelFields& f, std::span<const std::uint8_t> gcode) {
  const auto extents = formats::gcode_extents(gcode);
  if (extents.empty()) return;
  std::array<double, 3> lo = extents.front().min, hi = extents.front().max;
  for (const auto& e : extents)
    for (std::size_t i = 0; i < 3; ++i) {
      lo[i] = std::min(lo[i], e.min[i]);
      hi[i] = std::max(hi[i], e.max[i]);
    }
  f.emplace_back("extent_x", hi[0] - lo[0]);
  f.emplace_back("extent_y", hi[1] - lo[1]);
  f.emplace_back("extent_z", hi[2]);
}

ModelFields from_meta(const formats::ModelMeta& meta) {
  ModelFields out;
  for (const auto& p : meta) out.emplace_back(p.key, record::Value(p.value));
  return out;
}

struct Options {
  bool carve_files = false;
  bool sector_aligned = false;
  bool mmap = false;  ///< --mmap: carve host files through a mapping instead of copying them
  std::uint64_t describe_limit = std::uint64_t{64} << 20;  ///< --describe-limit: larger objects are not kept
  std::string extract_dir;
  std::shared_ptr<const ModelAssessor> assessor;
  std::shared_ptr<ModelLinker> linker;
};

class StlDetectConsumer final : public io::ItemConsumer {
 public:
  explicit StlDetectConsumer(Options options) : options_(std::move(options)) {}

  void consume(const io::ItemInfo& info, io::ByteStream* data, record::RecordSink& out) override {
    if (data == nullptr) return;
    const record::Record item = io::item_record("stl-detect", info);
    if (info.kind == io::ItemKind::range || options_.carve_files) return carve(info, item, *data, out);
    if (info.size && *info.size > kMaxWholeFile) return carve(info, item, *data, out);
    detect_file(info, item, *data, out);
  }

 private:
  void carve(const io::ItemInfo& info, const record::Record& item, io::ByteStream& data, record::RecordSink& out) {
    const std::uint64_t base = info.kind == io::ItemKind::range ? info.offset.value_or(0) : 0;
    scan::CarveOptions carving;
    // Files on a disk start on sectors: in an image's byte ranges (and files named with --sector-aligned)
    // binary STL, the one format without a signature, is tried only there (research/stl-detect.md §2.3).
    carving.stl_sector_aligned = info.kind == io::ItemKind::range ? base % 512 == 0 : options_.sector_aligned;
    carving.zero_copy = options_.mmap;
    carving.keep_bytes = static_cast<std::size_t>(std::min<std::uint64_t>(options_.describe_limit, std::numeric_limits<std::size_t>::max()));
    std::uint64_t own_from = 0;
    if (info.window) {
      // A work unit: objects starting in the window, carved whole however far they run; reading
      // starts one margin early so the carver's state at the window is the unsharded run's.
      own_from = info.window->start;
      carving.read_from = io::unit_read_window(info.window->start, info.window->end, scan::model_carve_margin()).start;
      carving.start_before = info.window->end;
    }
    auto status = scan::carve_model_stream(data, kPageSize, carving, [&](scan::ModelHit&& hit) {
      if (hit.offset < own_from) return true;  // an earlier unit's object
      record::Record r = item;
      r.set("type", "model");
      const std::string format = scan::model_format_name(hit.format);
      r.set("format", format);
      r.set("item_offset", hit.offset);
      if (info.kind == io::ItemKind::range) r.set("range_offset", base);
      r.set("offset", base + hit.offset);
      r.set("length", hit.length);
      r.set("sha256", hit.sha256);
      r.set("carved", true);
      r.set("truncated", hit.truncated);
      if (info.kind != io::ItemKind::range)
        if (const auto at = data.image_offset(hit.offset)) r.set("image_offset", *at);
      r.set("confidence", hit.confidence);
      if (!hit.bytes.empty()) {
        mesh::Mesh merged;
        const ModelFields fields = describe_model(hit.format, hit.bytes, &merged);
        set_fields(r, fields);
        options_.assessor->assess(r, info.path, fields, &merged);
        extract(r, format, hit.bytes, std::to_string(base + hit.offset) + "-" + hit.sha256.substr(0, 16));
        options_.linker->add(r, hit.format, fields, hit.bytes);
      } else {
        // Over --describe-limit: carved and hashed as it streamed by, but not kept to be parsed. What is
        // cheap is still said, and --extract copies the object from the source when it can be re-read.
        r.set("note", "larger than --describe-limit: carved and hashed, not parsed, measured or assessed");
        describe_large(r, hit, data);
        extract_large(r, format, data, hit, std::to_string(base + hit.offset) + "-" + hit.sha256.substr(0, 16));
      }
      return out.write(r) == record::SinkStatus::proceed;
    });
    if (!status) out.write(io::error_record("stl-detect", info.source, info.path, status.error(), info.offset));
  }

  /// Where a file's model may start: after at most a byte-order mark and blank lines (looked at up to `limit`).
  static std::size_t model_lead(std::span<const std::byte> bytes, std::uint64_t limit) {
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    std::size_t lead = bytes.size() >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf ? 3 : 0;
    while (lead < limit && lead < bytes.size() &&
           (p[lead] == ' ' || p[lead] == '\t' || p[lead] == '\r' || p[lead] == '\n'))
      ++lead;
    return lead;
  }

  /// False when the file's first page (`head`, more follows it) proves that no model starts at its lead:
  /// the carver decides every start in a page from one margin of look-ahead, so the rest cannot change
  /// that. True when an object starts there or one is still open (it may be that one): read on.
  static bool model_may_start_at_lead(std::span<const std::byte> head) {
    const std::size_t margin = scan::model_carve_margin();
    if (head.size() <= margin) return true;
    const std::size_t page_end = head.size() - margin;
    scan::ModelCarver probe;
    bool at_lead = false;
    bool elsewhere = false;
    probe.feed(head, page_end, 0, false, [&](scan::ModelHit&& hit) {
      (hit.offset == model_lead(head, hit.offset) ? at_lead : elsewhere) = true;
      return false;  // only the first object matters, as in detect_file
    });
    if (at_lead) return true;
    if (elsewhere) return false;
    return probe.open() || model_lead(head, page_end) >= page_end;
  }

  void detect_file(const io::ItemInfo& info, const record::Record& item, io::ByteStream& data,
                   record::RecordSink& out) {
    const std::string ext = lower_extension(info.path);
    std::vector<std::byte> bytes;
    if (info.size) bytes.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(*info.size, kMaxWholeFile) + 1));
    std::vector<std::byte> buffer(kPageSize);
    for (;;) {
      auto got = io::read_full(data, buffer);
      if (!got) {
        out.write(io::error_record("stl-detect", info.source, info.path, got.error(), info.offset));
        return;
      }
      bytes.insert(bytes.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(*got));
      if (*got < buffer.size() || bytes.size() > kMaxWholeFile) break;
      // A large video or archive is no model: its first page tells, without reading the rest into memory.
      // (A .stl or .scad name is decided on the whole file: a tiny binary STL by its exact size.)
      if (bytes.size() == buffer.size() && ext != "stl" && ext != "scad" && !model_may_start_at_lead(bytes)) return;
    }
    std::string format;
    std::optional<scan::ModelFormat> model;
    bool truncated = false;
    std::uint64_t model_length = 0;
    // Content first: the carver's start and validation rules at offset 0.
    scan::ModelCarver carver;
    auto first = [&](scan::ModelHit&& hit) {
      if (hit.offset == model_lead(bytes, hit.offset)) {
        model = hit.format;
        truncated = hit.truncated;
        model_length = hit.length + hit.offset;
      }
      return false;  // only the first object matters
    };
    if (carver.feed(bytes, bytes.size(), 0, true, first)) carver.finish(first);
    if (model) {
      format = scan::model_format_name(*model);
    } else if (ext == "stl" && bytes.size() >= 84) {
      // Tiny binary STLs (1-3 triangles) are below the carver's n >= 4 floor: the exact size decides.
      const auto* p = reinterpret_cast<const std::uint8_t*>(bytes.data());
      const std::uint64_t n = std::uint64_t{p[80]} | std::uint64_t{p[81]} << 8 | std::uint64_t{p[82]} << 16 |
                              std::uint64_t{p[83]} << 24;
      if (bytes.size() == 84 + 50 * n) {
        model = scan::ModelFormat::stl_binary;
        format = "stl-binary";
        model_length = bytes.size();
      }
    } else if (ext == "scad" && is_valid_utf8({reinterpret_cast<const char*>(bytes.data()), bytes.size()})) {
      format = "scad";
      model_length = bytes.size();
    }
    if (format.empty()) return;
    hash::MultiDigest digest({hash::Algorithm::sha256});
    digest.update(bytes);
    const std::string sha256 = digest.finish().front().second;
    record::Record r = item;
    r.set("type", "model");
    r.set("format", format);
    r.set("length", static_cast<std::uint64_t>(bytes.size()));
    r.set("sha256", sha256);
    r.set("carved", false);
    r.set("truncated", truncated);
    // A file inside an image: where its first byte lies in the raw image.
    if (const auto at = data.image_offset(0)) r.set("image_offset", *at);
    if (model_length != bytes.size()) r.set("model_length", model_length);
    if (!ext.empty() && ext != extension_of(format) && !(ext == "stp" && format == "step") &&
        !(ext == "iges" && format == "iges") && !(ext == "fcstd" && format == "fcstd"))
      r.set("extension_mismatch", true);
    mesh::Mesh merged;
    ModelFields fields;
    if (model) fields = describe_model(*model, bytes, &merged);
    else if (format == "scad") fields = from_meta(formats::scad_meta(as_u8(bytes)));
    set_fields(r, fields);
    options_.assessor->assess(r, info.path, fields, &merged);
    if (model) options_.linker->add(r, *model, fields, bytes);
    out.write(r);
  }

  /// Writes the object's bytes to the --extract directory (0600, never overwriting).
  /// Creates DIR/STEM.EXT for --extract (0600, never over an existing file), lets `write` fill it (it
  /// returns what went wrong, or nothing), and says in the record where the bytes went or why not.
  void extract_to_file(record::Record& r, const std::string& format, const std::string& stem,
                       const std::function<std::string(int fd, const std::string& path)>& write) {
    const std::string path = options_.extract_dir + "/" + stem + "." + extension_of(format);
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
      r.set("extract_error", std::string("cannot create ") + path);
      return;
    }
    const std::string error = write(fd, path);
    ::close(fd);
    if (error.empty()) r.set("extracted", path);
    else r.set("extract_error", error);
  }

  void extract(record::Record& r, const std::string& format, std::span<const std::byte> bytes, const std::string& stem) {
    if (options_.extract_dir.empty()) return;
    extract_to_file(r, format, stem, [&](int fd, const std::string& path) {
      return cli::write_all(fd, bytes) ? std::string() : "short write to " + path;
    });
  }

  /// What an object over --describe-limit tells without being parsed: a binary STL's record count (from
  /// its carved length) and header (its first 80 bytes, read again when the source allows it).
  static void describe_large(record::Record& r, const scan::ModelHit& hit, io::ByteStream& data) {
    if (hit.format != scan::ModelFormat::stl_binary || hit.length < 84) return;
    r.set("triangles", (hit.length - 84) / 50);
    if (!data.seekable()) return;
    std::array<std::byte, 80> head{};
    auto got = io::read_full_at(data, hit.offset, head);
    if (!got || *got != head.size()) return;
    std::string header(reinterpret_cast<const char*>(head.data()), head.size());
    header = header.substr(0, header.find('\0'));
    while (!header.empty() && header.back() == ' ') header.pop_back();
    if (!header.empty()) r.set("stl_header", header);
  }

  /// extract() for an object over --describe-limit: its bytes are copied from the source, a block at a time.
  void extract_large(record::Record& r, const std::string& format, io::ByteStream& data, const scan::ModelHit& hit,
                     const std::string& stem) {
    if (options_.extract_dir.empty()) return;
    if (!data.seekable()) {
      r.set("extract_error", "larger than --describe-limit in a source that cannot be read again");
      return;
    }
    extract_to_file(r, format, stem, [&](int fd, const std::string& path) {
      std::vector<std::byte> block(kPageSize);
      for (std::uint64_t done = 0; done < hit.length;) {
        const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(block.size(), hit.length - done));
        auto got = io::read_full_at(data, hit.offset + done, std::span(block).first(n));
        if (!got || *got != n) return std::string("cannot read the object again from the source");
        if (!cli::write_all(fd, std::span(block).first(n))) return "short write to " + path;
        done += n;
      }
      return std::string();
    });
  }

  Options options_;
};

/// --extract must not write next to the evidence: not into the directory holding a source file, nor
/// anywhere inside a source directory (the tool would then read its own output).
void check_extract_dir(const std::string& dir, const cli::po::variables_map& vm, const std::string& option = "--extract") {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw cli::SetupError(option + ": " + dir + " is not a directory");
  const fs::path target = fs::weakly_canonical(dir, ec);
  if (!vm.count("source")) return;
  for (const std::string& source : vm["source"].as<std::vector<std::string>>()) {
    if (source == "-") continue;
    const fs::path s = fs::weakly_canonical(source, ec);
    if (fs::is_directory(s, ec)) {
      const auto rel = target.lexically_relative(s);
      if (!rel.empty() && *rel.begin() != "..")
        throw cli::SetupError(option + ": " + dir + " is inside the evidence directory " + s.string());
    } else if (target == s.parent_path()) {
      throw cli::SetupError(option + ": " + dir + " is the directory of the evidence " + s.string());
    }
  }
}

}  // namespace

/// A file of several objects (a build plate, several solids): each object's name, triangles and bounding
/// box, as a JSON array, so that an examiner sees the parts and a print job links to the right one.
record::RawJson object_list(const formats::MeshFile& file) {
  std::string json = "[";
  for (const auto& object : file.objects) {
    const mesh::Vec3 size = mesh::mesh_extent(object.mesh);
    record::Record r;
    r.set("name", utf8_lossy(object.name));
    r.set("triangles", static_cast<std::uint64_t>(object.mesh.triangles.size()));
    r.set("size_x", size[0]);
    r.set("size_y", size[1]);
    r.set("size_z", size[2]);
    if (json.size() > 1) json += ',';
    record::append_json(json, r);
  }
  return record::RawJson{json + "]"};
}

ModelFields describe_mesh(scan::ModelFormat format, std::span<const std::byte> bytes, mesh::Mesh* mesh_out) {
  switch (format) {
    case scan::ModelFormat::stl_binary:
    case scan::ModelFormat::stl_ascii:
    case scan::ModelFormat::obj:
    case scan::ModelFormat::ply:
    case scan::ModelFormat::threemf:
    case scan::ModelFormat::amf: break;
    default: return {};
  }
  ModelFields f;
  auto parsed = formats::parse_mesh(as_u8(bytes));
  if (!parsed) {
    f.emplace_back("mesh_error", parsed.error().detail);
    return f;
  }
  mesh::Mesh whole;
  for (const auto& object : parsed->objects) mesh::append(whole, object.mesh);
  const mesh::MeshMeasures m = mesh::measure_mesh(whole);
  const mesh::GeometryHashes h = mesh::geometry_hashes(whole, &m);
  if (mesh_out != nullptr) *mesh_out = whole;
  f.emplace_back("unit", parsed->unit);
  f.emplace_back("triangles", static_cast<std::uint64_t>(m.triangle_count));
  f.emplace_back("vertices", static_cast<std::uint64_t>(m.vertex_count));
  f.emplace_back("size_x", m.size[0]);
  f.emplace_back("size_y", m.size[1]);
  f.emplace_back("size_z", m.size[2]);
  f.emplace_back("volume", m.volume);
  f.emplace_back("surface_area", m.surface_area);
  f.emplace_back("watertight", m.watertight);
  f.emplace_back("components", static_cast<std::uint64_t>(m.component_count));
  f.emplace_back("exact_hash", h.exact);
  f.emplace_back("pose_hash", h.pose);
  f.emplace_back("shape_hash", h.shape.hash);
  if (parsed->truncated) f.emplace_back("mesh_truncated", true);
  for (const auto& object : parsed->objects)
    if (!object.name.empty()) f.emplace_back("mesh_object", object.name);
  if (parsed->objects.size() > 1) f.emplace_back("mesh_objects", record::Value(object_list(*parsed)));
  for (const auto& [key, value] : parsed->metadata) f.emplace_back("meta." + key, value);
  return f;
}

ModelFields describe_model(scan::ModelFormat format, std::span<const std::byte> bytes, mesh::Mesh* mesh) {
  const auto b = as_u8(bytes);
  switch (format) {
    case scan::ModelFormat::gcode: {
      ModelFields f = from_meta(formats::gcode_meta(b));
      add_extent_fields(f, b);
      return f;
    }
    case scan::ModelFormat::bgcode: {
      ModelFields f = from_meta(formats::bgcode_meta(b));
      // The G-code blocks hold the object labels and the moves: decoded, they read as text G-code does.
      const formats::BgcodeGcode g = formats::bgcode_gcode(b);
      f.emplace_back("gcode_blocks", g.blocks);
      f.emplace_back("gcode_decoded_blocks", g.decoded_blocks);
      if (!g.encodings.empty()) f.emplace_back("gcode_encoding", join(g.encodings, ","));
      if (g.crc_mismatches != 0) f.emplace_back("gcode_crc_mismatches", g.crc_mismatches);
      if (!g.problem.empty()) f.emplace_back("gcode_problem", g.problem);
      const auto text = as_u8(std::as_bytes(std::span(g.text.data(), g.text.size())));
      for (const auto& p : formats::gcode_meta(text))
        if (p.key == "object") f.emplace_back(p.key, record::Value(p.value));
      add_extent_fields(f, text);
      return f;
    }
    case scan::ModelFormat::step: return from_meta(formats::step_meta(b));
    case scan::ModelFormat::iges: return from_meta(formats::iges_meta(b));
    case scan::ModelFormat::fcstd: return from_meta(formats::fcstd_meta(b));
    case scan::ModelFormat::stl_binary: {
      ModelFields f;
      // The free-form header often names the exporter or the part.
      std::string header(reinterpret_cast<const char*>(b.data()), std::min<std::size_t>(80, b.size()));
      header = header.substr(0, header.find('\0'));
      while (!header.empty() && header.back() == ' ') header.pop_back();
      if (!header.empty()) f.emplace_back("stl_header", record::Value(header));
      for (auto& p : describe_mesh(format, bytes, mesh)) f.push_back(std::move(p));
      return f;
    }
    case scan::ModelFormat::stl_ascii: {
      ModelFields f;
      const std::string_view s(reinterpret_cast<const char*>(b.data()), std::min<std::size_t>(b.size(), 1024));
      const std::size_t eol = s.find('\n');
      std::string_view name = s.substr(5, eol == std::string_view::npos ? std::string_view::npos : eol - 5);
      while (!name.empty() && (name.front() == ' ' || name.front() == '\t')) name.remove_prefix(1);
      while (!name.empty() && (name.back() == '\r' || name.back() == ' ')) name.remove_suffix(1);
      if (!name.empty()) f.emplace_back("solid_name", record::Value(std::string(name)));
      for (auto& p : describe_mesh(format, bytes, mesh)) f.push_back(std::move(p));
      return f;
    }
    default: return describe_mesh(format, bytes, mesh);
  }
}

cli::ToolSpec stl_detect_spec() {
  cli::ToolSpec spec;
  spec.name = "stl-detect";
  spec.synopsis =
      "Find 3D design files (STL, OBJ, PLY, 3MF, AMF, G-code, STEP, IGES, FreeCAD, OpenSCAD) in every file,\n"
      "archive member and byte range of the evidence, and carve them from unallocated space.";
  spec.add_options = [](cli::po::options_description& o) {
    o.add_options()("carve-files", "carve inside every file too (memory dumps, containers), not only byte ranges")(
        "sector-aligned",
        "with --carve-files: try binary STL only at 512-byte sector offsets, as always in byte ranges "
        "(a raw image trawl does not recognise)")(
        "describe-limit", cli::po::value<std::uint64_t>()->default_value(std::uint64_t{64} << 20)->value_name("BYTES"),
        "carved objects up to this size are kept in memory to be parsed, measured and assessed; larger ones are "
        "carved and hashed while streaming and described only in part")(
        "mmap",
        "carve host files through a read-only mapping instead of copying their bytes (faster where page faults "
        "are cheap; a file that shrinks while mapped ends the process with SIGBUS)")(
        "extract", cli::po::value<std::string>()->value_name("DIR"),
        "write each carved object's bytes to DIR (mode 0600; DIR must not be beside the evidence)")(
        "reference", cli::po::value<std::vector<std::string>>()->composing()->value_name("FILE"),
        "a list of known designs: lines of HASH [LABEL] (SHA-256 of the file, or an exact, pose or shape hash); "
        "a match makes the verdict known-design")(
        "preview", cli::po::value<std::string>()->value_name("DIR"),
        "render a PNG preview of each mesh into DIR (three views and the size in mm), named by its SHA-256")(
        "threshold", cli::po::value<double>()->default_value(mesh::cue_table::kThreshold),
        "cue score at which a model becomes firearm-suspect");
  };
  spec.primary_types = {"model"};
  spec.tsv_columns = [](const cli::po::variables_map&) {
    // model_link rows fill the last columns: the project's and the mesh's address, the name, why.
    return std::vector<std::string>{"type",         "source",         "path",         "offset",     "length",
                                    "format",       "sha256",         "carved",       "truncated",  "verdict",
                                    "score",        "label",          "error",        "detail",     "project_path",
                                    "project_offset", "project_sha256", "mesh_path", "mesh_offset", "mesh_sha256",
                                    "name",         "reason",         "evidence"};
  };
  spec.tsv_row_types = {"model_link"};
  auto linker = std::make_shared<ModelLinker>();
  spec.make_consumer = [linker](const cli::po::variables_map& vm) -> std::unique_ptr<io::ItemConsumer> {
    Options options;
    options.linker = linker;
    options.carve_files = vm.count("carve-files") > 0;
    options.sector_aligned = vm.count("sector-aligned") > 0;
    options.mmap = vm.count("mmap") > 0;
    options.describe_limit = vm["describe-limit"].as<std::uint64_t>();
    if (vm.count("extract")) {
      options.extract_dir = vm["extract"].as<std::string>();
      check_extract_dir(options.extract_dir, vm);
    }
    std::string preview_dir;
    if (vm.count("preview")) {
      preview_dir = vm["preview"].as<std::string>();
      check_extract_dir(preview_dir, vm, "--preview");
    }
    const auto references =
        vm.count("reference") ? vm["reference"].as<std::vector<std::string>>() : std::vector<std::string>{};
    options.assessor = std::make_shared<const ModelAssessor>(references, preview_dir, vm["threshold"].as<double>());
    return std::make_unique<StlDetectConsumer>(options);
  };
  spec.finish = [linker](record::RecordSink& out) { linker->write(out); };
  spec.run_types = {"model_link"};
  spec.save_run_state = [linker](record::RecordSink& out) { linker->save(out); };
  spec.load_run_state = [linker](const record::Record& r) { linker->load(r); };
  spec.unit_margin = [](const cli::po::variables_map&) -> std::uint64_t { return scan::model_carve_margin(); };
  spec.split_files = [](const cli::po::variables_map& vm) { return vm.count("carve-files") > 0; };
  return spec;
}

int stl_detect_main(int argc, char** argv) { return cli::run_tool(stl_detect_spec(), argc, argv); }

}  // namespace trawl::tools
