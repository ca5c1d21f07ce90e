#include "mesh/eigen3.hpp"

#include <cmath>
#include <limits>

namespace trawl::mesh {
namespace {

bool below_floor(const SymMatrix3& a) { return a[0][1] * a[0][1] + a[0][2] * a[0][2] + a[1][2] * a[1][2] < 1e-300; }

bool relatively_small(const SymMatrix3& a) {
  const double off = std::abs(a[0][1]) + std::abs(a[0][2]) + std::abs(a[1][2]);
  return off < 1e-12 * (std::abs(a[0][0]) + std::abs(a[1][1]) + std::abs(a[2][2]) + 1e-300);
}

}  // namespace

const JacobiRule kJacobiToFloor{64, below_floor, 1e-300};
// |x| < denorm_min holds exactly for x == ±0: "skip only exact zeros".
const JacobiRule kJacobiRelative{32, relatively_small, std::numeric_limits<double>::denorm_min()};

Eigen3 symmetric_eigen(SymMatrix3 a, const JacobiRule& rule) {
  SymMatrix3 v{{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}};
  for (int sweep = 0; sweep < rule.max_sweeps; ++sweep) {
    if (rule.converged(a)) break;
    for (size_t p = 0; p < 2; ++p)
      for (size_t q = p + 1; q < 3; ++q) {
        if (std::fabs(a[p][q]) < rule.skip_below) continue;
        const double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const double t = (theta >= 0 ? 1 : -1) / (std::fabs(theta) + std::sqrt(theta * theta + 1));
        const double c = 1 / std::sqrt(t * t + 1), s = t * c;
        for (size_t k = 0; k < 3; ++k) {  // a = Jᵀ a J
          const double akp = a[k][p], akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (size_t k = 0; k < 3; ++k) {
          const double apk = a[p][k], aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
        for (size_t k = 0; k < 3; ++k) {  // v accumulates the rotations: its columns are the eigenvectors
          const double vkp = v[k][p], vkq = v[k][q];
          v[k][p] = c * vkp - s * vkq;
          v[k][q] = s * vkp + c * vkq;
        }
      }
  }
  Eigen3 e{};
  for (size_t k = 0; k < 3; ++k) {
    e.values[k] = a[k][k];
    e.vectors[k] = {v[0][k], v[1][k], v[2][k]};
  }
  return e;
}

}  // namespace trawl::mesh
