// The network Phi of DeMUA evaluated exactly at its spline's grid nodes, forward and backward
// (what every change of its weights and every training pass cost): the fused Linear/GLU/ELU
// code of methods/demua/phi.cpp against the same network on the autodiff tape (matmul, glu,
// elu), which is what the fused code must beat to be kept. Both give the same values.
#include <benchmark/benchmark.h>

#include "bench/best_of.hpp"
#include "core/autodiff/ops.hpp"
#include "core/indexed_name.hpp"
#include "methods/demua/phi.hpp"

namespace nmfbench::demua {
namespace {

// The nodes of the spline: log r from -40 to 40 in steps of 1/256, and a guard node each end.
Signal grid() {
  return Signal::LinSpaced(80 * 256 + 3, -40 - 1.0 / 256, 40 + 1.0 / 256);
}

// Phi at `x` and d(sum g Phi)/dtheta through the tape's ops.
std::pair<Array, std::vector<Array>> on_tape(const NetworkPhi& phi, const Signal& x,
                                             const Signal& g) {
  ad::Tape tape;
  const auto bound = phi.parameters().bind(tape);
  const int depth = static_cast<int>(phi.parameters().names().size() / 2) - 1;
  ad::Var h = tape.constant(x.transpose());
  auto linear = [&](int l, const ad::Var& in) {
    const std::string name = indexed("l", l) + ".";
    return ad::matmul(bound.at(name + "weight"), in) + bound.at(name + "bias");
  };
  for (int l = 1; l <= depth; ++l) h = ad::glu(linear(l, h), ad::Axis::rows);
  const ad::Var out = linear(depth + 1, ad::elu(h));
  tape.backward(ad::sum(out * tape.constant(g.transpose())));
  std::vector<Array> grads;
  for (const auto& name : phi.parameters().names()) grads.push_back(tape.grad(bound.at(name)));
  return {out.value(), grads};
}

std::pair<Array, std::vector<Array>> fused(const NetworkPhi& phi, const Signal& x,
                                           const Signal& g) {
  PhiGradient gradient = phi.zero_gradient();
  gradient.nodes = g;  // the nodes' seeds: finish_gradient() back-propagates them exactly
  phi.finish_gradient(gradient);
  return {phi.exact_phi(x), gradient.theta};
}

void BM_NetworkPhiAtNodes(benchmark::State& state) {
  const bool tape = state.range(0) == 1;
  NetworkPhi phi(16, 2);
  phi.initialise(RandomStream(0, "demua/phi"));
  const Signal x = grid();
  const Signal g = RandomStream(1, "seeds").normal_array(x.size(), 1).col(0);
  // The two agree before either is timed.
  const auto a = on_tape(phi, x, g), b = fused(phi, x, g);
  Real difference = (a.first.transpose().col(0) - b.first.col(0)).abs().maxCoeff();
  for (std::size_t i = 0; i < a.second.size(); ++i)
    difference = std::max(difference, (a.second[i] - b.second[i]).abs().maxCoeff() /
                                          (1 + b.second[i].abs().maxCoeff()));
  if (difference > 1e-9) state.SkipWithError("the tape and the fused network disagree");
  for (auto _ : state) benchmark::DoNotOptimize(tape ? on_tape(phi, x, g) : fused(phi, x, g));
  state.SetLabel(tape ? "tape ops" : "fused");
  state.counters["nodes"] = static_cast<double>(x.size());
}

BENCHMARK(BM_NetworkPhiAtNodes)
    ->ArgName("tape")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->Apply(report_best_of_repetitions);

}  // namespace
}  // namespace nmfbench::demua
