#pragma once
// An item is anything a tool looks at: a host file, a file (or stream) in a
// file system inside an image, an archive member, or a byte range of an
// image. ItemInfo is its description and address; Item adds a way to open it.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "io/byte_stream.hpp"
#include "record/record.hpp"

namespace trawl::io {

enum class ItemKind {
  file,     ///< bytes with a path: host file, file-system file or stream, archive member
  range,    ///< a byte range of an image: unallocated run, unpartitioned gap, whole image
  symlink,  ///< reported, never followed
  special,  ///< FIFO, socket or device in a directory tree: reported, never opened
};

/// One time stamp of an item, in seconds (and nanoseconds) since 1970 UTC.
struct Timestamp {
  std::string name;  ///< record field name: mtime, atime, ctime, crtime, dtime, fn_mtime...
  int64_t seconds = 0;
  uint32_t nanos = 0;
};

/// The part of a byte range item a work unit owns, in item offsets: a
/// consumer reports only hits whose first byte lies in [start, end), reading
/// on past `end` as far as its scanners need (its margin), and may read
/// before `start` to pick up state (hits found there are not its own).
struct ByteWindow {
  uint64_t start = 0;
  uint64_t end = 0;
};

struct ItemInfo {
  std::string source;   ///< the evidence as the user named it
  std::string path;     ///< display path: source, partition, file-system path, `!/` per archive level
  ItemKind kind = ItemKind::file;
  std::optional<uint64_t> size;
  bool has_content = true;       ///< false when a deleted name kept no metadata
  std::optional<bool> deleted;   ///< file-system items only
  // Where the item lives inside an image (empty for host files).
  std::string image;                          ///< image path handed to libtsk (first segment)
  std::optional<unsigned> partition;          ///< 1-based among the volume's partitions
  std::optional<uint64_t> partition_offset;   ///< byte offset of the file system in the image
  std::string fs_type;                        ///< libtsk's name: fat32, ext4, ntfs...
  std::string fs_path;                        ///< path inside the file system, as `fls -p` prints it
  std::string inode;                          ///< metadata address: `518`, or `64-128-4` for NTFS streams
  std::string times_from;                     ///< which structure the times came from
  std::vector<Timestamp> times;
  // Byte ranges.
  std::optional<uint64_t> offset;  ///< absolute offset in the image
  std::optional<uint64_t> length;
  std::string area;                ///< unallocated, unpartitioned, image
  std::optional<ByteWindow> window;  ///< set when a work unit owns only part of this range
  /// Set on a window whose previous window of the same item is consumed by this process (the pipeline cut
  /// the item): a consumer may wait for that one (ItemConsumer::skipped tells when it never comes).
  bool after_window = false;
  // Archive members.
  std::string container_path;         ///< path of the outermost file that holds the archive chain
  std::vector<std::string> members;   ///< member names from the outermost archive inwards
  unsigned depth = 0;                 ///< archive nesting depth (0 = not in an archive)
  std::string link_target;            ///< symlinks
  /// Host path to re-open a host file (empty for items inside images).
  std::string host_path;
  /// The record this item was read from (--records): its fields pass through.
  std::shared_ptr<const record::Record> upstream;
};

using Opener = std::function<Result<std::unique_ptr<ByteStream>>()>;

struct Item {
  ItemInfo info;
  Opener open;  ///< safe to call from any thread, any number of times
  bool continuation = false;  ///< a later window of a range the pipeline cut for its workers (not counted again)
};

}  // namespace trawl::io
