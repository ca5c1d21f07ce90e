#pragma once
// Small helpers over formats::XmlElement shared by the 3MF and AMF parsers:
// both are matched on local names only, since writers disagree on namespaces.
#include <string>
#include <string_view>

#include "formats/xml_reader.hpp"

namespace trawl::formats::detail {

/// The attribute with this local name, preferring one without a namespace; nullptr if absent.
const XmlAttribute* find_attribute(const XmlElement& element, std::string_view local);
std::string attribute_or(const XmlElement& element, std::string_view local, std::string_view fallback = {});
/// The first child with this local name, or nullptr.
const XmlElement* find_child(const XmlElement& element, std::string_view local);
/// `text` without leading and trailing white space.
std::string trimmed(std::string_view text);

}  // namespace trawl::formats::detail
