// Tests of lib/formats/office_meta (ooxml_meta.cpp, odf_meta.cpp). Fixtures:
// tests/data/meta/office_doc.docx and office_doc.odt, made by
// tests/data/meta/make_office_fixtures.py; ExifTool's view of each is
// committed next to it (*.exiftool.json).
#include "formats/office_meta.hpp"

#include <doctest/doctest.h>

#include <string>

#include "meta_test_support.hpp"
#include "test_support.hpp"

namespace trawl::formats {
namespace {

using namespace test_meta;

Parsed parse(const std::string& bytes, bool odf) { return run_parser(odf ? parse_odf_meta : parse_ooxml_meta, bytes); }

TEST_CASE("office_meta: OOXML core, app and custom properties") {
  const Parsed p = parse(test::read_data_file("meta/office_doc.docx"), false);
  CHECK(p.outcome.warnings.empty());
  CHECK(str(one_of(p.fields, "XMP-dc", "Title")) == "Quarterly Report");
  CHECK(str(one_of(p.fields, "XMP-dc", "Subject")) == "Finance");
  const MetaField& creator = one_of(p.fields, "XMP-dc", "Creator");
  CHECK(str(creator) == "J\xC3\xBCrgen M\xC3\xBCller");
  CHECK(creator.path == "docProps/core.xml/dc:creator");
  CHECK_FALSE(creator.offset.has_value());
  CHECK(str(one_of(p.fields, "XMP-dc", "Description")) == "draft for review");
  CHECK(str(one_of(p.fields, "XML", "Keywords")) == "q3, budget");
  CHECK(str(one_of(p.fields, "XML", "LastModifiedBy")) == "Second Editor");
  CHECK(str(one_of(p.fields, "XML", "RevisionNumber")) == "7");
  CHECK(str(one_of(p.fields, "XML", "CreateDate")) == "2023-03-01T09:30:00Z");
  CHECK(str(one_of(p.fields, "XML", "ModifyDate")) == "2023-03-11T10:10:07Z");
  CHECK(str(one_of(p.fields, "XML", "LastPrinted")) == "2023-03-10T08:00:00Z");
  CHECK(str(one_of(p.fields, "XML", "Application")) == "Microsoft Office Word");
  CHECK(str(one_of(p.fields, "XML", "AppVersion")) == "16.0000");
  CHECK(str(one_of(p.fields, "XML", "Company")) == "ACME Corp");
  CHECK(str(one_of(p.fields, "XML", "Manager")) == "The Manager");
  CHECK(str(one_of(p.fields, "XML", "Template")) == "Normal.dotm");
  CHECK(num(one_of(p.fields, "XML", "TotalEditTime")) == 15);
  CHECK(num(one_of(p.fields, "XML", "Pages")) == 3);
  CHECK(num(one_of(p.fields, "XML", "Words")) == 1200);
  CHECK(num(one_of(p.fields, "XML", "DocSecurity")) == 0);
  CHECK(str(one_of(p.fields, "XML", "CaseNumber")) == "2023-0042");
  CHECK(flag(one_of(p.fields, "XML", "Reviewed")));
  const auto zip_times = all(p.fields, "ZIP", "ZipModifyDate");
  REQUIRE(zip_times.size() == 3);
  CHECK(zip_times[0]->path == "docProps/core.xml");
  CHECK(str(*zip_times[0]) == "2023-03-11T10:10:10");  // DOS local wall clock, as stored
}

TEST_CASE("office_meta: ODF meta.xml") {
  const Parsed p = parse(test::read_data_file("meta/office_doc.odt"), true);
  CHECK(p.outcome.warnings.empty());
  CHECK(str(one_of(p.fields, "XMP-meta", "Initial-creator")) == "Original Author");
  CHECK(str(one_of(p.fields, "XMP-meta", "Creation-date")) == "2023-03-01T09:30:00.123456789");
  CHECK(str(one_of(p.fields, "XMP-meta", "Editing-duration")) == "PT1H2M3S");
  CHECK(num(one_of(p.fields, "XMP-meta", "Editing-cycles")) == 4);
  CHECK(str(one_of(p.fields, "XMP-meta", "Generator")).rfind("LibreOffice/7.4.7.2", 0) == 0);
  CHECK(num(one_of(p.fields, "XMP-meta", "Document-statisticPage-count")) == 2);
  CHECK(str(one_of(p.fields, "XMP-meta", "User-definedName")) == "Case Number");
  CHECK(str(one_of(p.fields, "XMP-meta", "User-defined")) == "2023-0042");
  CHECK(str(one_of(p.fields, "XMP-dc", "Creator")) == "Second Editor");
  CHECK(str(one_of(p.fields, "XMP-dc", "Date")) == "2023-03-11T10:10:07");
  CHECK(str(one_of(p.fields, "XMP-dc", "Title")) == "ODF Title");
}

TEST_CASE("office_meta: not a zip, truncated zips and broken XML give warnings") {
  Parsed junk = parse("PK\x03\x04 not really", false);
  CHECK(junk.fields.empty());
  CHECK_FALSE(junk.outcome.warnings.empty());
  const std::string docx = test::read_data_file("meta/office_doc.docx");
  for (size_t cut = 0; cut < docx.size(); cut += 211) parse(docx.substr(0, cut), false);
  Parsed no_meta = parse(docx, true);  // a docx has no meta.xml
  CHECK(no_meta.fields.empty());
  CHECK_FALSE(no_meta.outcome.warnings.empty());
}

}  // namespace
}  // namespace trawl::formats
