#include "record/jsonl_writer.hpp"

#include <cmath>
#include <fmt/format.h>

#include "core/base64.hpp"
#include "core/utf8.hpp"

namespace trawl::record {

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (u < 0x20 || u == 0x7F) {
          fmt::format_to(std::back_inserter(out), "\\u{:04x}", u);
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

namespace {

void append_value(std::string& out, const Value& value) {
  struct Visitor {
    std::string& out;
    void operator()(std::monostate) { out += "null"; }
    void operator()(bool b) { out += b ? "true" : "false"; }
    void operator()(int64_t i) { fmt::format_to(std::back_inserter(out), "{}", i); }
    void operator()(uint64_t u) { fmt::format_to(std::back_inserter(out), "{}", u); }
    void operator()(double d) {
      if (std::isfinite(d)) {
        fmt::format_to(std::back_inserter(out), "{}", d);
      } else {
        out += "null";  // JSON has no NaN or infinity
      }
    }
    void operator()(const std::string& s) { append_json_string(out, is_valid_utf8(s) ? std::string_view(s) : utf8_lossy(s)); }
    void operator()(const RawJson& raw) { out += raw.text; }
  };
  std::visit(Visitor{out}, value);
}

}  // namespace

void append_json(std::string& out, const Record& record) {
  out += '{';
  bool first = true;
  auto key = [&](std::string_view name) {
    if (!first) out += ',';
    first = false;
    append_json_string(out, is_valid_utf8(name) ? std::string(name) : utf8_lossy(name));
    out += ':';
  };
  for (const auto& field : record.fields()) {
    key(field.key);
    append_value(out, field.value);
    const auto* text = std::get_if<std::string>(&field.value);
    if (text != nullptr && !is_valid_utf8(*text)) {
      key(field.key + "_b64");
      append_json_string(out, base64_encode(*text));
    }
  }
  out += '}';
}

SinkStatus JsonlWriter::write(const Record& record) {
  line_.clear();
  append_json(line_, record);
  line_ += '\n';
  if (!out_.write(line_) || !out_.end_record()) return SinkStatus::stop;
  return SinkStatus::proceed;
}

}  // namespace trawl::record
