#pragma once
// Reads a few named members of a zip held in memory (OOXML docProps, ODF
// meta.xml) through io::walk_archive, with a per-member size cap. Internal
// to the office metadata parsers.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "formats/meta_field.hpp"

namespace trawl::formats::docmeta {

struct ZipPart {
  std::string name;
  std::vector<uint8_t> bytes;
  std::optional<int64_t> mtime;  ///< as the archive reader gives it (DOS times: local, converted by mktime)
  bool truncated = false;        ///< larger than the cap; bytes hold the start
};

/// The members among `wanted` (exact names), in archive order. Problems go
/// to outcome.warnings with the "zip: " prefix.
std::vector<ZipPart> read_zip_parts(std::span<const uint8_t> bytes, const std::vector<std::string>& wanted,
                                    uint64_t max_part_bytes, MetaOutcome& outcome);

/// A DOS-style local wall-clock time of a zip member as ISO 8601 without a
/// zone ("2023-03-11T10:10:10"): the inverse of the reader's mktime.
std::string zip_local_time(int64_t seconds);

}  // namespace trawl::formats::docmeta
