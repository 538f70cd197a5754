#include <memory>

#include "core/autodiff/ops.hpp"

namespace nmfbench::ad {
namespace {

using Matrix = Eigen::Matrix<Real, Eigen::Dynamic, Eigen::Dynamic>;

Array gate(const Array& z, bool hard) {
  return hard ? Array((0.2 * z + 0.5).min(1).max(0)) : Array(1 / (1 + (-z).exp()));
}
// d gate / dz from the gate's value (hard: 0.2 inside the clip, 0 where it clipped).
Array gate_slope(const Array& value, bool hard) {
  return hard ? Array(((value > 0) && (value < 1)).cast<Real>() * 0.2) : Array(value * (1 - value));
}

// What the backward pass needs of the forward one: the gates after their nonlinearities
// (4H x B T, order i f g o) and the cell state (H x B T).
struct LstmState {
  Matrix gates, c;
};

}  // namespace

Var lstm(const Var& x, const Var& w_ih, const Var& w_hh, const Var& bias, Eigen::Index sequences,
         bool hard_sigmoid) {
  const Eigen::Index H = w_hh.cols(), B = sequences, cols = x.cols();
  if (w_hh.rows() != 4 * H || w_ih.rows() != 4 * H || w_ih.cols() != x.rows() ||
      bias.rows() != 4 * H || bias.cols() != 1)
    throw Error("autodiff lstm: expected W_ih 4H x inputs, W_hh 4H x H and a 4H x 1 bias");
  if (B < 1 || cols % B != 0)
    throw Error("autodiff lstm: " + std::to_string(cols) + " columns are not frames of " +
                std::to_string(B) + " sequences");
  const Eigen::Index frames = cols / B;
  auto state = std::make_shared<LstmState>(LstmState{Matrix(4 * H, cols), Matrix(H, cols)});
  Array out(H, cols);
  {
    const Matrix& w = w_hh.value().matrix();
    Matrix pre = w_ih.value().matrix() * x.value().matrix();
    pre.colwise() += bias.value().matrix().col(0);
    Matrix h = Matrix::Zero(H, B), c = Matrix::Zero(H, B), z(4 * H, B);
    for (Eigen::Index t = 0; t < frames; ++t) {
      z = pre.middleCols(t * B, B);
      z.noalias() += w * h;
      auto g = state->gates.middleCols(t * B, B);
      g.topRows(2 * H) = gate(z.topRows(2 * H).array(), hard_sigmoid).matrix();
      g.middleRows(2 * H, H) = z.middleRows(2 * H, H).array().tanh().matrix();
      g.bottomRows(H) = gate(z.bottomRows(H).array(), hard_sigmoid).matrix();
      c = (g.middleRows(H, H).array() * c.array() +
           g.topRows(H).array() * g.middleRows(2 * H, H).array())
              .matrix();
      h = (g.bottomRows(H).array() * c.array().tanh()).matrix();
      state->c.middleCols(t * B, B) = c;
      out.matrix().middleCols(t * B, B) = h;
    }
  }
  return x.tape().record(
      std::move(out), {x, w_ih, w_hh, bias},
      [=](Tape& tape, const Array& h_all, const Array& grad) {
        // Back-propagation through time, frame by frame from the last.
        const Matrix& w = w_hh.value().matrix();
        Matrix dgates(4 * H, cols), dh = Matrix::Zero(H, B), dc = Matrix::Zero(H, B);
        for (Eigen::Index t = frames - 1; t >= 0; --t) {
          const auto g = state->gates.middleCols(t * B, B).array();
          const Array tanh_c = state->c.middleCols(t * B, B).array().tanh();
          const Array c_prev =
              t == 0 ? Array::Zero(H, B) : Array(state->c.middleCols((t - 1) * B, B).array());
          dh += grad.matrix().middleCols(t * B, B);
          dc.array() += dh.array() * g.bottomRows(H) * (1 - tanh_c.square());
          auto d = dgates.middleCols(t * B, B).array();
          d.topRows(H) =
              dc.array() * g.middleRows(2 * H, H) * gate_slope(g.topRows(H), hard_sigmoid);
          d.middleRows(H, H) = dc.array() * c_prev * gate_slope(g.middleRows(H, H), hard_sigmoid);
          d.middleRows(2 * H, H) =
              dc.array() * g.topRows(H) * (1 - g.middleRows(2 * H, H).square());
          d.bottomRows(H) = dh.array() * tanh_c * gate_slope(g.bottomRows(H), hard_sigmoid);
          dh.noalias() = w.transpose() * dgates.middleCols(t * B, B);
          dc.array() *= g.middleRows(H, H);
        }
        if (Array* d = tape.grad_buffer(w_ih.id()))
          d->matrix().noalias() += dgates * x.value().matrix().transpose();
        if (Array* d = tape.grad_buffer(w_hh.id())) {
          // The recurrent input of frame t is the output of frame t - 1 (zero before the first).
          d->matrix().noalias() +=
              dgates.rightCols(cols - B) * h_all.matrix().leftCols(cols - B).transpose();
        }
        tape.accumulate(bias.id(), dgates.rowwise().sum().array());
        if (Array* d = tape.grad_buffer(x.id()))
          d->matrix().noalias() += w_ih.value().matrix().transpose() * dgates;
      });
}

}  // namespace nmfbench::ad
