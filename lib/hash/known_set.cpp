// read_known_set(): open, detect the format from the content, run its
// reader. The readers live in set_text_readers.cpp (hashdeep, md5sum, plain),
// nsrl_reader.cpp (RDS 2.x CSV, RDSv3 SQLite), vics_reader.cpp (Project VIC
// / CAID JSON) and pdq_list_reader.cpp.
#include "hash/known_set.hpp"

#include <exception>
#include <new>
#include <utility>

#include "hash/set_detect.hpp"
#include "hash/set_readers.hpp"
#include "hash/set_source.hpp"

namespace trawl::hash {

const char* set_format_name(SetFormat format) {
  switch (format) {
    case SetFormat::hashdeep: return "hashdeep";
    case SetFormat::md5sum: return "md5sum";
    case SetFormat::plain: return "plain";
    case SetFormat::nsrl_rds2: return "nsrl-rds2";
    case SetFormat::nsrl_rds3: return "nsrl-rds3";
    case SetFormat::vics: return "vics";
    case SetFormat::pdq: return "pdq";
  }
  return "unknown";
}

bool SetReadContext::problem(uint64_t line, uint64_t offset, std::string message) {
  ++info.problems;
  if (strict_) {
    failure_ = make_error(Errc::data_loss, std::string(unit_) + " " + std::to_string(line) + ": " + message);
    stopped_ = true;
  }
  if (on_problem_) on_problem_(SetProblem{line, offset, std::move(message)});
  return !stopped_;
}

bool SetReadContext::entry(const KnownEntry& entry) {
  ++info.entries;
  if (on_entry_ && !on_entry_(entry)) stopped_ = true;
  return !stopped_;
}

namespace {

Status run_reader(SetFormat format, SetSource& source, SetReadContext& context) {
  switch (format) {
    case SetFormat::hashdeep: return read_hashdeep(source, context);
    case SetFormat::md5sum:
    case SetFormat::plain: return read_digest_lines(source, context);
    case SetFormat::nsrl_rds2: return read_nsrl_rds2(source, context);
    case SetFormat::nsrl_rds3: return read_nsrl_rds3(source, context);
    case SetFormat::vics: return read_vics(source, context);
    case SetFormat::pdq: return read_pdq_list(source, context);
  }
  return make_error(Errc::internal, "unknown set format");
}

}  // namespace

Result<SetInfo> read_known_set(const std::string& path, const EntryVisitor& on_entry, const ProblemVisitor& on_problem,
                               bool strict) {
  try {
    auto source = SetSource::open(path);
    if (!source) return source.error();
    const auto format = detect_set_format(source->head());
    if (!format) {
      return make_error(Errc::data_loss, path + ": not a known set format (hashdeep, md5sum, plain list, NSRL RDS, "
                                                "VICS JSON, PDQ list)");
    }
    SetReadContext context(on_entry, on_problem, strict, *format);
    Status status = run_reader(*format, *source, context);
    if (!status) return status.error();
    if (context.failure()) return *context.failure();
    return context.info;
  } catch (const std::bad_alloc&) {
    return make_error(Errc::resource_exhausted, path + ": out of memory reading the set");
  } catch (const std::exception& e) {
    // A visitor threw, or a library did: reported, never propagated.
    return make_error(Errc::internal, path + ": " + e.what());
  }
}

}  // namespace trawl::hash
