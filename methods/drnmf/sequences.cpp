#include "methods/drnmf/sequences.hpp"

#include <algorithm>
#include <numeric>

namespace nmfbench::drnmf {

std::vector<Chunk> split_utterances(const std::vector<Eigen::Index>& lengths, Eigen::Index maxlen,
                                    Eigen::Index& padded) {
  if (maxlen < 1) throw Error("sequences: maxlen must be >= 1, got " + std::to_string(maxlen));
  const Eigen::Index longest =
      lengths.empty() ? 0 : *std::max_element(lengths.begin(), lengths.end());
  padded = std::min(maxlen, longest);
  std::vector<Chunk> chunks;
  for (std::size_t u = 0; u < lengths.size(); ++u)
    for (Eigen::Index t = 0; t < lengths[u]; t += padded)
      chunks.push_back({u, t, std::min(t + padded, lengths[u])});
  return chunks;
}

SequenceBatch SequenceBatch::pack(const std::vector<Array>& x, const std::vector<Array>& y) {
  if (x.empty()) throw Error("sequences: a batch needs at least one sequence");
  if (!y.empty() && y.size() != x.size())
    throw Error("sequences: " + std::to_string(x.size()) + " inputs but " +
                std::to_string(y.size()) + " targets");
  SequenceBatch batch;
  batch.sequences = static_cast<Eigen::Index>(x.size());
  const Eigen::Index bins = x[0].rows();
  for (std::size_t b = 0; b < x.size(); ++b) {
    if (x[b].rows() != bins || (!y.empty() && (y[b].rows() != bins || y[b].cols() != x[b].cols())))
      throw Error("sequences: sequence " + std::to_string(b) +
                  " does not match the batch's bins or its target's shape");
    batch.lengths.push_back(x[b].cols());
    batch.frames = std::max(batch.frames, x[b].cols());
  }
  batch.x = Array::Zero(bins, batch.sequences * batch.frames);
  if (!y.empty()) batch.y = Array::Zero(bins, batch.x.cols());
  for (std::size_t b = 0; b < x.size(); ++b) {
    for (Eigen::Index t = 0; t < x[b].cols(); ++t) {
      const Eigen::Index c = batch.column(static_cast<Eigen::Index>(b), t);
      batch.x.col(c) = x[b].col(t);
      if (!y.empty()) batch.y.col(c) = y[b].col(t);
    }
  }
  return batch;
}

Eigen::Index SequenceBatch::valid_frames() const {
  return std::accumulate(lengths.begin(), lengths.end(), Eigen::Index{0});
}

Array SequenceBatch::unpack(const Array& packed, Eigen::Index sequence) const {
  const Eigen::Index length = lengths[static_cast<std::size_t>(sequence)];
  Array out(packed.rows(), length);
  for (Eigen::Index t = 0; t < length; ++t) out.col(t) = packed.col(column(sequence, t));
  return out;
}

}  // namespace nmfbench::drnmf
