// Provenance of FreeCAD documents: the Properties of Document.xml
// (CreatedBy, Company, Uid, CreationDate, LastModifiedBy...). The .FCStd zip is
// opened with io::walk_archive over memory, the XML with parse_xml.
#include <string>

#include "core/limits.hpp"
#include "formats/model_meta.hpp"
#include "formats/xml_reader.hpp"
#include "io/archive_walk.hpp"
#include "io/byte_stream.hpp"

namespace trawl::formats {
namespace {

constexpr std::pair<std::string_view, const char*> kProperties[] = {
    {"CreatedBy", "created_by"},         {"Company", "company"},           {"Uid", "uid"},
    {"CreationDate", "creation_date"},   {"LastModifiedBy", "last_modified_by"},
    {"LastModifiedDate", "last_modified_date"}, {"Label", "label"},     {"Comment", "comment"},
    {"License", "license"},              {"FileName", "file_name"},        {"Id", "id"}};

const XmlAttribute* attribute(const XmlElement& e, std::string_view local) {
  for (const XmlAttribute& a : e.attributes)
    if (a.local == local) return &a;
  return nullptr;
}

}  // namespace

ModelMeta fcstd_document_meta(std::span<const std::uint8_t> document_xml) {
  ModelMeta out;
  auto root = parse_xml(document_xml);
  if (!root || root->local != "Document") return out;
  for (const XmlElement& group : root->children) {
    if (group.local != "Properties") continue;  // the document's own properties, not its objects'
    for (const XmlElement& property : group.children) {
      const XmlAttribute* name = attribute(property, "name");
      if (property.local != "Property" || name == nullptr) continue;
      for (const auto& [fc_name, key] : kProperties) {
        if (name->value != fc_name) continue;
        for (const XmlElement& value : property.children) {
          const XmlAttribute* v = attribute(value, "value");
          if (v != nullptr && !v->value.empty()) out.push_back({key, v->value, value.offset});
        }
      }
    }
    break;
  }
  return out;
}

ModelMeta fcstd_meta(std::span<const std::uint8_t> zip_bytes) {
  ModelMeta out;
  io::MemoryStream stream(std::string(reinterpret_cast<const char*>(zip_bytes.data()), zip_bytes.size()));
  io::ItemInfo parent;
  parent.path = "fcstd";
  Limits limits;
  limits.max_member_bytes = std::uint64_t{64} << 20;
  io::ArchiveBudget budget;
  (void)io::walk_archive(
      stream, parent, limits, budget,
      [&](io::ItemInfo& info, io::ByteStream& data) {
        if (info.members.empty() || info.members.back() != "Document.xml") return true;
        std::string xml(std::size_t{1} << 20, '\0');
        std::string all;
        while (all.size() < (std::size_t{64} << 20)) {
          auto got = io::read_full(data, std::span<std::byte>(reinterpret_cast<std::byte*>(xml.data()), xml.size()));
          if (!got || *got == 0) break;
          all.append(xml.data(), *got);
          if (*got < xml.size()) break;
        }
        out = fcstd_document_meta({reinterpret_cast<const std::uint8_t*>(all.data()), all.size()});
        return false;
      },
      [](const std::string&, const Error&) {});
  return out;
}

}  // namespace trawl::formats
