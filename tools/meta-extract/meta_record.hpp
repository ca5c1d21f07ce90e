#pragma once
// A MetaDocument as a `meta` record (trawl-records(5)): ExifTool-style
// `Group:Tag` keys at the top level beside the item's address, and the
// per-field detail in objects keyed the same way: `provenance` (container
// path, item offset, PDF revision), `raw` (stored form of converted values),
// `invalid` (reason and raw bytes; the key itself is null), plus
// `duplicates`, `indicators` and `warnings`.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "formats/meta_extract.hpp"
#include "io/item.hpp"
#include "record/record.hpp"

namespace trawl::tools {

/// Which fields to keep: empty keeps all; otherwise each pattern is `Group:Tag`
/// with `*` for any group or tag (`GPS:*`, `*:Author`), or a bare tag name.
struct FieldFilter {
  std::vector<std::string> patterns;
  bool keeps(const std::string& group, const std::string& tag) const;
};

/// Maps an item offset to the absolute offset in the evidence image (for files
/// inside images), or nullopt; provenance then also says `;image=N`.
using ImageOffsetMap = std::function<std::optional<uint64_t>(uint64_t)>;

record::Record meta_record(const io::ItemInfo& info, const formats::MetaDocument& doc, const FieldFilter& filter,
                           const ImageOffsetMap& image_offset = {});

/// Named properties examiners filter on: gps, author, serial, software, camera,
/// time, thumbnail, edited. Unknown names are rejected when options are read.
bool has_property(const formats::MetaDocument& doc, const std::string& property);
const std::vector<std::string>& known_properties();

}  // namespace trawl::tools
