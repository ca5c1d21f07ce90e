#include "formats/xmp_meta.hpp"

#include <charconv>
#include <cmath>
#include <map>
#include <string>
#include <string_view>

#include "formats/xml_reader.hpp"

namespace trawl::formats {
namespace {

constexpr std::string_view kRdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
constexpr std::string_view kXmlNs = "http://www.w3.org/XML/1998/namespace";

/// ExifTool's family-1 group for the namespaces examiners meet; unknown
/// namespaces keep the prefix the writer used.
std::string group_of(const std::string& ns, const std::string& prefix) {
  static const std::map<std::string_view, std::string_view> kGroups = {
      {"http://purl.org/dc/elements/1.1/", "XMP-dc"},
      {"http://ns.adobe.com/xap/1.0/", "XMP-xmp"},
      {"http://ns.adobe.com/xap/1.0/mm/", "XMP-xmpMM"},
      {"http://ns.adobe.com/xap/1.0/rights/", "XMP-xmpRights"},
      {"http://ns.adobe.com/xap/1.0/bj/", "XMP-xmpBJ"},
      {"http://ns.adobe.com/xap/1.0/t/pg/", "XMP-xmpTPg"},
      {"http://ns.adobe.com/xmp/1.0/DynamicMedia/", "XMP-xmpDM"},
      {"http://ns.adobe.com/photoshop/1.0/", "XMP-photoshop"},
      {"http://ns.adobe.com/exif/1.0/", "XMP-exif"},
      {"http://cipa.jp/exif/1.0/", "XMP-exifEX"},
      {"http://ns.adobe.com/exif/1.0/aux/", "XMP-aux"},
      {"http://ns.adobe.com/tiff/1.0/", "XMP-tiff"},
      {"http://ns.adobe.com/pdf/1.3/", "XMP-pdf"},
      {"http://ns.adobe.com/pdfx/1.3/", "XMP-pdfx"},
      {"http://ns.adobe.com/camera-raw-settings/1.0/", "XMP-crs"},
      {"http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/", "XMP-iptcCore"},
      {"http://iptc.org/std/Iptc4xmpExt/2008-02-29/", "XMP-iptcExt"},
      {"http://ns.microsoft.com/photo/1.0/", "XMP-microsoft"},
      {"http://ns.microsoft.com/photo/1.0", "XMP-microsoft"},
      {"http://ns.google.com/photos/1.0/camera/", "XMP-GCamera"},
      {"http://ns.adobe.com/lightroom/1.0/", "XMP-lr"},
      {"http://www.aiim.org/pdfa/ns/id/", "XMP-pdfaid"},
      {"http://ns.adobe.com/photoshop/1.0/camera-profile", "XMP-crs"},
      {"http://ns.useplus.org/ldf/xmp/1.0/", "XMP-plus"},
  };
  const auto it = kGroups.find(ns);
  if (it != kGroups.end()) return std::string(it->second);
  return "XMP-" + (prefix.empty() ? std::string("unknown") : prefix);
}

std::string capitalised(std::string name) {
  if (!name.empty() && name[0] >= 'a' && name[0] <= 'z') name[0] = static_cast<char>(name[0] - 'a' + 'A');
  return name;
}

std::string trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

/// XMP-exif GPS coordinates: "DDD,MM,SSk" or "DDD,MM.mmk" → signed degrees.
std::optional<double> xmp_gps(std::string_view text) {
  if (text.size() < 3) return std::nullopt;
  const char ref = text.back();
  if (ref != 'N' && ref != 'S' && ref != 'E' && ref != 'W') return std::nullopt;
  text.remove_suffix(1);
  double parts[3] = {0, 0, 0};
  int count = 0;
  while (!text.empty() && count < 3) {
    const auto comma = text.find(',');
    const std::string piece(text.substr(0, comma));
    char* end = nullptr;
    const double v = std::strtod(piece.c_str(), &end);
    if (end == piece.c_str() || *end != '\0' || !std::isfinite(v) || v < 0) return std::nullopt;
    parts[count++] = v;
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  if (count < 2 || parts[1] > 60 || parts[2] > 60) return std::nullopt;  // 60: a writer rounded up
  double degrees = parts[0] + parts[1] / 60 + parts[2] / 3600;
  if (degrees > 180) return std::nullopt;
  return (ref == 'S' || ref == 'W') ? -degrees : degrees;
}

class XmpWalker {
 public:
  XmpWalker(const MetaContext& ctx, MetaFields& out, MetaOutcome& outcome) : ctx_(ctx), out_(out), outcome_(outcome) {}

  void walk_rdf(const XmlElement& rdf) {
    for (const XmlElement& description : rdf.children) {
      if (description.ns != kRdf || description.local != "Description") continue;
      properties_of(description, "", "", 0);
    }
  }

 private:
  /// Every property of a description or a structure: attributes in shorthand
  /// form and child elements. `group`/`prefix` are set inside structures.
  void properties_of(const XmlElement& node, const std::string& struct_group, const std::string& struct_prefix,
                     unsigned depth) {
    if (depth > 16) {
      outcome_.warnings.push_back("XMP: structure nesting deeper than 16");
      return;
    }
    for (const XmlAttribute& a : node.attributes) {
      if (a.ns.empty() || a.ns == kRdf || a.ns == kXmlNs) continue;
      const std::string group = struct_group.empty() ? group_of(a.ns, a.prefix) : struct_group;
      add(group, struct_prefix + capitalised(a.local), a.local, a.value, node.offset, a.prefix + ":" + a.local);
    }
    for (const XmlElement& property : node.children) {
      if (property.ns == kRdf) continue;
      const std::string group = struct_group.empty() ? group_of(property.ns, property.prefix) : struct_group;
      const std::string name = struct_prefix + capitalised(property.local);
      value_of(property, group, name, depth);
    }
  }

  void value_of(const XmlElement& property, const std::string& group, const std::string& name, unsigned depth) {
    const std::string written = property.prefix + ":" + property.local;
    if (const XmlAttribute* resource = property.attribute(kRdf, "resource")) {
      add(group, name, property.local, resource->value, property.offset, written);
      return;
    }
    const XmlAttribute* parse_type = property.attribute(kRdf, "parseType");
    if (parse_type != nullptr && parse_type->value == "Resource") {
      properties_of(property, group, name, depth + 1);
      return;
    }
    for (const XmlElement& inner : property.children) {
      if (inner.ns != kRdf) continue;
      if (inner.local == "Bag" || inner.local == "Seq" || inner.local == "Alt") {
        list_of(inner, group, name, property.local, written, depth);
        return;
      }
      if (inner.local == "Description") {
        properties_of(inner, group, name, depth + 1);
        return;
      }
    }
    // Qualified or attribute-only structures: <ns:prop ns2:a="x" ns2:b="y"/>.
    bool has_fields = false;
    for (const XmlAttribute& a : property.attributes)
      if (!a.ns.empty() && a.ns != kRdf && a.ns != kXmlNs) has_fields = true;
    if (has_fields && trimmed(property.text).empty() && property.children.empty()) {
      properties_of(property, group, name, depth + 1);
      return;
    }
    add(group, name, property.local, trimmed(property.text), property.offset, written);
  }

  void list_of(const XmlElement& list, const std::string& group, const std::string& name, const std::string& local,
               const std::string& written, unsigned depth) {
    std::string joined;
    bool any_struct = false;
    std::map<std::string, std::string> struct_values;  // flattened field -> joined values
    std::vector<std::string> struct_order;
    for (const XmlElement& li : list.children) {
      if (li.ns != kRdf || li.local != "li") continue;
      const XmlAttribute* lang = li.attribute(kXmlNs, "lang");
      if (list.local == "Alt" && lang != nullptr && lang->value != "x-default" && !joined.empty()) {
        // Other languages become Tag-lang, as ExifTool names them.
        add(group, name + "-" + lang->value, local, trimmed(li.text), li.offset, written);
        continue;
      }
      const XmlAttribute* parse_type = li.attribute(kRdf, "parseType");
      const XmlElement* description = li.child(kRdf, "Description");
      if ((parse_type != nullptr && parse_type->value == "Resource") || description != nullptr) {
        // A list of structures (xmpMM:History): one joined field per member.
        any_struct = true;
        MetaFields members;
        MetaOutcome ignored;
        XmpWalker inner(ctx_, members, ignored);
        inner.properties_of(description != nullptr ? *description : li, group, name, depth + 1);
        for (MetaField& f : members) {
          const std::string key = f.tag;
          auto [it, inserted] = struct_values.emplace(key, "");
          if (inserted) struct_order.push_back(key);
          if (!it->second.empty()) it->second += ", ";
          it->second += std::get<std::string>(f.value);
        }
        continue;
      }
      if (!joined.empty()) joined += ", ";
      joined += trimmed(li.text);
    }
    if (any_struct) {
      for (const std::string& key : struct_order)
        add_text(group, key, struct_values[key], list.offset, written + "/" + key);
      return;
    }
    add(group, name, local, joined, list.offset, written);
  }

  void add(const std::string& group, const std::string& tag, const std::string& local, const std::string& text,
           uint64_t offset, const std::string& written) {
    if (out_.size() >= limit_fields()) return;
    MetaField f;
    f.group = group;
    f.tag = tag;
    f.path = ctx_.path_of("XMP/" + written);
    f.offset = ctx_.base + offset;
    f.revision = ctx_.revision;
    f.value = text;
    // Numbers only where the schema says numbers: EXIF/TIFF rationals and
    // integers, ratings. Everything else stays text (an ID of "1e5" too).
    const bool numeric_schema = group == "XMP-exif" || group == "XMP-tiff" || group == "XMP-exifEX" || tag == "Rating";
    if (group == "XMP-exif" && (local == "GPSLatitude" || local == "GPSLongitude")) {
      if (const auto degrees = xmp_gps(text)) {
        f.value = *degrees;
        f.raw = text;
      } else if (!text.empty()) {
        f.invalid = true;
        f.value = "invalid GPS coordinate";
        f.raw = text;
      }
    } else if (numeric_schema) {
      const auto slash = text.find('/');
      if (slash != std::string::npos && all_digits(std::string_view(text).substr(0, slash)) &&
          all_digits(std::string_view(text).substr(slash + 1))) {
        const double numerator = std::strtod(text.substr(0, slash).c_str(), nullptr);
        const double denominator = std::strtod(text.substr(slash + 1).c_str(), nullptr);
        f.raw = text;
        if (denominator == 0) {
          f.invalid = true;
          f.value = "invalid rational (zero denominator)";
        } else {
          f.value = numerator / denominator;
        }
      } else if (all_digits(text) && text.size() < 16 && (text.size() == 1 || text[0] != '0')) {
        int64_t v = 0;
        std::from_chars(text.data(), text.data() + text.size(), v);
        f.value = v;
      }
    }
    out_.push_back(std::move(f));
  }

  void add_text(const std::string& group, const std::string& tag, const std::string& text, uint64_t offset,
                const std::string& written) {
    if (out_.size() >= limit_fields()) return;
    MetaField f;
    f.group = group;
    f.tag = tag;
    f.value = text;
    f.path = ctx_.path_of("XMP/" + written);
    f.offset = ctx_.base + offset;
    f.revision = ctx_.revision;
    out_.push_back(std::move(f));
  }

  std::size_t limit_fields() const { return ctx_.limits != nullptr ? ctx_.limits->max_fields : 100'000; }

  const MetaContext& ctx_;
  MetaFields& out_;
  MetaOutcome& outcome_;
};

const XmlElement* find_rdf(const XmlElement& node, unsigned depth) {
  if (node.ns == kRdf && node.local == "RDF") return &node;
  if (depth > 8) return nullptr;
  for (const XmlElement& child : node.children)
    if (const XmlElement* found = find_rdf(child, depth + 1)) return found;
  return nullptr;
}

}  // namespace

void parse_xmp(std::span<const uint8_t> packet, const MetaContext& ctx, MetaFields& out, MetaOutcome& outcome) {
  // Packets are padded with spaces and NULs, and writers leave bytes after the
  // closing processing instruction; parse from the first '<' to the last '>'.
  std::size_t begin = 0;
  while (begin < packet.size() && packet[begin] != '<') ++begin;
  std::size_t end = packet.size();
  while (end > begin && packet[end - 1] != '>') --end;
  if (end <= begin) {
    outcome.warnings.push_back(ctx.path_of("XMP") + ": no XML in the packet");
    return;
  }
  auto tree = parse_xml(packet.subspan(begin, end - begin));
  if (!tree) {
    outcome.warnings.push_back(ctx.path_of("XMP") + ": " + tree.error().detail);
    return;
  }
  const XmlElement* rdf = find_rdf(*tree, 0);
  if (rdf == nullptr) {
    outcome.warnings.push_back(ctx.path_of("XMP") + ": no rdf:RDF element");
    return;
  }
  MetaContext shifted = ctx;
  shifted.base = ctx.base + begin;
  if (tree->local == "xmpmeta") {
    for (const XmlAttribute& a : tree->attributes) {
      if (a.local != "xmptk" && a.local != "xaptk") continue;
      MetaField toolkit;  // the library that wrote the packet: editing software in the chain
      toolkit.group = "XMP-x";
      toolkit.tag = "XMPToolkit";
      toolkit.value = a.value;
      toolkit.path = ctx.path_of("XMP/x:xmptk");
      toolkit.offset = shifted.base + tree->offset;
      toolkit.revision = ctx.revision;
      out.push_back(std::move(toolkit));
    }
  }
  XmpWalker(shifted, out, outcome).walk_rdf(*rdf);
}

}  // namespace trawl::formats
