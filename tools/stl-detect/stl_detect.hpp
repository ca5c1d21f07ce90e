#pragma once
#include <cstddef>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "common/cli.hpp"
#include "mesh/mesh.hpp"
#include "record/record.hpp"
#include "scan/model_carver.hpp"

namespace trawl::tools {

/// The stl-detect command line (exposed for the man-page consistency test).
cli::ToolSpec stl_detect_spec();
int stl_detect_main(int argc, char** argv);

/// Record fields describing a model's bytes beyond format and hashes:
/// provenance (slicer, author, object names...) and, for meshes, measures.
/// A string key listed twice becomes an array.
using ModelFields = std::vector<std::pair<std::string, record::Value>>;
/// When `mesh` is given, it receives the model's objects merged into one mesh.
ModelFields describe_model(scan::ModelFormat format, std::span<const std::byte> bytes, mesh::Mesh* mesh = nullptr);

/// Mesh formats (STL, OBJ, PLY, 3MF, AMF): parse_mesh() then unit, counts,
/// size, volume, area, watertightness, components, geometry hashes, object
/// names and the file's metadata; `mesh_error` when the bytes do not parse.
ModelFields describe_mesh(scan::ModelFormat format, std::span<const std::byte> bytes, mesh::Mesh* mesh = nullptr);

}  // namespace trawl::tools
