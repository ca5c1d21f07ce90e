#include "hash/set_writers.hpp"

#include <unistd.h>

namespace trawl::hash {
namespace {
bool is_file_record(const record::Record& r) {
  const std::string type = r.type();
  return type == "file" || type == "match";
}
}  // namespace

HashdeepWriter::HashdeepWriter(record::FdOutput& out, std::vector<Algorithm> algorithms, std::string command_line)
    : out_(out), algorithms_(std::move(algorithms)), command_line_(std::move(command_line)) {}

record::SinkStatus HashdeepWriter::write(const record::Record& r) {
  std::string text;
  if (!header_done_) {
    header_done_ = true;
    text += "%%%% HASHDEEP-1.0\n%%%% size";
    for (Algorithm a : algorithms_) text += std::string(",") + algorithm_name(a);
    text += ",filename\n";
    char cwd[4096];
    text += "## Invoked from: " + std::string(::getcwd(cwd, sizeof cwd) != nullptr ? cwd : "?") + "\n";
    text += "## $ " + command_line_ + "\n##\n";
  }
  // A match record repeats its file record: write each file once.
  if (r.type() == "file") {
    const auto path = r.get_string("path").value_or("");
    if (path.find('\n') != std::string::npos) {
      text += "## skipped a name with a newline: hashdeep cannot read it back\n";
    } else {
      text += std::to_string(r.get_uint("size").value_or(0));
      for (Algorithm a : algorithms_) text += "," + r.get_string(algorithm_name(a)).value_or("");
      text += "," + path + "\n";
    }
  }
  if (!out_.write(text) || !out_.end_record()) return record::SinkStatus::stop;
  return record::SinkStatus::proceed;
}

record::SinkStatus SumWriter::write(const record::Record& r) {
  if (r.type() != "file" || !is_file_record(r)) return record::SinkStatus::proceed;
  const auto digest = r.get_string(algorithm_name(algorithm_));
  if (!digest) return record::SinkStatus::proceed;
  const std::string path = r.get_string("path").value_or("");
  std::string text;
  if (path.find_first_of("\\\n\r") != std::string::npos) {
    std::string escaped;
    for (char c : path) {
      if (c == '\\') escaped += "\\\\";
      else if (c == '\n') escaped += "\\n";
      else if (c == '\r') escaped += "\\r";
      else escaped += c;
    }
    text = "\\" + *digest + "  " + escaped + "\n";
  } else {
    text = *digest + "  " + path + "\n";
  }
  if (!out_.write(text) || !out_.end_record()) return record::SinkStatus::stop;
  return record::SinkStatus::proceed;
}

}  // namespace trawl::hash
