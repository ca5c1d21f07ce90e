#pragma once
// PNG metadata: tEXt/zTXt/iTXt wherever they appear (ImageMagick writes them
// after IDAT), eXIf (through parse_tiff_meta), tIME, IHDR, and ImageMagick's
// hex "Raw profile type exif/xmp/iptc" text chunks. CRC mismatches are
// warnings; parsing goes on.
#include <cstdint>
#include <span>

#include "formats/meta_field.hpp"

namespace trawl::formats {

void parse_png_meta(std::span<const uint8_t> png, const MetaContext& ctx, MetaFields& out, MetaOutcome& outcome);

}  // namespace trawl::formats
