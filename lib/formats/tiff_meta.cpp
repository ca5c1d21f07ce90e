#include "formats/tiff_meta.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/hex.hpp"
#include "formats/jpeg_meta.hpp"
#include "formats/meta_bytes.hpp"
#include "formats/meta_parser.hpp"
#include "formats/photoshop_meta.hpp"
#include "hash/digest.hpp"

namespace trawl::formats {
namespace {

using meta::Bytes;
using meta::fits;

// How a tag's value is turned into a MetaValue beyond the type's default.
enum class Conv {
  plain,          // by TIFF type: string, number, space-joined array
  date,           // EXIF date-time -> ISO 8601 (+ OffsetTime*)
  xp,             // Windows XP tags: UCS-2LE bytes
  user_comment,   // 8-byte charset prefix + text
  undef_string,   // ExifVersion "0232": undefined bytes read as text
  undef_numbers,  // ComponentsConfiguration: bytes as "1 2 3 0"
  gps_time,       // three rationals -> "HH:MM:SS"
  gps_date,       // "2023:03:11" -> "2023-03-11"
  gps_text,       // GPSProcessingMethod: charset prefix like UserComment
  item_offset,    // an offset into the stream: reported item-absolute
  xmp,            // ApplicationNotes: an XMP packet
  iptc,           // IPTC-NAA: IIM records
  photoshop,      // Photoshop image resources
  maker_note,     // not decoded (cheap serial numbers only)
};

struct TagInfo {
  uint16_t id;
  const char* name;
  Conv conv;
};

// ExifTool names (Exif.pm) for the forensic and common descriptive tags.
constexpr TagInfo kMainTags[] = {
    {0x0001, "InteropIndex", Conv::plain},
    {0x0002, "InteropVersion", Conv::undef_string},
    {0x00FE, "SubfileType", Conv::plain},
    {0x0100, "ImageWidth", Conv::plain},
    {0x0101, "ImageHeight", Conv::plain},
    {0x0102, "BitsPerSample", Conv::plain},
    {0x0103, "Compression", Conv::plain},
    {0x0106, "PhotometricInterpretation", Conv::plain},
    {0x010E, "ImageDescription", Conv::plain},
    {0x010F, "Make", Conv::plain},
    {0x0110, "Model", Conv::plain},
    {0x0111, "StripOffsets", Conv::item_offset},
    {0x0112, "Orientation", Conv::plain},
    {0x0115, "SamplesPerPixel", Conv::plain},
    {0x0116, "RowsPerStrip", Conv::plain},
    {0x0117, "StripByteCounts", Conv::plain},
    {0x011A, "XResolution", Conv::plain},
    {0x011B, "YResolution", Conv::plain},
    {0x011C, "PlanarConfiguration", Conv::plain},
    {0x0128, "ResolutionUnit", Conv::plain},
    {0x0131, "Software", Conv::plain},
    {0x0132, "ModifyDate", Conv::date},
    {0x013B, "Artist", Conv::plain},
    {0x013C, "HostComputer", Conv::plain},
    {0x0201, "ThumbnailOffset", Conv::item_offset},
    {0x0202, "ThumbnailLength", Conv::plain},
    {0x0213, "YCbCrPositioning", Conv::plain},
    {0x02BC, "ApplicationNotes", Conv::xmp},
    {0x8298, "Copyright", Conv::plain},
    {0x829A, "ExposureTime", Conv::plain},
    {0x829D, "FNumber", Conv::plain},
    {0x83BB, "IPTC-NAA", Conv::iptc},
    {0x8649, "PhotoshopSettings", Conv::photoshop},
    {0x8822, "ExposureProgram", Conv::plain},
    {0x8827, "ISO", Conv::plain},
    {0x8830, "SensitivityType", Conv::plain},
    {0x9000, "ExifVersion", Conv::undef_string},
    {0x9003, "DateTimeOriginal", Conv::date},
    {0x9004, "CreateDate", Conv::date},
    {0x9010, "OffsetTime", Conv::plain},
    {0x9011, "OffsetTimeOriginal", Conv::plain},
    {0x9012, "OffsetTimeDigitized", Conv::plain},
    {0x9101, "ComponentsConfiguration", Conv::undef_numbers},
    {0x9201, "ShutterSpeedValue", Conv::plain},
    {0x9202, "ApertureValue", Conv::plain},
    {0x9204, "ExposureCompensation", Conv::plain},
    {0x9205, "MaxApertureValue", Conv::plain},
    {0x9207, "MeteringMode", Conv::plain},
    {0x9208, "LightSource", Conv::plain},
    {0x9209, "Flash", Conv::plain},
    {0x920A, "FocalLength", Conv::plain},
    {0x927C, "MakerNote", Conv::maker_note},
    {0x9286, "UserComment", Conv::user_comment},
    {0x9290, "SubSecTime", Conv::plain},
    {0x9291, "SubSecTimeOriginal", Conv::plain},
    {0x9292, "SubSecTimeDigitized", Conv::plain},
    {0x9C9B, "XPTitle", Conv::xp},
    {0x9C9C, "XPComment", Conv::xp},
    {0x9C9D, "XPAuthor", Conv::xp},
    {0x9C9E, "XPKeywords", Conv::xp},
    {0x9C9F, "XPSubject", Conv::xp},
    {0xA000, "FlashpixVersion", Conv::undef_string},
    {0xA001, "ColorSpace", Conv::plain},
    {0xA002, "ExifImageWidth", Conv::plain},
    {0xA003, "ExifImageHeight", Conv::plain},
    {0xA20E, "FocalPlaneXResolution", Conv::plain},
    {0xA20F, "FocalPlaneYResolution", Conv::plain},
    {0xA210, "FocalPlaneResolutionUnit", Conv::plain},
    {0xA217, "SensingMethod", Conv::plain},
    {0xA300, "FileSource", Conv::plain},
    {0xA301, "SceneType", Conv::plain},
    {0xA401, "CustomRendered", Conv::plain},
    {0xA402, "ExposureMode", Conv::plain},
    {0xA403, "WhiteBalance", Conv::plain},
    {0xA404, "DigitalZoomRatio", Conv::plain},
    {0xA405, "FocalLengthIn35mmFormat", Conv::plain},
    {0xA406, "SceneCaptureType", Conv::plain},
    {0xA420, "ImageUniqueID", Conv::plain},
    {0xA430, "OwnerName", Conv::plain},
    {0xA431, "SerialNumber", Conv::plain},
    {0xA432, "LensInfo", Conv::plain},
    {0xA433, "LensMake", Conv::plain},
    {0xA434, "LensModel", Conv::plain},
    {0xA435, "LensSerialNumber", Conv::plain},
    {0xC612, "DNGVersion", Conv::plain},
    {0xC614, "UniqueCameraModel", Conv::plain},
    {0xC62F, "CameraSerialNumber", Conv::plain},
};

constexpr TagInfo kGpsTags[] = {
    {0x0000, "GPSVersionID", Conv::plain},
    {0x0001, "GPSLatitudeRef", Conv::plain},
    {0x0002, "GPSLatitude", Conv::plain},
    {0x0003, "GPSLongitudeRef", Conv::plain},
    {0x0004, "GPSLongitude", Conv::plain},
    {0x0005, "GPSAltitudeRef", Conv::plain},
    {0x0006, "GPSAltitude", Conv::plain},
    {0x0007, "GPSTimeStamp", Conv::gps_time},
    {0x0008, "GPSSatellites", Conv::plain},
    {0x0009, "GPSStatus", Conv::plain},
    {0x000A, "GPSMeasureMode", Conv::plain},
    {0x000B, "GPSDOP", Conv::plain},
    {0x000C, "GPSSpeedRef", Conv::plain},
    {0x000D, "GPSSpeed", Conv::plain},
    {0x000E, "GPSTrackRef", Conv::plain},
    {0x000F, "GPSTrack", Conv::plain},
    {0x0010, "GPSImgDirectionRef", Conv::plain},
    {0x0011, "GPSImgDirection", Conv::plain},
    {0x0012, "GPSMapDatum", Conv::plain},
    {0x001B, "GPSProcessingMethod", Conv::gps_text},
    {0x001D, "GPSDateStamp", Conv::gps_date},
    {0x001E, "GPSDifferential", Conv::plain},
    {0x001F, "GPSHPositioningError", Conv::plain},
};

template <size_t N>
const TagInfo* find_tag(const TagInfo (&table)[N], uint16_t id) {
  for (const auto& t : table)
    if (t.id == id) return &t;
  return nullptr;
}

enum class Table { main, gps };

size_t type_size(uint16_t type) {
  switch (type) {
    case 1: case 2: case 6: case 7: case 129: return 1;
    case 3: case 8: return 2;
    case 4: case 9: case 11: case 13: return 4;
    case 5: case 10: case 12: return 8;
    default: return 0;
  }
}

std::string hex16(uint16_t v) {
  char text[8];
  std::snprintf(text, sizeof text, "0x%04x", v);
  return text;
}

struct Rational {
  int64_t num = 0;
  int64_t den = 0;
};

class TiffParser : meta::ParserState {
 public:
  TiffParser(Bytes data, bool big, const MetaContext& ctx, MetaFields& out, MetaOutcome& outcome)
      : ParserState(data, ctx, out, outcome, "TIFF"), big_(big) {}

  void run(uint32_t ifd0) {
    // IFD0 and the chain after it: IFD1 (thumbnail), then IFD2...
    uint32_t next = ifd0;
    for (unsigned index = 0; next != 0; ++index) {
      if (index >= limits_.max_depth) {
        warn("IFD chain longer than " + std::to_string(limits_.max_depth) + "; rest ignored");
        break;
      }
      const std::string name = "IFD" + std::to_string(index);
      next = parse_ifd(next, name, name, Table::main, 0, true);
    }
    composites();
  }

 private:
  uint16_t u16(size_t at) const { return big_ ? meta::be16(data_, at) : meta::le16(data_, at); }
  uint32_t u32(size_t at) const { return big_ ? meta::be32(data_, at) : meta::le32(data_, at); }

  // Returns the next-IFD offset (0 when none or unreadable).
  uint32_t parse_ifd(uint32_t offset, const std::string& group, const std::string& path, Table table, unsigned depth,
                     bool follow_next) {
    if (depth > limits_.max_depth) {
      warn(group + " nested deeper than " + std::to_string(limits_.max_depth) + "; ignored");
      return 0;
    }
    if (!fits(data_.size(), offset, 2)) {
      warn(group + " offset " + std::to_string(offset) + " is past the end (" + std::to_string(data_.size()) +
           " bytes)");
      return 0;
    }
    if (!visited_.insert(offset).second) {
      warn(group + " pointer references an IFD already read (offset " + std::to_string(offset) + "); ignored");
      return 0;
    }
    uint32_t count = u16(offset);
    const uint64_t fitting = (data_.size() - offset - 2) / 12;
    if (count > fitting) {
      warn(group + " claims " + std::to_string(count) + " entries, only " + std::to_string(fitting) +
           " fit; reading those");
      count = static_cast<uint32_t>(fitting);
      follow_next = false;
    }
    if (count > limits_.max_entries) {
      warn(group + " has " + std::to_string(count) + " entries; reading the first " +
           std::to_string(limits_.max_entries));
      count = limits_.max_entries;
      follow_next = false;
    }
    for (uint32_t i = 0; i < count; ++i) entry(offset + 2 + 12 * i, group, path, table, depth);
    if (!follow_next) return 0;
    const uint64_t next_at = uint64_t{offset} + 2 + 12ull * count;
    if (!fits(data_.size(), next_at, 4)) return 0;
    return u32(next_at);
  }

  void entry(size_t at, const std::string& group, const std::string& path, Table table, unsigned depth) {
    const uint16_t tag = u16(at);
    const uint16_t type = u16(at + 2);
    const uint32_t count = u32(at + 4);
    const size_t size = type_size(type);

    // Pointers to sub-IFDs.
    if (table == Table::main && (tag == 0x8769 || tag == 0x8825 || tag == 0xA005 || tag == 0x014A)) {
      if ((type != 4 && type != 13) || count == 0) {
        warn(group + " " + hex16(tag) + " pointer has type " + std::to_string(type) + "; ignored");
        return;
      }
      if (tag == 0x014A) {
        const uint64_t total = uint64_t{count} * 4;
        const uint64_t value_at = total <= 4 ? at + 8 : u32(at + 8);
        if (!fits(data_.size(), value_at, total)) {
          warn(group + " SubIFDs offset past the end");
          return;
        }
        const uint32_t n = std::min<uint32_t>(count, 16);
        for (uint32_t i = 0; i < n; ++i) {
          const std::string name = i == 0 ? "SubIFD" : "SubIFD" + std::to_string(i);
          parse_ifd(u32(value_at + 4 * i), name, path + "/" + name, Table::main, depth + 1, false);
        }
        return;
      }
      const uint32_t target = u32(at + 8);
      if (tag == 0x8769) parse_ifd(target, "ExifIFD", path + "/ExifIFD", Table::main, depth + 1, false);
      if (tag == 0x8825) {
        if (gps_path_prefix_.empty()) gps_path_prefix_ = path + "/GPS";
        parse_ifd(target, "GPS", path + "/GPS", Table::gps, depth + 1, false);
      }
      if (tag == 0xA005) parse_ifd(target, "InteropIFD", path + "/InteropIFD", Table::main, depth + 1, false);
      return;
    }

    const TagInfo* info = table == Table::gps ? find_tag(kGpsTags, tag) : find_tag(kMainTags, tag);
    if (!info) {
      ++unknown_tags_;
      return;
    }
    std::string name = info->name;
    if ((tag == 0x0201 || tag == 0x0202) && group != "IFD1") name = tag == 0x0201 ? "OtherImageStart" : "OtherImageLength";
    const std::string segment = path + "/" + hex16(tag);

    if (size == 0) {
      warn(group + ":" + name + " has unknown type " + std::to_string(type));
      return;
    }
    if (count > data_.size() / size) {
      invalid(group, name, segment, at + 4, Bytes(data_.subspan(at + 4, 8)),
              "count " + std::to_string(count) + " exceeds the stream");
      warn("Bad count for " + group + " " + name + " (" + std::to_string(count) + ")");
      return;
    }
    uint64_t total = uint64_t{count} * size;
    const uint64_t value_at = total <= 4 ? at + 8 : u32(at + 8);
    if (!fits(data_.size(), value_at, total)) {
      invalid(group, name, segment, at + 8, Bytes(data_.subspan(at + 8, 4)),
              "value offset " + std::to_string(value_at) + " past the end");
      warn("Bad offset for " + group + " " + name);
      return;
    }
    uint32_t n = count;
    if (total > limits_.max_value_bytes) {
      warn(group + ":" + name + " value of " + std::to_string(total) + " bytes cut to " +
           std::to_string(limits_.max_value_bytes));
      n = static_cast<uint32_t>(limits_.max_value_bytes / size);
      total = uint64_t{n} * size;
    }
    const Bytes value = data_.subspan(value_at, total);
    decode(group, name, segment, tag, type, n, value, value_at, info->conv, table);
  }

  /// A value that cannot be what its tag says: kept, flagged, with its raw bytes (trawl-records(5), `invalid`).
  static void mark_invalid(MetaField& f, std::string why, Bytes raw) {
    f.value = std::move(why);
    f.invalid = true;
    f.raw_hex = hex_lower(raw);
  }

  void invalid(const std::string& group, const std::string& name, const std::string& segment, uint64_t at,
               Bytes raw, std::string why) {
    MetaField f = meta::make_field(ctx_, group, name, std::string(), segment, at);
    mark_invalid(f, std::move(why), raw);
    meta::add_field(out_, outcome_, ctx_, std::move(f));
  }

  bool push(MetaField f) {
    const size_t before = out_.size();
    meta::add_field(out_, outcome_, ctx_, std::move(f));
    return out_.size() > before;
  }

  uint64_t uint_at(uint16_t type, Bytes v, size_t i) const {
    switch (type) {
      case 1: case 7: return v[i];
      case 3: return big_ ? meta::be16(v, i * 2) : meta::le16(v, i * 2);
      default: return big_ ? meta::be32(v, i * 4) : meta::le32(v, i * 4);
    }
  }
  int64_t int_at(uint16_t type, Bytes v, size_t i) const {
    switch (type) {
      case 6: return static_cast<int8_t>(v[i]);
      case 8: return static_cast<int16_t>(uint_at(3, v, i));
      case 9: return static_cast<int32_t>(uint_at(4, v, i));
      default: return static_cast<int64_t>(uint_at(type, v, i));
    }
  }
  Rational rational_at(uint16_t type, Bytes v, size_t i) const {
    const uint32_t a = big_ ? meta::be32(v, i * 8) : meta::le32(v, i * 8);
    const uint32_t b = big_ ? meta::be32(v, i * 8 + 4) : meta::le32(v, i * 8 + 4);
    if (type == 10) return {static_cast<int32_t>(a), static_cast<int32_t>(b)};
    return {a, b};
  }
  double real_at(uint16_t type, Bytes v, size_t i) const {
    if (type == 11) {
      const uint32_t bits = static_cast<uint32_t>(uint_at(4, v, i));
      float f;
      std::memcpy(&f, &bits, 4);
      return f;
    }
    const uint64_t hi = big_ ? meta::be32(v, i * 8) : meta::le32(v, i * 8 + 4);
    const uint64_t lo = big_ ? meta::be32(v, i * 8 + 4) : meta::le32(v, i * 8);
    const uint64_t bits = hi << 32 | lo;
    double d;
    std::memcpy(&d, &bits, 8);
    return d;
  }

  // Default typed value of a TIFF value; nullopt-like invalid reported via `why`.
  bool typed_value(uint16_t type, uint32_t n, Bytes v, MetaValue& value, std::string& raw, std::string& why) {
    if (type == 2 || type == 129) {
      value = meta::utf8_or_latin1(meta::trim_c_string(meta::as_text(v)));
      return true;
    }
    if (type == 5 || type == 10) {
      std::string joined;
      double single = 0;
      bool bad = false;
      for (uint32_t i = 0; i < n; ++i) {
        const Rational r = rational_at(type, v, i);
        if (!raw.empty()) raw += ' ';
        raw += std::to_string(r.num) + "/" + std::to_string(r.den);
        if (r.den == 0) {
          bad = true;
          continue;
        }
        single = static_cast<double>(r.num) / static_cast<double>(r.den);
        if (!joined.empty()) joined += ' ';
        joined += meta::number_text(single);
      }
      if (bad) {
        why = "zero denominator";
        return false;
      }
      if (n == 1) value = single; else value = joined;
      return true;
    }
    if (type == 11 || type == 12) {
      std::string joined;
      double single = 0;
      for (uint32_t i = 0; i < n; ++i) {
        single = real_at(type, v, i);
        if (!joined.empty()) joined += ' ';
        joined += meta::number_text(single);
      }
      if (n == 1 && std::isfinite(single)) value = single; else value = joined;
      return true;
    }
    if (type == 7 && n > 1) {
      value = "(Binary data " + std::to_string(n) + " bytes)";
      return true;
    }
    if (n == 1) {
      value = int_at(type, v, 0);
      return true;
    }
    std::string joined;
    for (uint32_t i = 0; i < n; ++i) {
      if (!joined.empty()) joined += ' ';
      joined += std::to_string(int_at(type, v, i));
    }
    value = joined;
    return true;
  }

  void decode(const std::string& group, const std::string& name, const std::string& segment, uint16_t tag,
              uint16_t type, uint32_t n, Bytes v, uint64_t value_at, Conv conv, Table table) {
    MetaField f = meta::make_field(ctx_, group, name, std::string(), segment, value_at);
    switch (conv) {
      case Conv::xmp: {
        meta::add_xmp_block(outcome_, ctx_, segment, value_at, v.size());
        return;
      }
      case Conv::iptc:
        parse_iptc_iim(v, ctx_.nested(segment, value_at), out_, outcome_);
        return;
      case Conv::photoshop:
        parse_photoshop_irb(v, ctx_.nested(segment, value_at), out_, outcome_);
        return;
      case Conv::maker_note:
        maker_note(v, value_at);
        return;
      case Conv::xp:
        f.value = meta::utf16le_to_utf8(v);
        break;
      case Conv::user_comment:
      case Conv::gps_text:
        f.value = charset_text(v);
        break;
      case Conv::undef_string:
        f.value = meta::utf8_or_latin1(meta::trim_c_string(meta::as_text(v)));
        break;
      case Conv::undef_numbers: {
        std::string joined;
        for (uint8_t b : v) joined += (joined.empty() ? "" : " ") + std::to_string(b);
        f.value = joined;
        break;
      }
      case Conv::date: {
        const std::string text(meta::trim_c_string(meta::as_text(v)));
        f.raw = text;
        if (auto iso = meta::exif_date_to_iso(text)) {
          f.value = *iso;
          if (push(std::move(f)) && (group == "IFD0" || group == "ExifIFD")) dates_[tag] = out_.size() - 1;
        } else {
          mark_invalid(f, "invalid date", v);
          push(std::move(f));
        }
        return;
      }
      case Conv::gps_time: {
        std::string raw, why;
        if ((type != 5 && type != 10) || n != 3) {
          mark_invalid(f, "not three rationals", v);
          push(std::move(f));
          return;
        }
        double hms[3];
        bool bad = false;
        for (int i = 0; i < 3; ++i) {
          const Rational r = rational_at(type, v, static_cast<size_t>(i));
          if (!raw.empty()) raw += ' ';
          raw += std::to_string(r.num) + "/" + std::to_string(r.den);
          if (r.den == 0) bad = true; else hms[i] = static_cast<double>(r.num) / static_cast<double>(r.den);
        }
        f.raw = raw;
        if (bad || hms[0] < 0 || hms[0] >= 24 || hms[1] < 0 || hms[1] >= 60 || hms[2] < 0 || hms[2] >= 61) {
          mark_invalid(f, "invalid time", v);
          push(std::move(f));
          return;
        }
        gps_time_ = time_text(hms);
        f.value = *gps_time_;
        push(std::move(f));
        return;
      }
      case Conv::gps_date: {
        const std::string text(meta::trim_c_string(meta::as_text(v)));
        f.raw = text;
        if (auto iso = meta::date_only_to_iso(text)) {
          f.value = *iso;
          gps_date_ = *iso;
          gps_date_raw_ = text;
        } else {
          mark_invalid(f, "invalid date", v);
        }
        push(std::move(f));
        return;
      }
      case Conv::item_offset:
        if ((type == 3 || type == 4) && n == 1) {
          const uint64_t stored = uint_at(type, v, 0);
          f.value = static_cast<int64_t>(ctx_.base + stored);
          f.raw = std::to_string(stored);
          if (group == "IFD1" && tag == 0x0201) thumb_offset_ = stored;
          push(std::move(f));
          return;
        }
        [[fallthrough]];
      case Conv::plain: {
        std::string raw, why;
        MetaValue value;
        if (!typed_value(type, n, v, value, raw, why)) {
          mark_invalid(f, why, v);
          f.raw = raw;
          push(std::move(f));
          if (table == Table::gps) gps_bad_.insert(tag);
          return;
        }
        f.value = std::move(value);
        f.raw = raw;
        if (table == Table::gps && (type == 5 || type == 10)) {
          std::vector<Rational> rs;
          for (uint32_t i = 0; i < n; ++i) rs.push_back(rational_at(type, v, i));
          // ExifTool's value of GPSLatitude/GPSLongitude: unsigned decimal degrees.
          if ((tag == 2 || tag == 4) && n == 3)
            f.value = static_cast<double>(rs[0].num) / static_cast<double>(rs[0].den) +
                      static_cast<double>(rs[1].num) / static_cast<double>(rs[1].den) / 60 +
                      static_cast<double>(rs[2].num) / static_cast<double>(rs[2].den) / 3600;
          gps_rationals_.emplace(tag, std::move(rs));
          gps_at_.emplace(tag, value_at);
        }
        if (table == Table::gps && (tag == 1 || tag == 3) && std::holds_alternative<std::string>(f.value))
          gps_refs_.emplace(tag, std::get<std::string>(f.value));
        if (table == Table::gps && tag == 5 && std::holds_alternative<int64_t>(f.value))
          altitude_ref_ = std::get<int64_t>(f.value);
        if (table == Table::main && std::holds_alternative<std::string>(f.value) &&
            (group == "ExifIFD" || group == "IFD0")) {
          if (tag >= 0x9010 && tag <= 0x9012) offsets_.emplace(tag, std::get<std::string>(f.value));
          if (tag >= 0x9290 && tag <= 0x9292) subsecs_.emplace(tag, std::get<std::string>(f.value));
          if (tag == 0x010F && make_.empty()) make_ = std::get<std::string>(f.value);
        }
        if (table == Table::main && std::holds_alternative<int64_t>(f.value) && (tag >= 0x9290 && tag <= 0x9292))
          subsecs_.emplace(tag, std::to_string(std::get<int64_t>(f.value)));
        if (group == "IFD1" && tag == 0x0202 && std::holds_alternative<int64_t>(f.value))
          thumb_length_ = static_cast<uint64_t>(std::get<int64_t>(f.value));
        push(std::move(f));
        return;
      }
    }
    push(std::move(f));
  }

  static std::string time_text(const double hms[3]) {
    char text[40];
    const int h = static_cast<int>(hms[0]), m = static_cast<int>(hms[1]);
    const double s = hms[2];
    if (s == std::floor(s)) std::snprintf(text, sizeof text, "%02d:%02d:%02d", h, m, static_cast<int>(s));
    else std::snprintf(text, sizeof text, "%02d:%02d:%s%s", h, m, s < 10 ? "0" : "", meta::number_text(s).c_str());
    return text;
  }

  // UserComment / GPSProcessingMethod: 8-byte charset id then the text.
  std::string charset_text(Bytes v) {
    if (v.size() < 8) return meta::utf8_or_latin1(meta::trim_c_string(meta::as_text(v)));
    const std::string_view id = meta::as_text(v.first(8));
    const Bytes body = v.subspan(8);
    if (id.substr(0, 7) == "UNICODE") {
      // ExifTool decodes as UCS-2 in the TIFF byte order unless a BOM says otherwise.
      std::string text;
      if (body.size() >= 2 && body[0] == 0xFF && body[1] == 0xFE) text = meta::utf16le_to_utf8(body.subspan(2));
      else if (body.size() >= 2 && body[0] == 0xFE && body[1] == 0xFF) text = meta::utf16be_to_utf8(body.subspan(2));
      else text = big_ ? meta::utf16be_to_utf8(body) : meta::utf16le_to_utf8(body);
      while (!text.empty() && text.back() == ' ') text.pop_back();
      return text;
    }
    // ASCII, JIS (kept as bytes: no JIS table here) and undefined.
    return meta::utf8_or_latin1(meta::trim_c_string(meta::as_text(body)));
  }

  // MakerNotes are vendor formats; only body serial numbers that are cheap
  // and safe to find are read, and nothing here can fail the parse.
  void maker_note(Bytes v, uint64_t value_at) {
    using tiff_detail::find_tiff_entry;
    if (make_.rfind("Canon", 0) == 0) {
      // A bare IFD in the parent's byte order, offsets from the TIFF header.
      auto e = find_tiff_entry(data_, big_, static_cast<uint32_t>(value_at), 0x000C);
      if (e && e->type == 4 && e->count == 1) {
        MetaField f = meta::make_field(ctx_, "Canon", "SerialNumber", static_cast<int64_t>(u32(e->value_at)),
                                       "MakerNote/" + hex16(0x000C), e->value_at);
        push(std::move(f));
      }
      return;
    }
    if (meta::starts_with(v, std::string_view("Nikon\0\x02", 7)) && v.size() > 18) {
      const Bytes inner = v.subspan(10);
      auto header = tiff_detail::read_tiff_header(inner);
      if (!header) return;
      auto e = find_tiff_entry(inner, header->big_endian, header->ifd0, 0x001D);
      if (e && (e->type == 2 || e->type == 7)) {
        const std::string text(meta::trim_c_string(meta::as_text(inner.subspan(e->value_at, e->count))));
        MetaField f = meta::make_field(ctx_, "Nikon", "SerialNumber", meta::utf8_or_latin1(text),
                                       "MakerNote/" + hex16(0x001D), value_at + 10 + e->value_at);
        push(std::move(f));
      }
    }
  }

  // Signed decimal degrees from three rationals and a ref; nullopt with a reason otherwise.
  std::optional<double> degrees(uint16_t tag, uint16_t ref_tag, double max_degrees, std::string& why,
                                std::string& raw) {
    auto it = gps_rationals_.find(tag);
    auto ref = gps_refs_.find(ref_tag);
    if (it == gps_rationals_.end() || it->second.size() != 3) {
      why = "not three rationals";
      return std::nullopt;
    }
    for (const auto& r : it->second) raw += (raw.empty() ? "" : " ") + std::to_string(r.num) + "/" + std::to_string(r.den);
    if (ref != gps_refs_.end()) raw += " " + ref->second;
    double parts[3];
    for (int i = 0; i < 3; ++i) {
      const Rational r = it->second[static_cast<size_t>(i)];
      if (r.den == 0) {
        why = "zero denominator";
        return std::nullopt;
      }
      parts[i] = static_cast<double>(r.num) / static_cast<double>(r.den);
    }
    // 60 is allowed: writers round 59.9999" up (ExifTool itself writes 39/1 32/1 60/1).
    if (parts[0] < 0 || parts[1] < 0 || parts[1] > 60 || parts[2] < 0 || parts[2] > 60) {
      why = "minutes or seconds out of range";
      return std::nullopt;
    }
    const double value = parts[0] + parts[1] / 60 + parts[2] / 3600;
    if (value > max_degrees) {
      why = "degrees out of range";
      return std::nullopt;
    }
    if (ref == gps_refs_.end()) {
      why = "reference (N/S/E/W) missing";
      return std::nullopt;
    }
    const char r = ref->second.empty() ? '?' : ref->second[0];
    const char positive = tag == 2 ? 'N' : 'E', negative = tag == 2 ? 'S' : 'W';
    if (r != positive && r != negative) {
      why = "bad reference '" + ref->second + "'";
      return std::nullopt;
    }
    return r == negative ? -value : value;
  }

  void composites() {
    const MetaContext& c = ctx_;
    // Dates with their zone offsets.
    static constexpr std::pair<uint16_t, uint16_t> kZone[] = {{0x0132, 0x9010}, {0x9003, 0x9011}, {0x9004, 0x9012}};
    for (auto [date_tag, zone_tag] : kZone) {
      auto d = dates_.find(date_tag);
      auto z = offsets_.find(zone_tag);
      if (d == dates_.end() || z == offsets_.end() || !meta::is_utc_offset(z->second)) continue;
      if (auto* s = std::get_if<std::string>(&out_[d->second].value)) *s += z->second;
    }
    // SubSec* composites.
    static constexpr struct {
      uint16_t date, subsec, zone;
      const char* name;
    } kSubSec[] = {{0x9003, 0x9291, 0x9011, "SubSecDateTimeOriginal"},
                   {0x9004, 0x9292, 0x9012, "SubSecCreateDate"},
                   {0x0132, 0x9290, 0x9010, "SubSecModifyDate"}};
    for (const auto& s : kSubSec) {
      auto d = dates_.find(s.date);
      if (d == dates_.end()) continue;
      auto sub = subsecs_.find(s.subsec);
      auto zone = offsets_.find(s.zone);
      const bool has_sub = sub != subsecs_.end() && !sub->second.empty() &&
                           sub->second.find_first_not_of("0123456789") == std::string::npos;
      const bool has_zone = zone != offsets_.end() && meta::is_utc_offset(zone->second);
      if (!has_sub && !has_zone) continue;
      const MetaField& date = out_[d->second];
      std::string iso = date.raw;
      iso = *meta::exif_date_to_iso(iso);
      std::string raw = date.raw;
      if (has_sub) {
        iso += "." + sub->second;
        raw += "." + sub->second;
      }
      if (has_zone) {
        iso += zone->second;
        raw += zone->second;
      }
      MetaField f = date;
      f.group = "Composite";
      f.tag = s.name;
      f.value = iso;
      f.raw = raw;
      push(std::move(f));
    }
    gps_composites(c);
    thumbnail();
  }

  void gps_composites(const MetaContext& c) {
    std::optional<double> lat, lon;
    std::string lat_raw, lon_raw;
    for (uint16_t tag : {uint16_t{2}, uint16_t{4}}) {
      if (!gps_rationals_.count(tag) && !gps_bad_.count(tag)) continue;
      std::string why, raw;
      std::optional<double> v;
      if (gps_bad_.count(tag)) why = "zero denominator";
      else v = degrees(tag, static_cast<uint16_t>(tag - 1), tag == 2 ? 90 : 180, why, raw);
      const char* name = tag == 2 ? "GPSLatitude" : "GPSLongitude";
      const uint64_t at = gps_at_.count(tag) ? gps_at_[tag] : 0;
      MetaField f = meta::make_field(c, "Composite", name, std::string(), gps_path_(tag), at);
      if (!gps_at_.count(tag)) f.offset.reset();
      f.raw = raw;
      if (v) {
        f.value = *v;
      } else {
        f.value = why;
        f.invalid = true;
        f.raw_hex = raw_hex_of(tag);
      }
      push(std::move(f));
      (tag == 2 ? lat : lon) = v;
      (tag == 2 ? lat_raw : lon_raw) = raw;
    }
    if (lat && lon) {
      MetaField f = meta::make_field(c, "Composite", "GPSPosition", meta::number_text(*lat) + " " + meta::number_text(*lon),
                                     gps_path_(2), gps_at_[2]);
      f.raw = lat_raw + ", " + lon_raw;
      push(std::move(f));
    }
    if (auto alt = gps_rationals_.find(6); alt != gps_rationals_.end() && alt->second.size() == 1) {
      const Rational r = alt->second[0];
      MetaField f = meta::make_field(c, "Composite", "GPSAltitude", 0.0, gps_path_(6), gps_at_[6]);
      f.raw = std::to_string(r.num) + "/" + std::to_string(r.den) +
              (altitude_ref_ ? " ref " + std::to_string(*altitude_ref_) : std::string());
      const double v = static_cast<double>(r.num) / static_cast<double>(r.den);
      const bool below = altitude_ref_ && (*altitude_ref_ == 1 || *altitude_ref_ == 3);
      f.value = below ? -v : v;
      push(std::move(f));
    } else if (gps_bad_.count(6)) {
      MetaField f = meta::make_field(c, "Composite", "GPSAltitude", std::string("zero denominator"), gps_path_(6), 0);
      f.offset.reset();
      f.invalid = true;
      push(std::move(f));
    }
    if (gps_date_ && gps_time_) {
      MetaField f = meta::make_field(c, "Composite", "GPSDateTime", *gps_date_ + "T" + *gps_time_ + "Z", gps_path_(0x1D),
                                     0);
      f.offset.reset();
      f.raw = gps_date_raw_ + " " + *gps_time_ + "Z";
      push(std::move(f));
    }
  }

  std::string gps_path_(uint16_t tag) const {
    return gps_path_prefix_.empty() ? "IFD0/GPS/" + hex16(tag) : gps_path_prefix_ + "/" + hex16(tag);
  }
  std::string raw_hex_of(uint16_t tag) {
    auto it = gps_rationals_.find(tag);
    if (it == gps_rationals_.end()) {
      // The invalid GPS field itself carries the bytes; find it.
      for (const auto& f : out_)
        if (f.group == "GPS" && f.path.size() >= 6 && f.path.compare(f.path.size() - 6, 6, hex16(tag)) == 0)
          return f.raw_hex;
    }
    return {};
  }

  // Thumbnail (IFD1 JPEGInterchangeFormat): size from its own SOF, digest.
  void thumbnail() {
    if (!thumb_offset_ || !thumb_length_) return;
    if (!fits(data_.size(), *thumb_offset_, *thumb_length_)) {
      warn("IFD1 thumbnail (offset " + std::to_string(*thumb_offset_) + ", " + std::to_string(*thumb_length_) +
           " bytes) extends past the end");
      return;
    }
    const Bytes thumb = data_.subspan(*thumb_offset_, *thumb_length_);
    if (auto size = jpeg_image_size(thumb)) {
      MetaField f = meta::make_field(ctx_, "Composite", "ThumbnailImageSize",
                                     std::to_string(size->first) + "x" + std::to_string(size->second),
                                     "IFD1/ThumbnailImage", *thumb_offset_);
      push(std::move(f));
    }
    hash::MultiDigest digest({hash::Algorithm::sha256});
    digest.update(std::as_bytes(thumb));
    MetaField f = meta::make_field(ctx_, "Composite", "ThumbnailSHA256", digest.finish().front().second,
                                   "IFD1/ThumbnailImage", *thumb_offset_);
    push(std::move(f));
  }

  bool big_;
  std::set<uint32_t> visited_;
  uint64_t unknown_tags_ = 0;  // skipped silently: ExifTool -u territory
  std::string make_;
  std::map<uint16_t, size_t> dates_;  // valid date fields of IFD0/ExifIFD: tag -> index in out_
  std::map<uint16_t, std::string> offsets_, subsecs_;
  std::map<uint16_t, std::vector<Rational>> gps_rationals_;
  std::map<uint16_t, uint64_t> gps_at_;
  std::map<uint16_t, std::string> gps_refs_;
  std::set<uint16_t> gps_bad_;
  std::optional<int64_t> altitude_ref_;
  std::optional<std::string> gps_date_, gps_time_;
  std::string gps_date_raw_;
  std::string gps_path_prefix_;
  std::optional<uint64_t> thumb_offset_, thumb_length_;
};

}  // namespace

namespace tiff_detail {

std::optional<TiffHeader> read_tiff_header(std::span<const uint8_t> tiff) {
  if (tiff.size() < 8) return std::nullopt;
  TiffHeader h;
  if (tiff[0] == 'I' && tiff[1] == 'I' && meta::le16(tiff, 2) == 42) {
    h.ifd0 = meta::le32(tiff, 4);
  } else if (tiff[0] == 'M' && tiff[1] == 'M' && meta::be16(tiff, 2) == 42) {
    h.big_endian = true;
    h.ifd0 = meta::be32(tiff, 4);
  } else {
    return std::nullopt;
  }
  return h;
}

std::optional<TiffEntry> find_tiff_entry(std::span<const uint8_t> tiff, bool big_endian, uint32_t ifd, uint16_t tag) {
  auto u16 = [&](size_t at) { return big_endian ? meta::be16(tiff, at) : meta::le16(tiff, at); };
  auto u32 = [&](size_t at) { return big_endian ? meta::be32(tiff, at) : meta::le32(tiff, at); };
  if (!fits(tiff.size(), ifd, 2)) return std::nullopt;
  const uint64_t count = std::min<uint64_t>(u16(ifd), (tiff.size() - ifd - 2) / 12);
  for (uint64_t i = 0; i < count; ++i) {
    const size_t at = ifd + 2 + 12 * i;
    if (u16(at) != tag) continue;
    TiffEntry e;
    e.type = u16(at + 2);
    e.count = u32(at + 4);
    const size_t size = type_size(e.type);
    if (size == 0 || e.count > tiff.size() / size) return std::nullopt;
    const uint64_t total = uint64_t{e.count} * size;
    const uint64_t value_at = total <= 4 ? at + 8 : u32(at + 8);
    if (!fits(tiff.size(), value_at, total)) return std::nullopt;
    e.value_at = static_cast<uint32_t>(value_at);
    return e;
  }
  return std::nullopt;
}

}  // namespace tiff_detail

void parse_tiff_meta(std::span<const uint8_t> tiff, const MetaContext& ctx, MetaFields& out, MetaOutcome& outcome) {
  auto header = tiff_detail::read_tiff_header(tiff);
  if (!header) {
    if (tiff.size() >= 4 && ((tiff[0] == 'I' && tiff[1] == 'I' && tiff[2] == 0x2B) ||
                             (tiff[0] == 'M' && tiff[1] == 'M' && tiff[3] == 0x2B)))
      outcome.warnings.push_back(ctx.path_of("TIFF") + ": BigTIFF is not supported");
    else
      outcome.warnings.push_back(ctx.path_of("TIFF") + ": no TIFF header (II*\\0 or MM\\0*)");
    return;
  }
  MetaField order = meta::make_field(ctx, "File", "ExifByteOrder", std::string(header->big_endian ? "MM" : "II"),
                                     "TIFF", 0);
  meta::add_field(out, outcome, ctx, std::move(order));
  TiffParser(tiff, header->big_endian, ctx, out, outcome).run(header->ifd0);
}

void parse_tiff_file_meta(std::span<const uint8_t> file, const MetaContext& ctx, MetaFields& out,
                          MetaOutcome& outcome) {
  parse_tiff_meta(file, ctx, out, outcome);
}

}  // namespace trawl::formats
