#include "mesh/primitives.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace trawl::mesh {
namespace {

constexpr double kTau = 2 * std::numbers::pi;

uint32_t add(Mesh& m, double x, double y, double z) {
  m.vertices.push_back({x, y, z});
  return static_cast<uint32_t>(m.vertices.size() - 1);
}

void quad(Mesh& m, uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
  // a b c d counter-clockwise seen from outside.
  m.triangles.push_back({a, b, c});
  m.triangles.push_back({a, c, d});
}

/// Rings of `segments` vertices joined into a closed surface of revolution.
/// `profile` lists (radius, z) from bottom to top; a zero radius is a pole.
Mesh revolve(const std::vector<std::array<double, 2>>& profile, unsigned segments, bool closed_loop) {
  Mesh m;
  std::vector<std::vector<uint32_t>> rings;
  for (const auto& [r, z] : profile) {
    std::vector<uint32_t> ring;
    if (r == 0) {
      ring.assign(segments, add(m, 0, 0, z));
    } else {
      for (unsigned s = 0; s < segments; ++s) {
        const double a = kTau * s / segments;
        ring.push_back(add(m, r * std::cos(a), r * std::sin(a), z));
      }
    }
    rings.push_back(std::move(ring));
  }
  const size_t n = rings.size();
  const size_t bands = closed_loop ? n : n - 1;
  for (size_t k = 0; k < bands; ++k) {
    const auto& lo = rings[k];
    const auto& hi = rings[(k + 1) % n];
    for (unsigned s = 0; s < segments; ++s) {
      const unsigned t = (s + 1) % segments;
      // Outward for a profile walked bottom to top on the outside (anticlockwise in r-z seen from +angle).
      if (lo[s] != lo[t]) m.triangles.push_back({lo[s], lo[t], hi[t]});
      if (hi[s] != hi[t]) m.triangles.push_back({lo[s], hi[t], hi[s]});
    }
  }
  return m;
}

}  // namespace

Mesh make_box(double sx, double sy, double sz) {
  Mesh m;
  for (int i = 0; i < 8; ++i)
    add(m, (i & 1 ? 0.5 : -0.5) * sx, (i & 2 ? 0.5 : -0.5) * sy, (i & 4 ? 0.5 : -0.5) * sz);
  quad(m, 0, 2, 3, 1);  // bottom (-z)
  quad(m, 4, 5, 7, 6);  // top (+z)
  quad(m, 0, 1, 5, 4);  // -y
  quad(m, 2, 6, 7, 3);  // +y
  quad(m, 0, 4, 6, 2);  // -x
  quad(m, 1, 3, 7, 5);  // +x
  return m;
}

Mesh make_cylinder(double radius, double height, unsigned segments) {
  segments = std::max(segments, 3u);
  return revolve({{0, -height / 2}, {radius, -height / 2}, {radius, height / 2}, {0, height / 2}}, segments, false);
}

Mesh make_tube(double outer_radius, double inner_radius, double height, unsigned segments) {
  segments = std::max(segments, 3u);
  const double h = height / 2;
  return revolve({{inner_radius, -h}, {outer_radius, -h}, {outer_radius, h}, {inner_radius, h}}, segments, true);
}

Mesh make_sphere(double radius, unsigned segments, unsigned rings) {
  segments = std::max(segments, 3u);
  rings = std::max(rings, 2u);
  std::vector<std::array<double, 2>> profile;
  for (unsigned k = 0; k <= rings; ++k) {
    const double phi = std::numbers::pi * k / rings;  // from the south pole
    profile.push_back({k == 0 || k == rings ? 0.0 : radius * std::sin(phi), -radius * std::cos(phi)});
  }
  return revolve(profile, segments, false);
}

Mesh make_torus(double major_radius, double minor_radius, unsigned major_segments, unsigned minor_segments) {
  minor_segments = std::max(minor_segments, 3u);
  std::vector<std::array<double, 2>> profile;
  for (unsigned k = 0; k < minor_segments; ++k) {
    const double a = -std::numbers::pi / 2 + kTau * k / minor_segments;  // bottom, outside, top, inside
    profile.push_back({major_radius + minor_radius * std::cos(a), minor_radius * std::sin(a)});
  }
  return revolve(profile, std::max(major_segments, 3u), true);
}

Mesh make_prism(const std::vector<std::array<double, 2>>& outline, double height) {
  Mesh m;
  const size_t n = outline.size();
  if (n < 3) return m;
  for (const auto& p : outline) add(m, p[0], p[1], 0);
  for (const auto& p : outline) add(m, p[0], p[1], height);
  // Ear clipping of the outline (counter-clockwise).
  std::vector<uint32_t> left(n);
  for (size_t i = 0; i < n; ++i) left[i] = static_cast<uint32_t>(i);
  auto cross2 = [&](uint32_t a, uint32_t b, uint32_t c) {
    return (outline[b][0] - outline[a][0]) * (outline[c][1] - outline[a][1]) -
           (outline[b][1] - outline[a][1]) * (outline[c][0] - outline[a][0]);
  };
  std::vector<Triangle> caps;
  for (size_t guard = 0; left.size() > 3 && guard < n * n; ++guard) {
    const size_t k = left.size();
    bool clipped = false;
    for (size_t i = 0; i < k && !clipped; ++i) {
      const uint32_t a = left[(i + k - 1) % k], b = left[i], c = left[(i + 1) % k];
      if (cross2(a, b, c) <= 0) continue;  // reflex corner
      bool inside = false;
      for (const uint32_t p : left)
        if (p != a && p != b && p != c && cross2(a, b, p) >= 0 && cross2(b, c, p) >= 0 && cross2(c, a, p) >= 0)
          inside = true;
      if (inside) continue;
      caps.push_back({a, b, c});
      left.erase(left.begin() + static_cast<std::ptrdiff_t>(i));
      clipped = true;
    }
    if (!clipped) break;
  }
  if (left.size() == 3) caps.push_back({left[0], left[1], left[2]});
  const auto top = static_cast<uint32_t>(n);
  for (const auto& t : caps) {
    m.triangles.push_back({t[0], t[2], t[1]});                    // bottom faces -z
    m.triangles.push_back({t[0] + top, t[1] + top, t[2] + top});  // top faces +z
  }
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t j = static_cast<uint32_t>((i + 1) % n);
    quad(m, i, j, j + top, i + top);
  }
  return m;
}

Matrix3 rotation_matrix(const Vec3& axis, double angle) {
  const double len = std::sqrt(axis[0] * axis[0] + axis[1] * axis[1] + axis[2] * axis[2]);
  const double x = axis[0] / len, y = axis[1] / len, z = axis[2] / len;
  const double c = std::cos(angle), s = std::sin(angle), t = 1 - c;
  return {{{t * x * x + c, t * x * y - s * z, t * x * z + s * y},
           {t * x * y + s * z, t * y * y + c, t * y * z - s * x},
           {t * x * z - s * y, t * y * z + s * x, t * z * z + c}}};
}

void transform(Mesh& mesh, const Matrix3& r, double scale, const Vec3& offset) {
  for (auto& v : mesh.vertices) {
    Vec3 out{};
    for (size_t i = 0; i < 3; ++i) out[i] = scale * (r[i][0] * v[0] + r[i][1] * v[1] + r[i][2] * v[2]) + offset[i];
    v = out;
  }
}

void translate(Mesh& mesh, const Vec3& offset) {
  for (auto& v : mesh.vertices)
    for (size_t i = 0; i < 3; ++i) v[i] += offset[i];
}

void append(Mesh& mesh, const Mesh& part) {
  const auto base = static_cast<uint32_t>(mesh.vertices.size());
  mesh.vertices.insert(mesh.vertices.end(), part.vertices.begin(), part.vertices.end());
  for (const auto& t : part.triangles) mesh.triangles.push_back({t[0] + base, t[1] + base, t[2] + base});
}

}  // namespace trawl::mesh
