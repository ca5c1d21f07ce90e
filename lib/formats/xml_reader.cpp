#include "formats/xml_reader.hpp"

#include <expat.h>

#include <memory>
#include <string>

namespace trawl::formats {
namespace {

// Expat reports namespaced names as "uri\x01local\x01prefix" (triplets on).
constexpr char kSeparator = '\x01';

void split_name(const XML_Char* name, std::string& ns, std::string& local, std::string& prefix) {
  const std::string_view text(name);
  const auto first = text.find(kSeparator);
  if (first == std::string_view::npos) {
    local = text;
    return;
  }
  ns = text.substr(0, first);
  const auto second = text.find(kSeparator, first + 1);
  if (second == std::string_view::npos) {
    local = text.substr(first + 1);
  } else {
    local = text.substr(first + 1, second - first - 1);
    prefix = text.substr(second + 1);
  }
}

struct TreeBuilder {
  XML_Parser parser = nullptr;
  const XmlLimits* limits = nullptr;
  XmlElement root;
  bool have_root = false;
  // Ancestors of the element being built; only the last child of each is
  // ever appended to, so these pointers stay valid.
  std::vector<XmlElement*> stack;
  uint64_t elements = 0;
  std::string limit_error;

  void stop(std::string why) {
    limit_error = std::move(why);
    XML_StopParser(parser, XML_FALSE);
  }
};

void XMLCALL on_start(void* user, const XML_Char* name, const XML_Char** attributes) {
  auto& b = *static_cast<TreeBuilder*>(user);
  if (!b.limit_error.empty()) return;
  if (++b.elements > b.limits->max_elements) return b.stop("more than " + std::to_string(b.limits->max_elements) + " elements");
  if (b.stack.size() >= b.limits->max_depth) return b.stop("nesting deeper than " + std::to_string(b.limits->max_depth));
  XmlElement* element = nullptr;
  if (b.stack.empty()) {
    b.have_root = true;
    element = &b.root;
  } else {
    element = &b.stack.back()->children.emplace_back();
  }
  split_name(name, element->ns, element->local, element->prefix);
  element->offset = static_cast<uint64_t>(XML_GetCurrentByteIndex(b.parser));
  for (const XML_Char** a = attributes; a != nullptr && *a != nullptr; a += 2) {
    XmlAttribute& attribute = element->attributes.emplace_back();
    split_name(a[0], attribute.ns, attribute.local, attribute.prefix);
    attribute.value = a[1];
  }
  b.stack.push_back(element);
}

void XMLCALL on_end(void* user, const XML_Char*) {
  auto& b = *static_cast<TreeBuilder*>(user);
  if (!b.stack.empty()) b.stack.pop_back();
}

void XMLCALL on_text(void* user, const XML_Char* text, int length) {
  auto& b = *static_cast<TreeBuilder*>(user);
  if (b.stack.empty() || length <= 0) return;
  b.stack.back()->text.append(text, static_cast<std::size_t>(length));
}

}  // namespace

const XmlAttribute* XmlElement::attribute(std::string_view ns_uri, std::string_view local_name) const {
  for (const auto& a : attributes)
    if (a.local == local_name && a.ns == ns_uri) return &a;
  return nullptr;
}

const XmlElement* XmlElement::child(std::string_view ns_uri, std::string_view local_name) const {
  for (const auto& c : children)
    if (c.local == local_name && c.ns == ns_uri) return &c;
  return nullptr;
}

Result<XmlElement> parse_xml(std::span<const uint8_t> bytes, const XmlLimits& limits) {
  if (bytes.size() > limits.max_bytes)
    return make_error(Errc::resource_exhausted, "XML larger than " + std::to_string(limits.max_bytes) + " bytes");
  std::unique_ptr<std::remove_pointer_t<XML_Parser>, decltype(&XML_ParserFree)> parser(
      XML_ParserCreateNS(nullptr, kSeparator), &XML_ParserFree);
  if (!parser) return make_error(Errc::internal, "cannot create an XML parser");
  XML_SetReturnNSTriplet(parser.get(), 1);
  TreeBuilder builder;
  builder.parser = parser.get();
  builder.limits = &limits;
  XML_SetUserData(parser.get(), &builder);
  XML_SetElementHandler(parser.get(), on_start, on_end);
  XML_SetCharacterDataHandler(parser.get(), on_text);
  // Feed in slices: XML_Parse takes an int length.
  constexpr std::size_t kSlice = 1u << 24;
  std::size_t done = 0;
  do {
    const std::size_t n = std::min(kSlice, bytes.size() - done);
    const bool last = done + n == bytes.size();
    const auto* data = reinterpret_cast<const char*>(bytes.data() + done);
    if (XML_Parse(parser.get(), data, static_cast<int>(n), last ? XML_TRUE : XML_FALSE) == XML_STATUS_ERROR) {
      if (!builder.limit_error.empty()) return make_error(Errc::resource_exhausted, "XML: " + builder.limit_error);
      return make_error(Errc::data_loss, "XML: " + std::string(XML_ErrorString(XML_GetErrorCode(parser.get()))) +
                                             " at line " + std::to_string(XML_GetCurrentLineNumber(parser.get())) +
                                             ", column " + std::to_string(XML_GetCurrentColumnNumber(parser.get())));
    }
    done += n;
  } while (done < bytes.size());
  if (!builder.have_root) return make_error(Errc::data_loss, "XML: no root element");
  return std::move(builder.root);
}

}  // namespace trawl::formats
