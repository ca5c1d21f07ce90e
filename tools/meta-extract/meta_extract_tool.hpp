#pragma once
#include "common/cli.hpp"

namespace trawl::tools {

cli::ToolSpec meta_extract_spec();
int meta_extract_main(int argc, char** argv);

}  // namespace trawl::tools
