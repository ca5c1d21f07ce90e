#pragma once
// Provenance of 3D design files that are not meshes: who made them, with
// which program, when, for which printer, and what they named the objects.
// Pure parsers over a byte span: no I/O, never throw; unknown or damaged
// input gives fewer pairs, not an error.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace trawl::formats {

/// One provenance value. Keys repeat when the file names several things
/// (several `object` pairs); order is the order found.
struct ModelMetaPair {
  std::string key;    ///< slicer, slicer_version, date, printer, filament, layer_height, ...
  std::string value;  ///< as written (trimmed), never reformatted
  /// Byte offset in the input of the line or value it came from, when known.
  std::optional<std::uint64_t> offset;
};

using ModelMeta = std::vector<ModelMetaPair>;

/// Text G-code: slicer, slicer_version, date, printer, filament, layer_height,
/// estimated_time, object (Cura ;MESH:, PrusaSlicer "; printing object",
/// M486 A, EXCLUDE_OBJECT_DEFINE NAME=), thumbnail ("WxH length" at the offset
/// of its "; thumbnail begin" line). Reads at most `max_bytes` of the start and
/// of the end (headers and trailers; the middle is moves).
ModelMeta gcode_meta(std::span<const std::uint8_t> bytes, std::size_t max_bytes = std::size_t{4} << 20);

/// PrusaSlicer binary G-code (GCDE): the file metadata block (Producer=...)
/// and the printer/print/slicer metadata blocks (plain, or decompressed:
/// Deflate, heatshrink), each INI line as a pair; thumbnails ("format WxH length").
ModelMeta bgcode_meta(std::span<const std::uint8_t> bytes);

/// STEP (ISO 10303-21) header: description, implementation_level, name,
/// time_stamp, author, organization, preprocessor, originating_system,
/// authorization, file_schema.
ModelMeta step_meta(std::span<const std::uint8_t> bytes);

/// IGES global section: sender, file_name, system, preprocessor, date,
/// author, organization, modified.
ModelMeta iges_meta(std::span<const std::uint8_t> bytes);

/// FreeCAD Document.xml (the XML, not the zip): created_by, company, uid,
/// creation_date, last_modified_by, last_modified_date, label, comment, license, file_name.
ModelMeta fcstd_document_meta(std::span<const std::uint8_t> document_xml);

/// A whole .FCStd zip: finds Document.xml and returns fcstd_document_meta of it.
ModelMeta fcstd_meta(std::span<const std::uint8_t> zip_bytes);

/// OpenSCAD source: module (names defined), import (files imported),
/// parameter ("name = value" assignments at the top level before the first module).
ModelMeta scad_meta(std::span<const std::uint8_t> bytes);

}  // namespace trawl::formats
