// Feeds arbitrary bytes to walk_archive, as a seekable stream, with small
// limits, reading every member to its end. Finds crashes, hangs and unbounded
// allocation in the libarchive adapter. Seeds: tests/data/archives.
#include <cstddef>
#include <cstdint>
#include <string>

#include "io/archive_walk.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace trawl;
  io::MemoryStream stream(std::string(reinterpret_cast<const char*>(data), size));
  io::ItemInfo parent;
  parent.source = "fuzz";
  parent.path = "fuzz/input.gz";  // a bare compressed stream gets a member name from it
  parent.host_path = parent.path;
  Limits limits;
  limits.max_member_bytes = 4 << 20;
  limits.max_archive_bytes = 8 << 20;
  limits.max_ratio = 200;
  limits.ratio_floor_bytes = 256 << 10;
  limits.max_entries = 256;
  io::ArchiveBudget budget;
  auto on_member = [](io::ItemInfo& info, io::ByteStream& member) {
    if (info.path.empty() || info.members.empty()) __builtin_trap();  // every member has an address
    std::byte block[16 * 1024];
    for (;;) {
      auto n = member.read(block);
      if (!n || *n == 0) break;
      if (*n > sizeof block) __builtin_trap();
    }
    return true;
  };
  auto on_error = [](const std::string&, const Error&) {};
  (void)io::walk_archive(stream, parent, limits, budget, on_member, on_error);
  return 0;
}
