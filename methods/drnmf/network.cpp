#include "methods/drnmf/network.hpp"

#include "core/array_math.hpp"

namespace nmfbench::drnmf {
namespace {

using Matrix = Eigen::MatrixXd;
using Row = Eigen::RowVectorXd;

constexpr Real kInitEps = 1e-7;  // the code's log(1e-7 + w) initialisation

std::string layer_name(int k) {
  return "Wr" + std::to_string(k + 1);
}

// The model weights of the raw parameters.
struct Weights {
  std::vector<Matrix> w;   // unit-norm columns
  std::vector<Row> norms;  // the column norms of exp(Wr_k)
  Array alpha;             // K x 1
  Eigen::VectorXd h0;
  Matrix wy, wv;
};

Weights weights(const ParameterSet& p, int layers) {
  Weights out;
  for (int k = 0; k < layers; ++k) {
    const Matrix e = p.value(layer_name(k)).exp().matrix();
    out.norms.push_back(e.colwise().norm());
    out.w.push_back(e.array().rowwise() / out.norms.back().array());
  }
  out.alpha = p.value("ar").exp();
  if (out.alpha.rows() != layers)
    throw Error("DR-NMF: 'ar' has " + std::to_string(out.alpha.rows()) + " step sizes for " +
                std::to_string(layers) + " layers");
  const Array& h0r = p.value("h0r");
  out.h0 = softplus(h0r).matrix();
  out.wy = p.value("Wyr").exp().matrix();
  out.wv = p.value("Wvr").exp().matrix();
  return out;
}

// Whether layer k's ISTA term is applied through the N x N matrix S_k = I - W_k^T W_k / alpha_k
// with the input terms of all frames computed at once (fewer operations when N < 2F), or
// factored as h + W_k^T (x - W_k h) / alpha_k.
bool gram_form(const NetworkOptions& o, Eigen::Index n, Eigen::Index f) {
  return o.form == Form::gram || (o.form == Form::automatic && n < 2 * f);
}

struct Recurrence {
  std::vector<Matrix> h;     // layer k's output, N x B T
  std::vector<Matrix> s, c;  // gram form: S_k and (W_k^T X - lambda) / alpha_k, else empty
};

bool code_layer(const NetworkOptions& o, int k) {
  return k == 0 && o.first_layer == FirstLayer::code;
}

// The recurrence over every frame and layer.
Recurrence recurrence(const Weights& wt, const SequenceBatch& batch, const NetworkOptions& o) {
  const Eigen::Index B = batch.sequences, N = wt.h0.size(), F = batch.x.rows();
  const int K = o.layers;
  const Real lambda = o.lambda + o.eps;
  Recurrence r;
  r.h.assign(K, Matrix(N, batch.x.cols()));
  if (gram_form(o, N, F)) {
    for (int k = 0; k < K; ++k) {
      const Real alpha = wt.alpha(k);
      r.s.push_back(Matrix::Identity(N, N) - wt.w[k].transpose() * wt.w[k] / alpha);
      r.c.push_back((((wt.w[k].transpose() * batch.x.matrix()).array() - lambda) / alpha).matrix());
    }
  }
  Matrix previous = wt.h0.replicate(1, B), z(N, B), residual(F, B);
  for (Eigen::Index t = 0; t < batch.frames; ++t) {
    const auto x = batch.x.matrix().middleCols(t * B, B);
    const Row leak = o.eps * previous.colwise().sum();
    for (int k = 0; k < K; ++k) {
      const Matrix& input = k == 0 ? previous : r.h[k - 1];
      const auto a = k == 0 ? input.middleCols(0, B) : input.middleCols(t * B, B);
      if (!r.s.empty()) {
        z = r.c[k].middleCols(t * B, B);
        if (code_layer(o, k)) {
          z += a;
        } else {
          z.noalias() += r.s[k] * a;
        }
      } else {
        if (code_layer(o, k)) {
          z.noalias() = wt.w[0].transpose() * x;
        } else {
          residual = x;
          residual.noalias() -= wt.w[k] * a;
          z.noalias() = wt.w[k].transpose() * residual;
        }
        z = ((z.array() - lambda) / wt.alpha(k)).matrix() + a;
      }
      if (k > 0 || o.first_layer == FirstLayer::code) z.rowwise() += leak;
      r.h[k].middleCols(t * B, B) = z.cwiseMax(0);
    }
    previous = r.h[K - 1].middleCols(t * B, B);
  }
  return r;
}

// Columns of `values` that are padding set to zero.
void zero_padding(Array& values, const SequenceBatch& batch) {
  for (Eigen::Index c = 0; c < values.cols(); ++c)
    if (!batch.valid(c)) values.col(c).setZero();
}

struct Output {
  Matrix yhat, vhat;
  Array mask;
};

Output output(const Weights& wt, const Matrix& top, const SequenceBatch& batch,
              const NetworkOptions& o) {
  const Eigen::Index ny = o.speech;
  Output out;
  out.yhat = wt.wy * top.topRows(ny);
  out.vhat = wt.wv * top.bottomRows(top.rows() - ny);
  out.mask = (o.mask_eps + out.yhat.array()) / (o.mask_eps + out.yhat.array() + out.vhat.array());
  zero_padding(out.mask, batch);
  return out;
}

// dL/dWr of W = exp(Wr) / ||exp(Wr)|| from dL/dW.
Array through_normalisation(const Matrix& dw, const Matrix& w, const Row& norms) {
  const Row along = (dw.array() * w.array()).colwise().sum();
  const Matrix de =
      (dw - (w.array().rowwise() * along.array()).matrix()).array().rowwise() / norms.array();
  return de.array() * (w.array().rowwise() * norms.array());
}

}  // namespace

ParameterSet initial_parameters(const Array& w, Real alpha, const NetworkOptions& options,
                                const Array& uniform) {
  if (options.speech < 1 || options.speech >= w.cols())
    throw Error("DR-NMF: " + std::to_string(options.speech) + " speech bases of " +
                std::to_string(w.cols()) + "; expected between 1 and N - 1");
  ParameterSet p;
  const Array log_w = (kInitEps + w).log();
  for (int k = 0; k < options.layers; ++k) p.add(layer_name(k), log_w);
  p.add("ar", Array::Constant(options.layers, 1, std::log(kInitEps + alpha)));
  p.add("h0r", 0.1 * uniform - 0.05);
  p.add("Wyr", log_w.leftCols(options.speech));
  p.add("Wvr", log_w.rightCols(w.cols() - options.speech));
  return p;
}

Forward Network::forward(const ParameterSet& parameters, const SequenceBatch& batch) const {
  const Weights wt = weights(parameters, options_.layers);
  Forward out;
  for (Matrix& h : recurrence(wt, batch, options_).h) out.h.push_back(h.array());
  out.mask = output(wt, out.h.back().matrix(), batch, options_).mask;
  return out;
}

Real Network::loss(ParameterSet& parameters, const SequenceBatch& batch, bool gradient) const {
  const NetworkOptions& o = options_;
  const int K = o.layers;
  const Weights wt = weights(parameters, K);
  const Recurrence r = recurrence(wt, batch, o);
  const std::vector<Matrix>& h = r.h;
  const Output out = output(wt, h.back(), batch, o);
  const Real scale = 1.0 / static_cast<Real>(batch.x.rows() * batch.valid_frames());
  const Array error = batch.y - out.mask * batch.x;  // zero on padding
  const Real loss = error.square().sum() * scale;
  if (!gradient) return loss;

  // Through the mask: m = a / (a + v), a = eps_m + yhat.
  const Array dmask = -2 * scale * error * batch.x;
  const Array total = (o.mask_eps + out.yhat.array() + out.vhat.array()).square();
  const Matrix dyhat = (dmask * out.vhat.array() / total).matrix();
  const Matrix dvhat = (-dmask * (o.mask_eps + out.yhat.array()) / total).matrix();
  const Eigen::Index ny = o.speech, N = wt.h0.size(), B = batch.sequences;
  parameters.grad("Wyr") = (dyhat * h.back().topRows(ny).transpose()).array() * wt.wy.array();
  parameters.grad("Wvr") =
      (dvhat * h.back().bottomRows(N - ny).transpose()).array() * wt.wv.array();
  Matrix dtop(N, batch.x.cols());
  dtop.topRows(ny).noalias() = wt.wy.transpose() * dyhat;
  dtop.bottomRows(N - ny).noalias() = wt.wv.transpose() * dvhat;

  // Back through time: gz[k] = dL/dz of layer k at every frame.
  std::vector<Matrix> gz(K, Matrix(N, batch.x.cols()));
  Matrix carry = Matrix::Zero(N, B), g(N, B), q(batch.x.rows(), B);
  for (Eigen::Index t = batch.frames - 1; t >= 0; --t) {
    g = dtop.middleCols(t * B, B) + carry;
    Row leak = Row::Zero(B);
    for (int k = K - 1; k >= 0; --k) {
      auto gzk = gz[k].middleCols(t * B, B);
      gzk = (h[k].middleCols(t * B, B).array() > 0).select(g.array(), 0).matrix();
      // Every layer but the ista form's first leaks eps sum(h_prev) into its z.
      if (k > 0 || o.first_layer == FirstLayer::code) leak += gzk.colwise().sum();
      if (code_layer(o, k)) {
        g = gzk;
      } else if (!r.s.empty()) {
        g.noalias() = r.s[k] * gzk;  // S_k is symmetric
      } else {
        q.noalias() = wt.w[k] * gzk;
        g = gzk;
        g.noalias() -= wt.w[k].transpose() * q / wt.alpha(k);
      }
    }
    carry = g;
    carry.rowwise() += o.eps * leak;
  }
  parameters.grad("h0r") = carry.rowwise().sum().array() * sigmoid(parameters.value("h0r"));

  // W_k and alpha_k from every frame at once; a is layer k's input h^(k-1).
  const Real lambda = o.lambda + o.eps;
  const Matrix x = batch.x.matrix();
  Array dalpha(K, 1);
  for (int k = 0; k < K; ++k) {
    const Real alpha = wt.alpha(k);
    Matrix dw = x * gz[k].transpose() / alpha;  // through the input term W_k^T x / alpha_k
    dalpha(k) = r.s.empty()
                    ? -(((wt.w[k] * gz[k]).array() * x.array()).sum() - lambda * gz[k].sum()) /
                          (alpha * alpha)
                    : -(gz[k].array() * r.c[k].array()).sum() / alpha;
    if (!code_layer(o, k)) {
      Matrix a(N, x.cols());
      if (k > 0) {
        a = h[k - 1];
      } else {  // the previous frame's top layer, h0 before the first
        a.leftCols(B) = wt.h0.replicate(1, B);
        a.rightCols(x.cols() - B) = h[K - 1].leftCols(x.cols() - B);
      }
      if (!r.s.empty()) {  // through S_k = I - W_k^T W_k / alpha_k
        const Matrix ds = gz[k] * a.transpose();
        dw.noalias() -= wt.w[k] * (ds + ds.transpose()) / alpha;
        dalpha(k) += (ds.array() * (wt.w[k].transpose() * wt.w[k]).array()).sum() / (alpha * alpha);
      } else {  // through -W_k^T W_k a / alpha_k
        const Matrix q_all = wt.w[k] * gz[k], u = wt.w[k] * a;
        dw.noalias() -= (u * gz[k].transpose() + q_all * a.transpose()) / alpha;
        dalpha(k) += (q_all.array() * u.array()).sum() / (alpha * alpha);
      }
    }
    parameters.grad(layer_name(k)) = through_normalisation(dw, wt.w[k], wt.norms[k]);
  }
  parameters.grad("ar") = dalpha * wt.alpha;
  return loss;
}

}  // namespace nmfbench::drnmf
