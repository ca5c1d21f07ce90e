#pragma once
#include "common/cli.hpp"

namespace trawl::tools {

/// The hash-match command line (exposed for the man-page consistency test).
cli::ToolSpec hash_match_spec();
int hash_match_main(int argc, char** argv);

}  // namespace trawl::tools
