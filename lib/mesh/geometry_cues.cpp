// Geometry cues by cheap ray casting: a box around the part (the smaller of
// the axis-aligned and the PCA-oriented one), then rays along and across its
// axes. Rays come in parallel sets, so one grid of triangle shadows per
// direction lets each ray test only a few triangles (O(n) to build). When a
// mesh defeats the grid, rays test every triangle and the sampling step grows
// with the triangle count to stay within CueConfig's budget.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "mesh/cue_table.hpp"
#include "mesh/cues.hpp"
#include "mesh/eigen3.hpp"

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
  Box oriented = box_along(m, symmetric_eigen(cov, kJacobiRelative).vectors);
  // PCA tilts the in-plane axes of asymmetric parts (a slab with an angled
  // grip); turning them about the shortest axis finds the tighter rectangle:
  // 10° steps, then 1° steps around the best. 27 projections: still O(n).
  const Vec3 a = oriented.axis[0], b = oriented.axis[1], c = oriented.axis[2];
  auto turned = [&](int deg) {
    const double r = deg * 3.141592653589793 / 180;
    return box_along(m, {add(mul(a, std::cos(r)), mul(b, std::sin(r))), add(mul(a, -std::sin(r)), mul(b, std::cos(r))), c});
  };
  int best = 0;
  for (int deg = 10; deg < 90; deg += 10) {
    Box t = turned(deg);
    if (t.volume() < oriented.volume()) oriented = t, best = deg;
  }
  for (int deg = best - 9; deg <= best + 9; ++deg) {
    if (deg % 10 == 0) continue;
    Box t = turned(deg);
    if (t.volume() < oriented.volume()) oriented = t;
  }
  return oriented.volume() < aligned.volume() * 0.98 ? oriented : aligned;
}

/// Distance along `dir` from `origin` to triangle `t` (kInf when missed).
double hit_triangle(const Mesh& m, const Triangle& t, const Vec3& origin, const Vec3& dir) {
  constexpr double kEps = 1e-9;
  const auto &a = m.vertices[t[0]], &b = m.vertices[t[1]], &c = m.vertices[t[2]];
  const Vec3 e1 = sub(b, a), e2 = sub(c, a);
  const Vec3 p = cross(dir, e2);
  const double det = dot(e1, p);
  if (std::abs(det) < 1e-14) return kInf;
  const double inv = 1 / det;
  const Vec3 s = sub(origin, a);
  const double u = dot(s, p) * inv;
  if (u < -kEps || u > 1 + kEps) return kInf;
  const Vec3 q = cross(s, e1);
  const double v = dot(dir, q) * inv;
  if (v < -kEps || u + v > 1 + kEps) return kInf;
  const double dist = dot(e2, q) * inv;
  return dist > 1e-9 ? dist : kInf;
}

/// Distance to the first triangle the ray meets (kInf when none), testing all.
double first_hit(const Mesh& m, const Vec3& origin, const Vec3& dir) {
  double best = kInf;
  for (const auto& t : m.triangles) best = std::min(best, hit_triangle(m, t, origin, dir));
  return best;
}

/// Triangles binned on the plane across one ray direction, so a ray parallel
/// to it (either way) tests only the triangles whose shadow covers its cell.
/// Building is O(n + covered cells); when slivers would cover too many cells
/// the grid gives up and queries test every triangle (see accelerated()).
class RayGrid {
 public:
  RayGrid(const Mesh& m, const Vec3& dir) : mesh_(m), dir_(dir) {
    const Vec3 helper = std::abs(dir[0]) < 0.9 ? Vec3{1, 0, 0} : Vec3{0, 1, 0};
    const Vec3 u = cross(dir, helper);
    u_ = mul(u, 1 / std::sqrt(dot(u, u)));
    v_ = cross(dir, u_);
    const size_t n = m.triangles.size();
    double lo_u = kInf, lo_v = kInf, hi_u = -kInf, hi_v = -kInf;
    for (const auto& p : m.vertices) {
      lo_u = std::min(lo_u, dot(p, u_)), hi_u = std::max(hi_u, dot(p, u_));
      lo_v = std::min(lo_v, dot(p, v_)), hi_v = std::max(hi_v, dot(p, v_));
    }
    // About four triangles per cell: few cells per triangle, few triangles per ray.
    const int side = std::clamp(static_cast<int>(std::sqrt(static_cast<double>(n)) / 2), 1, 1024);
    cell_ = std::max({hi_u - lo_u, hi_v - lo_v, 1e-9}) / side;
    u0_ = lo_u - cell_ / 2, v0_ = lo_v - cell_ / 2;
    gu_ = static_cast<int>(std::min((hi_u - u0_) / cell_, 2048.0)) + 2;
    gv_ = static_cast<int>(std::min((hi_v - v0_) / cell_, 2048.0)) + 2;
    const uint64_t cap = 64 * uint64_t{n} + 4 * uint64_t(gu_) * uint64_t(gv_);
    std::vector<uint32_t> count(static_cast<size_t>(gu_) * gv_ + 1, 0);
    uint64_t total = 0;
    std::vector<uint32_t> fill;
    for (int pass = 0; pass < 2; ++pass) {
      for (uint32_t i = 0; i < n; ++i) {
        int a0, a1, b0, b1;
        cells_of(m.triangles[i], a0, a1, b0, b1);
        if (pass == 0) {
          total += uint64_t(a1 - a0 + 1) * uint64_t(b1 - b0 + 1);
          if (total > cap) return;  // not accelerated: items_ stays empty
          for (int a = a0; a <= a1; ++a)
            for (int b = b0; b <= b1; ++b) ++count[static_cast<size_t>(a) * gv_ + b + 1];
        } else {
          for (int a = a0; a <= a1; ++a)
            for (int b = b0; b <= b1; ++b) items_[fill[static_cast<size_t>(a) * gv_ + b]++] = i;
        }
      }
      if (pass == 0) {
        for (size_t k = 1; k < count.size(); ++k) count[k] += count[k - 1];
        start_ = count;
        fill = std::move(count);
        items_.resize(total);
      }
    }
    accelerated_ = true;
  }

  bool accelerated() const { return accelerated_; }

  /// First hit along +dir (forward) or −dir from `origin`.
  double first_hit(const Vec3& origin, bool forward = true) const {
    const Vec3 d = forward ? dir_ : mul(dir_, -1);
    if (!accelerated_) return trawl::mesh::first_hit(mesh_, origin, d);
    const double fa = std::floor((dot(origin, u_) - u0_) / cell_), fb = std::floor((dot(origin, v_) - v0_) / cell_);
    if (!(fa >= 0 && fb >= 0 && fa < gu_ && fb < gv_)) return kInf;  // before the int cast
    const int a = static_cast<int>(fa), b = static_cast<int>(fb);
    const size_t c = static_cast<size_t>(a) * gv_ + b;
    double best = kInf;
    for (uint32_t k = start_[c]; k < start_[c + 1]; ++k)
      best = std::min(best, hit_triangle(mesh_, mesh_.triangles[items_[k]], origin, d));
    return best;
  }

 private:
  void cells_of(const Triangle& t, int& a0, int& a1, int& b0, int& b1) const {
    double lu = kInf, hu = -kInf, lv = kInf, hv = -kInf;
    for (uint32_t i : t) {
      const double pu = dot(mesh_.vertices[i], u_), pv = dot(mesh_.vertices[i], v_);
      lu = std::min(lu, pu), hu = std::max(hu, pu), lv = std::min(lv, pv), hv = std::max(hv, pv);
    }
    const double margin = cell_ * 1e-6;  // rays on a cell edge still see the triangle
    auto index = [&](double v, double origin, int n) {
      return static_cast<int>(std::clamp(std::floor((v - origin) / cell_), 0.0, double(n - 1)));
    };
    a0 = index(lu - margin, u0_, gu_), a1 = index(hu + margin, u0_, gu_);
    b0 = index(lv - margin, v0_, gv_), b1 = index(hv + margin, v0_, gv_);
  }

  const Mesh& mesh_;
  Vec3 dir_, u_{}, v_{};
  double cell_ = 1, u0_ = 0, v0_ = 0;
  int gu_ = 1, gv_ = 1;
  std::vector<uint32_t> start_, items_;
  bool accelerated_ = false;
};

/// Rays a cue may cast: unlimited in practice with a grid, else the budget.
double ray_allowance(bool accelerated, double budget_rays) { return accelerated ? 1e7 : budget_rays; }

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
  const RayGrid grid(cx.mesh, b.axis[2]);
  const double step =
      std::max(0.8, std::sqrt(b.extent[0] * b.extent[1] / ray_allowance(grid.accelerated(), cx.rays)));
  if (step > 1.6) return;  // too coarse to see 4 mm holes on a mesh this large
  const int nx = static_cast<int>(b.extent[0] / step) + 1, ny = static_cast<int>(b.extent[1] / step) + 1;
  std::vector<char> miss(static_cast<size_t>(nx) * ny, 0);
  // The 0.37 offset keeps rays off the edges of an axis-aligned tessellation.
  for (int i = 0; i < nx; ++i)
    for (int j = 0; j < ny; ++j) {
      const Vec3 o = point_in_box(b, -b.extent[0] / 2 + (i + 0.37) * step, -b.extent[1] / 2 + (j + 0.37) * step,
                                  -b.extent[2] / 2 - 1);
      miss[static_cast<size_t>(i) * ny + j] = grid.first_hit(o) == kInf;
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
/// The two grids for rays across axis `k`, slightly skewed so they do not run
/// along facet edges.
struct RadialGrids {
  RayGrid first, second;
  RadialGrids(const Context& cx, int k)
      : first(cx.mesh, unit(add(cx.box.axis[(k + 1) % 3], mul(cx.box.axis[(k + 2) % 3], 0.013)))),
        second(cx.mesh, unit(add(cx.box.axis[(k + 2) % 3], mul(cx.box.axis[(k + 1) % 3], 0.011)))) {}
  bool accelerated() const { return first.accelerated() && second.accelerated(); }
  static Vec3 unit(const Vec3& v) { return mul(v, 1 / std::sqrt(dot(v, v))); }
};

std::array<double, 4> radial(const Context& cx, const RadialGrids& g, int k, double along) {
  const Vec3 o = add(cx.box.center, mul(cx.box.axis[k], along));
  return {g.first.first_hit(o, true), g.first.first_hit(o, false), g.second.first_hit(o, true),
          g.second.first_hit(o, false)};
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
  const RadialGrids grids(cx, 0);
  for (int s = 1; s <= 9; ++s) {
    for (double r : radial(cx, grids, 0, b.extent[0] * (s / 10.0 - 0.5))) {
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
    const RadialGrids grids(cx, k);
    const double rays = ray_allowance(grids.accelerated(), cx.rays);
    const int stations = std::clamp(static_cast<int>(std::min(b.extent[k] / 0.4, rays / 4)), 0, 1000);
    if (stations < 16) continue;
    int runs = 0;
    bool in_run = false;
    double bore = kInf;
    for (int s = 0; s < stations; ++s) {
      const auto r = radial(cx, grids, k, b.extent[k] * ((s + 0.5) / stations - 0.5));
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
  const RayGrid across1(cx.mesh, b.axis[1]), across2(cx.mesh, b.axis[2]);
  const double rays = ray_allowance(across1.accelerated() && across2.accelerated(), cx.rays);
  const int stations = std::clamp(static_cast<int>(std::min(b.extent[0] / 0.5, rays / 4)), 0, 2000);
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
      depth[s] = (k == 1 ? across1 : across2).first_hit(o, sign < 0) - 1;
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
