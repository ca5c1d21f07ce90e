#include "mesh/primitives.hpp"

#include <cmath>
#include <numbers>
#include <vector>

namespace trawl::mesh {
namespace {

constexpr double kPi = std::numbers::pi;

uint32_t add_vertex(Mesh& m, double x, double y, double z) {
  m.vertices.push_back({x, y, z});
  return static_cast<uint32_t>(m.vertices.size() - 1);
}

/// Extrudes a closed ring between z0 and z1: `outer` counter-clockwise seen
/// from +z; `inner` (same count, same angular order) the hole, or empty for a
/// solid prism capped by fans from the outer ring's centroid. One builder for
/// cylinders, tubes and blocks with holes keeps every winding in one place.
Mesh extrude_ring(const std::vector<std::array<double, 2>>& outer, const std::vector<std::array<double, 2>>& inner,
                  double z0, double z1) {
  Mesh m;
  const auto n = static_cast<uint32_t>(outer.size());
  if (n < 3) return m;
  const bool holed = inner.size() == outer.size();
  for (const auto& p : outer) add_vertex(m, p[0], p[1], z0);
  for (const auto& p : outer) add_vertex(m, p[0], p[1], z1);
  const uint32_t ob = 0, ot = n;
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t j = (i + 1) % n;
    m.triangles.push_back({ob + i, ob + j, ot + j});
    m.triangles.push_back({ob + i, ot + j, ot + i});
  }
  if (holed) {
    const uint32_t ib = 2 * n, it = 3 * n;
    for (const auto& p : inner) add_vertex(m, p[0], p[1], z0);
    for (const auto& p : inner) add_vertex(m, p[0], p[1], z1);
    for (uint32_t i = 0; i < n; ++i) {
      const uint32_t j = (i + 1) % n;
      m.triangles.push_back({ib + i, it + j, ib + j});  // bore wall faces the axis
      m.triangles.push_back({ib + i, it + i, it + j});
      m.triangles.push_back({ot + i, ot + j, it + j});  // top ring
      m.triangles.push_back({ot + i, it + j, it + i});
      m.triangles.push_back({ob + i, ib + j, ob + j});  // bottom ring
      m.triangles.push_back({ob + i, ib + i, ib + j});
    }
  } else {
    double cx = 0, cy = 0;
    for (const auto& p : outer) cx += p[0], cy += p[1];
    cx /= n, cy /= n;
    const uint32_t cb = add_vertex(m, cx, cy, z0), ct = add_vertex(m, cx, cy, z1);
    for (uint32_t i = 0; i < n; ++i) {
      const uint32_t j = (i + 1) % n;
      m.triangles.push_back({ct, ot + i, ot + j});
      m.triangles.push_back({cb, ob + j, ob + i});
    }
  }
  return m;
}

std::vector<std::array<double, 2>> circle(double r, uint32_t segments) {
  std::vector<std::array<double, 2>> pts;
  for (uint32_t i = 0; i < segments; ++i) {
    const double a = 2 * kPi * i / segments;
    pts.push_back({r * std::cos(a), r * std::sin(a)});
  }
  return pts;
}

/// A rectangle's outline with `per_side` points per side, corners included,
/// counter-clockwise from (+hx, -hy).
std::vector<std::array<double, 2>> rectangle(double hx, double hy, uint32_t per_side) {
  const std::array<std::array<double, 2>, 4> corners = {{{hx, -hy}, {hx, hy}, {-hx, hy}, {-hx, -hy}}};
  std::vector<std::array<double, 2>> pts;
  for (int s = 0; s < 4; ++s) {
    const auto& a = corners[s];
    const auto& b = corners[(s + 1) % 4];
    for (uint32_t k = 0; k < per_side; ++k) {
      const double t = static_cast<double>(k) / per_side;
      pts.push_back({a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t});
    }
  }
  return pts;
}

/// Rectangular block (sx × sy × length along z) with a centred round hole.
Mesh rect_block_with_hole(double sx, double sy, double hole_radius, double length, uint32_t segments) {
  const uint32_t per_side = segments < 8 ? 2 : segments / 4;
  auto outer = rectangle(sx / 2, sy / 2, per_side);
  std::vector<std::array<double, 2>> inner;
  for (const auto& p : outer) {
    const double a = std::atan2(p[1], p[0]);
    inner.push_back({hole_radius * std::cos(a), hole_radius * std::sin(a)});
  }
  return extrude_ring(outer, inner, -length / 2, length / 2);
}

}  // namespace

void append(Mesh& into, const Mesh& piece) {
  const auto base = static_cast<uint32_t>(into.vertices.size());
  into.vertices.insert(into.vertices.end(), piece.vertices.begin(), piece.vertices.end());
  for (const auto& t : piece.triangles) into.triangles.push_back({t[0] + base, t[1] + base, t[2] + base});
}

Mesh translated(Mesh m, const Vec3& offset) {
  for (auto& v : m.vertices)
    for (int k = 0; k < 3; ++k) v[k] += offset[k];
  return m;
}

Mesh rotated(Mesh m, int axis, double degrees) {
  const double a = degrees * kPi / 180, c = std::cos(a), s = std::sin(a);
  const int i = (axis + 1) % 3, j = (axis + 2) % 3;
  for (auto& v : m.vertices) {
    const double p = v[i], q = v[j];
    v[i] = c * p - s * q;
    v[j] = s * p + c * q;
  }
  return m;
}

Mesh make_box(const Vec3& size) {
  return extrude_ring(rectangle(size[0] / 2, size[1] / 2, 1), {}, -size[2] / 2, size[2] / 2);
}

Mesh make_cylinder(double radius, double length, uint32_t segments) {
  return extrude_ring(circle(radius, segments), {}, -length / 2, length / 2);
}

Mesh make_tube(double outer_radius, double bore_radius, double length, uint32_t segments) {
  return extrude_ring(circle(outer_radius, segments), circle(bore_radius, segments), -length / 2, length / 2);
}

Mesh make_block_with_hole(double side, double hole_radius, double length, uint32_t segments) {
  return rect_block_with_hole(side, side, hole_radius, length, segments);
}

Mesh make_sphere(double radius, uint32_t slices, uint32_t stacks) {
  Mesh m;
  if (slices < 3 || stacks < 2) return m;
  const uint32_t top = add_vertex(m, 0, 0, radius);
  for (uint32_t k = 1; k < stacks; ++k) {
    const double phi = kPi * k / stacks;
    for (uint32_t i = 0; i < slices; ++i) {
      const double th = 2 * kPi * i / slices;
      add_vertex(m, radius * std::sin(phi) * std::cos(th), radius * std::sin(phi) * std::sin(th),
                 radius * std::cos(phi));
    }
  }
  const uint32_t bottom = add_vertex(m, 0, 0, -radius);
  auto at = [&](uint32_t ring, uint32_t i) { return 1 + ring * slices + i % slices; };
  for (uint32_t i = 0; i < slices; ++i) m.triangles.push_back({top, at(0, i), at(0, i + 1)});
  for (uint32_t k = 0; k + 1 < stacks - 1; ++k)
    for (uint32_t i = 0; i < slices; ++i) {
      m.triangles.push_back({at(k, i), at(k + 1, i), at(k + 1, i + 1)});
      m.triangles.push_back({at(k, i), at(k + 1, i + 1), at(k, i + 1)});
    }
  for (uint32_t i = 0; i < slices; ++i) m.triangles.push_back({bottom, at(stacks - 2, i + 1), at(stacks - 2, i)});
  return m;
}

Mesh make_torus(double major_radius, double minor_radius, uint32_t major_segments, uint32_t minor_segments) {
  Mesh m;
  if (major_segments < 3 || minor_segments < 3) return m;
  for (uint32_t i = 0; i < major_segments; ++i) {
    const double u = 2 * kPi * i / major_segments;
    for (uint32_t j = 0; j < minor_segments; ++j) {
      const double v = 2 * kPi * j / minor_segments;
      const double r = major_radius + minor_radius * std::cos(v);
      add_vertex(m, r * std::cos(u), r * std::sin(u), minor_radius * std::sin(v));
    }
  }
  auto at = [&](uint32_t i, uint32_t j) { return (i % major_segments) * minor_segments + j % minor_segments; };
  for (uint32_t i = 0; i < major_segments; ++i)
    for (uint32_t j = 0; j < minor_segments; ++j) {
      m.triangles.push_back({at(i, j), at(i + 1, j), at(i + 1, j + 1)});
      m.triangles.push_back({at(i, j), at(i + 1, j + 1), at(i, j + 1)});
    }
  return m;
}

Mesh make_cone(double radius, double length, uint32_t segments) {
  Mesh m;
  if (segments < 3) return m;
  for (const auto& p : circle(radius, segments)) add_vertex(m, p[0], p[1], -length / 2);
  const uint32_t apex = add_vertex(m, 0, 0, length / 2), base = add_vertex(m, 0, 0, -length / 2);
  for (uint32_t i = 0; i < segments; ++i) {
    const uint32_t j = (i + 1) % segments;
    m.triangles.push_back({i, j, apex});
    m.triangles.push_back({base, j, i});
  }
  return m;
}

Mesh make_l_bracket(double length, double width, double height, double thickness) {
  Mesh m = translated(make_box({length, width, thickness}), {0, 0, thickness / 2});
  append(m, translated(make_box({length, thickness, height - thickness}),
                       {0, -width / 2 + thickness / 2, thickness + (height - thickness) / 2}));
  return m;
}

Mesh make_plate_with_holes(double x, double y, double thickness, uint32_t holes_x, uint32_t holes_y,
                           double hole_radius) {
  if (holes_x == 0 || holes_y == 0) return make_box({x, y, thickness});
  Mesh m;
  const double cx = x / holes_x, cy = y / holes_y;
  for (uint32_t i = 0; i < holes_x; ++i)
    for (uint32_t j = 0; j < holes_y; ++j)
      append(m, translated(rect_block_with_hole(cx, cy, hole_radius, thickness, 24),
                           {-x / 2 + cx * (i + 0.5), -y / 2 + cy * (j + 0.5), 0}));
  return m;
}

Mesh make_disc_stack(uint32_t count, double outer_radius, double bore_radius, double disc_length, double gap,
                     uint32_t segments) {
  Mesh m;
  const double pitch = disc_length + gap;
  const double start = -(count > 0 ? (count - 1) * pitch : 0) / 2;
  for (uint32_t k = 0; k < count; ++k)
    append(m, translated(make_tube(outer_radius, bore_radius, disc_length, segments), {0, 0, start + k * pitch}));
  return m;
}

Mesh make_slotted_rail(double length, double width, double height, uint32_t slots, double pitch, double slot_width,
                       double slot_depth) {
  Mesh m;
  std::vector<double> cuts;  // alternating slot start/end along x
  const double first = -(slots > 0 ? (slots - 1) * pitch : 0) / 2;
  for (uint32_t k = 0; k < slots; ++k) {
    cuts.push_back(first + k * pitch - slot_width / 2);
    cuts.push_back(first + k * pitch + slot_width / 2);
  }
  double x = -length / 2;
  auto piece = [&](double x0, double x1, double h) {
    if (x1 - x0 <= 0) return;
    append(m, translated(make_box({x1 - x0, width, h}), {(x0 + x1) / 2, 0, h / 2}));
  };
  for (size_t k = 0; k + 1 < cuts.size(); k += 2) {
    piece(x, cuts[k], height);
    piece(cuts[k], cuts[k + 1], height - slot_depth);
    x = cuts[k + 1];
  }
  piece(x, length / 2, height);
  return m;
}

Mesh make_frame_like(const FrameLikeOptions& o) {
  Mesh m;
  const double cell = 12;  // width of a slab cell that carries a pin hole
  std::vector<double> centres;
  for (uint32_t k = 0; k < o.pin_holes; ++k)
    centres.push_back(o.pin_holes == 1 ? 0 : -o.length / 4 + k * (o.length / 2) / (o.pin_holes - 1));
  double x = -o.length / 2;
  for (double c : centres) {
    const double x0 = c - cell / 2;
    if (x0 > x) append(m, translated(make_box({x0 - x, o.slab_height, o.thickness}), {(x + x0) / 2, 0, 0}));
    append(m, translated(rect_block_with_hole(cell, o.slab_height, o.pin_radius, o.thickness, 24), {c, 0, 0}));
    x = c + cell / 2;
  }
  if (x < o.length / 2)
    append(m, translated(make_box({o.length / 2 - x, o.slab_height, o.thickness}), {(x + o.length / 2) / 2, 0, 0}));
  // The grip hangs from the slab's underside near the rear, tilted about z.
  Mesh grip = translated(make_box({o.grip_width, o.grip_length, o.thickness * 0.9}), {0, -o.grip_length / 2, 0});
  grip = rotated(std::move(grip), 2, o.grip_degrees);
  // Shifted forward by its tilt so the whole part stays within `length`.
  const double shift = o.grip_length * std::sin(o.grip_degrees * kPi / 180);
  append(m, translated(std::move(grip), {o.length / 2 - o.grip_width / 2 - 10 - shift, -o.slab_height / 2, 0}));
  return m;
}

Mesh make_box(double sx, double sy, double sz) {
  Mesh m;
  for (int i = 0; i < 8; ++i)
    m.vertices.push_back({(i & 1 ? 0.5 : -0.5) * sx, (i & 2 ? 0.5 : -0.5) * sy, (i & 4 ? 0.5 : -0.5) * sz});
  // Six faces as two triangles each, counter-clockwise seen from outside.
  const uint32_t faces[6][4] = {{0, 2, 3, 1}, {4, 5, 7, 6}, {0, 1, 5, 4}, {2, 6, 7, 3}, {0, 4, 6, 2}, {1, 3, 7, 5}};
  for (const auto& f : faces) {
    m.triangles.push_back({f[0], f[1], f[2]});
    m.triangles.push_back({f[0], f[2], f[3]});
  }
  return m;
}

Mesh make_prism(const std::vector<std::array<double, 2>>& outline, double height) {
  Mesh m;
  const size_t n = outline.size();
  if (n < 3) return m;
  for (const auto& p : outline) m.vertices.push_back({p[0], p[1], 0.0});
  for (const auto& p : outline) m.vertices.push_back({p[0], p[1], height});
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
    m.triangles.push_back({i, j, j + top});  // side quad, counter-clockwise from outside
    m.triangles.push_back({i, j + top, i + top});
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

}  // namespace trawl::mesh
