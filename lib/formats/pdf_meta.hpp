#pragma once
// PDF document metadata, robust against broken cross-reference tables: the
// file is scanned for every `N G obj`, `trailer` dictionary, xref stream and
// `%%EOF`, so every Info dictionary and every XMP stream left behind by
// incremental updates is reported with the revision it belongs to
// (1 = original; a linearised file's first-page trailer is not a revision).
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "formats/meta_field.hpp"

namespace trawl::formats {

/// Appends PDF:* fields (PDFVersion, Linearized, Revisions, EOFOffset per
/// revision, each distinct Info dictionary's entries, PageCount, Encrypted,
/// ProducerChanged) to `out`; XMP streams (the catalog's /Metadata and any
/// /Subtype /XML stream) become EmbeddedBlocks of kind "xmp". Never fails:
/// damage is reported in outcome.warnings.
void parse_pdf_meta(std::span<const uint8_t> bytes, const MetaContext& ctx, MetaFields& out,
                    MetaOutcome& outcome);

/// A PDF date ("D:20230311101007+01'00'", parts after the year optional) as
/// ISO 8601 ("2023-03-11T10:10:07+01:00"; the zone only when present).
/// False when malformed.
bool pdf_date_to_iso(std::string_view text, std::string& iso);

/// A PDF text string's bytes (UTF-16BE or UTF-8 with BOM, else
/// PDFDocEncoding) as UTF-8; false for broken UTF-16.
bool pdf_text_to_utf8(std::span<const uint8_t> bytes, std::string& out);

}  // namespace trawl::formats
