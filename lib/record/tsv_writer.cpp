#include "record/tsv_writer.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "core/utf8.hpp"
#include "record/jsonl_writer.hpp"

namespace trawl::record {

std::string tsv_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t pos = 0;
  while (pos < s.size()) {
    const char c = s[pos];
    const size_t n = utf8_sequence_length(s, pos);
    if (n == 0) {
      fmt::format_to(std::back_inserter(out), "\\x{:02x}", static_cast<unsigned char>(c));
      ++pos;
      continue;
    }
    if (n == 1) {
      switch (c) {
        case '\t': out += "\\t"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\\': out += "\\\\"; break;
        default: out += c;
      }
    } else {
      out.append(s.substr(pos, n));
    }
    pos += n;
  }
  return out;
}

TsvWriter::TsvWriter(FdOutput& out, std::vector<std::string> columns, std::vector<std::string> row_types, bool header)
    : out_(out), columns_(std::move(columns)), row_types_(std::move(row_types)), header_pending_(header) {}

namespace {
std::string field_text(const Value& value) {
  struct Visitor {
    std::string operator()(std::monostate) { return ""; }
    std::string operator()(bool b) { return b ? "true" : "false"; }
    std::string operator()(int64_t i) { return fmt::format("{}", i); }
    std::string operator()(uint64_t u) { return fmt::format("{}", u); }
    std::string operator()(double d) { return fmt::format("{}", d); }
    std::string operator()(const std::string& s) { return tsv_escape(s); }
    std::string operator()(const RawJson& raw) { return tsv_escape(raw.text); }
  };
  return std::visit(Visitor{}, value);
}
}  // namespace

SinkStatus TsvWriter::write(const Record& record) {
  line_.clear();
  if (header_pending_) {
    header_pending_ = false;
    line_ += '#';
    for (size_t i = 0; i < columns_.size(); ++i) {
      if (i) line_ += '\t';
      line_ += columns_[i];
    }
    line_ += '\n';
  }
  const std::string type = record.type();
  if (std::find(row_types_.begin(), row_types_.end(), type) == row_types_.end()) {
    line_ += "## ";
    append_json(line_, record);
  } else {
    for (size_t i = 0; i < columns_.size(); ++i) {
      if (i) line_ += '\t';
      if (const Value* v = record.get(columns_[i])) line_ += field_text(*v);
    }
  }
  line_ += '\n';
  if (!out_.write(line_) || !out_.end_record()) return SinkStatus::stop;
  return SinkStatus::proceed;
}

}  // namespace trawl::record
