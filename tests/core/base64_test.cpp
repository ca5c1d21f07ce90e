#include "core/base64.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <string>

namespace trawl {

TEST_CASE("Base64: RFC 4648 section 10 test vectors encode") {
  CHECK(base64_encode("") == "");
  CHECK(base64_encode("f") == "Zg==");
  CHECK(base64_encode("fo") == "Zm8=");
  CHECK(base64_encode("foo") == "Zm9v");
  CHECK(base64_encode("foob") == "Zm9vYg==");
  CHECK(base64_encode("fooba") == "Zm9vYmE=");
  CHECK(base64_encode("foobar") == "Zm9vYmFy");
}

TEST_CASE("Base64: RFC 4648 section 10 test vectors decode") {
  CHECK(base64_decode("") == std::optional<std::string>(""));
  CHECK(base64_decode("Zg==") == std::optional<std::string>("f"));
  CHECK(base64_decode("Zm8=") == std::optional<std::string>("fo"));
  CHECK(base64_decode("Zm9v") == std::optional<std::string>("foo"));
  CHECK(base64_decode("Zm9vYg==") == std::optional<std::string>("foob"));
  CHECK(base64_decode("Zm9vYmE=") == std::optional<std::string>("fooba"));
  CHECK(base64_decode("Zm9vYmFy") == std::optional<std::string>("foobar"));
}

TEST_CASE("Base64: every byte value round-trips, including + and /") {
  std::string all;
  for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
  for (size_t n = 0; n <= all.size(); n += 17) {
    const std::string bytes = all.substr(all.size() - n);
    const std::string text = base64_encode(bytes);
    CHECK(text.size() == (n + 2) / 3 * 4);
    CHECK(base64_decode(text) == std::optional<std::string>(bytes));
  }
  CHECK(base64_encode("\xFB\xFF\xBF") == "+/+/");
  CHECK(base64_encode("caf\xE9") == "Y2Fm6Q==");
  CHECK(base64_decode("+/+/") == std::optional<std::string>("\xFB\xFF\xBF"));
}

TEST_CASE("Base64: bad length or padding is rejected") {
  CHECK_FALSE(base64_decode("Zg"));        // padding missing
  CHECK_FALSE(base64_decode("Zg="));       // length not a multiple of 4
  CHECK_FALSE(base64_decode("Zm9vY"));
  CHECK_FALSE(base64_decode("Z==="));      // three pad characters
  CHECK_FALSE(base64_decode("===="));
  CHECK_FALSE(base64_decode("=Zg="));      // padding first
  CHECK_FALSE(base64_decode("Zg=A"));      // data after padding
  CHECK_FALSE(base64_decode("Zg==Zm9v"));  // padding before the last quantum
  CHECK_FALSE(base64_decode("Zm9v===="));
}

TEST_CASE("Base64: non-canonical padding bits are rejected") {
  // "Zh==" and "Zm9=" decode to "f" and "fo" only if the unused low bits are ignored.
  CHECK_FALSE(base64_decode("Zh=="));
  CHECK_FALSE(base64_decode("Zm9="));
  CHECK_FALSE(base64_decode("Zm9vYh=="));
}

TEST_CASE("Base64: characters outside the alphabet are rejected") {
  CHECK_FALSE(base64_decode("Zm9-"));       // base64url
  CHECK_FALSE(base64_decode("Zm9_"));
  CHECK_FALSE(base64_decode("Zm9v\nYmFy"));  // line breaks are not allowed
  CHECK_FALSE(base64_decode("Zm 9"));
  CHECK_FALSE(base64_decode("Zm9\xC3"));
  CHECK_FALSE(base64_decode(std::string("Zm9\0", 4)));
}

}  // namespace trawl
