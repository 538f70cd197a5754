#include "methods/demua/unrolled.hpp"

#include <array>

#include "core/autodiff/ops.hpp"
#include "core/direct_product.hpp"
#include "core/parts.hpp"
#include "methods/nmf/multiplicative_update.hpp"

namespace nmfbench::demua {
namespace {

using nmf::ConstBlock;
using nmf::kFloor;

// Eq. (6) for y ~ a b: a * (A b^T) / (B b^T), A = zeta(r) r / yhat, B = 1 / yhat. The H update
// is this for the transposed problem.
struct UpdateTerms {
  Array r, zeta;
  Array weights;  // [A; B], 2M x N; B = 1 / yhat
};

UpdateTerms update_terms(ConstBlock y, ConstBlock a, const Array& b, const Phi& phi) {
  UpdateTerms t;
  const Eigen::Index m = y.rows();
  t.weights.resize(2 * m, y.cols());
  auto inverse = t.weights.bottomRows(m);
  direct_product(columns_view(a), strided_view(b), output_view(inverse), false);
  inverse = inverse.max(kFloor).inverse();
  t.r = y * inverse;
  t.zeta = phi.zeta(t.r);
  t.weights.topRows(m) = t.zeta * t.r * inverse;
  return t;
}

// Rows of the update (of W for eq. 6, of H^T for eq. 7) run in the solver's fixed parts
// (core/parts.hpp); the sums over rows in d/db and d/dtheta are added in part order.

// [A b^T; B b^T]: the numerator and denominator sums of eq. (6), 2M x K.
Array update_sums(const Array& y, const Array& a, const Array& b, const Phi& phi) {
  const Eigen::Index m = a.rows();
  Array sums(2 * m, b.rows());
  for_each_part(m, [&](int, Part part) {
    const UpdateTerms t = update_terms(y.middleRows(part.first, part.size),
                                       a.middleRows(part.first, part.size), b, phi);
    Array s(2 * part.size, b.rows());
    direct_product(columns_view(t.weights), strided_view(b.transpose()), output_view(s), false);
    sums.middleRows(part.first, part.size) = s.topRows(part.size);
    sums.middleRows(m + part.first, part.size) = s.bottomRows(part.size);
  });
  return sums;
}

Array update_value(const Array& a, const Array& sums) {
  const Eigen::Index m = a.rows();
  return a * sums.topRows(m) / sums.bottomRows(m).max(kFloor);
}

// One row part's share of the vector-Jacobian product: its rows of g_a, and its terms of the
// sums over rows in g_b and theta_grad. The elementwise terms are recomputed from the inputs
// (only the small sums are kept from the forward pass).
void part_backward(ConstBlock y, ConstBlock a, const Array& b, ConstBlock numerator,
                   ConstBlock denominator_sums, const Phi& phi, ConstBlock g, Eigen::Ref<Array> g_a,
                   Array& g_b, PhiGradient& theta_grad) {
  const Eigen::Index m = a.rows();
  const Array denominator = denominator_sums.max(kFloor);
  // out = a P / Q:  d/da = P / Q,  d/dP = a / Q,  d/dQ = -a P / Q^2.
  g_a = g * numerator / denominator;
  Array g_sums(2 * m, a.cols());
  g_sums.topRows(m) = g * a / denominator;
  g_sums.bottomRows(m) = -g_sums.topRows(m) * numerator / denominator;
  // [P; Q] = [A; B] b^T.
  const UpdateTerms t = update_terms(y, a, b, phi);
  // Transposed copies (K rows) where a product wants A's transpose with contiguous columns.
  const Array g_sums_t = g_sums.transpose(), a_t = a.transpose();
  Array g_weights(2 * m, b.cols());
  direct_product(columns_view(g_sums), strided_view(b), output_view(g_weights), false);
  g_b.resize(b.rows(), b.cols());
  direct_product(columns_view(g_sums_t), strided_view(t.weights), output_view(g_b), false);
  const auto g_numerator_weight = g_weights.topRows(m);
  const auto g_denominator_weight = g_weights.bottomRows(m);
  const auto inverse = t.weights.bottomRows(m);
  // A = zeta r / yhat, B = 1 / yhat, r = y / yhat.
  const Array g_zeta_r = phi.backward(t.r, t.zeta, g_numerator_weight * t.r * inverse, theta_grad);
  const Array g_yhat =
      -((g_numerator_weight * t.zeta * t.r + g_denominator_weight) * inverse.square() +
        (g_zeta_r + g_numerator_weight * t.zeta * inverse) * t.r * inverse);
  direct_product(columns_view(g_yhat), strided_view(b.transpose()), output_view(g_a), true);
  direct_product(columns_view(a_t), strided_view(g_yhat), output_view(g_b), true);
}

// The vector-Jacobian product of the update with respect to a, b and theta.
void update_backward(const Array& y, const Array& a, const Array& b, const Array& sums,
                     const Phi& phi, const Array& g, Array& g_a, Array& g_b,
                     PhiGradient& theta_grad) {
  const Eigen::Index m = a.rows();
  g_a.resize(m, a.cols());
  std::array<Array, kParts> g_b_parts;
  std::array<PhiGradient, kParts> theta_parts;
  for (int p = 1; p < kParts; ++p) theta_parts[p] = phi.zero_gradient();
  for_each_part(m, [&](int p, Part part) {
    part_backward(y.middleRows(part.first, part.size), a.middleRows(part.first, part.size), b,
                  sums.middleRows(part.first, part.size),
                  sums.middleRows(m + part.first, part.size), phi,
                  g.middleRows(part.first, part.size), g_a.middleRows(part.first, part.size),
                  g_b_parts[p], p == 0 ? theta_grad : theta_parts[p]);
  });
  g_b = std::move(g_b_parts[0]);
  for (int p = 1; p < kParts; ++p) {
    g_b += g_b_parts[p];
    theta_grad.add(theta_parts[p]);
  }
}

}  // namespace

ad::Var update_w(const Observation& y, const ad::Var& w, const ad::Var& h, const Phi& phi,
                 PhiGradient& theta_grad) {
  Array sums = update_sums(y.y, w.value(), h.value(), phi);
  Array value = update_value(w.value(), sums);
  return w.tape().record(std::move(value), {w, h},
                         [&y, w, h, &phi, &theta_grad, sums = std::move(sums)](
                             ad::Tape& t, const Array&, const Array& g) {
                           Array g_w, g_h;
                           update_backward(y.y, w.value(), h.value(), sums, phi, g, g_w, g_h,
                                           theta_grad);
                           t.accumulate(w.id(), std::move(g_w));
                           t.accumulate(h.id(), std::move(g_h));
                         });
}

ad::Var update_h(const Observation& y, const ad::Var& w, const ad::Var& h, const Phi& phi,
                 PhiGradient& theta_grad) {
  const Array h_t = h.value().transpose(), w_t = w.value().transpose();
  Array sums = update_sums(y.y_t, h_t, w_t, phi);
  Array value = update_value(h_t, sums).transpose();
  return w.tape().record(std::move(value), {w, h},
                         [&y, w, h, &phi, &theta_grad, sums = std::move(sums)](
                             ad::Tape& t, const Array&, const Array& g) {
                           Array g_h_t, g_w_t;
                           update_backward(y.y_t, h.value().transpose(), w.value().transpose(),
                                           sums, phi, g.transpose(), g_h_t, g_w_t, theta_grad);
                           t.accumulate(w.id(), Array(g_w_t.transpose()));
                           t.accumulate(h.id(), Array(g_h_t.transpose()));
                         });
}

void recorded_stack(const Observation& y, ad::Var& w, ad::Var& h, const Phi& phi,
                    nmf::Normalization placement, PhiGradient& theta_grad) {
  w = update_w(y, w, h, phi, theta_grad);
  nmf::mu::normalize_after_w(w, placement);
  h = update_h(y, w, h, phi, theta_grad);
  nmf::mu::normalize_at_end(w, h, placement);
}

Factors run_stacks(ad::Tape& tape, const Observation& y, Array w, Array h, const Phi& phi,
                   nmf::Normalization placement, int stacks, int recorded,
                   PhiGradient& theta_grad) {
  if (recorded < 0 || recorded > stacks)
    throw Error("DeMUA: the truncation L must lie in [0, T], got L = " + std::to_string(recorded) +
                " with T = " + std::to_string(stacks));
  const auto model = phi.model();
  nmf::ComplexNmfSolver solver(y.y.rows(), y.y.cols(), w.cols());
  for (int t = 0; t < stacks - recorded; ++t) solver.iterate(y.y, w, h, *model, placement);
  // The truncation point: from here on, W and H are variables of the tape.
  Factors f{tape.variable(std::move(w)), tape.variable(std::move(h))};
  for (int t = 0; t < recorded; ++t) recorded_stack(y, f.w, f.h, phi, placement, theta_grad);
  return f;
}

}  // namespace nmfbench::demua
