// Feeds arbitrary bytes to the ext2/3/4 directory block reader, in both entry layouts and as a live and a deleted
// directory. Properties: nothing crashes or reads out of bounds; every entry lies inside the block, in order,
// names no longer than the bytes they came from and free of NUL bytes; a deleted directory gives the same names.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "io/ext_dir_block.hpp"

namespace {

void require(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint64_t last_inode = data[0] * 97u + 11u;  // small enough for fuzzed inodes to pass now and then
  const std::span<const std::byte> block(reinterpret_cast<const std::byte*>(data + 1), size - 1);
  for (bool file_type : {true, false}) {
    const auto live = trawl::io::parse_ext_dir_block(block, last_inode, file_type, false);
    const auto dead = trawl::io::parse_ext_dir_block(block, last_inode, file_type, true);
    require(live.size() == dead.size());
    size_t previous = 0;
    for (size_t i = 0; i < live.size(); ++i) {
      const auto& e = live[i];
      require(i == 0 || e.offset > previous);
      previous = e.offset;
      require(e.offset + 8 + e.name.size() <= block.size());
      require(e.name.find('\0') == std::string::npos);
      require(e.inode <= last_inode);
      require(dead[i].deleted && dead[i].name == e.name && dead[i].offset == e.offset);
    }
  }
  return 0;
}
