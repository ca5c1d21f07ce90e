#include "common/cli.hpp"

#include <fmt/format.h>

#include <chrono>
#include <csignal>
#include <cstring>
#include <cstdio>
#include <fcntl.h>
#include <iostream>
#include <thread>
#include <sys/resource.h>
#include <unistd.h>

#include "common/progress.hpp"
#include "common/units.hpp"
#include "core/timestamp.hpp"
#include "core/version.hpp"
#include "io/item_record.hpp"
#include "io/reopen.hpp"
#include "io/source_walk.hpp"
#include "record/jsonl_reader.hpp"
#include "record/jsonl_writer.hpp"
#include "record/tsv_writer.hpp"

namespace trawl::cli {
namespace {

po::options_description shared_options() {
  po::options_description o("Common options");
  // clang-format off
  o.add_options()
    ("help,h", "show this help and exit")
    ("version", "show the version and exit")
    ("records", "read JSON Lines records on standard input and re-open the bytes each one addresses")
    ("files0-from", po::value<std::string>()->value_name("FILE"), "read NUL-separated source paths from FILE (- for standard input)")
    (",0", "same as --files0-from=- (for find -print0)")
    ("format", po::value<std::string>()->default_value("jsonl")->value_name("FORMAT"), "record format on standard output: jsonl or tsv (and the tool's own)")
    ("no-header", "TSV: do not write the # header line")
    ("line-buffered", "flush after every record")
    ("threads,j", po::value<unsigned>()->value_name("N"), "worker threads (default: all cores)")
    ("progress", "show progress on standard error (default when it is a terminal)")
    ("no-progress", "never show progress")
    ("quiet,q", "no diagnostics on standard error (error records are still written)")
    ("stats", "end with a summary record: version, command line, times, counts")
    ("unallocated", "also read unallocated space of each file system and unpartitioned gaps, as byte ranges")
    ("raw", "also read each whole image as one byte range")
    ("verify-image", "hash each image's media and compare with the digests stored in an E01")
    ("no-archives", "do not look inside archives")
    ("max-depth", po::value<unsigned>()->value_name("N"), "archive nesting depth to open (default 8)")
    ("max-member-bytes", po::value<std::string>()->value_name("SIZE"), "expanded bytes per archive member (default 4G)")
    ("max-archive-bytes", po::value<std::string>()->value_name("SIZE"), "expanded bytes per archive, nested members included (default 16G)")
    ("max-ratio", po::value<uint64_t>()->value_name("N"), "expansion ratio that marks a bomb (default 1000)")
    ("max-entries", po::value<uint64_t>()->value_name("N"), "members per archive (default 1000000)")
    ("max-nested-buffer", po::value<std::string>()->value_name("SIZE"), "largest nested archive read into memory to open (default 512M)");
  add_unit_options(o);
  // clang-format on
  return o;
}

po::options_description hidden_options() {
  po::options_description o;
  o.add_options()("source", po::value<std::vector<std::string>>(), "");
  return o;
}

std::string shell_quote(const std::string& s) {
  if (!s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=:,+@%") ==
                        std::string::npos)
    return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

/// Diagnostics, counting and the exit status, in front of the real writer.
class ReportingSink final : public record::RecordSink {
 public:
  ReportingSink(record::RecordSink& inner, std::string tool, const std::vector<std::string>& primary, bool quiet,
                ProgressDisplay& progress)
      : inner_(inner), tool_(std::move(tool)), primary_(primary), quiet_(quiet), progress_(progress) {}

  record::SinkStatus write(const record::Record& r) override {
    const std::string type = r.type();
    if (type == "error") {
      ++errors_;
      if (!quiet_) {
        const std::string where = r.get_string("path").value_or(r.get_string("source").value_or(""));
        progress_.clear_line();
        std::cerr << fmt::format("{}: {}: {}: {}\n", tool_, where, r.get_string("error").value_or("error"),
                                 r.get_string("detail").value_or(""));
      }
    }
    if (std::find(primary_.begin(), primary_.end(), type) != primary_.end()) ++primary_count_;
    if (stopped_) return record::SinkStatus::stop;
    if (!only_.empty() && type != "error" && type != "summary" && std::find(only_.begin(), only_.end(), type) == only_.end())
      return record::SinkStatus::proceed;
    ++written_;
    if (inner_.write(r) == record::SinkStatus::stop) stopped_ = true;
    return stopped_ ? record::SinkStatus::stop : record::SinkStatus::proceed;
  }
  void flush() override { inner_.flush(); }
  void only(std::vector<std::string> types) { only_ = std::move(types); }
  uint64_t errors() const { return errors_; }
  uint64_t primary_count() const { return primary_count_; }
  uint64_t written() const { return written_; }
  bool stopped() const { return stopped_; }

 private:
  record::RecordSink& inner_;
  std::string tool_;
  const std::vector<std::string>& primary_;
  bool quiet_;
  ProgressDisplay& progress_;
  std::vector<std::string> only_;
  uint64_t errors_ = 0;
  uint64_t primary_count_ = 0;
  uint64_t written_ = 0;
  bool stopped_ = false;
};

std::vector<std::string> read_nul_separated(int fd) {
  std::vector<std::string> out;
  std::string current;
  char block[65536];
  for (;;) {
    const ssize_t n = ::read(fd, block, sizeof block);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    for (ssize_t i = 0; i < n; ++i) {
      if (block[i] == '\0') {
        if (!current.empty()) out.push_back(std::move(current));
        current.clear();
      } else {
        current += block[i];
      }
    }
  }
  if (!current.empty()) out.push_back(std::move(current));
  return out;
}

Limits limits_from(const po::variables_map& vm) {
  Limits l;
  auto size_opt = [&](const char* name, uint64_t& target) {
    if (!vm.count(name)) return;
    auto v = parse_size(vm[name].as<std::string>());
    if (!v) throw po::validation_error(po::validation_error::invalid_option_value, name, vm[name].as<std::string>());
    target = *v;
  };
  if (vm.count("max-depth")) l.max_depth = vm["max-depth"].as<unsigned>();
  size_opt("max-member-bytes", l.max_member_bytes);
  size_opt("max-archive-bytes", l.max_archive_bytes);
  size_opt("max-nested-buffer", l.max_nested_buffer);
  if (vm.count("max-ratio")) l.max_ratio = vm["max-ratio"].as<uint64_t>();
  if (vm.count("max-entries")) l.max_entries = vm["max-entries"].as<uint64_t>();
  return l;
}

/// Reads records on stdin and hands over the items they address.
void produce_from_records(io::WalkVisitor& visitor, const Limits& limits) {
  record::JsonlReader reader(0);
  for (;;) {
    if (visitor.stopped()) return;
    auto next = reader.next();
    if (!next) {
      visitor.error(io::WalkError{"-", fmt::format("line {}", reader.line_number()), next.error(), std::nullopt});
      continue;
    }
    if (!next->has_value()) return;
    const record::Record& r = **next;
    const std::string type = r.type();
    // Records that address no bytes (summaries, errors, volumes) are not items.
    if (type == "summary" || type == "error" || type == "volume" || type == "image") continue;
    auto info = io::item_from_record(r);
    if (!info) {
      visitor.error(io::WalkError{"-", fmt::format("line {}", reader.line_number()), info.error(), std::nullopt});
      continue;
    }
    info->upstream = std::make_shared<const record::Record>(r);
    if (!visitor.item(io::reopenable_item(std::move(*info), limits))) return;
  }
}

}  // namespace

std::vector<std::string> files0_from(const po::variables_map& vm) {
  if (!vm.count("files0-from") && !vm.count("-0")) return {};
  const std::string file = vm.count("files0-from") ? vm["files0-from"].as<std::string>() : "-";
  int fd = 0;
  if (file != "-") {
    fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw SetupError("cannot open --files0-from " + file + ": " + std::strerror(errno));
  }
  auto listed = read_nul_separated(fd);
  if (fd != 0) ::close(fd);
  return listed;
}

std::optional<uint64_t> parse_size(const std::string& text) {
  if (text.empty()) return std::nullopt;
  uint64_t value = 0;
  size_t i = 0;
  for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
    if (value > (UINT64_MAX - 9) / 10) return std::nullopt;
    value = value * 10 + static_cast<uint64_t>(text[i] - '0');
  }
  if (i == 0) return std::nullopt;
  const std::string suffix = text.substr(i);
  unsigned shift = 0;
  if (suffix.empty() || suffix == "B") shift = 0;
  else if (suffix == "K" || suffix == "KiB" || suffix == "k") shift = 10;
  else if (suffix == "M" || suffix == "MiB") shift = 20;
  else if (suffix == "G" || suffix == "GiB") shift = 30;
  else if (suffix == "T" || suffix == "TiB") shift = 40;
  else return std::nullopt;
  if (shift && value > (UINT64_MAX >> shift)) return std::nullopt;
  return value << shift;
}

po::options_description all_options(const ToolSpec& spec) {
  po::options_description all;
  po::options_description own(spec.name + " options");
  if (spec.add_options) spec.add_options(own);
  all.add(own).add(shared_options());
  return all;
}

io::WalkOptions walk_options_from(const po::variables_map& vm) {
  io::WalkOptions walk;
  walk.unallocated = vm.count("unallocated") > 0;
  walk.raw = vm.count("raw") > 0;
  walk.archives = vm.count("no-archives") == 0;
  walk.verify_image = vm.count("verify-image") > 0;
  walk.limits = limits_from(vm);
  return walk;
}

po::variables_map parse_args(const ToolSpec& spec, const std::vector<std::string>& args) {
  po::options_description everything;
  everything.add(all_options(spec)).add(hidden_options());
  po::positional_options_description positional;
  positional.add("source", -1);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(everything).positional(positional).run(), vm);
  po::notify(vm);
  return vm;
}

std::unique_ptr<record::RecordSink> make_record_writer(const ToolSpec& spec, const po::variables_map& vm,
                                                       record::FdOutput& out, const std::string& command_line,
                                                       bool tsv_header) {
  const std::string format = vm["format"].as<std::string>();
  if (format == "jsonl") return std::make_unique<record::JsonlWriter>(out);
  if (format != "tsv") return spec.make_writer(format, out, vm, command_line);
  // Error records are rows too (they fill the error and detail columns), as trawl-records(5) says.
  auto row_types = spec.primary_types_for ? spec.primary_types_for(vm) : spec.primary_types;
  std::vector<std::string> more = {"file", "range", "match", "error"};
  more.insert(more.end(), spec.tsv_row_types.begin(), spec.tsv_row_types.end());
  for (const std::string& t : more)
    if (std::find(row_types.begin(), row_types.end(), t) == row_types.end()) row_types.push_back(t);
  return std::make_unique<record::TsvWriter>(out, spec.tsv_columns(vm), row_types,
                                             tsv_header && vm.count("no-header") == 0);
}

namespace {

/// A unit's run-level state, as JSON Lines, synced: its manifest is written after it.
void save_run_state(const ToolSpec& spec, const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw SetupError(path + ": " + std::strerror(errno));
  record::FdOutput out(fd);
  {
    record::JsonlWriter writer(out);
    spec.save_run_state(writer);
    writer.flush();
  }
  const bool ok = out.flush() && !out.broken() && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) throw SetupError(path + ": writing the run state failed");
}

}  // namespace

RunReport run_parsed(const ToolSpec& spec, const po::variables_map& vm, const std::string& command_line,
                     const RunContext& context) {
  const std::string start_time = now_rfc3339();
  const auto started = std::chrono::steady_clock::now();
  RunReport report;
  std::vector<std::string> sources;
  if (vm.count("source")) sources = vm["source"].as<std::vector<std::string>>();
  const bool from_records = vm.count("records") > 0;
  for (auto& listed : files0_from(vm)) sources.push_back(std::move(listed));
  if (sources.empty() && !from_records) throw SetupError("no SOURCE given (try --help)");
  const std::string format = vm["format"].as<std::string>();
  const bool extra_format =
      std::find(spec.extra_formats.begin(), spec.extra_formats.end(), format) != spec.extra_formats.end();
  if (format != "jsonl" && format != "tsv" && !extra_format) {
    std::string known = "jsonl, tsv";
    for (const auto& f : spec.extra_formats) known += ", " + f;
    throw SetupError("--format must be one of " + known);
  }

  io::PipelineOptions options;
  options.tool = spec.name;
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  options.threads = vm.count("threads") ? std::max(1u, vm["threads"].as<unsigned>()) : cores;
  options.walk = walk_options_from(vm);
  options.walk.unit = context.unit;
  // The stream scanners honour byte windows as work units do: long ranges are shared out among the
  // workers in windows of 256 MiB (a 1 MiB margin re-read per window is 0.4 %).
  if (spec.unit_margin && spec.unit_margin(vm)) options.split_ranges_over = std::uint64_t{256} << 20;
  options.split_files = spec.split_files && spec.split_files(vm);
  auto consumer = spec.make_consumer(vm);

  record::FdOutput out(context.out_fd, vm.count("line-buffered") > 0);
  std::unique_ptr<record::RecordSink> writer = make_record_writer(spec, vm, out, command_line);
  const std::vector<std::string> primary = spec.primary_types_for ? spec.primary_types_for(vm) : spec.primary_types;
  if (spec.wrap_writer) writer = spec.wrap_writer(std::move(writer), vm);
  const bool quiet = vm.count("quiet") > 0;
  const bool show_progress = vm.count("no-progress") == 0 && (vm.count("progress") > 0 || ::isatty(2));
  io::PipelineCounters counters;
  ProgressDisplay progress(spec.name, counters, show_progress, sources);
  ReportingSink sink(*writer, spec.name, primary, quiet, progress);
  if (spec.only_types) sink.only(spec.only_types(vm));

  io::Producer producer = [&](io::WalkVisitor& visitor) {
    if (from_records) produce_from_records(visitor, options.walk.limits);
    for (const auto& source : sources) {
      if (visitor.stopped()) break;
      io::walk_source(source, options.walk, visitor);
    }
  };
  progress.start();
  io::run_pipeline(producer, *consumer, sink, options, counters);
  progress.stop();
  if (!context.run_state_path.empty() && spec.save_run_state) {
    if (!sink.stopped()) save_run_state(spec, context.run_state_path);
  } else if (spec.finish && !sink.stopped()) {
    spec.finish(sink);
  }

  if (vm.count("stats") && context.allow_stats && !sink.stopped()) {
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    record::Record summary("summary", spec.name);
    summary.set("version", kVersion);
    summary.set("commit", kGitCommit);
    summary.set("command_line", command_line);
    summary.set("start_time", start_time);
    summary.set("end_time", now_rfc3339());
    summary.set("elapsed_s", elapsed);
    summary.set("threads", options.threads);
    summary.set("items", counters.items.load());
    summary.set("bytes", counters.bytes.load());
    summary.set("records", sink.primary_count());
    summary.set("errors", sink.errors());
    // Resource use, as bulk_extractor's and fiwalk's reports record it.
    struct rusage usage {};
    if (::getrusage(RUSAGE_SELF, &usage) == 0) {
      summary.set("user_s", static_cast<double>(usage.ru_utime.tv_sec) + usage.ru_utime.tv_usec / 1e6);
      summary.set("system_s", static_cast<double>(usage.ru_stime.tv_sec) + usage.ru_stime.tv_usec / 1e6);
      summary.set("max_rss_kb", static_cast<uint64_t>(usage.ru_maxrss));
    }
    sink.write(summary);
  }
  sink.flush();
  writer.reset();  // a wrapping writer finishes its own output here
  report.output_failed = !out.flush() || out.broken();
  report.records = sink.written();
  report.primary = sink.primary_count();
  report.errors = sink.errors();
  report.items = counters.items.load();
  report.bytes = counters.bytes.load();
  report.exit_status = sink.errors() > 0 ? 2 : sink.primary_count() > 0 ? 0 : 1;
  return report;
}

int run_tool(const ToolSpec& spec, int argc, char** argv) {
  // A reader that goes away (| head) must end us quietly, not kill us.
  std::signal(SIGPIPE, SIG_IGN);
  std::string command_line;
  for (int i = 0; i < argc; ++i) command_line += (i ? " " : "") + shell_quote(argv[i]);

  try {
    po::options_description visible = all_options(spec);
    po::options_description everything;
    everything.add(visible).add(hidden_options());
    po::positional_options_description positional;
    positional.add("source", -1);
    po::variables_map vm;
    const po::parsed_options parsed =
        po::command_line_parser(argc, argv).options(everything).positional(positional).run();
    po::store(parsed, vm);
    po::notify(vm);

    if (vm.count("help")) {
      std::cout << "Usage: " << spec.name << " [options] SOURCE...\n"
                << "       " << spec.name << " --plan [--unit-size SIZE | --units N] [options] SOURCE... > DIR/plan.jsonl\n"
                << "       " << spec.name << " --unit-file DIR/plan.jsonl --unit-index N --out DIR\n"
                << "       " << spec.name << " --merge DIR\n"
                << spec.synopsis << "\n\n" << visible
                << "\nSources: host files, directories, raw/split/E01 images, - for standard input.\n"
                << "Exit status: 0 found something, 1 found nothing, 2 an error occurred.\n"
                << "See " << spec.name << "(1) and trawl-records(5).\n";
      return 0;
    }
    if (vm.count("version")) {
      std::cout << spec.name << " (trawl) " << kVersion << " " << kGitCommit << "\n";
      return 0;
    }
    if (wants_units(vm)) return run_units(spec, vm, parsed);
    return run_parsed(spec, vm, command_line, RunContext{}).exit_status;
  } catch (const SetupError& e) {
    std::cerr << spec.name << ": " << e.what() << "\n";
    return 2;
  } catch (const po::error& e) {
    std::cerr << spec.name << ": " << e.what() << " (try --help)\n";
    return 2;
  } catch (const std::bad_alloc&) {
    std::cerr << spec.name << ": out of memory\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << spec.name << ": internal: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace trawl::cli
