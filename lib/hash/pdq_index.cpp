#include "hash/pdq_index.hpp"

#include <algorithm>
#include <bit>
#include <utility>

namespace trawl::hash {
namespace {

using Words = std::array<uint64_t, 4>;

/// The 256 bits as four big-endian words, so chunk c is bytes 2c and 2c+1.
Words to_words(const PdqBits& bits) {
  Words w{};
  for (size_t i = 0; i < 32; ++i) w[i / 8] = w[i / 8] << 8 | bits[i];
  return w;
}

uint16_t chunk_of(const Words& w, int chunk) { return static_cast<uint16_t>(w[chunk / 4] >> ((3 - chunk % 4) * 16)); }

int distance(const Words& a, const Words& b) {
  return std::popcount(a[0] ^ b[0]) + std::popcount(a[1] ^ b[1]) + std::popcount(a[2] ^ b[2]) +
         std::popcount(a[3] ^ b[3]);
}

constexpr int kMaxRadius = 2;  // beyond, probes per chunk (1 + 16 + 120 + 560...) cost more than they save

void sort_matches(std::vector<PdqMatch>& out) {
  std::sort(out.begin(), out.end(), [](const PdqMatch& a, const PdqMatch& b) {
    return a.distance != b.distance ? a.distance < b.distance : a.id < b.id;
  });
}

}  // namespace

PdqIndex::PdqIndex(std::vector<PdqEntry> entries) {
  // Positions are 32-bit: four billion hashes would need 400 GiB of tables anyway.
  hashes_.reserve(entries.size());
  ids_.reserve(entries.size());
  for (const PdqEntry& e : entries) {
    hashes_.push_back(to_words(e.hash));
    ids_.push_back(e.id);
  }
  starts_.assign(kChunks, std::vector<uint32_t>(kBuckets + 1, 0));
  positions_.assign(kChunks, std::vector<uint32_t>(hashes_.size()));
  for (int c = 0; c < kChunks; ++c) {  // counting sort of positions by chunk value
    auto& starts = starts_[c];
    for (const Words& w : hashes_) ++starts[chunk_of(w, c) + 1];
    for (size_t v = 0; v < kBuckets; ++v) starts[v + 1] += starts[v];
    std::vector<uint32_t> cursor(starts.begin(), starts.end() - 1);
    for (size_t p = 0; p < hashes_.size(); ++p) positions_[c][cursor[chunk_of(hashes_[p], c)]++] = static_cast<uint32_t>(p);
  }
}

void PdqIndex::query(const PdqBits& hash, int max_distance, std::vector<PdqMatch>& out) const {
  out.clear();
  if (max_distance < 0 || hashes_.empty()) return;
  max_distance = std::min(max_distance, 256);
  const Words q = to_words(hash);
  const int radius = max_distance / kChunks;
  if (radius > kMaxRadius) {
    for (size_t p = 0; p < hashes_.size(); ++p)
      if (const int d = distance(hashes_[p], q); d <= max_distance) out.push_back({ids_[p], d});
    sort_matches(out);
    return;
  }
  // The work is random memory reads (bucket bounds, bucket contents, the
  // candidates' hashes), so it runs in three passes that each prefetch ahead:
  // thousands of independent cache misses overlap instead of queueing.
  struct Probe {
    uint32_t chunk, value;
  };
  struct Candidate {
    uint32_t position, chunk;
  };
  thread_local std::vector<Probe> probes;
  thread_local std::vector<Candidate> candidates;
  probes.clear();
  candidates.clear();
  for (int c = 0; c < kChunks; ++c) {
    const uint32_t v = chunk_of(q, c);
    probes.push_back({static_cast<uint32_t>(c), v});
    if (radius >= 1)
      for (int a = 0; a < 16; ++a) {
        probes.push_back({static_cast<uint32_t>(c), v ^ (1u << a)});
        if (radius >= 2)
          for (int b = a + 1; b < 16; ++b) probes.push_back({static_cast<uint32_t>(c), v ^ (1u << a) ^ (1u << b)});
      }
  }
  for (const Probe& p : probes) __builtin_prefetch(&starts_[p.chunk][p.value]);
  for (const Probe& p : probes) __builtin_prefetch(&positions_[p.chunk][0] + starts_[p.chunk][p.value]);
  for (const Probe& p : probes) {
    const uint32_t* positions = positions_[p.chunk].data();
    for (uint32_t i = starts_[p.chunk][p.value], end = starts_[p.chunk][p.value + 1]; i < end; ++i)
      candidates.push_back({positions[i], p.chunk});
  }
  constexpr size_t kAhead = 16;
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (i + kAhead < candidates.size()) __builtin_prefetch(&hashes_[candidates[i + kAhead].position]);
    const Words& w = hashes_[candidates[i].position];
    const int d = distance(w, q);
    if (d > max_distance) continue;
    // Found already through an earlier chunk within the radius? Each hash is
    // reported once: from the first chunk that brings it within reach.
    bool earlier = false;
    for (uint32_t c = 0; c < candidates[i].chunk && !earlier; ++c)
      earlier = std::popcount(static_cast<unsigned>(chunk_of(w, static_cast<int>(c)) ^ chunk_of(q, static_cast<int>(c)))) <=
                radius;
    if (!earlier) out.push_back({ids_[candidates[i].position], d});
  }
  sort_matches(out);
}

std::vector<PdqMatch> PdqIndex::query(const PdqBits& hash, int max_distance) const {
  std::vector<PdqMatch> out;
  query(hash, max_distance, out);
  return out;
}

Result<PdqSet> load_pdq_set(const std::string& path, const PdqSetOptions& options, const ProblemVisitor& on_problem) {
  PdqSet set;
  std::vector<PdqEntry> entries;
  auto info = read_known_set(
      path,
      [&](const KnownEntry& e) {
        if (!e.pdq) {
          ++set.without_pdq;
        } else if (e.pdq_quality && *e.pdq_quality < options.min_quality) {
          ++set.low_quality;
        } else {
          entries.push_back({*e.pdq, set.names.size()});
          set.names.push_back(e.name);
          set.qualities.push_back(e.pdq_quality.value_or(-1));
        }
        return true;
      },
      on_problem, options.strict);
  if (!info) return info.error();
  set.info = *info;
  set.index = PdqIndex(std::move(entries));
  return set;
}

}  // namespace trawl::hash
