#pragma once
// The link stage of stl-detect: every model record is noted as it is written
// (from any worker thread); when the run ends, each G-code or slicer project
// that names the objects it was made from is linked to the meshes found in
// the same run whose names (and sizes, when both are known) agree
// (lib/mesh/model_link), as one `model_link` record per pair.
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "mesh/model_link.hpp"
#include "record/record.hpp"
#include "record/sink.hpp"
#include "scan/model_carver.hpp"
#include "stl-detect/stl_detect.hpp"

namespace trawl::tools {

class ModelLinker {
 public:
  /// Notes a model: `r` its record (address fields), `fields` its description, `bytes` its bytes (G-code
  /// extents are read from them). Thread-safe.
  void add(const record::Record& r, scan::ModelFormat format, const ModelFields& fields, std::span<const std::byte> bytes);
  /// Writes the links, ordered by the project's then the mesh's address.
  void write(record::RecordSink& out);
  /// Work units: every model noted, as `link_state` records, and one of them noted back (--merge), so
  /// that links between models of different units are those of one run.
  void save(record::RecordSink& out);
  void load(const record::Record& r);

 private:
  struct Entry;
  /// Entries for the G-code a 3MF carries (formats/threemf_gcode), addressed as its members.
  void add_embedded(const Entry& project, std::span<const std::byte> bytes);
  struct Entry {
    std::string source, path, format, sha256;
    std::optional<std::uint64_t> offset;  ///< carved objects
    /// What the project's names and extents were read from: gcode, 3mf-gcode (a G-code member of a
    /// 3MF), bgcode:ENCODINGS (decoded binary G-code blocks), 3mf-source_file.
    std::string evidence;
    /// A G-code member read from a 3MF's bytes (not walked as an item): dropped when the walk saw it too.
    bool embedded = false;
    mesh::LinkModel model;
  };
  std::mutex mutex_;
  std::vector<Entry> entries_;
};

}  // namespace trawl::tools
