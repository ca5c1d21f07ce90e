#pragma once
// A compiled known-file index (`.tidx`): per algorithm a sorted array of
// fixed-width binary digests with a prefix table, plus the set's name, kind,
// version and per-entry provenance stored once. Opened with mmap: no load
// step, pages shared between processes. The same layout can be built in
// memory for small sets given in their original formats.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "hash/digest.hpp"
#include "hash/known_set.hpp"

namespace trawl::hash {

enum class SetKind { good, bad };
const char* set_kind_name(SetKind kind);  ///< "good", "bad"

struct IndexMeta {
  std::string name;     ///< label given with --name (default: the first set's file name)
  SetKind kind = SetKind::bad;
  std::string version;  ///< the sets' own version strings, joined with "; "
  std::vector<std::string> sources;  ///< set files compiled in
  uint64_t entries = 0;
};

/// Provenance of one entry, as stored in the index.
struct Provenance {
  std::string name, category, product, media_id, series;
  std::optional<bool> victim_identified, is_distributed;
};

/// One entry that a digest matched.
struct IndexMatch {
  uint64_t entry = 0;               ///< entry number in the index
  Provenance provenance;
  /// Digests the entry carries; used to flag partial matches (the MD5 is in
  /// the set but the same entry's SHA-1 differs from the item's).
  bool has_md5 = false, has_sha1 = false, has_sha256 = false, has_sha512 = false;
};

struct BuildOptions {
  IndexMeta meta;
  std::string temp_dir;          ///< for external-sort runs (default: $TMPDIR or /tmp)
  uint64_t memory_budget = 2ull << 30;  ///< bytes of RAM the build may use before spilling runs
  bool strict = false;
};

/// Compiles `sets` into `output`. Streams with bounded memory (external
/// sort), so hundreds of millions of entries build in a few GiB. Problems in
/// the sets go to `on_problem` (with the set path in the message).
Result<IndexMeta> build_index(const std::vector<std::string>& sets, const std::string& output, const BuildOptions& options,
                              const ProblemVisitor& on_problem);

class SetIndex {
 public:
  ~SetIndex();
  SetIndex(SetIndex&&) noexcept;
  SetIndex& operator=(SetIndex&&) noexcept;

  /// Maps a `.tidx` file read-only. A truncated or foreign file, or one whose
  /// header checksum does not match, is rejected with a clear data_loss error.
  static Result<SetIndex> open(const std::string& path);
  /// Compiles sets in their original formats in memory (small sets).
  static Result<SetIndex> compile(const std::vector<std::string>& sets, const IndexMeta& meta, const ProblemVisitor& on_problem,
                                  bool strict = false);
  /// A `.tidx` file when the content says so, else a set compiled in memory.
  static Result<SetIndex> load(const std::string& path, const IndexMeta& meta, const ProblemVisitor& on_problem,
                               bool strict = false);

  const IndexMeta& meta() const;
  /// Algorithms this index holds digests of.
  std::vector<Algorithm> algorithms() const;
  /// Entries whose `algorithm` digest equals `digest` (binary, full length).
  std::vector<IndexMatch> find(Algorithm algorithm, std::span<const uint8_t> digest) const;
  /// Whether any entry has this digest; the fast path (no provenance decoded).
  bool contains(Algorithm algorithm, std::span<const uint8_t> digest) const;
  /// contains() for many digests at once (`keys` holds them back to back):
  /// `found[i]` is set to 1 or 0, and the number found is returned. Reads
  /// for later keys are started while earlier ones are compared, so a large
  /// index on a machine with slow memory still answers millions per second
  /// (block matching asks this way).
  size_t contains_many(Algorithm algorithm, std::span<const uint8_t> keys, std::span<uint8_t> found) const;

 private:
  struct Impl;
  explicit SetIndex(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// Bytes of a digest of `algorithm`: 16, 20, 32, 64.
size_t digest_size(Algorithm algorithm);
/// Parses lower- or upper-case hex of exactly `size` bytes.
std::optional<std::vector<uint8_t>> parse_hex(std::string_view text, size_t size);

}  // namespace trawl::hash
