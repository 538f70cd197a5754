#pragma once

#include <tbb/parallel_for.h>

#include "core/types.hpp"

namespace nmfbench::nmf {

// The multiplicative updates are independent across rows of the factor they update (rows of
// W, columns of H), so the solver and DeMUA's recorded updates split that work into kParts
// fixed parts run in parallel under oneTBB. The parts depend on the problem size only and
// whatever is summed across them is added in part order, so results do not depend on the
// number of threads.
inline constexpr int kParts = 2;

struct Part {
  Eigen::Index first, size;
};

// Part p of `total` rows (or columns).
inline Part part(Eigen::Index total, int p) {
  const Eigen::Index first = total * p / kParts;
  return {first, total * (p + 1) / kParts - first};
}

// body(p, part(total, p)) for every part, in parallel.
template <typename Body>
void for_each_part(Eigen::Index total, Body body) {
  tbb::parallel_for(0, kParts, [&](int p) { body(p, part(total, p)); });
}

}  // namespace nmfbench::nmf
