#pragma once
// Opening an item again from its address (see item_from_record), so that a
// record written by one trawl tool lets another read exactly the same bytes.
#include <memory>

#include "core/limits.hpp"
#include "io/item.hpp"

namespace trawl::io {

/// Opens the bytes `info` addresses: a host file, a file or stream in an
/// image's file system, a byte range of an image or host file, or an archive
/// member at any depth below any of these (members are read into memory,
/// up to limits.max_nested_buffer).
Result<std::unique_ptr<ByteStream>> open_item(const ItemInfo& info, const Limits& limits);

/// An Item whose opener is open_item(info).
Item reopenable_item(ItemInfo info, const Limits& limits);

}  // namespace trawl::io
