#include "core/optim/parameters.hpp"

#include <algorithm>
#include <fstream>

#include "core/json_field.hpp"

namespace nmfbench {

void ParameterSet::add(const std::string& name, Array value) {
  if (entries_.count(name)) throw Error("parameter '" + name + "' is already defined");
  Array grad = Array::Zero(value.rows(), value.cols());
  entries_.emplace(name, Entry{std::move(value), std::move(grad), {}, {}});
  order_.push_back(name);
}

Eigen::Index ParameterSet::value_count() const {
  Eigen::Index count = 0;
  for (const auto& name : order_) count += value(name).size();
  return count;
}

bool ParameterSet::contains(const std::string& name) const {
  return entries_.count(name) > 0;
}

const ParameterSet::Entry& ParameterSet::entry(const std::string& name) const {
  const auto it = entries_.find(name);
  if (it == entries_.end()) {
    std::string known;
    for (const auto& n : order_) known += (known.empty() ? "" : ", ") + n;
    throw Error("unknown parameter '" + name + "'; known: " + (known.empty() ? "(none)" : known));
  }
  return it->second;
}

Array& ParameterSet::value(const std::string& name) {
  return const_cast<Entry&>(entry(name)).value;
}
const Array& ParameterSet::value(const std::string& name) const {
  return entry(name).value;
}
Array& ParameterSet::grad(const std::string& name) {
  return const_cast<Entry&>(entry(name)).grad;
}

const Array& ParameterSet::grad(const std::string& name) const {
  return entry(name).grad;
}

void ParameterSet::set_split_grad(const std::string& name, Array positive, Array negative) {
  Entry& e = const_cast<Entry&>(entry(name));
  for (const Array* part : {&positive, &negative}) {
    if (part->rows() != e.value.rows() || part->cols() != e.value.cols())
      throw Error("parameter '" + name + "': a split gradient part is " +
                  std::to_string(part->rows()) + "x" + std::to_string(part->cols()) +
                  ", the parameter " + std::to_string(e.value.rows()) + "x" +
                  std::to_string(e.value.cols()));
    if (!(*part >= 0).all())
      throw Error("parameter '" + name + "': split gradient parts must be non-negative");
  }
  e.grad = positive - negative;
  e.positive = std::move(positive);
  e.negative = std::move(negative);
}

bool ParameterSet::has_split_grad(const std::string& name) const {
  return entry(name).positive.size() > 0;
}

const Array& ParameterSet::grad_positive(const std::string& name) const {
  if (!has_split_grad(name)) throw Error("parameter '" + name + "' has no split gradient");
  return entry(name).positive;
}

const Array& ParameterSet::grad_negative(const std::string& name) const {
  if (!has_split_grad(name)) throw Error("parameter '" + name + "' has no split gradient");
  return entry(name).negative;
}

std::map<std::string, ad::Var> ParameterSet::bind(ad::Tape& tape) const {
  std::map<std::string, ad::Var> bound;
  for (const auto& name : order_) bound.emplace(name, tape.variable(entries_.at(name).value));
  return bound;
}

void ParameterSet::collect_grads(const ad::Tape& tape,
                                 const std::map<std::string, ad::Var>& bound) {
  for (const auto& [name, var] : bound) {
    Entry& e = const_cast<Entry&>(entry(name));
    e.grad = tape.grad(var);
    e.positive.resize(0, 0);  // a tape's gradient has no split: a step's parts never linger
    e.negative.resize(0, 0);
  }
}

void ParameterSet::zero_grads() {
  for (auto& [name, e] : entries_) {
    e.grad.setZero();
    e.positive.resize(0, 0);
    e.negative.resize(0, 0);
  }
}

Json ParameterSet::to_json() const {
  Json out = Json::object();
  for (const auto& name : order_) {
    const Array& v = entries_.at(name).value;
    out[name] = {{"rows", v.rows()},
                 {"cols", v.cols()},
                 {"data", std::vector<Real>(v.data(), v.data() + v.size())}};
  }
  return out;
}

ParameterSet ParameterSet::from_json(const Json& json) {
  if (!json.is_object()) throw Error("parameters: expected a JSON object of named arrays");
  ParameterSet set;
  for (const auto& [name, p] : json.items()) {
    const std::string where = "parameters." + name;
    if (!p.is_object() || !p.contains("rows") || !p.contains("cols") || !p.contains("data")) {
      throw Error(where + ": expected an object with rows, cols and data");
    }
    if (!p["data"].is_array()) throw Error(where + ".data: expected an array of numbers");
    // Bounded by the data's length before multiplying, so that no product overflows.
    const auto size = static_cast<long>(p["data"].size());
    const long largest = std::max(size, 1L << 20);
    const auto rows = json_integer(p["rows"], where + ".rows", 0, largest);
    const auto cols = json_integer(p["cols"], where + ".cols", 0, largest);
    if (rows * cols != size) {
      throw Error(where + ".data: expected " + std::to_string(rows * cols) +
                  " numbers (rows x cols), got " + std::to_string(size));
    }
    Array v(rows, cols);
    for (Eigen::Index i = 0; i < v.size(); ++i) {
      const Json& x = p["data"][static_cast<std::size_t>(i)];
      if (!x.is_number())
        throw Error(where + ".data[" + std::to_string(i) + "]: expected a number");
      v.data()[i] = x.get<Real>();
    }
    set.add(name, std::move(v));
  }
  return set;
}

void ParameterSet::save(const std::filesystem::path& path) const {
  std::ofstream out(path);
  if (!out) throw Error("parameters: cannot write '" + path.string() + "'");
  out << to_json().dump() << "\n";
  if (!out) throw Error("parameters: writing '" + path.string() + "' failed");
}

ParameterSet ParameterSet::load(const std::filesystem::path& path) {
  return from_json(read_json_file(path, "parameters"));
}

}  // namespace nmfbench
