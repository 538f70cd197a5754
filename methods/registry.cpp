#include "methods/registry.hpp"

#include "core/named_enum.hpp"
#include "methods/demua/registration.hpp"
#include "methods/nmf/registration.hpp"

namespace nmfbench {
namespace {

constexpr EnumNames<Task, 2> kTaskNames{{{Task::denoise, "denoise"}, {Task::separate, "separate"}}};

MethodRegistry build_registry() {
  MethodRegistry registry;
  // One line per method. To add one: a folder under methods/, a registration function
  // returning MethodRegistration, and its line here.
  registry.add(nmf::complex_nmf_registration());
  registry.add(nmf::beta_nmf_registration());
  registry.add(demua::demua_registration());
  return registry;
}

}  // namespace

std::string to_string(Task task) {
  return enum_name(task, kTaskNames);
}
Task parse_task(std::string_view name) {
  return parse_enum(name, kTaskNames, "task");
}

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
  bool supported = false;
  std::string tasks;
  for (Task t : m.info.tasks) {
    supported = supported || t == task;
    tasks += (tasks.empty() ? "" : ", ") + to_string(t);
  }
  if (!supported) {
    throw Error("method '" + name + "' does not support the task '" + to_string(task) +
                "'; it supports " + tasks);
  }
  return m.make(ParameterValues::resolve(m.info.parameters, parameters, name));
}

const MethodRegistry& method_registry() {
  static const MethodRegistry registry = build_registry();
  return registry;
}

}  // namespace nmfbench
