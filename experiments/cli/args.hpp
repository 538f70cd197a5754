#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace nmfbench::cli {

// Exit codes of every verb, documented in the README.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // bad input or a failed computation; the message says which
inline constexpr int kExitUsage = 2;    // the command line itself is wrong
inline constexpr int kExitCellsFailed = 3;    // a sweep finished, but some cells failed
inline constexpr int kExitInterrupted = 130;  // Ctrl-C: finished cells are kept

// The whole of `text` as a decimal integer ("12"; not "12x", "", or beyond int's range).
std::optional<int> parse_integer(const std::string& text);

// Thrown for a malformed command line; main prints the verb's usage with it.
struct UsageError {
  std::string message;
};

// Options of one verb: each declared once with its help text, then parsed and read typed.
// A value option takes the following words up to the next "--option".
class Args {
 public:
  Args& flag(const std::string& name, const std::string& help);
  Args& option(const std::string& name, const std::string& value_name, const std::string& help,
               std::optional<std::string> default_value = std::nullopt);
  Args& list(const std::string& name, const std::string& value_name, const std::string& help);
  Args& positional(const std::string& name, const std::string& help);

  void parse(const std::vector<std::string>& words);

  bool has(const std::string& name) const;
  std::string get(const std::string& name) const;
  int get_int(const std::string& name) const;
  const std::vector<std::string>& get_list(const std::string& name) const;

  std::string help() const;

 private:
  enum class Kind { flag, option, list, positional };
  struct Spec {
    Kind kind;
    std::string value_name, help;
    std::optional<std::string> default_value;
  };
  const Spec& spec(const std::string& name) const;

  std::vector<std::string> order_;
  std::map<std::string, Spec> specs_;
  std::map<std::string, std::vector<std::string>> values_;
};

}  // namespace nmfbench::cli
