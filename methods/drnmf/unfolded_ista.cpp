#include "methods/drnmf/unfolded_ista.hpp"

#include <array>

#include "core/parts.hpp"

namespace nmfbench::drnmf {
namespace {

using Matrix = Eigen::MatrixXd;
using Row = Eigen::RowVectorXd;

// The products run on two threads in the fixed parts of core/parts.hpp: those of one frame
// split by the rows of their result, so that each thread reads only its part of the large
// dictionary (the batch's frame is only B columns wide), those over all frames by their
// columns. The parts do not depend on the number of threads, so neither do the results.

// out = scale lhs rhs, or out += scale lhs rhs with `accumulate`, for one frame's columns,
// by parts of out's rows when it is large.
template <typename Lhs, typename Rhs, typename Out>
void rows_in_parts(const Lhs& lhs, const Rhs& rhs, Out&& out, Real scale, bool accumulate) {
  const auto product = [&](Part rows) {
    auto part = out.middleRows(rows.first, rows.size);
    if (accumulate)
      part.noalias() += scale * (lhs.middleRows(rows.first, rows.size) * rhs);
    else
      part.noalias() = scale * (lhs.middleRows(rows.first, rows.size) * rhs);
  };
  for_each_part_of(out.rows(), multiply_adds(lhs.rows(), lhs.cols(), rhs.cols()),
                   [&](int, Part rows) { product(rows); });
}

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
  bool gram = false;
  std::vector<Matrix> s;  // gram form: S_k = I - W_k^T W_k / alpha_k
  // (W_k^T X - lambda) / alpha_k for all frames at once (one large product instead of one
  // per frame): every layer's in the gram form, the code's first layer's in the factored form;
  // empty for the others.
  std::vector<Matrix> c;
  // Factored form: the residuals x - W_k h^(k-1) of every frame, F x B T, which the gradients
  // of W_k and alpha_k reuse (empty for the layers of c).
  std::vector<Matrix> r;
  std::vector<Array> h;  // every layer's output during the forward pass, then all but the top
};

std::string shape(const ad::Var& v) {
  return std::to_string(v.rows()) + " x " + std::to_string(v.cols());
}

void check_shapes(const ad::Var& x, const std::vector<ad::Var>& w, const ad::Var& alpha,
                  const ad::Var& h0, Eigen::Index sequences, const UnfoldingOptions& o) {
  const auto layers = static_cast<std::size_t>(o.layers);
  if (o.layers < 1 || w.size() != layers)
    throw Error("DR-NMF: " + std::to_string(w.size()) + " dictionaries for " +
                std::to_string(o.layers) + " layers; expected one per layer, at least one");
  if (alpha.rows() != o.layers || alpha.cols() != 1)
    throw Error("DR-NMF: the step sizes are " + shape(alpha) +
                "; expected K x 1, K = " + std::to_string(o.layers));
  if (h0.cols() != 1) throw Error("DR-NMF: h0 is " + shape(h0) + "; expected N x 1");
  for (std::size_t k = 0; k < w.size(); ++k)
    if (w[k].rows() != x.rows() || w[k].cols() != h0.rows())
      throw Error("DR-NMF: dictionary " + std::to_string(k + 1) + " is " + shape(w[k]) +
                  "; expected F x N = " + std::to_string(x.rows()) + " x " +
                  std::to_string(h0.rows()) + " (the bins of x, the rows of h0)");
  if (sequences < 1 || x.cols() == 0 || x.cols() % sequences != 0)
    throw Error("DR-NMF: " + std::to_string(x.cols()) + " columns are not frames of " +
                std::to_string(sequences) + " sequences; expected at least one frame");
}

// The forward recurrence over every frame and layer.
void recurrence(State& st, Eigen::Ref<const Matrix> x, const Eigen::VectorXd& h0, Eigen::Index B,
                const UnfoldingOptions& o) {
  const Eigen::Index N = h0.size(), F = x.rows(), frames = x.cols() / B;
  const int K = o.layers;
  const Real lambda = o.lambda + o.eps;
  st.gram = gram_form(o, N, F);
  st.h.assign(K, Array(N, x.cols()));
  st.c.assign(K, Matrix());
  st.r.assign(K, Matrix());
  for (int k = 0; k < K; ++k) {
    if (st.gram)  // the code's first layer has no S term
      st.s.push_back(code_layer(o, k) ? Matrix()
                                      : Matrix(Matrix::Identity(N, N) -
                                               st.w[k].transpose() * st.w[k] / st.alpha(k)));
    if (st.gram || code_layer(o, k))
      st.c[k].resize(N, x.cols());
    else
      st.r[k].resize(F, x.cols());
  }
  for_each_part(x.cols(), [&](int, Part cols) {
    for (int k = 0; k < K; ++k)
      if (st.c[k].size() > 0)
        st.c[k].middleCols(cols.first, cols.size) =
            (((st.w[k].transpose() * x.middleCols(cols.first, cols.size)).array() - lambda) /
             st.alpha(k))
                .matrix();
  });
  Matrix previous = h0.replicate(1, B), z(N, B);
  for (Eigen::Index t = 0; t < frames; ++t) {
    const Eigen::Index at = t * B;
    const Row leak = o.eps * previous.colwise().sum();
    for (int k = 0; k < K; ++k) {
      const Eigen::Ref<const Matrix> a =
          k == 0 ? Eigen::Ref<const Matrix>(previous)
                 : Eigen::Ref<const Matrix>(st.h[k - 1].matrix().middleCols(at, B));
      if (st.c[k].size() > 0) {
        z = st.c[k].middleCols(at, B);
        if (code_layer(o, k)) {
          z += a;
        } else {
          rows_in_parts(st.s[k], a, z, 1, true);
        }
      } else {
        auto residual = st.r[k].middleCols(at, B);
        residual = x.middleCols(at, B);
        rows_in_parts(st.w[k], a, residual, -1, true);
        rows_in_parts(st.w[k].transpose(), residual, z, 1, false);
        z = ((z.array() - lambda) / st.alpha(k)).matrix() + a;
      }
      if (leaks(o, k)) z.rowwise() += leak;
      st.h[k].middleCols(at, B) = z.array().max(0);
    }
    previous = st.h[K - 1].matrix().middleCols(at, B);
  }
}

// What the recursion back through time gives from dL/dh^(K): dL/dz of every layer at every
// frame, in the factored form q_k = W_k dL/dz of the layers with a residual (which the
// gradient of W_k reuses), and dL/dh0 summed over the sequences.
struct Recursion {
  std::vector<Matrix> gz, q;
  Eigen::VectorXd dh0;
};

Recursion back_through_time(const State& st, const Array& top, const Array& grad, Eigen::Index B,
                            const UnfoldingOptions& o) {
  const int K = o.layers;
  const Eigen::Index N = top.rows(), cols = top.cols();
  Recursion out{std::vector<Matrix>(K, Matrix(N, cols)), std::vector<Matrix>(K), {}};
  for (int k = 0; k < K; ++k)
    if (st.r[k].size() > 0) out.q[k].resize(st.w[k].rows(), cols);
  Matrix carry = Matrix::Zero(N, B), g(N, B);
  for (Eigen::Index t = cols / B - 1; t >= 0; --t) {
    const Eigen::Index at = t * B;
    g = grad.matrix().middleCols(at, B) + carry;
    Row leak = Row::Zero(B);
    for (int k = K - 1; k >= 0; --k) {
      const Array& h = k == K - 1 ? top : st.h[k];
      auto gzk = out.gz[k].middleCols(at, B);
      gzk = (h.middleCols(at, B) > 0).select(g.array(), 0).matrix();
      if (leaks(o, k)) leak += gzk.colwise().sum();
      if (code_layer(o, k)) {
        g = gzk;
      } else if (st.gram) {
        rows_in_parts(st.s[k], gzk, g, 1, false);  // S_k is symmetric
      } else {
        auto q = out.q[k].middleCols(at, B);
        rows_in_parts(st.w[k], gzk, q, 1, false);
        g = gzk;
        rows_in_parts(st.w[k].transpose(), q, g, -1 / st.alpha(k), true);
      }
    }
    carry = g;
    carry.rowwise() += o.eps * leak;
  }
  out.dh0 = carry.rowwise().sum();
  return out;
}

// The part over the columns `part` of dL/dW_k and dL/dalpha_k, from the recursion and the
// layer's input a (h^(k-1), or the previous frame's top layer; unused by the code's first
// layer, which has no -W^T W h / alpha term).
struct LayerGradient {
  Matrix w;
  Real alpha;
};

LayerGradient layer_gradient(const State& st, int k, Part part, const Recursion& back,
                             Eigen::Ref<const Matrix> x_all, Eigen::Ref<const Matrix> a_all,
                             const UnfoldingOptions& o) {
  const auto cols = [&](const auto& m) { return m.middleCols(part.first, part.size); };
  const auto gz = cols(back.gz[k]);
  const Matrix& w = st.w[k];
  const Real alpha = st.alpha(k), lambda = o.lambda + o.eps;
  if (st.gram) {  // z = (W^T x - lambda) / alpha + S a
    LayerGradient g{cols(x_all) * gz.transpose() / alpha,
                    -(gz.array() * cols(st.c[k]).array()).sum() / alpha};
    if (!code_layer(o, k)) {  // through S_k = I - W_k^T W_k / alpha_k
      const Matrix ds = gz * cols(a_all).transpose();
      g.w.noalias() -= w * (ds + ds.transpose()) / alpha;
      g.alpha += (ds.array() * (w.transpose() * w).array()).sum() / (alpha * alpha);
    }
    return g;
  }
  // z = (W^T v - lambda) / alpha + ..., v = x in the code's first layer, else the residual
  // r = x - W a, whose own dependence on W adds -W gz a^T: dL/dW = (v gz^T - W gz a^T) / alpha.
  // Since sum(gz o W^T v) = <W, v gz^T>, dL/dalpha needs no product over the frames of its own.
  Matrix p = code_layer(o, k) ? Matrix(cols(x_all) * gz.transpose())
                              : Matrix(cols(st.r[k]) * gz.transpose());
  LayerGradient g{Matrix(), -((p.array() * w.array()).sum() - lambda * gz.sum()) / (alpha * alpha)};
  if (!code_layer(o, k)) p.noalias() -= cols(back.q[k]) * cols(a_all).transpose();
  g.w = p / alpha;
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
  if (!x.tape().recording()) {  // no backward pass: keep only the layers for `lower`
    st->c.clear();
    st->r.clear();
    st->s.clear();
  }
  std::vector<ad::Var> inputs = w;
  inputs.insert(inputs.end(), {alpha, h0, x});
  ad::Var out = x.tape().record(
      std::move(top), inputs, [=](ad::Tape& t, const Array& top_value, const Array& grad) {
        const int K = o.layers;
        const Recursion back = back_through_time(*st, top_value, grad, B, o);
        if (Array* d = t.grad_buffer(h0.id())) *d += back.dh0.array();
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
            parts[p] = layer_gradient(*st, k, part, back, xv, a, o);
            if (!dx) return;  // x's gradient, sum of W_k dL/dz / alpha_k
            auto d = dx->matrix().middleCols(part.first, part.size);
            if (back.q[k].size() > 0)
              d += back.q[k].middleCols(part.first, part.size) / st->alpha(k);
            else
              d.noalias() += st->w[k] * back.gz[k].middleCols(part.first, part.size) / st->alpha(k);
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
