#pragma once
// hash-match's records as Digital Forensics XML 1.2.0 (the format fiwalk and
// bulk_extractor write), valid against the schema shipped in
// tests/data/dfxml/dfxml.xsd.
//
// The schema fixes the order of the document: metadata, creator, source, then
// every diskimageobject, every volume, every fileobject, rusage. Records
// arrive in walk order (a gap range between two partitions, a directory
// before an image), so fileobjects are spilled to a temporary file and the
// document is written when the writer is finished or destroyed. Everything
// DFXML has no element for (the record address, archive members, set
// matches, errors) goes into elements of the trawl namespace, which the
// schema admits wherever it allows `##other` content.
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "record/output.hpp"
#include "record/sink.hpp"
#include "record/xml_escape.hpp"

namespace trawl::record {

/// The namespace of trawl's own elements and attributes in DFXML output.
inline constexpr std::string_view kDfxmlTrawlNamespace = "urn:trawl:dfxml:1";

/// Where and how the document was made: the DFXML `creator` block.
struct DfxmlRun {
  std::string program;       ///< the tool's name
  std::string version;       ///< its version (and commit)
  std::string command_line;  ///< as typed, shell-quoted
  std::string start_time;    ///< RFC 3339 UTC
  std::vector<std::string> sources;  ///< each SOURCE: one image_filename each
  // execution_environment; empty values are left out.
  std::string os_sysname, os_release, os_version, host, arch, uid;
  bool rusage = true;        ///< end with getrusage(2) of this process
};

/// Fills the execution environment of `run` from uname(2) and getuid(2).
void fill_host_environment(DfxmlRun& run);

class DfxmlWriter final : public RecordSink {
 public:
  DfxmlWriter(FdOutput& out, DfxmlRun run);
  ~DfxmlWriter() override;
  DfxmlWriter(const DfxmlWriter&) = delete;
  DfxmlWriter& operator=(const DfxmlWriter&) = delete;

  /// `file`, `range`, `symlink` and `special` records become fileobjects;
  /// a `match` record annotates the fileobject of its item; `volume`,
  /// `image`, `error` and `summary` records have their own elements.
  SinkStatus write(const Record& record) override;
  /// Flushes the output only: the document is written by finish().
  void flush() override { out_.flush(); }
  /// Writes the whole document; records written afterwards are ignored.
  void finish();

 private:
  void close_pending();
  void spill(const std::string& text);

  FdOutput& out_;
  DfxmlRun run_;
  std::chrono::steady_clock::time_point started_;
  std::vector<std::string> images_;   ///< diskimageobject elements (one per image record)
  std::vector<std::string> volumes_;  ///< volume elements
  std::vector<std::string> trailer_;  ///< trawl:error and trawl:summary elements
  std::FILE* spill_ = nullptr;        ///< fileobjects, in order
  std::string spill_memory_;          ///< used when no temporary file could be made
  std::optional<Record> pending_;     ///< the last item, waiting for its match records
  std::vector<Record> pending_matches_;
  uint64_t next_id_ = 1;
  uint64_t omitted_ = 0;  ///< volume, image and trailer elements past the limit
  bool finished_ = false;
};

}  // namespace trawl::record
