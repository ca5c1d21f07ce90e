#include "io/ext_block_map.hpp"

#include <string>

#include "core/byte_read.hpp"

namespace trawl::io {

ExtBlockMap::ExtBlockMap(const std::array<uint64_t, 15>& pointers, uint32_t block_size, uint64_t last_block,
                         ReadBlock read)
    : pointers_(pointers), block_size_(block_size), per_block_(block_size / 4), last_block_(last_block),
      read_(std::move(read)), scratch_(block_size) {}

uint64_t ExtBlockMap::capacity() const {
  return 12 + per_block_ + per_block_ * per_block_ + per_block_ * per_block_ * per_block_;
}

Result<uint64_t> ExtBlockMap::entry(uint64_t block, uint64_t index) {
  if (block > last_block_)
    return make_error(Errc::data_loss, "indirect block " + std::to_string(block) + " is past the file system");
  // Which cache slot: the level is not known here, so the slot of the same block, else the least useful one.
  Cached* slot = nullptr;
  for (Cached& c : cache_)
    if (c.block == block && !c.entries.empty()) slot = &c;
  if (slot == nullptr) {
    if (!read_(block, scratch_)) return make_error(Errc::io, "cannot read indirect block " + std::to_string(block));
    cache_[2] = std::move(cache_[1]);
    cache_[1] = std::move(cache_[0]);
    slot = &cache_[0];
    slot->block = block;
    slot->entries.resize(per_block_);
    for (uint64_t i = 0; i < per_block_; ++i) slot->entries[i] = bytes::u32le(scratch_, 4 * i);
  }
  return slot->entries[index];
}

Result<uint64_t> ExtBlockMap::resolve(uint64_t logical) {
  if (logical < 12) return pointers_[logical];
  logical -= 12;
  const uint64_t p = per_block_;
  // The pointer blocks from the top of the tree down, and the index in each.
  uint64_t top;
  std::array<uint64_t, 3> index{};
  unsigned levels;
  if (logical < p) {
    top = pointers_[12], levels = 1, index[0] = logical;
  } else if ((logical -= p) < p * p) {
    top = pointers_[13], levels = 2, index[0] = logical / p, index[1] = logical % p;
  } else if ((logical -= p * p) < p * p * p) {
    top = pointers_[14], levels = 3, index[0] = logical / (p * p), index[1] = logical / p % p, index[2] = logical % p;
  } else {
    return make_error(Errc::out_of_range, "past what a block map addresses");
  }
  uint64_t at = top;
  for (unsigned level = 0; level < levels; ++level) {
    if (at == 0) return uint64_t{0};  // a hole: every block below it is one
    auto next = entry(at, index[level]);
    if (!next) return next.error();
    at = *next;
  }
  return at;
}

Result<ExtBlockMap::Extent> ExtBlockMap::extent(uint64_t logical, uint64_t most) {
  auto first = resolve(logical);
  if (!first) return first.error();
  Extent out{*first, 1};
  while (out.count < most) {
    auto next = resolve(logical + out.count);
    if (!next || (out.physical == 0 ? *next != 0 : *next != out.physical + out.count)) break;
    ++out.count;
  }
  if (out.physical != 0 && (out.physical > last_block_ || out.count - 1 > last_block_ - out.physical))
    return make_error(Errc::data_loss, "block " + std::to_string(out.physical) + " is past the file system");
  return out;
}

}  // namespace trawl::io
