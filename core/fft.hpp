#pragma once

#include <cstddef>
#include <memory>

#include "core/types.hpp"

namespace nmfbench {

// Memory aligned the way FFTW's SIMD plans expect. Plans are made on such buffers and
// may only be executed on such buffers.
template <typename T>
class FftBuffer {
 public:
  explicit FftBuffer(std::size_t size);
  T* data() { return data_.get(); }
  const T* data() const { return data_.get(); }
  T& operator[](std::size_t i) { return data_[i]; }
  const T& operator[](std::size_t i) const { return data_[i]; }
  std::size_t size() const { return size_; }

 private:
  struct Free {
    void operator()(T* p) const;
  };
  std::unique_ptr<T[], Free> data_;
  std::size_t size_;
};

// A real-to-complex FFT of one size with its forward and inverse plans. Plans are made once
// with FFTW_ESTIMATE, which picks the same algorithm on every run, so results are
// bit-reproducible (FFTW_MEASURE could pick another plan per run and change the last bits).
// Executing is thread-safe; making and destroying plans is serialised internally.
class RealFft {
 public:
  explicit RealFft(int size);
  ~RealFft();
  RealFft(const RealFft&) = delete;
  RealFft& operator=(const RealFft&) = delete;

  int size() const { return size_; }
  int bins() const { return size_ / 2 + 1; }

  // Unnormalised transforms: inverse(forward(x)) = size * x. `inverse` overwrites its input.
  void forward(const FftBuffer<Real>& in, FftBuffer<Complex>& out) const;
  void inverse(FftBuffer<Complex>& in, FftBuffer<Real>& out) const;

 private:
  int size_;
  void* forward_plan_;
  void* inverse_plan_;
};

// The process-wide plan for one size, made on first use. Plans are immutable once made,
// so sharing them between threads and sweep cells is safe.
const RealFft& real_fft(int size);

// The smallest n >= minimum whose only prime factors are 2, 3 and 5: FFTW is fast there.
int fast_fft_size(int minimum);

}  // namespace nmfbench
