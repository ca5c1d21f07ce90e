#pragma once
// JSON Lines encoding of records. Strings that are not valid UTF-8 are written
// twice: `key` holds a display copy (invalid bytes become U+FFFD) and
// `key_b64` the exact bytes in base64, so nothing is lost and jq still works.
#include <string>

#include "record/output.hpp"
#include "record/sink.hpp"

namespace trawl::record {

/// Appends the JSON text of `record` (no newline) to `out`.
void append_json(std::string& out, const Record& record);
/// Appends `text` as a JSON string literal; `text` must be valid UTF-8.
void append_json_string(std::string& out, std::string_view text);

class JsonlWriter final : public RecordSink {
 public:
  explicit JsonlWriter(FdOutput& out) : out_(out) {}
  SinkStatus write(const Record& record) override;
  void flush() override { out_.flush(); }

 private:
  FdOutput& out_;
  std::string line_;
};

}  // namespace trawl::record
