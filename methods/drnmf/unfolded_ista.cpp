#include "methods/drnmf/unfolded_ista.hpp"

#include <array>

#include "methods/nmf/parts.hpp"

namespace nmfbench::drnmf {
namespace {

using Matrix = Eigen::MatrixXd;
using Row = Eigen::RowVectorXd;
using nmf::for_each_part;
using nmf::kParts;
using nmf::Part;

// Sequences are independent, so the recurrence and its recursion back through time run in the
// fixed parts of nmf/parts.hpp over the sequences in parallel, and the products over all
// frames in parts of the columns; the parts do not depend on the number of threads, so
// neither do the results.

// Whether layer k's ISTA term is applied through the N x N matrix S_k = I - W_k^T W_k / alpha_k
// with the input terms of all frames computed at once (fewer operations when N < 2F), or
// factored as h + W_k^T (x - W_k h) / alpha_k.
bool gram_form(const UnfoldingOptions& o, Eigen::Index n, Eigen::Index f) {
  return o.form == Form::gram || (o.form == Form::automatic && n < 2 * f);
}

// The code's first layer has no -W^T W h / alpha term.
bool code_layer(const UnfoldingOptions& o, int k) {
  return k == 0 && o.first_layer == FirstLayer::code;
}

// Every layer but the ista form's first leaks eps sum(h_prev) into its z.
bool leaks(const UnfoldingOptions& o, int k) {
  return k > 0 || o.first_layer == FirstLayer::code;
}

struct State {
  std::vector<Matrix> w;  // the dictionaries' values
  Array alpha;
  std::vector<Matrix> s, c;  // gram form: S_k and (W_k^T X - lambda) / alpha_k, else empty
  // Factored form: the residuals x - W_k h^(k-1) of every frame, F x B T, which the gradients
  // of W_k and alpha_k reuse (empty for the code's first layer, which has none).
  std::vector<Matrix> r;
  std::vector<Array> h;  // every layer's output during the forward pass, then all but the top
};

void check_shapes(const ad::Var& x, const std::vector<ad::Var>& w, const ad::Var& alpha,
                  const ad::Var& h0, Eigen::Index sequences, const UnfoldingOptions& o) {
  const auto layers = static_cast<std::size_t>(o.layers);
  if (o.layers < 1 || w.size() != layers || alpha.rows() != o.layers || alpha.cols() != 1)
    throw Error("DR-NMF: " + std::to_string(w.size()) + " dictionaries and " +
                std::to_string(alpha.rows()) + " step sizes for " + std::to_string(o.layers) +
                " layers");
  for (const ad::Var& wk : w)
    if (wk.rows() != x.rows() || wk.cols() != h0.rows() || h0.cols() != 1)
      throw Error("DR-NMF: a dictionary is " + std::to_string(wk.rows()) + " x " +
                  std::to_string(wk.cols()) + "; expected F x N for " + std::to_string(x.rows()) +
                  " bins and an N x 1 h0 of " + std::to_string(h0.rows()) + " rows");
  if (sequences < 1 || x.cols() % sequences != 0)
    throw Error("DR-NMF: " + std::to_string(x.cols()) + " columns are not frames of " +
                std::to_string(sequences) + " sequences");
}

// The forward recurrence over every frame and layer.
void recurrence(State& st, Eigen::Ref<const Matrix> x, const Eigen::VectorXd& h0, Eigen::Index B,
                const UnfoldingOptions& o) {
  const Eigen::Index N = h0.size(), F = x.rows(), frames = x.cols() / B;
  const int K = o.layers;
  const Real lambda = o.lambda + o.eps;
  st.h.assign(K, Array(N, x.cols()));
  if (!gram_form(o, N, F)) {
    for (int k = 0; k < K; ++k) st.r.push_back(code_layer(o, k) ? Matrix() : Matrix(F, x.cols()));
  } else {
    for (int k = 0; k < K; ++k) {
      const Real alpha = st.alpha(k);
      st.s.push_back(Matrix::Identity(N, N) - st.w[k].transpose() * st.w[k] / alpha);
      st.c.emplace_back(N, x.cols());
    }
    for_each_part(x.cols(), [&](int, Part cols) {
      for (int k = 0; k < K; ++k)
        st.c[k].middleCols(cols.first, cols.size) =
            (((st.w[k].transpose() * x.middleCols(cols.first, cols.size)).array() - lambda) /
             st.alpha(k))
                .matrix();
    });
  }
  for_each_part(B, [&](int, Part seqs) {
    if (seqs.size == 0) return;
    Matrix previous = h0.replicate(1, seqs.size), z(N, seqs.size);
    for (Eigen::Index t = 0; t < frames; ++t) {
      const Eigen::Index at = t * B + seqs.first, n = seqs.size;
      const auto xt = x.middleCols(at, n);
      const Row leak = o.eps * previous.colwise().sum();
      for (int k = 0; k < K; ++k) {
        const Eigen::Ref<const Matrix> a =
            k == 0 ? Eigen::Ref<const Matrix>(previous)
                   : Eigen::Ref<const Matrix>(st.h[k - 1].matrix().middleCols(at, n));
        if (!st.s.empty()) {
          z = st.c[k].middleCols(at, n);
          if (code_layer(o, k)) {
            z += a;
          } else {
            z.noalias() += st.s[k] * a;
          }
        } else {
          if (code_layer(o, k)) {
            z.noalias() = st.w[0].transpose() * xt;
          } else {
            auto residual = st.r[k].middleCols(at, n);
            residual = xt;
            residual.noalias() -= st.w[k] * a;
            z.noalias() = st.w[k].transpose() * residual;
          }
          z = ((z.array() - lambda) / st.alpha(k)).matrix() + a;
        }
        if (leaks(o, k)) z.rowwise() += leak;
        st.h[k].middleCols(at, n) = z.array().max(0);
      }
      previous = st.h[K - 1].matrix().middleCols(at, n);
    }
  });
}

// dL/dz of every layer at every frame from dL/dh^(K): the recursion back through time.
// Returns them with dL/dh0 summed over the sequences.
std::vector<Matrix> back_through_time(const State& st, const Array& top, const Array& grad,
                                      Eigen::Index B, const UnfoldingOptions& o,
                                      Eigen::VectorXd& dh0) {
  const int K = o.layers;
  const Eigen::Index N = top.rows(), cols = top.cols();
  std::vector<Matrix> gz(K, Matrix(N, cols));
  std::array<Eigen::VectorXd, kParts> dh0_parts;
  for_each_part(B, [&](int p, Part seqs) {
    dh0_parts[p] = Eigen::VectorXd::Zero(N);
    if (seqs.size == 0) return;
    const Eigen::Index n = seqs.size;
    Matrix carry = Matrix::Zero(N, n), g(N, n), q(st.w[0].rows(), n);
    for (Eigen::Index t = cols / B - 1; t >= 0; --t) {
      const Eigen::Index at = t * B + seqs.first;
      g = grad.matrix().middleCols(at, n) + carry;
      Row leak = Row::Zero(n);
      for (int k = K - 1; k >= 0; --k) {
        const Array& h = k == K - 1 ? top : st.h[k];
        auto gzk = gz[k].middleCols(at, n);
        gzk = (h.middleCols(at, n) > 0).select(g.array(), 0).matrix();
        if (leaks(o, k)) leak += gzk.colwise().sum();
        if (code_layer(o, k)) {
          g = gzk;
        } else if (!st.s.empty()) {
          g.noalias() = st.s[k] * gzk;  // S_k is symmetric
        } else {
          q.noalias() = st.w[k] * gzk;
          g = gzk;
          g.noalias() -= st.w[k].transpose() * q / st.alpha(k);
        }
      }
      carry = g;
      carry.rowwise() += o.eps * leak;
    }
    dh0_parts[p] = carry.rowwise().sum();
  });
  dh0 = Eigen::VectorXd::Zero(N);
  for (const auto& part : dh0_parts) dh0 += part;
  return gz;
}

// The part over the columns `part` of dL/dW_k and dL/dalpha_k, from dL/dz of layer k at every
// frame (gz), q = W_k gz on those columns, and the layer's input a (h^(k-1), or the previous
// frame's top layer; unused by the code's first layer, which has no -W^T W h / alpha term).
struct LayerGradient {
  Matrix w;
  Real alpha;
};

LayerGradient layer_gradient(const State& st, int k, Part part, const Matrix& gz_all,
                             const Matrix& q, Eigen::Ref<const Matrix> x_all,
                             Eigen::Ref<const Matrix> a_all, const UnfoldingOptions& o) {
  const auto gz = gz_all.middleCols(part.first, part.size);
  const auto x = x_all.middleCols(part.first, part.size);
  const Matrix& w = st.w[k];
  const Real alpha = st.alpha(k), lambda = o.lambda + o.eps;
  if (!st.s.empty()) {  // gram form: z = (W^T x - lambda) / alpha + S a
    LayerGradient g{
        x * gz.transpose() / alpha,
        -(gz.array() * st.c[k].middleCols(part.first, part.size).array()).sum() / alpha};
    if (!code_layer(o, k)) {  // through S_k = I - W_k^T W_k / alpha_k
      const Matrix ds = gz * a_all.middleCols(part.first, part.size).transpose();
      g.w.noalias() -= w * (ds + ds.transpose()) / alpha;
      g.alpha += (ds.array() * (w.transpose() * w).array()).sum() / (alpha * alpha);
    }
    return g;
  }
  if (code_layer(o, k))  // z = (W^T x - lambda) / alpha + ...
    return {x * gz.transpose() / alpha,
            -((q.array() * x.array()).sum() - lambda * gz.sum()) / (alpha * alpha)};
  // z = (W^T r - lambda) / alpha + a + ... with the residual r = x - W a.
  const auto r = st.r[k].middleCols(part.first, part.size);
  LayerGradient g{r * gz.transpose(),
                  -((q.array() * r.array()).sum() - lambda * gz.sum()) / (alpha * alpha)};
  g.w.noalias() -= q * a_all.middleCols(part.first, part.size).transpose();
  g.w /= alpha;
  return g;
}

}  // namespace

UnfoldedIsta unfolded_ista(const ad::Var& x, const std::vector<ad::Var>& w, const ad::Var& alpha,
                           const ad::Var& h0, Eigen::Index sequences,
                           const UnfoldingOptions& options) {
  check_shapes(x, w, alpha, h0, sequences, options);
  const UnfoldingOptions o = options;
  const Eigen::Index B = sequences;
  auto st = std::make_shared<State>();
  for (const ad::Var& wk : w) st->w.push_back(wk.value().matrix());
  st->alpha = alpha.value();
  const Eigen::VectorXd start = h0.value().matrix();
  recurrence(*st, x.value().matrix(), start, B, o);
  Array top = std::move(st->h.back());
  st->h.pop_back();
  std::vector<ad::Var> inputs = w;
  inputs.insert(inputs.end(), {alpha, h0, x});
  ad::Var out = x.tape().record(
      std::move(top), inputs, [=](ad::Tape& t, const Array& top_value, const Array& grad) {
        const int K = o.layers;
        Eigen::VectorXd dh0;
        const std::vector<Matrix> gz = back_through_time(*st, top_value, grad, B, o, dh0);
        if (Array* d = t.grad_buffer(h0.id())) *d += dh0.array();
        const Eigen::Ref<const Matrix> xv = x.value().matrix();
        const Eigen::Index N = top_value.rows(), cols = top_value.cols();
        Array* dx = t.grad_buffer(x.id());
        Array dalpha(K, 1);
        for (int k = 0; k < K; ++k) {
          // Layer k's input: the layer below, or the previous frame's top layer (h0 before the
          // first frame).
          Array shifted;
          if (k == 0 && !code_layer(o, 0)) {
            shifted.resize(N, cols);
            shifted.leftCols(B) = h0.value().replicate(1, B);
            shifted.rightCols(cols - B) = top_value.leftCols(cols - B);
          }
          const Eigen::Ref<const Matrix> a = (k == 0 ? shifted : st->h[k - 1]).matrix();
          std::array<LayerGradient, kParts> parts;
          for_each_part(cols, [&](int p, Part part) {
            Matrix q;
            if (st->s.empty() || dx) q = st->w[k] * gz[k].middleCols(part.first, part.size);
            parts[p] = layer_gradient(*st, k, part, gz[k], q, xv, a, o);
            if (dx) dx->matrix().middleCols(part.first, part.size) += q / st->alpha(k);
          });
          for (int p = 1; p < kParts; ++p) {  // in part order
            parts[0].w += parts[p].w;
            parts[0].alpha += parts[p].alpha;
          }
          dalpha(k) = parts[0].alpha;
          if (Array* d = t.grad_buffer(w[static_cast<std::size_t>(k)].id()))
            *d += parts[0].w.array();
        }
        if (Array* d = t.grad_buffer(alpha.id())) *d += dalpha;
      });
  return {out, std::shared_ptr<const std::vector<Array>>(st, &st->h)};
}

}  // namespace nmfbench::drnmf
