#include "io/ext_dir_block.hpp"

#include <algorithm>

#include "core/byte_read.hpp"

namespace trawl::io {
namespace {

constexpr size_t kHeader = 8;  // inode (4), rec_len (2), name_len (1 or 2), type (0 or 1)
constexpr size_t kMaxName = 255;

/// The bytes an entry with a name of `name_length` bytes needs: header and name, rounded up to four.
constexpr size_t entry_length(size_t name_length) { return (kHeader + name_length + 3) & ~size_t{3}; }

}  // namespace

std::vector<ExtDirEntry> parse_ext_dir_block(std::span<const std::byte> block, uint64_t last_inode, bool has_file_type,
                                             bool directory_deleted) {
  std::vector<ExtDirEntry> out;
  const size_t length = block.size();
  // deleted_left: bytes of slack still to search after a live entry; while it is positive, what is found is deleted.
  size_t deleted_left = 0;
  size_t step = 4;
  // An entry header of zeros (the free end of most blocks) is no entry.
  auto zeros_at = [&](size_t at) { return bytes::u32le(block, at) == 0 && bytes::u32le(block, at + 4) == 0; };
  for (size_t at = 0; length >= entry_length(1) && at <= length - entry_length(1); at += step) {
    if (zeros_at(at)) {  // stepped over a word at a time, as below, but in one go
      size_t words = 1;
      while (at + 4 * words <= length - entry_length(1) && zeros_at(at + 4 * words)) ++words;
      deleted_left -= std::min(deleted_left, 4 * words);
      step = 4 * words;
      continue;
    }
    const uint32_t inode = bytes::u32le(block, at);
    const size_t record = bytes::u16le(block, at + 4);
    const size_t name_length = has_file_type ? bytes::u8(block, at + 6) : bytes::u16le(block, at + 6);
    const size_t needed = entry_length(name_length);
    step = needed;
    const bool plausible = inode <= last_inode && name_length != 0 && name_length <= kMaxName && record >= needed &&
                           record % 4 == 0 && record <= length - at;
    // A deleted entry must also end inside the slack being searched.
    if (!plausible || (deleted_left != 0 && deleted_left < needed)) {
      step = 4;
      if (deleted_left > 0) deleted_left -= 4;
      continue;
    }
    ExtDirEntry entry;
    entry.inode = inode;
    const auto* name = reinterpret_cast<const char*>(block.data() + at + kHeader);
    entry.name.assign(name, std::find(name, name + name_length, '\0'));
    entry.file_type = has_file_type ? bytes::u8(block, at + 7) : 0;
    entry.offset = at;
    entry.deleted = deleted_left > 0 || inode == 0 || directory_deleted;
    if (deleted_left > 0) deleted_left -= needed;
    out.push_back(std::move(entry));
    if (deleted_left == 0) {
      // Slack that could hold an entry is searched next; a smaller remainder is skipped.
      if (record - needed >= entry_length(1)) deleted_left = record - needed;
      else step = record;
    }
  }
  return out;
}

}  // namespace trawl::io
