#pragma once
// WebP metadata: RIFF chunks EXIF (through parse_tiff_meta), XMP (an
// EmbeddedBlock) and the canvas size from VP8X, VP8 or VP8L (RIFF:ImageWidth
// and RIFF:ImageHeight, as ExifTool names them).
#include <cstdint>
#include <span>

#include "formats/meta_field.hpp"

namespace trawl::formats {

void parse_webp_meta(std::span<const uint8_t> webp, const MetaContext& ctx, MetaFields& out, MetaOutcome& outcome);

}  // namespace trawl::formats
