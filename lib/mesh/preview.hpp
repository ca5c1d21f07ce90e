#pragma once
// A small PNG picture of a mesh so an examiner sees what was found without a
// CAD program: a built-in software rasteriser (flat shading, fixed light,
// z-buffer), no GPU or third-party renderer. Layout of the three_views image:
// top view (looking down −z) top left, front view (looking along +y) top
// right, side view (looking along −x) bottom left, all three at one scale;
// a shaded isometric view bottom right; the bounding-box size in mm
// ("180.0x125.3x28.0mm") along the bottom edge in a tiny built-in font.
#include <cstdint>
#include <vector>

#include "core/result.hpp"
#include "mesh/mesh.hpp"

namespace trawl::mesh {

enum class PreviewLayout {
  three_views,  ///< top, front, side and an isometric view in a 2×2 grid
  isometric,    ///< one shaded isometric view filling the image
};

struct PreviewOptions {
  uint32_t width = 480;
  uint32_t height = 360;
  PreviewLayout layout = PreviewLayout::three_views;
};

/// RGB pixels before PNG encoding (rows top to bottom), for tests and callers
/// that embed the picture elsewhere.
struct PreviewImage {
  uint32_t width = 0;
  uint32_t height = 0;
  std::vector<uint8_t> rgb;
};

/// The background colour every view starts from.
inline constexpr uint8_t kPreviewBackground[3] = {246, 246, 246};

/// Renders the mesh. Triangles with out-of-range indices or non-finite
/// coordinates are skipped. Errors: invalid_argument for a side of 0 or over
/// 4096 pixels.
Result<PreviewImage> render_preview(const Mesh& mesh, const PreviewOptions& options = {});

/// render_preview encoded as an 8-bit RGB PNG.
Result<std::vector<uint8_t>> render_preview_png(const Mesh& mesh, const PreviewOptions& options = {});

/// PNG bytes of an RGB image (filter 0, zlib via formats/deflate).
Result<std::vector<uint8_t>> encode_png(const PreviewImage& image);

}  // namespace trawl::mesh
