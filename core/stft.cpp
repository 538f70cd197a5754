#include "core/stft.hpp"

#include <algorithm>

#include "core/named_enum.hpp"

namespace nmfbench {

namespace {
constexpr EnumNames<Framing, 3> kFramingNames{{{Framing::centered_reflect, "centered_reflect"},
                                               {Framing::centered_zero, "centered_zero"},
                                               {Framing::uncentered, "uncentered"}}};
}  // namespace

std::string to_string(Framing framing) {
  return enum_name(framing, kFramingNames);
}

Framing parse_framing(std::string_view name) {
  return parse_enum(name, kFramingNames, "framing");
}

Stft::Stft(const StftConfig& config) : config_(config) {
  const auto& c = config_;
  if (c.window_length < 1)
    throw Error("stft.window_length must be >= 1, got " + std::to_string(c.window_length));
  if (c.fft_size < c.window_length) {
    throw Error("stft.fft_size must be >= window_length (" + std::to_string(c.window_length) +
                "), got " + std::to_string(c.fft_size));
  }
  if (c.hop < 1 || c.hop > c.window_length) {
    throw Error("stft.hop must be in [1, window_length = " + std::to_string(c.window_length) +
                "], got " + std::to_string(c.hop));
  }
  window_ = Signal::Zero(c.fft_size);
  window_.segment((c.fft_size - c.window_length) / 2, c.window_length) =
      make_window(c.window, c.window_length);
  fft_ = &real_fft(c.fft_size);
}

Eigen::Index Stft::left_padding() const {
  return config_.framing == Framing::uncentered ? 0 : config_.fft_size / 2;
}

Eigen::Index Stft::padded_length(Eigen::Index signal_length) const {
  const Eigen::Index n = config_.fft_size;
  if (config_.framing != Framing::uncentered) return signal_length + 2 * left_padding();
  const Eigen::Index extra = std::max<Eigen::Index>(signal_length - n, 0);
  return n + (extra + config_.hop - 1) / config_.hop * config_.hop;
}

Eigen::Index Stft::frames(Eigen::Index signal_length) const {
  const Eigen::Index count = 1 + (padded_length(signal_length) - config_.fft_size) / config_.hop;
  // Every spectrogram of the signal is sized here first; a clear error beats std::bad_alloc
  // from a hop of 1 sample with an FFT of 2^17.
  constexpr Eigen::Index kMaxEntries = Eigen::Index{1} << 28;  // 4 GiB of complex doubles
  if (count > kMaxEntries / bins()) {
    throw Error("stft: " + std::to_string(signal_length) + " samples at fft_size " +
                std::to_string(config_.fft_size) + " and hop " + std::to_string(config_.hop) +
                " give " + std::to_string(count) + " frames of " + std::to_string(bins()) +
                " bins, more than 2^28 values; expected a larger hop or a smaller fft_size");
  }
  return count;
}

ComplexArray Stft::forward(const Signal& signal) const {
  const Eigen::Index length = signal.size();
  const Eigen::Index pad = left_padding();
  if (length == 0) throw Error("stft: the signal is empty");
  if (config_.framing == Framing::centered_reflect && length <= pad) {
    throw Error("stft: reflect padding needs more than fft_size/2 = " + std::to_string(pad) +
                " samples, the signal has " + std::to_string(length));
  }
  Signal padded = Signal::Zero(padded_length(length));
  padded.segment(pad, length) = signal;
  if (config_.framing == Framing::centered_reflect) {
    for (Eigen::Index i = 1; i <= pad; ++i) {
      padded[pad - i] = signal[i];
      padded[pad + length - 1 + i] = signal[length - 1 - i];
    }
  }

  const Eigen::Index n_frames = frames(length);
  const int n = config_.fft_size;
  ComplexArray spectrogram(bins(), n_frames);
  FftBuffer<Real> frame(n);
  FftBuffer<Complex> spectrum(bins());
  Eigen::Map<Signal> frame_map(frame.data(), n);
  for (Eigen::Index t = 0; t < n_frames; ++t) {
    frame_map = padded.segment(t * config_.hop, n) * window_;
    fft_->forward(frame, spectrum);
    std::copy_n(spectrum.data(), bins(), spectrogram.col(t).data());
  }
  return spectrogram;
}

Signal Stft::inverse(const ComplexArray& spectrogram, Eigen::Index length) const {
  if (spectrogram.rows() != bins()) {
    throw Error("istft: spectrogram has " + std::to_string(spectrogram.rows()) +
                " rows, expected fft_size/2+1 = " + std::to_string(bins()));
  }
  const Eigen::Index n_frames = spectrogram.cols();
  const int n = config_.fft_size;
  const Eigen::Index hop = config_.hop;
  const Eigen::Index span = (n_frames - 1) * hop + n;
  Signal sum = Signal::Zero(span);
  const Real scale = Real(1) / n;  // FFTW's inverse is unnormalised

  FftBuffer<Complex> spectrum(bins());
  FftBuffer<Real> frame(n);
  Eigen::Map<const Signal> frame_map(frame.data(), n);
  for (Eigen::Index t = 0; t < n_frames; ++t) {
    std::copy_n(spectrogram.col(t).data(), bins(), spectrum.data());
    fft_->inverse(spectrum, frame);
    sum.segment(t * hop, n) += frame_map * window_ * scale;
  }
  const Signal gain = output_gain(n_frames, length);
  const Eigen::Index available = std::min(span - left_padding(), length);
  Signal out = Signal::Zero(length);
  out.head(available) = sum.segment(left_padding(), available) * gain.head(available);
  return out;
}

Signal Stft::output_gain(Eigen::Index n_frames, Eigen::Index length) const {
  const Eigen::Index span = (n_frames - 1) * config_.hop + config_.fft_size;
  Signal envelope = Signal::Zero(span);
  const Signal window_squared = window_.square();
  for (Eigen::Index t = 0; t < n_frames; ++t) {
    envelope.segment(t * config_.hop, config_.fft_size) += window_squared;
  }
  // Below this the overlapped window carries no information about the sample.
  constexpr Real kSilentEnvelope = 1e-11;
  Signal gain = Signal::Zero(length);
  const Eigen::Index available = std::clamp<Eigen::Index>(span - left_padding(), 0, length);
  const auto e = envelope.segment(left_padding(), available);
  gain.head(available) = (e > kSilentEnvelope).select(e.inverse(), Real(0));
  return gain;
}

ComplexArray Stft::inverse_adjoint(const Signal& signal_grad, Eigen::Index n_frames) const {
  const int n = config_.fft_size;
  const Eigen::Index hop = config_.hop;
  const Eigen::Index span = (n_frames - 1) * hop + n;
  // Undo the output crop and the envelope division: zero where inverse() wrote zero.
  const Signal gain = output_gain(n_frames, signal_grad.size());
  const Eigen::Index available = std::min(span - left_padding(), signal_grad.size());
  Signal scaled = Signal::Zero(span);
  scaled.segment(left_padding(), available) = signal_grad.head(available) * gain.head(available);

  // irfft(X)[k] = (1/n) sum_m c_m (Re X_m cos - Im X_m sin)(2 pi m k / n), c_m = 1 at DC and
  // Nyquist, 2 elsewhere; its adjoint of a frame s is (c_m / n) rfft(s)_m, imaginary parts
  // included (they vanish at DC and Nyquist, which irfft ignores).
  Signal weight = Signal::Constant(bins(), Real(2) / n);
  weight[0] = Real(1) / n;
  if (n % 2 == 0) weight[bins() - 1] = Real(1) / n;
  ComplexArray out(bins(), n_frames);
  FftBuffer<Real> frame(n);
  FftBuffer<Complex> spectrum(bins());
  Eigen::Map<Signal> frame_map(frame.data(), n);
  Eigen::Map<const Eigen::Array<Complex, Eigen::Dynamic, 1>> spectrum_map(spectrum.data(), bins());
  for (Eigen::Index t = 0; t < n_frames; ++t) {
    frame_map = scaled.segment(t * hop, n) * window_;
    fft_->forward(frame, spectrum);
    out.col(t) = spectrum_map * weight.cast<Complex>();
  }
  return out;
}

}  // namespace nmfbench
