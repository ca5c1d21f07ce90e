#pragma once
// Writing hash-match output as known-file sets that the classic tools read
// back: hashdeep's format and md5sum/sha*sum lines. So what trawl hashed
// today can be tomorrow's set.
#include <string>
#include <vector>

#include "hash/digest.hpp"
#include "record/output.hpp"
#include "record/sink.hpp"

namespace trawl::hash {

/// `%%%% HASHDEEP-1.0` with a `size,<digests>,filename` column line, the
/// working directory and command line as `##` comments, then one line per
/// file record. Names with a comma are written as they are (hashdeep takes
/// the last column as the rest of the line); names with a newline are skipped
/// with a `##` note, since hashdeep cannot read them back.
class HashdeepWriter final : public record::RecordSink {
 public:
  HashdeepWriter(record::FdOutput& out, std::vector<Algorithm> algorithms, std::string command_line);
  record::SinkStatus write(const record::Record& record) override;
  void flush() override { out_.flush(); }

 private:
  record::FdOutput& out_;
  std::vector<Algorithm> algorithms_;
  std::string command_line_;
  bool header_done_ = false;
};

/// `HEX  name` lines of one digest (GNU coreutils style). A name with a
/// backslash or newline is escaped and the line starts with `\`, as
/// `md5sum` itself writes it, so `md5sum -c` reads it back.
class SumWriter final : public record::RecordSink {
 public:
  SumWriter(record::FdOutput& out, Algorithm algorithm) : out_(out), algorithm_(algorithm) {}
  record::SinkStatus write(const record::Record& record) override;
  void flush() override { out_.flush(); }

 private:
  record::FdOutput& out_;
  Algorithm algorithm_;
};

}  // namespace trawl::hash
