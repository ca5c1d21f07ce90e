// Fuzzes read_known_set() over every format it detects (the seeds in
// tests/data/sets reach each reader). Properties checked:
//  - it never crashes, hangs or grows without bound, whatever the bytes;
//  - SetInfo counts exactly the entries and problems the visitors saw;
//  - every entry carries a digest; every text problem names a real line;
//  - strict mode either fails with data_loss or reports no problem.
// The input goes through a memfd so the reader opens a real path
// (/proc/self/fd/N), as it would a set on disk; SQLite opens it too.
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "hash/known_set.hpp"

namespace {

using trawl::hash::KnownEntry;
using trawl::hash::SetProblem;

bool write_memfd(int fd, const uint8_t* data, size_t size) {
  if (ftruncate(fd, 0) != 0 || lseek(fd, 0, SEEK_SET) != 0) return false;
  size_t done = 0;
  while (done < size) {
    const ssize_t n = write(fd, data + done, size - done);
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

void check(const std::string& path, size_t size, size_t newlines, bool strict) {
  uint64_t entries = 0, problems = 0, max_line = 0, max_offset = 0;
  auto result = trawl::hash::read_known_set(
      path,
      [&](const KnownEntry& e) {
        if (!(e.md5 || e.sha1 || e.sha256 || e.sha512 || e.pdq)) __builtin_trap();
        ++entries;
        return true;
      },
      [&](const SetProblem& p) {
        if (p.message.empty()) __builtin_trap();
        max_line = std::max(max_line, p.line);
        max_offset = std::max(max_offset, p.offset);
        ++problems;
      },
      strict);
  if (!result.ok()) {
    if (strict && problems > 1) __builtin_trap();
    return;
  }
  if (result->entries != entries || result->problems != problems) __builtin_trap();
  if (strict && problems != 0) __builtin_trap();
  if (result->format != trawl::hash::SetFormat::nsrl_rds3) {  // SQLite problems count rows, not lines
    if (max_line > newlines + 1 || max_offset > size) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const int fd = memfd_create("known_set_fuzz", 0);  // reused: one per run is slow
  if (fd < 0 || !write_memfd(fd, data, size)) return 0;
  size_t newlines = 0;
  for (size_t i = 0; i < size; ++i) newlines += data[i] == '\n';
  const std::string path = "/proc/self/fd/" + std::to_string(fd);
  check(path, size, newlines, false);
  if (size % 2 == 1) check(path, size, newlines, true);
  return 0;
}
