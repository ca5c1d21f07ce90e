#include "hash/block_scan.hpp"

#include <algorithm>
#include <cstring>
#include <tuple>

#include "hash/digest.hpp"

namespace trawl::hash {

bool operator==(const BlockRun& a, const BlockRun& b) {
  return std::tie(a.offset, a.length, a.file, a.first_block, a.block_count) ==
         std::tie(b.offset, b.length, b.file, b.first_block, b.block_count);
}

namespace {

bool run_less(const BlockRun& a, const BlockRun& b) {
  return std::tie(a.offset, a.file, a.first_block) < std::tie(b.offset, b.file, b.first_block);
}

/// Joins matching windows into runs and hands runs out in order of offset.
/// Windows arrive in increasing offset, so a run whose next window lies
/// behind the current one is finished; a finished run is reported once no
/// run still growing started before it.
class RunMerger {
 public:
  RunMerger(uint64_t block_size, const BlockScanOptions& options, const BlockRunVisitor& visit, BlockScanStats& stats)
      : block_size_(block_size), options_(options), visit_(visit), stats_(stats) {}

  /// The window at `offset` matched `refs` (sorted); false once the visitor stopped.
  bool add(uint64_t offset, const std::vector<BlockRef>& refs) {
    close_before(offset);
    const size_t growing = active_.size();
    for (const auto& ref : refs) {
      auto it = std::find_if(active_.begin(), active_.begin() + static_cast<std::ptrdiff_t>(growing), [&](const BlockRun& r) {
        return r.offset + r.length == offset && r.first_block + r.block_count == ref.block && r.file == ref.file;
      });
      if (it != active_.begin() + static_cast<std::ptrdiff_t>(growing)) {
        it->length += block_size_;
        ++it->block_count;
      } else if (offset < options_.own_until) {  // a run starting past the window is the next one's
        active_.push_back(BlockRun{offset, block_size_, ref.file, ref.block, 1});
      }
    }
    return emit(false);
  }

  /// True when a run this scan owns ends exactly at `offset` (the window there may continue it).
  bool owned_ends_at(uint64_t offset) const {
    return std::any_of(active_.begin(), active_.end(), [&](const BlockRun& r) { return owned(r) && r.offset + r.length == offset; });
  }

  /// True while a run this scan owns may still grow at `offset` or later.
  bool owned_open(uint64_t offset) const {
    return std::any_of(active_.begin(), active_.end(), [&](const BlockRun& r) { return owned(r) && r.offset + r.length >= offset; });
  }

  bool finish() {
    closed_.insert(closed_.end(), active_.begin(), active_.end());
    active_.clear();
    return emit(true);
  }

 private:
  bool owned(const BlockRun& r) const { return r.offset >= options_.own_from && r.offset < options_.own_until; }

  void close_before(uint64_t offset) {
    auto done = std::stable_partition(active_.begin(), active_.end(),
                                      [&](const BlockRun& r) { return r.offset + r.length >= offset; });
    closed_.insert(closed_.end(), done, active_.end());
    active_.erase(done, active_.end());
  }

  bool emit(bool all) {
    if (closed_.empty()) return !stopped_;
    std::sort(closed_.begin(), closed_.end(), run_less);
    size_t ready = closed_.size();
    if (!all && !active_.empty()) {
      const BlockRun& first = *std::min_element(active_.begin(), active_.end(), run_less);
      ready = static_cast<size_t>(std::lower_bound(closed_.begin(), closed_.end(), first, run_less) - closed_.begin());
    }
    for (size_t i = 0; i < ready && !stopped_; ++i) {
      // Runs from the look-back before own_from started in the previous window: its owner reports them.
      if (closed_[i].block_count < options_.min_blocks || !owned(closed_[i])) continue;
      ++stats_.runs;
      if (!visit_(closed_[i])) stopped_ = true;
    }
    closed_.erase(closed_.begin(), closed_.begin() + static_cast<std::ptrdiff_t>(ready));
    return !stopped_;
  }

  uint64_t block_size_;
  const BlockScanOptions& options_;
  const BlockRunVisitor& visit_;
  BlockScanStats& stats_;
  std::vector<BlockRun> active_, closed_;
  bool stopped_ = false;
};

void md5_into(MultiDigest& md5, std::span<const std::byte> bytes, std::vector<uint8_t>& out) {
  md5.update(bytes);
  const std::string hex = md5.finish().front().second;
  auto nibble = [](char c) { return static_cast<uint8_t>(c <= '9' ? c - '0' : c - 'a' + 10); };
  for (size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<uint8_t>(nibble(hex[i]) << 4 | nibble(hex[i + 1])));
}

}  // namespace

BlockScanner::BlockScanner(const BlockIndex& index, BlockScanOptions options) : index_(index), options_(options) {}

Status BlockScanner::scan(io::ByteStream& stream, uint64_t offset, const BlockRunVisitor& on_run) {
  const size_t block_size = index_.block_size();
  const size_t step = options_.step;
  if (step == 0 || step % kSectorSize != 0)
    return make_error(Errc::invalid_argument, "block scan step " + std::to_string(step) + " is not a multiple of 512");
  if (options_.page_size == 0 || options_.batch == 0) return make_error(Errc::invalid_argument, "block scan page and batch must not be 0");
  const size_t page_size = options_.page_size;
  const size_t sectors_per_block = block_size / kSectorSize;
  const BlockFilter* filter = index_.filter();
  const SetIndex& set = index_.set();

  RunMerger merger(block_size, options_, on_run, stats_);
  MultiDigest md5({Algorithm::md5});
  std::vector<std::byte> buffer(page_size + block_size);
  std::vector<uint64_t> keys;  // sector keys of the current buffer, from its first whole sector
  std::vector<uint8_t> digests, found;
  std::vector<uint64_t> window_offsets;
  std::vector<BlockRef> refs;

  // Looks the batch up; matches go to the merger in offset order.
  auto flush = [&]() -> bool {
    if (window_offsets.empty()) return true;
    found.assign(window_offsets.size(), 0);
    const size_t hits = set.contains_many(Algorithm::md5, digests, found);
    bool go_on = true;
    for (size_t i = 0; hits > 0 && go_on && i < window_offsets.size(); ++i) {
      if (found[i] == 0) continue;
      ++stats_.matched;
      auto matches = set.find(Algorithm::md5, std::span<const uint8_t>(digests).subspan(i * 16, 16));
      if (matches.size() > options_.max_matches) {
        stats_.truncated += matches.size() - options_.max_matches;
        matches.resize(options_.max_matches);
      }
      refs.clear();
      for (const auto& m : matches)
        if (auto ref = parse_block_name(m.provenance.name)) refs.push_back(std::move(*ref));
      std::sort(refs.begin(), refs.end(),
                [](const BlockRef& a, const BlockRef& b) { return std::tie(a.file, a.block) < std::tie(b.file, b.block); });
      if (!refs.empty()) go_on = merger.add(window_offsets[i], refs);
    }
    digests.clear();
    window_offsets.clear();
    return go_on;
  };

  // The look-back: windows from one block before own_from show whether a run is already under way there.
  const uint64_t look_from = options_.own_from > block_size ? options_.own_from - block_size : 0;
  bool past_end = false;  // windows from own_until on: only those continuing an owned run are tried

  std::optional<Error> read_error;
  bool eof = false, go_on = true, owned_over = false;
  size_t have = 0;   // bytes in the buffer
  uint64_t pos = 0;  // offset of buffer[0] in the stream
  while (go_on && !owned_over) {
    while (!eof && have < buffer.size()) {
      auto n = stream.read(std::span(buffer).subspan(have));
      if (!n) {
        read_error = n.error();
        eof = true;
      } else if (*n == 0) {
        eof = true;
      } else {
        have += *n;
        stats_.bytes += *n;
      }
    }
    if (have < block_size) break;  // only at the end: no window fits any more
    const size_t page = std::min(page_size, have);
    const uint64_t at = offset + pos;  // absolute offset of buffer[0]
    const size_t first_window = static_cast<size_t>((step - at % step) % step);
    const size_t first_sector = static_cast<size_t>((kSectorSize - at % kSectorSize) % kSectorSize);
    if (filter != nullptr && first_sector < have) {
      // Sectors of every window that starts in the page (the margin's are hashed again with the next page).
      const size_t needed = std::min((have - first_sector) / kSectorSize,
                                     (page > first_sector ? (page - first_sector + kSectorSize - 1) / kSectorSize : 0) + sectors_per_block);
      keys.resize(needed);
      for (size_t s = 0; s < needed; ++s) keys[s] = sector_key(buffer.data() + first_sector + s * kSectorSize);
    }
    for (size_t r = first_window; go_on && r < page && r + block_size <= have; r += step) {
      const uint64_t window_at = at + r;
      if (window_at < look_from) continue;
      if (window_at >= options_.own_until) {
        if (!past_end) {
          // From here on the merger must be current: each window's answer decides whether to go on.
          past_end = true;
          if (!(go_on = flush())) break;
        }
        if (!merger.owned_open(window_at)) {
          owned_over = true;
          break;
        }
        if (!merger.owned_ends_at(window_at)) continue;
      }
      ++stats_.windows;
      if (filter != nullptr &&
          !filter->may_contain(block_key(std::span<const uint64_t>(keys).subspan((r - first_sector) / kSectorSize, sectors_per_block))))
        continue;
      ++stats_.filtered;
      const auto window = std::span<const std::byte>(buffer).subspan(r, block_size);
      if (!block_has_evidence(window)) {
        ++stats_.no_evidence;
        continue;
      }
      ++stats_.hashed;
      md5_into(md5, window, digests);
      window_offsets.push_back(window_at);
      if (past_end || window_offsets.size() >= options_.batch) go_on = flush();
    }
    // Roll the margin to the front.
    std::memmove(buffer.data(), buffer.data() + page, have - page);
    have -= page;
    pos += page;
  }
  if (go_on && flush()) merger.finish();
  // Stopped past own_until: an error further on, read ahead, is the next window's to report.
  if (read_error && !owned_over) return *read_error;
  return ok_status();
}

}  // namespace trawl::hash
