#include "record/jsonl_reader.hpp"

#include <doctest/doctest.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "record/jsonl_writer.hpp"

namespace trawl::record {
namespace {

Record parse_ok(std::string_view line) {
  auto r = parse_json_record(line);
  INFO("line: " << line);
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? std::string() : r.error().detail));
  return std::move(r).value();
}

/// The detail of the error `line` must produce, after checking its kind.
std::string parse_error(std::string_view line, Errc code = Errc::data_loss, unsigned max_depth = 64) {
  auto r = parse_json_record(line, max_depth);
  INFO("line: " << line);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == code);
  return r.error().detail;
}

std::vector<std::string> keys(const Record& record) {
  std::vector<std::string> out;
  for (const auto& f : record.fields()) out.push_back(f.key);
  return out;
}

void check_same_fields(const Record& a, const Record& b) {
  REQUIRE(a.fields().size() == b.fields().size());
  for (size_t i = 0; i < a.fields().size(); ++i) {
    CHECK(a.fields()[i].key == b.fields()[i].key);
    CHECK(a.fields()[i].value == b.fields()[i].value);
  }
}

/// Runs a JsonlReader over `input` written to a pipe by another thread.
struct ReadAll {
  std::vector<Record> records;
  std::vector<std::pair<uint64_t, std::string>> errors;  // line number, detail
  std::vector<uint64_t> record_lines;
};

ReadAll read_through_pipe(const std::string& input, size_t max_line = 64u << 20) {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  std::thread writer([&input, fd = fds[1]] {
    size_t done = 0;
    while (done < input.size()) {
      const ssize_t n = ::write(fd, input.data() + done, input.size() - done);
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
    ::close(fd);
  });
  ReadAll out;
  JsonlReader reader(fds[0], max_line);
  for (int guard = 0; guard < 1'000'000; ++guard) {
    auto r = reader.next();
    if (!r.ok()) {
      out.errors.emplace_back(reader.line_number(), r.error().detail);
      continue;
    }
    if (!r.value()) break;
    out.records.push_back(std::move(*r.value()));
    out.record_lines.push_back(reader.line_number());
  }
  writer.join();
  ::close(fds[0]);
  return out;
}

}  // namespace

TEST_CASE("JsonlReader: scalars become typed values") {
  const Record r = parse_ok(
      R"({"type":"hit","offset":4096,"delta":-12,"ratio":0.5,"big":1e3,"ok":true,"no":false,"none":null,"s":"x"})");
  CHECK(keys(r) == std::vector<std::string>{"type", "offset", "delta", "ratio", "big", "ok", "no", "none", "s"});
  CHECK(*r.get("type") == Value(std::string("hit")));
  CHECK(*r.get("offset") == Value(uint64_t{4096}));
  CHECK(*r.get("delta") == Value(int64_t{-12}));
  CHECK(*r.get("ratio") == Value(0.5));
  CHECK(*r.get("big") == Value(1000.0));
  CHECK(*r.get("ok") == Value(true));
  CHECK(*r.get("no") == Value(false));
  CHECK(*r.get("none") == Value(std::monostate{}));
  CHECK(r.get_uint("offset") == 4096u);
}

TEST_CASE("JsonlReader: whitespace and empty objects") {
  CHECK(parse_ok("{}").fields().empty());
  CHECK(parse_ok(" \t{ }\r\n ").fields().empty());
  const Record r = parse_ok(" { \"a\" : 1 , \"b\" :\t\"c\" } ");
  CHECK(keys(r) == std::vector<std::string>{"a", "b"});
}

TEST_CASE("JsonlReader: integer limits and big numbers") {
  const Record r = parse_ok(
      R"({"umax":18446744073709551615,"over":18446744073709551616,"imin":-9223372036854775808,)"
      R"("under":-9223372036854775809,"zero":0,"negzero":-0,"exp":1E+2,"frac":-1.25e-1,"huge":1e400,"tiny":1e-400})");
  CHECK(*r.get("umax") == Value(uint64_t{18446744073709551615u}));
  CHECK(*r.get("over") == Value(18446744073709551616.0));
  CHECK(*r.get("imin") == Value(std::numeric_limits<int64_t>::min()));
  CHECK(*r.get("under") == Value(-9223372036854775809.0));
  CHECK(*r.get("zero") == Value(uint64_t{0}));
  // "-0" keeps its sign as a double.
  const auto* negzero = std::get_if<double>(r.get("negzero"));
  REQUIRE(negzero != nullptr);
  CHECK(*negzero == 0.0);
  CHECK(std::signbit(*negzero));
  CHECK(*r.get("exp") == Value(100.0));
  CHECK(*r.get("frac") == Value(-0.125));
  // Beyond the range of double: passed through as written.
  CHECK(*r.get("huge") == Value(RawJson{"1e400"}));
  CHECK(*r.get("tiny") == Value(RawJson{"1e-400"}));
  // Integers with many digits become doubles.
  CHECK(*parse_ok(R"({"n":123456789012345678901234567890})").get("n") == Value(1.2345678901234568e29));
}

TEST_CASE("JsonlReader: nested values pass through verbatim") {
  const std::string line = R"({"a":[1, {"b" : [true,null,"x\"]"]}],"o":{ },"e":[],"last":{"k":[[[]]]}})";
  const Record r = parse_ok(line);
  CHECK(*r.get("a") == Value(RawJson{R"([1, {"b" : [true,null,"x\"]"]}])"}));
  CHECK(*r.get("o") == Value(RawJson{"{ }"}));
  CHECK(*r.get("e") == Value(RawJson{"[]"}));
  CHECK(*r.get("last") == Value(RawJson{R"({"k":[[[]]]})"}));
  std::string again;
  append_json(again, r);
  CHECK(again == R"({"a":[1, {"b" : [true,null,"x\"]"]}],"o":{ },"e":[],"last":{"k":[[[]]]}})");
}

TEST_CASE("JsonlReader: string escapes") {
  const Record r = parse_ok(
      R"({"e":"\"\\\/\b\f\n\r\t","u":"\u0041\u00e9\u20ac\ud83d\ude00","nul":"a\u0000b","raw":"é€😀","k\u0065y":1})");
  CHECK(r.get_string("e") == std::string("\"\\/\b\f\n\r\t"));
  CHECK(r.get_string("u") == std::string("A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"));
  CHECK(r.get_string("nul") == std::string("a\0b", 3));
  CHECK(r.get_string("raw") == std::string("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"));
  CHECK(r.has("key"));
}

TEST_CASE("JsonlReader: duplicate keys, last one wins in the first position") {
  const Record r = parse_ok(R"({"a":1,"b":2,"a":"x"})");
  CHECK(keys(r) == std::vector<std::string>{"a", "b"});
  CHECK(r.get_string("a") == "x");
  // Many keys switch the lookup to an index; duplicates must still collapse.
  std::string line = "{";
  for (int i = 0; i < 100; ++i) line += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  line += "\"k7\":\"seven\",\"k99\":null}";
  const Record many = parse_ok(line);
  CHECK(many.fields().size() == 100);
  CHECK(many.get_string("k7") == "seven");
  CHECK(*many.get("k99") == Value(std::monostate{}));
  CHECK(many.fields()[7].key == "k7");
}

TEST_CASE("JsonlReader: _b64 restores bytes that are not UTF-8") {
  SUBCASE("companion after the display copy") {
    const Record r = parse_ok(R"({"path":"a\ufffd","path_b64":"Yf8=","n":1})");
    CHECK(keys(r) == std::vector<std::string>{"path", "n"});
    CHECK(r.get_string("path") == std::string("a\xFF"));
  }
  SUBCASE("companion alone takes its own position") {
    const Record r = parse_ok(R"({"x":1,"name_b64":"/w==","y":2})");
    CHECK(keys(r) == std::vector<std::string>{"x", "name", "y"});
    CHECK(r.get_string("name") == std::string("\xFF"));
  }
  SUBCASE("companion before the display copy keeps the display copy's position") {
    const Record r = parse_ok(R"({"name_b64":"/w==","x":1,"name":"?"})");
    CHECK(keys(r) == std::vector<std::string>{"x", "name"});
    CHECK(r.get_string("name") == std::string("\xFF"));
  }
  SUBCASE("values that do not decode are left alone") {
    const Record r = parse_ok(R"({"a":"x","a_b64":"not base64","b_b64":12,"c_b64":"Zg"})");
    CHECK(keys(r) == std::vector<std::string>{"a", "a_b64", "b_b64", "c_b64"});
    CHECK(r.get_string("a") == "x");
  }
  SUBCASE("a key that itself ends in _b64") {
    Record original;
    original.set("blob_b64", Value(std::string("\xFE\xFF", 2)));
    std::string json;
    append_json(json, original);
    CHECK(json == "{\"blob_b64\":\"\xEF\xBF\xBD\xEF\xBF\xBD\",\"blob_b64_b64\":\"/v8=\"}");
    check_same_fields(parse_ok(json), original);
  }
}

TEST_CASE("JsonlReader: writing and reading again gives the same record") {
  Record original("hit", "trawl-test");
  original.set("offset", Value(uint64_t{1} << 40));
  original.set("delta", Value(int64_t{-5}));
  original.set("ratio", Value(0.25));
  original.set("flag", Value(true));
  original.set("none", Value(std::monostate{}));
  original.set("path", Value(std::string("dir/\xC3\x28\xFF\x80name", 10)));
  original.set("text", Value(std::string("tab\there \"quoted\" \x01\x7F end")));
  original.set("latin1", Value(std::string("caf\xE9")));
  original.set("nested", Value(RawJson{R"({"a":[1,2]})"}));
  original.set("empty", Value(std::string()));
  std::string json;
  append_json(json, original);
  const Record back = parse_ok(json);
  check_same_fields(back, original);
  std::string again;
  append_json(again, back);
  CHECK(again == json);
}

TEST_CASE("JsonlReader: syntax errors name the byte") {
  CHECK(parse_error("") == "at byte 0: unexpected end of input");
  CHECK(parse_error("   ") == "at byte 3: unexpected end of input");
  CHECK(parse_error("[1]") == "at byte 0: expected an object");
  CHECK(parse_error("\"s\"") == "at byte 0: expected an object");
  CHECK(parse_error("{\"a\":1} x") == "at byte 8: trailing characters after the object");
  CHECK(parse_error("{\"a\":1}{}") == "at byte 7: trailing characters after the object");
  CHECK(parse_error("{\"a\":1") == "at byte 6: unexpected end of input");
  CHECK(parse_error("{a:1}") == "at byte 1: expected a string key");
  CHECK(parse_error("{\"a\" 1}") == "at byte 5: expected ':'");
  CHECK(parse_error("{\"a\":}") == "at byte 5: expected a value");
  CHECK(parse_error("{\"a\":1,}") == "at byte 7: expected a string key");
  CHECK(parse_error("{\"a\":1 \"b\":2}") == "at byte 7: expected ',' or '}'");
  CHECK(parse_error("{\"a\":tru}") == "at byte 5: expected a value");
  CHECK(parse_error("{\"a\":nul") == "at byte 5: expected a value");
  CHECK(parse_error("{\"a\":[1,]}") == "at byte 8: expected a value");
  CHECK(parse_error("{\"a\":[1 2]}") == "at byte 8: expected ',' or ']'");
  CHECK(parse_error("{\"a\":{\"b\"}}") == "at byte 9: expected ':'");
  CHECK(parse_error("{\"a\":{1:2}}") == "at byte 6: expected a string key");
  CHECK(parse_error("{\"a\":[1}") == "at byte 7: expected ',' or ']'");
  CHECK(parse_error("{\"a\":[[]") == "at byte 8: unexpected end of input");
}

TEST_CASE("JsonlReader: number errors") {
  CHECK(parse_error("{\"a\":01}") == "at byte 5: invalid number");
  CHECK(parse_error("{\"a\":-}") == "at byte 5: invalid number");
  CHECK(parse_error("{\"a\":1.}") == "at byte 5: invalid number");
  CHECK(parse_error("{\"a\":.5}") == "at byte 5: expected a value");
  CHECK(parse_error("{\"a\":1e}") == "at byte 5: invalid number");
  CHECK(parse_error("{\"a\":+1}") == "at byte 5: expected a value");
  CHECK(parse_error("{\"a\":0x10}") == "at byte 6: expected ',' or '}'");
  CHECK(parse_error("{\"a\":NaN}") == "at byte 5: expected a value");
  CHECK(parse_error("{\"a\":[-01]}") == "at byte 6: invalid number");
}

TEST_CASE("JsonlReader: string errors") {
  CHECK(parse_error("{\"a\":\"x}") == "at byte 5: unterminated string");
  CHECK(parse_error("{\"a\":\"\\x\"}") == "at byte 6: invalid escape");
  CHECK(parse_error("{\"a\":\"\\") == "at byte 6: invalid escape");
  CHECK(parse_error("{\"a\":\"\\u12g4\"}") == "at byte 6: invalid \\u escape");
  CHECK(parse_error("{\"a\":\"\\u12\"}") == "at byte 6: invalid \\u escape");
  CHECK(parse_error("{\"a\":\"\\ud800\"}") == "at byte 6: lone surrogate escape");
  CHECK(parse_error("{\"a\":\"\\ud800\\u0041\"}") == "at byte 6: lone surrogate escape");
  CHECK(parse_error("{\"a\":\"x\\udc00\"}") == "at byte 7: lone surrogate escape");
  CHECK(parse_error("{\"a\":[\"\\ud83d\"]}") == "at byte 7: lone surrogate escape");
  CHECK(parse_error("{\"a\":\"x\ty\"}") == "at byte 7: raw control character in string");
  CHECK(parse_error(std::string_view("{\"a\":\"\0\"}", 9)) == "at byte 6: raw control character in string");
  CHECK(parse_error("{\"a\":\"\xFF\"}") == "at byte 6: invalid UTF-8 in string");
  CHECK(parse_error("{\"a\":\"\xC0\xAF\"}") == "at byte 6: invalid UTF-8 in string");     // overlong '/'
  CHECK(parse_error("{\"a\":\"\xED\xA0\x80\"}") == "at byte 6: invalid UTF-8 in string");  // encoded surrogate
  CHECK(parse_error("{\"a\xE2\x82\":1}") == "at byte 3: invalid UTF-8 in string");         // truncated, in a key
  CHECK(parse_error("{\"a\":[\"\xFF\"]}") == "at byte 7: invalid UTF-8 in string");
}

TEST_CASE("JsonlReader: limits") {
  CHECK(parse_error("{\"a\":[[1]]}", Errc::resource_exhausted, 2) == "at byte 6: nesting deeper than 2 levels");
  CHECK(parse_ok("{\"a\":[[1]]}").has("a"));
  CHECK(parse_json_record("{\"a\":[1]}", 2).ok());
  CHECK(parse_error("{\"a\":[1]}", Errc::resource_exhausted, 1) == "at byte 5: nesting deeper than 1 levels");
  CHECK(parse_error("{}", Errc::resource_exhausted, 0) == "at byte 0: nesting deeper than 0 levels");
  // Deep nesting is rejected without recursing.
  const std::string deep = "{\"a\":" + std::string(100'000, '[') + std::string(100'000, ']') + "}";
  CHECK(parse_error(deep, Errc::resource_exhausted) == "at byte 68: nesting deeper than 64 levels");
  CHECK(parse_json_record(deep, 200'000).ok());
  std::string wide = "{";
  for (int i = 0; i <= 10'000; ++i) wide += "\"" + std::to_string(i) + "\":0,";
  wide.back() = '}';
  CHECK(parse_error(wide, Errc::resource_exhausted) == "at byte 88891: more than 10000 fields");
}

TEST_CASE("JsonlReader: reads lines from a pipe") {
  const std::string input =
      "# type\toffset\n"
      "{\"type\":\"a\",\"n\":1}\n"
      "\n"
      "{\"type\":\"b\",\"n\":2}\r\n"
      "   \r\n"
      "{\"type\":\"bad\",}\n"
      "{\"type\":\"c\",\"n\":3}\n"
      "{\"type\":\"" + std::string(100, 'x') + "\"}\r\n"
      "#" + std::string(100, 'c') + "\n"
      "{\"type\":\"d\",\"n\":4}";  // no final newline
  const ReadAll all = read_through_pipe(input, 64);
  REQUIRE(all.records.size() == 4);
  CHECK(all.records[0].type() == "a");
  CHECK(all.records[1].type() == "b");
  CHECK(all.records[2].type() == "c");
  CHECK(all.records[3].type() == "d");
  CHECK(all.records[3].get_uint("n") == 4u);
  CHECK(all.record_lines == std::vector<uint64_t>{2, 4, 7, 10});
  REQUIRE(all.errors.size() == 2);
  CHECK(all.errors[0] == std::pair<uint64_t, std::string>{6, "at byte 14: expected a string key"});
  CHECK(all.errors[1] == std::pair<uint64_t, std::string>{8, "line longer than 64 bytes"});
}

TEST_CASE("JsonlReader: line length limit counts the bytes before CRLF") {
  const std::string line = "{\"s\":\"" + std::string(8, 'x') + "\"}";  // 16 bytes
  CHECK(read_through_pipe(line + "\r\n" + line + "\n" + line, 16).records.size() == 3);
  const ReadAll over = read_through_pipe(line + "\r\n" + line + "\n", 15);
  CHECK(over.records.empty());
  CHECK(over.errors.size() == 2);
  CHECK(read_through_pipe("", 16).records.empty());
  CHECK(read_through_pipe("\n\n#\n \n", 0).errors.empty());
  CHECK(read_through_pipe("#" + std::string(1u << 20, '#') + "\n", 16).errors.empty());
}

TEST_CASE("JsonlReader: long input crosses many reads") {
  std::string input;
  for (int i = 0; i < 20'000; ++i) input += "{\"i\":" + std::to_string(i) + ",\"pad\":\"" + std::string(i % 97, 'p') + "\"}\n";
  // An over-long line far larger than one read, then more records.
  input += "{\"x\":\"" + std::string(1u << 20, 'x') + "\"}\n{\"i\":20000}\n";
  const ReadAll all = read_through_pipe(input, 4096);
  REQUIRE(all.records.size() == 20'001);
  size_t out_of_order = 0;
  for (size_t i = 0; i < all.records.size(); ++i) out_of_order += all.records[i].get_uint("i") != i;
  CHECK(out_of_order == 0);
  REQUIRE(all.errors.size() == 1);
  CHECK(all.errors[0] == std::pair<uint64_t, std::string>{20'001, "line longer than 4096 bytes"});
}

TEST_CASE("JsonlReader: a read error is reported") {
  JsonlReader reader(-1);
  auto r = reader.next();
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::io);
  CHECK(r.error().detail == "read: Bad file descriptor");
  auto after = reader.next();
  REQUIRE(after.ok());
  CHECK_FALSE(after.value().has_value());
}

}  // namespace trawl::record
