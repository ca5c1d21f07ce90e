#pragma once
// Outputs for people, fed by the same `meta` records as stdout:
//  - GeoJSON and KML files of every item with a position (QGIS, Google Earth);
//  - a TSK body file (mactime(1)'s input) with file-system and metadata times.
#include <memory>
#include <string>

#include "record/sink.hpp"
#include "record/output.hpp"

namespace trawl::tools {

/// Passes every record on to `inner` and collects the positioned `meta`
/// records; writes `geojson_path` / `kml_path` (either may be empty) when
/// destroyed. Files are created fresh with mode 0644; errors go to stderr.
std::unique_ptr<record::RecordSink> make_geo_tee(std::unique_ptr<record::RecordSink> inner, std::string geojson_path,
                                                 std::string kml_path);

/// Writes body-file lines (`MD5|name|inode|mode|UID|GID|size|atime|mtime|ctime|crtime`)
/// for `meta` records: one for the item's file-system times, one per
/// metadata time (name suffixed with ` [Group:Tag]`, time in the mtime column).
std::unique_ptr<record::RecordSink> make_bodyfile_writer(record::FdOutput& out);

}  // namespace trawl::tools
