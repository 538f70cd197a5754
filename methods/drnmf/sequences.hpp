#pragma once

// Sequences as DR-NMF and the LSTM train on them (paper 003, sec. 5; the authors' data code):
// each utterance is cut into consecutive chunks of at most maxlen frames, every chunk starts
// from the initial state, and a batch pads its chunks to a common length.

#include <vector>

#include "core/types.hpp"

namespace nmfbench::drnmf {

struct Chunk {
  std::size_t utterance;
  Eigen::Index start, end;  // frames [start, end)
};

// The chunks of utterances of `lengths` frames; `padded` receives the padded length:
// maxlen, or the longest utterance when that is shorter.
std::vector<Chunk> split_utterances(const std::vector<Eigen::Index>& lengths, Eigen::Index maxlen,
                                    Eigen::Index& padded);

// B sequences of F-dimensional frames padded to T frames, frame-major: column t B + b holds
// frame t of sequence b, so one frame of the whole batch is a contiguous block. Padded
// columns hold zeros and are never scored.
struct SequenceBatch {
  Eigen::Index sequences = 0, frames = 0;
  std::vector<Eigen::Index> lengths;
  Array x, y;  // input (mixture magnitudes) and target (speech magnitudes), F x B T

  // Packs F x length pairs; y may be empty (inference).
  static SequenceBatch pack(const std::vector<Array>& x, const std::vector<Array>& y);
  Eigen::Index column(Eigen::Index sequence, Eigen::Index frame) const {
    return frame * sequences + sequence;
  }
  bool valid(Eigen::Index column) const {
    return column / sequences < lengths[static_cast<std::size_t>(column % sequences)];
  }
  Eigen::Index valid_frames() const;
  // Sequence b's frames as F x length, from an F x B T array.
  Array unpack(const Array& packed, Eigen::Index sequence) const;
};

}  // namespace nmfbench::drnmf
