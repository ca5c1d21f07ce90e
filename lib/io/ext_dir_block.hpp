#pragma once
// The names in one block of an ext2/3/4 directory, live and deleted, the way
// The Sleuth Kit finds them: entries along the rec_len chain are live; the
// slack an entry leaves past its own length is searched, four bytes at a
// time, for the entries that deletion merged into it. A plan lists ext file
// systems with this instead of libtsk's directory loading, which compares
// every name with all the names before it (see list_ext_names in
// tsk_image.cpp). Pure: no I/O, no libtsk.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace trawl::io {

struct ExtDirEntry {
  uint32_t inode = 0;
  std::string name;       ///< up to the first NUL byte, as libtsk copies it
  uint8_t file_type = 0;  ///< the entry's type byte (1 file, 2 directory, 7 symlink...); 0 without it
  bool deleted = false;   ///< found in slack, inode 0, or in a deleted directory
  size_t offset = 0;      ///< where the entry starts in the block
};

/// Parses one directory block (or an inline directory's bytes). `last_inode`
/// is the highest valid metadata address; `has_file_type` says whether the
/// file system stores a type byte after a one-byte name length (the filetype
/// feature) or a two-byte name length; `directory_deleted` marks every entry
/// deleted. Never fails: what is not a plausible entry is skipped.
std::vector<ExtDirEntry> parse_ext_dir_block(std::span<const std::byte> block, uint64_t last_inode, bool has_file_type,
                                             bool directory_deleted);

}  // namespace trawl::io
