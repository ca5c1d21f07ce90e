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
#include <mutex>
#include <new>

#include "common/file_output.hpp"
#include "core/utf8.hpp"
#include "formats/bgcode_gcode.hpp"
#include "formats/gcode_extent.hpp"
#include "formats/mesh_parse.hpp"
#include "formats/model_meta.hpp"
#include "hash/digest.hpp"
#include "io/chunker.hpp"
#include "io/item_record.hpp"
#include "io/read_buffer.hpp"
#include "mesh/geometry_hash.hpp"
#include "mesh/measure.hpp"
#include "mesh/cue_table.hpp"
#include "mesh/primitives.hpp"
#include "record/jsonl_writer.hpp"
#include "stl-detect/model_assessor.hpp"
#include "scan/model_frontier.hpp"
#include "stl-detect/model_linker.hpp"
#include "stl-detect/unit_join.hpp"
#include "stl-detect/window_frontiers.hpp"

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

/// A binary STL's 80-byte header as text: up to its first NUL, trailing spaces trimmed.
std::string stl_header(std::span<const std::uint8_t> b) {
  std::string header(reinterpret_cast<const char*>(b.data()), std::min<std::size_t>(80, b.size()));
  header = header.substr(0, header.find('\0'));
  while (!header.empty() && header.back() == ' ') header.pop_back();
  return header;
}

/// An ASCII STL's solid name: the rest of its first line (looked at in its first KiB).
std::string solid_name(std::span<const std::uint8_t> b) {
  const std::string_view s(reinterpret_cast<const char*>(b.data()), std::min<std::size_t>(b.size(), 1024));
  std::string_view name = s.substr(0, s.find('\n'));
  name.remove_prefix(std::min<std::size_t>(5, name.size()));  // "solid"
  while (!name.empty() && (name.front() == ' ' || name.front() == '\t')) name.remove_prefix(1);
  while (!name.empty() && (name.back() == '\r' || name.back() == ' ')) name.remove_suffix(1);
  return std::string(name);
}

/// The counts a PLY header declares (`element vertex N`, `element face N`), read from its head up to
/// `end_header`: what a PLY too large to parse tells about its size.
ModelFields ply_declared_counts(std::span<const std::uint8_t> head) {
  ModelFields f;
  const std::string_view text(reinterpret_cast<const char*>(head.data()), head.size());
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t eol = text.find('\n', at);
    if (eol == std::string_view::npos) break;  // a line cut by the head's end says nothing sure
    std::string_view line = text.substr(at, eol - at);
    at = eol + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line == "end_header") break;
    for (const auto& [element, key] : {std::pair{"element vertex ", "declared_vertices"}, {"element face ", "declared_faces"}}) {
      const std::string_view prefix(element);
      if (line.substr(0, prefix.size()) != prefix) continue;
      const std::string_view digits = line.substr(prefix.size());
      if (digits.empty() || digits.size() > 19 || digits.find_first_not_of("0123456789") != std::string_view::npos) continue;
      std::uint64_t n = 0;
      for (const char c : digits) n = n * 10 + static_cast<std::uint64_t>(c - '0');  // 19 digits fit
      f.emplace_back(key, n);
    }
  }
  return f;
}

struct Options {
  bool carve_files = false;
  bool sector_aligned = false;
  bool mmap = false;  ///< --mmap: carve host files through a mapping instead of copying them
  /// --keep-limit: a carved object's bytes are held in memory while it streams by up to this size; a
  /// larger one is read again from the source to be described (when the source allows it).
  std::uint64_t keep_limit = std::uint64_t{64} << 20;
  std::uint64_t describe_limit = std::uint64_t{2} << 30;  ///< --describe-limit: larger objects are not described
  /// Objects read again from their source are described one at a time, whatever -j: the memory a run
  /// takes is that of one such object (and its mesh), not one per worker.
  std::shared_ptr<std::mutex> reread_lock;
  /// The frontiers of the windows of cut ranges, shared by the workers.
  std::shared_ptr<WindowFrontiers> frontiers;
  std::string extract_dir;
  std::shared_ptr<const ModelAssessor> assessor;
  std::shared_ptr<ModelLinker> linker;
};

class StlDetectConsumer final : public io::ItemConsumer {
 public:
  explicit StlDetectConsumer(Options options) : options_(std::move(options)) {}

  void consume(const io::ItemInfo& info, io::ByteStream* data, record::RecordSink& out) override {
    if (data == nullptr) return publish_frontier(info, std::nullopt);
    const record::Record item = io::item_record("stl-detect", info);
    if (info.kind == io::ItemKind::range || options_.carve_files) return carve(info, item, *data, out);
    if (info.size && *info.size > kMaxWholeFile) return carve(info, item, *data, out);
    detect_file(info, item, *data, out);
  }

  void skipped(const io::ItemInfo& info) override { publish_frontier(info, std::nullopt); }

 private:
  void carve(const io::ItemInfo& info, const record::Record& item, io::ByteStream& data, record::RecordSink& out) {
    const std::uint64_t base = info.kind == io::ItemKind::range ? info.offset.value_or(0) : 0;
    scan::CarveOptions carving;
    // Files on a disk start on sectors: in an image's byte ranges (and files named with --sector-aligned)
    // binary STL, the one format without a signature, is tried only there (research/stl-detect.md §2.3).
    carving.stl_sector_aligned = info.kind == io::ItemKind::range ? base % 512 == 0 : options_.sector_aligned;
    carving.zero_copy = options_.mmap;
    carving.keep_bytes = static_cast<std::size_t>(std::min<std::uint64_t>(
        {options_.keep_limit, options_.describe_limit, std::numeric_limits<std::size_t>::max()}));
    if (info.window) return carve_window(info, item, data, out, carving);
    auto status = scan::carve_model_stream(data, kPageSize, carving, [&](scan::ModelHit&& hit) {
      return write_model(info, item, data, out, std::move(hit));
    });
    if (!status) out.write(io::error_record("stl-detect", info.source, info.path, status.error(), info.offset));
  }

  /// A window of a range (a work unit's, or one the pipeline cut for its workers): objects starting in the
  /// window, carved whole however far they run. Reading starts one margin early; when the window before is
  /// carved in this process, its frontier says where one carver over the whole range is idle, and the
  /// objects are made that carver's (scan/model_frontier.hpp) before any is described or written.
  void carve_window(const io::ItemInfo& info, const record::Record& item, io::ByteStream& data,
                    record::RecordSink& out, scan::CarveOptions carving) {
    const io::ByteWindow window = *info.window;
    carving.read_from = io::unit_read_window(window.start, window.end, scan::model_carve_margin()).start;
    carving.start_before = window.end;
    // Every object the carver reports, held until the window before is final. Objects are disjoint and
    // each keeps at most its own bytes up to --keep-limit (beyond it a 4 KiB head), so this holds at most
    // the window (256 MiB when the pipeline cut it) plus one margin plus one object's --keep-limit; while a
    // stretch is carved again (resolve_window), its objects are held besides, at most as much again.
    std::vector<scan::ModelHit> hits;
    std::vector<scan::CarvedSpan> spans;  // where the carver was inside an object, reported or not
    scan::CarveOptions speculative = carving;
    speculative.on_close = [&](std::uint64_t offset, std::uint64_t length) { spans.push_back({offset, offset + length}); };
    auto status = scan::carve_model_stream(data, kPageSize, speculative, [&](scan::ModelHit&& hit) {
      hits.push_back(std::move(hit));
      return true;
    });
    std::optional<std::uint64_t> frontier_before;
    if (info.after_window) frontier_before = options_.frontiers->take(WindowFrontiers::key(info, window.start));
    std::uint64_t own_from = window.start;
    if (status && frontier_before) {
      auto resolved = scan::resolve_window(hits, spans, *frontier_before, data, kPageSize, carving);
      if (!resolved) {
        out.write(io::error_record("stl-detect", info.source, info.path, resolved.error(), info.offset));
        own_from = *frontier_before;  // the objects after the frontier, as the speculative carver saw them
      }
    } else if (frontier_before) {
      own_from = std::max(own_from, *frontier_before);
    }
    std::erase_if(hits, [&](const scan::ModelHit& h) { return h.offset < own_from; });
    std::erase_if(spans, [&](const scan::CarvedSpan& c) { return c.offset < own_from; });
    publish_frontier(info, status ? std::optional<std::uint64_t>(scan::window_frontier(
                                        spans, frontier_before.value_or(window.start), window.end))
                                  : std::nullopt);
    for (scan::ModelHit& hit : hits)
      if (!write_model(info, item, data, out, std::move(hit))) break;
    if (!status) out.write(io::error_record("stl-detect", info.source, info.path, status.error(), info.offset));
  }

  /// Lets the item's next window (if this process carves it) go on: `frontier` is where one carver is idle
  /// after this window, nullopt when that is not known.
  void publish_frontier(const io::ItemInfo& info, std::optional<std::uint64_t> frontier) {
    if (!info.window || (info.size && info.window->end >= *info.size)) return;  // the item's last window
    options_.frontiers->publish(WindowFrontiers::key(info, info.window->end), frontier);
  }

  /// Describes a carved object and writes its record; false once output stopped.
  bool write_model(const io::ItemInfo& info, const record::Record& item, io::ByteStream& data,
                   record::RecordSink& out, scan::ModelHit&& hit) {
    const std::uint64_t base = info.kind == io::ItemKind::range ? info.offset.value_or(0) : 0;
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
    const std::string stem = std::to_string(base + hit.offset) + "-" + hit.sha256.substr(0, 16);
    // An object over the keep bound streamed by without its bytes: read it again from the source
    // (one at a time) and describe it as a small one, or say why it could not be.
    std::vector<std::byte> again;
    std::unique_lock<std::mutex> one_at_a_time;
    std::string not_described;
    if (hit.bytes.empty()) {
      one_at_a_time = std::unique_lock<std::mutex>(*options_.reread_lock);
      not_described = read_again(hit, data, again);
    }
    const std::span<const std::byte> bytes = hit.bytes.empty() ? std::span<const std::byte>(again) : hit.bytes;
    if (not_described.empty()) {
      mesh::Mesh merged;
      const ModelFields fields = describe_model(hit.format, bytes, &merged);
      set_fields(r, fields);
      options_.assessor->assess(r, info.path, fields, &merged);
      extract(r, format, bytes, stem);
      options_.linker->add(r, hit.format, fields, bytes);
    } else {
      // Carved and hashed as it streamed by, but not parsed: what its head says is still given, the
      // verdict comes from names only, and --extract copies it from the source when it can be re-read.
      r.set("note", not_described + ": carved and hashed, not parsed or measured (verdict from names only)");
      const ModelFields fields = describe_head(hit);
      set_fields(r, fields);
      options_.assessor->assess(r, info.path, fields, nullptr);
      extract_large(r, format, data, hit, stem);
    }
    again = {};
    if (one_at_a_time.owns_lock()) one_at_a_time.unlock();
    return out.write(r) == record::SinkStatus::proceed;
  }

  /// The carver's rules on a file already in memory: it need not keep a copy of the object's bytes.
  static scan::CarveOptions detect_options() {
    scan::CarveOptions options;
    options.keep_bytes = 0;
    return options;
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
    scan::ModelCarver probe(detect_options());
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
    io::ReadBuffer buffer(kPageSize);
    for (;;) {
      auto got = io::read_full(data, buffer.span());
      if (!got) {
        out.write(io::error_record("stl-detect", info.source, info.path, got.error(), info.offset));
        return;
      }
      bytes.insert(bytes.end(), buffer.data(), buffer.data() + *got);
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
    scan::ModelCarver carver(detect_options());
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

  /// Reads an object that was not kept while carving (over the keep bound) again from the source into
  /// `bytes`, checked against the sha256 it was carved with. Returns why it cannot be described, or
  /// nothing.
  std::string read_again(const scan::ModelHit& hit, io::ByteStream& data, std::vector<std::byte>& bytes) const {
    if (hit.length > options_.describe_limit) return "larger than --describe-limit";
    if (!data.seekable()) return "larger than --keep-limit in a source that cannot be read again";
    try {
      bytes.resize(static_cast<std::size_t>(hit.length));  // at most --describe-limit
    } catch (const std::bad_alloc&) {
      return "too large for the memory available";
    }
    auto got = io::read_full_at(data, hit.offset, bytes);
    if (!got || *got != bytes.size()) {
      bytes = {};
      return "could not be read again from the source";
    }
    hash::MultiDigest digest({hash::Algorithm::sha256});
    digest.update(bytes);
    if (digest.finish().front().second != hit.sha256) {
      bytes = {};
      return "read again, no longer the bytes carved (the source changed)";
    }
    return {};
  }

  /// What an object that is not described tells from its head, without its bytes: a binary STL's record
  /// count (from its carved length) and header, an ASCII STL's solid name, a PLY's declared counts.
  static ModelFields describe_head(const scan::ModelHit& hit) {
    const auto head = as_u8(hit.head);
    ModelFields f;
    switch (hit.format) {
      case scan::ModelFormat::stl_binary:
        if (hit.length < 84) break;
        if (const std::string header = stl_header(head); !header.empty()) f.emplace_back("stl_header", header);
        f.emplace_back("triangles", (hit.length - 84) / 50);
        break;
      case scan::ModelFormat::stl_ascii:
        if (const std::string name = solid_name(head); !name.empty()) f.emplace_back("solid_name", name);
        break;
      case scan::ModelFormat::ply: f = ply_declared_counts(head); break;
      default: break;
    }
    return f;
  }

  /// extract() for an object over --describe-limit: its bytes are copied from the source, a block at a time.
  void extract_large(record::Record& r, const std::string& format, io::ByteStream& data, const scan::ModelHit& hit,
                     const std::string& stem) {
    if (options_.extract_dir.empty()) return;
    if (!data.seekable()) {
      r.set("extract_error", "not kept in memory (over --keep-limit) in a source that cannot be read again");
      return;
    }
    extract_to_file(r, format, stem, [&](int fd, const std::string& path) {
      io::ReadBuffer block(kPageSize);
      for (std::uint64_t done = 0; done < hit.length;) {
        const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(block.size(), hit.length - done));
        auto got = io::read_full_at(data, hit.offset + done, block.span().first(n));
        if (!got || *got != n) return std::string("cannot read the object again from the source");
        if (!cli::write_all(fd, block.span().first(n))) return "short write to " + path;
        done += n;
      }
      return std::string();
    });
  }

  Options options_;
};

/// A SIZE option's bytes (a number with an optional K, M, G or T suffix).
std::uint64_t size_option(const cli::po::variables_map& vm, const char* name) {
  const std::string& text = vm[name].as<std::string>();
  const auto bytes = cli::parse_size(text);
  if (!bytes) throw cli::po::validation_error(cli::po::validation_error::invalid_option_value, name, text);
  return *bytes;
}

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
  // One object (most files) is moved, not copied: a large mesh is held once.
  mesh::Mesh whole;
  if (parsed->objects.size() == 1) whole = std::move(parsed->objects.front().mesh);
  else
    for (const auto& object : parsed->objects) mesh::append(whole, object.mesh);
  const mesh::MeshMeasures m = mesh::measure_mesh(whole);
  const mesh::GeometryHashes h = mesh::geometry_hashes(whole, &m);
  if (mesh_out != nullptr) *mesh_out = std::move(whole);
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
      if (const std::string header = stl_header(b); !header.empty()) f.emplace_back("stl_header", record::Value(header));
      for (auto& p : describe_mesh(format, bytes, mesh)) f.push_back(std::move(p));
      return f;
    }
    case scan::ModelFormat::stl_ascii: {
      ModelFields f;
      if (const std::string name = solid_name(b); !name.empty()) f.emplace_back("solid_name", record::Value(name));
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
        "keep-limit", cli::po::value<std::string>()->default_value("64M")->value_name("SIZE"),
        "a carved object up to this size is held in memory while it streams by; a larger one is read again "
        "from the source to be described")(
        "describe-limit", cli::po::value<std::string>()->default_value("2G")->value_name("SIZE"),
        "carved objects up to this size are parsed, measured and assessed; larger ones (and those over "
        "--keep-limit in a source that cannot be read again) are carved and hashed, described only in part")(
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
  auto reread_lock = std::make_shared<std::mutex>();
  auto frontiers = std::make_shared<WindowFrontiers>();
  spec.make_consumer = [linker, reread_lock, frontiers](const cli::po::variables_map& vm) -> std::unique_ptr<io::ItemConsumer> {
    Options options;
    options.linker = linker;
    options.reread_lock = reread_lock;
    options.frontiers = frontiers;
    options.carve_files = vm.count("carve-files") > 0;
    options.sector_aligned = vm.count("sector-aligned") > 0;
    options.mmap = vm.count("mmap") > 0;
    options.keep_limit = size_option(vm, "keep-limit");
    options.describe_limit = size_option(vm, "describe-limit");
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
  spec.merge_filter = [] {
    auto join = std::make_shared<UnitJoin>();
    return [join](std::uint64_t unit, const record::Record& r, std::string& extra) { return join->keep(unit, r, extra); };
  };
  spec.unit_margin = [](const cli::po::variables_map&) -> std::uint64_t { return scan::model_carve_margin(); };
  spec.split_files = [](const cli::po::variables_map& vm) { return vm.count("carve-files") > 0; };
  return spec;
}

int stl_detect_main(int argc, char** argv) { return cli::run_tool(stl_detect_spec(), argc, argv); }

}  // namespace trawl::tools
