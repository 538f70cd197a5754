#pragma once

#include <algorithm>

#include "core/parts.hpp"

namespace nmfbench::nmf {

// The solver goes through y a tile of this many columns at a time, from W H through the
// weights to their product, so that a tile's arrays (4 M x 64 doubles, 1 MB at M = 513) are
// still in L2 when the product reads them: 1.3x faster than whole arrays at 513 x 1000.
inline constexpr Eigen::Index kTileColumns = 64;

// body(tile) for consecutive tiles of at most kTileColumns columns of `range`, in order.
template <typename Body>
void for_each_tile(Part range, Body body) {
  for (Eigen::Index first = 0; first < range.size; first += kTileColumns) {
    body(Part{range.first + first, std::min(kTileColumns, range.size - first)});
  }
}

}  // namespace nmfbench::nmf
