#pragma once
// Loading the sets named by --known-good / --known-bad.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/cli.hpp"
#include "hash/block_index.hpp"
#include "hash/fuzzy_digest.hpp"
#include "hash/pdq_index.hpp"
#include "hash/set_matcher.hpp"

namespace trawl::tools {

/// An ssdeep list given as a known-bad set: matched by similarity.
struct FuzzySet {
  std::string label;
  std::vector<hash::FuzzyEntry> entries;
};

/// A PDQ list given as a known-bad set: matched by Hamming distance.
struct PerceptualSet {
  std::string label;
  std::shared_ptr<const hash::PdqSet> set;
};

/// A block index given as a known-bad set: byte ranges are scanned for its blocks.
struct BlockSet {
  std::string label;
  std::shared_ptr<const hash::BlockIndex> index;
};

struct KnownSets {
  std::shared_ptr<const hash::SetMatcher> exact;  ///< digest sets (may be null when only ssdeep or PDQ lists were given)
  std::vector<FuzzySet> fuzzy;
  int ssdeep_threshold = 0;  ///< report scores above this, as `ssdeep -m -t` does
  std::vector<PerceptualSet> perceptual;
  int pdq_distance = 31;     ///< report PDQ hashes at most this many bits apart
  bool pdq_dihedral = false; ///< also match the 8 rotations and flips
  std::vector<BlockSet> blocks;
};

/// Opens every set (a .tidx index, a set file compiled in memory, or an
/// ssdeep list). Set problems are reported on stderr; a set that cannot be
/// read at all, or any problem with --strict, throws cli::SetupError.
std::shared_ptr<const KnownSets> load_known_sets(const cli::po::variables_map& vm);

/// The largest block size of the block indexes among --known-bad, or none
/// when there is none: long byte ranges are then cut into work units (and
/// shared out among the threads) for block matching.
std::optional<uint64_t> block_margin(const cli::po::variables_map& vm);

}  // namespace trawl::tools
