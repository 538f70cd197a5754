#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "methods/method.hpp"

namespace nmfbench {

class MethodRegistry {
 public:
  // Throws Error on a duplicate name.
  void add(MethodRegistration registration);
  // Throws Error naming the method and listing the registered ones.
  const MethodRegistration& find(const std::string& name) const;
  const std::vector<MethodRegistration>& all() const { return methods_; }

  // Resolves `parameters` against the method's schema (see ParameterValues::resolve) and
  // checks that the method supports `task`.
  std::unique_ptr<Method> make(const std::string& name, Task task, const Json& parameters) const;

 private:
  std::vector<MethodRegistration> methods_;
};

// Every method of nmfbench, registered in methods/registry.cpp, one line each.
const MethodRegistry& method_registry();

}  // namespace nmfbench
