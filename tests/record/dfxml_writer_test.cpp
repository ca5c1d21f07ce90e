#include "record/dfxml_writer.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/utf8.hpp"
#include "test_support.hpp"

namespace trawl::record {
namespace {

using test::capture;

DfxmlRun fixed_run() {
  DfxmlRun run;
  run.program = "hash-match";
  run.version = "0.1.0 test";
  run.command_line = "hash-match --format dfxml 'a b.img'";
  run.start_time = "2026-11-28T21:00:00Z";
  run.sources = {"a b.img"};
  run.host = "examiner<1>";
  run.rusage = false;
  return run;
}

std::string dfxml(const std::vector<Record>& records, DfxmlRun run = fixed_run()) {
  return capture([&](FdOutput& out) {
    DfxmlWriter writer(out, run);
    for (const auto& r : records) CHECK(writer.write(r) == SinkStatus::proceed);
  });
}

Record file_record(const std::string& path) {
  Record r("file", "hash-match");
  r.set("source", "a b.img");
  r.set("path", path);
  r.set("size", 49u);
  r.set("deleted", true);
  r.set("partition", 2u);
  r.set("partition_offset", 37748736u);
  r.set("fs_type", "ext4");
  r.set("fs_path", "notes/secret.txt");
  r.set("inode", "15");
  r.set("mtime", "2020-01-01T00:00:00Z");
  r.set("crtime", "2020-01-01T00:00:00.5Z");
  r.set("atime", "yesterday");  // not a time: left out rather than invalidating the document
  r.set("md5", "8df1c079");
  r.set("sha256", "6e55bc77");
  return r;
}

/// Position of `needle` in `text`, failing the case when it is missing.
size_t at(const std::string& text, const std::string& needle) {
  const size_t pos = text.find(needle);
  CHECK_MESSAGE(pos != std::string::npos, "missing: " << needle);
  return pos;
}

}  // namespace

TEST_CASE("DfxmlWriter: a file record becomes a fileobject with its elements in schema order") {
  const std::string x = dfxml({file_record("a b.img/p2/notes/secret.txt")});
  CHECK(x.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<dfxml ", 0) == 0);
  CHECK(x.find("version=\"1.2.0\"") != std::string::npos);
  CHECK(x.find("<command_line>hash-match --format dfxml &apos;a b.img&apos;</command_line>") != std::string::npos);
  CHECK(x.find("<host>examiner&lt;1&gt;</host>") != std::string::npos);
  CHECK(x.find("<image_filename>a b.img</image_filename>") != std::string::npos);
  // The fileobject's children in the order the schema's sequence requires.
  const std::vector<std::string> order = {
      "<metadata>", "<creator>", "<program>hash-match</program>", "<version>0.1.0 test</version>",
      "<start_time>2026-11-28T21:00:00Z</start_time>", "<source>", "<fileobject>",
      "<filename>notes/secret.txt</filename>", "<partition>2</partition>", "<id>1</id>", "<name_type>r</name_type>",
      "<filesize>49</filesize>", "<unalloc>1</unalloc>", "<alloc>0</alloc>", "<inode>15</inode>",
      "<mtime>2020-01-01T00:00:00Z</mtime>", "<crtime>2020-01-01T00:00:00.5Z</crtime>",
      "<hashdigest type=\"md5\">8df1c079</hashdigest>", "<hashdigest type=\"sha256\">6e55bc77</hashdigest>",
      "<trawl:item type=\"file\" source=\"a b.img\" path=\"a b.img/p2/notes/secret.txt\"", "</fileobject>",
      "</dfxml>"};
  size_t last = 0;
  for (const auto& part : order) {
    const size_t pos = at(x, part);
    CHECK_MESSAGE(pos >= last, part << " is out of order");
    last = pos;
  }
  CHECK(x.find("<atime>") == std::string::npos);
  CHECK(x.find("<byte_runs>") == std::string::npos);  // no offset in the record: no byte run
  CHECK(x.find("<rusage>") == std::string::npos);
}

TEST_CASE("DfxmlWriter: match records annotate the fileobject of their item") {
  Record file = file_record("a b.img/p2/notes/secret.txt");
  Record match = file;
  match.set("type", "match");
  match.set("set", "bad-set");
  match.set("set_kind", "bad");
  match.set("matched", "md5");
  match.set("category", "1");
  Record other = file_record("a b.img/p2/notes/other.txt");
  other.set("fs_path", "notes/other.txt");
  const std::string x = dfxml({file, match, other});
  CHECK(x.find("<trawl:match set=\"bad-set\" set_kind=\"bad\" matched=\"md5\" category=\"1\"/>") != std::string::npos);
  size_t count = 0;
  for (size_t p = 0; (p = x.find("<fileobject>", p)) != std::string::npos; ++p) ++count;
  CHECK(count == 2);
  CHECK(at(x, "trawl:match") < at(x, "notes/other.txt</filename>"));

  SUBCASE("--matches-only: consecutive matches of one item make one fileobject") {
    Record second = match;
    second.set("set", "other-set");
    const std::string y = dfxml({match, second});
    CHECK(y.find("<id>1</id>") != std::string::npos);
    CHECK(y.find("<id>2</id>") == std::string::npos);
    CHECK(y.find("set=\"other-set\"") != std::string::npos);
  }
}

TEST_CASE("DfxmlWriter: images and volumes come before fileobjects, errors after, whatever the record order") {
  Record range("range", "hash-match");
  range.set("source", "disk.img");
  range.set("path", "disk.img/$Unpartitioned");
  range.set("offset", 36700160u);
  range.set("length", 1048576u);
  range.set("area", "unpartitioned");
  range.set("sha1", "abcd");
  Record volume("volume", "hash-match");
  volume.set("source", "disk.img");
  volume.set("path", "disk.img/p2");
  volume.set("partition", 2u);
  volume.set("offset", 37748736u);
  volume.set("length", 16777216u);
  volume.set("fs_type", "ext4");
  Record image("image", "hash-match");
  image.set("source", "disk.img");
  image.set("format", "raw");
  image.set("length", 67108864u);
  image.set("md5", "0123");
  Record error("error", "hash-match");
  error.set("source", "disk.img");
  error.set("error", "data_loss");
  error.set("detail", "bad <block>");
  const std::string x = dfxml({range, error, volume, image});
  CHECK(at(x, "<diskimageobject>") < at(x, "<volume offset=\"37748736\">"));
  CHECK(at(x, "<volume offset=\"37748736\">") < at(x, "<fileobject>"));
  CHECK(at(x, "<fileobject>") < at(x, "<trawl:error"));
  CHECK(x.find("<byte_run img_offset=\"0\" len=\"67108864\">") != std::string::npos);
  CHECK(x.find("<hashdigest type=\"md5\">0123</hashdigest>") != std::string::npos);
  CHECK(x.find("<partition_offset>37748736</partition_offset>") != std::string::npos);
  CHECK(x.find("<ftype_str>ext4</ftype_str>") != std::string::npos);
  CHECK(x.find("<byte_run file_offset=\"0\" img_offset=\"36700160\" len=\"1048576\"/>") != std::string::npos);
  CHECK(x.find("<filesize>1048576</filesize>") != std::string::npos);
  CHECK(x.find("detail=\"bad &lt;block&gt;\"") != std::string::npos);

  SUBCASE("record keys that are not plain attribute names are left out") {
    Record odd = error;
    odd.set("xmlns", "urn:x");
    odd.set("Group:Tag", "v");
    odd.set("with space", "v");
    const std::string y = dfxml({odd});
    CHECK(y.find("<trawl:error type=\"error\" tool=\"hash-match\" schema=\"1\" source=\"disk.img\"") != std::string::npos);
    CHECK(y.find("xmlns=\"urn:x\"") == std::string::npos);
    CHECK(y.find("Group:Tag") == std::string::npos);
    CHECK(y.find("with space") == std::string::npos);
  }
}

TEST_CASE("DfxmlWriter: names that are not UTF-8 are shown with U+FFFD and kept exactly in hex") {
  Record r("file", "hash-match");
  r.set("source", "tree");
  r.set("path", std::string("tree/caf\xE9\x01.txt"));
  const std::string x = dfxml({r});
  CHECK(is_valid_utf8(x));
  CHECK(x.find("<filename>tree/caf\xEF\xBF\xBD\xEF\xBF\xBD.txt</filename>") != std::string::npos);
  CHECK(x.find("<trawl:filename_hex>747265652f636166e9012e747874</trawl:filename_hex>") != std::string::npos);
  CHECK(x.find('\x01') == std::string::npos);
}

TEST_CASE("DfxmlWriter: archive members keep their path, and an empty run is still a document") {
  Record r = file_record("a b.img/p1/docs/bundle.tar.gz!/inner.zip!/sub/x.txt");
  r.set("fs_path", "docs/bundle.tar.gz");
  r.set("member", "inner.zip!/sub/x.txt");
  r.set("container", "a b.img/p1/docs/bundle.tar.gz");
  r.erase("deleted");
  const std::string x = dfxml({r});
  CHECK(x.find("<filename>docs/bundle.tar.gz!/inner.zip!/sub/x.txt</filename>") != std::string::npos);
  CHECK(x.find("member=\"inner.zip!/sub/x.txt\"") != std::string::npos);
  CHECK(x.find("<alloc>") == std::string::npos);
  CHECK(x.find("<inode>") == std::string::npos);  // the record's inode is the container's

  DfxmlRun run = fixed_run();
  run.sources.clear();
  const std::string empty = dfxml({}, run);
  CHECK(empty.find("<source>\n  </source>\n</dfxml>\n") != std::string::npos);
}

}  // namespace trawl::record
