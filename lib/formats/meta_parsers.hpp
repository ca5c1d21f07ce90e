#pragma once
// Every metadata parser, one signature: the item's bytes (or a nested
// structure's), the context that addresses what they find, the fields list and
// the outcome (warnings, embedded Exif/XMP blocks for the dispatcher).
// Implementations live in <format>_meta.cpp; meta_extract.cpp chooses.
#include <span>

#include "formats/meta_field.hpp"

namespace trawl::formats {

#define TRAWL_META_PARSER(name) \
  void name(std::span<const uint8_t> bytes, const MetaContext& ctx, MetaFields& out, MetaOutcome& outcome)

TRAWL_META_PARSER(parse_tiff_meta);       ///< a TIFF stream: Exif APP1 payload, eXIf, HEIC Exif item
TRAWL_META_PARSER(parse_tiff_file_meta);  ///< TIFF, DNG and TIFF-based raw files
TRAWL_META_PARSER(parse_jpeg_meta);
TRAWL_META_PARSER(parse_png_meta);
TRAWL_META_PARSER(parse_gif_meta);
TRAWL_META_PARSER(parse_webp_meta);
TRAWL_META_PARSER(parse_bmff_meta);   ///< MP4, MOV, 3GP, HEIC, HEIF, AVIF
TRAWL_META_PARSER(parse_pdf_meta);
TRAWL_META_PARSER(parse_ooxml_meta);  ///< docx, xlsx, pptx (zip)
TRAWL_META_PARSER(parse_odf_meta);    ///< odt, ods, odp (zip)
TRAWL_META_PARSER(parse_ole2_meta);   ///< doc, xls, ppt, msg (Compound File Binary)

#undef TRAWL_META_PARSER

}  // namespace trawl::formats
