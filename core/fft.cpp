#include "core/fft.hpp"

#include <fftw3.h>

#include <map>
#include <mutex>

namespace nmfbench {
namespace {

static_assert(sizeof(Complex) == sizeof(fftw_complex), "std::complex must match fftw_complex");

// FFTW's planner is not thread-safe; only fftw_execute* is.
std::mutex& planner_mutex() {
  static std::mutex mutex;
  return mutex;
}

fftw_complex* as_fftw(Complex* p) {
  return reinterpret_cast<fftw_complex*>(p);
}

}  // namespace

template <typename T>
FftBuffer<T>::FftBuffer(std::size_t size)
    : data_(static_cast<T*>(fftw_malloc(sizeof(T) * (size == 0 ? 1 : size)))), size_(size) {
  if (!data_) throw std::bad_alloc();
}

template <typename T>
void FftBuffer<T>::Free::operator()(T* p) const {
  fftw_free(p);
}

template class FftBuffer<Real>;
template class FftBuffer<Complex>;

RealFft::RealFft(int size) : size_(size) {
  if (size < 1) throw Error("FFT size must be positive, got " + std::to_string(size));
  FftBuffer<Real> real(static_cast<std::size_t>(size));
  FftBuffer<Complex> spectrum(static_cast<std::size_t>(bins()));
  std::lock_guard lock(planner_mutex());
  forward_plan_ = fftw_plan_dft_r2c_1d(size, real.data(), as_fftw(spectrum.data()), FFTW_ESTIMATE);
  inverse_plan_ = fftw_plan_dft_c2r_1d(size, as_fftw(spectrum.data()), real.data(), FFTW_ESTIMATE);
  if (!forward_plan_ || !inverse_plan_)
    throw Error("FFTW could not plan size " + std::to_string(size));
}

RealFft::~RealFft() {
  std::lock_guard lock(planner_mutex());
  fftw_destroy_plan(static_cast<fftw_plan>(forward_plan_));
  fftw_destroy_plan(static_cast<fftw_plan>(inverse_plan_));
}

void RealFft::forward(const FftBuffer<Real>& in, FftBuffer<Complex>& out) const {
  // r2c plans preserve their input by default, so the const_cast never writes.
  fftw_execute_dft_r2c(static_cast<fftw_plan>(forward_plan_), const_cast<Real*>(in.data()),
                       as_fftw(out.data()));
}

void RealFft::inverse(FftBuffer<Complex>& in, FftBuffer<Real>& out) const {
  fftw_execute_dft_c2r(static_cast<fftw_plan>(inverse_plan_), as_fftw(in.data()), out.data());
}

const RealFft& real_fft(int size) {
  static std::mutex cache_mutex;
  static std::map<int, std::unique_ptr<RealFft>> cache;
  std::lock_guard lock(cache_mutex);
  auto& slot = cache[size];
  if (!slot) slot = std::make_unique<RealFft>(size);
  return *slot;
}

int fast_fft_size(int minimum) {
  for (int n = std::max(minimum, 1);; ++n) {
    int m = n;
    for (int p : {2, 3, 5}) {
      while (m % p == 0) m /= p;
    }
    if (m == 1) return n;
  }
}

}  // namespace nmfbench
