#pragma once
#include <cstddef>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "common/cli.hpp"
#include "scan/model_carver.hpp"

namespace trawl::tools {

/// The stl-detect command line (exposed for the man-page consistency test).
cli::ToolSpec stl_detect_spec();
int stl_detect_main(int argc, char** argv);

/// Record fields describing a model's bytes beyond format and hashes:
/// provenance (slicer, author, object names...) and, for meshes, measures.
/// Values are strings; a key listed twice becomes an array.
using ModelFields = std::vector<std::pair<std::string, std::string>>;
ModelFields describe_model(scan::ModelFormat format, std::span<const std::byte> bytes);

/// INTEGRATION POINT (lead): mesh measures and geometry hashes from
/// lib/formats/mesh_parse.hpp once wt/mesh lands parse_mesh(). Returns no
/// fields until then.
ModelFields describe_mesh(scan::ModelFormat format, std::span<const std::byte> bytes);

}  // namespace trawl::tools
