#include "record/tsv_writer.hpp"

#include <doctest/doctest.h>

#include "test_support.hpp"
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

namespace trawl::record {
namespace {

using test::capture;

const std::vector<std::string> kColumns = {"type", "path", "size", "deleted", "score", "note"};

std::string tsv(const std::vector<Record>& records, bool header = true) {
  return capture([&](FdOutput& out) {
    TsvWriter writer(out, kColumns, {"file", "hit"}, header);
    for (const auto& r : records) CHECK(writer.write(r) == SinkStatus::proceed);
  });
}

}  // namespace

TEST_CASE("TsvWriter: a header line, then one row per record in column order") {
  Record a("file", "test");
  a.set("path", "/ev/a.txt").set("size", 12u).set("deleted", false).set("score", 0.25).set("note", Value{});
  Record b("hit", "test");
  b.set("note", "last").set("path", "/ev/b.bin").set("size", -3);  // set out of column order
  CHECK(tsv({a, b}) ==
        "#type\tpath\tsize\tdeleted\tscore\tnote\n"
        "file\t/ev/a.txt\t12\tfalse\t0.25\t\n"
        "hit\t/ev/b.bin\t-3\t\t\tlast\n");
}

TEST_CASE("TsvWriter: without a header only rows are written") {
  CHECK(tsv({Record("file", "test").set("path", "p")}, false) == "file\tp\t\t\t\t\n");
}

TEST_CASE("TsvWriter: the header is written once, even before a comment record") {
  Record summary("summary", "test");
  summary.set("items", 2u).set("path", "tab\there");
  CHECK(tsv({summary, Record("file", "test").set("path", "x")}) ==
        "#type\tpath\tsize\tdeleted\tscore\tnote\n"
        "## {\"type\":\"summary\",\"tool\":\"test\",\"schema\":1,\"items\":2,\"path\":\"tab\\there\"}\n"
        "file\tx\t\t\t\t\n");
}

TEST_CASE("TsvWriter: records of other types are written as ## and their JSON") {
  Record error("error", "test");
  error.set("path", "caf\xE9").set("error", "io");
  CHECK(tsv({error}, false) ==
        "## {\"type\":\"error\",\"tool\":\"test\",\"schema\":1,\"path\":\"caf\xEF\xBF\xBD\",\"path_b64\":\"Y2Fm6Q==\","
        "\"error\":\"io\"}\n");
}

TEST_CASE("TsvWriter: tab, newline, carriage return and backslash are escaped") {
  CHECK(tsv_escape("a\tb\nc\rd\\e") == "a\\tb\\nc\\rd\\\\e");
  CHECK(tsv_escape("C:\\Windows\\") == "C:\\\\Windows\\\\");
  CHECK(tsv_escape("") == "");
  Record r("file", "test");
  r.set("path", "two\nlines\tand a tab");
  CHECK(tsv({r}, false) == "file\ttwo\\nlines\\tand a tab\t\t\t\t\n");
}

TEST_CASE("TsvWriter: bytes that are not UTF-8 become \\xHH, valid UTF-8 stays") {
  CHECK(tsv_escape("caf\xE9") == "caf\\xe9");
  CHECK(tsv_escape("caf\xC3\xA9") == "caf\xC3\xA9");
  CHECK(tsv_escape("\xFF\xFE") == "\\xff\\xfe");
  CHECK(tsv_escape("\xE2\x82") == "\\xe2\\x82");             // truncated sequence
  CHECK(tsv_escape("\xC0\xAF") == "\\xc0\\xaf");             // overlong
  CHECK(tsv_escape("\xED\xA0\x80") == "\\xed\\xa0\\x80");    // surrogate
  CHECK(tsv_escape("\xE2\x82\xAC\xE2") == "\xE2\x82\xAC\\xe2");
  // Other control bytes are valid UTF-8 and pass through as they are.
  CHECK(tsv_escape(std::string("a\0b\x01", 4)) == std::string("a\0b\x01", 4));
  Record r("file", "test");
  r.set("path", "dir/\x80name");
  CHECK(tsv({r}, false) == "file\tdir/\\x80name\t\t\t\t\n");
}

TEST_CASE("TsvWriter: a raw JSON value is escaped as text") {
  Record r("file", "test");
  r.set("note", Value(RawJson{"{\"a\":\"x\\ty\"}"}));
  CHECK(tsv({r}, false) == "file\t\t\t\t\t{\"a\":\"x\\\\ty\"}\n");
}

TEST_CASE("TsvWriter: writing to a pipe whose reader has gone returns stop") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  ::close(fds[0]);
  const auto previous = std::signal(SIGPIPE, SIG_IGN);
  {
    FdOutput out(fds[1], /*line_buffered=*/true);
    TsvWriter writer(out, kColumns, {"file"});
    CHECK(writer.write(Record("file", "test")) == SinkStatus::stop);
    CHECK(writer.write(Record("summary", "test")) == SinkStatus::stop);
    CHECK(out.broken());
  }
  std::signal(SIGPIPE, previous);
  ::close(fds[1]);
}

}  // namespace trawl::record
