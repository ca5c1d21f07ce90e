#pragma once
// The verdict stage of stl-detect: reference lists (agency hash lists of known
// designs, any hash tier), cues with their evidence (lib/mesh/cues), and the
// PNG preview of the mesh. Adds `verdict`, `score`, `cues`, `label`,
// `reference_match` and `preview` to a model record.
#include <map>
#include <string>
#include <vector>

#include "mesh/mesh.hpp"
#include "record/record.hpp"
#include "stl-detect/stl_detect.hpp"

namespace trawl::tools {

class ModelAssessor {
 public:
  /// Loads every reference file (`HASH [LABEL...]` per line, `#` comments;
  /// HASH is 64 hex digits: the file's SHA-256 or an exact, pose or shape
  /// hash). Throws cli::SetupError when a file cannot be read.
  ModelAssessor(const std::vector<std::string>& reference_files, std::string preview_dir, double threshold);

  /// `path` is the item's display path (its components are name cues),
  /// `fields` the model's description, `mesh` the merged mesh or null.
  void assess(record::Record& r, const std::string& path, const ModelFields& fields, const mesh::Mesh* mesh) const;

  std::size_t reference_count() const { return references_.size(); }

 private:
  void write_preview(record::Record& r, const mesh::Mesh& mesh) const;

  std::map<std::string, std::string> references_;  ///< lower-case hex -> label
  std::string preview_dir_;
  double threshold_;
};

}  // namespace trawl::tools
