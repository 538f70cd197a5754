#include "core/stoi.hpp"

#include <algorithm>
#include <numeric>
#include <vector>

#include "core/fft.hpp"
#include "core/metrics.hpp"

namespace nmfbench {
namespace {

constexpr int kRate = 10000;
constexpr int kFrame = 256;
constexpr int kHop = 128;
constexpr int kFft = 512;
constexpr int kBands = 15;
constexpr Real kMinFrequency = 150;
constexpr int kSegment = 30;
constexpr Real kClipDb = 15;  // -BETA: the processed envelope's lowest SDR
constexpr Real kDynamicRange = 40;
constexpr Real kEps = 2.220446049250313e-16;  // numpy's float eps, pystoi's EPS
constexpr Real kPi = 3.14159265358979323846;

// numpy.hanning(258)[1:-1], the 256-point window without its zero end points.
const Signal& frame_window() {
  static const Signal w = [] {
    Signal v(kFrame);
    for (int i = 0; i < kFrame; ++i) v[i] = 0.5 - 0.5 * std::cos(2 * kPi * (i + 1) / (kFrame + 1));
    return v;
  }();
  return w;
}

// range(0, len - 256, 128): the frame starts pystoi uses.
std::vector<Eigen::Index> frame_starts(Eigen::Index length) {
  std::vector<Eigen::Index> starts;
  for (Eigen::Index i = 0; i < length - kFrame; i += kHop) starts.push_back(i);
  return starts;
}

// pystoi's _resample_window_oct: the anti-aliasing filter of Octave's resample, normalised
// to unit sum.
Signal octave_filter(Real up, Real down) {
  const Real cutoff = 1 / (2 * std::max(up, down));
  const Real roll_off = cutoff / 10;
  const Real rejection_db = 60;
  const auto half = static_cast<Eigen::Index>(std::ceil((rejection_db - 8) / (28.714 * roll_off)));
  const Real beta = 0.1102 * (rejection_db - 8.7);
  const Real i0_beta = std::cyl_bessel_i(0.0, beta);
  Signal h(2 * half + 1);
  for (Eigen::Index n = 0; n < h.size(); ++n) {
    const Real t = static_cast<Real>(n - half);
    const Real x = 2 * cutoff * t;
    const Real sinc = t == 0 ? 1 : std::sin(kPi * x) / (kPi * x);
    const Real r = (n - static_cast<Real>(half)) / static_cast<Real>(half);
    const Real kaiser =
        std::cyl_bessel_i(0.0, beta * std::sqrt(std::max(0.0, 1 - r * r))) / i0_beta;
    h[n] = kaiser * 2 * up * cutoff * sinc;
  }
  return h / h.sum();
}

// Frames whose clean energy is within 40 dB of the loudest, overlap-added back (pystoi's
// remove_silent_frames).
void remove_silent_frames(Signal& clean, Signal& processed) {
  const Signal& w = frame_window();
  const auto starts = frame_starts(clean.size());
  std::vector<Real> energy;
  for (const auto s : starts)
    energy.push_back(20 * std::log10((w * clean.segment(s, kFrame)).matrix().norm() + kEps));
  const Real loudest = *std::max_element(energy.begin(), energy.end());
  std::vector<Eigen::Index> kept;
  for (std::size_t i = 0; i < starts.size(); ++i)
    if (loudest - kDynamicRange - energy[i] < 0) kept.push_back(starts[i]);
  const auto length = static_cast<Eigen::Index>(kept.size() - 1) * kHop + kFrame;
  Signal c = Signal::Zero(length), p = Signal::Zero(length);
  for (std::size_t i = 0; i < kept.size(); ++i) {
    const auto at = static_cast<Eigen::Index>(i) * kHop;
    c.segment(at, kFrame) += w * clean.segment(kept[i], kFrame);
    p.segment(at, kFrame) += w * processed.segment(kept[i], kFrame);
  }
  clean = std::move(c);
  processed = std::move(p);
}

// The 15 third-octave band envelopes of every frame (bands x frames).
Array band_envelopes(const Signal& x) {
  static const std::vector<std::pair<int, int>> bands = [] {
    std::vector<std::pair<int, int>> b;
    auto nearest_bin = [](Real frequency) {
      int best = 0;
      for (int j = 1; j <= kFft / 2; ++j) {
        const Real d = j * Real(kRate) / kFft - frequency,
                   e = best * Real(kRate) / kFft - frequency;
        if (d * d < e * e) best = j;
      }
      return best;
    };
    for (int k = 0; k < kBands; ++k)
      b.emplace_back(nearest_bin(kMinFrequency * std::pow(2.0, (2 * k - 1) / 6.0)),
                     nearest_bin(kMinFrequency * std::pow(2.0, (2 * k + 1) / 6.0)));
    return b;
  }();
  const RealFft& fft = real_fft(kFft);
  FftBuffer<Real> frame(kFft);
  FftBuffer<Complex> spectrum(fft.bins());
  const auto starts = frame_starts(x.size());
  Array envelopes(kBands, static_cast<Eigen::Index>(starts.size()));
  for (std::size_t t = 0; t < starts.size(); ++t) {
    std::fill(frame.data(), frame.data() + kFft, 0.0);
    Eigen::Map<Signal>(frame.data(), kFrame) = frame_window() * x.segment(starts[t], kFrame);
    fft.forward(frame, spectrum);
    for (int k = 0; k < kBands; ++k) {
      Real power = 0;
      for (int j = bands[k].first; j < bands[k].second; ++j) power += std::norm(spectrum[j]);
      envelopes(k, static_cast<Eigen::Index>(t)) = std::sqrt(power);
    }
  }
  return envelopes;
}

// x - mean(x), divided by its norm (+ eps), along every row (rows = true) or column.
Array normalised(Array x, bool rows) {
  if (rows) {
    x.colwise() -= x.rowwise().mean();
    x.colwise() /= x.matrix().rowwise().norm().array() + kEps;
  } else {
    x.rowwise() -= x.colwise().mean();
    x.rowwise() /= x.matrix().colwise().norm().array() + kEps;
  }
  return x;
}

Real segment_score(const Array& x, const Array& y, bool extended) {
  if (extended)
    return (normalised(normalised(x, true), false) * normalised(normalised(y, true), false)).sum() /
           kSegment;
  const Real clip = 1 + std::pow(10.0, kClipDb / 20);
  Real sum = 0;
  for (int k = 0; k < kBands; ++k) {
    const Signal xr = x.row(k).transpose(), yr = y.row(k).transpose();
    const Real scale = xr.matrix().norm() / (yr.matrix().norm() + kEps);
    const Signal clipped = (yr * scale).min(xr * clip);
    const Signal a = clipped - clipped.mean(), b = xr - xr.mean();
    sum += (a / (a.matrix().norm() + kEps) * b / (b.matrix().norm() + kEps)).sum();
  }
  return sum / kBands;
}

}  // namespace

Signal resample_octave(const Signal& x, int to_rate, int from_rate) {
  const int g = std::gcd(to_rate, from_rate);
  const Eigen::Index up = to_rate / g, down = from_rate / g;
  if (up == 1 && down == 1) return x;
  // SciPy's resample_poly with the filter as its window: zero-stuff by `up`, filter, keep
  // every `down`-th sample, the filter's delay removed.
  const Signal h = octave_filter(static_cast<Real>(up), static_cast<Real>(down)) * up;
  const Eigen::Index half = (h.size() - 1) / 2;
  const Eigen::Index pre_pad = down - half % down;
  const Eigen::Index pre_remove = (half + pre_pad) / down;
  const Eigen::Index n_out = (x.size() * up + down - 1) / down;
  Signal y = Signal::Zero(n_out);
  for (Eigen::Index n = 0; n < n_out; ++n) {
    // y[n] = sum_k h[(n + pre_remove) down - pre_pad - k up] x[k]
    const Eigen::Index centre = (n + pre_remove) * down - pre_pad;
    const Eigen::Index k_first = std::max<Eigen::Index>(0, (centre - h.size() + up) / up);
    const Eigen::Index k_last = std::min<Eigen::Index>(x.size() - 1, centre / up);
    Real sum = 0;
    for (Eigen::Index k = k_first; k <= k_last; ++k) {
      const Eigen::Index j = centre - k * up;
      if (j >= 0 && j < h.size()) sum += h[j] * x[k];
    }
    y[n] = sum;
  }
  return y;
}

Real stoi(const Signal& clean, const Signal& processed, int sample_rate, bool extended) {
  const std::string what = extended ? "ESTOI" : "STOI";
  check_comparable(clean, processed, what);
  if (sample_rate <= 0)
    throw Error(what + ": sample rate " + std::to_string(sample_rate) + " Hz, expected > 0");
  Signal x = resample_octave(clean, kRate, sample_rate);
  Signal y = resample_octave(processed, kRate, sample_rate);
  if (x.size() <= kFrame)
    throw Error(what + ": " + std::to_string(clean.size()) + " samples at " +
                std::to_string(sample_rate) + " Hz; expected more than one 256-sample frame at " +
                "10 kHz");
  remove_silent_frames(x, y);
  const Array ex = band_envelopes(x), ey = band_envelopes(y);
  const Eigen::Index segments = ex.cols() - kSegment + 1;
  if (segments < 1) return 1e-5;  // pystoi's value when too little speech is left
  Real sum = 0;
  for (Eigen::Index m = 0; m < segments; ++m)
    sum += segment_score(ex.middleCols(m, kSegment), ey.middleCols(m, kSegment), extended);
  return sum / static_cast<Real>(segments);
}

}  // namespace nmfbench
