#include "hash-match/index_command.hpp"

#include <boost/program_options.hpp>
#include <fmt/format.h>
#include <sys/stat.h>

#include <csignal>
#include <iostream>

#include "common/cli.hpp"
#include "hash/block_index.hpp"
#include "hash/set_index.hpp"
#include "record/jsonl_writer.hpp"

namespace trawl::tools {

namespace po = boost::program_options;

int index_command_main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  po::options_description visible("hash-match index options");
  // clang-format off
  visible.add_options()
    ("help,h", "show this help and exit")
    ("output,o", po::value<std::string>()->value_name("NAME.tidx"), "the index file to write")
    ("name", po::value<std::string>()->value_name("LABEL"), "label that match records carry (default: the first set's file name)")
    ("kind", po::value<std::string>()->default_value("bad")->value_name("good|bad"), "what the set is for")
    ("strict", "a malformed line in a set is fatal instead of skipped")
    ("blocks", "index the blocks of the known FILES or directories given, for fragment matching")
    ("block-size", po::value<std::string>()->default_value("4096")->value_name("SIZE"), "with --blocks: block size (a multiple of 512)")
    ("memory", po::value<std::string>()->default_value("2G")->value_name("SIZE"), "RAM the build may use before spilling sorted runs")
    ("temp-dir", po::value<std::string>()->value_name("DIR"), "where sorted runs go (default: $TMPDIR or /tmp)");
  // clang-format on
  po::options_description all;
  all.add(visible).add_options()("set", po::value<std::vector<std::string>>(), "");
  po::positional_options_description positional;
  positional.add("set", -1);
  try {
    po::variables_map vm;
    po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
    po::notify(vm);
    if (vm.count("help")) {
      std::cout << "Usage: hash-match index SET... -o NAME.tidx [--name LABEL] [--kind good|bad]\n"
                << "       hash-match index --blocks [--block-size N] FILE|DIR... -o NAME.tidx\n"
                << "Compiles known-file sets (hashdeep, md5sum, NSRL RDS 2.x/RDSv3, VICS, PDQ lists) into one\n"
                << "memory-mapped index for --known-good / --known-bad.\n\n"
                << visible;
      return 0;
    }
    if (!vm.count("set") || !vm.count("output")) {
      std::cerr << "hash-match index: needs at least one SET and -o NAME.tidx (try --help)\n";
      return 2;
    }
    const auto sets = vm["set"].as<std::vector<std::string>>();
    hash::BuildOptions options;
    const std::string kind = vm["kind"].as<std::string>();
    if (kind != "good" && kind != "bad") throw po::error("--kind must be good or bad");
    options.meta.kind = kind == "good" ? hash::SetKind::good : hash::SetKind::bad;
    if (vm.count("name")) {
      options.meta.name = vm["name"].as<std::string>();
    } else {
      const std::string& first = sets.front();
      options.meta.name = first.substr(first.find_last_of('/') == std::string::npos ? 0 : first.find_last_of('/') + 1);
    }
    options.strict = vm.count("strict") > 0;
    auto memory = cli::parse_size(vm["memory"].as<std::string>());
    if (!memory) throw po::error("--memory takes a size such as 2G");
    options.memory_budget = *memory;
    if (vm.count("temp-dir")) options.temp_dir = vm["temp-dir"].as<std::string>();

    uint64_t problems = 0;
    auto on_problem = [&](const hash::SetProblem& p) {
      ++problems;
      if (problems <= 20) std::cerr << fmt::format("hash-match index: line {}: {} (skipped)\n", p.line, p.message);
    };
    const std::string output = vm["output"].as<std::string>();
    Result<hash::IndexMeta> built = hash::IndexMeta{};
    if (vm.count("blocks")) {
      auto block_size = cli::parse_size(vm["block-size"].as<std::string>());
      if (!block_size) throw po::error("--block-size takes a size such as 4096");
      built = hash::build_block_index(sets, static_cast<size_t>(*block_size), output, options, on_problem);
    } else {
      built = hash::build_index(sets, output, options, on_problem);
    }
    if (!built) {
      std::cerr << fmt::format("hash-match index: {}: {}: {}\n", output, errc_name(built.error().code), built.error().detail);
      return 2;
    }
    if (problems > 20) std::cerr << fmt::format("hash-match index: {} malformed lines skipped in all\n", problems);
    struct stat st {};
    ::stat(output.c_str(), &st);
    record::Record r("index", "hash-match");
    r.set("path", output);
    r.set("name", built->name);
    r.set("kind", hash::set_kind_name(built->kind));
    if (!built->version.empty()) r.set("version", built->version);
    std::string sources;
    for (const auto& s : built->sources) sources += (sources.empty() ? "" : "; ") + s;
    r.set("sources", sources);
    r.set("entries", built->entries);
    r.set("size", static_cast<uint64_t>(st.st_size));
    r.set("problems", problems);
    std::string line;
    record::append_json(line, r);
    std::cout << line << "\n";
    return 0;
  } catch (const po::error& e) {
    std::cerr << "hash-match index: " << e.what() << " (try --help)\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "hash-match index: internal: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace trawl::tools
