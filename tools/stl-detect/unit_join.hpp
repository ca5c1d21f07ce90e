#pragma once
// stl-detect --merge: joins the models of the work units of one byte range as one carver over the range
// finds them. A unit's carver starts one margin before its window, idle; an object of the unit before
// that runs past its window's end is unknown to it, and inside that object it may carve false objects
// (a binary STL's records look like STL headers every 12,800 bytes). Such models start before the end
// of the earlier unit's last model, and are left out here, with their link state.
#include <cstdint>
#include <map>
#include <string>

#include "record/record.hpp"

namespace trawl::tools {

class UnitJoin {
 public:
  /// A record of unit `unit` (plan order), or a run-state record: false when it is left out. When a
  /// left-out model runs past where the earlier unit's last model ends, this unit's carver had not caught
  /// up there: an error record (JSON line) in `extra` names the unit and the offset, since the models
  /// that follow may differ from an unsharded run's.
  bool keep(std::uint64_t unit, const record::Record& r, std::string& extra);

 private:
  /// Per range: where the furthest model of the earlier units ends (absolute offset).
  std::map<std::string, std::uint64_t> frontier_;
  /// The same for the current unit, joined into frontier_ when the next unit begins.
  std::map<std::string, std::uint64_t> current_;
  std::uint64_t unit_ = 0;
  /// Models left out, by source and offset: their path (a link state of an embedded member extends it).
  std::multimap<std::string, std::string> left_out_;
};

}  // namespace trawl::tools
