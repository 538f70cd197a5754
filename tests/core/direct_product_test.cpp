// direct_product against Eigen's product on every edge of its blocking: rows around the band
// height (24, 12 or 6 with 8-, 4- or 2-lane packets) and the packet after a band (whole or not),
// columns around the block width, B plain and transposed, operands that are blocks of larger
// arrays, C overwritten or added to.
#include "core/direct_product.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/random.hpp"
#include "test_support.hpp"

namespace nmfbench {
namespace {

using Matrix = Eigen::MatrixXd;

TEST(DirectProduct, EqualsEigensProductOnEveryEdgeOfTheBlocking) {
  RandomStream rng(5, "direct-product");
  int checked = 0;
  for (const Eigen::Index m : {1, 5, 8, 13, 16, 24, 25, 30, 40, 49, 72, 77}) {
    for (const Eigen::Index n : {1, 3, 4, 7, 8, 9, 17}) {
      for (const Eigen::Index k : {0, 1, 6, 33, 1100}) {
        // A and C are blocks inside larger arrays, so their strides exceed their heights.
        const Matrix big_a = rng.uniform_array(m + 3, k + 1, -1, 1).matrix();
        const auto a = big_a.block(2, 1, m, k);
        const Matrix b = rng.uniform_array(k, n, -1, 1).matrix();
        const Matrix b_transposed = b.transpose();
        for (const bool transposed : {false, true}) {
          for (const bool accumulate : {false, true}) {
            Matrix big_c = rng.uniform_array(m + 4, n + 2, -1, 1).matrix();
            const Matrix before = big_c;
            auto c = big_c.block(1, 2, m, n);
            const StridedView b_view =
                transposed ? strided_view(b_transposed.transpose()) : strided_view(b);
            direct_product(columns_view(a), b_view, output_view(c), accumulate);
            Matrix expected = a * b;
            if (accumulate) expected += before.block(1, 2, m, n);
            EXPECT_LE((c - expected).cwiseAbs().maxCoeff(), 1e-13 * (k + 1))
                << m << "x" << k << " times " << k << "x" << n << (transposed ? " transposed" : "")
                << (accumulate ? " accumulated" : "");
            // Nothing outside C is touched.
            Matrix outside = big_c - before;
            outside.block(1, 2, m, n).setZero();
            EXPECT_EQ(outside.cwiseAbs().maxCoeff(), 0);
            ++checked;
          }
        }
      }
    }
  }
  EXPECT_EQ(checked, 12 * 7 * 5 * 4);
}

// Panels of B (depths over 512, and more columns than a panel holds: 1 MiB over 367-deep
// panels is 352 columns) change the order of the work, not of the additions: every element is
// the fused multiply-adds of one pass in order of the inner index, added to C at the end when
// accumulating. Rows: whole bands only, a padded rest, and a rest of whole packets.
TEST(DirectProduct, PanelsGiveTheBitsOfOnePassInOrder) {
  RandomStream rng(6, "direct-product-panels");
  const Eigen::Index k = 1100, n = 400;
  for (const Eigen::Index m : {30, 40, 48}) {
    const Matrix a = rng.uniform_array(m, k, -1, 1).matrix();
    const Matrix b = rng.uniform_array(k, n, -1, 1).matrix();
    const Matrix before = rng.uniform_array(m, n, -1, 1).matrix();
    Matrix sums(m, n);
    for (Eigen::Index j = 0; j < n; ++j) {
      for (Eigen::Index i = 0; i < m; ++i) {
        Real sum = 0;
        for (Eigen::Index p = 0; p < k; ++p) {
#ifdef EIGEN_VECTORIZE_FMA
          sum = std::fma(a(i, p), b(p, j), sum);
#else
          sum = a(i, p) * b(p, j) + sum;
#endif
        }
        sums(i, j) = sum;
      }
    }
    for (const bool accumulate : {false, true}) {
      Matrix c = before;
      direct_product(columns_view(a), strided_view(b), output_view(c), accumulate);
      const Matrix expected = accumulate ? Matrix(before + sums) : sums;
      EXPECT_TRUE(c == expected) << m << " rows" << (accumulate ? " accumulated" : "");
    }
  }
}

TEST(DirectProduct, MismatchedSizesAreAnError) {
  Matrix a = Matrix::Ones(4, 3), b = Matrix::Ones(2, 5), c(4, 5);
  EXPECT_NE(testing::error_message([&] {
              direct_product(columns_view(a), strided_view(b), output_view(c), false);
            }).find("4x3 times 2x5 into 4x5"),
            std::string::npos);
}

}  // namespace
}  // namespace nmfbench
