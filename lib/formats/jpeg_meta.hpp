#pragma once
// JPEG metadata: walks the marker segments up to SOS and reads JFIF (APP0),
// Exif (APP1, through parse_tiff_meta), XMP and extended XMP (APP1, handed
// back as EmbeddedBlocks), Photoshop IRB / IPTC (APP13), MPF (APP2), COM
// and the frame size (SOFn). Trailing data after EOI is noted as a warning.
#include <cstdint>
#include <optional>
#include <span>
#include <utility>

#include "formats/meta_field.hpp"

namespace trawl::formats {

void parse_jpeg_meta(std::span<const uint8_t> jpeg, const MetaContext& ctx, MetaFields& out, MetaOutcome& outcome);

/// Width and height from the first SOFn of a JPEG stream (used on EXIF
/// thumbnails too); nullopt when there is none before SOS or the end.
std::optional<std::pair<uint32_t, uint32_t>> jpeg_image_size(std::span<const uint8_t> jpeg);

}  // namespace trawl::formats
