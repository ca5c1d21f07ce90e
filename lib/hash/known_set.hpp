#pragma once
// Known-file sets: the hash lists examiners are handed (hashdeep, md5sum,
// NIST NSRL RDS 2.x and RDSv3, Project VIC VICS / CAID, PDQ lists), read as
// a stream of entries. Readers never hold the whole set in memory; a
// malformed line or document gives a diagnostic and the rest still loads.
#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/result.hpp"

namespace trawl::hash {

/// What one set entry says about a known file. Digests are binary.
struct KnownEntry {
  std::optional<std::array<uint8_t, 16>> md5;
  std::optional<std::array<uint8_t, 20>> sha1;
  std::optional<std::array<uint8_t, 32>> sha256;
  std::optional<std::array<uint8_t, 64>> sha512;
  std::optional<std::array<uint8_t, 32>> pdq;  ///< PDQ lists: the 256-bit perceptual hash
  std::optional<int> pdq_quality;
  std::optional<uint64_t> size;
  std::string name;      ///< file name or path as the set gives it
  std::string category;  ///< VICS Category as written ("0".."5"), empty when none
  std::string product;   ///< NSRL product/package name(s), for provenance
  std::string media_id;  ///< VICS MediaID
  std::string series;    ///< VICS Series
  std::optional<bool> victim_identified;  ///< VICS VictimIdentified
  std::optional<bool> is_distributed;     ///< VICS IsDistributed
  std::string photodna;  ///< VICS PhotoDNA value, kept opaque
};

enum class SetFormat { hashdeep, md5sum, plain, nsrl_rds2, nsrl_rds3, vics, pdq };

/// Stable name of a format ("hashdeep", "md5sum", "plain", "nsrl-rds2", "nsrl-rds3", "vics", "pdq").
const char* set_format_name(SetFormat format);

/// What the set says about itself.
struct SetInfo {
  SetFormat format = SetFormat::plain;
  std::string version;  ///< RDSv3 VERSION table, VICS odata version, hashdeep header...
  uint64_t entries = 0; ///< entries delivered
  uint64_t problems = 0;///< malformed lines or elements skipped
};

/// A malformed part of a set: where (1-based line for text, byte offset) and what.
struct SetProblem {
  uint64_t line = 0;
  uint64_t offset = 0;
  std::string message;
};

using EntryVisitor = std::function<bool(const KnownEntry&)>;  ///< false stops reading
using ProblemVisitor = std::function<void(const SetProblem&)>;

/// Detects the format of the set at `path` from its content (never its
/// name) and streams its entries. With `strict`, the first problem ends the
/// read with a data_loss error naming line/offset; otherwise problems are
/// reported and skipped. Errors: not_found / io for the file, data_loss when
/// nothing in it is a known set format.
Result<SetInfo> read_known_set(const std::string& path, const EntryVisitor& on_entry, const ProblemVisitor& on_problem,
                               bool strict = false);

}  // namespace trawl::hash
