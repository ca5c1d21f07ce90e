#pragma once
// TSV encoding: a `#` header naming the columns, then one row per record.
// Inside fields, tab, newline, carriage return and backslash are escaped with
// a backslash, and bytes that are not UTF-8 become \xHH. Records that do not
// fit the columns (summary records) are written as `## ` plus their JSON text,
// which column tools skip as comments.
#include <string>
#include <vector>

#include "record/output.hpp"
#include "record/sink.hpp"

namespace trawl::record {

/// Escapes one TSV field as described above.
std::string tsv_escape(std::string_view bytes);

class TsvWriter final : public RecordSink {
 public:
  /// `row_types` are the record types written as rows; others become comments.
  TsvWriter(FdOutput& out, std::vector<std::string> columns, std::vector<std::string> row_types, bool header = true);
  SinkStatus write(const Record& record) override;
  void flush() override { out_.flush(); }

 private:
  FdOutput& out_;
  std::vector<std::string> columns_;
  std::vector<std::string> row_types_;
  bool header_pending_;
  std::string line_;
};

}  // namespace trawl::record
