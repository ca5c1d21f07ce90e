#include "mesh/geometry_hash.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <climits>
#include <cstdint>
#include <cmath>
#include <cstring>
#include <span>

#include "hash/digest.hpp"
#include "mesh/decimal6.hpp"
#include "mesh/eigen3.hpp"
#include "mesh/measure.hpp"
#include "mesh/radix_sort.hpp"

namespace trawl::mesh {
namespace {

/// v2: cell boundaries placed by grid_offset() and round-off covariances snapped (v1: the plain grid).
constexpr std::string_view kPoseDomain = "trawl-mesh-pose-v2";
/// Covariances below this fraction of the trace are round-off (a "%g" re-export leaves up to 5e-6 relative).
constexpr double kAxisSnap = 1e-6;

using Key = std::array<int64_t, 3>;
using Matrix3 = std::array<Vec3, 3>;  // rows

double dot(const Vec3& a, const Vec3& b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }
Vec3 sub(const Vec3& a, const Vec3& b) { return {a[0] - b[0], a[1] - b[1], a[2] - b[2]}; }
Vec3 cross(const Vec3& a, const Vec3& b) {
  return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}

/// The vertices and triangles a tier hashes (a mesh, or its triangles over other coordinates).
struct Surface {
  std::span<const Vec3> vertices;
  std::span<const Triangle> triangles;
};

std::vector<Vec3> rounded_vertices(const Mesh& mesh) {
  std::vector<Vec3> out(mesh.vertices.size());
  for (size_t i = 0; i < out.size(); ++i)
    for (size_t c = 0; c < 3; ++c) out[i][c] = decimal6(mesh.vertices[i][c]);
  return out;
}

bool valid(const Surface& mesh, const Triangle& t) {
  return t[0] < mesh.vertices.size() && t[1] < mesh.vertices.size() && t[2] < mesh.vertices.size();
}

/// The canonical byte form of a mesh whose vertices were mapped to integer
/// keys: sorted unique keys, then triangles as ranks into them, each rotated
/// to start at its smallest rank, sorted. Equal meshes up to vertex order,
/// triangle order and triangle rotation give equal bytes.
struct CanonicalForm {
  std::vector<Key> vertices;  ///< sorted, unique
  /// Triangles as ranks into vertices, sorted: packed into words of three
  /// `bits`-bit fields (same order) when the ranks fit 21 bits, else `wide`.
  std::vector<uint64_t> packed;
  unsigned bits = 0;
  std::vector<std::array<uint32_t, 3>> wide;

  size_t triangle_count() const { return bits > 0 ? packed.size() : wide.size(); }
  std::array<uint32_t, 3> triangle(size_t i) const {
    if (bits == 0) return wide[i];
    const uint64_t w = packed[i], mask = (uint64_t{1} << bits) - 1;
    return {static_cast<uint32_t>(w >> (2 * bits)), static_cast<uint32_t>(w >> bits & mask),
            static_cast<uint32_t>(w & mask)};
  }
  /// Vertex lists first (lexicographic, so the smallest vertex decides
  /// first), then triangles (equal vertex lists pack alike).
  bool operator<(const CanonicalForm& other) const {
    if (vertices != other.vertices) return vertices < other.vertices;
    return bits > 0 ? packed < other.packed : wide < other.wide;
  }
};

CanonicalForm canonical_form(const Surface& mesh, const std::vector<Key>& keys) {
  std::vector<uint32_t> rank(keys.size());
  std::vector<Key> unique;
  unique.reserve(keys.size());
  // Each coordinate's span of values, to pack whole keys into one word when they fit.
  std::array<int64_t, 3> low{0, 0, 0}, high{0, 0, 0};
  if (!keys.empty()) low = high = keys[0];
  for (const Key& k : keys)
    for (size_t c = 0; c < 3; ++c) {
      low[c] = std::min(low[c], k[c]);
      high[c] = std::max(high[c], k[c]);
    }
  std::array<unsigned, 3> width{0, 0, 0};
  for (size_t c = 0; c < 3; ++c)
    width[c] = static_cast<unsigned>(std::bit_width(static_cast<uint64_t>(high[c]) - static_cast<uint64_t>(low[c])));
  const bool compact = std::all_of(low.begin(), low.end(), [](int64_t c) { return c >= INT32_MIN; }) &&
                       std::all_of(high.begin(), high.end(), [](int64_t c) { return c <= INT32_MAX; });
  if (width[0] + width[1] + width[2] <= 64) {
    // Offsets from each coordinate's minimum, packed x|y|z into one word
    // that orders like the keys: a stable radix sort of (word, index) gives
    // the order of (key, index), and equal words are equal keys.
    struct Entry {
      uint64_t word;
      uint32_t index;
    };
    const unsigned shift_x = width[1] + width[2], shift_y = width[2];
    auto offset = [&](const Key& k, size_t c) { return static_cast<uint64_t>(k[c]) - static_cast<uint64_t>(low[c]); };
    std::vector<Entry> entries;
    entries.reserve(keys.size());
    for (uint32_t i = 0; i < keys.size(); ++i) {
      const uint64_t x = shift_x == 64 ? 0 : offset(keys[i], 0) << shift_x;  // width[0] == 0 then
      entries.push_back({x | (shift_y == 64 ? 0 : offset(keys[i], 1) << shift_y) | offset(keys[i], 2), i});
    }
    radix_sort(entries, width[0] + width[1] + width[2], [](const Entry& e) { return e.word; });
    // Unique keys are rebuilt from their words, which are in order, rather than read from keys[] at random.
    auto field = [](uint64_t word, unsigned shift, unsigned bits) {
      if (bits == 0) return uint64_t{0};
      return (word >> shift) & (bits == 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1);
    };
    for (size_t k = 0; k < entries.size(); ++k) {
      const uint64_t w = entries[k].word;
      if (k == 0 || w != entries[k - 1].word)
        unique.push_back({static_cast<int64_t>(field(w, shift_x, width[0]) + static_cast<uint64_t>(low[0])),
                          static_cast<int64_t>(field(w, shift_y, width[1]) + static_cast<uint64_t>(low[1])),
                          static_cast<int64_t>(field(w, 0, width[2]) + static_cast<uint64_t>(low[2]))});
      rank[entries[k].index] = static_cast<uint32_t>(unique.size() - 1);
    }
  } else if (compact) {
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
  // Each triangle as its ranks, rotated to start at the smallest (keeping the winding).
  auto ranks = [&](const Triangle& t) {
    std::array<uint32_t, 3> r{rank[t[0]], rank[t[1]], rank[t[2]]};
    const size_t m = r[0] <= r[1] && r[0] <= r[2] ? 0 : (r[1] <= r[2] ? 1 : 2);
    std::rotate(r.begin(), r.begin() + static_cast<std::ptrdiff_t>(m), r.end());
    return r;
  };
  CanonicalForm form;
  const auto bits = static_cast<unsigned>(std::bit_width(std::max<size_t>(unique.size(), 2) - 1));
  if (bits <= 21) {
    // Three ranks of `bits` bits pack into one word whose order is the
    // lexicographic order. Sorted by a counting sort on the first rank (one
    // bucket per vertex, a few triangles each), then each bucket by word.
    form.bits = bits;
    std::vector<uint32_t> start(unique.size() + 1, 0);
    std::vector<uint64_t> words;
    words.reserve(mesh.triangles.size());
    for (const auto& t : mesh.triangles) {
      if (!valid(mesh, t)) continue;
      const auto r = ranks(t);
      words.push_back(static_cast<uint64_t>(r[0]) << (2 * bits) | static_cast<uint64_t>(r[1]) << bits | r[2]);
      ++start[r[0] + 1];
    }
    for (size_t v = 1; v < start.size(); ++v) start[v] += start[v - 1];
    form.packed.resize(words.size());
    std::vector<uint32_t> next(start.begin(), start.end() - 1);
    for (const uint64_t w : words) form.packed[next[w >> (2 * bits)]++] = w;
    for (size_t v = 0; v + 1 < start.size(); ++v)
      if (start[v + 1] - start[v] > 1) std::sort(form.packed.begin() + start[v], form.packed.begin() + start[v + 1]);
  } else {
    form.wide.reserve(mesh.triangles.size());
    for (const auto& t : mesh.triangles)
      if (valid(mesh, t)) form.wide.push_back(ranks(t));
    std::sort(form.wide.begin(), form.wide.end());
  }
  form.vertices = std::move(unique);
  return form;
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
  put(form.triangle_count(), 8);
  for (size_t i = 0; i < form.triangle_count(); ++i)
    for (const uint32_t r : form.triangle(i)) put(r, 4);
  digest.update(std::as_bytes(std::span(block.data(), used)));
  return digest.finish().front().second;
}

std::string sha256_hex(std::string_view domain, std::span<const uint8_t> bytes) {
  hash::MultiDigest digest({hash::Algorithm::sha256});
  digest.update(std::as_bytes(std::span(domain.data(), domain.size())));
  digest.update(std::as_bytes(bytes));
  return digest.finish().front().second;
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

/// `snap` > 0 zeroes covariances below snap × trace first: round-off of an
/// axis-aligned part then leaves its axes on the coordinate axes, so the
/// arbitrary axes of equal spreads (a cylinder's, a sphere's) turn with a
/// right-angle rotation of the part instead of following the noise.
SurfaceMoments surface_moments(const Surface& mesh, double snap = 0) {
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
  const double trace = m.covariance[0][0] + m.covariance[1][1] + m.covariance[2][2];
  for (size_t i = 0; i < 3; ++i)
    for (size_t j = i + 1; j < 3; ++j)
      if (std::fabs(m.covariance[i][j]) <= snap * trace) m.covariance[i][j] = m.covariance[j][i] = 0;
  jacobi_eigen(m.covariance, m.eigenvalues, m.axes);
  return m;
}

/// Area-weighted mean of x³ over the surface along each principal axis,
/// x = (p − centroid)·axis / radius, in one pass (the triangle areas are shared).
/// Per triangle: (Σxᵢ³ + Σᵢ≠ⱼ xᵢ²xⱼ + x₁x₂x₃)/10 (barycentric monomial integrals).
std::array<double, 3> third_moments(const Surface& mesh, const SurfaceMoments& m, double radius) {
  std::array<double, 3> sum{0, 0, 0};
  for (const auto& t : mesh.triangles) {
    if (!valid(mesh, t)) continue;
    const Vec3 &a = mesh.vertices[t[0]], &b = mesh.vertices[t[1]], &c = mesh.vertices[t[2]];
    const Vec3 n = cross(sub(b, a), sub(c, a));
    const double area = std::sqrt(dot(n, n)) / 2;
    const Vec3 pa = sub(a, m.centroid), pb = sub(b, m.centroid), pc = sub(c, m.centroid);
    for (size_t k = 0; k < 3; ++k) {
      const Vec3& axis = m.axes[k];
      const double x1 = dot(pa, axis) / radius, x2 = dot(pb, axis) / radius, x3 = dot(pc, axis) / radius;
      sum[k] += area / 10 *
                (x1 * x1 * x1 + x2 * x2 * x2 + x3 * x3 * x3 + x1 * x1 * (x2 + x3) + x2 * x2 * (x1 + x3) +
                 x3 * x3 * (x1 + x2) + x1 * x2 * x3);
    }
  }
  for (double& s : sum) s /= m.area;
  return sum;
}

std::string exact_from(const Surface& mesh) {
  std::vector<Key> keys(mesh.vertices.size());
  for (size_t i = 0; i < keys.size(); ++i)
    for (size_t c = 0; c < 3; ++c) keys[i][c] = float32_key(mesh.vertices[i][c]);  // already decimal6()
  return digest_form("trawl-mesh-exact-v2", canonical_form(mesh, keys));
}

/// A candidate canonical frame: x = sx·axes[x_axis], y = sy·axes[y_axis],
/// z = x × y (so mirrors stay distinct).
struct Frame {
  size_t x_axis, y_axis;
  int sx, sy;
};

/// The grid offset o for the quantised coordinates llround(v - o) of the
/// values `v` (in cells): it puts the cell boundaries in the middle of the
/// widest gap between the values' fractional parts, so every value is as far
/// from a boundary as this data allows and small noise (a re-export's
/// rounding, a move's round-off) changes no cell. Negated values get the
/// negated offset, so a flipped axis keeps llround's symmetry. Where the
/// choice itself would hang on noise, the plain grid (o = 0) is kept: the
/// two widest gaps within kGapTie of each other (mirror-image gaps of a
/// centrally symmetric part), or boundaries within kGapTie of the integers
/// (o = ±0.5 is its own mirror, but its labels are not), or no gap wide
/// enough to be worth it. One pass over value(i), i < n, no sort.
template <class Values>
double grid_offset(size_t n, Values value) {
  constexpr double kGapTie = 1e-2;
  // Gaps of at least 1/kBuckets span a bucket boundary and are found exactly; only narrower ones (inside a
  // bucket) are missed, which cannot change the outcome once the widest gap is kGapTie + 1/kBuckets or more.
  constexpr size_t kBuckets = 1024;
  if (n == 0) return 0;
  std::array<double, kBuckets> lo, hi;
  lo.fill(2.0);
  hi.fill(-1.0);
  for (size_t i = 0; i < n; ++i) {
    const double x = value(i);
    const double f = x - std::floor(x);
    if (!std::isfinite(f)) return 0;
    const size_t b = std::min(kBuckets - 1, static_cast<size_t>(f * kBuckets));
    lo[b] = std::min(lo[b], f);
    hi[b] = std::max(hi[b], f);
  }
  double first = -1, prev = -1, best_gap = -1, second_gap = -1, best_start = 0;
  auto consider = [&](double gap, double start) {
    if (gap > best_gap) {
      second_gap = best_gap;
      best_gap = gap;
      best_start = start;
    } else if (gap > second_gap) {
      second_gap = gap;
    }
  };
  for (size_t b = 0; b < kBuckets; ++b) {
    if (hi[b] < 0) continue;
    if (first < 0) first = lo[b];
    if (prev >= 0) consider(lo[b] - prev, prev);
    prev = hi[b];
  }
  consider(first + 1 - prev, prev);  // the gap that wraps around 1
  if (best_gap < kGapTie + 1.0 / kBuckets || best_gap - second_gap < kGapTie) return 0;
  double g = best_start + best_gap / 2;  // a boundary, mod 1
  g -= std::floor(g);
  const double o = g - 0.5;  // llround(v - o) has its boundaries at o + k + 0.5
  return 0.5 - std::fabs(o) < kGapTie ? 0 : o;
}

/// llround, saturated at ±2^62 (NaN gives 0) so that a far unused vertex
/// cannot overflow when a frame negates its key; symmetric like llround.
int64_t quantise(double x) {
  constexpr double kLimit = 0x1p62;
  if (std::fabs(x) < kLimit) return std::llround(x);
  if (std::isnan(x)) return 0;
  return x > 0 ? static_cast<int64_t>(kLimit) : -static_cast<int64_t>(kLimit);
}

/// Every candidate frame's vertex keys are signed picks from six integer
/// columns, each computed once: the quantised projections on the three
/// principal axes and on the three cross products of two of them. Negating
/// an axis negates a projection exactly (llround is symmetric), and
/// cross(b, a) is -cross(a, b) bit for bit, so a pick equals what projecting
/// on the frame's own signed axes gives, without a pass per frame.
class FrameKeys {
 public:
  FrameKeys(const Surface& mesh, const SurfaceMoments& m, double radius, double grid)
      : mesh_(mesh), m_(m), radius_(radius), grid_(grid) {}

  size_t size() const { return mesh_.vertices.size(); }

  /// Coordinate c (0, 1, 2) of every vertex in frame f is sign · column[i].
  const std::vector<int64_t>& column(const Frame& f, size_t c, int64_t& sign) {
    if (c == 0) {
      sign = f.sx;
      return axis_column(f.x_axis);
    }
    if (c == 1) {
      sign = f.sy;
      return axis_column(f.y_axis);
    }
    // cross(axes[a], axes[b]) is stored for the cyclic pairs (0,1), (1,2), (2,0); the other order negates.
    const bool cyclic = (f.y_axis + 3 - f.x_axis) % 3 == 1;
    const size_t a = cyclic ? f.x_axis : f.y_axis, b = cyclic ? f.y_axis : f.x_axis;
    sign = f.sx * f.sy * (cyclic ? 1 : -1);
    return project(cross_[a], cross(m_.axes[a], m_.axes[b]));
  }
  void keys(const Frame& f, std::vector<Key>& out) {
    int64_t sx = 0, sy = 0, sz = 0;
    const auto &x = column(f, 0, sx), &y = column(f, 1, sy), &z = column(f, 2, sz);
    out.resize(size());
    for (size_t i = 0; i < out.size(); ++i) out[i] = {sx * x[i], sy * y[i], sz * z[i]};
  }

 private:
  const std::vector<int64_t>& project(std::vector<int64_t>& col, const Vec3& direction) {
    if (col.size() != size()) {
      auto value = [&](size_t i) { return dot(sub(mesh_.vertices[i], m_.centroid), direction) / radius_ * grid_; };
      const double o = grid_offset(size(), value);
      col.resize(size());
      for (size_t i = 0; i < col.size(); ++i) col[i] = quantise(value(i) - o);
    }
    return col;
  }
  const std::vector<int64_t>& axis_column(size_t a) { return project(axis_[a], m_.axes[a]); }

  const Surface& mesh_;
  const SurfaceMoments& m_;
  double radius_, grid_;
  std::array<std::vector<int64_t>, 3> axis_, cross_;
};

/// The unique sorted keys among the `count` smallest keys of frame f (with
/// multiplicity): a prefix of the sorted unique key list canonical_form()
/// would build for f, so comparing two frames' prefixes over their common
/// length orders their canonical forms whenever the prefixes differ.
/// `lowest` caches, per signed first axis, the vertices whose first
/// coordinate is at most the count-th smallest: the smallest keys are among
/// them, and frames that share a first axis share the list.
struct LowestVertices {
  size_t count = 0;
  std::vector<uint32_t> indices;
};

std::vector<Key> key_prefix(FrameKeys& frame_keys, const Frame& f, size_t count,
                            std::array<LowestVertices, 6>& lowest) {
  const size_t n = frame_keys.size();
  count = std::min(count, n);
  if (count == 0) return {};
  int64_t sx = 0, sy = 0, sz = 0;
  const auto &x = frame_keys.column(f, 0, sx), &y = frame_keys.column(f, 1, sy), &z = frame_keys.column(f, 2, sz);
  LowestVertices& low = lowest[f.x_axis * 2 + (f.sx < 0 ? 1 : 0)];
  if (low.count != count) {
    std::vector<int64_t> first(n);
    for (size_t i = 0; i < n; ++i) first[i] = sx * x[i];
    std::nth_element(first.begin(), first.begin() + static_cast<std::ptrdiff_t>(count - 1), first.end());
    const int64_t limit = first[count - 1];
    low.count = count;
    low.indices.clear();
    for (size_t i = 0; i < n; ++i)
      if (sx * x[i] <= limit) low.indices.push_back(static_cast<uint32_t>(i));
  }
  std::vector<Key> smallest(low.indices.size());
  for (size_t k = 0; k < smallest.size(); ++k) {
    const uint32_t i = low.indices[k];
    smallest[k] = {sx * x[i], sy * y[i], sz * z[i]};
  }
  std::nth_element(smallest.begin(), smallest.begin() + static_cast<std::ptrdiff_t>(count - 1), smallest.end());
  smallest.resize(count);
  std::sort(smallest.begin(), smallest.end());
  smallest.erase(std::unique(smallest.begin(), smallest.end()), smallest.end());
  return smallest;
}

std::string pose_from(const Surface& mesh, const SurfaceMoments& m) {
  const double radius = std::sqrt(m.eigenvalues[0] + m.eigenvalues[1] + m.eigenvalues[2]);
  if (!(m.area > 0) || !(radius > 0) || !std::isfinite(radius))
    return digest_form(std::string(kPoseDomain) + " flat", {});  // nothing to normalise
  constexpr double kEigenTolerance = 1e-2;
  constexpr double kMomentTolerance = 1e-4;
  constexpr double kGrid = 256;
  const double tol = kEigenTolerance * m.eigenvalues[0];
  // Candidate frames (proper rotations): axis orders allowed by near-equal
  // eigenvalues, times the signs the third moments leave open.
  std::vector<Frame> frames;
  const std::array<double, 3> moment = third_moments(mesh, m, radius);
  std::array<size_t, 3> perm{0, 1, 2};
  do {
    bool allowed = true;
    for (size_t k = 0; k < 3; ++k) allowed = allowed && std::fabs(m.eigenvalues[perm[k]] - m.eigenvalues[k]) <= tol;
    if (!allowed) continue;
    const double mx = moment[perm[0]];
    const double my = moment[perm[1]];
    for (const int sx : {1, -1}) {
      if (std::fabs(mx) > kMomentTolerance && (mx > 0) != (sx > 0)) continue;
      for (const int sy : {1, -1}) {
        if (std::fabs(my) > kMomentTolerance && (my > 0) != (sy > 0)) continue;
        frames.push_back({perm[0], perm[1], sx, sy});
      }
    }
  } while (std::next_permutation(perm.begin(), perm.end()));

  FrameKeys frame_keys(mesh, m, radius, kGrid);
  // The canonical forms compare vertex lists first, so exact prefixes of
  // each candidate's sorted unique vertices rule candidates out before any
  // full sort; a tie over 256 keys is retried with 16 times more while that
  // is well short of every vertex, and the candidates still tied (on a
  // symmetric mesh, frames that map it onto itself) build their full forms.
  std::array<LowestVertices, 6> lowest;
  std::vector<size_t> survivors(frames.size());
  for (size_t i = 0; i < frames.size(); ++i) survivors[i] = i;
  for (size_t count = 256; survivors.size() > 1; count *= 16) {
    std::vector<std::vector<Key>> prefixes;
    for (const size_t i : survivors) prefixes.push_back(key_prefix(frame_keys, frames[i], count, lowest));
    auto compare = [&](size_t a, size_t b) {  // <0, 0 (undecided), >0 over the common length
      const size_t n = std::min(prefixes[a].size(), prefixes[b].size());
      for (size_t i = 0; i < n; ++i)
        if (prefixes[a][i] != prefixes[b][i]) return prefixes[a][i] < prefixes[b][i] ? -1 : 1;
      return 0;
    };
    size_t lead = 0;
    for (size_t i = 1; i < survivors.size(); ++i)
      if (compare(i, lead) < 0) lead = i;
    std::vector<size_t> tied;
    for (size_t i = 0; i < survivors.size(); ++i)
      if (compare(i, lead) == 0) tied.push_back(survivors[i]);
    survivors = std::move(tied);
    if (count * 16 >= frame_keys.size()) break;  // a longer prefix would cost about a full form
  }
  CanonicalForm best;
  bool have_best = false;
  std::vector<Key> keys;
  for (const size_t i : survivors) {
    frame_keys.keys(frames[i], keys);
    auto form = canonical_form(mesh, keys);
    if (!have_best || form < best) {
      best = std::move(form);
      have_best = true;
    }
  }
  return digest_form(kPoseDomain, best);
}

ShapeSignature shape_from(const Surface& mesh, const SurfaceMoments& m, const MeshMeasures& measures) {
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

std::string exact_hash(const Mesh& mesh) {
  const std::vector<Vec3> rounded = rounded_vertices(mesh);
  return exact_from({rounded, mesh.triangles});
}

std::string pose_hash(const Mesh& mesh) {
  const Surface surface{mesh.vertices, mesh.triangles};
  return pose_from(surface, surface_moments(surface, kAxisSnap));
}

ShapeSignature shape_signature(const Mesh& mesh, const MeshMeasures* measures) {
  const Surface surface{mesh.vertices, mesh.triangles};
  return shape_from(surface, surface_moments(surface, kAxisSnap), measures != nullptr ? *measures : measure_mesh(mesh));
}

GeometryHashes geometry_hashes(const Mesh& mesh, const MeshMeasures* measures) {
  const std::vector<Vec3> rounded = rounded_vertices(mesh);
  const Surface surface{mesh.vertices, mesh.triangles};
  const SurfaceMoments m = surface_moments(surface, kAxisSnap);
  return {exact_from({rounded, mesh.triangles}), pose_from(surface, m),
          shape_from(surface, m, measures != nullptr ? *measures : measure_mesh(mesh))};
}

}  // namespace trawl::mesh
