#pragma once
// Eigen-decomposition of a symmetric 3×3 matrix by cyclic Jacobi rotations,
// shared by the geometry hash (principal axes of the surface) and the cue box
// (PCA box of the triangle centroids). The two callers stop the rotations by
// different rules and the geometry hashes are pinned by tests, so the rule is
// a parameter: each caller keeps exactly the numbers it had.
#include <array>

namespace trawl::mesh {

using SymMatrix3 = std::array<std::array<double, 3>, 3>;

/// Eigenvalues and unit eigenvectors, in Jacobi order (unsorted, unclamped):
/// vectors[k] belongs to values[k].
struct Eigen3 {
  std::array<double, 3> values;
  std::array<std::array<double, 3>, 3> vectors;
};

/// When to stop rotating.
struct JacobiRule {
  int max_sweeps;
  /// True when the off-diagonal part of `a` is small enough to stop.
  bool (*converged)(const SymMatrix3& a);
  /// A rotation is skipped when |a[p][q]| is below this.
  double skip_below;
};

/// Rotates down to the floating-point floor: up to 64 sweeps, stop when the
/// squared off-diagonal sum is < 1e-300. The geometry hash's rule.
extern const JacobiRule kJacobiToFloor;
/// Stops at 1e-12 relative to the diagonal, up to 32 sweeps, rotating every
/// non-zero entry. The cue box's rule.
extern const JacobiRule kJacobiRelative;

/// Decomposes the symmetric matrix `a` (only its upper triangle and diagonal
/// are rotated towards zero; the input is taken by value).
Eigen3 symmetric_eigen(SymMatrix3 a, const JacobiRule& rule);

}  // namespace trawl::mesh
