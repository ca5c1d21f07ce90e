#pragma once
// OLE2 / Compound File Binary metadata (.doc, .xls, .ppt, .msg, .msi...):
// the SummaryInformation and DocumentSummaryInformation property sets of
// every storage, named as ExifTool's FlashPix group names them.
#include <cstdint>
#include <span>

#include "formats/meta_field.hpp"

namespace trawl::formats {

/// Appends FlashPix:* fields (Title, Author, LastModifiedBy, CreateDate,
/// ModifyDate, LastPrinted, TotalEditTime in seconds, Pages, Words,
/// Software, Company, Manager, AppVersion...). FAT, DIFAT and mini-FAT
/// chains are bounds- and loop-checked; value offsets are item offsets
/// computed through the sector chain. Never fails: damage goes to
/// outcome.warnings.
void parse_ole2_meta(std::span<const uint8_t> bytes, const MetaContext& ctx, MetaFields& out,
                     MetaOutcome& outcome);

}  // namespace trawl::formats
