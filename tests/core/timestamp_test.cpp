#include "core/timestamp.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <string>

namespace trawl {

TEST_CASE("Timestamp: the epoch and ordinary dates") {
  CHECK(format_rfc3339(0) == "1970-01-01T00:00:00Z");
  CHECK(format_rfc3339(1577836800) == "2020-01-01T00:00:00Z");
  CHECK(format_rfc3339(1709210096) == "2024-02-29T12:34:56Z");
  CHECK(format_rfc3339(2147483647) == "2038-01-19T03:14:07Z");  // past the 32-bit limit next
  CHECK(format_rfc3339(2147483648) == "2038-01-19T03:14:08Z");
  CHECK(format_rfc3339(253402300799) == "9999-12-31T23:59:59Z");
}

TEST_CASE("Timestamp: negative seconds are before 1970") {
  CHECK(format_rfc3339(-1) == "1969-12-31T23:59:59Z");
  CHECK(format_rfc3339(-86400) == "1969-12-31T00:00:00Z");
  CHECK(format_rfc3339(-86401) == "1969-12-30T23:59:59Z");
  CHECK(format_rfc3339(-11644473600) == "1601-01-01T00:00:00Z");  // the Windows FILETIME epoch
}

TEST_CASE("Timestamp: leap years follow the Gregorian 4/100/400 rule") {
  CHECK(format_rfc3339(951782400) == "2000-02-29T00:00:00Z");      // divisible by 400: leap
  CHECK(format_rfc3339(951782400 + 86400) == "2000-03-01T00:00:00Z");
  CHECK(format_rfc3339(-2203891200) == "1900-03-01T00:00:00Z");    // divisible by 100: not leap
  CHECK(format_rfc3339(-2203891200 - 1) == "1900-02-28T23:59:59Z");
  CHECK(format_rfc3339(4107542400) == "2100-03-01T00:00:00Z");
  CHECK(format_rfc3339(4107542400 - 1) == "2100-02-28T23:59:59Z");
  CHECK(format_rfc3339(-11670998400) == "1600-02-29T00:00:00Z");
  CHECK(format_rfc3339(1735603200) == "2024-12-31T00:00:00Z");     // day 366 of a leap year
}

TEST_CASE("Timestamp: nanoseconds appear only when non-zero, without trailing zeros") {
  CHECK(format_rfc3339(0, 0) == "1970-01-01T00:00:00Z");
  CHECK(format_rfc3339(0, 500000000) == "1970-01-01T00:00:00.5Z");
  CHECK(format_rfc3339(0, 123456000) == "1970-01-01T00:00:00.123456Z");
  CHECK(format_rfc3339(0, 1) == "1970-01-01T00:00:00.000000001Z");
  CHECK(format_rfc3339(0, 999999999) == "1970-01-01T00:00:00.999999999Z");
  CHECK(format_rfc3339(-1, 250000000) == "1969-12-31T23:59:59.25Z");
}

TEST_CASE("Timestamp: nanoseconds of a second or more carry into the seconds") {
  // A corrupt time field may hold any 32-bit value; the text must stay RFC 3339.
  CHECK(format_rfc3339(0, 1000000000) == "1970-01-01T00:00:01Z");
  CHECK(format_rfc3339(59, 1500000000) == "1970-01-01T00:01:00.5Z");
  CHECK(format_rfc3339(0, UINT32_MAX) == "1970-01-01T00:00:04.294967295Z");
}

TEST_CASE("Timestamp: now is RFC 3339 UTC") {
  const std::string now = now_rfc3339();
  REQUIRE(now.size() >= 20);
  CHECK(now[4] == '-');
  CHECK(now[10] == 'T');
  CHECK(now.back() == 'Z');
  CHECK(now.substr(0, 4) >= "2024");
}

}  // namespace trawl
