#pragma once
// EXIF/TIFF metadata: the IFD tree of a TIFF stream (IFD0, ExifIFD, GPS,
// InteropIFD, IFD1 and further IFDs, SubIFDs of raw files) as ExifTool-named
// fields, plus the Composite values an examiner wants (signed GPS position,
// GPS date-time in UTC, sub-second dates, thumbnail size and digest). Used on
// JPEG APP1 Exif, PNG eXIf, WebP EXIF, HEIC Exif items and TIFF-based files.
// Pure: a byte span in, fields and warnings out; loops, bad offsets and huge
// counts become warnings, never crashes.
#include <cstdint>
#include <optional>
#include <span>

#include "formats/meta_field.hpp"

namespace trawl::formats {

/// Parses a TIFF stream that starts at its "II*\0" / "MM\0*" header. Value
/// offsets inside the stream are relative to that header; every field's
/// offset is ctx.base + the value's offset in `tiff`.
void parse_tiff_meta(std::span<const uint8_t> tiff, const MetaContext& ctx, MetaFields& out, MetaOutcome& outcome);

/// A whole TIFF-based file (TIFF, DNG, CR2, NEF, ARW...): parse_tiff_meta on
/// all of it (the TIFF header is the file's first byte).
void parse_tiff_file_meta(std::span<const uint8_t> file, const MetaContext& ctx, MetaFields& out,
                          MetaOutcome& outcome);

namespace tiff_detail {

struct TiffHeader {
  bool big_endian = false;
  uint32_t ifd0 = 0;
};
/// The byte order and IFD0 offset of a classic TIFF header, or nullopt.
std::optional<TiffHeader> read_tiff_header(std::span<const uint8_t> tiff);

struct TiffEntry {
  uint16_t type = 0;
  uint32_t count = 0;
  uint32_t value_at = 0;  ///< offset of the value bytes in the stream (checked in bounds)
};
/// The first entry with `tag` in the IFD at `ifd`, its value bytes in
/// bounds; nullopt otherwise. No recursion: for small side structures
/// (MPF index, MakerNote serials).
std::optional<TiffEntry> find_tiff_entry(std::span<const uint8_t> tiff, bool big_endian, uint32_t ifd, uint16_t tag);

}  // namespace tiff_detail
}  // namespace trawl::formats
