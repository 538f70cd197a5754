#include "datasets/options.hpp"

namespace nmfbench::data {
namespace {

const std::string kPath = "spec.dataset.options";

}  // namespace

LoaderOptions::LoaderOptions(const Json& extra, const std::string& loader,
                             const std::set<std::string>& known)
    : extra_(extra) {
  if (!extra_.is_object())
    throw Error(kPath + ": got " + extra_.dump() + ", expected an object of options");
  for (const auto& [key, value] : extra_.items()) {
    if (known.count(key)) continue;
    std::string list;
    for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
    throw Error(kPath + "." + key + ": unknown option of loader " + loader + "; expected one of " +
                (list.empty() ? "(none)" : list));
  }
}

const Json* LoaderOptions::find(const std::string& key) const {
  const auto it = extra_.find(key);
  return it == extra_.end() ? nullptr : &*it;
}

Real LoaderOptions::number(const std::string& key, Real fallback) const {
  const Json* value = find(key);
  if (!value) return fallback;
  if (!value->is_number()) fail(key, "a number");
  return value->get<Real>();
}

void LoaderOptions::fail(const std::string& key, const std::string& expected) const {
  const Json* value = find(key);
  throw Error(kPath + "." + key + ": got " + (value ? value->dump() : "nothing") + ", expected " +
              expected);
}

}  // namespace nmfbench::data
