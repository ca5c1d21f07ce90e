// mesh_bench: parse + measure + hash throughput (run by tests/bench/mesh_bench.sh, never by ctest).
//   mesh_bench N [symmetric]   builds a ~N-triangle closed blob (or a plain sphere, whose symmetry makes
//                              the pose hash try every candidate frame), writes it as binary STL in
//                              memory and times parse_mesh, measure_mesh and geometry_hashes.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>

#include "formats/mesh_parse.hpp"
#include "mesh/geometry_hash.hpp"
#include "mesh/measure.hpp"
#include "mesh/primitives.hpp"

namespace {

// Thread CPU time: the bench machine is shared, and wall time would count other people's work.
struct Clock {
  using time_point = double;
  static double now() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
  }
};
double ms_since(double start) { return Clock::now() - start; }

std::string binary_stl(const trawl::mesh::Mesh& m) {
  std::string out(80, '\0');
  const auto n = static_cast<uint32_t>(m.triangles.size());
  out.append(reinterpret_cast<const char*>(&n), 4);
  out.reserve(84 + 50ull * n);
  for (const auto& t : m.triangles) {
    float rec[12] = {};
    for (int k = 0; k < 3; ++k)
      for (int c = 0; c < 3; ++c) rec[3 + k * 3 + c] = static_cast<float>(m.vertices[t[static_cast<size_t>(k)]][static_cast<size_t>(c)]);
    out.append(reinterpret_cast<const char*>(rec), 48);
    out.append(2, '\0');
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const double want = argc > 1 ? std::atof(argv[1]) : 1e6;
  const bool symmetric = argc > 2 && std::strcmp(argv[2], "symmetric") == 0;
  // A UV sphere has about 2·s·(r−1) triangles; take r = s/2.
  const auto segments = static_cast<unsigned>(std::sqrt(want) + 1);
  auto mesh = trawl::mesh::make_sphere(40, segments, segments / 2);
  if (!symmetric) {
    for (auto& v : mesh.vertices) {  // a lumpy, chiral blob: no PCA ambiguity
      const double theta = std::atan2(v[1], v[0]), phi = std::acos(std::max(-1.0, std::min(1.0, v[2] / 40)));
      const double f = 1 + 0.2 * std::sin(theta + 0.3) * std::cos(2 * phi) + 0.1 * std::cos(3 * theta + phi) + 0.3 * v[0] / 40;
      for (auto& c : v) c *= f;
    }
  }
  const std::string bytes = binary_stl(mesh);
  std::printf("mesh: %zu triangles, %zu vertices, %.1f MB binary STL%s\n", mesh.triangles.size(), mesh.vertices.size(),
              bytes.size() / 1e6, symmetric ? " (symmetric sphere)" : "");
  const auto span = std::span(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  double best_total = 1e18;
  for (int round = 0; round < 3; ++round) {
    const auto t0 = Clock::now();
    auto file = trawl::formats::parse_mesh(span);
    if (!file.ok()) {
      std::fprintf(stderr, "parse failed: %s\n", file.error().detail.c_str());
      return 1;
    }
    const double t_parse = ms_since(t0);
    const auto t1 = Clock::now();
    const auto measures = trawl::mesh::measure_mesh(file->objects[0].mesh);
    const double t_measure = ms_since(t1);
    const auto t2 = Clock::now();
    const auto exact = trawl::mesh::exact_hash(file->objects[0].mesh);
    const double t_exact = ms_since(t2);
    const auto t3 = Clock::now();
    const auto pose = trawl::mesh::pose_hash(file->objects[0].mesh);
    const double t_pose = ms_since(t3);
    const auto t4 = Clock::now();
    const auto shape = trawl::mesh::shape_signature(file->objects[0].mesh);
    const double t_shape = ms_since(t4);
    const auto t5 = Clock::now();
    const auto all = trawl::mesh::geometry_hashes(file->objects[0].mesh, &measures);
    const double t_all = ms_since(t5);
    const double total = t_parse + t_measure + t_all;
    best_total = std::min(best_total, total);
    std::printf("round %d: parse %.0f ms, measure %.0f ms, exact %.0f ms, pose %.0f ms, shape %.0f ms, "
                "geometry_hashes %.0f ms; parse+measure+hashes %.0f ms (watertight %d, volume %.0f)\n",
                round, t_parse, t_measure, t_exact, t_pose, t_shape, t_all, total, measures.watertight ? 1 : 0,
                measures.volume);
    if (exact != all.exact || pose != all.pose || shape.hash != all.shape.hash) return 1;
  }
  std::printf("best parse+measure+hashes: %.0f ms CPU (goal < 1000 ms for 1M triangles)\n", best_total);
  return 0;
}
