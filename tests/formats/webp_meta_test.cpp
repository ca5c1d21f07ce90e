// Tests of lib/formats/webp_meta on tests/data/meta/exif.webp (a decoder
// fixture with EXIF and XMP written by exiftool) against its exiftool
// oracle, plus damage.
#include "formats/webp_meta.hpp"

#include <doctest/doctest.h>

#include "formats/meta_test_support.hpp"
#include "test_support.hpp"

namespace trawl::formats {
namespace {

using namespace test_meta;

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
