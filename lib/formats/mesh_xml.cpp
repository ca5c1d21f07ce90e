#include "formats/mesh_xml.hpp"

namespace trawl::formats::detail {

const XmlAttribute* find_attribute(const XmlElement& element, std::string_view local) {
  const XmlAttribute* any = nullptr;
  for (const auto& a : element.attributes) {
    if (a.local != local) continue;
    if (a.ns.empty()) return &a;
    if (any == nullptr) any = &a;
  }
  return any;
}

std::string attribute_or(const XmlElement& element, std::string_view local, std::string_view fallback) {
  const auto* a = find_attribute(element, local);
  return a != nullptr ? a->value : std::string(fallback);
}

const XmlElement* find_child(const XmlElement& element, std::string_view local) {
  for (const auto& c : element.children)
    if (c.local == local) return &c;
  return nullptr;
}

std::string trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

}  // namespace trawl::formats::detail
