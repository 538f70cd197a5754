#include "methods/drnmf/lstm.hpp"

#include "core/random.hpp"

namespace nmfbench::drnmf {
namespace {

using Matrix = Eigen::MatrixXd;

std::string name(const char* base, int layer) {
  return base + std::to_string(layer + 1);
}

// One layer's activations over every frame: the gates after their nonlinearities (4H x B T,
// order i f g o), the cell state and the output (H x B T).
struct Layer {
  Matrix gates, c, h;
};

Array gate(const Array& z, bool hard) {
  return hard ? Array((0.2 * z + 0.5).min(1).max(0)) : Array(1 / (1 + (-z).exp()));
}
// d gate / dz from the gate's value (hard: 0.2 inside the clip, 0 where it clipped).
Array gate_slope(const Array& value, bool hard) {
  return hard ? Array(((value > 0) && (value < 1)).cast<Real>() * 0.2) : Array(value * (1 - value));
}

std::vector<Layer> run(const ParameterSet& p, const SequenceBatch& batch, const LstmOptions& o) {
  const Eigen::Index B = batch.sequences, H = o.hidden, cols = batch.x.cols();
  std::vector<Layer> layers;
  const Matrix* input = nullptr;
  for (int l = 0; l < o.layers; ++l) {
    const Matrix& in = l == 0 ? batch.x.matrix() : *input;
    Layer out{Matrix(4 * H, cols), Matrix(H, cols), Matrix(H, cols)};
    const Matrix& w_hh = p.value(name("W_hh", l)).matrix();
    Matrix pre = p.value(name("W_ih", l)).matrix() * in;
    pre.colwise() += (p.value(name("b_ih", l)) + p.value(name("b_hh", l))).matrix().col(0);
    Matrix h = Matrix::Zero(H, B), c = Matrix::Zero(H, B), z(4 * H, B);
    for (Eigen::Index t = 0; t < batch.frames; ++t) {
      z = pre.middleCols(t * B, B);
      z.noalias() += w_hh * h;
      auto g = out.gates.middleCols(t * B, B);
      g.topRows(2 * H) = gate(z.topRows(2 * H).array(), o.hard_sigmoid).matrix();
      g.middleRows(2 * H, H) = z.middleRows(2 * H, H).array().tanh().matrix();
      g.bottomRows(H) = gate(z.bottomRows(H).array(), o.hard_sigmoid).matrix();
      c = (g.middleRows(H, H).array() * c.array() +
           g.topRows(H).array() * g.middleRows(2 * H, H).array())
              .matrix();
      h = (g.bottomRows(H).array() * c.array().tanh()).matrix();
      out.c.middleCols(t * B, B) = c;
      out.h.middleCols(t * B, B) = h;
    }
    layers.push_back(std::move(out));
    input = &layers.back().h;
  }
  return layers;
}

Array output_mask(const ParameterSet& p, const Matrix& top, const SequenceBatch& batch) {
  Matrix z = p.value("W_out").matrix() * top;
  z.colwise() += p.value("b_out").matrix().col(0);
  Array mask = 1 / (1 + (-z.array()).exp());
  for (Eigen::Index c = 0; c < mask.cols(); ++c)
    if (!batch.valid(c)) mask.col(c).setZero();
  return mask;
}

}  // namespace

ParameterSet lstm_parameters(Eigen::Index bins, const LstmOptions& o, RandomStream& rng) {
  const Real a = 1 / std::sqrt(static_cast<Real>(o.hidden));
  const Eigen::Index H = o.hidden;
  ParameterSet p;
  for (int l = 0; l < o.layers; ++l) {
    p.add(name("W_ih", l), rng.uniform_array(4 * H, l == 0 ? bins : H, -a, a));
    p.add(name("W_hh", l), rng.uniform_array(4 * H, H, -a, a));
    p.add(name("b_ih", l), rng.uniform_array(4 * H, 1, -a, a));
    p.add(name("b_hh", l), rng.uniform_array(4 * H, 1, -a, a));
  }
  p.add("W_out", rng.uniform_array(bins, H, -a, a));
  p.add("b_out", rng.uniform_array(bins, 1, -a, a));
  return p;
}

Array Lstm::mask(const ParameterSet& parameters, const SequenceBatch& batch) const {
  return output_mask(parameters, run(parameters, batch, options_).back().h, batch);
}

Real Lstm::loss(ParameterSet& p, const SequenceBatch& batch, bool gradient) const {
  const LstmOptions& o = options_;
  const std::vector<Layer> layers = run(p, batch, o);
  const Array mask = output_mask(p, layers.back().h, batch);
  const auto n = static_cast<Real>(batch.valid_frames());
  const Real scale =
      static_cast<Real>(batch.x.cols()) / (static_cast<Real>(batch.x.rows()) * n * n);
  const Array error = batch.y - mask * batch.x;  // zero on padding
  const Real loss = error.square().sum() * scale;
  if (!gradient) return loss;

  const Matrix dz_out = (-2 * scale * error * batch.x * mask * (1 - mask)).matrix();
  p.grad("W_out") = (dz_out * layers.back().h.transpose()).array();
  p.grad("b_out") = dz_out.rowwise().sum().array();
  Matrix dh_in = p.value("W_out").matrix().transpose() * dz_out;  // dL/d(layer output)
  const Eigen::Index B = batch.sequences, H = o.hidden, cols = batch.x.cols();
  for (int l = o.layers - 1; l >= 0; --l) {
    const Layer& L = layers[static_cast<std::size_t>(l)];
    const Matrix& w_hh = p.value(name("W_hh", l)).matrix();
    Matrix dgates(4 * H, cols), dh = Matrix::Zero(H, B), dc = Matrix::Zero(H, B);
    for (Eigen::Index t = batch.frames - 1; t >= 0; --t) {
      const auto g = L.gates.middleCols(t * B, B).array();
      const Array tanh_c = L.c.middleCols(t * B, B).array().tanh();
      const Array c_prev =
          t == 0 ? Array::Zero(H, B) : Array(L.c.middleCols((t - 1) * B, B).array());
      dh += dh_in.middleCols(t * B, B);
      dc.array() += dh.array() * g.bottomRows(H) * (1 - tanh_c.square());
      auto d = dgates.middleCols(t * B, B).array();
      d.topRows(H) = dc.array() * g.middleRows(2 * H, H) * gate_slope(g.topRows(H), o.hard_sigmoid);
      d.middleRows(H, H) = dc.array() * c_prev * gate_slope(g.middleRows(H, H), o.hard_sigmoid);
      d.middleRows(2 * H, H) = dc.array() * g.topRows(H) * (1 - g.middleRows(2 * H, H).square());
      d.bottomRows(H) = dh.array() * tanh_c * gate_slope(g.bottomRows(H), o.hard_sigmoid);
      dh.noalias() = w_hh.transpose() * dgates.middleCols(t * B, B);
      dc.array() *= g.middleRows(H, H);
    }
    const Matrix& in = l == 0 ? batch.x.matrix() : layers[static_cast<std::size_t>(l - 1)].h;
    Matrix h_prev = Matrix::Zero(H, cols);
    h_prev.rightCols(cols - B) = L.h.leftCols(cols - B);
    p.grad(name("W_ih", l)) = (dgates * in.transpose()).array();
    p.grad(name("W_hh", l)) = (dgates * h_prev.transpose()).array();
    p.grad(name("b_ih", l)) = dgates.rowwise().sum().array();
    p.grad(name("b_hh", l)) = p.grad(name("b_ih", l));
    if (l > 0) dh_in = p.value(name("W_ih", l)).matrix().transpose() * dgates;
  }
  return loss;
}

}  // namespace nmfbench::drnmf
