#include "formats/bmff_meta.hpp"

#include <cmath>
#include <cstring>
#include <map>
#include <optional>
#include <vector>

#include "core/hex.hpp"
#include "core/timestamp.hpp"
#include "core/utf8.hpp"
#include "formats/doc_meta_support.hpp"

namespace trawl::formats {
namespace {

using docmeta::be16;
using docmeta::be32;
using docmeta::be64;
using docmeta::FieldSink;

constexpr uint32_t fourcc(const char (&s)[5]) {
  return uint32_t{static_cast<uint8_t>(s[0])} << 24 | uint32_t{static_cast<uint8_t>(s[1])} << 16 |
         uint32_t{static_cast<uint8_t>(s[2])} << 8 | static_cast<uint8_t>(s[3]);
}
constexpr uint32_t kCopyright = 0xA9;  // '©' in MacRoman, first byte of QuickTime user-data atoms
constexpr uint32_t copyright_atom(const char (&s)[4]) {
  return kCopyright << 24 | uint32_t{static_cast<uint8_t>(s[0])} << 16 | uint32_t{static_cast<uint8_t>(s[1])} << 8 |
         static_cast<uint8_t>(s[2]);
}
constexpr uint64_t kSeconds1904To1970 = 2082844800;
const uint8_t kXmpUuid[16] = {0xBE, 0x7A, 0xCF, 0xCB, 0x97, 0xA9, 0x42, 0xE8,
                              0x9C, 0x71, 0x99, 0x94, 0x91, 0xE3, 0xAF, 0xAC};

std::string fourcc_text(uint32_t t) {
  std::string s;
  for (int shift = 24; shift >= 0; shift -= 8) {
    const auto c = static_cast<uint8_t>(t >> shift);
    if (c == 0xA9)
      s += "\xC2\xA9";
    else if (c >= 0x20 && c < 0x7F)
      s.push_back(static_cast<char>(c));
    else
      s += "%" + hex_lower(std::span<const uint8_t>(&c, 1));
  }
  return s;
}

struct Box {
  uint32_t type = 0;
  uint64_t start = 0;    ///< offset of the size field
  uint64_t payload = 0;  ///< offset of the payload
  uint64_t end = 0;      ///< one past the last byte
};

/// Apple's "2023-07-04T12:34:56-0400" (zone without colon) as ISO 8601 with
/// "-04:00"; other text unchanged. True when a conversion was made.
bool normalise_zone(const std::string& in, std::string& out) {
  out = in;
  const size_t n = in.size();
  if (n < 5 || in.find('T') == std::string::npos) return false;
  const char sign = in[n - 5];
  if (sign != '+' && sign != '-') return false;
  for (size_t k = n - 4; k < n; ++k)
    if (in[k] < '0' || in[k] > '9') return false;
  out = in.substr(0, n - 2) + ":" + in.substr(n - 2);
  return true;
}

struct ItemLocation {
  uint16_t method = 0;
  std::vector<std::pair<uint64_t, uint64_t>> extents;  ///< absolute (offset, length) within the item/idat
};

struct MetaBoxState {
  uint32_t handler = 0;
  std::vector<std::string> keys;
  std::map<uint32_t, std::pair<uint32_t, std::string>> items;  ///< id -> (type, content type)
  std::map<uint32_t, ItemLocation> locations;
  std::optional<std::pair<uint64_t, uint64_t>> idat;  ///< payload offset, length
};

struct GpsCandidate {
  std::string text;
  std::string source;
};

class BmffReader {
 public:
  BmffReader(std::span<const uint8_t> d, const MetaContext& ctx, MetaFields& out, MetaOutcome& outcome)
      : d_(d), limits_(docmeta::limits_of(ctx)), sink_(ctx, out, outcome) {}

  void run() {
    walk(0, d_.size(), 0, 0, "");
    emit_composite();
  }

 private:
  void warn(std::string w) {
    if (sink_.outcome().warnings.size() < 100) sink_.outcome().warnings.push_back("bmff: " + std::move(w));
  }

  bool read_box(uint64_t pos, uint64_t end, Box& box) {
    if (end - pos < 8) return false;
    uint64_t size = be32(d_.data() + pos);
    box.type = be32(d_.data() + pos + 4);
    box.start = pos;
    box.payload = pos + 8;
    if (size == 1) {
      if (end - pos < 16) return false;
      size = be64(d_.data() + pos + 8);
      box.payload = pos + 16;
    } else if (size == 0) {
      size = end - pos;  // extends to the end of its container
    }
    if (size < box.payload - pos || size > end - pos) return false;
    box.end = pos + size;
    return true;
  }

  void walk(uint64_t begin, uint64_t end, uint32_t depth, uint32_t parent, const std::string& path) {
    if (depth > limits_.max_depth) {
      warn("box nesting deeper than " + std::to_string(limits_.max_depth) + " at " + path);
      return;
    }
    uint32_t count = 0;
    for (uint64_t pos = begin; pos < end;) {
      Box box;
      if (!read_box(pos, end, box)) {
        // udta lists may end with a 32-bit zero terminator
        if (!(end - pos == 4 && be32(d_.data() + pos) == 0) && end - pos > 0)
          warn("truncated or oversized box at offset " + std::to_string(sink_.ctx().base + pos));
        return;
      }
      if (++count > limits_.max_entries) {
        warn("too many boxes in " + (path.empty() ? std::string("file") : path));
        return;
      }
      const std::string here = path.empty() ? fourcc_text(box.type) : path + "/" + fourcc_text(box.type);
      visit(box, depth, parent, here);
      pos = box.end;
    }
  }

  void visit(const Box& box, uint32_t depth, uint32_t parent, const std::string& path) {
    switch (box.type) {
      case fourcc("ftyp"):
        if (box.end - box.payload >= 4)
          sink_.add("QuickTime", "MajorBrand", std::string(reinterpret_cast<const char*>(d_.data() + box.payload), 4),
                    path, box.payload);
        return;
      case fourcc("moov"):
      case fourcc("mdia"):
        walk(box.payload, box.end, depth + 1, box.type, path);
        return;
      case fourcc("trak"):
        ++track_;
        walk(box.payload, box.end, depth + 1, box.type, path);
        return;
      case fourcc("udta"):
        walk(box.payload, box.end, depth + 1, box.type, path);
        return;
      case fourcc("mvhd"):
        header_times(box, "QuickTime", "CreateDate", "ModifyDate", path);
        return;
      case fourcc("tkhd"):
        header_times(box, track_group(), "TrackCreateDate", "TrackModifyDate", path);
        return;
      case fourcc("mdhd"):
        header_times(box, track_group(), "MediaCreateDate", "MediaModifyDate", path);
        return;
      case fourcc("meta"):
        meta(box, depth, path);
        return;
      case fourcc("uuid"):
        if (box.end - box.payload >= 16 && std::memcmp(d_.data() + box.payload, kXmpUuid, 16) == 0)
          embed("xmp", box.payload + 16, box.end - box.payload - 16, path);
        return;
      default:
        break;
    }
    if (parent == fourcc("udta") && (box.type >> 24) == kCopyright) user_data(box, path);
  }

  std::string track_group() const { return "Track" + std::to_string(track_ == 0 ? 1 : track_); }

  void header_times(const Box& box, const std::string& group, const char* created, const char* modified,
                    const std::string& path) {
    const uint64_t n = box.end - box.payload;
    if (n < 4) return warn("short " + path);
    const uint8_t version = d_[box.payload];
    const uint64_t width = version == 1 ? 8 : 4;
    if (n < 4 + 2 * width) return warn("short " + path);
    const uint64_t at = box.payload + 4;
    time_field(group, created, at, width, path + "/creation_time");
    time_field(group, modified, at + width, width, path + "/modification_time");
  }

  void time_field(const std::string& group, const char* tag, uint64_t at, uint64_t width, const std::string& path) {
    const uint64_t v = width == 8 ? be64(d_.data() + at) : be32(d_.data() + at);
    if (v == 0) return;  // not set: absent, not 1904-01-01
    if (v > uint64_t{INT64_MAX}) {
      sink_.add_invalid(group, tag, "time out of range", d_.subspan(at, width), path, at);
      return;
    }
    const int64_t unix_seconds = static_cast<int64_t>(v) - static_cast<int64_t>(kSeconds1904To1970);
    if (MetaField* f = sink_.add(group, tag, format_rfc3339(unix_seconds), path, at)) f->raw = std::to_string(v);
  }

  // A QuickTime user-data text atom: 16-bit length, 16-bit language, text.
  void user_data(const Box& box, const std::string& path) {
    static const std::map<uint32_t, const char*> names = {
        {copyright_atom("xyz"), "GPSCoordinates"}, {copyright_atom("mak"), "Make"},
        {copyright_atom("mod"), "Model"},          {copyright_atom("swr"), "SoftwareVersion"},
        {copyright_atom("day"), "ContentCreateDate"}, {copyright_atom("too"), "Encoder"},
        {copyright_atom("nam"), "Title"},          {copyright_atom("ART"), "Artist"},
        {copyright_atom("cmt"), "Comment"},        {copyright_atom("inf"), "Information"}};
    const auto it = names.find(box.type);
    if (it == names.end()) return;
    const uint64_t n = box.end - box.payload;
    if (n < 4) return warn("short " + path);
    const uint16_t length = be16(d_.data() + box.payload);
    if (length > n - 4) {
      sink_.add_invalid("UserData", it->second, "text length past the atom", d_.subspan(box.payload, n), path,
                        box.payload);
      return;
    }
    text_value("UserData", it->second, box.payload + 4, length, 1, path);
  }

  // A text value (well-known type 1 = UTF-8, 2 = UTF-16BE) as a field; dates and GPS handled.
  void text_value(const std::string& group, const std::string& tag, uint64_t at, uint64_t length, uint32_t type,
                  const std::string& path) {
    const auto bytes = d_.subspan(at, std::min<uint64_t>(length, limits_.max_value_bytes));
    std::string text;
    if (type == 2) {
      if (!docmeta::utf16_to_utf8(bytes, false, text)) {
        sink_.add_invalid(group, tag, "malformed UTF-16", bytes, path, at);
        return;
      }
    } else {
      text.assign(reinterpret_cast<const char*>(bytes.data()), bytes.size());
      while (!text.empty() && text.back() == '\0') text.pop_back();
      if (!is_valid_utf8(text)) {
        // not UTF-8 as declared: keep the bytes, say so
        sink_.add_invalid(group, tag, "text is not UTF-8", bytes, path, at);
        return;
      }
    }
    if (tag == "GPSCoordinates") {
      Iso6709 point;
      if (!parse_iso6709(text, point)) {
        sink_.add_invalid(group, tag, "malformed ISO 6709 location", bytes, path, at);
        return;
      }
      gps_.push_back({text, group});
    }
    std::string converted;
    if (tag.find("Date") != std::string::npos && normalise_zone(text, converted)) {
      if (MetaField* f = sink_.add(group, tag, converted, path, at)) f->raw = text;
      return;
    }
    sink_.add(group, tag, text, path, at);
  }

  void meta(const Box& box, uint32_t depth, const std::string& path) {
    // ISO's meta is a full box; QuickTime's (moov/meta with mdta keys) is not.
    uint64_t begin = box.payload;
    if (box.end - begin >= 12 && be32(d_.data() + begin + 4) != fourcc("hdlr") &&
        be32(d_.data() + begin + 8) == fourcc("hdlr"))
      begin += 4;
    else if (box.end - begin >= 4 && be32(d_.data() + begin) == 0)
      begin += 4;
    if (depth + 1 > limits_.max_depth) return warn("meta box too deep");
    MetaBoxState state;
    uint32_t count = 0;
    for (uint64_t pos = begin; pos < box.end;) {
      Box child;
      if (!read_box(pos, box.end, child)) {
        warn("truncated box in " + path);
        break;
      }
      if (++count > limits_.max_entries) break;
      const std::string here = path + "/" + fourcc_text(child.type);
      const uint64_t n = child.end - child.payload;
      switch (child.type) {
        case fourcc("hdlr"):
          if (n >= 12) state.handler = be32(d_.data() + child.payload + 8);
          break;
        case fourcc("keys"):
          keys(child, state);
          break;
        case fourcc("ilst"):
          item_list(child, state, here);
          break;
        case fourcc("iinf"):
          item_info(child, state);
          break;
        case fourcc("iloc"):
          item_locations(child, state);
          break;
        case fourcc("idat"):
          state.idat = std::make_pair(child.payload, n);
          break;
        case fourcc("uuid"):
          visit(child, depth + 1, box.type, here);
          break;
        default:
          break;
      }
      pos = child.end;
    }
    heif_items(state, path);
  }

  void keys(const Box& box, MetaBoxState& state) {
    uint64_t pos = box.payload;
    if (box.end - pos < 8) return warn("short keys box");
    const uint32_t count = be32(d_.data() + pos + 4);
    pos += 8;
    for (uint32_t k = 0; k < count && k < limits_.max_entries; ++k) {
      if (box.end - pos < 8) return warn("keys box shorter than its count");
      const uint32_t size = be32(d_.data() + pos);
      if (size < 8 || size > box.end - pos) return warn("bad key size");
      state.keys.emplace_back(reinterpret_cast<const char*>(d_.data() + pos + 8), size - 8);
      pos += size;
    }
  }

  static std::string key_tag(const std::string& key) {
    static const std::map<std::string, const char*> known = {
        {"com.apple.quicktime.make", "Make"},
        {"com.apple.quicktime.model", "Model"},
        {"com.apple.quicktime.software", "Software"},
        {"com.apple.quicktime.creationdate", "CreationDate"},
        {"com.apple.quicktime.location.ISO6709", "GPSCoordinates"},
        {"com.apple.quicktime.location.accuracy.horizontal", "LocationAccuracyHorizontal"},
        {"com.apple.quicktime.content.identifier", "ContentIdentifier"},
        {"com.apple.quicktime.author", "Author"},
        {"com.apple.quicktime.comment", "Comment"},
        {"com.apple.quicktime.description", "Description"},
        {"com.apple.quicktime.title", "Title"},
        {"com.apple.quicktime.keywords", "Keywords"},
        {"com.apple.quicktime.displayname", "DisplayName"},
        {"com.apple.quicktime.location.name", "LocationName"},
        {"com.apple.quicktime.camera.lens_model", "CameraLensModel"},
        {"com.apple.quicktime.camera.identifier", "CameraIdentifier"}};
    if (auto it = known.find(key); it != known.end()) return it->second;
    // ExifTool-like name for other keys: drop the reverse-DNS prefix, CamelCase the rest
    std::string rest = key;
    for (const char* prefix : {"com.apple.quicktime.", "com.apple.photos.", "com.android."})
      if (rest.rfind(prefix, 0) == 0) rest = rest.substr(std::strlen(prefix));
    return docmeta::camel_case_tag(rest);
  }

  void item_list(const Box& box, const MetaBoxState& state, const std::string& path) {
    static const std::map<uint32_t, const char*> item_names = {
        {copyright_atom("day"), "ContentCreateDate"}, {copyright_atom("xyz"), "GPSCoordinates"},
        {copyright_atom("too"), "Encoder"},           {copyright_atom("nam"), "Title"},
        {copyright_atom("ART"), "Artist"},            {copyright_atom("cmt"), "Comment"},
        {copyright_atom("mak"), "Make"},              {copyright_atom("mod"), "Model"},
        {copyright_atom("swr"), "SoftwareVersion"}};
    uint32_t count = 0;
    for (uint64_t pos = box.payload; pos < box.end;) {
      Box item;
      if (!read_box(pos, box.end, item)) return warn("truncated ilst");
      if (++count > limits_.max_entries) return warn("too many ilst items");
      pos = item.end;
      std::string group, tag;
      if (state.handler == fourcc("mdta") || (!state.keys.empty() && item.type <= state.keys.size())) {
        if (item.type == 0 || item.type > state.keys.size()) {
          warn("ilst item names key " + std::to_string(item.type) + " of " + std::to_string(state.keys.size()));
          continue;
        }
        group = "Keys";
        tag = key_tag(state.keys[item.type - 1]);
      } else if (auto it = item_names.find(item.type); it != item_names.end()) {
        group = "ItemList";
        tag = it->second;
      } else {
        continue;
      }
      Box data;
      if (!read_box(item.payload, item.end, data) || data.type != fourcc("data") || data.end - data.payload < 8)
        continue;
      const uint32_t type = be32(d_.data() + data.payload) & 0xFFFFFF;
      const uint64_t at = data.payload + 8;
      const uint64_t n = data.end - at;
      const std::string here = path + "/" + (group == "Keys" ? state.keys[item.type - 1] : fourcc_text(item.type));
      if (type == 1 || type == 2) {
        text_value(group, tag, at, n, type, here);
      } else if ((type == 21 || type == 22) && (n == 1 || n == 2 || n == 4 || n == 8)) {
        uint64_t v = 0;
        for (uint64_t k = 0; k < n; ++k) v = v << 8 | d_[at + k];
        int64_t value = static_cast<int64_t>(v);
        if (type == 21 && n < 8 && (v >> (n * 8 - 1)) != 0) value = static_cast<int64_t>(v) - (int64_t{1} << (n * 8));
        sink_.add(group, tag, value, here, at);
      } else if (type == 23 && n == 4) {
        const uint32_t bits = be32(d_.data() + at);
        float f;
        std::memcpy(&f, &bits, 4);
        sink_.add(group, tag, static_cast<double>(f), here, at);
      } else if (type == 24 && n == 8) {
        const uint64_t bits = be64(d_.data() + at);
        double f;
        std::memcpy(&f, &bits, 8);
        sink_.add(group, tag, f, here, at);
      }
    }
  }

  void item_info(const Box& box, MetaBoxState& state) {
    uint64_t pos = box.payload;
    if (box.end - pos < 6) return warn("short iinf");
    const uint8_t version = d_[pos];
    pos += 4 + (version == 0 ? 2 : 4);
    if (pos > box.end) return warn("short iinf");
    uint32_t count = 0;
    while (pos < box.end) {
      Box infe;
      if (!read_box(pos, box.end, infe)) return warn("truncated iinf");
      if (++count > limits_.max_entries) return warn("too many items");
      pos = infe.end;
      if (infe.type != fourcc("infe") || infe.end - infe.payload < 4) continue;
      const uint8_t v = d_[infe.payload];
      if (v < 2) continue;  // versions 0/1 carry no item type
      uint64_t p = infe.payload + 4;
      const uint64_t id_width = v == 2 ? 2 : 4;
      if (infe.end - p < id_width + 2 + 4) continue;
      const uint32_t id = id_width == 2 ? be16(d_.data() + p) : be32(d_.data() + p);
      p += id_width + 2;
      const uint32_t type = be32(d_.data() + p);
      p += 4;
      std::string content_type;
      if (type == fourcc("mime")) {
        const uint8_t* name_end = static_cast<const uint8_t*>(std::memchr(d_.data() + p, 0, infe.end - p));
        if (name_end != nullptr) {
          p = static_cast<uint64_t>(name_end - d_.data()) + 1;
          const uint8_t* ct_end = static_cast<const uint8_t*>(std::memchr(d_.data() + p, 0, infe.end - p));
          const uint64_t ct_len = ct_end != nullptr ? static_cast<uint64_t>(ct_end - d_.data()) - p : infe.end - p;
          content_type.assign(reinterpret_cast<const char*>(d_.data() + p), ct_len);
        }
      }
      state.items[id] = {type, content_type};
    }
  }

  bool read_sized(uint64_t& pos, uint64_t end, unsigned width, uint64_t& value) {
    if (width != 0 && width != 4 && width != 8) return false;
    if (end - pos < width) return false;
    value = width == 0 ? 0 : width == 4 ? be32(d_.data() + pos) : be64(d_.data() + pos);
    pos += width;
    return true;
  }

  void item_locations(const Box& box, MetaBoxState& state) {
    uint64_t pos = box.payload;
    if (box.end - pos < 8) return warn("short iloc");
    const uint8_t version = d_[pos];
    if (version > 2) return warn("iloc version " + std::to_string(version) + " not supported");
    const unsigned offset_size = d_[pos + 4] >> 4, length_size = d_[pos + 4] & 15;
    const unsigned base_size = d_[pos + 5] >> 4, index_size = version == 0 ? 0 : d_[pos + 5] & 15;
    pos += 6;
    uint64_t count = 0;
    if (version < 2) {
      count = be16(d_.data() + pos);
      pos += 2;
    } else {
      if (box.end - pos < 4) return warn("short iloc");
      count = be32(d_.data() + pos);
      pos += 4;
    }
    for (uint64_t i = 0; i < count && i < limits_.max_entries; ++i) {
      const uint64_t id_width = version < 2 ? 2 : 4;
      if (box.end - pos < id_width + (version == 0 ? 0 : 2) + 2) return warn("iloc shorter than its count");
      const uint32_t id = id_width == 2 ? be16(d_.data() + pos) : be32(d_.data() + pos);
      pos += id_width;
      ItemLocation loc;
      if (version != 0) {
        loc.method = be16(d_.data() + pos) & 15;
        pos += 2;
      }
      pos += 2;  // data_reference_index
      uint64_t base = 0, extents = 0;
      if (!read_sized(pos, box.end, base_size, base) || box.end - pos < 2) return warn("iloc truncated");
      extents = be16(d_.data() + pos);
      pos += 2;
      for (uint64_t e = 0; e < extents; ++e) {
        uint64_t index = 0, off = 0, len = 0;
        if (!read_sized(pos, box.end, index_size, index) || !read_sized(pos, box.end, offset_size, off) ||
            !read_sized(pos, box.end, length_size, len))
          return warn("iloc extent truncated");
        if (loc.extents.size() < 1024) loc.extents.emplace_back(base + off, len);
      }
      state.locations[id] = std::move(loc);
    }
  }

  void heif_items(const MetaBoxState& state, const std::string& path) {
    for (const auto& [id, info] : state.items) {
      const bool exif = info.first == fourcc("Exif");
      const bool xmp = info.first == fourcc("mime") && info.second == "application/rdf+xml";
      if (!exif && !xmp) continue;
      const auto loc = state.locations.find(id);
      const std::string here = path + "/item " + std::to_string(id);
      if (loc == state.locations.end() || loc->second.extents.empty()) {
        warn("item " + std::to_string(id) + " has no location");
        continue;
      }
      // Resolve the extents to item offsets: method 0 = file, 1 = inside idat.
      uint64_t area_begin = 0, area_size = d_.size();
      if (loc->second.method == 1) {
        if (!state.idat) {
          warn("item " + std::to_string(id) + " in a missing idat");
          continue;
        }
        area_begin = state.idat->first;
        area_size = state.idat->second;
      } else if (loc->second.method != 0) {
        warn("item " + std::to_string(id) + " construction method " + std::to_string(loc->second.method));
        continue;
      }
      std::vector<std::pair<uint64_t, uint64_t>> spans;
      bool bad = false;
      for (auto [off, len] : loc->second.extents) {
        if (off > area_size) {
          bad = true;
          break;
        }
        if (len == 0) len = area_size - off;  // zero length: to the end
        if (len > area_size - off) {
          bad = true;
          break;
        }
        spans.emplace_back(area_begin + off, len);
      }
      if (bad) {
        warn("item " + std::to_string(id) + " extent outside the file");
        continue;
      }
      EmbeddedBlock block;
      block.kind = exif ? "exif" : "xmp";
      block.path = sink_.ctx().path_of(here);
      std::vector<uint8_t> joined;
      if (spans.size() > 1) {
        uint64_t total = 0;
        for (auto [off, len] : spans) total += len;
        if (total > limits_.max_value_bytes) {
          warn("item " + std::to_string(id) + " larger than the value limit");
          continue;
        }
        for (auto [off, len] : spans) joined.insert(joined.end(), d_.begin() + off, d_.begin() + off + len);
      }
      const std::span<const uint8_t> data =
          spans.size() > 1 ? std::span<const uint8_t>(joined) : d_.subspan(spans[0].first, spans[0].second);
      uint64_t skip = 0;
      if (exif) {
        // Exif items start with the offset of the TIFF header after a 4-byte prefix.
        if (data.size() < 4 || be32(data.data()) > data.size() - 4) {
          warn("Exif item " + std::to_string(id) + " has a bad TIFF header offset");
          continue;
        }
        skip = 4 + be32(data.data());
      }
      block.offset = sink_.ctx().base + spans[0].first + skip;
      block.length = data.size() - skip;
      if (spans.size() > 1) {
        block.bytes.assign(data.begin() + static_cast<ptrdiff_t>(skip), data.end());
        block.decoded = true;
      }
      sink_.outcome().embedded.push_back(std::move(block));
    }
  }

  void embed(const char* kind, uint64_t at, uint64_t length, const std::string& path) {
    EmbeddedBlock block;
    block.kind = kind;
    block.offset = sink_.ctx().base + at;
    block.length = length;
    block.path = sink_.ctx().path_of(path);
    sink_.outcome().embedded.push_back(std::move(block));
  }

  void emit_composite() {
    // Keys (Apple) first, as the most precise; then user data, then the item list.
    for (const char* source : {"Keys", "UserData", "ItemList"}) {
      for (const auto& g : gps_) {
        if (g.source != source) continue;
        Iso6709 p;
        if (!parse_iso6709(g.text, p)) continue;
        const std::string seg = std::string(source) + ":GPSCoordinates";
        sink_.add("Composite", "GPSLatitude", p.latitude, seg, std::nullopt);
        sink_.add("Composite", "GPSLongitude", p.longitude, seg, std::nullopt);
        if (p.has_altitude) sink_.add("Composite", "GPSAltitude", p.altitude, seg, std::nullopt);
        return;
      }
    }
  }

  std::span<const uint8_t> d_;
  const MetaLimits& limits_;
  FieldSink sink_;
  unsigned track_ = 0;
  std::vector<GpsCandidate> gps_;
};

// One signed ISO 6709 component; `degree_digits` is 2 for latitude, 3 for longitude.
bool iso6709_component(std::string_view& s, unsigned degree_digits, double& value) {
  if (s.empty() || (s[0] != '+' && s[0] != '-')) return false;
  const bool negative = s[0] == '-';
  size_t i = 1;
  size_t int_digits = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++int_digits;
  double frac = 0, scale = 1;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      scale /= 10;
      frac += (s[i] - '0') * scale;
      ++i;
    }
  }
  if (int_digits == 0 || int_digits > 12) return false;
  const std::string_view digits = s.substr(1, int_digits);
  auto number = [&](size_t from, size_t n) {
    double v = 0;
    for (size_t k = from; k < from + n; ++k) v = v * 10 + (digits[k] - '0');
    return v;
  };
  if (degree_digits == 0) {
    value = number(0, int_digits) + frac;  // altitude
  } else if (int_digits == degree_digits) {
    value = number(0, degree_digits) + frac;
  } else if (int_digits == degree_digits + 2) {
    value = number(0, degree_digits) + (number(degree_digits, 2) + frac) / 60;
  } else if (int_digits == degree_digits + 4) {
    value = number(0, degree_digits) + number(degree_digits, 2) / 60 + (number(degree_digits + 2, 2) + frac) / 3600;
  } else {
    return false;
  }
  if (negative) value = -value;
  s.remove_prefix(i);
  return true;
}

}  // namespace

bool parse_iso6709(std::string_view text, Iso6709& point) {
  point = Iso6709{};
  std::string_view s = text;
  if (!iso6709_component(s, 2, point.latitude) || !iso6709_component(s, 3, point.longitude)) return false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    if (!iso6709_component(s, 0, point.altitude)) return false;
    point.has_altitude = true;
  }
  // what may follow: a CRS ("CRSWGS_84") and the terminating '/'
  if (!s.empty() && s[0] != '/' && s.substr(0, 3) != "CRS") return false;
  return std::fabs(point.latitude) <= 90 && std::fabs(point.longitude) <= 180;
}

void parse_bmff_meta(std::span<const uint8_t> bytes, const MetaContext& ctx, MetaFields& out,
                     MetaOutcome& outcome) {
  BmffReader reader(bytes, ctx, out, outcome);
  reader.run();
}

}  // namespace trawl::formats
