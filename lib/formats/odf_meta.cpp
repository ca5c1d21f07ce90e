#include <string>

#include "formats/doc_meta_support.hpp"
#include "formats/office_meta.hpp"
#include "formats/office_zip.hpp"
#include "formats/xml_reader.hpp"

namespace trawl::formats {
namespace {

using docmeta::FieldSink;

constexpr std::string_view kDc = "http://purl.org/dc/elements/1.1/";
constexpr std::string_view kMeta = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0";
constexpr std::string_view kOffice = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";

// ExifTool's names for ODF: the local name with its first letter upper-cased
// ("initial-creator" -> "Initial-creator"); an attribute appends its own.
std::string capitalised(const std::string& s) {
  std::string t = s;
  if (!t.empty() && t[0] >= 'a' && t[0] <= 'z') t[0] = static_cast<char>(t[0] - 32);
  return t;
}

std::string trimmed(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

bool is_integer(const std::string& s) {
  if (s.empty() || s.size() > 18 || (s.size() > 1 && s[0] == '0')) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

MetaValue typed(const std::string& text) {
  if (is_integer(text)) return static_cast<int64_t>(std::stoll(text));
  return text;
}

}  // namespace

void parse_odf_meta(std::span<const uint8_t> bytes, const MetaContext& ctx, MetaFields& out,
                    MetaOutcome& outcome) {
  const MetaLimits& limits = docmeta::limits_of(ctx);
  FieldSink sink(ctx, out, outcome);
  const auto parts = docmeta::read_zip_parts(bytes, {"meta.xml"}, limits.max_value_bytes, outcome);
  if (parts.empty()) outcome.warnings.push_back("odf: no meta.xml");
  XmlLimits xml_limits;
  xml_limits.max_depth = limits.max_depth * 16;
  xml_limits.max_elements = limits.max_entries * 10;
  xml_limits.max_bytes = limits.max_value_bytes;
  for (const auto& part : parts) {
    auto root = parse_xml(part.bytes, xml_limits);
    if (!root.ok()) {
      outcome.warnings.push_back("odf: " + part.name + ": " + root.error().detail);
      continue;
    }
    const XmlElement* meta = root->child(kOffice, "meta");
    if (meta == nullptr) {
      outcome.warnings.push_back("odf: meta.xml has no office:meta");
      continue;
    }
    for (const XmlElement& e : meta->children) {
      std::string group;
      if (e.ns == kDc)
        group = "XMP-dc";
      else if (e.ns == kMeta)
        group = "XMP-meta";
      else
        continue;
      const std::string tag = capitalised(e.local);
      const std::string path = part.name + "/" + e.prefix + (e.prefix.empty() ? "" : ":") + e.local;
      for (const auto& a : e.attributes) {
        if (a.ns != kMeta) continue;
        sink.add(group, tag + capitalised(a.local), typed(a.value), path + "@" + a.local, std::nullopt);
      }
      const std::string text = trimmed(e.text);
      if (!text.empty()) sink.add(group, tag, typed(text), path, std::nullopt);
    }
  }
}

}  // namespace trawl::formats
