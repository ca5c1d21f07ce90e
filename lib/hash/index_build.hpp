#pragma once
// Building a `.tidx` from a stream of entries (internal to lib/hash).
// build_index() and SetIndex::compile() feed it the entries of known sets;
// tests and benchmarks feed it generated entries.
//
// Two external sorts keep memory bounded by BuildOptions::memory_budget:
//  1. whole entries, keyed by a hash of their provenance, then their digests:
//     identical entries meet and collapse, entries with the same provenance
//     meet so each distinct provenance is stored once, and entry ids are
//     handed out in this order;
//  2. per algorithm, (digest, entry id) pairs: the sorted digest arrays.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "hash/known_set.hpp"
#include "hash/set_index.hpp"

namespace trawl::hash {

/// Calls the visitor for every entry; may complete `meta` (version, sources)
/// before returning. Entries without an md5/sha1/sha256/sha512 are skipped.
using EntryStream = std::function<Status(const EntryVisitor& visit, IndexMeta& meta)>;

struct BuildStats {
  IndexMeta meta;            ///< as written; meta.entries counts distinct entries
  uint64_t entries_read = 0; ///< before duplicates collapsed
  uint64_t skipped = 0;      ///< entries without a digest the index holds
  uint64_t runs_spilled = 0; ///< sorted runs written to temp_dir
  uint64_t file_size = 0;
};

/// Writes the index to `output` (through `output + ".partial"`, renamed at the end).
Result<BuildStats> build_index_from(const EntryStream& entries, const std::string& output, const BuildOptions& options);
/// The same bytes, in memory.
Result<std::vector<uint8_t>> build_index_bytes(const EntryStream& entries, const BuildOptions& options, BuildStats* stats = nullptr);

}  // namespace trawl::hash
