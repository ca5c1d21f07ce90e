#include "mesh/measure.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "mesh/edge_sort.hpp"

namespace trawl::mesh {
namespace {

Vec3 sub(const Vec3& a, const Vec3& b) { return {a[0] - b[0], a[1] - b[1], a[2] - b[2]}; }
Vec3 cross(const Vec3& a, const Vec3& b) {
  return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}
double dot(const Vec3& a, const Vec3& b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }

bool index_degenerate(const Triangle& t) { return t[0] == t[1] || t[1] == t[2] || t[0] == t[2]; }

bool valid(const Mesh& mesh, const Triangle& t) {
  return t[0] < mesh.vertices.size() && t[1] < mesh.vertices.size() && t[2] < mesh.vertices.size();
}

uint32_t find(std::vector<uint32_t>& parent, uint32_t x) {
  while (parent[x] != x) {
    parent[x] = parent[parent[x]];  // path halving keeps the trees flat
    x = parent[x];
  }
  return x;
}

/// Union-find over vertices joined by triangles; returns the root per vertex slot.
std::vector<uint32_t> vertex_roots(const Mesh& mesh) {
  std::vector<uint32_t> parent(mesh.vertices.size());
  std::iota(parent.begin(), parent.end(), 0u);
  for (const auto& t : mesh.triangles) {
    if (!valid(mesh, t)) continue;
    for (int k = 1; k < 3; ++k) {
      const uint32_t a = find(parent, t[0]);
      const uint32_t b = find(parent, t[static_cast<size_t>(k)]);
      if (a != b) parent[std::max(a, b)] = std::min(a, b);
    }
  }
  return parent;
}

}  // namespace

std::vector<uint32_t> component_labels(const Mesh& mesh, uint64_t* count) {
  auto parent = vertex_roots(mesh);
  constexpr uint32_t kNone = ~0u;
  std::vector<uint32_t> label_of_root(mesh.vertices.size(), kNone);
  std::vector<uint32_t> labels(mesh.triangles.size(), 0);
  uint32_t next = 0;
  for (size_t i = 0; i < mesh.triangles.size(); ++i) {
    const auto& t = mesh.triangles[i];
    if (!valid(mesh, t)) continue;
    const uint32_t root = find(parent, t[0]);
    if (label_of_root[root] == kNone) label_of_root[root] = next++;
    labels[i] = label_of_root[root];
  }
  if (count != nullptr) *count = next;
  return labels;
}

MeshMeasures measure_mesh(const Mesh& mesh) {
  MeshMeasures m;
  m.triangle_count = mesh.triangles.size();
  std::vector<bool> used(mesh.vertices.size(), false);
  bool first = true;
  std::vector<uint64_t> directed;
  directed.reserve(mesh.triangles.size() * 3);
  double signed_volume6 = 0;
  double area2 = 0;
  uint64_t faces = 0;
  for (const auto& t : mesh.triangles) {
    if (!valid(mesh, t)) {
      ++m.degenerate_triangles;
      continue;
    }
    ++faces;
    for (const uint32_t i : t) {
      if (used[i]) continue;
      used[i] = true;
      ++m.vertex_count;
      const Vec3& v = mesh.vertices[i];
      if (first) {
        m.bbox_min = m.bbox_max = v;
        first = false;
      }
      for (size_t c = 0; c < 3; ++c) {
        m.bbox_min[c] = std::min(m.bbox_min[c], v[c]);
        m.bbox_max[c] = std::max(m.bbox_max[c], v[c]);
      }
    }
    const Vec3& a = mesh.vertices[t[0]];
    const Vec3& b = mesh.vertices[t[1]];
    const Vec3& c = mesh.vertices[t[2]];
    const Vec3 n = cross(sub(b, a), sub(c, a));
    const double twice_area = std::sqrt(dot(n, n));
    area2 += twice_area;
    signed_volume6 += dot(a, cross(b, c));
    if (index_degenerate(t)) {
      ++m.degenerate_triangles;
      continue;
    }
    if (twice_area == 0) ++m.degenerate_triangles;
    for (int k = 0; k < 3; ++k) {
      const uint64_t from = t[static_cast<size_t>(k)];
      const uint64_t to = t[static_cast<size_t>((k + 1) % 3)];
      directed.push_back(from << 32 | to);
    }
  }
  for (size_t c = 0; c < 3; ++c) m.size[c] = m.bbox_max[c] - m.bbox_min[c];
  m.surface_area = area2 / 2;
  m.signed_volume = signed_volume6 / 6;
  m.volume = std::fabs(m.signed_volume);

  // Closedness from sorted edge lists: watertight iff every directed edge
  // occurs once and the reversed list is the same set; manifold iff no
  // undirected edge occurs more than twice.
  std::vector<uint64_t> reversed(directed.size());
  std::vector<uint64_t> undirected(directed.size());
  for (size_t i = 0; i < directed.size(); ++i) {
    const uint64_t from = directed[i] >> 32;
    const uint64_t to = directed[i] & 0xffffffffu;
    reversed[i] = to << 32 | from;
    undirected[i] = std::min(from, to) << 32 | std::max(from, to);
  }
  radix_sort(directed);
  radix_sort(reversed);
  radix_sort(undirected);
  const bool unique_directed = std::adjacent_find(directed.begin(), directed.end()) == directed.end();
  m.watertight = !directed.empty() && unique_directed && directed == reversed;
  m.manifold = true;
  for (size_t i = 0; i < undirected.size();) {
    size_t j = i;
    while (j < undirected.size() && undirected[j] == undirected[i]) ++j;
    if (j - i > 2) m.manifold = false;
    ++m.edge_count;
    i = j;
  }
  component_labels(mesh, &m.component_count);
  m.euler_characteristic = static_cast<int64_t>(m.vertex_count) - static_cast<int64_t>(m.edge_count) +
                           static_cast<int64_t>(faces);
  return m;
}

std::vector<Mesh> split_components(const Mesh& mesh) {
  uint64_t count = 0;
  const auto labels = component_labels(mesh, &count);
  std::vector<Mesh> parts(count);
  constexpr uint32_t kNone = ~0u;
  std::vector<uint32_t> remap(mesh.vertices.size(), kNone);
  for (size_t i = 0; i < mesh.triangles.size(); ++i) {
    const auto& t = mesh.triangles[i];
    if (!valid(mesh, t)) continue;
    Mesh& part = parts[labels[i]];
    Triangle out{};
    for (size_t k = 0; k < 3; ++k) {
      // A vertex belongs to exactly one part, so one remap table serves all.
      if (remap[t[k]] == kNone) {
        remap[t[k]] = static_cast<uint32_t>(part.vertices.size());
        part.vertices.push_back(mesh.vertices[t[k]]);
      }
      out[k] = remap[t[k]];
    }
    part.triangles.push_back(out);
  }
  std::stable_sort(parts.begin(), parts.end(),
                   [](const Mesh& a, const Mesh& b) { return a.triangles.size() > b.triangles.size(); });
  return parts;
}

UnitInference infer_unit(const MeshMeasures& measures, UnitSource current) {
  UnitInference out;
  out.source = current;
  if (current != UnitSource::assumed || measures.triangle_count == 0) return out;
  const double extent = std::max({measures.size[0], measures.size[1], measures.size[2]});
  if (extent > 0 && extent < 1.0) {
    out = {1000.0, "m", UnitSource::inferred};
  } else if (extent > 5000.0) {
    out = {0.001, "um", UnitSource::inferred};
  }
  return out;
}

double infer_unit_scale(const MeshMeasures& measures, UnitSource current) {
  return infer_unit(measures, current).scale_to_mm;
}

}  // namespace trawl::mesh
