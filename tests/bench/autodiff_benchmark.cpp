// The tape's cost: a recorded multiplicative-update iteration forward-only versus forward and
// backward, and the fixed cost of recording one op on a 1x1 array.
#include <benchmark/benchmark.h>

#include "core/autodiff/ops.hpp"
#include "core/random.hpp"
#include "test_support.hpp"

namespace nmfbench {
namespace {

struct MuProblem {
  Array Y, W, H, weights_w, weights_h;
  MuProblem(Eigen::Index m, Eigen::Index n, Eigen::Index k) {
    RandomStream rng(1, "bench");
    Y = rng.uniform_array(m, n, 0.1, 1);
    W = rng.uniform_array(m, k, 0.1, 1);
    H = rng.uniform_array(k, n, 0.1, 1);
    weights_w = rng.uniform_array(m, k, -1, 1);
    weights_h = rng.uniform_array(k, n, -1, 1);
  }
};

// 6 products of 2MNK flops per iteration: the GEMM work of the forward pass.
void set_counters(benchmark::State& state, Real flops_per_iteration) {
  state.counters["GFLOP/s"] =
      benchmark::Counter(flops_per_iteration * static_cast<Real>(state.iterations()) * 1e-9,
                         benchmark::Counter::kIsRate);
}

void BM_MuIterationForward(benchmark::State& state) {
  const MuProblem p(state.range(0), state.range(1), state.range(2));
  for (auto _ : state) {
    ad::Tape tape;
    ad::NoGradScope no_grad(tape);
    auto [W, H] =
        testing::is_nmf_iteration(tape.constant(p.Y), tape.variable(p.W), tape.variable(p.H));
    benchmark::DoNotOptimize(H.value().data());
  }
  set_counters(state, 6.0 * 2 * state.range(0) * state.range(1) * state.range(2));
}
BENCHMARK(BM_MuIterationForward)->Args({513, 250, 30})->Unit(benchmark::kMillisecond);

void BM_MuIterationForwardBackward(benchmark::State& state) {
  const MuProblem p(state.range(0), state.range(1), state.range(2));
  for (auto _ : state) {
    ad::Tape tape;
    const ad::Var W0 = tape.variable(p.W), H0 = tape.variable(p.H);
    auto [W, H] = testing::is_nmf_iteration(tape.constant(p.Y), W0, H0);
    // A loss without products of its own, so the timing is that of the iteration.
    tape.backward(ad::sum(W * tape.constant(p.weights_w)) +
                  ad::sum(H * tape.constant(p.weights_h)));
    benchmark::DoNotOptimize(tape.grad(W0).data());
  }
  set_counters(state, 6.0 * 2 * state.range(0) * state.range(1) * state.range(2));
}
BENCHMARK(BM_MuIterationForwardBackward)->Args({513, 250, 30})->Unit(benchmark::kMillisecond);

// Recording cost per op: a chain of 1x1 multiplications on a reused tape.
void BM_RecordTinyOp(benchmark::State& state) {
  ad::Tape tape;
  constexpr int kOps = 1000;
  for (auto _ : state) {
    tape.clear();
    ad::Var x = tape.variable(Array::Constant(1, 1, 1.0));
    const ad::Var y = tape.variable(Array::Constant(1, 1, 1.0001));
    for (int i = 0; i < kOps; ++i) x = x * y;
    benchmark::DoNotOptimize(x.scalar());
  }
  // items_per_second is ops per second: 1e9 / it is the recording cost in ns.
  state.SetItemsProcessed(state.iterations() * kOps);
}
BENCHMARK(BM_RecordTinyOp);

}  // namespace
}  // namespace nmfbench
