// `nmfbench slurm`: a sweep as Slurm jobs. A training job fills the trained/ cache once, an
// array of shard runs reads it, and a merge job joins the shards into the results one machine
// gives. The scripts name every file by its absolute path, so they run from any folder of any
// node that sees the same file system.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "experiments/cli/verbs.hpp"
#include "experiments/runner.hpp"

namespace nmfbench::cli {
namespace fs = std::filesystem;
namespace {

// A word as bash reads it back: as it is when it holds nothing special, else in single quotes.
// sbatch reads the quotes of #SBATCH lines the same way.
std::string quoted(const std::string& word) {
  const std::string plain =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-+=.,/:@%";
  if (!word.empty() && word.find_first_not_of(plain) == std::string::npos) return word;
  std::string out = "'";
  for (const char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

struct Script {
  fs::path path;
  std::string text;
};

// What every script is made from, resolved once from the command line.
struct Plan {
  fs::path program, spec, out, slurm_dir, trained;
  std::string name;
  int shards = 1, cpus = 1;
  bool train = false;               // the spec has methods trained on a split
  std::vector<std::string> common;  // #SBATCH options of every job
};

Plan make_plan(const Args& args) {
  Plan plan;
  plan.shards = args.get_int("shards");
  if (plan.shards < 1) throw UsageError{"--shards expects at least 1, got " + args.get("shards")};
  plan.cpus = args.get_int("cpus-per-task");
  if (plan.cpus < 1)
    throw UsageError{"--cpus-per-task expects at least 1, got " + args.get("cpus-per-task")};
  const exp::ExperimentSpec spec = exp::read_spec(args.get("spec"));
  plan.name = spec.name;
  plan.train = std::any_of(
      spec.methods.begin(), spec.methods.end(),
      [](const exp::MethodConfig& m) { return m.capabilities.split != SplitLearning::none; });
  plan.program = fs::read_symlink("/proc/self/exe");
  plan.spec = fs::canonical(args.get("spec"));
  plan.out = fs::weakly_canonical(fs::absolute(args.get("out")));
  plan.slurm_dir = plan.out / plan.name / "slurm";
  plan.trained = plan.out / plan.name / "trained";
  for (const std::string option : {"partition", "time", "mem"})
    if (args.has(option)) plan.common.push_back("--" + option + "=" + quoted(args.get(option)));
  if (args.has("extra")) plan.common.push_back(args.get("extra"));
  return plan;
}

std::string job_header(const Plan& plan, const std::string& job, const std::string& log, int cpus,
                       const std::string& what) {
  std::string text = "#!/bin/bash\n# " + what + "\n";
  text += "#SBATCH --job-name=" + quoted(plan.name + "-" + job) + "\n";
  text += "#SBATCH --output=" + quoted((plan.slurm_dir / log).string()) + "\n";
  text += "#SBATCH --cpus-per-task=" + std::to_string(cpus) + "\n";
  for (const auto& option : plan.common) text += "#SBATCH " + option + "\n";
  return text;
}

// The start of a command line of this very program.
std::string nmfbench(const Plan& plan, const std::string& verb) {
  return quoted(plan.program.string()) + " " + verb;
}

std::vector<Script> make_scripts(const Plan& plan) {
  const std::string n = std::to_string(plan.shards), last = std::to_string(plan.shards - 1);
  const std::string spec = quoted(plan.spec.string()), out = quoted(plan.out.string());
  const std::string trained = quoted(plan.trained.string());
  const std::string threads = " --threads " + std::to_string(plan.cpus);
  std::vector<Script> scripts;
  if (plan.train) {
    scripts.push_back(
        {plan.slurm_dir / "train.sbatch",
         job_header(plan, "train", "train-%j.out", plan.cpus,
                    "Trains the spec's methods trained on a split, once, into the trained/ "
                    "cache the shards read.") +
             "set -euo pipefail\n" + nmfbench(plan, "run") + " " + spec + " --train-only --out " +
             out + threads + "\n"});
  }
  scripts.push_back(
      {plan.slurm_dir / "shards.sbatch",
       job_header(plan, "shards", "shards-%A_%a.out", plan.cpus,
                  "Task i runs the cells with index % " + n +
                      " == i. A task run again skips the cells it finished.") +
           "#SBATCH --array=0-" + last + "\nset -uo pipefail\nstatus=0\n" + nmfbench(plan, "run") +
           " " + spec + " --shard \"${SLURM_ARRAY_TASK_ID}/" + n + "\" --out " + out +
           "/shard-\"${SLURM_ARRAY_TASK_ID}\"" + threads + " --trained " + trained +
           " || status=$?\n" +
           "# Exit 3: the shard finished but some cells failed; each is recorded with its error\n"
           "# and the merged tables count it, so the merge still runs.\n"
           "if [ \"$status\" -eq 3 ]; then status=0; fi\nexit \"$status\"\n"});
  const fs::path results = plan.out / plan.name / "results.json";
  scripts.push_back(
      {plan.slurm_dir / "merge.sbatch",
       job_header(plan, "merge", "merge-%j.out", 1,
                  "Joins the shards into the results one machine gives, and prints the "
                  "tables.") +
           "set -euo pipefail\n" + nmfbench(plan, "merge") + " --spec " + spec + " --shards " +
           out + "/shard-{0.." + last + "} --out " + out + " --trained " + trained + "\n" +
           nmfbench(plan, "table") + " " + quoted(results.string()) + "\n"});
  // Each job starts when the one before has succeeded; submitting again after a failure runs
  // only what is missing (the training cache and every shard's finished cells are kept).
  std::string submit =
      "#!/bin/bash\n# Submits the jobs, each after the one before succeeded. Submitting again\n"
      "# after a failure runs only the cells that are missing.\nset -euo pipefail\n"
      "submit() { local id; id=$(sbatch --parsable \"$@\") || return; echo \"${id%%;*}\"; }\n";
  std::string after;
  for (const auto& script : scripts) {
    const std::string job = script.path.stem().string();
    submit += job + "=$(submit" + after + " " + quoted(script.path.string()) + ")\n";
    submit += "echo \"" + job + " job $" + job +
              (job == "shards" ? " (array 0-" + last + ")" : std::string()) + "\"\n";
    after = " --dependency=afterok:\"$" + job + "\"";
  }
  scripts.push_back({plan.slurm_dir / "submit.sh", submit});
  return scripts;
}

bool on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "";
  for (std::size_t start = 0; start <= dirs.size();) {
    const std::size_t end = std::min(dirs.find(':', start), dirs.size());
    if (access((fs::path(dirs.substr(start, end - start)) / program).c_str(), X_OK) == 0)
      return true;
    start = end + 1;
  }
  return false;
}

int slurm(const Args& args) {
  if (args.has("dry-run") && args.has("submit"))
    throw UsageError{"--dry-run and --submit exclude each other"};
  const Plan plan = make_plan(args);
  const std::vector<Script> scripts = make_scripts(plan);
  if (args.has("dry-run")) {
    for (const auto& s : scripts)
      std::cout << (&s == &scripts.front() ? "" : "\n") << "==> " << s.path.string() << " <==\n"
                << s.text;
    return kExitOk;
  }
  if (args.has("submit") && !on_path("sbatch")) {
    throw Error(
        "--submit: sbatch is not on PATH (Slurm's client tools are needed on this machine)");
  }
  fs::create_directories(plan.slurm_dir);
  for (const auto& s : scripts) {
    std::ofstream out(s.path);
    out << s.text;
    if (!out) throw Error("cannot write '" + s.path.string() + "'");
  }
  const std::string submit = "bash " + quoted(scripts.back().path.string());
  std::cout << "scripts and job logs: " << plan.slurm_dir.string() << std::endl;
  if (!args.has("submit")) {
    std::cout << "submit with: " << submit << "\n";
    return kExitOk;
  }
  const int status = std::system(submit.c_str());
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw Error("submission failed (" + submit + "); what sbatch said is above");
  std::cout << "the merge job writes " << (plan.out / plan.name / "results.json").string() << "\n";
  return kExitOk;
}

}  // namespace

Verb slurm_verb() {
  return {"slurm",
          "SPEC --shards N [--out DIR] [--partition P] [--time T] [--cpus-per-task C] [--mem M] "
          "[--extra \"...\"] [--dry-run | --submit]",
          "Run a spec on a Slurm cluster: a training job, an array of N shard runs and a merge "
          "job, each after the one before. Writes the scripts to DIR/<spec name>/slurm/; "
          "--submit submits them, --dry-run prints them.",
          [](Args& a) {
            a.positional("spec", "the experiment spec (JSON)")
                .option("shards", "N", "array tasks; each runs every N-th cell")
                .option("out", "DIR", "output folder, seen by every node", "out")
                .option("partition", "P", "sbatch --partition")
                .option("time", "T", "sbatch --time, per job")
                .option("cpus-per-task", "C", "sbatch --cpus-per-task, and each run's --threads",
                        "1")
                .option("mem", "M", "sbatch --mem, per job")
                .option("extra", "\"...\"", "more sbatch options, as --name=value words")
                .flag("dry-run", "print the scripts, write nothing")
                .flag("submit", "write the scripts and submit them with sbatch");
          },
          slurm};
}

}  // namespace nmfbench::cli
