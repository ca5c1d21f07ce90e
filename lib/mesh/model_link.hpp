#pragma once
// Linking a print job or slicer project to the meshes it was made from: a
// G-code names its objects (Cura ;MESH:, PrusaSlicer "; printing object",
// M486, EXCLUDE_OBJECT), a PrusaSlicer 3MF its source_file; a mesh is known by
// its file name and object names. Names are compared after normalising away
// what slicers add (directories, extensions, "_id_0_copy_0", case,
// punctuation); when both sides have a size, it must agree too (the extent of
// the G-code's extrusion moves or the project's mesh against the mesh's
// bounding box). Pure: no I/O, deterministic.
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trawl::mesh {

/// Sizes along X, Y, Z in millimetres.
using Size3 = std::array<double, 3>;

/// "C:\\jobs\\Bracket v2.STL" -> "bracket_v2"; "bracket_stl_id_0_copy_0" -> "bracket"; "" when nothing is left.
std::string link_name_key(std::string_view name);

/// A print is a bit smaller than its mesh (extrusion centre lines, layer rounding) and may be turned by
/// 90 degrees on the bed: X and Y may swap; each size within max(1.5 mm, 3 %).
bool sizes_agree(const Size3& made, const Size3& mesh);

struct LinkSource {
  std::string name;                ///< as the project writes it
  std::optional<Size3> size;       ///< the object's extent in the project, when known
};

struct LinkModel {
  std::vector<LinkSource> made_from;   ///< a project: the objects it names
  std::vector<std::string> names;      ///< a mesh: its file name and object names
  std::optional<Size3> size;           ///< a mesh: its bounding box in mm
  /// A mesh of several objects: the extent of the object names[i] is named by, where known (a print job
  /// made from one part of a build plate is compared with that part, not with the whole plate).
  std::vector<std::optional<Size3>> name_sizes;
};

struct ModelLink {
  std::size_t project = 0;  ///< index in the models given
  std::size_t mesh = 0;
  std::string name;         ///< the project's name for the object
  std::string mesh_name;    ///< the mesh's name that agreed
  bool size_checked = false;  ///< both sizes were known and agreed
  Size3 project_size{};
  Size3 mesh_size{};
};

/// Every (project, mesh) pair whose names agree and, when both sizes are known, whose sizes agree; one
/// link per pair (the first name that agreed, preferring a size check), in order of project then mesh.
/// A model is never linked to itself.
std::vector<ModelLink> link_models(const std::vector<LinkModel>& models);

}  // namespace trawl::mesh
