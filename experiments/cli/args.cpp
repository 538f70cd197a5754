#include "experiments/cli/args.hpp"

#include <algorithm>
#include <charconv>
#include <sstream>

namespace nmfbench::cli {
namespace {

// A word with '=' or a space is a value even when it starts with "--": the sbatch options that
// `nmfbench slurm --extra` passes on, say.
bool is_option(const std::string& word) {
  return word.size() > 2 && word.rfind("--", 0) == 0 &&
         word.find_first_of("= \t") == std::string::npos;
}

}  // namespace

// from_chars, unlike stoi, takes no leading space or '+': the whole text must be the number.
std::optional<int> parse_integer(const std::string& text) {
  int value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (error == std::errc() && stop == end) return value;
  return std::nullopt;
}

Args& Args::flag(const std::string& name, const std::string& help) {
  order_.push_back(name);
  specs_[name] = {Kind::flag, "", help, std::nullopt};
  return *this;
}

Args& Args::option(const std::string& name, const std::string& value_name, const std::string& help,
                   std::optional<std::string> default_value) {
  order_.push_back(name);
  specs_[name] = {Kind::option, value_name, help, std::move(default_value)};
  return *this;
}

Args& Args::list(const std::string& name, const std::string& value_name, const std::string& help) {
  order_.push_back(name);
  specs_[name] = {Kind::list, value_name, help, std::nullopt};
  return *this;
}

Args& Args::positional(const std::string& name, const std::string& help) {
  order_.push_back(name);
  specs_[name] = {Kind::positional, "", help, std::nullopt};
  return *this;
}

const Args::Spec& Args::spec(const std::string& name) const {
  const auto it = specs_.find(name);
  if (it == specs_.end()) throw UsageError{"internal: undeclared option --" + name};
  return it->second;
}

void Args::parse(const std::vector<std::string>& words) {
  std::vector<std::string> positionals;
  for (const auto& name : order_) {
    if (specs_[name].kind == Kind::positional) positionals.push_back(name);
  }
  std::size_t next_positional = 0;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    if (!is_option(word)) {
      if (next_positional >= positionals.size())
        throw UsageError{"unexpected argument '" + word + "'"};
      values_[positionals[next_positional++]] = {word};
      continue;
    }
    const std::string name = word.substr(2);
    const auto it = specs_.find(name);
    if (it == specs_.end() || it->second.kind == Kind::positional) {
      throw UsageError{"unknown option '" + word + "'"};
    }
    auto& values = values_[name];
    values.clear();
    switch (it->second.kind) {
      case Kind::flag:
        values.push_back("true");
        break;
      case Kind::option:
        if (i + 1 >= words.size() || is_option(words[i + 1])) {
          throw UsageError{"option '" + word + "' needs a value (" + it->second.value_name + ")"};
        }
        values.push_back(words[++i]);
        break;
      case Kind::list:
        while (i + 1 < words.size() && !is_option(words[i + 1])) values.push_back(words[++i]);
        if (values.empty()) {
          throw UsageError{"option '" + word + "' needs at least one " + it->second.value_name};
        }
        break;
      case Kind::positional:
        break;
    }
  }
  if (next_positional < positionals.size()) {
    throw UsageError{"missing argument " + positionals[next_positional]};
  }
}

bool Args::has(const std::string& name) const {
  return values_.count(name) > 0 || spec(name).default_value.has_value();
}

std::string Args::get(const std::string& name) const {
  const auto it = values_.find(name);
  if (it != values_.end()) return it->second.front();
  const auto& s = spec(name);
  if (!s.default_value) throw UsageError{"option --" + name + " is required"};
  return *s.default_value;
}

int Args::get_int(const std::string& name) const {
  const std::string text = get(name);
  if (const auto value = parse_integer(text)) return *value;
  throw UsageError{"option --" + name + " expects an integer, got '" + text + "'"};
}

const std::vector<std::string>& Args::get_list(const std::string& name) const {
  const auto it = values_.find(name);
  if (it == values_.end()) throw UsageError{"option --" + name + " is required"};
  return it->second;
}

std::string Args::help() const {
  std::ostringstream out;
  for (const auto& name : order_) {
    const auto& s = specs_.at(name);
    std::string left = s.kind == Kind::positional ? name : "--" + name;
    if (s.kind == Kind::option) left += " " + s.value_name;
    if (s.kind == Kind::list) left += " " + s.value_name + " [...]";
    out << "  " << left << std::string(std::max<int>(2, 28 - static_cast<int>(left.size())), ' ')
        << s.help;
    if (s.default_value) out << " (default: " << *s.default_value << ")";
    out << "\n";
  }
  return out.str();
}

}  // namespace nmfbench::cli
