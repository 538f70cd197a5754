#pragma once

// ISTA for sparse non-negative coding with the squared error (paper 003, Algs. 1 and 2):
//   min_h>=0 0.5 ||x - W h||^2 + lambda sum(h),
// each iteration z = (I - W^T W / alpha) h + W^T x / alpha, h = max(z - lambda/alpha, 0), the
// one-sided soft threshold. alpha >= ||W||_2^2 makes the objective non-increasing.

#include <functional>

#include "core/types.hpp"

namespace nmfbench::drnmf {

struct IstaOptions {
  Real alpha = 50;
  Real lambda = 1;
};

class Ista {
 public:
  // w: F x N, the dictionary; it and the options are fixed for the object's life.
  Ista(const Array& w, IstaOptions options);

  // One iteration on every column of h (N x T) for the frames x (F x T), independently.
  void iterate(const Array& x, Array& h) const;
  // Alg. 2: frame t starts from frame t-1's result after `iterations`, frame 0 from h0 (N x 1).
  Array warm_start(const Array& x, const Array& h0, int iterations) const;
  // 0.5 ||x - W h||^2 + lambda sum(h), summed over frames.
  Real objective(const Array& x, const Array& h) const;

 private:
  Array w_, gram_;  // gram_ = I - W^T W / alpha, N x N
  IstaOptions options_;
};

}  // namespace nmfbench::drnmf
