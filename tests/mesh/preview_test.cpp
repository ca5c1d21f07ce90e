#include "mesh/preview.hpp"

#include <doctest/doctest.h>

#include <cstddef>
#include <limits>
#include <string>
#include <set>
#include <vector>

#include "formats/deflate.hpp"
#include "formats/image_decode.hpp"
#include "mesh/primitives.hpp"

namespace trawl::mesh {
namespace {

uint32_t be32(const std::vector<uint8_t>& b, size_t at) {
  return uint32_t{b[at]} << 24 | uint32_t{b[at + 1]} << 16 | uint32_t{b[at + 2]} << 8 | b[at + 3];
}

formats::RgbImage decoded(const std::vector<uint8_t>& png) {
  auto image = formats::decode_image(std::span<const std::byte>(reinterpret_cast<const std::byte*>(png.data()), png.size()));
  REQUIRE_MESSAGE(image.ok(), image.error().detail);
  return std::move(image).value();
}

/// Pixels in the rectangle that differ from the background.
int drawn(const formats::RgbImage& img, uint32_t x0, uint32_t y0, uint32_t x1, uint32_t y1) {
  int n = 0;
  for (uint32_t y = y0 + 2; y + 2 < y1; ++y)  // skip the cell border
    for (uint32_t x = x0 + 2; x + 2 < x1; ++x) {
      const size_t i = (size_t{y} * img.width + x) * 3;
      if (img.rgb[i] != kPreviewBackground[0] || img.rgb[i + 1] != kPreviewBackground[1] ||
          img.rgb[i + 2] != kPreviewBackground[2])
        ++n;
    }
  return n;
}

TEST_CASE("Preview: PNG signature and IHDR size") {
  const auto png = render_preview_png(make_box({20, 20, 20}));
  REQUIRE(png.ok());
  const std::vector<uint8_t> sig = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  REQUIRE(png->size() > 33);
  CHECK(std::vector<uint8_t>(png->begin(), png->begin() + 8) == sig);
  CHECK(be32(*png, 8) == 13);
  CHECK(std::string(png->begin() + 12, png->begin() + 16) == "IHDR");
  CHECK(be32(*png, 16) == 480);
  CHECK(be32(*png, 20) == 360);
  CHECK(be32(*png, 29) == formats::crc32_of(std::span<const uint8_t>(png->data() + 12, 17)));
}

TEST_CASE("Preview: a cube and a tube are drawn in every view") {
  for (const Mesh& m : {make_box({20, 20, 20}), make_tube(10, 4.5, 120)}) {
    const auto png = render_preview_png(m);
    REQUIRE(png.ok());
    const auto img = decoded(*png);
    REQUIRE(img.width == 480);
    REQUIRE(img.height == 360);
    const uint32_t hh = (360 - (7 * 2 + 2)) / 2;
    CHECK(drawn(img, 0, 0, 240, hh) > 100);        // top
    CHECK(drawn(img, 240, 0, 480, hh) > 100);      // front
    CHECK(drawn(img, 0, hh, 240, 2 * hh) > 100);   // side
    CHECK(drawn(img, 240, hh, 480, 2 * hh) > 100); // isometric
    CHECK(drawn(img, 0, 2 * hh, 480, 360) > 20);   // the size label
    std::set<uint32_t> colours;
    for (size_t i = 0; i < img.rgb.size(); i += 3)
      colours.insert(uint32_t{img.rgb[i]} << 16 | uint32_t{img.rgb[i + 1]} << 8 | img.rgb[i + 2]);
    CHECK(colours.size() >= 3);  // background, shaded faces, text: not uniform
  }
}

TEST_CASE("Preview: isometric layout, empty and broken meshes, bad sizes") {
  PreviewOptions iso;
  iso.layout = PreviewLayout::isometric;
  iso.width = 200;
  iso.height = 150;
  const auto png = render_preview_png(make_frame_like(), iso);
  REQUIRE(png.ok());
  const auto img = decoded(*png);
  CHECK(img.width == 200);
  CHECK(drawn(img, 0, 0, 200, 140) > 500);
  Mesh broken = make_box({5, 5, 5});
  broken.triangles.push_back({0, 1, 12345});
  broken.vertices[0][0] = std::numeric_limits<double>::quiet_NaN();
  CHECK(render_preview_png(broken).ok());
  CHECK(render_preview_png(Mesh{}).ok());
  Mesh far = make_box({5, 5, 5});
  far.vertices[3] = {1e300, -1e300, 3e38};  // overflows every projection
  CHECK(render_preview_png(far).ok());
  PreviewOptions zero;
  zero.width = 0;
  CHECK(render_preview_png(make_box({1, 1, 1}), zero).error().code == Errc::invalid_argument);
  PreviewOptions huge;
  huge.height = 100000;
  CHECK(!render_preview_png(make_box({1, 1, 1}), huge).ok());
}

}  // namespace
}  // namespace trawl::mesh
