#include "mesh/primitives.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <utility>

namespace trawl::mesh {
namespace {

/// Signed volume by the divergence theorem; positive for outward winding.
double volume(const Mesh& m) {
  double v = 0;
  for (const auto& t : m.triangles) {
    const auto &a = m.vertices[t[0]], &b = m.vertices[t[1]], &c = m.vertices[t[2]];
    v += (a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0]) + a[2] * (b[0] * c[1] - b[1] * c[0])) / 6;
  }
  return v;
}

/// Every directed edge appears once and its reverse once: closed and consistently wound.
bool closed_and_oriented(const Mesh& m) {
  std::map<std::pair<uint32_t, uint32_t>, int> edges;
  for (const auto& t : m.triangles)
    for (int k = 0; k < 3; ++k) ++edges[{t[k], t[(k + 1) % 3]}];
  for (const auto& [e, n] : edges)
    if (n != 1 || edges.count({e.second, e.first}) == 0) return false;
  return true;
}

std::array<double, 3> extents(const Mesh& m) {
  std::array<double, 3> lo = {1e300, 1e300, 1e300}, hi = {-1e300, -1e300, -1e300};
  for (const auto& v : m.vertices)
    for (int k = 0; k < 3; ++k) lo[k] = std::min(lo[k], v[k]), hi[k] = std::max(hi[k], v[k]);
  return {hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]};
}

TEST_CASE("Primitives: single solids are closed, outward wound, with the expected volume") {
  const Mesh box = make_box({10, 20, 30});
  CHECK(closed_and_oriented(box));
  CHECK(volume(box) == doctest::Approx(6000));
  const Mesh cyl = make_cylinder(5, 10, 64);
  CHECK(closed_and_oriented(cyl));
  CHECK(volume(cyl) == doctest::Approx(3.14159 * 25 * 10).epsilon(0.01));
  const Mesh tube = make_tube(10, 4.5, 100, 64);
  CHECK(closed_and_oriented(tube));
  CHECK(volume(tube) == doctest::Approx(3.14159 * (100 - 20.25) * 100).epsilon(0.01));
  const Mesh holed = make_block_with_hole(20, 5, 10, 32);
  CHECK(closed_and_oriented(holed));
  CHECK(volume(holed) == doctest::Approx(4000 - 3.14159 * 25 * 10).epsilon(0.01));
  CHECK(closed_and_oriented(make_sphere(10)));
  CHECK(volume(make_sphere(10, 64, 32)) == doctest::Approx(4.18879 * 1000).epsilon(0.01));
  CHECK(closed_and_oriented(make_torus(20, 5)));
  CHECK(volume(make_torus(20, 5, 96, 48)) == doctest::Approx(2 * 9.8696 * 20 * 25).epsilon(0.01));
  CHECK(closed_and_oriented(make_cone(10, 30)));
  CHECK(volume(make_cone(10, 30, 96)) == doctest::Approx(3.14159 * 100 * 10).epsilon(0.01));
}

TEST_CASE("Primitives: composite shapes have the requested envelope and are deterministic") {
  const auto frame = make_frame_like();
  const auto e = extents(frame);
  CHECK(e[0] == doctest::Approx(180).epsilon(0.05));
  CHECK(e[1] > 100);
  CHECK(e[1] < 140);
  CHECK(e[2] == doctest::Approx(28));
  CHECK(volume(frame) > 0);
  const auto rail = make_slotted_rail(120, 21.2, 10, 10, 10, 5.23, 3);
  CHECK(extents(rail)[0] == doctest::Approx(120));
  CHECK(volume(rail) == doctest::Approx(120 * 21.2 * 10 - 10 * 5.23 * 21.2 * 3).epsilon(1e-6));
  const auto stack = make_disc_stack(6, 18, 5, 3, 8);
  CHECK(extents(stack)[2] == doctest::Approx(6 * 3 + 5 * 8));
  const auto plate = make_plate_with_holes(60, 40, 5, 3, 2, 2);
  CHECK(volume(plate) == doctest::Approx(60 * 40 * 5 - 6 * 3.14159 * 4 * 5).epsilon(0.01));
  const auto bracket = make_l_bracket(50, 30, 40, 4);
  CHECK(extents(bracket)[2] == doctest::Approx(40));
  CHECK(make_frame_like().vertices == frame.vertices);
  CHECK(make_frame_like().triangles == frame.triangles);
}

TEST_CASE("Primitives: rotation and translation move every vertex") {
  const auto box = rotated(translated(make_box({10, 2, 2}), {5, 0, 0}), 2, 90);
  const auto e = extents(box);
  CHECK(e[0] == doctest::Approx(2));
  CHECK(e[1] == doctest::Approx(10));
  CHECK(volume(box) == doctest::Approx(40));
}

}  // namespace
}  // namespace trawl::mesh
