#include "methods/drnmf/sources.hpp"

namespace nmfbench::drnmf {

std::vector<ComplexArray> masked_sources(Task task, const ComplexArray& mixture,
                                         const Array& mask) {
  std::vector<ComplexArray> sources = {mixture * mask.cast<Complex>()};
  if (task == Task::separate) sources.push_back(mixture * (1 - mask).cast<Complex>());
  return sources;
}

}  // namespace nmfbench::drnmf
