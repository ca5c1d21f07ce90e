#pragma once
// GIF metadata: comment extensions (File:Comment, ExifTool's name), the XMP
// application extension ("XMP DataXMP", handed back as an EmbeddedBlock) and
// the logical screen size (GIF:ImageWidth/ImageHeight).
#include <cstdint>
#include <span>

#include "formats/meta_field.hpp"

namespace trawl::formats {

void parse_gif_meta(std::span<const uint8_t> gif, const MetaContext& ctx, MetaFields& out, MetaOutcome& outcome);

}  // namespace trawl::formats
