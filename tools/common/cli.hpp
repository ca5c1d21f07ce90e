#pragma once
// The command line every trawl tool shares, defined once: inputs, record
// formats, threads, progress, evidence options, limits, exit codes, broken
// pipes and diagnostics. Boost.Program_options is used here and nowhere else.
#include <boost/program_options.hpp>

#include <functional>
#include <stdexcept>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "io/pipeline.hpp"
#include "record/output.hpp"

namespace trawl::cli {

namespace po = boost::program_options;

/// What a tool tells the shared CLI about itself.
struct ToolSpec {
  std::string name;         ///< binary name, also the `tool` field of records
  std::string synopsis;     ///< one line for --help
  /// Adds the tool's own options.
  std::function<void(po::options_description&)> add_options;
  /// Record types that count as "found something" for the exit status.
  std::vector<std::string> primary_types;
  /// When set, decides the primary types from the options (e.g. `match`
  /// once known-bad sets are loaded).
  std::function<std::vector<std::string>(const po::variables_map&)> primary_types_for;
  /// When set and non-empty: the only record types written (errors and the
  /// summary are always written), e.g. `match` for --matches-only.
  std::function<std::vector<std::string>(const po::variables_map&)> only_types;
  /// Output formats besides jsonl and tsv, and the writer for them.
  std::vector<std::string> extra_formats;
  std::function<std::unique_ptr<record::RecordSink>(const std::string& format, record::FdOutput& out,
                                                    const po::variables_map& vm, const std::string& command_line)>
      make_writer;
  /// When set: wraps the chosen writer, e.g. to also write a GeoJSON file or
  /// a histogram of everything that passed. The wrapper finishes its own
  /// output when destroyed, after the last record.
  std::function<std::unique_ptr<record::RecordSink>(std::unique_ptr<record::RecordSink> writer,
                                                    const po::variables_map& vm)>
      wrap_writer;
  /// TSV columns (error records fill `error` and `detail`).
  std::function<std::vector<std::string>(const po::variables_map&)> tsv_columns;
  /// Record types written as TSV rows besides the primary ones (and file, range, match, error), e.g.
  /// links: their fields fill the columns of the same names, so tsv_columns should name them.
  std::vector<std::string> tsv_row_types;
  /// Builds the per-item consumer from the parsed options; may throw
  /// po::error for a bad option value.
  std::function<std::unique_ptr<io::ItemConsumer>(const po::variables_map&)> make_consumer;
  /// When set: called once after every item was consumed (before the --stats
  /// summary) to write records that need the whole run, e.g. histograms.
  std::function<void(record::RecordSink&)> finish;
  /// Work units (units.cpp): when set and it gives a value, byte range items
  /// are split into windows read with this look-ahead, the longest hit the
  /// enabled scanners can report. Unset or none: a range item is never split.
  std::function<std::optional<uint64_t>(const po::variables_map&)> unit_margin;
  /// When set and true: files are carved like byte ranges (stl-detect --carve-files), so long files
  /// are cut into windows for the workers too.
  std::function<bool(const po::variables_map&)> split_files;
  /// Work units: the least a file counts towards a unit's size when --plan
  /// cuts units, about what opening and scanning one small file costs in bytes
  /// of a large one. Measured on an ext4 of /usr: hash-match spends 55-105 us
  /// per file besides 2.8 ms per MB (20-37 KB of content), and the units of man
  /// pages took twice as long as units of the same bytes in large files.
  uint64_t plan_item_cost = uint64_t{32} << 10;
  /// Options that aggregate the whole run and are not merged: --plan refuses them.
  std::vector<std::string> unit_refused;
  /// Extra formats whose unit outputs concatenate into the unsharded output
  /// (the others, e.g. with a header or groups, are refused by --plan).
  std::vector<std::string> unit_formats;
  /// Record types `finish` writes for the whole run (links): --merge writes
  /// them after every unit's other records, as the unsharded run does.
  std::vector<std::string> run_types;
  /// Work units: what `finish` needs from the whole run (the addresses and
  /// keys, the models and print jobs that links are made of), saved by each
  /// unit as records in DIR/unit-N.run.jsonl instead of running `finish`,
  /// and loaded back from every unit by --merge, which then runs `finish`
  /// once: links between hits of different units are those of one run.
  std::function<void(record::RecordSink&)> save_run_state;
  std::function<void(const record::Record&)> load_run_state;
  /// --merge of JSON Lines units: when set, called once for a filter that sees every record of the units'
  /// outputs in plan order (`unit` is the index), then every run-state record; a record it returns false
  /// for is left out, and JSON lines it appends to `extra` follow the record. stl-detect drops a later
  /// unit's models that an object of an earlier unit covers, as one carver over the range would.
  std::function<std::function<bool(uint64_t unit, const record::Record& r, std::string& extra)>()> merge_filter;
};

/// How one run is wired: the whole command line, or one work unit.
struct RunContext {
  std::optional<io::UnitSelector> unit;  ///< restricts the walk to one unit
  int out_fd = 1;                        ///< where the records go
  bool allow_stats = true;               ///< a unit leaves its summary to the manifest and merge
  /// With ToolSpec::save_run_state: the file the run-level state goes to, `finish` is not run.
  std::string run_state_path;
};

/// What a run did, for a unit's manifest.
struct RunReport {
  int exit_status = 2;
  uint64_t records = 0;  ///< records written to the output
  uint64_t primary = 0;
  uint64_t errors = 0;
  uint64_t items = 0;
  uint64_t bytes = 0;
  bool output_failed = false;  ///< the output stopped taking records
};

/// Thrown while setting up (e.g. a known set that cannot be read): the
/// message is printed as `tool: message` and the exit status is 2.
struct SetupError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Parses the command line, runs the pipeline, and returns the exit status:
/// 0 when at least one primary record was written, 1 when none, 2 when any
/// error occurred (the tool still finishes the rest of the evidence).
int run_tool(const ToolSpec& spec, int argc, char** argv);

/// The writer of the format --format names (jsonl, tsv or one of the tool's), with a TSV header unless
/// `tsv_header` is false or --no-header was given.
std::unique_ptr<record::RecordSink> make_record_writer(const ToolSpec& spec, const po::variables_map& vm,
                                                       record::FdOutput& out, const std::string& command_line,
                                                       bool tsv_header = true);

/// Runs the tool on parsed options (sources included) as `context` says.
/// Throws po::error / SetupError for bad options, as run_tool catches them.
RunReport run_parsed(const ToolSpec& spec, const po::variables_map& vm, const std::string& command_line,
                     const RunContext& context);

/// The sources listed by --files0-from FILE or -0 (NUL-separated, empty names
/// skipped; read once); none without those options. Throws SetupError when
/// FILE cannot be opened.
std::vector<std::string> files0_from(const po::variables_map& vm);

/// The evidence options (--unallocated, --raw, --no-archives, limits...).
io::WalkOptions walk_options_from(const po::variables_map& vm);

/// Parses `args` (no program name) as the tool's command line.
po::variables_map parse_args(const ToolSpec& spec, const std::vector<std::string>& args);

/// All option descriptions of a tool (shared and its own), for --help and the
/// test that keeps man pages in step with the flags.
po::options_description all_options(const ToolSpec& spec);

/// Parses sizes such as 512, 64K, 16M, 4G (powers of 1024).
std::optional<uint64_t> parse_size(const std::string& text);

}  // namespace trawl::cli
