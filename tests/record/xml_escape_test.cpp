#include "record/xml_escape.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>

namespace trawl::record {
namespace {

std::string escape(std::string_view text) {
  std::string out;
  CHECK(append_xml_escaped(out, text));
  return out;
}

std::string replaced(std::string_view text) {
  std::string out;
  CHECK_FALSE(append_xml_escaped(out, text));
  return out;
}

}  // namespace

TEST_CASE("XmlEscape: markup characters become entities, other text is kept") {
  CHECK(escape("a&b<c>\"d'") == "a&amp;b&lt;c&gt;&quot;d&apos;");
  CHECK(escape("tab\there\nCR\r") == "tab&#x9;here&#xA;CR&#xD;");
  CHECK(escape("Übersicht €") == "Übersicht €");
  CHECK(escape("") == "");
}

TEST_CASE("XmlEscape: bytes that are not UTF-8 and characters XML 1.0 forbids become U+FFFD") {
  std::string out;
  CHECK_FALSE(append_xml_escaped(out, std::string("bell\x07!", 6)));
  CHECK(out == "bell\xEF\xBF\xBD!");
  CHECK(replaced("bad\xFF\xFE") == "bad\xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(replaced("\xEF\xBF\xBE") == "\xEF\xBF\xBD");    // U+FFFE is not an XML character
  CHECK(replaced("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // an encoded surrogate is not UTF-8
  CHECK(replaced(std::string("nul\0", 4)) == "nul\xEF\xBF\xBD");
}

}  // namespace trawl::record
