#include "common/units.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <string_view>
#include <vector>
#include <fcntl.h>
#include <iostream>
#include <sys/stat.h>
#include <unistd.h>

#include "common/file_output.hpp"
#include "core/timestamp.hpp"
#include "core/utf8.hpp"
#include "core/version.hpp"
#include "hash/digest.hpp"
#include "io/work_unit.hpp"
#include "record/jsonl_reader.hpp"
#include "record/jsonl_writer.hpp"

namespace trawl::cli {
namespace {

/// Options that steer the unit commands themselves: never stored in a plan.
const char* const kUnitOptions[] = {"plan", "unit-size", "units", "unit", "unit-file", "unit-index", "out", "merge", "failed",
                                    "files0-from", "-0"};

bool is_unit_option(const std::string& key) {
  for (const char* k : kUnitOptions)
    if (key == k) return true;
  return false;
}

std::string plan_id(const std::string& tool, const std::vector<std::string>& args,
                    const std::vector<std::string>& sources, const std::string& sizing) {
  // NUL-separated fields: no two different inputs hash the same text.
  std::string text = tool + '\0' + kVersion + '\0';
  for (const auto& a : args) text += "arg\0" + a + '\0';
  for (const auto& s : sources) text += std::string("source", 6) + '\0' + s + '\0';
  text += sizing;
  hash::MultiDigest digest({hash::Algorithm::sha256});
  digest.update(std::as_bytes(std::span(text.data(), text.size())));
  return digest.finish().front().second.substr(0, 16);
}

std::string unit_file(const std::string& dir, const io::WorkUnit& u, const char* suffix) {
  return dir + "/" + u.id() + suffix;
}

bool write_text_file(const std::string& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  const bool ok = write_all(fd, std::as_bytes(std::span(text.data(), text.size()))) && ::fsync(fd) == 0;
  return ::close(fd) == 0 && ok;
}

std::string host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "";
  return name;
}

/// Reads every record of a JSON Lines file; errors name the file and line.
Result<std::vector<record::Record>> read_records(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return make_error(Errc::not_found, path + ": " + std::strerror(errno));
  record::JsonlReader reader(fd);
  std::vector<record::Record> out;
  for (;;) {
    auto next = reader.next();
    if (!next) {
      ::close(fd);
      return make_error(Errc::data_loss, fmt::format("{}: line {}: {}", path, reader.line_number(), next.error().detail));
    }
    if (!next->has_value()) break;
    out.push_back(std::move(**next));
  }
  ::close(fd);
  return out;
}

Result<std::vector<io::WorkUnit>> read_plan(const std::string& path) {
  auto records = read_records(path);
  if (!records) return records.error();
  std::vector<io::WorkUnit> units;
  for (const auto& r : *records) {
    auto u = io::unit_from_record(r);
    if (!u) return make_error(Errc::invalid_argument, fmt::format("{}: unit {}: {}", path, units.size(), u.error().detail));
    units.push_back(std::move(*u));
  }
  return units;
}

// ---------------------------------------------------------------------------
// --plan

int plan(const ToolSpec& spec, const po::variables_map& vm, const po::parsed_options& parsed) {
  if (vm.count("records")) throw SetupError("--plan: --records reads standard input, which cannot be split into units");
  for (const auto& refused : spec.unit_refused)
    if (vm.count(refused) && !vm[refused].defaulted())
      throw SetupError("--plan: --" + refused + " needs the whole run at once and is not merged; run it without units, "
                       "or run it on the merged output");
  const std::string format = vm["format"].as<std::string>();
  if (format != "jsonl" && format != "tsv" &&
      std::find(spec.unit_formats.begin(), spec.unit_formats.end(), format) == spec.unit_formats.end())
    throw SetupError("--plan: --format " + format + " is not merged; plan with jsonl (or tsv) and convert the merged output");
  std::vector<std::string> sources;
  std::vector<std::string> args;
  for (const auto& option : parsed.options) {
    if (option.position_key >= 0) continue;
    if (option.string_key == "source") {
      sources.insert(sources.end(), option.value.begin(), option.value.end());
      continue;
    }
    if (is_unit_option(option.string_key)) continue;
    for (const auto& token : option.original_tokens) {
      if (!is_valid_utf8(token)) throw SetupError("--plan: an option that is not valid UTF-8 cannot be stored in a plan");
      args.push_back(token);
    }
  }
  if (vm.count("source")) sources = vm["source"].as<std::vector<std::string>>();
  // The list is read once, here: the plan names every source.
  for (auto& listed : files0_from(vm)) sources.push_back(std::move(listed));
  if (sources.empty()) throw SetupError("--plan: no SOURCE given (try --help)");
  for (const auto& s : sources)
    if (s == "-") throw SetupError("--plan: standard input cannot be split into units");

  io::PlanOptions options;
  options.tool = spec.name;
  options.args = args;
  if (vm.count("unit-size")) {
    auto size = parse_size(vm["unit-size"].as<std::string>());
    if (!size || *size == 0)
      throw po::validation_error(po::validation_error::invalid_option_value, "unit-size", vm["unit-size"].as<std::string>());
    options.unit_size = *size;
  }
  // The unit size of the plan id; a unit count is told apart from a size.
  std::string sizing = std::to_string(options.unit_size);
  if (vm.count("units")) {
    if (vm.count("unit-size")) throw SetupError("--plan: give --unit-size or --units, not both");
    const uint64_t count = vm["units"].as<uint64_t>();
    if (count == 0) throw po::validation_error(po::validation_error::invalid_option_value, "units", "0");
    options.unit_count = count;
    sizing = "units " + std::to_string(count);
  }
  options.plan = plan_id(spec.name, args, sources, sizing);
  if (spec.unit_margin) options.range_margin = spec.unit_margin(vm);
  options.min_item_cost = spec.plan_item_cost;
  options.walk = walk_options_from(vm);
  const auto units = io::plan_units(sources, options);
  record::FdOutput out(1);
  record::JsonlWriter writer(out);
  for (const auto& u : units)
    if (writer.write(io::unit_record(u)) == record::SinkStatus::stop) break;
  writer.flush();
  return out.broken() ? 2 : 0;
}

// ---------------------------------------------------------------------------
// --unit / --unit-file

Result<io::WorkUnit> chosen_unit(const po::variables_map& vm) {
  if (vm.count("unit")) {
    auto r = record::parse_json_record(vm["unit"].as<std::string>());
    if (!r) return make_error(Errc::invalid_argument, "--unit: " + r.error().detail);
    return io::unit_from_record(*r);
  }
  if (!vm.count("unit-index")) return make_error(Errc::invalid_argument, "--unit-file needs --unit-index N");
  const uint64_t index = vm["unit-index"].as<uint64_t>();
  auto units = read_plan(vm["unit-file"].as<std::string>());
  if (!units) return units.error();
  for (auto& u : *units)
    if (u.index == index) return std::move(u);
  return make_error(Errc::not_found, fmt::format("--unit-index {}: no such unit in {}", index, vm["unit-file"].as<std::string>()));
}

int run_unit(const ToolSpec& spec, const po::variables_map& vm) {
  auto chosen = chosen_unit(vm);
  if (!chosen) throw SetupError(chosen.error().detail);
  const io::WorkUnit unit = std::move(*chosen);
  if (unit.tool != spec.name) throw SetupError("this unit is for " + unit.tool + ", not " + spec.name);

  std::vector<std::string> args = unit.args;
  args.push_back("--");  // the source is never an option, whatever its name
  args.push_back(unit.source);
  std::string command_line = spec.name;
  for (const auto& a : args) command_line += " " + a;

  const bool to_dir = vm.count("out") > 0;
  const std::string dir = to_dir ? vm["out"].as<std::string>() : "";
  std::string output, manifest, run_state;
  int fd = 1;
  if (to_dir) {
    if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) throw SetupError("--out " + dir + ": " + std::strerror(errno));
    output = unit_file(dir, unit, ".jsonl");
    manifest = unit_file(dir, unit, ".manifest.json");
    // A rerun first withdraws the old manifest: until it completes, the unit is not done.
    if (::unlink(manifest.c_str()) != 0 && errno != ENOENT) throw SetupError(manifest + ": " + std::strerror(errno));
    if (spec.save_run_state) run_state = unit_file(dir, unit, ".run.jsonl");
    fd = ::open(output.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw SetupError(output + ": " + std::strerror(errno));
  }
  const std::string start_time = now_rfc3339();
  const auto started = std::chrono::steady_clock::now();
  RunReport report;
  std::string failure;
  try {
    RunContext context;
    context.unit = unit.selector;
    context.out_fd = fd;
    context.allow_stats = false;
    context.run_state_path = run_state;
    report = run_parsed(spec, parse_args(spec, args), command_line, context);
    if (report.output_failed) failure = "writing the records failed";
  } catch (const std::exception& e) {
    failure = e.what();
    std::cerr << spec.name << ": " << unit.id() << ": " << failure << "\n";
  }
  if (!failure.empty()) report.exit_status = 2;
  if (!to_dir) return report.exit_status;
  if (::fsync(fd) != 0 && failure.empty()) failure = std::string("writing the records failed: ") + std::strerror(errno);
  struct stat st {};
  const uint64_t output_bytes = ::fstat(fd, &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
  ::close(fd);

  record::Record m("manifest", spec.name);
  m.set("unit", unit.id());
  m.set("index", unit.index);
  m.set("count", unit.count);
  m.set("plan", unit.plan);
  m.set("version", kVersion);
  m.set("commit", kGitCommit);
  m.set("source", unit.source);
  m.set("kind", io::unit_kind_name(unit.kind));
  const record::Record planned = io::unit_record(unit);
  if (const record::Value* stored = planned.get("args")) m.set("args", *stored);
  m.set("output", unit.id() + ".jsonl");
  m.set("output_bytes", output_bytes);
  if (!run_state.empty()) m.set("run_state", unit.id() + ".run.jsonl");
  m.set("records", report.records);
  m.set("primary", report.primary);
  m.set("errors", report.errors);
  m.set("items", report.items);
  m.set("bytes", report.bytes);
  m.set("status", failure.empty() ? "ok" : "failed");
  if (!failure.empty()) m.set("failure", failure);
  m.set("exit_status", report.exit_status);
  m.set("start_time", start_time);
  m.set("end_time", now_rfc3339());
  m.set("elapsed_s", std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  m.set("host", host_name());
  std::string text;
  record::append_json(text, m);
  text += '\n';
  // Written last and renamed into place: a unit killed before this has no manifest.
  const std::string temporary = manifest + ".tmp";
  if (!write_text_file(temporary, text) || ::rename(temporary.c_str(), manifest.c_str()) != 0) {
    std::cerr << spec.name << ": " << manifest << ": " << std::strerror(errno) << "\n";
    return 2;
  }
  return report.exit_status;
}

// ---------------------------------------------------------------------------
// --merge

struct UnitState {
  std::string problem;  ///< empty when the unit is complete
  record::Record manifest;
};

UnitState check_unit(const std::string& dir, const io::WorkUnit& u) {
  UnitState s;
  const std::string output = unit_file(dir, u, ".jsonl");
  struct stat st {};
  const bool have_output = ::stat(output.c_str(), &st) == 0;
  auto manifest = read_records(unit_file(dir, u, ".manifest.json"));
  if (!manifest) {
    s.problem = have_output ? "incomplete" : "missing";
    return s;
  }
  if (manifest->size() != 1 || (*manifest)[0].type() != "manifest") {
    s.problem = "incomplete (unreadable manifest)";
    return s;
  }
  s.manifest = (*manifest)[0];
  if (s.manifest.get_string("plan").value_or("") != u.plan) {
    s.problem = "incomplete (manifest of another plan)";
  } else if (s.manifest.get_string("status").value_or("") != "ok") {
    s.problem = fmt::format("failed (exit {})", s.manifest.get_uint("exit_status").value_or(2));
  } else if (!have_output || static_cast<uint64_t>(st.st_size) != s.manifest.get_uint("output_bytes").value_or(UINT64_MAX)) {
    s.problem = "incomplete (output does not match its manifest)";
  }
  return s;
}

/// True when a record line (JSON Lines, or a TSV row) is of one of `types`.
bool line_of_type(std::string_view line, const std::vector<std::string>& types) {
  for (const auto& t : types) {
    const std::string json = "{\"type\":\"" + t + "\"";
    if (line.starts_with(json) || (line.starts_with(t) && line.size() > t.size() && line[t.size()] == '\t')) return true;
  }
  return false;
}

/// Copies a unit's output to fd 1; in TSV, the header lines of all but the
/// first unit are dropped. Lines of a `held` type (run-level records such as
/// links) are kept back in `held_lines`, to follow every unit's other records.
/// Outputs run to gigabytes: whole blocks go out as read unless a line has to
/// be looked at, and lines are found with memchr, not byte by byte.
using LineFilter = std::function<bool(std::string_view line, std::string& extra)>;

bool copy_output(const std::string& path, bool drop_header, const std::vector<std::string>& held,
                 std::string& held_lines, const LineFilter& keep = {}) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool filter = drop_header || !held.empty() || keep;
  std::string extra;
  std::vector<char> block(size_t{1} << 20);
  std::string pending, line;  // line: the start of a line that continues in the next block
  bool ok = true;
  auto take_line = [&](std::string_view l) {
    if (drop_header && l.starts_with("#")) return;
    if (!held.empty() && line_of_type(l, held)) {
      held_lines.append(l);
      return;
    }
    extra.clear();
    if (keep && !keep(l, extra)) {
      pending.append(extra);
      return;
    }
    pending.append(l);
    pending.append(extra);
  };
  for (;;) {
    const ssize_t n = ::read(fd, block.data(), block.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) ok = false;
    if (n <= 0) break;
    const std::string_view data(block.data(), static_cast<size_t>(n));
    if (!filter) {
      ok = write_all(1, std::as_bytes(std::span(data.data(), data.size())));
      if (!ok) break;
      continue;
    }
    pending.clear();
    size_t at = 0;
    while (at < data.size()) {
      const void* nl = std::memchr(data.data() + at, '\n', data.size() - at);
      const size_t stop = nl ? static_cast<size_t>(static_cast<const char*>(nl) - data.data()) + 1 : data.size();
      if (!nl) {
        line.append(data.substr(at));
      } else if (line.empty()) {
        take_line(data.substr(at, stop - at));
      } else {
        line.append(data.substr(at, stop - at));
        take_line(line);
        line.clear();
      }
      at = stop;
    }
    if (!write_all(1, std::as_bytes(std::span(pending.data(), pending.size())))) {
      ok = false;
      break;
    }
  }
  ::close(fd);
  if (ok && !line.empty()) {  // a last line without its newline
    pending.clear();
    take_line(line);
    ok = write_all(1, std::as_bytes(std::span(pending.data(), pending.size())));
  }
  return ok;
}

int merge(const ToolSpec& spec, const po::variables_map& vm) {
  std::string dir = vm["merge"].as<std::string>();
  bool failed_only = vm.count("failed") > 0;
  if (dir == "--failed") {
    // `--merge --failed DIR`: the option parser took --failed for merge's DIR.
    const auto sources = vm.count("source") ? vm["source"].as<std::vector<std::string>>() : std::vector<std::string>{};
    if (sources.size() != 1) throw SetupError("--merge --failed: give one DIR");
    failed_only = true;
    dir = sources.front();
  } else if (vm.count("source")) {
    throw SetupError("--merge: give one DIR and no SOURCE");
  }
  auto units = read_plan(dir + "/plan.jsonl");
  if (!units) throw SetupError("--merge: " + units.error().detail);
  if (units->empty()) throw SetupError("--merge: " + dir + "/plan.jsonl holds no units");
  const io::WorkUnit& first = units->front();
  for (size_t i = 0; i < units->size(); ++i) {
    const io::WorkUnit& u = (*units)[i];
    if (u.tool != spec.name) throw SetupError("--merge: " + dir + "/plan.jsonl is a plan for " + u.tool);
    if (u.plan != first.plan || u.index != i || u.count != units->size())
      throw SetupError(fmt::format("--merge: {}/plan.jsonl: line {} does not belong to plan {} of {} units", dir, i + 1,
                                   first.plan, units->size()));
  }
  std::vector<UnitState> states;
  std::vector<uint64_t> rerun;
  std::vector<std::vector<record::Record>> run_states(units->size());
  for (const auto& u : *units) {
    states.push_back(check_unit(dir, u));
    if (states.back().problem.empty() && spec.load_run_state) {
      // What links are made of: a unit without it cannot take part in the run-level records.
      auto loaded = read_records(unit_file(dir, u, ".run.jsonl"));
      if (loaded) run_states[u.index] = std::move(*loaded);
      else states.back().problem = "incomplete (run state: " + loaded.error().detail + ")";
    }
    if (!states.back().problem.empty()) rerun.push_back(u.index);
  }
  if (failed_only) {
    std::string list;
    for (uint64_t i : rerun) list += (list.empty() ? "" : ",") + std::to_string(i);
    std::cout << list << "\n";
    return 0;
  }
  if (!rerun.empty()) {
    // Nothing is written: a partial merge would look like a complete result.
    for (uint64_t i : rerun)
      std::cerr << fmt::format("{}: {}: {}: {}\n", spec.name, dir, (*units)[i].id(), states[i].problem);
    std::cerr << fmt::format("{}: {}: {} of {} units to rerun: {} --merge --failed {}\n", spec.name, dir, rerun.size(),
                             units->size(), spec.name, dir);
    return 2;
  }
  const auto merged_args = parse_args(spec, first.args);
  const bool tsv = merged_args["format"].as<std::string>() == "tsv";
  uint64_t records = 0, primary = 0, errors = 0, items = 0, bytes = 0;
  double busy = 0;
  std::string start_time, end_time, held_lines;
  std::function<bool(uint64_t, const record::Record&, std::string&)> join;
  uint64_t left_out = 0, left_out_primary = 0, added = 0;
  if (spec.merge_filter && !tsv) join = spec.merge_filter();
  for (size_t i = 0; i < units->size(); ++i) {
    LineFilter keep;
    if (join)
      keep = [&](std::string_view line, std::string& extra) {
        if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
        auto r = record::parse_json_record(line);
        const bool kept = !r || join(i, *r, extra);
        added += static_cast<uint64_t>(std::count(extra.begin(), extra.end(), '\n'));  // error records
        if (kept) return true;
        // The summary counts what the merged output holds.
        ++left_out;
        if (std::find(spec.primary_types.begin(), spec.primary_types.end(), r->type()) != spec.primary_types.end())
          ++left_out_primary;
        return false;
      };
    if (!copy_output(unit_file(dir, (*units)[i], ".jsonl"), tsv && i > 0, spec.run_types, held_lines, keep)) {
      if (errno == EPIPE) return 2;
      throw SetupError("--merge: " + unit_file(dir, (*units)[i], ".jsonl") + ": " + std::strerror(errno));
    }
    const record::Record& m = states[i].manifest;
    records += m.get_uint("records").value_or(0);
    primary += m.get_uint("primary").value_or(0);
    errors += m.get_uint("errors").value_or(0);
    items += m.get_uint("items").value_or(0);
    bytes += m.get_uint("bytes").value_or(0);
    if (const auto* e = m.get("elapsed_s"); e && std::holds_alternative<double>(*e)) busy += std::get<double>(*e);
    const std::string s = m.get_string("start_time").value_or(""), e = m.get_string("end_time").value_or("");
    if (start_time.empty() || s < start_time) start_time = s;
    if (e > end_time) end_time = e;
  }
  records = records + added - std::min(records + added, left_out);
  errors += added;
  primary -= std::min(primary, left_out_primary);
  if (!write_all(1, std::as_bytes(std::span(held_lines.data(), held_lines.size())))) return 2;
  if (spec.load_run_state && spec.finish) {
    // The run-level records over every unit's state, as one run writes them at its end.
    std::string ignored;
    for (size_t i = 0; i < run_states.size(); ++i)
      for (const record::Record& r : run_states[i])
        if (!join || join(i, r, ignored)) spec.load_run_state(r);
    record::FdOutput out(1);
    auto writer = make_record_writer(spec, merged_args, out, spec.name + " --merge " + dir, /*tsv_header=*/false);
    spec.finish(*writer);
    writer->flush();
    writer.reset();
    if (!out.flush() || out.broken()) return 2;
  }
  if (merged_args.count("stats") && !tsv) {
    record::Record summary("summary", spec.name);
    summary.set("version", kVersion);
    summary.set("commit", kGitCommit);
    summary.set("plan", first.plan);
    summary.set("units", static_cast<uint64_t>(units->size()));
    summary.set("start_time", start_time);
    summary.set("end_time", end_time);
    summary.set("unit_elapsed_s", busy);
    summary.set("items", items);
    summary.set("bytes", bytes);
    summary.set("records", primary);
    summary.set("errors", errors);
    std::string text;
    record::append_json(text, summary);
    text += '\n';
    write_all(1, std::as_bytes(std::span(text.data(), text.size())));
  }
  (void)records;
  if (errors > 0) return 2;
  return primary > 0 ? 0 : 1;
}

}  // namespace

void add_unit_options(po::options_description& o) {
  // clang-format off
  o.add_options()
    ("plan", "print the work units of this run as JSON Lines instead of running it (see LARGE CASES)")
    ("unit-size", po::value<std::string>()->value_name("SIZE"), "--plan: bytes of evidence per unit (default 1G)")
    ("units", po::value<uint64_t>()->value_name("N"), "--plan: cut into N units of equal weight instead (e.g. the CPUs of the job array)")
    ("unit", po::value<std::string>()->value_name("JSON"), "run only this work unit (one line of a plan), with its own options")
    ("unit-file", po::value<std::string>()->value_name("FILE"), "run the unit --unit-index N of the plan in FILE")
    ("unit-index", po::value<uint64_t>()->value_name("N"), "with --unit-file: the index of the unit to run")
    ("out", po::value<std::string>()->value_name("DIR"), "with --unit: write DIR/unit-NNNNN.jsonl, then its manifest")
    ("merge", po::value<std::string>()->value_name("DIR"), "check the units of DIR/plan.jsonl and write their records in plan order")
    ("failed", "with --merge: print the indices of the units to rerun, comma-separated");
  // clang-format on
}

bool wants_units(const po::variables_map& vm) {
  return vm.count("plan") || vm.count("unit") || vm.count("unit-file") || vm.count("merge");
}

int run_units(const ToolSpec& spec, const po::variables_map& vm, const po::parsed_options& parsed) {
  const int commands = static_cast<int>(vm.count("plan") > 0) + static_cast<int>(vm.count("unit") + vm.count("unit-file") > 0) +
                       static_cast<int>(vm.count("merge") > 0);
  if (commands > 1) throw SetupError("--plan, --unit/--unit-file and --merge are separate commands: give one");
  if (vm.count("plan")) return plan(spec, vm, parsed);
  if (vm.count("merge")) return merge(spec, vm);
  if (vm.count("source")) throw SetupError("--unit: the unit names its source; give no SOURCE");
  return run_unit(spec, vm);
}

}  // namespace trawl::cli
