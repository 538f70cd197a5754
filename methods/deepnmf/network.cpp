#include "methods/deepnmf/network.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "core/parts.hpp"
#include "methods/nmf/beta_nmf.hpp"

namespace nmfbench::deepnmf {
namespace {

Array transposed_product(const Eigen::Ref<const Array>& a, const Array& b) {
  return (a.matrix().transpose() * b.matrix()).array();
}
Array product_transposed(const Array& a, const Eigen::Ref<const Array>& b) {
  return (a.matrix() * b.matrix().transpose()).array();
}

void accumulate(SplitGradient& into, const SplitGradient& part, bool swap) {
  into.positive += swap ? part.negative : part.positive;
  into.negative += swap ? part.positive : part.negative;
}

}  // namespace

void validate(const NetworkConfig& c, const std::string& owner) {
  if (c.bins < 1) throw Error(owner + ": a frame needs >= 1 bin, got " + std::to_string(c.bins));
  if (c.layers < 1)
    throw Error(owner + ": layers (K) must be >= 1, got " + std::to_string(c.layers));
  if (c.untied < 0 || c.untied > c.layers)
    throw Error(owner + ": untied (C) must be in [0, K = " + std::to_string(c.layers) + "], got " +
                std::to_string(c.untied));
  if (c.sizes.empty() || c.weights.size() != c.sizes.size())
    throw Error(owner + ": expected one rank and one loss weight per source");
  for (int r : c.sizes)
    if (r < 1) throw Error(owner + ": every source needs >= 1 basis, got " + std::to_string(r));
}

int untied_index(const NetworkConfig& c, int layer) {
  const int first_untied = c.layers - c.untied + 1;
  return layer - 1 < first_untied ? -1 : layer - 1 - first_untied;
}

int tied_layers(const NetworkConfig& c) {
  return std::min(c.layers, c.layers - c.untied + 1);
}

Array tied_output(const NetworkConfig& c, const Array& w_bar, const Array& m, const Array& h0) {
  const LayerBases w = layer_bases(normalize_columns(w_bar).w);
  Array out(h0.rows(), h0.cols());
  for_each_part(m.cols(), [&](int, Part frames) {
    Array h = h0.middleCols(frames.first, frames.size);
    for (int k = 1; k <= tied_layers(c); ++k)
      h = update_layer(w, h, m.middleCols(frames.first, frames.size), c.beta_layers, c.sparsity);
    out.middleCols(frames.first, frames.size) = h;
  });
  return out;
}

Forward forward(const NetworkConfig& c, const Array& w_bar, const std::vector<Array>& untied,
                const Array& m, const Array& h, const std::vector<Array>& targets,
                bool from_tied_output) {
  if (static_cast<int>(untied.size()) != c.untied)
    throw Error("deep NMF: expected " + std::to_string(c.untied) + " untied bases, got " +
                std::to_string(untied.size()));
  Forward out;
  out.current = m.bottomRows(c.bins);
  const int first = from_tied_output ? tied_layers(c) + 1 : 1;
  // W~^T and the column sums only where a tied layer is computed (not in a later epoch).
  Array w = normalize_columns(w_bar).w;
  const LayerBases fixed =
      first <= tied_layers(c) ? layer_bases(std::move(w)) : LayerBases{std::move(w), {}, {}};
  for (const Array& u : untied) {
    out.bases.push_back(normalize_columns(u));
    out.layers.push_back(layer_bases(out.bases.back().w));
  }
  out.h.resize(first - 1);
  out.h.push_back(h);
  out.caches.resize(c.layers);
  for (int k = first; k <= c.layers; ++k) {
    const int j = untied_index(c, k);
    const Array& a = out.h.back();
    out.h.push_back(j < 0 ? update_layer(fixed, a, m, c.beta_layers, c.sparsity)
                          : update_layer(out.layers[j], a, out.current, c.beta_layers, c.sparsity,
                                         out.caches[k - 1]));
  }
  out.output_bases = c.untied > 0 ? out.bases.back().w : Array(fixed.w.bottomRows(c.bins));
  out.wiener = wiener_parts(out.output_bases, out.h.back(), c.sizes);
  for (const Array& p : out.wiener.p) out.estimates.push_back(p / out.wiener.q * out.current);
  for (std::size_t l = 0; l < targets.size(); ++l) {
    if (c.weights[l] != 0)
      out.loss += c.weights[l] * nmf::beta_divergence(targets[l], out.estimates[l], c.beta_loss);
  }
  return out;
}

Backward backward(const NetworkConfig& c, const Forward& pass, const std::vector<Array>& targets) {
  if (c.untied < 1) throw Error("deep NMF: nothing to train with C = 0");
  const std::size_t sources = c.sizes.size();
  const Array& q = pass.wiener.q;
  const Array& mp = pass.current;
  // dE/dS~ in parts: gamma S~^(b2-1) and gamma S S~^(b2-2).
  std::vector<Array> gp(sources), gm(sources);
  Array sum_m = Array::Zero(q.rows(), q.cols()), sum_p = sum_m;
  for (std::size_t l = 0; l < sources; ++l) {
    const Array& se = pass.estimates[l];
    const Real g = c.weights[l];
    if (g == 0) {
      gp[l] = gm[l] = Array::Zero(se.rows(), se.cols());
    } else if (c.beta_loss == 2) {
      gp[l] = g * se;
      gm[l] = g * targets[l];
    } else {
      gp[l] = g * se.pow(c.beta_loss - 1);
      gm[l] = g * (targets[l] * se.pow(c.beta_loss - 2));
    }
    sum_m += gm[l] * pass.wiener.p[l];
    sum_p += gp[l] * pass.wiener.p[l];
  }
  const Array cq = (pass.wiener.q_raw >= kFloor).cast<Real>() * mp / (q * q);
  const Array& wk = pass.output_bases;
  const Array& hk = pass.h.back();
  const Eigen::Index total = wk.cols();
  SplitGradient gh{Array(total, hk.cols()), Array(total, hk.cols())};
  SplitGradient gw{Array(wk.rows(), total), Array(wk.rows(), total)};
  Eigen::Index r0 = 0;
  for (std::size_t l = 0; l < sources; ++l) {
    const int r = c.sizes[l];
    const Array dp = gp[l] * mp / q + cq * sum_m;
    const Array dm = gm[l] * mp / q + cq * sum_p;
    gh.positive.middleRows(r0, r) = transposed_product(wk.middleCols(r0, r), dp);
    gh.negative.middleRows(r0, r) = transposed_product(wk.middleCols(r0, r), dm);
    gw.positive.middleCols(r0, r) = product_transposed(dp, hk.middleRows(r0, r));
    gw.negative.middleCols(r0, r) = product_transposed(dm, hk.middleRows(r0, r));
    r0 += r;
  }
  Backward out;
  out.bases.resize(c.untied);
  out.activations.resize(c.untied);
  out.bases.back() = through_normalization(gw, pass.bases.back());
  out.activations.back() = gh;
  // Layer k made H^k with W^(k-1); W^(k-1) is trained for k - 1 >= K - C + 1.
  for (int k = c.layers; k > c.layers - c.untied + 1; --k) {
    const int j = untied_index(c, k);
    const LayerCache& cache = pass.caches[k - 1];
    const LayerBases& bases = pass.layers[j];
    const Array& a = pass.h[k - 1];
    const LayerParts from_p = update_layer_parts(gh.positive, bases, a, mp, cache, c.beta_layers);
    const LayerParts from_m = update_layer_parts(gh.negative, bases, a, mp, cache, c.beta_layers);
    SplitGradient w = from_p.w, h = from_p.a;
    accumulate(w, from_m.w, true);
    accumulate(h, from_m.a, true);
    out.bases[j] = through_normalization(w, pass.bases[j]);
    out.activations[j] = h;
    gh = std::move(h);
  }
  return out;
}

Objective objective(const NetworkConfig& c, const Array& w_bar, const std::vector<Array>& untied,
                    const Array& m, const Array& h, const std::vector<Array>& targets,
                    bool gradient, bool from_tied_output) {
  std::array<Objective, kParts> parts;
  for_each_part(m.cols(), [&](int p, Part frames) {
    std::vector<Array> part_targets;
    for (const Array& s : targets) part_targets.push_back(s.middleCols(frames.first, frames.size));
    const Forward pass =
        forward(c, w_bar, untied, m.middleCols(frames.first, frames.size),
                h.middleCols(frames.first, frames.size), part_targets, from_tied_output);
    parts[p].loss = pass.loss;
    if (gradient && c.untied > 0) parts[p].bases = backward(c, pass, part_targets).bases;
  });
  Objective total = std::move(parts[0]);
  for (int p = 1; p < kParts; ++p) {
    total.loss += parts[p].loss;
    accumulate(total.bases, parts[p].bases);
  }
  return total;
}

void accumulate(std::vector<SplitGradient>& into, const std::vector<SplitGradient>& from) {
  for (std::size_t i = 0; i < into.size(); ++i) accumulate(into[i], from[i], false);
}

Array multiplicative_update(const Array& w, const SplitGradient& grad) {
  return w * grad.negative / grad.positive.max(kFloor);
}

}  // namespace nmfbench::deepnmf
