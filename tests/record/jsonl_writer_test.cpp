#include "record/jsonl_writer.hpp"

#include <doctest/doctest.h>

#include "test_support.hpp"
#include <unistd.h>

#include <csignal>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <limits>
#include <string>

namespace trawl::record {
namespace {

using test::capture;

std::string jsonl(const Record& record) {
  return capture([&](FdOutput& out) {
    JsonlWriter writer(out);
    CHECK(writer.write(record) == SinkStatus::proceed);
  });
}

std::string json(const Record& record) {
  std::string out;
  append_json(out, record);
  return out;
}

}  // namespace

TEST_CASE("JsonlWriter: every value type has its exact JSON text") {
  Record r("file", "test");
  r.set("none", Value{});
  r.set("yes", true);
  r.set("no", false);
  r.set("negative", -5);
  r.set("int_min", std::numeric_limits<int64_t>::min());
  r.set("uint_max", std::numeric_limits<uint64_t>::max());
  r.set("half", 1.5);
  r.set("tenth", 0.1);
  r.set("text", "a \"quoted\" back\\slash /");
  r.set("raw", Value(RawJson{"{\"x\":[1,2.5,null]}"}));
  CHECK(jsonl(r) ==
        "{\"type\":\"file\",\"tool\":\"test\",\"schema\":1,\"none\":null,\"yes\":true,\"no\":false,\"negative\":-5,"
        "\"int_min\":-9223372036854775808,\"uint_max\":18446744073709551615,\"half\":1.5,\"tenth\":0.1,"
        "\"text\":\"a \\\"quoted\\\" back\\\\slash /\",\"raw\":{\"x\":[1,2.5,null]}}\n");
}

TEST_CASE("JsonlWriter: records are one per line, in order") {
  const std::string text = capture([](FdOutput& out) {
    JsonlWriter writer(out);
    for (int i = 0; i < 3; ++i) CHECK(writer.write(Record("n", "test").set("i", i)) == SinkStatus::proceed);
  });
  CHECK(text ==
        "{\"type\":\"n\",\"tool\":\"test\",\"schema\":1,\"i\":0}\n"
        "{\"type\":\"n\",\"tool\":\"test\",\"schema\":1,\"i\":1}\n"
        "{\"type\":\"n\",\"tool\":\"test\",\"schema\":1,\"i\":2}\n");
}

TEST_CASE("JsonlWriter: an empty record is an empty object") { CHECK(jsonl(Record()) == "{}\n"); }

TEST_CASE("JsonlWriter: NaN and infinity are written as null") {
  Record r;
  r.set("nan", std::numeric_limits<double>::quiet_NaN());
  r.set("inf", std::numeric_limits<double>::infinity());
  r.set("ninf", -std::numeric_limits<double>::infinity());
  CHECK(json(r) == "{\"nan\":null,\"inf\":null,\"ninf\":null}");
}

TEST_CASE("JsonlWriter: control characters are escaped") {
  Record r;
  const char bytes[] = "tab\tnl\ncr\rnul\0bs\bff\f\x01\x1f\x7f";
  r.set("c", std::string(bytes, sizeof bytes - 1));
  CHECK(json(r) == "{\"c\":\"tab\\tnl\\ncr\\rnul\\u0000bs\\u0008ff\\u000c\\u0001\\u001f\\u007f\"}");
  std::string s;
  append_json_string(s, "\x1b[31m");
  CHECK(s == "\"\\u001b[31m\"");
}

TEST_CASE("JsonlWriter: valid UTF-8 passes through unescaped and gets no _b64 field") {
  Record r;
  r.set("name", "caf\xC3\xA9 \xF0\x9F\x98\x80");
  CHECK(json(r) == "{\"name\":\"caf\xC3\xA9 \xF0\x9F\x98\x80\"}");
}

TEST_CASE("JsonlWriter: a non-UTF-8 string gets a U+FFFD copy and the exact bytes in key_b64") {
  Record r("file", "test");
  r.set("path", "caf\xE9");
  r.set("size", 4u);
  CHECK(jsonl(r) ==
        "{\"type\":\"file\",\"tool\":\"test\",\"schema\":1,\"path\":\"caf\xEF\xBF\xBD\",\"path_b64\":\"Y2Fm6Q==\",\"size\":4}\n");

  // Control characters and invalid bytes together: the copy is escaped, the base64 exact.
  Record c;
  c.set("v", std::string("\n\xFF\0", 3));
  CHECK(json(c) == "{\"v\":\"\\n\xEF\xBF\xBD\\u0000\",\"v_b64\":\"Cv8A\"}");

  // A truncated sequence: each of its bytes becomes U+FFFD.
  Record t;
  t.set("v", "\xE2\x82");
  CHECK(json(t) == "{\"v\":\"\xEF\xBF\xBD\xEF\xBF\xBD\",\"v_b64\":\"4oI=\"}");
}

TEST_CASE("JsonlWriter: a non-UTF-8 key is written as its U+FFFD copy") {
  Record r;
  r.set("k\xFF", 1);
  CHECK(json(r) == "{\"k\xEF\xBF\xBD\":1}");
}

TEST_CASE("JsonlWriter: writing to a pipe whose reader has gone returns stop") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  ::close(fds[0]);
  const auto previous = std::signal(SIGPIPE, SIG_IGN);
  {
    FdOutput out(fds[1], /*line_buffered=*/true);
    JsonlWriter writer(out);
    CHECK(writer.write(Record("file", "test")) == SinkStatus::stop);
    CHECK(out.broken());
    CHECK(writer.write(Record("file", "test")) == SinkStatus::stop);  // and stays stopped
  }
  {
    // Block-buffered: the broken pipe shows once the buffer is flushed.
    FdOutput out(fds[1]);
    JsonlWriter writer(out);
    SinkStatus status = SinkStatus::proceed;
    int written = 0;
    while (status == SinkStatus::proceed && written < 100000) {
      status = writer.write(Record("file", "test").set("path", std::string(100, 'x')));
      ++written;
    }
    CHECK(status == SinkStatus::stop);
    CHECK(written < 2000);  // within the first 64 KiB buffer
    CHECK_FALSE(out.flush());
  }
  std::signal(SIGPIPE, previous);
  ::close(fds[1]);
}

}  // namespace trawl::record
