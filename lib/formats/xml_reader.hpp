#pragma once
// A small namespace-aware XML tree for metadata documents (XMP packets,
// OOXML docProps, ODF meta.xml, 3MF model metadata). libexpat lives only in
// xml_reader.cpp. Entities are never fetched; expansion and depth are bounded.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace trawl::formats {

struct XmlAttribute {
  std::string ns;      ///< namespace URI ("" when none)
  std::string local;   ///< local name
  std::string prefix;  ///< prefix as written ("" when none)
  std::string value;
};

struct XmlElement {
  std::string ns;
  std::string local;
  std::string prefix;
  std::vector<XmlAttribute> attributes;
  /// Character data directly inside this element (children's text excluded).
  std::string text;
  /// Byte offset of the start tag in the parsed bytes.
  uint64_t offset = 0;
  std::vector<XmlElement> children;

  const XmlAttribute* attribute(std::string_view ns_uri, std::string_view local_name) const;
  const XmlElement* child(std::string_view ns_uri, std::string_view local_name) const;
};

struct XmlLimits {
  uint32_t max_depth = 256;
  uint64_t max_elements = 1'000'000;
  uint64_t max_bytes = 256ull << 20;
};

/// Parses a whole document and returns its root element. Malformed XML is an
/// Error (data_loss) with expat's line/column; a leading UTF-8 BOM is fine.
Result<XmlElement> parse_xml(std::span<const uint8_t> bytes, const XmlLimits& limits = {});

}  // namespace trawl::formats
