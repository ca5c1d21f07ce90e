#pragma once
// Where a text G-code file lays down plastic: the extent (min/max X, Y, Z) of
// its extrusion moves, per object when the slicer labels the objects (Cura
// ;MESH:, PrusaSlicer "; printing object", Klipper EXCLUDE_OBJECT_START,
// M486 S/A), so that a print job can be compared with the mesh it was made
// from. Skirt, brim, support and wipe-tower moves (;TYPE:) are not the object's.
// Pure: a byte span in, values out; never throws; damaged lines are skipped.
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace trawl::formats {

struct GcodeObjectExtent {
  std::string name;               ///< as labelled; empty for moves outside any labelled object
  std::array<double, 3> min{};    ///< millimetres (G20 inch moves are converted)
  std::array<double, 3> max{};
  std::uint64_t moves = 0;        ///< extrusion moves counted
};

/// Extents in order of first appearance; objects with no extrusion move are left out.
/// At most 256 objects are tracked (the rest count as unlabelled).
std::vector<GcodeObjectExtent> gcode_extents(std::span<const std::uint8_t> bytes);

}  // namespace trawl::formats
