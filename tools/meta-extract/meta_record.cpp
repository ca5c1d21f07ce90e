#include "meta-extract/meta_record.hpp"

#include <algorithm>
#include <map>

#include "core/utf8.hpp"
#include "io/item_record.hpp"
#include "record/jsonl_writer.hpp"

namespace trawl::tools {
namespace {

bool matches(std::string_view pattern, std::string_view text) {
  return pattern == "*" || pattern == text;
}

std::string hex_free_text(const std::string& text) { return is_valid_utf8(text) ? text : utf8_lossy(text); }

/// A JSON object of string values, in insertion order.
class JsonObject {
 public:
  void add(const std::string& key, const std::string& value) {
    text_ += text_.empty() ? "{" : ",";
    record::append_json_string(text_, hex_free_text(key));
    text_ += ':';
    record::append_json_string(text_, hex_free_text(value));
  }
  void add_raw(const std::string& key, const std::string& json) {
    text_ += text_.empty() ? "{" : ",";
    record::append_json_string(text_, hex_free_text(key));
    text_ += ':';
    text_ += json;
  }
  bool empty() const { return text_.empty(); }
  record::RawJson done() const { return record::RawJson{text_ + "}"}; }

 private:
  std::string text_;
};

record::RawJson json_array(const std::vector<std::string>& items) {
  std::string text = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i != 0) text += ',';
    record::append_json_string(text, hex_free_text(items[i]));
  }
  return record::RawJson{text + "]"};
}

record::Value value_of(const formats::MetaField& f) {
  if (f.invalid) return std::monostate{};
  if (const auto* s = std::get_if<std::string>(&f.value)) return *s;
  if (const auto* i = std::get_if<int64_t>(&f.value)) return *i;
  if (const auto* d = std::get_if<double>(&f.value)) return *d;
  return std::get<bool>(f.value);
}

std::string provenance_of(const formats::MetaField& f, const ImageOffsetMap& image_offset) {
  std::string text = f.path;
  if (f.offset) text += "@" + std::to_string(*f.offset);
  if (f.offset && image_offset)
    if (const auto absolute = image_offset(*f.offset)) text += ";image=" + std::to_string(*absolute);
  if (f.revision != 0) text += ";rev=" + std::to_string(f.revision);
  return text;
}

bool same_value(const record::Value& a, const record::Value& b) { return a == b; }

bool any_of(const formats::MetaDocument& doc, std::initializer_list<std::string_view> tags,
            std::string_view group = {}) {
  return std::any_of(doc.fields.begin(), doc.fields.end(), [&](const formats::MetaField& f) {
    if (f.invalid) return false;
    if (!group.empty() && f.group != group) return false;
    return std::find(tags.begin(), tags.end(), f.tag) != tags.end();
  });
}

}  // namespace

bool FieldFilter::keeps(const std::string& group, const std::string& tag) const {
  if (patterns.empty()) return true;
  for (const auto& p : patterns) {
    const auto colon = p.find(':');
    if (colon == std::string::npos) {
      if (matches(p, tag)) return true;
    } else if (matches(std::string_view(p).substr(0, colon), group) &&
               matches(std::string_view(p).substr(colon + 1), tag)) {
      return true;
    }
  }
  return false;
}

record::Record meta_record(const io::ItemInfo& info, const formats::MetaDocument& doc, const FieldFilter& filter,
                           const ImageOffsetMap& image_offset) {
  record::Record r = io::item_record("meta-extract", info);
  r.set("type", "meta");
  r.set("format", formats::meta_format_name(doc.format));
  JsonObject provenance;
  JsonObject raw;
  JsonObject invalid;
  std::map<std::string, unsigned> copies;
  std::vector<std::string> disagreeing;
  for (const auto& f : doc.fields) {
    if (!filter.keeps(f.group, f.tag)) continue;
    std::string key = f.group + ":" + f.tag;
    const unsigned copy = ++copies[key];
    const record::Value value = value_of(f);
    if (copy > 1) {
      // Every copy is kept (ExifTool -a): the second is `Key#2`. Copies that
      // disagree with the first are listed in `duplicates`.
      const record::Value* first = r.get(key);
      if ((first == nullptr || !same_value(*first, value)) &&
          std::find(disagreeing.begin(), disagreeing.end(), key) == disagreeing.end())
        disagreeing.push_back(key);
      key += "#" + std::to_string(copy);
    }
    r.set(key, value);
    provenance.add(key, provenance_of(f, image_offset));
    if (!f.raw.empty()) raw.add(key, f.raw);
    if (f.invalid) {
      JsonObject why;
      why.add("reason", std::holds_alternative<std::string>(f.value) ? std::get<std::string>(f.value) : "invalid");
      if (!f.raw_hex.empty()) why.add("raw_hex", f.raw_hex);
      invalid.add_raw(key, why.done().text);
    }
  }
  if (!provenance.empty()) r.set("provenance", provenance.done());
  if (!raw.empty()) r.set("raw", raw.done());
  if (!invalid.empty()) r.set("invalid", invalid.done());
  if (!disagreeing.empty()) r.set("duplicates", json_array(disagreeing));
  if (!doc.indicators.empty()) r.set("indicators", json_array(doc.indicators));
  if (!doc.warnings.empty()) r.set("warnings", json_array(doc.warnings));
  return r;
}

const std::vector<std::string>& known_properties() {
  static const std::vector<std::string> kProperties = {"gps",    "author", "serial",    "software",
                                                       "camera", "time",   "thumbnail", "edited"};
  return kProperties;
}

bool has_property(const formats::MetaDocument& doc, const std::string& property) {
  if (property == "gps") return any_of(doc, {"GPSLatitude"}, "Composite") || any_of(doc, {"GPSLatitude"}, "XMP-exif");
  if (property == "author")
    return any_of(doc, {"Artist", "XPAuthor", "Creator", "Author", "By-line", "LastModifiedBy", "OwnerName",
                        "Writer-Editor"});
  if (property == "serial")
    return any_of(doc, {"SerialNumber", "CameraSerialNumber", "InternalSerialNumber", "LensSerialNumber",
                        "BodySerialNumber"});
  if (property == "software")
    return any_of(doc, {"Software", "CreatorTool", "Producer", "Application", "HistorySoftwareAgent"});
  if (property == "camera") return any_of(doc, {"Make", "Model"});
  if (property == "time")
    return any_of(doc, {"DateTimeOriginal", "CreateDate", "ModifyDate", "DateCreated", "CreationDate",
                        "MediaCreateDate", "GPSDateTime"});
  if (property == "thumbnail") return any_of(doc, {"ThumbnailLength", "ThumbnailSHA256"});
  if (property == "edited")
    return std::any_of(doc.indicators.begin(), doc.indicators.end(),
                       [](const std::string& i) { return i.rfind("software: ", 0) != 0; }) ||
           any_of(doc, {"HistoryAction"});
  return false;
}

}  // namespace trawl::tools
