#pragma once
// Reads records that another trawl tool (or jq) wrote, one JSON object per
// line. Top-level scalars become typed values; nested arrays and objects are
// kept verbatim as RawJson so unknown keys pass through unchanged.
// A `key_b64` companion (see jsonl_writer.hpp) restores the exact bytes of
// `key`: when it decodes, `key` takes the decoded bytes and `key_b64` is
// dropped, so writing the record again yields the same line.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "record/record.hpp"

namespace trawl::record {

/// Parses one line holding one JSON object. Bad JSON is a data_loss error
/// naming the byte position; nesting deeper than `max_depth` is rejected.
Result<Record> parse_json_record(std::string_view line, unsigned max_depth = 64);

/// Reads JSON Lines from a file descriptor. Blank lines and lines starting
/// with '#' (TSV comments) are skipped.
class JsonlReader {
 public:
  explicit JsonlReader(int fd, size_t max_line = 64u << 20) : fd_(fd), max_line_(max_line) {}
  /// The next record; nullopt at end of input; an Error for a bad line (the
  /// reader stays usable and continues with the following line).
  Result<std::optional<Record>> next();
  /// 1-based number of the line last returned.
  uint64_t line_number() const { return line_number_; }

 private:
  bool fill();
  int fd_;
  size_t max_line_;
  std::string buffer_;
  size_t start_ = 0;
  bool eof_ = false;
  uint64_t line_number_ = 0;
};

}  // namespace trawl::record
