#pragma once

#include "core/types.hpp"

namespace nmfbench::nmf {

// Beta-divergence NMF with an L1 penalty on H, by multiplicative updates (papers 001, 003):
//   min D_beta(V | W~ H) + mu |H|_1,  beta in [0, 2]: 0 Itakura-Saito, 1 KL, 2 squared error.
// With normalized_bases (sparse NMF, Le Roux, Weninger & Hershey, "Sparse NMF - half-baked
// or well done?", 2015) W~ is W with unit l2-norm columns and W's update accounts for that
// normalisation; otherwise W~ = W and the updates are the classic ones (Fevotte & Idier 2011).
struct BetaNmfOptions {
  Real beta = 1;
  Real sparsity = 0;  // mu
  bool normalized_bases = true;
};

class BetaNmf {
 public:
  explicit BetaNmf(BetaNmfOptions options);
  const BetaNmfOptions& options() const { return options_; }

  // Paper 001, eq. (8) / paper 003's H step:
  //   H <- H o W~^T (V o L^(beta-2)) / (W~^T L^(beta-1) + mu),  L = W~ H.
  void update_h(const Array& v, const Array& w, Array& h) const;
  // The W step; with normalized_bases, Le Roux et al.'s update
  //   W <- W~ o (P H^T + W~ o 1 1^T (W~ o Q H^T)) / (Q H^T + W~ o 1 1^T (W~ o P H^T)),
  // P = V o L^(beta-2), Q = L^(beta-1), followed by normalisation. Only the columns from
  // `first_updated` on change (the rest are held, as the speech bases are while the noise
  // bases are learnt: paper 003, sec. 4, step 2); normalisation still applies to all.
  void update_w(const Array& v, Array& w, const Array& h, Eigen::Index first_updated = 0) const;
  void iterate(const Array& v, Array& w, Array& h) const;

  // The bases actually used: W normalised if normalized_bases, else W.
  Array effective_bases(const Array& w) const;
  // D_beta(V | W~ H) + mu |H|_1.
  Real objective(const Array& v, const Array& w, const Array& h) const;

 private:
  BetaNmfOptions options_;
};

// D_beta(x | y) summed over elements, with the limits beta = 0 (IS) and beta = 1 (KL).
Real beta_divergence(const Array& x, const Array& y, Real beta);

}  // namespace nmfbench::nmf
