#pragma once

// Deep NMF (paper 001, eqs. 8-9): K update layers unfolded from sparse NMF's analysis and an
// output layer; the last C bases are untied, single-frame and trained, the others are the
// fixed context bases W_bar. C = 0 is sparse NMF's analysis itself. The loss is eq. 7 and its
// gradient comes in the non-negative parts multiplicative back-propagation needs (sec. 2).

#include <vector>

#include "methods/deepnmf/layer.hpp"

namespace nmfbench::deepnmf {

struct NetworkConfig {
  int bins = 0;               // F, the rows of one frame
  int layers = 4;             // K
  int untied = 1;             // C, 0 <= C <= K
  std::vector<int> sizes;     // R per source; sources are consecutive blocks, speech first
  Real sparsity = 5;          // mu
  Real beta_layers = 1;       // beta1 of every update layer
  Real beta_loss = 2;         // beta2 of eq. 7
  std::vector<Real> weights;  // gamma per source
};

// Throws Error naming `owner` when the configuration cannot describe a network.
void validate(const NetworkConfig& config, const std::string& owner);

// Which bases layer k (1..K) uses: W_bar when k - 1 <= K - C, else untied[k - 1 - (K - C + 1)].
int untied_index(const NetworkConfig& config, int layer);

struct Forward {
  std::vector<Array> h;                // H^0 .. H^K
  std::vector<LayerCache> caches;      // per layer 1..K (index k - 1); empty for W_bar layers
  std::vector<NormalizedBases> bases;  // the untied bases normalised, W^(K-C+1) .. W^K
  std::vector<LayerBases> layers;      // the same as their update layers and backward read them
  Array output_bases;                  // W~ of the output layer
  WienerParts wiener;
  Array current;                 // M', the mixture's current frames
  std::vector<Array> estimates;  // S~^l
  Real loss = 0;                 // eq. 7; 0 without targets
};

// The layers that use W_bar, 1 .. tied_layers(config): nothing in them is trained, so their
// output for a given input never changes during training.
int tied_layers(const NetworkConfig& config);
// H^tied_layers(config) from H^0, the frames split into parts run in parallel.
Array tied_output(const NetworkConfig& config, const Array& w_bar, const Array& m, const Array& h0);

// The forward pass. w_bar: cF x R, untied: C matrices F x R (W^(K-C+1) .. W^K), m: cF x T
// context features, h: R x T, targets: F x T per source (empty: no loss). h is H^0, or with
// `from_tied_output` H^tied_layers(config) (from tied_output), and the pass starts after the
// tied layers, leaving their entries of Forward::h empty.
Forward forward(const NetworkConfig& config, const Array& w_bar, const std::vector<Array>& untied,
                const Array& m, const Array& h, const std::vector<Array>& targets,
                bool from_tied_output = false);

struct Backward {
  std::vector<SplitGradient> bases;        // dE/dW^k for k = K-C+1 .. K
  std::vector<SplitGradient> activations;  // dE/dH^k for k = K-C+1 .. K
};
// Multiplicative back-propagation of eq. 7 through a forward pass made with targets.
Backward backward(const NetworkConfig& config, const Forward& pass,
                  const std::vector<Array>& targets);

// Eq. 7 over the frames of m and, with `gradient`, its split gradient: frames are
// independent through every layer, so the frames are split into kParts parts run in
// parallel and the parts' sums are added in part order (the result does not depend on the
// number of threads).
struct Objective {
  Real loss = 0;
  std::vector<SplitGradient> bases;  // empty without `gradient`
};
Objective objective(const NetworkConfig& config, const Array& w_bar,
                    const std::vector<Array>& untied, const Array& m, const Array& h,
                    const std::vector<Array>& targets, bool gradient,
                    bool from_tied_output = false);

// into[i] += from[i], part by part.
void accumulate(std::vector<SplitGradient>& into, const std::vector<SplitGradient>& from);

// Eq. 10: W <- W o [grad]- / max([grad]+, flr).
Array multiplicative_update(const Array& w, const SplitGradient& grad);

}  // namespace nmfbench::deepnmf
