#include "mesh/measure.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <numbers>

#include "mesh/primitives.hpp"

namespace trawl::mesh {
namespace {

TEST_CASE("MeshMeasure: a box has exact counts, size, area and volume") {
  Mesh box = make_box(10, 20, 30);
  translate(box, {5, 10, 15});
  const auto m = measure_mesh(box);
  CHECK(m.triangle_count == 12);
  CHECK(m.vertex_count == 8);
  CHECK(m.bbox_min == Vec3{0, 0, 0});
  CHECK(m.bbox_max == Vec3{10, 20, 30});
  CHECK(m.size == Vec3{10, 20, 30});
  CHECK(m.surface_area == doctest::Approx(2 * (200 + 600 + 300)));
  CHECK(m.volume == doctest::Approx(6000));
  CHECK(m.signed_volume == doctest::Approx(6000));  // outward winding
  CHECK(m.watertight);
  CHECK(m.manifold);
  CHECK(m.edge_count == 18);
  CHECK(m.degenerate_triangles == 0);
  CHECK(m.component_count == 1);
  CHECK(m.euler_characteristic == 2);
}

TEST_CASE("MeshMeasure: primitives are closed and have the expected topology and volume") {
  const double pi = std::numbers::pi;
  const auto cyl = measure_mesh(make_cylinder(5, 10, 64));
  CHECK(cyl.watertight);
  CHECK(cyl.euler_characteristic == 2);
  CHECK(cyl.volume == doctest::Approx(0.5 * 64 * 25 * std::sin(2 * pi / 64) * 10));
  const auto tube = measure_mesh(make_tube(5, 3, 10, 32));
  CHECK(tube.watertight);
  CHECK(tube.euler_characteristic == 0);  // one through-hole
  CHECK(tube.signed_volume > 0);
  const auto torus = measure_mesh(make_torus(10, 2, 48, 16));
  CHECK(torus.watertight);
  CHECK(torus.euler_characteristic == 0);
  const auto sphere = measure_mesh(make_sphere(10, 64, 32));
  CHECK(sphere.watertight);
  CHECK(sphere.euler_characteristic == 2);
  CHECK(sphere.volume == doctest::Approx(4.0 / 3 * pi * 1000).epsilon(0.01));
  CHECK(sphere.surface_area == doctest::Approx(4 * pi * 100).epsilon(0.01));
  const auto bracket = measure_mesh(make_prism({{0, 0}, {40, 0}, {40, 8}, {8, 8}, {8, 25}, {0, 25}}, 12));
  CHECK(bracket.watertight);
  CHECK(bracket.volume == doctest::Approx((40 * 8 + 8 * 17) * 12));
}

TEST_CASE("MeshMeasure: open, non-manifold, flipped and degenerate meshes") {
  Mesh open = make_box(1, 1, 1);
  open.triangles.pop_back();
  auto m = measure_mesh(open);
  CHECK_FALSE(m.watertight);
  CHECK(m.manifold);

  Mesh flipped = make_box(1, 1, 1);
  std::swap(flipped.triangles[3][1], flipped.triangles[3][2]);
  m = measure_mesh(flipped);
  CHECK_FALSE(m.watertight);  // every edge has two faces, but one pair runs the same way
  CHECK(m.manifold);

  Mesh fin = make_box(1, 1, 1);
  fin.vertices.push_back({0.5, 0.5, 3});
  fin.triangles.push_back({0, 1, 8});  // a third face on the edge 0-1
  m = measure_mesh(fin);
  CHECK_FALSE(m.manifold);
  CHECK_FALSE(m.watertight);

  Mesh degenerate = make_box(1, 1, 1);
  degenerate.triangles.push_back({0, 0, 1});
  degenerate.vertices.push_back({0.5, -0.5, -0.5});  // on the edge 0-1: zero area
  degenerate.triangles.push_back({0, 1, 8});
  degenerate.triangles.push_back({0, 1, 99});  // index out of range
  m = measure_mesh(degenerate);
  CHECK(m.degenerate_triangles == 3);

  const auto empty = measure_mesh(Mesh{});
  CHECK(empty.triangle_count == 0);
  CHECK_FALSE(empty.watertight);
  CHECK(empty.component_count == 0);
}

TEST_CASE("MeshMeasure: components are counted and split") {
  Mesh plate = make_box(1, 1, 1);
  Mesh far = make_cylinder(2, 3, 16);
  translate(far, {10, 0, 0});
  append(plate, far);
  Mesh third = make_box(2, 2, 2);
  translate(third, {-10, 0, 0});
  append(plate, third);
  const auto m = measure_mesh(plate);
  CHECK(m.component_count == 3);
  CHECK(m.watertight);
  const auto parts = split_components(plate);
  REQUIRE(parts.size() == 3);
  CHECK(parts[0].triangles.size() == far.triangles.size());  // largest first
  CHECK(parts[1].triangles.size() == 12);
  CHECK(parts[1].vertices.size() == 8);
  CHECK(measure_mesh(parts[1]).volume == doctest::Approx(1));
  CHECK(measure_mesh(parts[2]).volume == doctest::Approx(8));
  CHECK(measure_mesh(parts[2]).bbox_min == Vec3{-11, -1, -1});
}

TEST_CASE("MeshMeasure: unit inference for tiny and huge models") {
  auto measures_of = [](double size) { return measure_mesh(make_box(size, size / 2, size / 3)); };
  const auto metres = infer_unit(measures_of(0.12), UnitSource::assumed);
  CHECK(metres.scale_to_mm == 1000);
  CHECK(metres.unit == "m");
  CHECK(metres.source == UnitSource::inferred);
  CHECK(infer_unit_scale(measures_of(0.12), UnitSource::declared) == 1);
  CHECK(infer_unit_scale(measures_of(60), UnitSource::assumed) == 1);
  CHECK(infer_unit(measures_of(60), UnitSource::assumed).source == UnitSource::assumed);
  CHECK(infer_unit_scale(measures_of(80000), UnitSource::assumed) == 0.001);
}

}  // namespace
}  // namespace trawl::mesh
