#pragma once
// Turns what the walk found into records, and records back into addresses.
// The field names written here are the stable interface of trawl-records(5).
#include <string_view>

#include "io/walk.hpp"
#include "record/record.hpp"

namespace trawl::io {

/// Record type for an item: `file`, `range`, `symlink` or `special`.
const char* item_record_type(ItemKind kind);

/// A record of `type` describing `info` with its full address.
record::Record item_record(std::string_view tool, const ItemInfo& info);
/// An `error` record about `path` in `source`.
record::Record error_record(std::string_view tool, const std::string& source, const std::string& path, const Error& error,
                            std::optional<uint64_t> offset = std::nullopt);
record::Record volume_record(std::string_view tool, const VolumeInfo& volume);
record::Record image_check_record(std::string_view tool, const ImageCheck& check);
/// The records for an image check: the `image` record, and an `error` record
/// when the media could not be read or does not match its stored digests.
std::vector<record::Record> image_check_records(std::string_view tool, const ImageCheck& check);

/// Rebuilds the address part of an ItemInfo from a record another trawl tool
/// wrote, so the same bytes can be opened again. Errors name the missing field.
Result<ItemInfo> item_from_record(const record::Record& record);

}  // namespace trawl::io
