#pragma once
#include "common/cli.hpp"

namespace trawl::tools {

/// The wallet-scan command line (exposed for the man-page consistency test).
cli::ToolSpec wallet_scan_spec();
int wallet_scan_main(int argc, char** argv);

}  // namespace trawl::tools
