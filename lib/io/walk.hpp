#pragma once
// Walking evidence: every source kind reports what it finds to one visitor.
#include <cstdint>
#include <optional>
#include <string>

#include "core/limits.hpp"
#include "core/result.hpp"
#include "io/item.hpp"

namespace trawl::io {

/// Restricts a walk to one work unit (work_unit.hpp). A source's walk is cut
/// into scopes: each volume (file system or partition, keyed by its byte
/// offset in the image) and the image's own byte ranges outside any volume
/// (unpartitioned gaps, the --raw whole image). The walk reports only the
/// selected scope, and of its events (volumes, items, errors, in walk order,
/// numbered from 0) only those in [first, last): the walk is metadata only,
/// so skipping costs no content reads, and a unit's records are a contiguous
/// slice of the unsharded run's records.
struct UnitSelector {
  enum class Scope { source, volume, outside };
  Scope scope = Scope::source;  ///< source: the whole source (no skipping)
  uint64_t volume_offset = 0;   ///< Scope::volume: the volume's offset in the image
  uint64_t first = 0;           ///< first event (in the scope) reported
  uint64_t last = UINT64_MAX;   ///< one past the last event reported
  /// The first unit of its source: it also reports what comes before the walk (--verify-image).
  bool head = true;
  /// When set, event `first` is a byte range item of which only this window (item offsets) is the unit's.
  std::optional<ByteWindow> window;
};

struct WalkOptions {
  bool unallocated = false;   ///< also report unallocated runs and unpartitioned gaps
  bool raw = false;           ///< also report each whole image as one byte range
  bool archives = true;       ///< descend into archives
  bool verify_image = false;  ///< hash EWF media and compare with the stored digests
  /// Look for orphan files (no name left) after each file system's directory
  /// walk. Finding them reads every inode; a plan leaves them out when nothing
  /// follows them in the volume's walk (see plan_units).
  bool orphans = true;
  /// The walk feeds a plan (work_unit.hpp), which weighs items and opens
  /// none: image items carry no times, link targets or openers, and without
  /// `orphans` ext2/3/4 directories are listed by trawl's reader of their
  /// names (ext_dir_block.hpp), which follows libtsk's rules without its
  /// quadratic loading.
  bool planning = false;
  Limits limits;
  std::optional<UnitSelector> unit;  ///< run only this work unit of the source
};

/// A problem met while walking; becomes an `error` record and a diagnostic.
struct WalkError {
  std::string source;
  std::string path;
  Error error;
  std::optional<uint64_t> offset;
};

/// A partition or file system found in an image.
struct VolumeInfo {
  std::string source;
  std::string path;                  ///< display path prefix of its files
  std::optional<unsigned> partition; ///< absent for an image without a partition table
  uint64_t offset = 0;
  uint64_t length = 0;
  std::string scheme;                ///< dos, gpt, ... or empty
  std::string description;           ///< partition type as the table names it
  std::string fs_type;               ///< empty when no file system was recognised
};

/// Result of checking an image's media against its stored digests.
struct ImageCheck {
  std::string source;
  std::string format;  ///< ewf, raw
  uint64_t media_size = 0;
  std::string stored_md5, stored_sha1, computed_md5, computed_sha1;
  std::optional<bool> verified;  ///< absent when nothing was stored to compare with
  std::string error;             ///< why the media could not be read, if it could not
};

class WalkVisitor {
 public:
  virtual ~WalkVisitor() = default;
  /// A new item; returns false to stop the walk.
  virtual bool item(Item item) = 0;
  virtual void volume(const VolumeInfo& volume) = 0;
  virtual void image_check(const ImageCheck& check) = 0;
  virtual void error(const WalkError& error) = 0;
  /// True once the consumer wants no more (e.g. the output pipe closed).
  virtual bool stopped() const = 0;
  /// An image walk enters a volume (its offset in the image) or, with
  /// nullopt, the image's byte ranges outside every volume. Only the planner
  /// listens (work_unit.cpp); events before the first call belong to the source.
  virtual void scope(std::optional<uint64_t> volume_offset) { (void)volume_offset; }
  /// A walk for a plan that leaves the orphans out (WalkOptions::planning
  /// without `orphans`) passes where libtsk walks a file system's orphans:
  /// the root's $OrphanFiles, last but for pagefile.sys and hiberfil.sys. A
  /// unit's walk has them there, so no unit may start after this place.
  virtual void orphans_skipped() {}
};

}  // namespace trawl::io
