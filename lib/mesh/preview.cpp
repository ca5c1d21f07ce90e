#include "mesh/preview.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

#include "formats/deflate.hpp"

namespace trawl::mesh {
namespace {

constexpr uint32_t kMaxSide = 4096;

double dot(const Vec3& a, const Vec3& b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }
Vec3 sub(const Vec3& a, const Vec3& b) { return {a[0] - b[0], a[1] - b[1], a[2] - b[2]}; }
Vec3 cross(const Vec3& a, const Vec3& b) {
  return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}
Vec3 normalized(const Vec3& v) {
  const double n = std::sqrt(dot(v, v));
  return n > 0 ? Vec3{v[0] / n, v[1] / n, v[2] / n} : Vec3{0, 0, 0};
}

/// An orthographic camera: screen right, screen up, and towards the viewer.
struct Camera {
  Vec3 right, up, toward;
};

struct Rect {
  int x0, y0, x1, y1;  ///< half-open pixel rectangle
};

class Canvas {
 public:
  Canvas(uint32_t w, uint32_t h)
      : w_(static_cast<int>(w)), h_(static_cast<int>(h)), rgb_(size_t{w} * h * 3), depth_(size_t{w} * h) {
    for (size_t i = 0; i < rgb_.size(); ++i) rgb_[i] = kPreviewBackground[i % 3];
    std::fill(depth_.begin(), depth_.end(), -std::numeric_limits<double>::infinity());
  }

  void put(int x, int y, const std::array<uint8_t, 3>& c) {
    if (x < 0 || y < 0 || x >= w_ || y >= h_) return;
    const size_t i = (static_cast<size_t>(y) * w_ + x) * 3;
    rgb_[i] = c[0], rgb_[i + 1] = c[1], rgb_[i + 2] = c[2];
  }

  /// Fills a screen triangle clipped to `clip`, keeping the nearest depth.
  void triangle(const std::array<std::array<double, 3>, 3>& p, const std::array<uint8_t, 3>& c, const Rect& clip) {
    const double area = (p[1][0] - p[0][0]) * (p[2][1] - p[0][1]) - (p[2][0] - p[0][0]) * (p[1][1] - p[0][1]);
    if (!std::isfinite(area) || std::abs(area) < 1e-12) return;  // also NaN/Inf from huge coordinates
    // Clamped as doubles first: a far-away vertex must not overflow the int cast.
    auto pixel = [](double v, int lo, int hi) { return static_cast<int>(std::clamp(v, double(lo), double(hi))); };
    const int x0 = pixel(std::floor(std::min({p[0][0], p[1][0], p[2][0]})), clip.x0, clip.x1);
    const int x1 = pixel(std::ceil(std::max({p[0][0], p[1][0], p[2][0]})), clip.x0 - 1, clip.x1 - 1);
    const int y0 = pixel(std::floor(std::min({p[0][1], p[1][1], p[2][1]})), clip.y0, clip.y1);
    const int y1 = pixel(std::ceil(std::max({p[0][1], p[1][1], p[2][1]})), clip.y0 - 1, clip.y1 - 1);
    for (int y = y0; y <= y1; ++y) {
      // Only the span the row's centre line crosses, so
      // long thin slivers cost their length, not their bounding box.
      const double py = y + 0.5;
      double lo = 1e300, hi = -1e300;
      for (int e = 0; e < 3; ++e) {
        const auto& a = p[e];
        const auto& b = p[(e + 1) % 3];
        if ((a[1] - py) * (b[1] - py) > 0) continue;
        const double x = a[1] == b[1] ? a[0] : a[0] + (py - a[1]) * (b[0] - a[0]) / (b[1] - a[1]);
        lo = std::min({lo, x, a[1] == b[1] ? b[0] : x});
        hi = std::max({hi, x, a[1] == b[1] ? b[0] : x});
      }
      if (lo > hi) continue;
      const int xs = pixel(std::ceil(lo - 0.5 - 1e-7), x0, x1 + 1);  // pixel centres x + 0.5 within [lo, hi]
      const int xe = pixel(std::floor(hi - 0.5 + 1e-7), x0 - 1, x1);
      for (int x = xs; x <= xe; ++x) {
        const double px = x + 0.5;
        const double w0 = ((p[1][0] - px) * (p[2][1] - py) - (p[2][0] - px) * (p[1][1] - py)) / area;
        const double w1 = ((p[2][0] - px) * (p[0][1] - py) - (p[0][0] - px) * (p[2][1] - py)) / area;
        const double w2 = 1 - w0 - w1;
        if (w0 < 0 || w1 < 0 || w2 < 0) continue;
        const double z = w0 * p[0][2] + w1 * p[1][2] + w2 * p[2][2];
        const size_t i = static_cast<size_t>(y) * w_ + x;
        if (z <= depth_[i]) continue;
        depth_[i] = z;
        put(x, y, c);
      }
    }
  }

  void frame(const Rect& r, const std::array<uint8_t, 3>& c) {
    for (int x = r.x0; x < r.x1; ++x) put(x, r.y0, c), put(x, r.y1 - 1, c);
    for (int y = r.y0; y < r.y1; ++y) put(r.x0, y, c), put(r.x1 - 1, y, c);
  }

  PreviewImage take() && { return {static_cast<uint32_t>(w_), static_cast<uint32_t>(h_), std::move(rgb_)}; }

 private:
  int w_, h_;
  std::vector<uint8_t> rgb_;
  std::vector<double> depth_;
};

/// 3×5 glyphs, one row per entry, bit 2 = leftmost column.
const std::array<uint8_t, 5>* glyph(char c) {
  static const std::array<uint8_t, 5> digits[10] = {
      {7, 5, 5, 5, 7}, {2, 6, 2, 2, 7}, {7, 1, 7, 4, 7}, {7, 1, 7, 1, 7}, {5, 5, 7, 1, 1},
      {7, 4, 7, 1, 7}, {7, 4, 7, 5, 7}, {7, 1, 1, 1, 1}, {7, 5, 7, 5, 7}, {7, 5, 7, 1, 7}};
  static const std::array<uint8_t, 5> x = {0, 5, 2, 5, 0}, dot = {0, 0, 0, 0, 2}, m = {0, 6, 7, 5, 5},
                                      minus = {0, 0, 7, 0, 0};
  if (c >= '0' && c <= '9') return &digits[c - '0'];
  if (c == 'x') return &x;
  if (c == '.') return &dot;
  if (c == 'm') return &m;
  if (c == '-') return &minus;
  return nullptr;
}

void text(Canvas& canvas, int x, int y, const std::string& s, int scale, const std::array<uint8_t, 3>& c) {
  for (char ch : s) {
    if (const auto* g = glyph(ch))
      for (int row = 0; row < 5; ++row)
        for (int col = 0; col < 3; ++col)
          if ((*g)[row] & (4 >> col))
            for (int dy = 0; dy < scale; ++dy)
              for (int dx = 0; dx < scale; ++dx) canvas.put(x + col * scale + dx, y + row * scale + dy, c);
    x += 4 * scale;
  }
}

bool valid_triangle(const Mesh& m, const Triangle& t) {
  for (uint32_t i : t) {
    if (i >= m.vertices.size()) return false;
    for (double c : m.vertices[i])
      if (!std::isfinite(c)) return false;
  }
  return true;
}

/// The 2-D extent of the mesh seen by `cam`: {min x, max x, min y, max y}.
std::array<double, 4> screen_extent(const Mesh& m, const Camera& cam) {
  std::array<double, 4> e = {1e300, -1e300, 1e300, -1e300};
  for (const auto& t : m.triangles) {
    if (!valid_triangle(m, t)) continue;
    for (uint32_t i : t) {
      const double x = dot(m.vertices[i], cam.right), y = dot(m.vertices[i], cam.up);
      e[0] = std::min(e[0], x), e[1] = std::max(e[1], x), e[2] = std::min(e[2], y), e[3] = std::max(e[3], y);
    }
  }
  return e;
}

void draw_view(Canvas& canvas, const Mesh& m, const Camera& cam, const Rect& cell, double scale,
               const std::array<double, 4>& extent) {
  const double cx = (cell.x0 + cell.x1) / 2.0, cy = (cell.y0 + cell.y1) / 2.0;
  const double mx = (extent[0] + extent[1]) / 2, my = (extent[2] + extent[3]) / 2;
  // The light comes from the upper left, in front of the viewer.
  const Vec3 light = normalized({-0.4, 0.6, 0.7});
  for (const auto& t : m.triangles) {
    if (!valid_triangle(m, t)) continue;
    std::array<std::array<double, 3>, 3> p{};
    std::array<Vec3, 3> v{};
    for (int k = 0; k < 3; ++k) {
      const Vec3& q = m.vertices[t[k]];
      v[k] = {dot(q, cam.right), dot(q, cam.up), dot(q, cam.toward)};
      p[k] = {cx + (v[k][0] - mx) * scale, cy - (v[k][1] - my) * scale, v[k][2]};
    }
    const Vec3 n = normalized(cross(sub(v[1], v[0]), sub(v[2], v[0])));
    // |n·l| shades both sides alike, so badly wound files still render.
    const double shade = 0.3 + 0.7 * std::abs(dot(n, light));
    const std::array<uint8_t, 3> colour = {static_cast<uint8_t>(70 * shade + 20), static_cast<uint8_t>(120 * shade + 20),
                                           static_cast<uint8_t>(190 * shade + 30)};
    canvas.triangle(p, colour, cell);
  }
}

std::string size_label(const Mesh& m) {
  std::array<double, 3> lo = {1e300, 1e300, 1e300}, hi = {-1e300, -1e300, -1e300};
  bool any = false;
  for (const auto& t : m.triangles) {
    if (!valid_triangle(m, t)) continue;
    any = true;
    for (uint32_t i : t)
      for (int k = 0; k < 3; ++k) lo[k] = std::min(lo[k], m.vertices[i][k]), hi[k] = std::max(hi[k], m.vertices[i][k]);
  }
  if (!any) return "0x0x0mm";
  char buf[96];
  std::snprintf(buf, sizeof buf, "%.1fx%.1fx%.1fmm", hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]);
  return buf;
}

double fit(const std::array<double, 4>& e, const Rect& cell) {
  const double w = std::max(e[1] - e[0], 1e-9), h = std::max(e[3] - e[2], 1e-9);
  return 0.88 * std::min((cell.x1 - cell.x0) / w, (cell.y1 - cell.y0) / h);
}

}  // namespace

Result<PreviewImage> render_preview(const Mesh& mesh, const PreviewOptions& options) {
  if (options.width == 0 || options.height == 0 || options.width > kMaxSide || options.height > kMaxSide)
    return make_error(Errc::invalid_argument, "preview size must be 1-4096 pixels per side");
  Canvas canvas(options.width, options.height);
  const int w = static_cast<int>(options.width), h = static_cast<int>(options.height);
  const int text_scale = std::max(1, std::min(w, h) / 180);
  const int footer = 7 * text_scale + 2;
  const Camera iso{normalized({-1, 1, 0}), normalized({-1, -1, 2}), normalized({1, 1, 1})};
  const bool has_geometry = std::any_of(mesh.triangles.begin(), mesh.triangles.end(),
                                        [&](const Triangle& t) { return valid_triangle(mesh, t); });
  if (options.layout == PreviewLayout::isometric) {
    const Rect cell{0, 0, w, std::max(1, h - footer)};
    if (has_geometry) {
      const auto e = screen_extent(mesh, iso);
      draw_view(canvas, mesh, iso, cell, fit(e, cell), e);
    }
  } else {
    const int hw = w / 2, hh = std::max(1, (h - footer) / 2);
    const std::array<Camera, 3> cams = {Camera{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}},     // top
                                        Camera{{1, 0, 0}, {0, 0, 1}, {0, -1, 0}},    // front
                                        Camera{{0, -1, 0}, {0, 0, 1}, {-1, 0, 0}}};  // side
    const std::array<Rect, 4> cells = {Rect{0, 0, hw, hh}, Rect{hw, 0, w, hh}, Rect{0, hh, hw, 2 * hh},
                                       Rect{hw, hh, w, 2 * hh}};
    if (has_geometry) {
      double scale = std::numeric_limits<double>::infinity();  // one scale, so views compare
      std::array<std::array<double, 4>, 3> ext{};
      for (int k = 0; k < 3; ++k) {
        ext[k] = screen_extent(mesh, cams[k]);
        scale = std::min(scale, fit(ext[k], cells[k]));
      }
      for (int k = 0; k < 3; ++k) draw_view(canvas, mesh, cams[k], cells[k], scale, ext[k]);
      const auto e = screen_extent(mesh, iso);
      draw_view(canvas, mesh, iso, cells[3], fit(e, cells[3]), e);
    }
    for (const auto& c : cells) canvas.frame(c, {200, 200, 200});
  }
  text(canvas, 2, h - footer + 1, size_label(mesh), text_scale, {30, 30, 30});
  return std::move(canvas).take();
}

Result<std::vector<uint8_t>> encode_png(const PreviewImage& image) {
  if (image.width == 0 || image.height == 0 || image.rgb.size() != size_t{image.width} * image.height * 3)
    return make_error(Errc::invalid_argument, "image buffer does not match its size");
  std::vector<uint8_t> raw;
  raw.reserve((size_t{image.width} * 3 + 1) * image.height);
  for (uint32_t y = 0; y < image.height; ++y) {
    raw.push_back(0);  // filter: none
    const auto row = image.rgb.begin() + static_cast<std::ptrdiff_t>(size_t{y} * image.width * 3);
    raw.insert(raw.end(), row, row + static_cast<std::ptrdiff_t>(image.width) * 3);
  }
  auto z = formats::deflate_zlib(raw, 9);
  if (!z) return z.error();
  std::vector<uint8_t> png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  auto be32 = [](std::vector<uint8_t>& out, uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<uint8_t>(v >> s));
  };
  auto chunk = [&](const char* type, const std::vector<uint8_t>& data) {
    be32(png, static_cast<uint32_t>(data.size()));
    const size_t start = png.size();
    png.insert(png.end(), type, type + 4);
    png.insert(png.end(), data.begin(), data.end());
    be32(png, formats::crc32_of(std::span<const uint8_t>(png.data() + start, png.size() - start)));
  };
  std::vector<uint8_t> ihdr;
  be32(ihdr, image.width);
  be32(ihdr, image.height);
  ihdr.insert(ihdr.end(), {8, 2, 0, 0, 0});  // 8-bit RGB, deflate, filter 0, no interlace
  chunk("IHDR", ihdr);
  chunk("IDAT", *z);
  chunk("IEND", {});
  return png;
}

Result<std::vector<uint8_t>> render_preview_png(const Mesh& mesh, const PreviewOptions& options) {
  auto image = render_preview(mesh, options);
  if (!image) return image.error();
  return encode_png(*image);
}

}  // namespace trawl::mesh
