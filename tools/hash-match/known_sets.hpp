#pragma once
// Loading the sets named by --known-good / --known-bad.
#include <memory>

#include "common/cli.hpp"
#include "hash/set_matcher.hpp"

namespace trawl::tools {

/// Opens every set (a .tidx index, or a set file compiled in memory). Set
/// problems are reported on stderr; a set that cannot be read at all, or any
/// problem with --strict, throws cli::SetupError.
std::shared_ptr<const hash::SetMatcher> load_known_sets(const cli::po::variables_map& vm);

}  // namespace trawl::tools
