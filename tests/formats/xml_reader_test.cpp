#include "formats/xml_reader.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>

namespace trawl::formats {
namespace {

std::span<const uint8_t> bytes_of(std::string_view text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

}  // namespace

TEST_CASE("XmlReader: namespaces, prefixes, attributes, text and offsets") {
  const std::string_view doc =
      "\xEF\xBB\xBF<?xml version=\"1.0\"?>\n"
      "<cp:coreProperties xmlns:cp=\"urn:cp\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
      "<dc:creator a=\"1\" dc:b=\"2\">Jane &amp; Joe</dc:creator><plain>x</plain></cp:coreProperties>";
  auto root = parse_xml(bytes_of(doc));
  REQUIRE(root.ok());
  CHECK(root->ns == "urn:cp");
  CHECK(root->local == "coreProperties");
  CHECK(root->prefix == "cp");
  REQUIRE(root->children.size() == 2);
  const XmlElement* creator = root->child("http://purl.org/dc/elements/1.1/", "creator");
  REQUIRE(creator != nullptr);
  CHECK(creator->text == "Jane & Joe");
  CHECK(creator->prefix == "dc");
  CHECK(doc.substr(creator->offset, 11) == "<dc:creator");
  REQUIRE(creator->attribute("", "a") != nullptr);
  CHECK(creator->attribute("", "a")->value == "1");
  CHECK(creator->attribute("http://purl.org/dc/elements/1.1/", "b")->value == "2");
  CHECK(root->child("", "plain")->text == "x");
}

TEST_CASE("XmlReader: malformed documents and limits are errors, not crashes") {
  auto broken = parse_xml(bytes_of("<a><b></a>"));
  REQUIRE_FALSE(broken.ok());
  CHECK(broken.error().code == Errc::data_loss);
  CHECK(broken.error().detail.find("line 1") != std::string::npos);
  CHECK_FALSE(parse_xml(bytes_of("")).ok());
  CHECK_FALSE(parse_xml(bytes_of("just text")).ok());

  std::string deep;
  for (int i = 0; i < 300; ++i) deep += "<x>";
  for (int i = 0; i < 300; ++i) deep += "</x>";
  auto too_deep = parse_xml(bytes_of(deep));
  REQUIRE_FALSE(too_deep.ok());
  CHECK(too_deep.error().code == Errc::resource_exhausted);

  XmlLimits few;
  few.max_elements = 3;
  CHECK_FALSE(parse_xml(bytes_of("<a><b/><c/><d/></a>"), few).ok());

  // Billion laughs: expat's amplification guard refuses it.
  std::string laughs = "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\">";
  char previous = 'a';
  for (char e = 'b'; e <= 'j'; ++e) {
    laughs += std::string("<!ENTITY ") + e + " \"";
    for (int i = 0; i < 10; ++i) laughs += std::string("&") + previous + ";";
    laughs += "\">";
    previous = e;
  }
  laughs += "]><l>&j;</l>";
  CHECK_FALSE(parse_xml(bytes_of(laughs)).ok());
}

}  // namespace trawl::formats
