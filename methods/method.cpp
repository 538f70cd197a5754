#include "methods/method.hpp"

#include "core/named_enum.hpp"

namespace nmfbench {
namespace {

constexpr EnumNames<Task, 2> kTaskNames{{{Task::denoise, "denoise"}, {Task::separate, "separate"}}};
constexpr EnumNames<SplitLearning, 3> kSplitLearningNames{
    {{SplitLearning::none, "none"},
     {SplitLearning::end_to_end, "end_to_end"},
     {SplitLearning::from_sources, "from_sources"}}};

}  // namespace

std::string to_string(Task task) {
  return enum_name(task, kTaskNames);
}
Task parse_task(std::string_view name) {
  return parse_enum(name, kTaskNames, "task");
}
std::string to_string(SplitLearning learning) {
  return enum_name(learning, kSplitLearningNames);
}

bool MethodInfo::supports(Task task) const {
  for (const auto& t : tasks) {
    if (t.task == task) return true;
  }
  return false;
}

const Capabilities& MethodInfo::capabilities(Task task) const {
  std::string list;
  for (const auto& t : tasks) {
    if (t.task == task) return t.capabilities;
    list += (list.empty() ? "" : ", ") + to_string(t.task);
  }
  throw Error("method '" + name + "' does not support the task '" + to_string(task) +
              "'; it supports " + list);
}

}  // namespace nmfbench
