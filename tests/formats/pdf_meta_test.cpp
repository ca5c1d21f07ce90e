// Tests of lib/formats/pdf_meta. Fixtures: tests/data/meta/pdf_*.pdf, made by
// tests/data/meta/make_pdf_fixtures.py; ExifTool's view of each is committed
// next to it (*.exiftool.json, `exiftool -j -n -G1:4 -a -m`).
#include "formats/pdf_meta.hpp"

#include <doctest/doctest.h>

#include <string>

#include "meta_test_support.hpp"
#include "test_support.hpp"

namespace trawl::formats {
namespace {

using namespace test_meta;

Parsed parse(const std::string& bytes, uint64_t base = 0) {
  MetaContext ctx;
  ctx.base = base;
  return run_parser(parse_pdf_meta, bytes, ctx);
}

TEST_CASE("pdf_meta: every Info dictionary of two incremental updates, with its revision") {
  const Parsed p = parse(test::read_data_file("meta/pdf_incremental.pdf"), 1000);
  CHECK(p.outcome.warnings.empty());
  CHECK(str(one_of(p.fields, "PDF", "PDFVersion")) == "1.4");
  CHECK(num(one_of(p.fields, "PDF", "Revisions")) == 3);
  CHECK_FALSE(flag(one_of(p.fields, "PDF", "Linearized")));
  CHECK(num(one_of(p.fields, "PDF", "PageCount")) == 1);
  CHECK(all(p.fields, "PDF", "EOFOffset").size() == 3);
  // the %%EOF offsets are item-absolute and point at the marker
  for (const MetaField* f : all(p.fields, "PDF", "EOFOffset")) {
    REQUIRE(f->offset.has_value());
    CHECK(num(*f) == static_cast<int64_t>(*f->offset));
    CHECK(p.bytes.substr(*f->offset - 1000, 5) == "%%EOF");
  }
  // revision 1: UTF-16BE hex string, octal escapes in PDFDocEncoding, date with offset
  const MetaField& author1 = one_of(p.fields, "PDF", "Author", 1);
  CHECK(str(author1) == "Original Author");
  CHECK(author1.path == "trailer[1]/Info/Author");
  REQUIRE(author1.offset.has_value());
  CHECK(p.bytes.substr(*author1.offset - 1000, 8) == "FEFF004F");
  CHECK(str(one_of(p.fields, "PDF", "Title", 1)) == "Report (draft) \xC3\xA9t\xC3\xA9");
  const MetaField& created = one_of(p.fields, "PDF", "CreateDate", 1);
  CHECK(str(created) == "2023-03-11T10:10:07+01:00");
  CHECK(created.raw == "D:20230311101007+01'00'");
  CHECK(str(one_of(p.fields, "PDF", "Trapped", 1)) == "False");
  // revision 2 rewrote object 4 in place: the later definition is found for it
  CHECK(str(one_of(p.fields, "PDF", "Author", 2)) == "Editor");
  CHECK(str(one_of(p.fields, "PDF", "ModifyDate", 2)) == "2023-04-02T12:00:00Z");
  // revision 3: a new Info object, a custom key, a malformed date kept invalid
  CHECK(str(one_of(p.fields, "PDF", "Author", 3)) == "Third Author");
  CHECK(str(one_of(p.fields, "PDF", "Company", 3)) == "ACME \xE2\x84\xA2 Corp");
  const MetaField& bad = one_of(p.fields, "PDF", "ModifyDate", 3);
  CHECK(bad.invalid);
  CHECK(bad.raw_hex == "443a3230323378343032");
  CHECK(all(p.fields, "PDF", "Producer").size() == 3);
  CHECK(flag(one_of(p.fields, "PDF", "ProducerChanged")));
  // both XMP streams, the second inflated, each with its revision
  REQUIRE(p.outcome.embedded.size() == 2);
  const EmbeddedBlock& x1 = p.outcome.embedded[0];
  CHECK(x1.kind == "xmp");
  CHECK(x1.revision == 1);
  CHECK_FALSE(x1.decoded);
  CHECK(p.bytes.substr(x1.offset - 1000, 9) == "<?xpacket");
  CHECK(p.bytes.substr(x1.offset - 1000, x1.length).find("Tool 1") != std::string::npos);
  const EmbeddedBlock& x3 = p.outcome.embedded[1];
  CHECK(x3.revision == 3);
  CHECK(x3.decoded);
  CHECK(x3.path == "obj 7/stream");
  CHECK(std::string(x3.bytes.begin(), x3.bytes.end()).find("Tool 3") != std::string::npos);
}

TEST_CASE("pdf_meta: a linearised file's first-page trailer is not a revision") {
  const Parsed p = parse(test::read_data_file("meta/pdf_linearized.pdf"));
  CHECK(p.outcome.warnings.empty());
  CHECK(flag(one_of(p.fields, "PDF", "Linearized")));
  CHECK(num(one_of(p.fields, "PDF", "Revisions")) == 1);
  CHECK(str(one_of(p.fields, "PDF", "Author", 1)) == "Lin Author");
  CHECK(str(one_of(p.fields, "PDF", "CreateDate", 1)) == "2020-01-01");
  CHECK(num(one_of(p.fields, "PDF", "PageCount")) == 1);
}

TEST_CASE("pdf_meta: Info inside a compressed object stream, trailer in an xref stream") {
  const Parsed p = parse(test::read_data_file("meta/pdf_objstm.pdf"));
  CHECK(p.outcome.warnings.empty());
  const MetaField& author = one_of(p.fields, "PDF", "Author");
  CHECK(str(author) == "Stream Author");
  CHECK_FALSE(author.offset.has_value());  // inside a compressed stream
  CHECK(str(one_of(p.fields, "PDF", "Title")) == "Hi");
  CHECK(num(one_of(p.fields, "PDF", "PageCount")) == 3);
  CHECK(all(p.fields, "PDF", "Custom").empty());  // object 5 is not the Info dictionary
}

TEST_CASE("pdf_meta: dates") {
  std::string iso;
  CHECK(pdf_date_to_iso("D:20230311101007+01'00'", iso));
  CHECK(iso == "2023-03-11T10:10:07+01:00");
  CHECK(pdf_date_to_iso("D:20230311101007-05'30", iso));
  CHECK(iso == "2023-03-11T10:10:07-05:30");
  CHECK(pdf_date_to_iso("D:20230311101007Z00'00'", iso));
  CHECK(iso == "2023-03-11T10:10:07Z");
  CHECK(pdf_date_to_iso("D:202303111010", iso));
  CHECK(iso == "2023-03-11T10:10:00");
  CHECK(pdf_date_to_iso("2023", iso));
  CHECK(iso == "2023");
  CHECK_FALSE(pdf_date_to_iso("D:20231311101007", iso));  // month 13
  CHECK_FALSE(pdf_date_to_iso("D:20230311101007+1", iso));
  CHECK_FALSE(pdf_date_to_iso("D:202", iso));
  CHECK_FALSE(pdf_date_to_iso("yesterday", iso));
}

TEST_CASE("pdf_meta: text strings") {
  std::string out;
  const std::string utf16("\xFE\xFF\x00\x41\xD8\x3D\xDE\x00", 8);
  CHECK(pdf_text_to_utf8(bytes_of(utf16), out));
  CHECK(out == "A\xF0\x9F\x98\x80");
  const std::string lone = "\xFE\xFF\xD8\x3D";
  CHECK_FALSE(pdf_text_to_utf8(bytes_of(lone), out));
  const std::string doc = "\x80\xA0\xE9";
  CHECK(pdf_text_to_utf8(bytes_of(doc), out));
  CHECK(out == "\xE2\x80\xA2\xE2\x82\xAC\xC3\xA9");
}

TEST_CASE("pdf_meta: damage never throws and yields warnings, not guesses") {
  const std::string good = test::read_data_file("meta/pdf_incremental.pdf");
  for (size_t cut : {size_t{0}, size_t{5}, size_t{100}, good.size() / 2, good.size() - 3}) {
    const Parsed p = parse(good.substr(0, cut));
    CHECK(all(p.fields, "PDF", "Revisions").size() == 1);
  }
  // no header, no objects
  Parsed junk = parse(test::random_bytes(5000, 7));
  CHECK_FALSE(junk.outcome.warnings.empty());
  // an Info reference to a missing object
  Parsed missing = parse("%PDF-1.4\ntrailer\n<< /Info 99 0 R >>\n%%EOF\n");
  CHECK(all(missing.fields, "PDF", "Author").empty());
  CHECK_FALSE(missing.outcome.warnings.empty());
  // deep nesting is refused by the depth bound
  std::string deep = "%PDF-1.4\n1 0 obj\n" + std::string(5000, '[') + "\nendobj\ntrailer << /Info 1 0 R >>\n%%EOF";
  Parsed d = parse(deep);
  CHECK(num(one_of(d.fields, "PDF", "Revisions")) == 1);
  // an encrypted file's Info strings are flagged, not shown as text
  Parsed enc = parse(
      "%PDF-1.4\n1 0 obj\n<< /Filter /Standard /V 2 >>\nendobj\n2 0 obj\n<< /Author (\x8a\x01) >>\nendobj\n"
      "trailer\n<< /Info 2 0 R /Encrypt 1 0 R >>\n%%EOF\n");
  CHECK(flag(one_of(enc.fields, "PDF", "Encrypted")));
  CHECK(str(one_of(enc.fields, "PDF", "Encryption")) == "Standard");
  CHECK(one_of(enc.fields, "PDF", "Author").invalid);
}

TEST_CASE("pdf_meta: the field limit stops output with a warning") {
  MetaLimits limits;
  limits.max_fields = 4;
  MetaContext ctx;
  ctx.limits = &limits;
  MetaFields fields;
  MetaOutcome outcome;
  const std::string bytes = test::read_data_file("meta/pdf_incremental.pdf");
  parse_pdf_meta(bytes_of(bytes), ctx, fields, outcome);
  CHECK(fields.size() == 4);
  CHECK_FALSE(outcome.warnings.empty());
}

}  // namespace
}  // namespace trawl::formats
