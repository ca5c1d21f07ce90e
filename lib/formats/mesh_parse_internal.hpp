#pragma once
// Pieces shared by the per-format mesh parsers (not part of the public API).
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "formats/mesh_parse.hpp"
#include "mesh/mesh.hpp"

namespace trawl::formats::detail {

/// Builds an indexed mesh, welding vertices whose coordinates are
/// bit-identical (after -0.0 becomes +0.0), so a triangle soup and an indexed
/// file of the same geometry give the same mesh. Open addressing on the
/// doubles' bits: a million-triangle STL welds in tens of milliseconds.
class MeshBuilder {
 public:
  explicit MeshBuilder(uint64_t max_vertices) : max_vertices_(max_vertices) {}
  /// Index of the vertex at `v`, adding it when new; nullopt past max_vertices.
  std::optional<uint32_t> vertex(const mesh::Vec3& v);
  /// Adds a triangle by its corner coordinates; false past max_vertices.
  bool triangle(const mesh::Vec3& a, const mesh::Vec3& b, const mesh::Vec3& c);
  void reserve_triangles(uint64_t n);
  uint64_t triangle_count() const { return mesh_.triangles.size(); }
  mesh::Mesh take();

 private:
  void grow();
  mesh::Mesh mesh_;
  std::vector<uint32_t> slots_;  ///< vertex index + 1; 0 = empty
  uint64_t max_vertices_;
};

/// `text` with bytes outside printable ASCII replaced by '.', trailing NULs,
/// spaces and control bytes trimmed.
std::string printable(std::string_view text);

/// A decimal or exponent float as written by exporters ("-1.5e+01", "+2",
/// "nan" is refused); nullopt when `token` is not a whole finite number.
std::optional<double> parse_number(std::string_view token);

/// Reads whitespace-separated tokens from text, tracking the line number.
class Tokenizer {
 public:
  explicit Tokenizer(std::string_view text) : text_(text) {}
  /// Next token, or empty at the end.
  std::string_view next();
  /// The rest of the current line (after the last token), trimmed; moves past it.
  std::string_view rest_of_line();
  size_t position() const { return pos_; }
  bool at_end();

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

std::string_view as_text(std::span<const uint8_t> bytes);

/// Whether the first triangles of a binary STL body look like real geometry:
/// finite floats without subnormals, of sane magnitude, not all zero.
bool plausible_stl_triangles(std::span<const uint8_t> records, uint64_t count);

Result<MeshFile> parse_stl_binary(std::span<const uint8_t> bytes, const MeshLimits& limits);
Result<MeshFile> parse_stl_ascii(std::span<const uint8_t> bytes, const MeshLimits& limits);
Result<MeshFile> parse_obj(std::span<const uint8_t> bytes, const MeshLimits& limits);
Result<MeshFile> parse_ply(std::span<const uint8_t> bytes, const MeshLimits& limits);
Result<MeshFile> parse_threemf(std::span<const uint8_t> bytes, const MeshLimits& limits);
Result<MeshFile> parse_amf(std::span<const uint8_t> bytes, const MeshLimits& limits);

/// Zip members read whole into memory through io::walk_archive, each at most
/// `max_part` bytes; `wanted` picks member names. Errors when the zip cannot
/// be opened at all.
struct ZipPart {
  std::string name;
  std::vector<uint8_t> bytes;
};
Result<std::vector<ZipPart>> read_zip_parts(std::span<const uint8_t> bytes, uint64_t max_part,
                                            bool (*wanted)(std::string_view name), std::vector<std::string>& warnings);

/// Length unit from a 3MF/AMF unit attribute ("millimeter" -> "mm"); nullopt if unknown.
std::optional<std::string> unit_from_name(std::string_view name);

}  // namespace trawl::formats::detail
