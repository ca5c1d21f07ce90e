#include "hash-match/known_sets.hpp"

#include "hash/set_detect.hpp"
#include "hash/set_source.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <iostream>

namespace trawl::tools {
namespace {

std::string base_name(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string head_of(const std::string& path, size_t bytes = 64) {
  std::ifstream in(path, std::ios::binary);
  std::string head(bytes, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  return head;
}

/// A .tidx built with `hash-match index --blocks`: its meta version says so, with the block size.
std::optional<size_t> block_index_size(const std::string& path) {
  if (head_of(path, 8) != "TRAWLIDX") return std::nullopt;
  auto index = hash::SetIndex::open(path);
  if (!index) return std::nullopt;
  return hash::parse_block_index_version(index->meta().version);
}

bool is_block_index(const std::string& path) { return block_index_size(path).has_value(); }

std::vector<hash::LoadedSet> load(const cli::po::variables_map& vm, const char* option, hash::SetKind kind, bool strict,
                                  std::vector<FuzzySet>* fuzzy, std::vector<PerceptualSet>* perceptual,
                                  std::vector<BlockSet>* blocks) {
  std::vector<hash::LoadedSet> out;
  if (!vm.count(option)) return out;
  for (const auto& path : vm[option].as<std::vector<std::string>>()) {
    if (hash::looks_like_ssdeep_list(head_of(path))) {
      if (fuzzy == nullptr) throw cli::SetupError(path + ": an ssdeep list can only be a --known-bad set");
      uint64_t problems = 0;
      auto entries = hash::read_ssdeep_list(path, problems);
      if (!entries) throw cli::SetupError(fmt::format("{}: {}: {}", path, errc_name(entries.error().code), entries.error().detail));
      if (problems > 0) {
        if (strict) throw cli::SetupError(fmt::format("{}: {} malformed ssdeep lines", path, problems));
        std::cerr << fmt::format("hash-match: {}: {} malformed ssdeep lines skipped\n", path, problems);
      }
      fuzzy->push_back(FuzzySet{base_name(path), std::move(*entries)});
      continue;
    }
    if (is_block_index(path)) {
      if (blocks == nullptr) throw cli::SetupError(path + ": a block index can only be a --known-bad set");
      auto index = hash::BlockIndex::open(path);
      if (!index) throw cli::SetupError(fmt::format("{}: {}: {}", path, errc_name(index.error().code), index.error().detail));
      if (index->filter() == nullptr)
        std::cerr << fmt::format("hash-match: {}: no {} next to it: every window will be hashed (slow)\n", path,
                                 hash::block_filter_path(path));
      const std::string label = index->set().meta().name.empty() ? base_name(path) : index->set().meta().name;
      blocks->push_back(BlockSet{label, std::make_shared<const hash::BlockIndex>(std::move(*index))});
      continue;
    }
    if (hash::detect_set_format(head_of(path, hash::kSetHeadBytes)) == hash::SetFormat::pdq) {
      if (perceptual == nullptr) throw cli::SetupError(path + ": a PDQ list can only be a --known-bad set");
      uint64_t problems = 0;
      auto on_problem = [&](const hash::SetProblem& p) {
        if (++problems <= 20) std::cerr << fmt::format("hash-match: {}: line {}: {} (skipped)\n", path, p.line, p.message);
      };
      hash::PdqSetOptions options;
      options.strict = strict;
      auto set = hash::load_pdq_set(path, options, on_problem);
      if (!set) throw cli::SetupError(fmt::format("{}: {}: {}", path, errc_name(set.error().code), set.error().detail));
      if (set->low_quality > 0)
        std::cerr << fmt::format("hash-match: {}: {} hashes with quality below {} not used\n", path, set->low_quality,
                                 options.min_quality);
      perceptual->push_back(PerceptualSet{base_name(path), std::make_shared<const hash::PdqSet>(std::move(*set))});
      continue;
    }
    hash::IndexMeta meta;
    meta.name = base_name(path);
    meta.kind = kind;
    meta.sources = {path};
    uint64_t problems = 0;
    auto on_problem = [&](const hash::SetProblem& p) {
      ++problems;
      if (problems <= 20)
        std::cerr << fmt::format("hash-match: {}: line {}: {} (skipped)\n", path, p.line, p.message);
    };
    auto index = hash::SetIndex::load(path, meta, on_problem, strict);
    if (!index) throw cli::SetupError(fmt::format("{}: {}: {}", path, errc_name(index.error().code), index.error().detail));
    if (problems > 20) std::cerr << fmt::format("hash-match: {}: {} malformed lines skipped in all\n", path, problems);
    auto shared = std::make_shared<const hash::SetIndex>(std::move(*index));
    // A compiled index keeps its own label; a set file is named after the file.
    std::string label = shared->meta().name.empty() ? meta.name : shared->meta().name;
    out.push_back(hash::LoadedSet{shared, label});
  }
  return out;
}

}  // namespace

std::shared_ptr<const KnownSets> load_known_sets(const cli::po::variables_map& vm) {
  const bool strict = vm.count("strict") > 0;
  const auto profile = hash::parse_category_profile(vm["category-profile"].as<std::string>());
  if (!profile) throw cli::po::error("--category-profile must be vic-us, dhs, caid-uk or none");
  auto sets = std::make_shared<KnownSets>();
  auto good = load(vm, "known-good", hash::SetKind::good, strict, nullptr, nullptr, nullptr);
  auto bad = load(vm, "known-bad", hash::SetKind::bad, strict, &sets->fuzzy, &sets->perceptual, &sets->blocks);
  if (!good.empty() || !bad.empty()) sets->exact = std::make_shared<const hash::SetMatcher>(std::move(good), std::move(bad), *profile);
  sets->ssdeep_threshold = vm["ssdeep-threshold"].as<int>();
  sets->pdq_distance = vm["pdq-distance"].as<int>();
  if (sets->pdq_distance < 0 || sets->pdq_distance > 256) throw cli::po::error("--pdq-distance must be 0 to 256");
  sets->pdq_dihedral = vm.count("pdq-dihedral") > 0;
  return sets;
}

std::optional<uint64_t> block_margin(const cli::po::variables_map& vm) {
  if (!vm.count("known-bad")) return std::nullopt;
  std::optional<uint64_t> largest;
  for (const auto& path : vm["known-bad"].as<std::vector<std::string>>())
    if (auto size = block_index_size(path)) largest = std::max<uint64_t>(largest.value_or(0), *size);
  return largest;
}

}  // namespace trawl::tools
