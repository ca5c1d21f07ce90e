#pragma once
// XMP packets (JPEG APP1, PDF metadata streams, HEIC/MP4 items, sidecar
// .xmp files) → MetaFields named as ExifTool names them: group "XMP-<ns>"
// (XMP-dc, XMP-xmp, XMP-xmpMM, XMP-exif, XMP-tiff, XMP-aux, XMP-pdf,
// XMP-photoshop...), tag = the property name with its first letter upper-cased,
// structures flattened (xmpMM:History/stEvt:action → HistoryAction), lists
// joined with ", " (one field per property, as ExifTool's -sep ", ").
#include <span>

#include "formats/meta_field.hpp"

namespace trawl::formats {

void parse_xmp(std::span<const uint8_t> packet, const MetaContext& ctx, MetaFields& out, MetaOutcome& outcome);

}  // namespace trawl::formats
