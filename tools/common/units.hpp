#pragma once
// --plan, --unit / --unit-file and --merge: the work-unit commands every
// tool shares (see work_unit.hpp and the LARGE CASES section of the pages).
#include "common/cli.hpp"

namespace trawl::cli {

/// Adds --plan, --unit-size, --units, --unit, --unit-file, --unit-index, --out, --merge, --failed.
void add_unit_options(po::options_description& options);

/// True when the command line asks for one of the unit commands.
bool wants_units(const po::variables_map& vm);

/// Runs the unit command; returns the exit status. `parsed` is the command
/// line as parsed, to store the tool options in the plan exactly as given.
int run_units(const ToolSpec& spec, const po::variables_map& vm, const po::parsed_options& parsed);

}  // namespace trawl::cli
