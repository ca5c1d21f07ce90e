#include <map>
#include <string>

#include "formats/doc_meta_support.hpp"
#include "formats/office_meta.hpp"
#include "formats/office_zip.hpp"
#include "formats/xml_reader.hpp"

namespace trawl::formats {
namespace {

using docmeta::FieldSink;

constexpr std::string_view kDc = "http://purl.org/dc/elements/1.1/";
constexpr std::string_view kDcTerms = "http://purl.org/dc/terms/";
constexpr std::string_view kCore = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties";

bool is_integer(const std::string& s) {
  if (s.empty() || s.size() > 18 || (s.size() > 1 && s[0] == '0')) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

std::string trimmed(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

void core(const XmlElement& root, const std::string& part, FieldSink& sink) {
  for (const XmlElement& e : root.children) {
    std::string group, tag;
    if (e.ns == kDc) {
      group = "XMP-dc";
      tag = e.local;
      if (!tag.empty() && tag[0] >= 'a' && tag[0] <= 'z') tag[0] = static_cast<char>(tag[0] - 32);
    } else if (e.ns == kDcTerms && e.local == "created") {
      group = "XML", tag = "CreateDate";
    } else if (e.ns == kDcTerms && e.local == "modified") {
      group = "XML", tag = "ModifyDate";
    } else if (e.ns == kCore) {
      static const std::map<std::string, const char*> names = {
          {"keywords", "Keywords"},        {"lastModifiedBy", "LastModifiedBy"}, {"revision", "RevisionNumber"},
          {"lastPrinted", "LastPrinted"},  {"category", "Category"},             {"contentStatus", "ContentStatus"},
          {"contentType", "ContentType"},  {"version", "Version"}};
      const auto it = names.find(e.local);
      if (it == names.end()) continue;
      group = "XML", tag = it->second;
    } else {
      continue;
    }
    const std::string value = trimmed(e.text);
    if (value.empty()) continue;
    // W3CDTF dates are ISO 8601 already; the revision stays the text it is
    sink.add(group, tag, value, part + "/" + e.prefix + (e.prefix.empty() ? "" : ":") + e.local, std::nullopt);
  }
}

void app(const XmlElement& root, const std::string& part, FieldSink& sink) {
  static const char* numeric[] = {"TotalTime", "Pages", "Words", "Characters", "CharactersWithSpaces", "Lines",
                                  "Paragraphs", "DocSecurity", "Slides", "Notes", "HiddenSlides", "MMClips"};
  for (const XmlElement& e : root.children) {
    if (!e.children.empty()) continue;  // HeadingPairs, TitlesOfParts: vectors, not metadata text
    const std::string value = trimmed(e.text);
    if (value.empty()) continue;
    const std::string tag = e.local == "TotalTime" ? "TotalEditTime" : e.local;
    bool number = false;
    for (const char* n : numeric) number = number || e.local == n;
    const std::string path = part + "/" + e.local;
    if (number && is_integer(value)) {
      // TotalEditTime stays in minutes, the unit app.xml stores (ISO/IEC 29500 §22.2.2.27)
      sink.add("XML", tag, static_cast<int64_t>(std::stoll(value)), path, std::nullopt);
    } else if (value == "true" || value == "false") {
      sink.add("XML", tag, value == "true", path, std::nullopt);
    } else {
      sink.add("XML", tag, value, path, std::nullopt);
    }
  }
}

// ExifTool: "Case Number" -> CaseNumber; custom property names keep '_'.
std::string property_tag(const std::string& name) { return docmeta::camel_case_tag(name, "_"); }

void custom(const XmlElement& root, const std::string& part, FieldSink& sink) {
  for (const XmlElement& e : root.children) {
    if (e.local != "property" || e.children.empty()) continue;
    std::string name;
    for (const auto& a : e.attributes)
      if (a.local == "name") name = a.value;
    if (name.empty()) continue;
    const XmlElement& v = e.children.front();
    const std::string text = trimmed(v.text);
    const std::string tag = property_tag(name);
    const std::string path = part + "/" + name;
    if (v.local == "bool") {
      sink.add("XML", tag, text == "true" || text == "1", path, std::nullopt);
    } else if ((v.local == "i4" || v.local == "i8" || v.local == "int" || v.local == "ui4") &&
               (is_integer(text) || (text.size() > 1 && text[0] == '-' && is_integer(text.substr(1))))) {
      sink.add("XML", tag, static_cast<int64_t>(std::stoll(text)), path, std::nullopt);
    } else {
      sink.add("XML", tag, text, path, std::nullopt);
    }
  }
}

}  // namespace

void parse_ooxml_meta(std::span<const uint8_t> bytes, const MetaContext& ctx, MetaFields& out,
                      MetaOutcome& outcome) {
  const MetaLimits& limits = docmeta::limits_of(ctx);
  FieldSink sink(ctx, out, outcome);
  const auto parts = docmeta::read_zip_parts(
      bytes, {"docProps/core.xml", "docProps/app.xml", "docProps/custom.xml"}, limits.max_value_bytes, outcome);
  XmlLimits xml_limits;
  xml_limits.max_depth = limits.max_depth * 16;
  xml_limits.max_elements = limits.max_entries * 10;
  xml_limits.max_bytes = limits.max_value_bytes;
  for (const auto& part : parts) {
    if (part.mtime) {
      if (MetaField* f = sink.add("ZIP", "ZipModifyDate", docmeta::zip_local_time(*part.mtime), part.name,
                                  std::nullopt))
        f->raw = std::to_string(*part.mtime);
    }
    auto root = parse_xml(part.bytes, xml_limits);
    if (!root.ok()) {
      outcome.warnings.push_back("ooxml: " + part.name + ": " + root.error().detail);
      continue;
    }
    if (part.name == "docProps/core.xml")
      core(*root, part.name, sink);
    else if (part.name == "docProps/app.xml")
      app(*root, part.name, sink);
    else
      custom(*root, part.name, sink);
  }
}

}  // namespace trawl::formats
