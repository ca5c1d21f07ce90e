#include "mesh/eigen3.hpp"

#include <doctest/doctest.h>

#include <cmath>

namespace trawl::mesh {
namespace {

// A·v == λ·v for every pair, and the vectors are orthonormal.
void check_decomposition(const SymMatrix3& a, const Eigen3& e) {
  for (size_t k = 0; k < 3; ++k) {
    const auto& v = e.vectors[k];
    for (size_t i = 0; i < 3; ++i) {
      const double av = a[i][0] * v[0] + a[i][1] * v[1] + a[i][2] * v[2];
      CHECK(av == doctest::Approx(e.values[k] * v[i]).epsilon(1e-9).scale(1));
    }
    for (size_t j = 0; j < 3; ++j) {
      const double d = v[0] * e.vectors[j][0] + v[1] * e.vectors[j][1] + v[2] * e.vectors[j][2];
      CHECK(d == doctest::Approx(k == j ? 1.0 : 0.0).scale(1));
    }
  }
}

TEST_CASE("Eigen3: a diagonal matrix is returned as is, in Jacobi (unsorted) order") {
  const SymMatrix3 a{{{1, 0, 0}, {0, 3, 0}, {0, 0, 2}}};
  for (const JacobiRule* rule : {&kJacobiToFloor, &kJacobiRelative}) {
    const Eigen3 e = symmetric_eigen(a, *rule);
    CHECK(e.values == std::array<double, 3>{1, 3, 2});
    CHECK(e.vectors[0] == std::array<double, 3>{1, 0, 0});
    CHECK(e.vectors[1] == std::array<double, 3>{0, 1, 0});
    CHECK(e.vectors[2] == std::array<double, 3>{0, 0, 1});
  }
}

TEST_CASE("Eigen3: both rules decompose a full symmetric matrix") {
  const SymMatrix3 a{{{4, 1, -2}, {1, 2, 0.5}, {-2, 0.5, 3}}};
  for (const JacobiRule* rule : {&kJacobiToFloor, &kJacobiRelative}) {
    const Eigen3 e = symmetric_eigen(a, *rule);
    check_decomposition(a, e);
    CHECK(e.values[0] + e.values[1] + e.values[2] == doctest::Approx(9));  // the trace is kept
  }
}

TEST_CASE("Eigen3: a 2x2 block rotates to its known eigenpairs") {
  const SymMatrix3 a{{{2, 1, 0}, {1, 2, 0}, {0, 0, 5}}};
  const Eigen3 e = symmetric_eigen(a, kJacobiToFloor);
  check_decomposition(a, e);
  CHECK(e.values[0] == doctest::Approx(1));
  CHECK(e.values[1] == doctest::Approx(3));
  CHECK(e.values[2] == 5);
  CHECK(std::fabs(e.vectors[1][0]) == doctest::Approx(std::sqrt(0.5)));
}

}  // namespace
}  // namespace trawl::mesh
