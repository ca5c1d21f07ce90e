// Tests of lib/formats/gif_meta on tests/data/meta/comment.gif (a decoder
// fixture with a comment and XMP written by exiftool) against its exiftool
// oracle, plus damage.
#include "formats/gif_meta.hpp"

#include <doctest/doctest.h>

#include "formats/meta_test_support.hpp"
#include "test_support.hpp"

namespace trawl::formats {
namespace {

using namespace test_meta;

TEST_CASE("GifMeta: comment, screen size and the XMP block agree with exiftool") {
  compare_with_exiftool("meta/comment.gif", parse_gif_meta, {"File:Comment", "GIF:ImageWidth", "GIF:ImageHeight"});
  const std::string file = test::read_data_file("meta/comment.gif");
  MetaFields out;
  MetaOutcome outcome;
  parse_gif_meta(bytes_of(file), {}, out, outcome);
  CHECK(outcome.warnings.empty());
  REQUIRE(outcome.embedded.size() == 1);
  const EmbeddedBlock& xmp = outcome.embedded[0];
  CHECK(file.substr(xmp.offset, 9) == "<?xpacket");
  CHECK(file.substr(xmp.offset + xmp.length - 19, 19) == "<?xpacket end='w'?>");
  CHECK(file.substr(*get(out, "File", "Comment").offset, 11) == "GIF comment");
}

TEST_CASE("GifMeta: truncation and bit flips give warnings, never crashes") {
  const std::string file = test::read_data_file("meta/comment.gif");
  MetaFields out;
  MetaOutcome outcome;
  parse_gif_meta(bytes_of(file.substr(0, file.size() / 2)), {}, out, outcome);
  CHECK(has_warning(outcome, "truncated"));
  survive_damage(std::vector<uint8_t>(file.begin(), file.end()), parse_gif_meta, 5);
}

}  // namespace
}  // namespace trawl::formats
