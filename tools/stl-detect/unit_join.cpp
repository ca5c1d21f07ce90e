#include "stl-detect/unit_join.hpp"

#include <algorithm>

#include "core/result.hpp"
#include "io/item_record.hpp"
#include "record/jsonl_writer.hpp"

namespace trawl::tools {

bool UnitJoin::keep(std::uint64_t unit, const record::Record& r, std::string& extra) {
  const std::string source = r.get_string("source").value_or("");
  const std::string path = r.get_string("path").value_or("");
  if (r.type() == "link_state") {
    const auto offset = r.get_uint("offset");
    if (!offset) return true;
    const auto [from, to] = left_out_.equal_range(source + '\0' + std::to_string(*offset));
    return std::none_of(from, to, [&](const auto& e) {
      return path == e.second || path.starts_with(e.second + "!/");
    });
  }
  if (r.type() != "model" || !r.get_bool("carved").value_or(false)) return true;
  if (unit != unit_) {
    for (const auto& [range, end] : current_) frontier_[range] = std::max(frontier_[range], end);
    current_.clear();
    unit_ = unit;
  }
  const auto offset = r.get_uint("offset");
  const auto length = r.get_uint("length");
  if (!offset || !length) return true;
  const auto range_offset = r.get_uint("range_offset");
  const std::string range = source + '\0' + path + '\0' + (range_offset ? std::to_string(*range_offset) : "");
  const auto found = frontier_.find(range);
  if (found == frontier_.end() || *offset >= found->second) {
    std::uint64_t& end = current_[range];
    end = std::max(end, *offset + *length);
    return true;
  }
  left_out_.emplace(source + '\0' + std::to_string(*offset), path);
  if (*offset + *length > found->second) {
    const Error error = make_error(
        Errc::unimplemented,
        "unit " + std::to_string(unit) + ": the model carved at offset " + std::to_string(*offset) +
            " starts inside the previous unit's last model and runs past its end at offset " +
            std::to_string(found->second) + ": left out; the models this unit carved after that offset may "
            "differ from a run without units (carve this range without units to be sure)");
    record::append_json(extra, io::error_record("stl-detect", source, path, error, range_offset));
    extra += '\n';
  }
  return false;
}

}  // namespace trawl::tools
