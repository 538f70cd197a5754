#pragma once

#include "core/fft.hpp"
#include "core/window.hpp"

namespace nmfbench {

// How frames are laid over the signal.
//  centered_reflect: reflect-pad fft_size/2 samples on both sides, frame t centred on
//                    sample t*hop (librosa's and torch.stft's default);
//  centered_zero:    the same with zero padding (torch.stft pad_mode="constant");
//  uncentered:       frame t starts at sample t*hop; the end is zero-padded to a whole frame.
enum class Framing { centered_reflect, centered_zero, uncentered };

std::string to_string(Framing framing);
Framing parse_framing(std::string_view name);

struct StftConfig {
  int window_length = 1024;
  int fft_size = 1024;  // >= window_length; a shorter window is centred in the frame
  int hop = 256;
  WindowType window = WindowType::hamming;
  Framing framing = Framing::centered_reflect;
};

// Short-time Fourier transform on FFTW3. The object holds its window and a shared plan and
// never changes after construction, so one Stft serves any number of threads.
class Stft {
 public:
  explicit Stft(const StftConfig& config);

  const StftConfig& config() const { return config_; }
  int bins() const { return config_.fft_size / 2 + 1; }
  Eigen::Index frames(Eigen::Index signal_length) const;
  // The sample (of the unpadded signal) at the centre of frame `frame`: a spectrogram's time
  // axis.
  Real frame_centre(Eigen::Index frame) const {
    return static_cast<Real>(frame * config_.hop - left_padding()) + config_.fft_size / 2.0;
  }
  // The analysis window zero-padded to fft_size.
  const Signal& frame_window() const { return window_; }

  // Rows = fft_size/2+1 bins, columns = frames.
  ComplexArray forward(const Signal& signal) const;

  // Weighted overlap-add: each frame is windowed again and the sum divided by the overlapped
  // squared window (the least-squares inverse of Griffin & Lim, as torch.istft). Exact for any
  // hop at which the squared windows overlap. Returns `length` samples; samples no window
  // reaches (the first one of an uncentered Hann frame, say) come back as zero.
  Signal inverse(const ComplexArray& spectrogram, Eigen::Index length) const;

  // The adjoint of inverse() as a real-linear map of (Re X, Im X): for every X and g,
  //   <inverse(X, g.size()), g> = sum Re(X) Re(A) + Im(X) Im(A),  A = inverse_adjoint(g, frames).
  // Back-propagation through the iSTFT uses it.
  ComplexArray inverse_adjoint(const Signal& signal_grad, Eigen::Index frames) const;

 private:
  Eigen::Index left_padding() const;
  Eigen::Index padded_length(Eigen::Index signal_length) const;
  // Per output sample, 1 / the overlapped squared window, or 0 where no window reaches.
  Signal output_gain(Eigen::Index frames, Eigen::Index length) const;

  StftConfig config_;
  Signal window_;
  const RealFft* fft_;
};

}  // namespace nmfbench
