#pragma once
// The print job a slicer stores inside its 3MF project: Bambu Studio and
// PrusaSlicer write the sliced plates as Metadata/plate_<N>.gcode (or
// .bgcode). Read here so that a 3MF that is not walked as an archive (one
// carved from free space, or with --no-archives) still gives its G-code to
// the linker. Pure: the zip is read from memory.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace trawl::formats {

struct EmbeddedGcode {
  std::string member;               ///< e.g. "Metadata/plate_1.gcode"
  std::vector<std::uint8_t> bytes;  ///< at most `max_member` bytes (then cut)
};

/// The Metadata/*.gcode and Metadata/*.bgcode members, in archive order; none when the bytes are not a zip.
std::vector<EmbeddedGcode> threemf_gcode(std::span<const std::uint8_t> zip,
                                         std::uint64_t max_member = std::uint64_t{64} << 20);

}  // namespace trawl::formats
