// Tests of lib/formats/ole2_meta. Fixture: tests/data/meta/ole2_doc.doc, made
// by tests/data/meta/make_ole2_fixtures.py; ExifTool's view is committed next
// to it (ole2_doc.exiftool.json).
#include "formats/ole2_meta.hpp"

#include <doctest/doctest.h>

#include <string>

#include "meta_test_support.hpp"
#include "test_support.hpp"

namespace trawl::formats {
namespace {

using namespace test_meta;

Parsed parse(const std::string& bytes) { return run_parser(parse_ole2_meta, bytes); }

void put32(std::string& s, size_t at, uint32_t v) {
  for (int k = 0; k < 4; ++k) s[at + k] = static_cast<char>(v >> (8 * k));
}

TEST_CASE("ole2_meta: SummaryInformation (mini stream) and DocumentSummaryInformation (regular sectors)") {
  const Parsed p = parse(test::read_data_file("meta/ole2_doc.doc"));
  CHECK(p.outcome.warnings.empty());
  CHECK(str(one_of(p.fields, "FlashPix", "Title")) == "Quarterly \xE2\x80\x9CReport\xE2\x80\x9D");
  const MetaField& author = one_of(p.fields, "FlashPix", "Author");
  CHECK(str(author) == "J\xC3\xBCrgen M\xC3\xBCller");
  CHECK(author.path == "SummaryInformation/Author");
  REQUIRE(author.offset.has_value());
  CHECK(p.bytes.substr(*author.offset, 7) == "J\xFCrgen ");  // through the mini stream to the file
  CHECK(str(one_of(p.fields, "FlashPix", "LastModifiedBy")) == "Second Editor");
  CHECK(str(one_of(p.fields, "FlashPix", "RevisionNumber")) == "7");
  CHECK(num(one_of(p.fields, "FlashPix", "TotalEditTime")) == 266);
  const MetaField& created = one_of(p.fields, "FlashPix", "CreateDate");
  CHECK(str(created) == "2023-03-01T09:30:00Z");
  CHECK_FALSE(created.raw.empty());
  CHECK(str(one_of(p.fields, "FlashPix", "ModifyDate")) == "2023-03-11T10:10:07Z");
  CHECK(str(one_of(p.fields, "FlashPix", "LastPrinted")) == "2023-03-10T08:00:00Z");
  CHECK(num(one_of(p.fields, "FlashPix", "Pages")) == 3);
  CHECK(num(one_of(p.fields, "FlashPix", "Words")) == 1200);
  CHECK(num(one_of(p.fields, "FlashPix", "Characters")) == 6800);
  CHECK(str(one_of(p.fields, "FlashPix", "Software")) == "Microsoft Office Word");
  CHECK(num(one_of(p.fields, "FlashPix", "Security")) == 0);
  CHECK(all(p.fields, "FlashPix", "CodePage").size() == 2);
  const MetaField& company = one_of(p.fields, "FlashPix", "Company");
  CHECK(str(company) == "ACME Corp");
  CHECK(company.path == "DocumentSummaryInformation/Company");
  REQUIRE(company.offset.has_value());
  CHECK(p.bytes.substr(*company.offset, 9) == "ACME Corp");
  CHECK(str(one_of(p.fields, "FlashPix", "Manager")) == "The Manager");
  CHECK(str(one_of(p.fields, "FlashPix", "Category")) == "Reports");
  CHECK(num(one_of(p.fields, "FlashPix", "Lines")) == 40);
  CHECK_FALSE(flag(one_of(p.fields, "FlashPix", "LinksUpToDate")));
  CHECK(str(one_of(p.fields, "FlashPix", "AppVersion")) == "16.0000");
}

TEST_CASE("ole2_meta: broken structures give warnings, not crashes") {
  const std::string good = test::read_data_file("meta/ole2_doc.doc");
  CHECK_FALSE(parse("not an ole file").outcome.warnings.empty());
  for (size_t cut = 0; cut < good.size(); cut += 97) parse(good.substr(0, cut));
  // a FAT chain that loops: DocumentSummaryInformation's sectors 5, 6, 7 -> back to 5
  std::string loop = good;
  put32(loop, 512 + 4 * 7, 5);
  Parsed l = parse(loop);
  CHECK_FALSE(l.outcome.warnings.empty());
  // a FAT sector count larger than the file
  std::string huge = good;
  put32(huge, 44, 0x7FFFFFFF);
  CHECK(parse(huge).fields.empty());
  // a directory entry whose siblings point at itself
  std::string cyc = good;
  put32(cyc, 1024 + 128 * 2 + 68, 2);
  Parsed c = parse(cyc);
  CHECK_FALSE(c.outcome.warnings.empty());
  // a string whose length runs past its section is invalid, with its bytes
  std::string longer = good;
  const size_t author = longer.find("J\xFC" "rgen");
  REQUIRE(author != std::string::npos);
  put32(longer, author - 4, 0x00100000);
  Parsed s = parse(longer);
  CHECK(one_of(s.fields, "FlashPix", "Author").invalid);
}

}  // namespace
}  // namespace trawl::formats
