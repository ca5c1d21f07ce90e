#pragma once
// Metadata of zip-based office documents: OOXML (docx, xlsx, pptx: the
// docProps/core.xml, app.xml and custom.xml parts) and ODF (odt, ods, odp:
// meta.xml), named as ExifTool names them. Values inside compressed members
// have no item offset; a field's path is the member name plus the element.
#include <cstdint>
#include <span>

#include "formats/meta_field.hpp"

namespace trawl::formats {

/// core.xml -> XMP-dc:Title/Subject/Creator/Description, XML:Keywords,
/// LastModifiedBy, RevisionNumber, CreateDate, ModifyDate, LastPrinted...;
/// app.xml -> XML:Application, AppVersion, Company, TotalEditTime (minutes),
/// Pages, Words...; custom.xml -> XML:<PropertyName>; each part's zip time
/// -> ZIP:ZipModifyDate. Never fails: damage goes to outcome.warnings.
void parse_ooxml_meta(std::span<const uint8_t> bytes, const MetaContext& ctx, MetaFields& out,
                      MetaOutcome& outcome);

/// meta.xml -> XMP-dc:* (Creator, Title, Date...) and XMP-meta:*
/// (Initial-creator, Creation-date, Editing-duration, Generator,
/// Document-statisticPage-count, User-defined...) as ExifTool names them.
void parse_odf_meta(std::span<const uint8_t> bytes, const MetaContext& ctx, MetaFields& out,
                    MetaOutcome& outcome);

}  // namespace trawl::formats
