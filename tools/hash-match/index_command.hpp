#pragma once

namespace trawl::tools {

/// `hash-match index SET... -o NAME.tidx [--name LABEL] [--kind good|bad]`:
/// compiles known-file sets into a memory-mapped index. argv[0] is "index".
int index_command_main(int argc, char** argv);

}  // namespace trawl::tools
