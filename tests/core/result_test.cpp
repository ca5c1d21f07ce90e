#include "core/result.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <string>

namespace trawl {
namespace {

Result<int> parse_digit(char c) {
  if (c < '0' || c > '9') return make_error(Errc::invalid_argument, std::string("not a digit: ") + c);
  return c - '0';
}

}  // namespace

TEST_CASE("Result: a value is ok and reachable every way") {
  Result<int> r = parse_digit('7');
  REQUIRE(r.ok());
  CHECK(static_cast<bool>(r));
  CHECK(r.value() == 7);
  CHECK(*r == 7);
  *r = 8;
  CHECK(r.value() == 8);

  Result<std::string> s = std::string("text");
  CHECK(s->size() == 4);
  const Result<std::string>& cs = s;
  CHECK(*cs == "text");
  CHECK(cs->front() == 't');
}

TEST_CASE("Result: a move-only value moves out") {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(42);
  REQUIRE(r.ok());
  std::unique_ptr<int> p = std::move(r).value();
  REQUIRE(p != nullptr);
  CHECK(*p == 42);
}

TEST_CASE("Result: an error carries its kind and detail") {
  Result<int> r = parse_digit('x');
  REQUIRE_FALSE(r.ok());
  CHECK_FALSE(static_cast<bool>(r));
  CHECK(r.error().code == Errc::invalid_argument);
  CHECK(r.error().detail == "not a digit: x");
  // An Error converts implicitly, so errors pass up unchanged.
  auto pass_up = [](const Result<int>& inner) -> Result<std::string> {
    if (!inner) return inner.error();
    return std::to_string(*inner);
  };
  auto up = pass_up(r);
  REQUIRE_FALSE(up.ok());
  CHECK(up.error().code == Errc::invalid_argument);
  CHECK(up.error().detail == "not a digit: x");
  CHECK(pass_up(parse_digit('3')).value() == "3");
}

TEST_CASE("Result: a default Error is internal") {
  const Error e;
  CHECK(e.code == Errc::internal);
  CHECK(e.detail.empty());
}

TEST_CASE("Result: Status is ok or an error") {
  Status good = ok_status();
  CHECK(good.ok());
  Status bad = make_error(Errc::io, "read failed");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == Errc::io);
}

TEST_CASE("Result: error kinds have stable wire names") {
  CHECK(std::string(errc_name(Errc::invalid_argument)) == "invalid_argument");
  CHECK(std::string(errc_name(Errc::not_found)) == "not_found");
  CHECK(std::string(errc_name(Errc::out_of_range)) == "out_of_range");
  CHECK(std::string(errc_name(Errc::data_loss)) == "data_loss");
  CHECK(std::string(errc_name(Errc::unimplemented)) == "unimplemented");
  CHECK(std::string(errc_name(Errc::resource_exhausted)) == "resource_exhausted");
  CHECK(std::string(errc_name(Errc::io)) == "io");
  CHECK(std::string(errc_name(Errc::internal)) == "internal");
  // A value outside the enumeration (memory corruption, a bad cast) still names something.
  CHECK(std::string(errc_name(static_cast<Errc>(99))) == "internal");
}

}  // namespace trawl
