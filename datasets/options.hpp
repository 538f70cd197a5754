#pragma once

#include <set>
#include <string>

#include "core/json.hpp"

namespace nmfbench::data {

// A loader's options (DatasetOptions::extra) as the spec gives them under dataset.options.
// Every error names the spec path, the value and what was expected, e.g.
// "spec.dataset.options.train_fraction: got 2, expected a number in (0, 1]"; a key the
// loader does not know is an error rather than silently ignored.
class LoaderOptions {
 public:
  LoaderOptions(const Json& extra, const std::string& loader, const std::set<std::string>& known);

  // The value of `key`, or nullptr when the spec leaves it out.
  const Json* find(const std::string& key) const;
  Real number(const std::string& key, Real fallback) const;
  [[noreturn]] void fail(const std::string& key, const std::string& expected) const;

 private:
  const Json& extra_;
};

}  // namespace nmfbench::data
