#pragma once
// ISO BMFF / QuickTime metadata (MP4, MOV, 3GP, HEIC, AVIF): movie, track
// and media header times, QuickTime user data (©xyz GPS, ©mak, ©mod...),
// Apple mdta keys, and the Exif/XMP items of HEIF images, which are handed
// back as EmbeddedBlocks for the dispatcher to parse.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "formats/meta_field.hpp"

namespace trawl::formats {

/// Appends QuickTime:*, Track<n>:*, UserData:*, Keys:*, ItemList:* and
/// Composite:GPS* fields; Exif items become EmbeddedBlocks of kind "exif"
/// (at the TIFF header, past the item's 4-byte offset prefix), XMP (mime
/// items application/rdf+xml and the XMP uuid box) of kind "xmp". Never
/// fails: damage goes to outcome.warnings.
void parse_bmff_meta(std::span<const uint8_t> bytes, const MetaContext& ctx, MetaFields& out,
                     MetaOutcome& outcome);

struct Iso6709 {
  double latitude = 0;
  double longitude = 0;
  double altitude = 0;
  bool has_altitude = false;
};

/// Parses an ISO 6709 point ("+40.6892-074.0445+010.000/", also the
/// ±DDMM.M and ±DDMMSS forms); false when malformed or out of range.
bool parse_iso6709(std::string_view text, Iso6709& point);

}  // namespace trawl::formats
