// Geometry cues by cheap ray casting: a box around the part (the smaller of
// the axis-aligned and the PCA-oriented one), then rays along and across its
// axes. Each ray tests every triangle; the sampling step grows with the
// triangle count so the whole pass stays within CueConfig's budget (O(n)).
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "mesh/cue_table.hpp"
#include "mesh/cues.hpp"

namespace trawl::mesh {
namespace {

namespace ct = cue_table;
constexpr double kInf = std::numeric_limits<double>::infinity();

Vec3 add(const Vec3& a, const Vec3& b) { return {a[0] + b[0], a[1] + b[1], a[2] + b[2]}; }
Vec3 sub(const Vec3& a, const Vec3& b) { return {a[0] - b[0], a[1] - b[1], a[2] - b[2]}; }
Vec3 mul(const Vec3& a, double s) { return {a[0] * s, a[1] * s, a[2] * s}; }
double dot(const Vec3& a, const Vec3& b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }
Vec3 cross(const Vec3& a, const Vec3& b) {
  return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

/// A box with axes sorted by extent, longest first.
struct Box {
  std::array<Vec3, 3> axis;
  std::array<double, 3> extent;
  Vec3 center;
  double volume() const { return extent[0] * extent[1] * extent[2]; }
};

Box box_along(const Mesh& m, const std::array<Vec3, 3>& axes) {
  std::array<double, 3> lo = {kInf, kInf, kInf}, hi = {-kInf, -kInf, -kInf};
  for (const auto& v : m.vertices)
    for (int k = 0; k < 3; ++k) {
      const double p = dot(v, axes[k]);
      lo[k] = std::min(lo[k], p);
      hi[k] = std::max(hi[k], p);
    }
  std::array<int, 3> order = {0, 1, 2};
  std::sort(order.begin(), order.end(), [&](int a, int b) { return hi[a] - lo[a] > hi[b] - lo[b]; });
  Box b{};
  b.center = {0, 0, 0};
  for (int k = 0; k < 3; ++k) {
    b.axis[k] = axes[order[k]];
    b.extent[k] = hi[order[k]] - lo[order[k]];
    b.center = add(b.center, mul(axes[k], (lo[k] + hi[k]) / 2));
  }
  return b;
}

/// Eigenvectors of a symmetric 3×3 matrix by Jacobi rotations.
std::array<Vec3, 3> eigenvectors(std::array<std::array<double, 3>, 3> a) {
  std::array<std::array<double, 3>, 3> v = {{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}};
  for (int sweep = 0; sweep < 32; ++sweep) {
    const double off = std::abs(a[0][1]) + std::abs(a[0][2]) + std::abs(a[1][2]);
    if (off < 1e-12 * (std::abs(a[0][0]) + std::abs(a[1][1]) + std::abs(a[2][2]) + 1e-300)) break;
    for (int p = 0; p < 2; ++p)
      for (int q = p + 1; q < 3; ++q) {
        if (a[p][q] == 0) continue;
        const double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const double t = (theta >= 0 ? 1 : -1) / (std::abs(theta) + std::sqrt(theta * theta + 1));
        const double c = 1 / std::sqrt(t * t + 1), s = t * c;
        for (int k = 0; k < 3; ++k) {  // A = Jᵀ A J
          const double akp = a[k][p], akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (int k = 0; k < 3; ++k) {
          const double apk = a[p][k], aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
        for (int k = 0; k < 3; ++k) {
          const double vkp = v[k][p], vkq = v[k][q];
          v[k][p] = c * vkp - s * vkq;
          v[k][q] = s * vkp + c * vkq;
        }
      }
  }
  return {Vec3{v[0][0], v[1][0], v[2][0]}, Vec3{v[0][1], v[1][1], v[2][1]}, Vec3{v[0][2], v[1][2], v[2][2]}};
}

/// The tighter of the axis-aligned box and the box along the principal axes
/// of the area-weighted triangle centroids (undoes arbitrary placement, while
/// an axis-aligned L-shaped part keeps its natural box).
Box bounding_box(const Mesh& m) {
  const Box aligned = box_along(m, {Vec3{1, 0, 0}, Vec3{0, 1, 0}, Vec3{0, 0, 1}});
  double area = 0;
  Vec3 mean = {0, 0, 0};
  std::vector<std::pair<Vec3, double>> centroids;
  centroids.reserve(m.triangles.size());
  for (const auto& t : m.triangles) {
    const auto &a = m.vertices[t[0]], &b = m.vertices[t[1]], &c = m.vertices[t[2]];
    const Vec3 n = cross(sub(b, a), sub(c, a));
    const double w = std::sqrt(dot(n, n)) / 2;
    const Vec3 g = mul(add(add(a, b), c), 1.0 / 3);
    centroids.push_back({g, w});
    area += w;
    mean = add(mean, mul(g, w));
  }
  if (!(area > 0)) return aligned;
  mean = mul(mean, 1 / area);
  std::array<std::array<double, 3>, 3> cov{};
  for (const auto& [g, w] : centroids) {
    const Vec3 d = sub(g, mean);
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j) cov[i][j] += w * d[i] * d[j];
  }
  Box oriented = box_along(m, eigenvectors(cov));
  // PCA tilts the in-plane axes of asymmetric parts (a slab with an angled
  // grip); turning them about the shortest axis in 1° steps finds the tighter
  // rectangle. 90 projections: still O(n).
  const Vec3 a = oriented.axis[0], b = oriented.axis[1], c = oriented.axis[2];
  for (int deg = 1; deg < 90; ++deg) {
    const double r = deg * 3.141592653589793 / 180;
    const Vec3 u = add(mul(a, std::cos(r)), mul(b, std::sin(r))), v = add(mul(a, -std::sin(r)), mul(b, std::cos(r)));
    const Box turned = box_along(m, {u, v, c});
    if (turned.volume() < oriented.volume()) oriented = turned;
  }
  return oriented.volume() < aligned.volume() * 0.98 ? oriented : aligned;
}

/// Distance to the first triangle the ray meets (kInf when none).
double first_hit(const Mesh& m, const Vec3& origin, const Vec3& dir) {
  constexpr double kEps = 1e-9;
  double best = kInf;
  for (const auto& t : m.triangles) {
    const auto &a = m.vertices[t[0]], &b = m.vertices[t[1]], &c = m.vertices[t[2]];
    const Vec3 e1 = sub(b, a), e2 = sub(c, a);
    const Vec3 p = cross(dir, e2);
    const double det = dot(e1, p);
    if (std::abs(det) < 1e-14) continue;
    const double inv = 1 / det;
    const Vec3 s = sub(origin, a);
    const double u = dot(s, p) * inv;
    if (u < -kEps || u > 1 + kEps) continue;
    const Vec3 q = cross(s, e1);
    const double v = dot(dir, q) * inv;
    if (v < -kEps || u + v > 1 + kEps) continue;
    const double dist = dot(e2, q) * inv;
    if (dist > 1e-9 && dist < best) best = dist;
  }
  return best;
}

struct Context {
  const Mesh& mesh;
  Box box;
  double rays;  ///< rays each cue may cast within the budget
};

Vec3 point_in_box(const Box& b, double u0, double u1, double u2) {
  return add(b.center, add(add(mul(b.axis[0], u0), mul(b.axis[1], u1)), mul(b.axis[2], u2)));
}

bool frame_envelope(const Box& b) {
  const auto in = [](double v, const double (&r)[2]) { return v >= r[0] && v <= r[1]; };
  return in(b.extent[0], ct::kFrameLong) && in(b.extent[1], ct::kFrameMid) && in(b.extent[2], ct::kFrameShort);
}

/// Small through-holes across the shortest axis: a grid of rays along it;
/// enclosed regions of misses are holes, sized by their area.
void pin_holes(const Context& cx, std::vector<Cue>& cues) {
  const Box& b = cx.box;
  const double step = std::max(0.8, std::sqrt(b.extent[0] * b.extent[1] / cx.rays));
  if (step > 1.6) return;  // too coarse to see 4 mm holes on a mesh this large
  const int nx = static_cast<int>(b.extent[0] / step) + 1, ny = static_cast<int>(b.extent[1] / step) + 1;
  std::vector<char> miss(static_cast<size_t>(nx) * ny, 0);
  // The 0.37 offset keeps rays off the edges of an axis-aligned tessellation.
  for (int i = 0; i < nx; ++i)
    for (int j = 0; j < ny; ++j) {
      const Vec3 o = point_in_box(b, -b.extent[0] / 2 + (i + 0.37) * step, -b.extent[1] / 2 + (j + 0.37) * step,
                                  -b.extent[2] / 2 - 1);
      miss[static_cast<size_t>(i) * ny + j] = first_hit(cx.mesh, o, b.axis[2]) == kInf;
    }
  std::vector<char> seen(miss.size(), 0);
  std::vector<double> diameters;
  std::vector<int> stack;
  for (int start = 0; start < nx * ny; ++start) {
    if (!miss[start] || seen[start]) continue;
    bool border = false;
    int cells = 0;
    stack.assign(1, start);
    seen[start] = 1;
    while (!stack.empty()) {
      const int c = stack.back();
      stack.pop_back();
      ++cells;
      const int i = c / ny, j = c % ny;
      if (i == 0 || j == 0 || i == nx - 1 || j == ny - 1) border = true;
      const int nb[4][2] = {{i - 1, j}, {i + 1, j}, {i, j - 1}, {i, j + 1}};
      for (const auto& p : nb) {
        if (p[0] < 0 || p[1] < 0 || p[0] >= nx || p[1] >= ny) continue;
        const int k = p[0] * ny + p[1];
        if (miss[k] && !seen[k]) seen[k] = 1, stack.push_back(k);
      }
    }
    if (!border) diameters.push_back(2 * std::sqrt(cells * step * step / 3.141592653589793));
  }
  std::vector<double> pins;
  for (double d : diameters)
    if (d >= ct::kPinDiameter[0] && d <= ct::kPinDiameter[1]) pins.push_back(d);
  if (static_cast<int>(pins.size()) < ct::kPinMinCount) return;
  const auto [lo, hi] = std::minmax_element(pins.begin(), pins.end());
  cues.push_back({"geometry.pin_holes", "geometry", ct::kPinHolesWeight,
                  std::to_string(pins.size()) + " small through-holes of " + fmt(*lo) + "-" + fmt(*hi) +
                      " mm across the " + fmt(b.extent[2]) + " mm thickness of a frame-sized part"});
}

/// Radial first-hit distances from a point on axis `k` of the box, in four
/// directions across it; kInf where a ray leaves without hitting.
std::array<double, 4> radial(const Context& cx, int k, double along) {
  const Box& b = cx.box;
  const int p = (k + 1) % 3, q = (k + 2) % 3;
  const Vec3 o = add(b.center, mul(b.axis[k], along));
  // Slightly skewed directions avoid running along facet edges.
  const std::array<Vec3, 4> dirs = {add(b.axis[p], mul(b.axis[q], 0.013)), mul(add(b.axis[p], mul(b.axis[q], 0.013)), -1),
                                    add(b.axis[q], mul(b.axis[p], 0.011)), mul(add(b.axis[q], mul(b.axis[p], 0.011)), -1)};
  std::array<double, 4> out{};
  for (int d = 0; d < 4; ++d) {
    Vec3 dir = dirs[d];
    dir = mul(dir, 1 / std::sqrt(dot(dir, dir)));
    out[d] = first_hit(cx.mesh, o, dir);
  }
  return out;
}

/// True when a ray along axis `k` through the box centre crosses no triangle.
bool through_axis(const Context& cx, int k) {
  const Box& b = cx.box;
  const Vec3 o = add(b.center, mul(b.axis[k], -b.extent[k] / 2 - 1));
  return first_hit(cx.mesh, add(o, mul(b.axis[(k + 1) % 3], 1e-4)), b.axis[k]) == kInf;
}

void tube_bore(const Context& cx, std::vector<Cue>& cues) {
  const Box& b = cx.box;
  const double ratio = b.extent[0] / std::max(b.extent[1], 1e-9);
  if (ratio < ct::kTubeMinRatio || b.extent[0] < ct::kTubeMinLength || !through_axis(cx, 0)) return;
  double bore = kInf;
  for (int s = 1; s <= 9; ++s) {
    for (double r : radial(cx, 0, b.extent[0] * (s / 10.0 - 0.5))) {
      if (r == kInf) return;  // open at the side: a channel or gap, not a bore
      bore = std::min(bore, 2 * r);
    }
  }
  if (bore > ct::kTubeMaxBoreFraction * b.extent[1]) return;
  cues.push_back({"geometry.tube_bore", "geometry", ct::kTubeBoreWeight,
                  "long part " + fmt(b.extent[0]) + " mm by " + fmt(b.extent[1]) + " mm (length/diameter " +
                      fmt(ratio) + ") with a coaxial through-bore of about " + fmt(bore) + " mm"});
}

void disc_stack(const Context& cx, std::vector<Cue>& cues) {
  const Box& b = cx.box;
  for (int k = 0; k < 3; ++k) {
    const int p = (k + 1) % 3, q = (k + 2) % 3;
    const double outer = std::max(b.extent[p], b.extent[q]);
    if (outer < ct::kDiscDiameter[0] || outer > ct::kDiscDiameter[1]) continue;
    if (std::min(b.extent[p], b.extent[q]) < 0.75 * outer || !through_axis(cx, k)) continue;
    const int stations = std::clamp(static_cast<int>(std::min(b.extent[k] / 0.4, cx.rays / 4)), 0, 1000);
    if (stations < 16) continue;
    int runs = 0;
    bool in_run = false;
    double bore = kInf;
    for (int s = 0; s < stations; ++s) {
      const auto r = radial(cx, k, b.extent[k] * ((s + 0.5) / stations - 0.5));
      const double rmin = *std::min_element(r.begin(), r.end()), rmax = *std::max_element(r.begin(), r.end());
      const bool constricted = rmax != kInf && rmin <= 0.3 * outer;
      if (constricted) bore = std::min(bore, 2 * rmin);
      if (constricted && !in_run) ++runs;
      in_run = constricted;
    }
    if (runs < ct::kDiscMinCount) continue;
    cues.push_back({"geometry.disc_stack", "geometry", ct::kDiscStackWeight,
                    std::to_string(runs) + " coaxial discs or baffles with a common bore of about " + fmt(bore) +
                        " mm along a " + fmt(b.extent[k]) + " mm through-axis, outer diameter " + fmt(outer) + " mm"});
    return;
  }
}

/// Periodic notches along the long axis, seen from each of the four sides.
void rail_slots(const Context& cx, std::vector<Cue>& cues) {
  const Box& b = cx.box;
  const int stations = std::clamp(static_cast<int>(std::min(b.extent[0] / 0.5, cx.rays / 4)), 0, 2000);
  if (stations < 16) return;
  const double step = b.extent[0] / stations;
  for (int side = 0; side < 4; ++side) {
    const int k = side < 2 ? 1 : 2;
    const double sign = side % 2 == 0 ? 1 : -1;
    std::vector<double> depth(static_cast<size_t>(stations));
    for (int s = 0; s < stations; ++s) {
      const double u0 = -b.extent[0] / 2 + (s + 0.5) * step;
      const double uk = sign * (b.extent[k] / 2 + 1);
      const Vec3 o = k == 1 ? point_in_box(b, u0, uk, 0.0007 * b.extent[2]) : point_in_box(b, u0, 0.0007 * b.extent[1], uk);
      depth[s] = first_hit(cx.mesh, o, mul(b.axis[k], -sign)) - 1;
    }
    double top = kInf;
    for (double d : depth) top = std::min(top, d);
    if (top == kInf) continue;
    // Notch runs: deeper than the top surface by ≥ 1 mm, between top stations.
    std::vector<std::pair<int, int>> runs;
    int start = -1;
    for (int s = 0; s < stations; ++s) {
      const bool notch = depth[s] != kInf && depth[s] > top + 1.0;
      const bool gap = depth[s] == kInf;
      if (notch && start < 0) start = s;
      if (!notch && start >= 0) {
        if (!gap && start > 0 && depth[start - 1] != kInf) runs.push_back({start, s});
        start = -1;
      }
      if (gap) start = -1;
    }
    if (static_cast<int>(runs.size()) < ct::kRailMinSlots) continue;
    std::vector<double> pitch;
    for (size_t r = 1; r < runs.size(); ++r)
      pitch.push_back((runs[r].first + runs[r].second - runs[r - 1].first - runs[r - 1].second) * step / 2);
    double mean = 0, var = 0;
    for (double p : pitch) mean += p;
    mean /= static_cast<double>(pitch.size());
    for (double p : pitch) var += (p - mean) * (p - mean);
    const double spread = std::sqrt(var / static_cast<double>(pitch.size())) / mean;
    if (mean < ct::kRailPitch[0] || mean > ct::kRailPitch[1] || spread > ct::kRailPitchSpread) continue;
    double width = 0, notch_depth = 0;
    for (const auto& [a, e] : runs) {
      width += (e - a) * step;
      notch_depth += depth[(a + e) / 2] - top;
    }
    width /= static_cast<double>(runs.size());
    notch_depth /= static_cast<double>(runs.size());
    cues.push_back({"geometry.rail_slots", "geometry", ct::kRailSlotsWeight,
                    std::to_string(runs.size()) + " evenly spaced slots along " + fmt(b.extent[0]) + " mm: pitch " +
                        fmt(mean) + " mm, width " + fmt(width) + " mm, depth " + fmt(notch_depth) +
                        " mm (rail-like; also camera and light mounts)"});
    return;
  }
}

bool usable(const Mesh& m) {
  if (m.triangles.size() < 4) return false;
  for (const auto& v : m.vertices)
    for (double c : v)
      if (!std::isfinite(c) || std::abs(c) > 1e7) return false;
  for (const auto& t : m.triangles)
    for (uint32_t i : t)
      if (i >= m.vertices.size()) return false;
  return true;
}

}  // namespace

std::vector<Cue> geometry_cues(const Mesh& mesh, const CueConfig& config) {
  std::vector<Cue> cues;
  if (!usable(mesh)) return cues;
  const auto n = static_cast<double>(mesh.triangles.size());
  Context cx{mesh, bounding_box(mesh), config.max_ray_triangle_tests / (4 * n)};
  if (frame_envelope(cx.box)) {
    cues.push_back({"geometry.frame_envelope", "geometry", ct::kFrameEnvelopeWeight,
                    "bounding box " + fmt(cx.box.extent[0]) + " x " + fmt(cx.box.extent[1]) + " x " +
                        fmt(cx.box.extent[2]) + " mm, inside the frame-sized range " + fmt(ct::kFrameLong[0]) + "-" +
                        fmt(ct::kFrameLong[1]) + " x " + fmt(ct::kFrameMid[0]) + "-" + fmt(ct::kFrameMid[1]) + " x " +
                        fmt(ct::kFrameShort[0]) + "-" + fmt(ct::kFrameShort[1]) + " mm"});
    pin_holes(cx, cues);
  }
  tube_bore(cx, cues);
  disc_stack(cx, cues);
  rail_slots(cx, cues);
  return cues;
}

}  // namespace trawl::mesh
