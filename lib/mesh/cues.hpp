#pragma once
// Firearm-likeness cues for stl-detect: explainable flags, never proof. Each
// cue names its channel, its weight and the evidence in plain words (which
// keyword in which field, which measurement); the verdict is the sum of the
// weights against one documented threshold. Every keyword, weight and
// threshold lives in cue_table.hpp/.cpp. A reference-hash match is decided by the
// caller and only carried here (`known-design`).
#include <string>
#include <utility>
#include <vector>

#include "mesh/mesh.hpp"

namespace trawl::mesh {

struct Cue {
  std::string id;       ///< stable, e.g. "name.fgc-9", "geometry.tube_bore"
  std::string channel;  ///< "name" | "geometry" | "metadata"
  double weight = 0;
  std::string evidence;
};

struct CueInput {
  /// File name, path components, 3MF titles, object names, G-code object
  /// names, archive member names: each one string.
  std::vector<std::string> names;
  /// Provenance key/values (3MF, G-code, STEP metadata).
  std::vector<std::pair<std::string, std::string>> metadata;
  const Mesh* mesh = nullptr;  ///< may be null (G-code, STEP without mesh)
};

struct Verdict {
  std::string verdict;  ///< "known-design" | "firearm-suspect" | "model"
  double score = 0;
  std::vector<Cue> cues;
  std::string label;  ///< the reference list's label when verdict is known-design
};

/// Thresholds and budgets; the defaults are the documented values of cue_table.hpp.
struct CueConfig {
  double threshold;                 ///< firearm-suspect when score >= threshold
  /// Ray/triangle tests the geometry cues may spend when a mesh defeats the
  /// ray grid (many long slivers); the sampling then becomes coarser.
  double max_ray_triangle_tests;
  /// Set by the caller when a reference list matched this model's hash.
  std::string known_design_label;
  bool known_design = false;
  CueConfig();
};

/// Cues from names and metadata values (keyword table) and, when `input.mesh`
/// is set, the geometry cues; the verdict from their summed weights.
Verdict assess(const CueInput& input, const CueConfig& config = {});

/// The channels on their own, for the per-channel figures of the benchmark.
std::vector<Cue> name_cues(const std::vector<std::string>& names);
std::vector<Cue> metadata_cues(const std::vector<std::pair<std::string, std::string>>& metadata);
std::vector<Cue> geometry_cues(const Mesh& mesh, const CueConfig& config = {});

/// Sum of the weights of the cues of one channel ("" for all).
double channel_score(const std::vector<Cue>& cues, const std::string& channel = "");

}  // namespace trawl::mesh
