#pragma once
// In-memory multi-index hashing (Norouzi et al.) over PDQ hashes: the 256
// bits are cut into 16 chunks of 16 bits, each with its own table from chunk
// value to the hashes holding it. Two hashes within distance d differ in at
// most floor(d / 16) bits in some chunk (pigeonhole), so a query probes, per
// chunk, every value within that radius and verifies the full distance of
// what it finds: radius 0 up to d = 15, radius 1 (17 probes per chunk) up to
// the usual match threshold of 31, radius 2 up to 47. Larger distances fall
// back to a linear scan. Results are exact: the same as a brute-force scan.
#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "hash/known_set.hpp"
#include "hash/pdq.hpp"

namespace trawl::hash {

struct PdqEntry {
  PdqBits hash{};
  uint64_t id = 0;  ///< caller's payload, returned with each match
};

struct PdqMatch {
  uint64_t id = 0;
  int distance = 0;
  bool operator==(const PdqMatch&) const = default;
};

class PdqIndex {
 public:
  PdqIndex() = default;
  /// Builds the tables; O(n) time, about 100 bytes per hash.
  explicit PdqIndex(std::vector<PdqEntry> entries);

  size_t size() const { return ids_.size(); }
  bool empty() const { return ids_.empty(); }

  /// Every entry within Hamming distance `max_distance` (clamped to 0..256)
  /// of `hash`, sorted by distance, then id. Thread-safe (scratch is thread_local).
  std::vector<PdqMatch> query(const PdqBits& hash, int max_distance) const;
  /// The same, appending to `out` (cleared first) to reuse its storage.
  void query(const PdqBits& hash, int max_distance, std::vector<PdqMatch>& out) const;

 private:
  static constexpr int kChunks = 16;
  static constexpr size_t kBuckets = 1u << 16;
  using Words = std::array<uint64_t, 4>;

  std::vector<Words> hashes_;  // by position
  std::vector<uint64_t> ids_;  // by position
  // Per chunk, CSR: positions with chunk value v are
  // positions_[c][starts_[c][v] .. starts_[c][v + 1]).
  std::vector<std::vector<uint32_t>> starts_;
  std::vector<std::vector<uint32_t>> positions_;
};

/// A PDQ list (or any known set holding PDQ hashes) loaded into an index.
/// Match ids are positions in `names` / `qualities`.
struct PdqSet {
  PdqIndex index;
  std::vector<std::string> names;  ///< the set's name for each hash (may be empty)
  std::vector<int> qualities;      ///< -1 when the set gives none
  SetInfo info;                    ///< as read_known_set reports it
  uint64_t low_quality = 0;        ///< entries skipped for quality < min_quality
  uint64_t without_pdq = 0;        ///< entries skipped for carrying no PDQ hash
};

struct PdqSetOptions {
  /// Hashes whose stated quality is below this are not indexed (the
  /// reference's advice: quality < 50 hashes are not reliable). Entries that
  /// state no quality are kept.
  int min_quality = 50;
  bool strict = false;  ///< passed to read_known_set
};

/// Reads the set at `path` with read_known_set and indexes its PDQ hashes.
/// Errors are read_known_set's; problems go to `on_problem`.
Result<PdqSet> load_pdq_set(const std::string& path, const PdqSetOptions& options, const ProblemVisitor& on_problem);

}  // namespace trawl::hash
