// Tests of lib/formats/gif_meta and lib/formats/webp_meta on
// tests/data/meta/comment.gif and exif.webp (decoder fixtures with metadata
// written by exiftool) against their exiftool oracles, plus damage.
#include <doctest/doctest.h>

#include "formats/gif_meta.hpp"
#include "formats/meta_test_support.hpp"
#include "formats/webp_meta.hpp"
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

TEST_CASE("WebpMeta: canvas size, EXIF and XMP agree with exiftool") {
  compare_with_exiftool("meta/exif.webp", parse_webp_meta,
                        {"RIFF:ImageWidth", "RIFF:ImageHeight", "File:ExifByteOrder", "IFD0:Make", "ExifIFD:DateTimeOriginal"});
  const std::string file = test::read_data_file("meta/exif.webp");
  MetaFields out;
  MetaOutcome outcome;
  parse_webp_meta(bytes_of(file), {}, out, outcome);
  CHECK(outcome.warnings.empty());
  CHECK(get(out, "IFD0", "Make").path == "EXIF/IFD0/0x010f");
  CHECK(file.substr(*get(out, "IFD0", "Make").offset, 7) == "WebPCam");
  REQUIRE(outcome.embedded.size() == 1);
  CHECK(file.substr(outcome.embedded[0].offset, 9) == "<?xpacket");
}

TEST_CASE("WebpMeta: a lying RIFF size, truncation and bit flips give warnings, never crashes") {
  std::string file = test::read_data_file("meta/exif.webp");
  file[7] = '\x7F';
  MetaFields out;
  MetaOutcome outcome;
  parse_webp_meta(bytes_of(file), {}, out, outcome);
  CHECK(has_warning(outcome, "exceeds"));
  CHECK(find(out, "IFD0", "Make") != nullptr);
  survive_damage(std::vector<uint8_t>(file.begin(), file.end()), parse_webp_meta, 5);
}

}  // namespace
}  // namespace trawl::formats
