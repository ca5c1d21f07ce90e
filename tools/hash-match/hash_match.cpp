#include "hash-match/hash_match.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <iostream>
#include <set>
#include <vector>

#include "hash-match/index_command.hpp"
#include "hash-match/known_sets.hpp"
#include "hash/digest.hpp"
#include "hash/set_writers.hpp"
#include "io/item_record.hpp"

namespace trawl::tools {
namespace {

constexpr size_t kReadBlock = 1 << 20;  // large reads: the digests, not syscalls, should cost

/// Hashes each item with every requested digest from a single read, then
/// checks the digests against the known-good and known-bad sets.
class HashConsumer final : public io::ItemConsumer {
 public:
  HashConsumer(std::vector<hash::Algorithm> algorithms, std::shared_ptr<const hash::SetMatcher> sets, bool keep_good,
               bool matches_only)
      : algorithms_(std::move(algorithms)), sets_(std::move(sets)), keep_good_(keep_good), matches_only_(matches_only) {}

  void consume(const io::ItemInfo& info, io::ByteStream* data, record::RecordSink& out) override {
    record::Record r = io::item_record("hash-match", info);
    std::vector<std::pair<hash::Algorithm, std::string>> digests;
    if (data != nullptr) {
      thread_local std::vector<std::byte> block(kReadBlock);
      hash::MultiDigest digest(algorithms_);
      uint64_t total = 0;
      for (;;) {
        auto n = data->read(block);
        if (!n) {
          out.write(io::error_record("hash-match", info.source, info.path, n.error(), info.offset));
          return;
        }
        if (*n == 0) break;
        digest.update(std::span(block.data(), *n));
        total += *n;
      }
      if (info.kind == io::ItemKind::file) r.set("size", total);
      digests = digest.finish();
      for (auto& [algorithm, hex] : digests) r.set(hash::algorithm_name(algorithm), hex);
    }
    if (sets_ == nullptr || digests.empty()) {
      if (!matches_only_) out.write(r);
      return;
    }
    if (auto good = sets_->known_good(digests)) {
      if (!keep_good_) return;  // the classic NSRL filter: known good is noise
      r.set("known_good", *good);
    }
    auto matches = sets_->match_bad(r, digests);
    if (!matches_only_) out.write(r);
    for (const auto& m : matches) out.write(m);
  }

 private:
  std::vector<hash::Algorithm> algorithms_;
  std::shared_ptr<const hash::SetMatcher> sets_;
  bool keep_good_;
  bool matches_only_;
};

std::vector<hash::Algorithm> requested_algorithms(const cli::po::variables_map& vm) {
  auto parsed = hash::parse_algorithm_list(vm["digests"].as<std::string>());
  if (!parsed) throw cli::po::error(parsed.error().detail);
  return *parsed;
}

/// Only the digests the loaded sets need are computed, unless -c asks for more.
std::vector<hash::Algorithm> algorithms_for(const cli::po::variables_map& vm, const hash::SetMatcher* sets) {
  std::vector<hash::Algorithm> out;
  const bool explicit_c = !vm["digests"].defaulted();
  if (sets == nullptr || explicit_c) out = requested_algorithms(vm);
  if (sets != nullptr) {
    for (auto a : sets->algorithms())
      if (std::find(out.begin(), out.end(), a) == out.end()) out.push_back(a);
  }
  return out;
}

bool sets_given(const cli::po::variables_map& vm) { return vm.count("known-good") || vm.count("known-bad"); }

}  // namespace

cli::ToolSpec hash_match_spec() {
  cli::ToolSpec spec;
  spec.name = "hash-match";
  spec.synopsis =
      "Hash every file, stream, archive member and byte range of the evidence, and match the digests\n"
      "against known-good and known-bad sets.\n"
      "       hash-match index SET... -o NAME.tidx [--name LABEL] [--kind good|bad]   compiles sets";
  spec.add_options = [](cli::po::options_description& o) {
    o.add_options()("digests,c", cli::po::value<std::string>()->default_value("md5,sha1,sha256")->value_name("LIST"),
                    "digests to compute, comma-separated: md5, sha1, sha256, sha512; none reads every byte without hashing")(
        "known-good", cli::po::value<std::vector<std::string>>()->value_name("SET"),
        "drop items whose digest is in SET (a .tidx index or a set file; repeatable)")(
        "known-bad", cli::po::value<std::vector<std::string>>()->value_name("SET"),
        "report items whose digest is in SET as match records (repeatable)")(
        "all", "keep known-good items, marked with known_good")(
        "matches-only", "with --known-bad: write only match records (and errors)")(
        "category-profile", cli::po::value<std::string>()->default_value("none")->value_name("NAME"),
        "label VICS categories: vic-us, dhs, caid-uk or none")(
        "strict", "a malformed line in a set is fatal instead of skipped");
  };
  spec.primary_types = {"file", "range"};
  spec.primary_types_for = [](const cli::po::variables_map& vm) -> std::vector<std::string> {
    if (vm.count("known-bad")) return {"match"};
    return {"file", "range"};
  };
  spec.only_types = [](const cli::po::variables_map& vm) -> std::vector<std::string> {
    if (vm.count("matches-only") && vm.count("known-bad")) return {"match"};
    return {};
  };
  spec.tsv_columns = [](const cli::po::variables_map& vm) {
    std::vector<std::string> columns = {"type", "source", "path", "size", "deleted", "partition_offset", "inode",
                                        "offset", "length"};
    for (auto a : requested_algorithms(vm)) columns.push_back(hash::algorithm_name(a));
    if (sets_given(vm)) {
      for (const char* c : {"known_good", "set", "matched", "partial", "category", "category_label", "media_id"})
        columns.push_back(c);
    }
    columns.push_back("error");
    columns.push_back("detail");
    return columns;
  };
  spec.extra_formats = {"hashdeep", "md5sum", "sha1sum", "sha256sum", "sha512sum"};
  spec.make_writer = [](const std::string& format, record::FdOutput& out, const cli::po::variables_map& vm,
                        const std::string& command_line) -> std::unique_ptr<record::RecordSink> {
    if (format == "hashdeep") return std::make_unique<hash::HashdeepWriter>(out, requested_algorithms(vm), command_line);
    const auto algorithm = hash::parse_algorithm(format.substr(0, format.size() - 3));
    return std::make_unique<hash::SumWriter>(out, algorithm.value_or(hash::Algorithm::md5));
  };
  spec.make_consumer = [](const cli::po::variables_map& vm) -> std::unique_ptr<io::ItemConsumer> {
    std::shared_ptr<const hash::SetMatcher> sets;
    if (sets_given(vm)) sets = load_known_sets(vm);
    auto algorithms = algorithms_for(vm, sets.get());
    const std::string format = vm["format"].as<std::string>();
    if (format.size() > 3 && format.compare(format.size() - 3, 3, "sum") == 0) {
      // md5sum output needs that digest whatever else is computed.
      const auto a = hash::parse_algorithm(format.substr(0, format.size() - 3));
      if (a && std::find(algorithms.begin(), algorithms.end(), *a) == algorithms.end()) algorithms.push_back(*a);
    }
    return std::make_unique<HashConsumer>(algorithms, sets, vm.count("all") > 0, vm.count("matches-only") > 0);
  };
  return spec;
}

int hash_match_main(int argc, char** argv) {
  if (argc > 1 && std::strcmp(argv[1], "index") == 0) return index_command_main(argc - 1, argv + 1);
  return cli::run_tool(hash_match_spec(), argc, argv);
}

}  // namespace trawl::tools
