#pragma once
// Work units: a run of a tool cut into pieces that Slurm job arrays or GNU
// parallel can run anywhere, and that merge back into exactly the unsharded
// output (trawl-records(5) `unit`, the LARGE CASES section of each tool's page).
//
// A unit is one source, whole, or a slice of its walk: the events (volumes,
// items, errors) of one scope (a volume, or the image's byte ranges outside
// every volume) numbered in walk order, [first, last), or a byte window of one
// range item. Slices follow walk order, so concatenating the units' records in
// plan order gives the unsharded order. Planning walks metadata only.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "io/walk.hpp"
#include "record/record.hpp"

namespace trawl::io {

enum class UnitKind {
  source,  ///< a whole source (host file, directory tree, an image that fits one unit)
  volume,  ///< every event of one volume of an image
  files,   ///< a slice of a volume's (or the outside scope's) events in walk order
  range,   ///< a byte window [start, end) of one range item, read with a margin
};

const char* unit_kind_name(UnitKind kind);

struct WorkUnit {
  std::string tool;
  std::string plan;  ///< plan id: the same for every unit of one plan
  uint64_t index = 0;
  uint64_t count = 0;
  std::string source;
  UnitKind kind = UnitKind::source;
  UnitSelector selector;
  std::optional<unsigned> partition;  ///< informational: the volume's partition number
  std::string path;                   ///< informational: display path of the first item or volume
  /// Absolute byte offsets of what the unit covers: a range unit's window, a
  /// volume's extent, 0..size for a source; `margin` bytes are read past `end`.
  uint64_t start = 0;
  uint64_t end = 0;
  uint64_t margin = 0;
  uint64_t range_offset = 0;  ///< range units: absolute offset of the range item
  uint64_t bytes = 0;         ///< estimated bytes the unit reads
  std::vector<std::string> args;

  /// `unit-00007`: also the stem of the unit's output files.
  std::string id() const;
};

/// The `unit` record (one line of a plan).
record::Record unit_record(const WorkUnit& unit);
/// Reads a `unit` record back; errors name the missing or bad field.
Result<WorkUnit> unit_from_record(const record::Record& record);

struct PlanOptions {
  std::string tool;
  std::string plan;                ///< the plan id to stamp on every unit
  std::vector<std::string> args;   ///< the tool options, stored in every unit
  uint64_t unit_size = uint64_t{1} << 30;
  /// Set: cut into this many units of about equal weight instead (the unit
  /// size follows from the total after the walk). Each source that fits one
  /// unit and each part of a walk that units cannot share (one scope's run of
  /// events, a byte range cut into windows) takes at least one unit, so a plan
  /// of many small sources or volumes may have more.
  std::optional<uint64_t> unit_count;
  /// The least a file counts towards unit_size when units are cut: opening
  /// one (metadata, sniffing, records) costs about as much as reading this
  /// many bytes, so a unit of many small files would otherwise take far
  /// longer than one of a few large ones. `bytes` stays the content.
  uint64_t min_item_cost = 0;
  /// Set when the tool splits byte range items into windows: the look-ahead
  /// past a window's end its scanners need. Unset: range items stay whole.
  std::optional<uint64_t> range_margin;
  WalkOptions walk;  ///< unallocated/raw as the run will use them; verify_image is ignored
};

/// Walks every source (metadata only: no file content is read) and cuts the
/// walk into units of about `unit_size` bytes each (or into `unit_count`
/// units; a file counting at least `min_item_cost`), in walk order. A source
/// that fits in one unit, or is not an image, is one unit. Units never span
/// two sources or two scopes.
std::vector<WorkUnit> plan_units(const std::vector<std::string>& sources, const PlanOptions& options);

/// plan_units for one source whose walk `walk` reports to the visitor it is
/// given; appends its units to `units` (indices and counts are left to the caller).
void plan_walk(const std::string& source, const PlanOptions& options,
               const std::function<void(WalkVisitor&)>& walk, std::vector<WorkUnit>& units);

/// Parses a JSON array of strings (the `args` field).
Result<std::vector<std::string>> parse_string_array(std::string_view json);

}  // namespace trawl::io
