#pragma once
// Parsers for 3D-printing mesh files: binary and ASCII STL, OBJ, PLY (ASCII
// and binary), 3MF (zip, with the PrusaSlicer, Bambu and Cura flavours) and
// AMF (XML, plain or zipped). Pure functions over a byte span: the format
// comes from the content, never a file name. Every count read from input is
// checked against the bytes that remain and against MeshLimits before it is
// used, so a lying header costs nothing. One stem per format
// (stl_parse.cpp, obj_parse.cpp, ...); mesh_parse.cpp detects and dispatches.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "mesh/mesh.hpp"

namespace trawl::formats {

enum class MeshFormat { stl_binary, stl_ascii, obj, ply_ascii, ply_binary, threemf, amf };

/// Stable lower-case name: stl-binary, stl-ascii, obj, ply-ascii, ply-binary, 3mf, amf.
const char* mesh_format_name(MeshFormat format);

struct MeshObject {
  std::string name;
  mesh::Mesh mesh;
};

struct MeshFile {
  MeshFormat format = MeshFormat::stl_binary;
  /// STL solids, OBJ objects/groups, 3MF build items (transforms applied), AMF objects.
  std::vector<MeshObject> objects;
  /// The file's length unit as written ("mm", "um", "cm", "in", "ft", "m");
  /// the meshes stay in this unit.
  std::string unit = "mm";
  mesh::UnitSource unit_source = mesh::UnitSource::assumed;
  /// Binary STL 80-byte header, ASCII STL first `solid` line, OBJ/PLY first
  /// comment; non-printable bytes replaced by '.', trailing padding trimmed.
  std::string header;
  /// Exporter comments, 3MF <metadata> (Title, Designer, Application,
  /// CreationDate...), slicer flavour keys (source_file, DesignerUserId,
  /// ProfileUserName, MakerLabFileId...), AMF metadata; in document order.
  std::vector<std::pair<std::string, std::string>> metadata;
  uint64_t declared_triangles = 0;  ///< binary STL count, PLY face count (0 when the format declares none)
  uint64_t parsed_triangles = 0;    ///< after fan triangulation, over all objects
  /// The data ended early; what came before it was kept.
  bool truncated = false;
  /// parsed / declared triangles when a count was declared, else 1.
  double recovered_fraction = 1.0;
  /// Exact end of the structure in `bytes` (binary STL: 84 + 50·n, or the
  /// whole triangles salvaged), for carving.
  uint64_t consumed_bytes = 0;
  /// 3MF thumbnails (member name, PNG/JPEG bytes).
  std::vector<std::pair<std::string, std::vector<uint8_t>>> thumbnails;
  std::vector<std::string> warnings;
};

struct MeshLimits {
  uint64_t max_triangles = 50'000'000;
  uint64_t max_vertices = 50'000'000;
  uint64_t max_zip_part = 2ull << 30;  ///< expanded bytes of one 3MF/AMF zip member
};

/// The mesh format the content announces, or nullopt. `head` is the start of
/// the data (a few KB is enough), `total_size` the whole length: a binary STL
/// is recognised from size == 84 + 50·n whatever its header says (SolidWorks
/// writes "solid" there), or from plausible float triangles otherwise.
std::optional<MeshFormat> detect_mesh_format(std::span<const uint8_t> head, uint64_t total_size);

/// Parses a whole mesh file. Errors: unimplemented (not a mesh format),
/// data_loss (structure broken before any triangle), resource_exhausted (a
/// MeshLimits value was reached). A file that breaks after some triangles is
/// returned with `truncated` set and a warning.
Result<MeshFile> parse_mesh(std::span<const uint8_t> bytes, const MeshLimits& limits = {});

}  // namespace trawl::formats
