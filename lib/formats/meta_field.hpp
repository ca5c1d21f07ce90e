#pragma once
// The metadata model shared by every format parser and by meta-extract.
// A parser appends MetaFields to a MetaFields list; each field carries its
// ExifTool-style name (family-1 group + tag), a typed value, and provenance:
// the container path it was found under and the byte offset of its value in
// the item. Invalid values stay invalid (with their raw bytes), never turned
// into something plausible.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace trawl::formats {

/// A typed value: strings stay strings (an ImageUniqueID of "1e5" is text),
/// integers and reals are numbers, flags are booleans.
using MetaValue = std::variant<std::string, int64_t, double, bool>;

struct MetaField {
  /// ExifTool family-1 group: IFD0, ExifIFD, GPS, IFD1, InteropIFD, XMP-dc,
  /// XMP-xmp, IPTC, Photoshop, JFIF, File, PNG, PDF, XML, FlashPix,
  /// QuickTime, Track1, Keys, UserData, ItemList, Composite, System...
  std::string group;
  /// ExifTool tag name (Make, DateTimeOriginal, GPSLatitude...). Unknown
  /// numeric tags are named like ExifTool's -u output: Exif_0x1234.
  std::string tag;
  MetaValue value;
  /// The value as stored, when `value` is a conversion of it (an EXIF date
  /// "2023:03:11 10:10:07" converted to ISO 8601, a rational "57/1 37/1
  /// 4440/100", a PDF date "D:20230311101007+01'00'"). Empty otherwise.
  std::string raw;
  /// The stored bytes could not be decoded into a meaningful value (zero
  /// denominator, all-zero date, offset past the end...). `value` then holds
  /// a description and `raw_hex` the bytes, so nothing is invented.
  bool invalid = false;
  std::string raw_hex;
  /// Container path inside the item, '/'-separated, e.g.
  /// "APP1/IFD0/GPS/0x0002", "trailer[2]/Info/Author", "docProps/core.xml".
  std::string path;
  /// Byte offset of the value's bytes in the item, when it is known (it is
  /// not for values inside compressed streams).
  std::optional<uint64_t> offset;
  /// PDF revision (1 = original document, 2 = first incremental update...);
  /// 0 when the format has no revisions.
  unsigned revision = 0;
};

using MetaFields = std::vector<MetaField>;

/// Bounds for every metadata parser; hitting one stops that structure with a
/// warning, never the whole item.
struct MetaLimits {
  uint32_t max_depth = 16;             ///< nested IFDs, boxes, XML elements (x16)
  uint32_t max_entries = 10'000;       ///< entries per IFD, boxes per level, properties per set
  uint64_t max_value_bytes = 1 << 20;  ///< one value (longer strings are cut, flagged)
  uint32_t max_fields = 100'000;       ///< fields per item
  uint32_t max_pdf_revisions = 1000;
};

/// Where a nested parser's findings go and how they are addressed: the path
/// prefix of the container (e.g. "APP1") and the offset of the nested bytes'
/// first byte within the item, so every field's offset is item-absolute.
struct MetaContext {
  std::string path;
  uint64_t base = 0;
  unsigned revision = 0;
  const MetaLimits* limits = nullptr;

  MetaContext nested(const std::string& segment, uint64_t offset_in_parent) const {
    MetaContext c = *this;
    c.path = path.empty() ? segment : path + "/" + segment;
    c.base = base + offset_in_parent;
    return c;
  }
  std::string path_of(const std::string& segment) const { return path.empty() ? segment : path + "/" + segment; }
};

/// A block of another metadata format found inside a container, handed back
/// to the dispatcher, which runs the right parser on it: an Exif TIFF stream
/// in a HEIC item or WebP chunk, an XMP packet in a JPEG, PDF or MP4.
struct EmbeddedBlock {
  std::string kind;       ///< "exif" (a TIFF stream) or "xmp" (an XMP packet)
  uint64_t offset = 0;    ///< item offset of the block's first byte
  uint64_t length = 0;
  std::string path;       ///< container path of the block, e.g. "APP1" or "obj 12/stream"
  unsigned revision = 0;  ///< PDF revision the block belongs to (0 = none)
  /// The block's bytes when they are not a plain slice of the item
  /// (inflated from a PDF stream, reassembled extended XMP); offsets of the
  /// fields then point at the block's start, and `decoded` is true.
  std::vector<uint8_t> bytes;
  bool decoded = false;
};

/// Everything a parser learned about one item besides its fields.
struct MetaOutcome {
  std::vector<EmbeddedBlock> embedded;
  /// Problems met while parsing (truncated segment, IFD loop, limit hit):
  /// reported as `warnings` in the record, never fatal for the item.
  std::vector<std::string> warnings;
};

}  // namespace trawl::formats
