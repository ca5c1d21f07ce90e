#include "io/item_record.hpp"

#include "core/timestamp.hpp"

namespace trawl::io {

const char* item_record_type(ItemKind kind) {
  switch (kind) {
    case ItemKind::file: return "file";
    case ItemKind::range: return "range";
    case ItemKind::symlink: return "symlink";
    case ItemKind::special: return "special";
  }
  return "file";
}

namespace {
std::string join_members(const std::vector<std::string>& members) {
  std::string out;
  for (const auto& m : members) {
    if (!out.empty()) out += "!/";
    out += m;
  }
  return out;
}

std::vector<std::string> split_members(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    const size_t at = text.find("!/", start);
    out.push_back(text.substr(start, at == std::string::npos ? std::string::npos : at - start));
    if (at == std::string::npos) break;
    start = at + 2;
  }
  return out;
}
}  // namespace

record::Record item_record(std::string_view tool, const ItemInfo& info) {
  // Fields of an upstream record come first and pass through; ours replace
  // theirs where the names are the same.
  record::Record r = info.upstream ? *info.upstream : record::Record();
  r.set("type", item_record_type(info.kind));
  r.set("tool", tool);
  r.set("schema", static_cast<uint64_t>(record::kSchemaVersion));
  r.set("source", info.source);
  r.set("path", info.path);
  if (info.offset) r.set("offset", *info.offset);
  if (info.length) r.set("length", *info.length);
  if (!info.area.empty()) r.set("area", info.area);
  if (info.size && info.kind != ItemKind::range) r.set("size", *info.size);
  if (info.deleted) r.set("deleted", *info.deleted);
  if (!info.image.empty() && info.image != info.source) r.set("image", info.image);
  if (info.partition) r.set("partition", *info.partition);
  if (info.partition_offset) r.set("partition_offset", *info.partition_offset);
  if (!info.fs_type.empty()) r.set("fs_type", info.fs_type);
  if (!info.fs_path.empty()) r.set("fs_path", info.fs_path);
  if (!info.inode.empty()) r.set("inode", info.inode);
  if (!info.host_path.empty() && info.host_path != info.path && info.host_path != info.container_path)
    r.set("host_path", info.host_path);
  if (!info.members.empty()) {
    r.set("container", info.container_path);
    r.set("member", join_members(info.members));
    r.set("depth", info.depth);
  }
  if (!info.link_target.empty()) r.set("link_target", info.link_target);
  if (!info.times.empty()) {
    for (const auto& t : info.times) r.set(t.name, format_rfc3339(t.seconds, t.nanos));
    if (!info.times_from.empty()) r.set("times_from", info.times_from);
  }
  return r;
}

record::Record error_record(std::string_view tool, const std::string& source, const std::string& path, const Error& error,
                            std::optional<uint64_t> offset) {
  record::Record r("error", tool);
  r.set("source", source);
  if (!path.empty()) r.set("path", path);
  if (offset) r.set("offset", *offset);
  r.set("error", errc_name(error.code));
  r.set("detail", error.detail);
  return r;
}

record::Record volume_record(std::string_view tool, const VolumeInfo& v) {
  record::Record r("volume", tool);
  r.set("source", v.source);
  r.set("path", v.path);
  if (v.partition) r.set("partition", *v.partition);
  r.set("offset", v.offset);
  r.set("length", v.length);
  if (!v.scheme.empty()) r.set("scheme", v.scheme);
  if (!v.description.empty()) r.set("description", v.description);
  if (!v.fs_type.empty()) r.set("fs_type", v.fs_type);
  return r;
}

record::Record image_check_record(std::string_view tool, const ImageCheck& c) {
  record::Record r("image", tool);
  r.set("source", c.source);
  r.set("format", c.format);
  r.set("offset", uint64_t{0});
  r.set("length", c.media_size);
  if (!c.stored_md5.empty()) r.set("stored_md5", c.stored_md5);
  if (!c.stored_sha1.empty()) r.set("stored_sha1", c.stored_sha1);
  if (!c.computed_md5.empty()) r.set("md5", c.computed_md5);
  if (!c.computed_sha1.empty()) r.set("sha1", c.computed_sha1);
  if (c.verified) r.set("verified", *c.verified);
  if (!c.error.empty()) r.set("detail", c.error);
  return r;
}

std::vector<record::Record> image_check_records(std::string_view tool, const ImageCheck& c) {
  std::vector<record::Record> out{image_check_record(tool, c)};
  if (!c.error.empty()) {
    out.push_back(error_record(tool, c.source, c.source, make_error(Errc::io, "image verification: " + c.error)));
  } else if (c.verified && !*c.verified) {
    std::string detail = "image verification failed:";
    if (!c.stored_md5.empty()) detail += " stored md5 " + c.stored_md5 + ", computed " + c.computed_md5 + ";";
    if (!c.stored_sha1.empty()) detail += " stored sha1 " + c.stored_sha1 + ", computed " + c.computed_sha1;
    if (detail.back() == ';') detail.pop_back();
    out.push_back(error_record(tool, c.source, c.source, make_error(Errc::data_loss, detail)));
  }
  return out;
}

Result<ItemInfo> item_from_record(const record::Record& r) {
  ItemInfo info;
  auto source = r.get_string("source");
  if (!source) return make_error(Errc::invalid_argument, "record has no source");
  info.source = *source;
  info.path = r.get_string("path").value_or(*source);
  const std::string type = r.type();
  info.image = r.get_string("image").value_or("");
  info.partition_offset = r.get_uint("partition_offset");
  if (auto p = r.get_uint("partition")) info.partition = static_cast<unsigned>(*p);
  info.fs_type = r.get_string("fs_type").value_or("");
  info.fs_path = r.get_string("fs_path").value_or("");
  info.inode = r.get_string("inode").value_or("");
  info.host_path = r.get_string("host_path").value_or("");
  info.deleted = r.get_bool("deleted");
  info.size = r.get_uint("size");
  if (auto member = r.get_string("member")) {
    info.members = split_members(*member);
    info.container_path = r.get_string("container").value_or("");
    info.depth = static_cast<unsigned>(info.members.size());
  }
  // A byte range: any record with offset and length and no file-system
  // address, e.g. a scanner hit, re-opens as that range of the source.
  const auto offset = r.get_uint("offset");
  const auto length = r.get_uint("length");
  if (type == "range" || (offset && length && info.inode.empty() && info.members.empty())) {
    if (!offset || !length) return make_error(Errc::invalid_argument, "range record needs offset and length");
    info.kind = ItemKind::range;
    info.offset = offset;
    info.length = length;
    info.size = length;
    info.area = r.get_string("area").value_or("");
  }
  if (info.image.empty() && (info.partition_offset || info.kind == ItemKind::range) ) info.image = info.source;
  if (info.image.empty() && info.host_path.empty()) {
    // A host file: its path, or for members the container it sits in.
    info.host_path = info.members.empty() ? info.path : info.container_path;
  }
  if (!info.image.empty() && info.kind != ItemKind::range && info.inode.empty())
    return make_error(Errc::invalid_argument, "record inside an image has no inode");
  return info;
}

}  // namespace trawl::io
