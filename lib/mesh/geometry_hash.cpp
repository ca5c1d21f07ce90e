#include "mesh/geometry_hash.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <climits>
#include <cstdint>
#include <cmath>
#include <cstring>
#include <span>

#include "hash/digest.hpp"
#include "mesh/eigen3.hpp"
#include "mesh/measure.hpp"

namespace trawl::mesh {
namespace {

using Key = std::array<int64_t, 3>;
using Matrix3 = std::array<Vec3, 3>;  // rows

double dot(const Vec3& a, const Vec3& b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }
Vec3 sub(const Vec3& a, const Vec3& b) { return {a[0] - b[0], a[1] - b[1], a[2] - b[2]}; }
Vec3 cross(const Vec3& a, const Vec3& b) {
  return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}

bool valid(const Mesh& mesh, const Triangle& t) {
  return t[0] < mesh.vertices.size() && t[1] < mesh.vertices.size() && t[2] < mesh.vertices.size();
}

/// The canonical byte form of a mesh whose vertices were mapped to integer
/// keys: sorted unique keys, then triangles as ranks into them, each rotated
/// to start at its smallest rank, sorted. Equal meshes up to vertex order,
/// triangle order and triangle rotation give equal bytes.
struct CanonicalForm {
  std::vector<Key> vertices;                          ///< sorted, unique
  std::vector<std::array<uint32_t, 3>> triangles;     ///< ranks into vertices, sorted
  /// Vertex lists first (lexicographic, so the smallest vertex decides
  /// first), then triangles.
  bool operator<(const CanonicalForm& other) const {
    if (vertices != other.vertices) return vertices < other.vertices;
    return triangles < other.triangles;
  }
};

CanonicalForm canonical_form(const Mesh& mesh, const std::vector<Key>& keys) {
  std::vector<uint32_t> rank(keys.size());
  std::vector<Key> unique;
  unique.reserve(keys.size());
  const bool compact = std::all_of(keys.begin(), keys.end(), [](const Key& k) {
    return std::all_of(k.begin(), k.end(), [](int64_t c) { return c >= INT32_MIN && c <= INT32_MAX; });
  });
  if (compact) {
    // Keys of 32-bit coordinates sort as two words (x|y, z|index): half the
    // bytes of the general entry, and word compares.
    struct Entry {
      uint64_t xy;
      uint64_t z_index;
    };
    auto biased = [](int64_t c) { return static_cast<uint64_t>(c - INT32_MIN); };
    std::vector<Entry> entries(keys.size());
    for (uint32_t i = 0; i < keys.size(); ++i)
      entries[i] = {biased(keys[i][0]) << 32 | biased(keys[i][1]), biased(keys[i][2]) << 32 | i};
    std::sort(entries.begin(), entries.end(),
              [](const Entry& a, const Entry& b) { return a.xy != b.xy ? a.xy < b.xy : a.z_index < b.z_index; });
    for (const auto& e : entries) {
      const auto index = static_cast<uint32_t>(e.z_index & 0xffffffffu);
      if (unique.empty() || unique.back() != keys[index]) unique.push_back(keys[index]);
      rank[index] = static_cast<uint32_t>(unique.size() - 1);
    }
  } else {
    struct Entry {
      Key key;
      uint32_t index;
    };
    std::vector<Entry> entries(keys.size());
    for (uint32_t i = 0; i < keys.size(); ++i) entries[i] = {keys[i], i};
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.key < b.key; });
    for (const auto& e : entries) {
      if (unique.empty() || unique.back() != e.key) unique.push_back(e.key);
      rank[e.index] = static_cast<uint32_t>(unique.size() - 1);
    }
  }
  std::vector<std::array<uint32_t, 3>> tris;
  tris.reserve(mesh.triangles.size());
  for (const auto& t : mesh.triangles) {
    if (!valid(mesh, t)) continue;
    std::array<uint32_t, 3> r{rank[t[0]], rank[t[1]], rank[t[2]]};
    const size_t m = r[0] <= r[1] && r[0] <= r[2] ? 0 : (r[1] <= r[2] ? 1 : 2);
    std::rotate(r.begin(), r.begin() + static_cast<std::ptrdiff_t>(m), r.end());
    tris.push_back(r);
  }
  if (unique.size() <= (1u << 21)) {
    // Three ranks of at most 21 bits pack into one word whose order is the
    // lexicographic order: sorting words is several times faster.
    std::vector<uint64_t> packed(tris.size());
    for (size_t i = 0; i < tris.size(); ++i)
      packed[i] = static_cast<uint64_t>(tris[i][0]) << 42 | static_cast<uint64_t>(tris[i][1]) << 21 | tris[i][2];
    std::sort(packed.begin(), packed.end());
    for (size_t i = 0; i < tris.size(); ++i)
      tris[i] = {static_cast<uint32_t>(packed[i] >> 42), static_cast<uint32_t>(packed[i] >> 21 & 0x1fffff),
                 static_cast<uint32_t>(packed[i] & 0x1fffff)};
  } else {
    std::sort(tris.begin(), tris.end());
  }
  return {std::move(unique), std::move(tris)};
}

/// SHA-256 of a domain tag and the canonical form as little-endian words:
/// vertex count, vertex keys (3 × int64), triangle count, ranks (3 × uint32).
std::string digest_form(std::string_view domain, const CanonicalForm& form) {
  hash::MultiDigest digest({hash::Algorithm::sha256});
  digest.update(std::as_bytes(std::span(domain.data(), domain.size())));
  std::array<uint8_t, 1 << 16> block;
  size_t used = 0;
  auto put = [&](uint64_t v, size_t bytes) {
    if constexpr (std::endian::native == std::endian::little) {
      std::memcpy(block.data() + used, &v, bytes);
    } else {
      for (size_t i = 0; i < bytes; ++i) block[used + i] = static_cast<uint8_t>(v >> (8 * i));
    }
    used += bytes;
    if (used > block.size() - 8) {
      digest.update(std::as_bytes(std::span(block.data(), used)));
      used = 0;
    }
  };
  put(form.vertices.size(), 8);
  for (const auto& k : form.vertices)
    for (const int64_t c : k) put(static_cast<uint64_t>(c), 8);
  put(form.triangles.size(), 8);
  for (const auto& t : form.triangles)
    for (const uint32_t r : t) put(r, 4);
  digest.update(std::as_bytes(std::span(block.data(), used)));
  return digest.finish().front().second;
}

std::string sha256_hex(std::string_view domain, std::span<const uint8_t> bytes) {
  hash::MultiDigest digest({hash::Algorithm::sha256});
  digest.update(std::as_bytes(std::span(domain.data(), domain.size())));
  digest.update(std::as_bytes(bytes));
  return digest.finish().front().second;
}

/// A coordinate as the exporters that print "%g" write it: float32 (binary STL's precision, what a
/// float-based exporter holds), then rounded to 6 significant decimal digits (OpenSCAD and assimp's 3MF
/// writer print no more: tests/data/mesh-reexport). Rounding a value already written with 6 to 9
/// digits gives the same result, so every such re-export of a file hashes alike. The exact tier only:
/// the pose tier would gain nothing (its grid is far coarser) but the rounding noise of a moved copy.
double decimal6(double v) {
  const float f = static_cast<float>(v) + 0.0f;
  if (!std::isfinite(f) || f == 0.0f) return f;
  char text[32];
  const auto end = std::to_chars(text, text + sizeof text, static_cast<double>(f), std::chars_format::scientific, 5);
  double out = f;
  std::from_chars(text, end.ptr, out);
  return out;
}

/// float32 rounding with an order-preserving integer image (-0 == +0).
int64_t float32_key(double v) {
  const float f = static_cast<float>(v) + 0.0f;
  const auto bits = std::bit_cast<int32_t>(f);
  return bits < 0 ? -static_cast<int64_t>(bits & 0x7fffffff) : bits;
}

/// Area-weighted surface moments: the centroid, the covariance about it and
/// the total area. Exact for flat triangles: the mean of p pᵀ over a triangle
/// is (Σ vᵢvᵢᵀ + S Sᵀ)/12 with S = Σ vᵢ.
struct SurfaceMoments {
  double area = 0;
  double signed_volume = 0;
  Vec3 centroid{0, 0, 0};
  Matrix3 covariance{};
  Vec3 eigenvalues{0, 0, 0};  ///< descending
  Matrix3 axes{};             ///< axes[k] is the unit eigenvector of eigenvalues[k]
};

/// Eigenvalues in descending order, clamped at 0 (a covariance is positive
/// semi-definite; round-off must not make a flat part's third value negative).
void jacobi_eigen(const Matrix3& a, Vec3& values, Matrix3& vectors) {
  const Eigen3 e = symmetric_eigen(a, kJacobiToFloor);
  std::array<size_t, 3> idx{0, 1, 2};
  std::sort(idx.begin(), idx.end(), [&](size_t x, size_t y) { return e.values[x] > e.values[y]; });
  for (size_t k = 0; k < 3; ++k) {
    values[k] = std::max(0.0, e.values[idx[k]]);
    vectors[k] = e.vectors[idx[k]];
  }
}

SurfaceMoments surface_moments(const Mesh& mesh) {
  SurfaceMoments m;
  Vec3 weighted{0, 0, 0};
  for (const auto& t : mesh.triangles) {
    if (!valid(mesh, t)) continue;
    const Vec3 &a = mesh.vertices[t[0]], &b = mesh.vertices[t[1]], &c = mesh.vertices[t[2]];
    const Vec3 n = cross(sub(b, a), sub(c, a));
    const double area = std::sqrt(dot(n, n)) / 2;
    m.area += area;
    m.signed_volume += dot(a, cross(b, c)) / 6;
    for (size_t i = 0; i < 3; ++i) weighted[i] += area * (a[i] + b[i] + c[i]) / 3;
  }
  if (!(m.area > 0)) return m;
  for (size_t i = 0; i < 3; ++i) m.centroid[i] = weighted[i] / m.area;
  Matrix3 second{};
  for (const auto& t : mesh.triangles) {
    if (!valid(mesh, t)) continue;
    const Vec3 a = sub(mesh.vertices[t[0]], m.centroid), b = sub(mesh.vertices[t[1]], m.centroid),
               c = sub(mesh.vertices[t[2]], m.centroid);
    const Vec3 n = cross(sub(b, a), sub(c, a));
    const double area = std::sqrt(dot(n, n)) / 2;
    const Vec3 s{a[0] + b[0] + c[0], a[1] + b[1] + c[1], a[2] + b[2] + c[2]};
    for (size_t i = 0; i < 3; ++i)
      for (size_t j = i; j < 3; ++j)
        second[i][j] += area / 12 * (a[i] * a[j] + b[i] * b[j] + c[i] * c[j] + s[i] * s[j]);
  }
  for (size_t i = 0; i < 3; ++i)
    for (size_t j = i; j < 3; ++j) m.covariance[i][j] = m.covariance[j][i] = second[i][j] / m.area;
  jacobi_eigen(m.covariance, m.eigenvalues, m.axes);
  return m;
}

/// Area-weighted mean of x³ over the surface, x = (p − centroid)·axis / radius.
/// Per triangle: (Σxᵢ³ + Σᵢ≠ⱼ xᵢ²xⱼ + x₁x₂x₃)/10 (barycentric monomial integrals).
double third_moment(const Mesh& mesh, const SurfaceMoments& m, const Vec3& axis, double radius) {
  double sum = 0;
  for (const auto& t : mesh.triangles) {
    if (!valid(mesh, t)) continue;
    const Vec3 &a = mesh.vertices[t[0]], &b = mesh.vertices[t[1]], &c = mesh.vertices[t[2]];
    const Vec3 n = cross(sub(b, a), sub(c, a));
    const double area = std::sqrt(dot(n, n)) / 2;
    const double x1 = dot(sub(a, m.centroid), axis) / radius, x2 = dot(sub(b, m.centroid), axis) / radius,
                 x3 = dot(sub(c, m.centroid), axis) / radius;
    sum += area / 10 *
           (x1 * x1 * x1 + x2 * x2 * x2 + x3 * x3 * x3 + x1 * x1 * (x2 + x3) + x2 * x2 * (x1 + x3) +
            x3 * x3 * (x1 + x2) + x1 * x2 * x3);
  }
  return sum / m.area;
}

std::string exact_from(const Mesh& mesh) {
  std::vector<Key> keys(mesh.vertices.size());
  for (size_t i = 0; i < keys.size(); ++i)
    for (size_t c = 0; c < 3; ++c) keys[i][c] = float32_key(decimal6(mesh.vertices[i][c]));
  return digest_form("trawl-mesh-exact-v2", canonical_form(mesh, keys));
}

std::string pose_from(const Mesh& mesh, const SurfaceMoments& m) {
  const double radius = std::sqrt(m.eigenvalues[0] + m.eigenvalues[1] + m.eigenvalues[2]);
  if (!(m.area > 0) || !(radius > 0) || !std::isfinite(radius))
    return digest_form("trawl-mesh-pose-v1 flat", {});  // nothing to normalise
  constexpr double kEigenTolerance = 1e-2;
  constexpr double kMomentTolerance = 1e-4;
  constexpr double kGrid = 256;
  const double tol = kEigenTolerance * m.eigenvalues[0];
  // Candidate frames (proper rotations): axis orders allowed by near-equal
  // eigenvalues, times the signs the third moments leave open.
  std::vector<Matrix3> frames;
  std::array<double, 3> moment{};
  std::array<bool, 3> have_moment{false, false, false};
  auto moment_of = [&](size_t axis) {  // each axis's third moment is one pass; compute it once
    if (!have_moment[axis]) moment[axis] = third_moment(mesh, m, m.axes[axis], radius);
    have_moment[axis] = true;
    return moment[axis];
  };
  std::array<size_t, 3> perm{0, 1, 2};
  do {
    bool allowed = true;
    for (size_t k = 0; k < 3; ++k) allowed = allowed && std::fabs(m.eigenvalues[perm[k]] - m.eigenvalues[k]) <= tol;
    if (!allowed) continue;
    const Vec3& x_axis = m.axes[perm[0]];
    const Vec3& y_axis = m.axes[perm[1]];
    const double mx = moment_of(perm[0]);
    const double my = moment_of(perm[1]);
    for (const int sx : {1, -1}) {
      if (std::fabs(mx) > kMomentTolerance && (mx > 0) != (sx > 0)) continue;
      for (const int sy : {1, -1}) {
        if (std::fabs(my) > kMomentTolerance && (my > 0) != (sy > 0)) continue;
        const Vec3 x{sx * x_axis[0], sx * x_axis[1], sx * x_axis[2]};
        const Vec3 y{sy * y_axis[0], sy * y_axis[1], sy * y_axis[2]};
        frames.push_back({x, y, cross(x, y)});  // z = x × y: mirrors stay distinct
      }
    }
  } while (std::next_permutation(perm.begin(), perm.end()));

  std::vector<Key> keys(mesh.vertices.size());
  auto compute_keys = [&](const Matrix3& f) {
    for (size_t i = 0; i < keys.size(); ++i) {
      const Vec3 p = sub(mesh.vertices[i], m.centroid);
      keys[i] = {std::llround(dot(p, f[0]) / radius * kGrid), std::llround(dot(p, f[1]) / radius * kGrid),
                 std::llround(dot(p, f[2]) / radius * kGrid)};
    }
  };
  // The canonical forms compare vertex lists first, so a cheap exact prefix
  // of each candidate's sorted unique vertices (from its 256 smallest keys)
  // rules most candidates out before any full sort.
  std::vector<size_t> survivors;
  if (frames.size() > 1) {
    std::vector<std::vector<Key>> prefixes;
    for (const auto& f : frames) {
      compute_keys(f);
      std::vector<Key> smallest = keys;
      const size_t k = std::min<size_t>(256, smallest.size());
      std::nth_element(smallest.begin(), smallest.begin() + static_cast<std::ptrdiff_t>(k > 0 ? k - 1 : 0), smallest.end());
      smallest.resize(k);
      std::sort(smallest.begin(), smallest.end());
      smallest.erase(std::unique(smallest.begin(), smallest.end()), smallest.end());
      prefixes.push_back(std::move(smallest));
    }
    auto compare = [&](size_t a, size_t b) {  // <0, 0 (undecided), >0 over the common length
      const size_t n = std::min(prefixes[a].size(), prefixes[b].size());
      for (size_t i = 0; i < n; ++i)
        if (prefixes[a][i] != prefixes[b][i]) return prefixes[a][i] < prefixes[b][i] ? -1 : 1;
      return 0;
    };
    size_t lead = 0;
    for (size_t i = 1; i < frames.size(); ++i)
      if (compare(i, lead) < 0) lead = i;
    for (size_t i = 0; i < frames.size(); ++i)
      if (compare(i, lead) == 0) survivors.push_back(i);
  } else {
    survivors.push_back(0);
  }
  CanonicalForm best;
  bool have_best = false;
  for (const size_t i : survivors) {
    compute_keys(frames[i]);
    auto form = canonical_form(mesh, keys);
    if (!have_best || form < best) {
      best = std::move(form);
      have_best = true;
    }
  }
  return digest_form("trawl-mesh-pose-v1", best);
}

ShapeSignature shape_from(const Mesh& mesh, const SurfaceMoments& m, const MeshMeasures& measures) {
  ShapeSignature s;
  auto bucket = [](double value, double scale) { return static_cast<int64_t>(std::llround(value * scale)); };
  const double l1 = m.eigenvalues[0];
  s.buckets.push_back(l1 > 0 ? bucket(m.eigenvalues[1] / l1, 20) : 0);
  s.buckets.push_back(l1 > 0 ? bucket(m.eigenvalues[2] / l1, 20) : 0);
  const double volume = std::fabs(m.signed_volume);
  const bool solid = m.area > 0 && volume > 1e-9 * std::pow(m.area, 1.5);
  s.buckets.push_back(solid ? bucket(std::log(m.area * m.area * m.area / (volume * volume)), 10) : -1);
  // Extents along the principal axes of the used vertices.
  Vec3 lo{0, 0, 0}, hi{0, 0, 0};
  bool first = true;
  std::vector<bool> used(mesh.vertices.size(), false);
  for (const auto& t : mesh.triangles)
    if (valid(mesh, t))
      for (const uint32_t i : t) used[i] = true;
  for (size_t i = 0; i < mesh.vertices.size(); ++i) {
    if (!used[i]) continue;
    const Vec3 p = sub(mesh.vertices[i], m.centroid);
    for (size_t k = 0; k < 3; ++k) {
      const double x = dot(p, m.axes[k]);
      lo[k] = first ? x : std::min(lo[k], x);
      hi[k] = first ? x : std::max(hi[k], x);
    }
    first = false;
  }
  std::array<double, 3> e{hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]};
  std::sort(e.begin(), e.end(), std::greater<>());
  s.buckets.push_back(e[0] > 0 ? bucket(e[1] / e[0], 20) : 0);
  s.buckets.push_back(e[0] > 0 ? bucket(e[2] / e[0], 20) : 0);
  s.buckets.push_back(static_cast<int64_t>(measures.component_count));
  s.buckets.push_back(measures.euler_characteristic);
  std::vector<uint8_t> bytes;
  for (const int64_t b : s.buckets)
    for (int i = 0; i < 8; ++i) bytes.push_back(static_cast<uint8_t>(static_cast<uint64_t>(b) >> (8 * i)));
  s.hash = sha256_hex("trawl-mesh-shape-v1", bytes);
  return s;
}

}  // namespace

std::string exact_hash(const Mesh& mesh) { return exact_from(mesh); }

std::string pose_hash(const Mesh& mesh) { return pose_from(mesh, surface_moments(mesh)); }

ShapeSignature shape_signature(const Mesh& mesh, const MeshMeasures* measures) {
  return shape_from(mesh, surface_moments(mesh), measures != nullptr ? *measures : measure_mesh(mesh));
}

GeometryHashes geometry_hashes(const Mesh& mesh, const MeshMeasures* measures) {
  const SurfaceMoments m = surface_moments(mesh);
  return {exact_from(mesh), pose_from(mesh, m), shape_from(mesh, m, measures != nullptr ? *measures : measure_mesh(mesh))};
}

}  // namespace trawl::mesh
