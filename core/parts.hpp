#pragma once

#include <tbb/parallel_for.h>

#include <algorithm>
#include <vector>

#include "core/types.hpp"

namespace nmfbench {

// Work that is independent across rows or columns (the multiplicative updates' factors, the
// frames of a product, the elements of an array) is split into kParts fixed parts run in
// parallel under oneTBB. The parts depend on the problem size only and whatever is summed
// across them is added in part order, so results do not depend on the number of threads.
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

// A product of at least this many multiply-adds is worth splitting into parts; below it the
// second thread's start-up costs more than it saves.
inline constexpr double kPartedMultiplyAdds = 1 << 22;

// The multiply-adds of an (m x k) (k x n) product.
inline double multiply_adds(Eigen::Index m, Eigen::Index k, Eigen::Index n) {
  return static_cast<double>(m) * static_cast<double>(k) * static_cast<double>(n);
}

// body(p, part) over the parts of `total`, in parallel when `work` (multiply-adds) reaches
// kPartedMultiplyAdds, else as one part on this thread. Which of the two happens depends on
// the sizes only.
template <typename Body>
void for_each_part_of(Eigen::Index total, double work, Body body) {
  if (work < kPartedMultiplyAdds || total < kParts) {
    body(0, Part{0, total});
  } else {
    for_each_part(total, body);
  }
}

// Elementwise passes go through an array kChunk elements at a time, so that the temporaries
// of a fused computation stay in L1. kChunk is a multiple of every SIMD packet size and Eigen
// aligns an Array's storage to one: each element takes the same vectorised or scalar path
// however the array is cut.
inline constexpr Eigen::Index kChunk = 1024;
// Arrays of at least this many elements are cut into the fixed parts.
inline constexpr Eigen::Index kPartedElements = 1 << 16;

using Elements = Eigen::Array<Real, Eigen::Dynamic, 1>;
// A temporary of one chunk, on the stack.
using Chunk = Eigen::Array<Real, Eigen::Dynamic, 1, Eigen::ColMajor, kChunk, 1>;

// Elements [first, first + size) of an array in storage order, as one column.
inline Eigen::Map<const Elements> elements(const Array& a, Eigen::Index first, Eigen::Index size) {
  return {a.data() + first, size};
}
inline Eigen::Map<Elements> elements(Array& a, Eigen::Index first, Eigen::Index size) {
  return {a.data() + first, size};
}

inline Eigen::Index chunk_count(Eigen::Index total) {
  return (total + kChunk - 1) / kChunk;
}

// body(first, size) over consecutive chunks of the elements [0, total) of an array, in the
// fixed parts in parallel when the array is large.
template <typename Body>
void for_each_chunk(Eigen::Index total, Body body) {
  const Eigen::Index chunks = chunk_count(total);
  const auto run = [&](int, Part range) {
    for (Eigen::Index c = range.first; c < range.first + range.size; ++c) {
      body(c * kChunk, std::min(kChunk, total - c * kChunk));
    }
  };
  if (total < kPartedElements) {
    run(0, Part{0, chunks});
  } else {
    for_each_part(chunks, run);
  }
}

// initial + the sum of chunk_sum(first, size) over the chunks of [0, total), added in chunk
// order: the same total on any number of threads.
template <typename ChunkSum>
Real sum_over_chunks(Eigen::Index total, Real initial, ChunkSum chunk_sum) {
  std::vector<Real> sums(static_cast<std::size_t>(chunk_count(total)));
  for_each_chunk(total, [&](Eigen::Index first, Eigen::Index size) {
    sums[static_cast<std::size_t>(first / kChunk)] = chunk_sum(first, size);
  });
  for (const Real s : sums) initial += s;
  return initial;
}

}  // namespace nmfbench
