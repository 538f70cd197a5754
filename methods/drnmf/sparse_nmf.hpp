#pragma once

// The sparse NMF that initialises DR-NMF (paper 003, sec. 4, steps 1-2), in the form of the
// "well done" sparse NMF code its authors ran (sparse_nmf.m, beta = 2): W's columns start
// normalised with H's rows scaled to keep W H, the cost is sum (V - W H)^2 + mu sum(H) (no
// 1/2), and a run stops once the cost's relative change falls below conv_eps.

#include <vector>

#include "core/types.hpp"

namespace nmfbench::drnmf {

struct SparseNmfOptions {
  Real sparsity = 1;  // mu
  int max_iterations = 1000;
  Real conv_eps = 1e-4;  // 0: run every iteration
  // Columns before this one are held (the speech bases while the noise bases are learnt).
  Eigen::Index first_updated = 0;
};

struct SparseNmfResult {
  Array w, h;
  std::vector<Real> cost, divergence;  // after each iteration
};

SparseNmfResult sparse_nmf(const Array& v, const Array& w0, const Array& h0,
                           const SparseNmfOptions& options);

// The test-time SNMF baseline: `iterations` H updates with W fixed from h0, then the speech
// mask Yhat / (1e-9 + Yhat + Vhat) of the first `speech` columns against the rest.
Array sparse_nmf_mask(const Array& x, const Array& w, const Array& h0, Eigen::Index speech,
                      Real sparsity, int iterations);

}  // namespace nmfbench::drnmf
