#include "formats/office_zip.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "io/archive_walk.hpp"
#include "io/byte_stream.hpp"

namespace trawl::formats::docmeta {

std::vector<ZipPart> read_zip_parts(std::span<const uint8_t> bytes, const std::vector<std::string>& wanted,
                                    uint64_t max_part_bytes, MetaOutcome& outcome) {
  std::vector<ZipPart> parts;
  io::MemoryStream stream(std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  io::ItemInfo parent;
  parent.path = "item";
  Limits limits;
  limits.max_depth = 1;
  limits.max_member_bytes = max_part_bytes * 4;
  limits.max_entries = 100'000;
  io::ArchiveBudget budget;
  auto on_member = [&](io::ItemInfo& info, io::ByteStream& data) {
    const std::string name = info.members.empty() ? std::string() : info.members.back();
    if (std::find(wanted.begin(), wanted.end(), name) == wanted.end()) return true;
    ZipPart part;
    part.name = name;
    for (const auto& t : info.times)
      if (t.name == "mtime") part.mtime = t.seconds;
    std::byte block[16384];
    while (true) {
      auto n = data.read(block);
      if (!n.ok()) {
        outcome.warnings.push_back("zip: " + name + ": " + n.error().detail);
        break;
      }
      if (*n == 0) break;
      const uint64_t room = max_part_bytes - part.bytes.size();
      const auto take = static_cast<size_t>(std::min<uint64_t>(room, *n));
      const auto* p = reinterpret_cast<const uint8_t*>(block);
      part.bytes.insert(part.bytes.end(), p, p + take);
      if (take < *n) {
        part.truncated = true;
        outcome.warnings.push_back("zip: " + name + " larger than the value limit; read in part");
        break;
      }
    }
    parts.push_back(std::move(part));
    return parts.size() < wanted.size() * 4;  // duplicates are kept, within reason
  };
  auto on_error = [&](const std::string& path, const Error& error) {
    if (outcome.warnings.size() < 100) outcome.warnings.push_back("zip: " + path + ": " + error.detail);
  };
  const Status status = io::walk_archive(stream, parent, limits, budget, on_member, on_error);
  if (!status.ok()) outcome.warnings.push_back("zip: " + status.error().detail);
  return parts;
}

std::string zip_local_time(int64_t seconds) {
  const auto t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  if (localtime_r(&t, &tm) == nullptr) return {};
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec);
  return text;
}

}  // namespace trawl::formats::docmeta
