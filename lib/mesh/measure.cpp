#include "mesh/measure.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>


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

Vec3 mesh_extent(const Mesh& mesh) {
  Vec3 lo{0, 0, 0}, hi{0, 0, 0};
  bool first = true;
  for (const auto& t : mesh.triangles) {
    if (!valid(mesh, t)) continue;
    for (const uint32_t i : t) {
      const Vec3& v = mesh.vertices[i];
      for (size_t c = 0; c < 3; ++c) {
        lo[c] = first ? v[c] : std::min(lo[c], v[c]);
        hi[c] = first ? v[c] : std::max(hi[c], v[c]);
      }
      first = false;
    }
  }
  return {hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]};
}

MeshMeasures measure_mesh(const Mesh& mesh) {
  MeshMeasures m;
  m.triangle_count = mesh.triangles.size();
  std::vector<bool> used(mesh.vertices.size(), false);
  bool first_vertex = true;
  // Directed edges bucketed by their first vertex (CSR): closedness is then
  // a scan of two short lists per edge, no global sort.
  std::vector<uint32_t> offsets(mesh.vertices.size() + 1, 0);
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
      if (first_vertex) {
        m.bbox_min = m.bbox_max = v;
        first_vertex = false;
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
    for (const uint32_t from : t) ++offsets[from + 1];
  }
  for (size_t c = 0; c < 3; ++c) m.size[c] = m.bbox_max[c] - m.bbox_min[c];
  m.surface_area = area2 / 2;
  m.signed_volume = signed_volume6 / 6;
  m.volume = std::fabs(m.signed_volume);

  for (size_t i = 1; i < offsets.size(); ++i) offsets[i] += offsets[i - 1];
  std::vector<uint32_t> targets(offsets.back());
  {
    std::vector<uint32_t> fill(offsets.begin(), offsets.end() - 1);
    for (const auto& t : mesh.triangles) {
      if (!valid(mesh, t) || index_degenerate(t)) continue;
      for (size_t k = 0; k < 3; ++k) targets[fill[t[k]]++] = t[(k + 1) % 3];
    }
  }
  // Watertight: every directed edge a→b occurs once and b→a occurs once.
  // Manifold: a→b and b→a together at most twice. Each undirected edge is
  // counted at its first occurrence from its smaller end, or from the larger
  // end when the smaller end has no edge back.
  auto count_in = [&](uint32_t from, uint32_t to, size_t* first) {
    size_t n = 0;
    for (uint32_t i = offsets[from]; i < offsets[from + 1]; ++i)
      if (targets[i] == to) {
        if (n == 0 && first != nullptr) *first = i;
        ++n;
      }
    return n;
  };
  m.watertight = !targets.empty();
  m.manifold = true;
  for (uint32_t a = 0; a + 1 < offsets.size(); ++a) {
    for (uint32_t i = offsets[a]; i < offsets[a + 1]; ++i) {
      const uint32_t b = targets[i];
      size_t first = 0;
      const size_t ab = count_in(a, b, &first);
      const size_t ba = count_in(b, a, nullptr);
      if (ab != 1 || ba != 1) m.watertight = false;
      if (ab + ba > 2) m.manifold = false;
      if (first == i && (a < b || ba == 0)) ++m.edge_count;
    }
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
