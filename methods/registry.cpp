#include "methods/registry.hpp"

#include "methods/bin_gain/bin_gain.hpp"
#include "methods/deepnmf/deep_nmf.hpp"
#include "methods/deepnmf/dnn_mask.hpp"
#include "methods/deepnmf/snmf.hpp"
#include "methods/demua/registration.hpp"
#include "methods/drnmf/drnmf_method.hpp"
#include "methods/drnmf/ista_method.hpp"
#include "methods/nae/registration.hpp"
#include "methods/nmf/registration.hpp"

namespace nmfbench {
namespace {

MethodRegistry build_registry() {
  MethodRegistry registry;
  // One line per method. To add one: a folder under methods/, a registration function
  // returning MethodRegistration, and its line here.
  registry.add(nmf::complex_nmf_registration());
  registry.add(nmf::beta_nmf_registration());
  registry.add(demua::demua_registration());
  registry.add(bin_gain::registration());
  registry.add(deepnmf::snmf_registration());
  registry.add(deepnmf::deep_nmf_registration());
  registry.add(deepnmf::dnn_mask_registration());
  registry.add(nae::nae_registration());
  registry.add(nae::conv_nae_registration());
  registry.add(nae::conv_nmf_registration());
  registry.add(drnmf::ista_registration());
  registry.add(drnmf::drnmf_registration());
  registry.add(drnmf::lstm_registration());
  return registry;
}

}  // namespace

void MethodRegistry::add(MethodRegistration registration) {
  for (const auto& m : methods_) {
    if (m.info.name == registration.info.name)
      throw Error("method '" + m.info.name + "' is registered twice");
  }
  methods_.push_back(std::move(registration));
}

const MethodRegistration& MethodRegistry::find(const std::string& name) const {
  std::string known;
  for (const auto& m : methods_) {
    if (m.info.name == name) return m;
    known += (known.empty() ? "" : ", ") + m.info.name;
  }
  throw Error("unknown method '" + name + "'; registered methods: " + known);
}

std::unique_ptr<Method> MethodRegistry::make(const std::string& name, Task task,
                                             const Json& parameters) const {
  const MethodRegistration& m = find(name);
  m.info.capabilities(task);  // throws for a task the method does not support
  return m.make(ParameterValues::resolve(m.info.parameters, parameters, name));
}

const MethodRegistry& method_registry() {
  static const MethodRegistry registry = build_registry();
  return registry;
}

}  // namespace nmfbench
