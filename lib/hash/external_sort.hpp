#pragma once
// Sorting more records than fit in memory (internal to lib/hash): records
// (byte strings) collect in memory up to a budget, are sorted and spilled to
// temporary files, and come back in order through a k-way merge. Records
// order as byte strings (memcmp, shorter first on a tie). Temporary files are
// made with mkstemp and unlinked at once, so they vanish on every exit path,
// crashes included.
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace trawl::hash {

/// Memory shared by several sorters: whoever pushes it over the limit spills.
struct MemoryPool {
  uint64_t limit = 0;
  uint64_t used = 0;
};

/// An anonymous temporary file: created in `dir` with mkstemp, unlinked at
/// once, closed by the destructor. Buffered writes, then buffered reads.
class TempFile {
 public:
  static Result<std::unique_ptr<TempFile>> create(const std::string& dir, size_t buffer_size = 256 << 10);
  ~TempFile();
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  Status write(std::span<const uint8_t> bytes);
  /// Flushes and rewinds for reading.
  Status rewind(size_t buffer_size);
  /// Reads exactly bytes.size(); false at a clean end of file.
  Result<bool> read(std::span<uint8_t> bytes);
  uint64_t size() const { return size_; }

 private:
  TempFile(std::FILE* file, size_t buffer_size);
  std::FILE* file_;
  std::unique_ptr<char[]> buffer_;
  uint64_t size_ = 0;
};

/// Temporary directory: `dir` when given, else $TMPDIR, else /tmp.
std::string temp_dir_or_default(const std::string& dir);

class ExternalSorter {
 public:
  using Visitor = std::function<Status(std::span<const uint8_t>)>;

  ExternalSorter(std::string temp_dir, MemoryPool& pool);
  ~ExternalSorter();
  ExternalSorter(const ExternalSorter&) = delete;
  ExternalSorter& operator=(const ExternalSorter&) = delete;

  Status add(std::span<const uint8_t> record);
  /// Every record in order, duplicates included; the sorter is empty after.
  Status drain(const Visitor& visit);
  uint64_t records() const { return records_; }
  uint64_t runs_spilled() const { return runs_spilled_; }

 private:
  struct Key;
  Status spill();
  void sort_memory();
  Status merge(std::vector<std::unique_ptr<TempFile>> runs, const Visitor& visit);
  Result<std::unique_ptr<TempFile>> merge_to_file(std::vector<std::unique_ptr<TempFile>> runs);
  uint64_t memory_used() const;
  void release_memory();

  std::string temp_dir_;
  MemoryPool& pool_;
  std::vector<uint8_t> bytes_;   ///< [u32 length][record] back to back
  std::vector<Key> keys_;
  uint64_t counted_ = 0;         ///< bytes this sorter has added to the pool
  std::vector<std::unique_ptr<TempFile>> runs_;
  uint64_t records_ = 0;
  uint64_t runs_spilled_ = 0;
};

}  // namespace trawl::hash
