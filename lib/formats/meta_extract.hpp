#pragma once
// The metadata dispatcher behind meta-extract(1): recognises the format from
// the content, runs its parser, then the parsers of the Exif and XMP blocks
// embedded in it, and computes the indicators an examiner asks for (editing
// software in the chain, copies that disagree, PDF producers changing).
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "formats/meta_field.hpp"

namespace trawl::formats {

enum class MetaFormat { unknown, jpeg, tiff, png, gif, webp, bmff, pdf, ooxml, odf, ole2, xmp };

const char* meta_format_name(MetaFormat format);

/// From the first bytes (at least 4 KiB when the item is that long).
MetaFormat detect_meta_format(std::span<const uint8_t> head);

struct MetaDocument {
  MetaFormat format = MetaFormat::unknown;
  MetaFields fields;
  std::vector<std::string> warnings;
  /// Plain-words findings: "editing software: GIMP 2.10", "EXIF and XMP
  /// disagree on Make: Canon / Nikon", "PDF producer changed in revision 2"...
  std::vector<std::string> indicators;
};

MetaDocument extract_metadata(std::span<const uint8_t> bytes, const MetaLimits& limits = {});

}  // namespace trawl::formats
