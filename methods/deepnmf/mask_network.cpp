#include "methods/deepnmf/mask_network.hpp"

#include <charconv>

#include "core/autodiff/ops.hpp"
#include "core/indexed_name.hpp"
#include "core/random.hpp"

namespace nmfbench::deepnmf {
namespace {

std::string weight(int i) {
  return indexed("W", i);
}
std::string bias(int i) {
  return indexed("b", i);
}

}  // namespace

std::vector<int> parse_topology(const std::string& name, const std::string& owner) {
  const auto x = name.find('x');
  int layers = 0, units = 0;
  const char* end = name.data() + name.size();
  const bool ok = x != std::string::npos &&
                  std::from_chars(name.data(), name.data() + x, layers).ptr == name.data() + x &&
                  std::from_chars(name.data() + x + 1, end, units).ptr == end && layers >= 1 &&
                  units >= 1;
  if (!ok)
    throw Error(owner + ": topology '" + name + "': expected LxN, L hidden layers of N units");
  return std::vector<int>(layers, units);
}

ParameterSet make_mask_network(int inputs, const std::vector<int>& hidden, int outputs,
                               RandomStream& rng) {
  std::vector<int> sizes = {inputs};
  sizes.insert(sizes.end(), hidden.begin(), hidden.end());
  sizes.push_back(outputs);
  ParameterSet network;
  for (std::size_t i = 1; i < sizes.size(); ++i) {
    const Real a = std::sqrt(6.0 / (sizes[i - 1] + sizes[i]));
    network.add(weight(static_cast<int>(i)), rng.uniform_array(sizes[i], sizes[i - 1], -a, a));
    network.add(bias(static_cast<int>(i)), Array::Zero(sizes[i], 1));
  }
  return network;
}

int layer_count(const ParameterSet& network) {
  return static_cast<int>(network.names().size() / 2);
}

ad::Var mask(const std::map<std::string, ad::Var>& network, int layers, const ad::Var& x) {
  ad::Var h = x;
  for (int i = 1; i <= layers; ++i) {
    const ad::Var a = ad::matmul(network.at(weight(i)), h) + network.at(bias(i));
    h = i < layers ? ad::tanh(a) : ad::sigmoid(a);
  }
  return h;
}

ad::Var signal_approximation(const ad::Var& y, const Array& current, const Array& speech) {
  ad::Tape& tape = y.tape();
  return ad::sum(ad::square(y * tape.constant(current) - tape.constant(speech)));
}

}  // namespace nmfbench::deepnmf
