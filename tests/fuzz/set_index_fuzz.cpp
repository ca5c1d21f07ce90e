// Fuzzes SetIndex::open and the lookups on hostile `.tidx` files. The input's
// first byte picks how it becomes an index file:
//  0  the bytes as they are (magic, size and checksum checks);
//  1  the bytes with file size and header checksum repaired, so the section
//     table and sections behind it are reached;
//  2  entries decoded from the input, built in memory (every entry must then
//     be found), then damaged by (offset, xor) pairs from the rest of the
//     input, checksum repaired.
// The file goes through a memfd and /proc/self/fd/N, as a real path would.
// Properties: open never crashes; after a successful open, find/contains on
// any key never crash; a built index finds every entry it was given.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "hash/index_build.hpp"
#include "hash/index_format.hpp"
#include "hash/set_index.hpp"

namespace {

namespace fmt_ = trawl::hash::index_format;
using trawl::hash::Algorithm;

/// Consumes input bytes; zeros past the end.
struct Input {
  const uint8_t* data;
  size_t size, pos = 0;
  uint8_t byte() { return pos < size ? data[pos++] : 0; }
  bool done() const { return pos >= size; }
  template <size_t N>
  std::array<uint8_t, N> digest() {
    std::array<uint8_t, N> d{};
    for (auto& b : d) b = byte();
    return d;
  }
};

void repair(std::vector<uint8_t>& file) {
  if (file.size() < fmt_::kHeaderSize) return;
  fmt_::put_u64(&file[16], file.size());
  const uint32_t sections = fmt_::get_u32(&file[32]);
  if (sections > fmt_::kMaxSections || fmt_::header_bytes(sections) > file.size()) return;
  const auto sum = fmt_::header_checksum(file, sections * fmt_::kSectionEntrySize);
  std::memcpy(&file[fmt_::kChecksumOffset], sum.data(), sum.size());
}

std::string as_path(const std::vector<uint8_t>& file) {
  static const int fd = memfd_create("set_index_fuzz", 0);
  if (fd < 0 || ftruncate(fd, 0) != 0) return {};
  size_t done = 0;
  while (done < file.size()) {
    const ssize_t n = pwrite(fd, file.data() + done, file.size() - done, static_cast<off_t>(done));
    if (n <= 0) return {};
    done += static_cast<size_t>(n);
  }
  return "/proc/self/fd/" + std::to_string(fd);
}

void probe(const trawl::hash::SetIndex& index, const std::vector<std::vector<uint8_t>>& keys) {
  for (Algorithm a : fmt_::kAlgorithms) {
    for (const auto& key : keys) {
      std::vector<uint8_t> k(fmt_::width(a));
      for (size_t i = 0; i < k.size() && i < key.size(); ++i) k[i] = key[i];
      const bool has = index.contains(a, k);
      const auto found = index.find(a, k);
      for (const auto& m : found)
        if (m.entry >= index.meta().entries) __builtin_trap();
      (void)has;
    }
  }
  (void)index.algorithms();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  Input in{data + 1, size - 1};
  std::vector<uint8_t> file;
  std::vector<std::vector<uint8_t>> keys;
  std::vector<trawl::hash::KnownEntry> entries;
  const int mode = data[0] % 3;
  if (mode < 2) {
    file.assign(data + 1, data + size);
    if (mode == 1) repair(file);
    // Keys: digests found in the file itself, at a few places, and zeros.
    for (size_t at = fmt_::kHeaderSize; at + 64 <= file.size() && keys.size() < 16; at += 64 + (at % 7))
      keys.emplace_back(file.begin() + static_cast<ptrdiff_t>(at), file.begin() + static_cast<ptrdiff_t>(at + 64));
    keys.emplace_back(64, 0);
    keys.emplace_back(64, 0xff);
  } else {
    const size_t count = in.byte() % 24;
    for (size_t i = 0; i < count; ++i) {
      trawl::hash::KnownEntry e;
      const uint8_t has = in.byte();
      if (has & 1) e.md5 = in.digest<16>();
      if (has & 2) e.sha1 = in.digest<20>();
      if (has & 4) e.sha256 = in.digest<32>();
      if (has & 8) e.sha512 = in.digest<64>();
      if (has & 16) e.name = std::string(in.byte() % 8, 'n');
      if (has & 32) e.victim_identified = (has & 64) != 0;
      entries.push_back(e);
    }
    trawl::hash::BuildOptions options;
    options.meta.name = "fuzz";
    trawl::hash::EntryStream stream = [&entries](const trawl::hash::EntryVisitor& visit, trawl::hash::IndexMeta&) {
      for (const auto& e : entries) visit(e);
      return trawl::ok_status();
    };
    auto built = trawl::hash::build_index_bytes(stream, options);
    if (!built.ok()) __builtin_trap();
    file = std::move(*built);
    auto clean = trawl::hash::SetIndex::open(as_path(file));
    if (!clean.ok()) __builtin_trap();
    for (const auto& e : entries) {
      if (e.md5 && !clean->contains(Algorithm::md5, *e.md5)) __builtin_trap();
      if (e.sha1 && clean->find(Algorithm::sha1, *e.sha1).empty()) __builtin_trap();
      if (e.sha256 && !clean->contains(Algorithm::sha256, *e.sha256)) __builtin_trap();
      if (e.sha512 && !clean->contains(Algorithm::sha512, *e.sha512)) __builtin_trap();
      if (e.md5) keys.emplace_back(e.md5->begin(), e.md5->end());
      if (e.sha512) keys.emplace_back(e.sha512->begin(), e.sha512->end());
    }
    while (!in.done() && !file.empty()) {
      const size_t at = (static_cast<size_t>(in.byte()) << 8 | in.byte()) % file.size();
      file[at] ^= in.byte();
    }
    repair(file);
  }
  auto index = trawl::hash::SetIndex::open(as_path(file));
  if (index.ok()) probe(*index, keys);
  return 0;
}
