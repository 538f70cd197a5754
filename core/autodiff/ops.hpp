#pragma once

// Differentiable operations on Vars. Every op here has a finite-difference gradient test in
// tests/core/autodiff_ops_test.cpp.
//
// Broadcasting in binary elementwise ops: shapes must be equal, or one operand is 1x1, a
// column (Mx1, repeated across columns) or a row (1xN, repeated across rows) of the other's
// shape. Gradients are summed back over the repeated dimension.

#include <vector>

#include "core/autodiff/tape.hpp"
#include "core/stft.hpp"

namespace nmfbench::ad {

// Elementwise arithmetic (ops_elementwise.cpp).
Var operator+(const Var& a, const Var& b);
Var operator-(const Var& a, const Var& b);
Var operator*(const Var& a, const Var& b);
Var operator/(const Var& a, const Var& b);
Var operator-(const Var& a);
Var operator+(const Var& a, Real b);
Var operator+(Real a, const Var& b);
Var operator-(const Var& a, Real b);
Var operator-(Real a, const Var& b);
Var operator*(const Var& a, Real b);
Var operator*(Real a, const Var& b);
Var operator/(const Var& a, Real b);
Var operator/(Real a, const Var& b);

// Elementwise functions (ops_elementwise.cpp).
Var exp(const Var& x);
Var log(const Var& x);
Var pow(const Var& x, Real p);
Var square(const Var& x);
Var sqrt(const Var& x);
Var abs(const Var& x);                    // gradient sign(x), 0 at 0
Var clamp_min(const Var& x, Real floor);  // max(x, floor); gradient passes where x >= floor
Var relu(const Var& x);
// log(1 + e^x), computed without overflow; keeps its derivative (an array of x's size) for the
// backward pass, which saves computing the exponentials again.
Var softplus(const Var& x);
Var sigmoid(const Var& x);
Var tanh(const Var& x);
Var elu(const Var& x, Real alpha = 1);

enum class Axis { rows, cols };
// Gated linear unit: the first half along `axis` times the sigmoid of the second half.
Var glu(const Var& x, Axis axis = Axis::rows);

// Linear algebra and reductions (ops_linear.cpp).
// op(a) * op(b), op = transpose where asked.
Var matmul(const Var& a, const Var& b, bool transpose_a = false, bool transpose_b = false);
Var sum(const Var& x);           // 1x1
Var mean(const Var& x);          // 1x1
Var column_sums(const Var& x);   // 1xN: the sum of each column
Var row_sums(const Var& x);      // Mx1: the sum of each row
Var column_means(const Var& x);  // 1xN
Var row_means(const Var& x);     // Mx1
// Each column divided by its sum (unit sum) or by its 2-norm (unit norm).
Var normalize_columns_sum(const Var& x);
Var normalize_columns_l2(const Var& x);
Var concat_rows(const std::vector<Var>& parts);  // stacked vertically
Var concat_cols(const std::vector<Var>& parts);  // side by side
Var slice_rows(const Var& x, Eigen::Index start, Eigen::Index count);
Var slice_cols(const Var& x, Eigen::Index start, Eigen::Index count);

// 1-D convolution along time (columns) with many channels (rows). weights is
// C_out x (K * C_in): its k-th C_in-wide block W_k acts on the input shifted by k frames,
//   y[:, t] = sum_k W_k x[:, t - k]   (causal; frames before 0 are zero), or
//   y[:, t] = sum_k W_k x[:, t + k]   (anticausal; frames after the end are zero).
// The output has as many frames as the input.
Var conv1d(const Var& x, const Var& weights, bool causal = true);

// Recurrent (ops_recurrent.cpp). One LSTM layer over B sequences stored frame-major (column
// t B + b is frame t of sequence b), zero initial state, PyTorch's nn.LSTM gates:
//   [i f g o] = W_ih x_t + bias + W_hh h_(t-1),  i, f, o = sigmoid, g = tanh,
//   c_t = f c_(t-1) + i g,  h_t = o tanh(c_t);
// `hard_sigmoid` gates are Keras' clip(0.2 z + 0.5, 0, 1). bias is 4H x 1 (PyTorch's b_ih +
// b_hh). The output is every h_t, H x B T. One node: its backward pass runs
// back-propagation through time with the gates the forward pass kept.
Var lstm(const Var& x, const Var& w_ih, const Var& w_hh, const Var& bias, Eigen::Index sequences,
         bool hard_sigmoid = false);

// Audio (ops_audio.cpp).
struct ComplexVar {
  Var re, im;
};
// A real or complex mask applied to a fixed complex spectrogram, elementwise.
ComplexVar apply_mask(const Var& mask, const ComplexArray& spectrogram);
ComplexVar apply_mask(const ComplexVar& mask, const ComplexArray& spectrogram);
// The inverse STFT; its backward pass is Stft::inverse_adjoint.
Var istft(const ComplexVar& spectrogram, const Stft& stft, Eigen::Index length);
// SI-SDR in dB of `estimate` (a column) against a fixed reference, zero-meaned as in
// core/metrics.hpp. Maximise it, or minimise its negative.
Var si_sdr(const Signal& reference, const Var& estimate);
// Paper 000, eq. (16).
Var loss_ma(const Signal& reference, const Var& estimate);
Var mse(const Var& a, const Var& b);
// Generalised KL divergence D(a | b) = sum a log(a / b) - a + b, with 0 log 0 = 0.
Var kl_divergence(const Var& a, const Var& b);

}  // namespace nmfbench::ad
