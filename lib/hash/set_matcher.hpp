#pragma once
// Matching an item's digests against loaded known-good and known-bad sets.
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "hash/category_profile.hpp"
#include "hash/set_index.hpp"
#include "record/record.hpp"

namespace trawl::hash {

/// A set ready for lookups, with the label records name it by.
struct LoadedSet {
  std::shared_ptr<const SetIndex> index;
  std::string label;
};

/// Lower-case hex digests of one item, as MultiDigest::finish returns them.
using ItemDigests = std::vector<std::pair<Algorithm, std::string>>;

class SetMatcher {
 public:
  SetMatcher(std::vector<LoadedSet> good, std::vector<LoadedSet> bad, CategoryProfile profile);

  /// Every algorithm any loaded set holds digests of.
  std::vector<Algorithm> algorithms() const;
  /// The label of the first known-good set holding one of the digests.
  std::optional<std::string> known_good(const ItemDigests& digests) const;
  /// One `match` record per (bad set, entry) the digests hit: the item's
  /// record with type `match` and the set's label, kind, version, the
  /// algorithms that matched, `partial` when the entry has another digest
  /// that differs from the item's, and the entry's provenance.
  std::vector<record::Record> match_bad(const record::Record& item, const ItemDigests& digests) const;

 private:
  std::vector<LoadedSet> good_, bad_;
  CategoryProfile profile_;
};

}  // namespace trawl::hash
