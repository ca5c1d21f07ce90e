#pragma once
// Archives through libarchive: zip (zip64 included), tar and compressed tars,
// bare gzip/bzip2/xz/zstd streams, 7z, rar, iso, cpio. This header names no
// libarchive type; archive_walk.cpp is the only file including libarchive.
#include <functional>
#include <string>

#include "core/limits.hpp"
#include "core/result.hpp"
#include "io/byte_stream.hpp"
#include "io/item.hpp"

namespace trawl::io {

/// Called once per member. `info` describes the member (path `parent!/name`);
/// `data` streams its bytes and is valid only during the call. Return false
/// to stop the walk.
using MemberVisitor = std::function<bool(ItemInfo& info, ByteStream& data)>;
/// Called for a corrupt or encrypted member or a limit reached; the walk
/// continues with the next member where libarchive allows.
using MemberError = std::function<void(const std::string& path, const Error& error)>;

/// Budget shared by an archive and everything nested inside it.
struct ArchiveBudget {
  uint64_t expanded_bytes = 0;  ///< member bytes handed out so far
};

/// Walks the members of the archive held by `stream`. Seekable streams let
/// the zip reader use the central directory; others are read as a stream.
/// Returns an error when the archive cannot be opened at all.
Status walk_archive(ByteStream& stream, const ItemInfo& parent, const Limits& limits, ArchiveBudget& budget,
                    const MemberVisitor& on_member, const MemberError& on_error);

}  // namespace trawl::io
