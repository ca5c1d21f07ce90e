#pragma once
// Photoshop image resources ("8BIM" blocks: JPEG APP13, TIFF tag 0x8649,
// PNG raw profiles) and the IPTC IIM records they carry (resource 0x0404,
// or TIFF tag 0x83BB directly). Fields: Photoshop:IPTCDigest and IPTC:*
// named as ExifTool does (By-line, Caption-Abstract, Keywords...).
#include <cstdint>
#include <span>

#include "formats/meta_field.hpp"

namespace trawl::formats {

/// A sequence of 8BIM resources; ctx.base is the offset of its first byte.
void parse_photoshop_irb(std::span<const uint8_t> irb, const MetaContext& ctx, MetaFields& out,
                         MetaOutcome& outcome);

/// IPTC IIM datasets (0x1C record dataset size data...). Text is UTF-8 when
/// record 1:90 CodedCharacterSet says ESC % G, Latin-1 otherwise.
void parse_iptc_iim(std::span<const uint8_t> iim, const MetaContext& ctx, MetaFields& out, MetaOutcome& outcome);

}  // namespace trawl::formats
