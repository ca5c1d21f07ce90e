#pragma once
// The bytes of a known-set file, for the set readers (internal to lib/hash).
// The first bytes are read once for format detection and then replayed, so a
// pipe (`<(zcat set.gz)`) reads as well as a file. LineReader cuts them into
// lines with bounded memory: an over-long line is reported, never buffered.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace trawl::hash {

/// Bytes read at open for detection (and replayed to the reader).
inline constexpr size_t kSetHeadBytes = 64 * 1024;
/// Longest line a text reader accepts; a longer one is one problem.
inline constexpr size_t kSetMaxLine = 1024 * 1024;

class SetSource {
 public:
  /// Opens `path` read-only. not_found, or io (a directory, a read error).
  static Result<SetSource> open(const std::string& path);
  SetSource(SetSource&& other) noexcept;
  SetSource& operator=(SetSource&& other) noexcept;
  SetSource(const SetSource&) = delete;
  SetSource& operator=(const SetSource&) = delete;
  ~SetSource();

  /// Up to kSetHeadBytes from the start of the file.
  std::string_view head() const { return head_; }
  const std::string& path() const { return path_; }
  /// The next bytes, head first; 0 at the end of the file.
  Result<size_t> read(char* buffer, size_t size);

 private:
  SetSource(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_ = -1;
  std::string path_;
  std::string head_;
  size_t head_pos_ = 0;
};

/// One line without its terminator ("\n" or "\r\n").
struct SetLine {
  std::string_view text;  ///< empty when too_long
  uint64_t number = 0;    ///< 1-based
  uint64_t offset = 0;    ///< byte offset of its first byte
  bool too_long = false;  ///< longer than the limit; its bytes were skipped
};

class LineReader {
 public:
  explicit LineReader(SetSource& source, size_t max_line = kSetMaxLine) : source_(source), max_line_(max_line) {}
  /// The next line; false at the end of the input. An io error stops.
  Result<bool> next(SetLine& line);

 private:
  Result<bool> fill();
  SetSource& source_;
  size_t max_line_;
  std::vector<char> buffer_;
  size_t begin_ = 0, end_ = 0;
  uint64_t consumed_ = 0;  ///< file offset of buffer_[begin_]
  uint64_t number_ = 0;
  bool eof_ = false;
};

}  // namespace trawl::hash
