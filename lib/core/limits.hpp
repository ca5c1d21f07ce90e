#pragma once
// Limits that keep hostile input from hanging or exhausting the machine. One
// struct, passed down; never globals. Hitting a limit yields a record.
#include <cstdint>

namespace trawl {

struct Limits {
  /// Archives inside archives: depth 1 is a member of a top-level archive.
  unsigned max_depth = 8;
  /// Expanded bytes of a single archive member.
  uint64_t max_member_bytes = 4ull << 30;
  /// Expanded bytes of all members of one archive, nested ones included.
  uint64_t max_archive_bytes = 16ull << 30;
  /// Expanded bytes per compressed byte before an archive counts as a bomb.
  /// Checked once a member has expanded past ratio_floor_bytes.
  uint64_t max_ratio = 1000;
  uint64_t ratio_floor_bytes = 16ull << 20;
  /// Members listed in one archive.
  uint64_t max_entries = 1'000'000;
  /// A nested archive is read into memory to open it; larger ones are hashed
  /// but not descended into (a record says so).
  uint64_t max_nested_buffer = 512ull << 20;
};

}  // namespace trawl
