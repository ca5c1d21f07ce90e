#include "hash-match/known_sets.hpp"

#include <fmt/format.h>

#include <iostream>

namespace trawl::tools {
namespace {

std::string base_name(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::vector<hash::LoadedSet> load(const cli::po::variables_map& vm, const char* option, hash::SetKind kind, bool strict) {
  std::vector<hash::LoadedSet> out;
  if (!vm.count(option)) return out;
  for (const auto& path : vm[option].as<std::vector<std::string>>()) {
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

std::shared_ptr<const hash::SetMatcher> load_known_sets(const cli::po::variables_map& vm) {
  const bool strict = vm.count("strict") > 0;
  const auto profile = hash::parse_category_profile(vm["category-profile"].as<std::string>());
  if (!profile) throw cli::po::error("--category-profile must be vic-us, dhs, caid-uk or none");
  return std::make_shared<const hash::SetMatcher>(load(vm, "known-good", hash::SetKind::good, strict),
                                                  load(vm, "known-bad", hash::SetKind::bad, strict), *profile);
}

}  // namespace trawl::tools
