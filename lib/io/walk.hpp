#pragma once
// Walking evidence: every source kind reports what it finds to one visitor.
#include <cstdint>
#include <optional>
#include <string>

#include "core/limits.hpp"
#include "core/result.hpp"
#include "io/item.hpp"

namespace trawl::io {

struct WalkOptions {
  bool unallocated = false;   ///< also report unallocated runs and unpartitioned gaps
  bool raw = false;           ///< also report each whole image as one byte range
  bool archives = true;       ///< descend into archives
  bool verify_image = false;  ///< hash EWF media and compare with the stored digests
  Limits limits;
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
};

}  // namespace trawl::io
