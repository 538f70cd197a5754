// `nmfbench slurm`: the scripts it writes, checked as text and, with a stand-in sbatch, as a
// submission. tests/slurm/slurm_cluster_test.sh runs them on a real Slurm.
#include <gtest/gtest.h>

#include <fstream>

#include "test_support.hpp"

namespace nmfbench {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;

const std::string kSpecs = std::string(NMFBENCH_SOURCE_DIR) + "/experiments/specs/";
const std::string kTrainedSpec = kSpecs + "paper000_denoise_demua_embedded.json";

CommandResult slurm(const std::string& arguments) {
  return testing::run_command(std::string(NMFBENCH_BINARY) + " slurm " + arguments);
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The output folder has a space in its name, so every path in the scripts has to be quoted.
fs::path spaced_out() {
  return testing::scratch_dir() / "sweep out";
}

TEST(SlurmVerb, DryRunPrintsTrainArrayAndMergeJobs) {
  const fs::path out = spaced_out();
  const CommandResult r = slurm(kTrainedSpec + " --shards 4 --out '" + out.string() +
                                "' --partition short --time 1:00:00 --cpus-per-task 3 --mem 4G"
                                " --extra '--qos=fast --account=lab' --dry-run");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string& s = r.output;
  const std::string slurm_dir = out.string() + "/paper000_denoise_demua_embedded/slurm/";
  for (const std::string file : {"train.sbatch", "shards.sbatch", "merge.sbatch", "submit.sh"})
    EXPECT_TRUE(contains(s, "==> " + slurm_dir + file + " <==")) << file << "\n" << s;
  // Options pass through to every job; the array covers shards 0 to N-1.
  EXPECT_TRUE(contains(s, "#SBATCH --array=0-3\n")) << s;
  for (const std::string line : {"#SBATCH --partition=short\n", "#SBATCH --time=1:00:00\n",
                                 "#SBATCH --mem=4G\n", "#SBATCH --qos=fast --account=lab\n"}) {
    std::size_t count = 0;
    for (auto at = s.find(line); at != std::string::npos; at = s.find(line, at + 1)) ++count;
    EXPECT_EQ(count, 3u) << line << "\n" << s;
  }
  EXPECT_TRUE(contains(s, "#SBATCH --cpus-per-task=3\n")) << s;
  EXPECT_TRUE(contains(s, "#SBATCH --output='" + slurm_dir + "shards-%A_%a.out'\n")) << s;
  // The training job fills the shared cache; each task runs its shard and reads the cache.
  const std::string dir = out.string();
  const std::string quoted_out = "'" + dir + "'";
  const std::string trained = "'" + dir + "/paper000_denoise_demua_embedded/trained'";
  EXPECT_TRUE(
      contains(s, " run " + kTrainedSpec + " --train-only --out " + quoted_out + " --threads 3\n"))
      << s;
  EXPECT_TRUE(contains(s, " run " + kTrainedSpec + " --shard \"${SLURM_ARRAY_TASK_ID}/4\" --out " +
                              quoted_out + "/shard-\"${SLURM_ARRAY_TASK_ID}\" --threads 3" +
                              " --trained " + trained + " || status=$?\n"))
      << s;
  EXPECT_TRUE(contains(s, " merge --spec " + kTrainedSpec + " --shards " + quoted_out +
                              "/shard-{0..3} --out " + quoted_out + " --trained " + trained + "\n"))
      << s;
  // Training, then the array after it, then the merge after the whole array.
  EXPECT_TRUE(contains(s, "\ntrain=$(submit '" + slurm_dir + "train.sbatch')\n")) << s;
  EXPECT_TRUE(contains(
      s, "\nshards=$(submit --dependency=afterok:\"$train\" '" + slurm_dir + "shards.sbatch')\n"))
      << s;
  EXPECT_TRUE(contains(
      s, "\nmerge=$(submit --dependency=afterok:\"$shards\" '" + slurm_dir + "merge.sbatch')\n"))
      << s;
  EXPECT_FALSE(fs::exists(out)) << "--dry-run wrote files";
}

TEST(SlurmVerb, WithoutSplitTrainingTheArrayComesFirst) {
  const CommandResult r =
      slurm(kSpecs + "paper000_denoise_classic_embedded.json --shards 1 --out /o --dry-run");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_FALSE(contains(r.output, "train.sbatch")) << r.output;
  EXPECT_FALSE(contains(r.output, "--train-only")) << r.output;
  EXPECT_TRUE(contains(r.output, "#SBATCH --array=0-0\n")) << r.output;
  // Paths without a space need no quotes.
  EXPECT_TRUE(contains(r.output,
                       "\nshards=$(submit /o/paper000_denoise_classic_embedded/slurm/"
                       "shards.sbatch)\n"))
      << r.output;
  EXPECT_TRUE(contains(r.output, "--shards /o/shard-{0..0} --out /o ")) << r.output;
}

TEST(SlurmVerb, BadOptionsAreUsageErrors) {
  const std::string spec = kTrainedSpec + " ";
  for (const std::string& bad :
       {spec + "--shards 0", spec + "--shards two", spec, std::string("--shards 4"),
        spec + "--shards 2 --cpus-per-task 0", spec + "--shards 2 --dry-run --submit"}) {
    const CommandResult r = slurm(bad + " --out /o");
    EXPECT_EQ(r.exit_code, 2) << bad << "\n" << r.output;
    EXPECT_TRUE(contains(r.output, "usage: nmfbench slurm SPEC --shards N")) << r.output;
  }
  const CommandResult missing = slurm("/nonexistent/spec.json --shards 2 --dry-run");
  EXPECT_EQ(missing.exit_code, 1) << missing.output;
  EXPECT_TRUE(contains(missing.output, "/nonexistent/spec.json")) << missing.output;
}

TEST(SlurmVerb, SubmitWithoutSbatchSaysSo) {
  const fs::path out = spaced_out();
  const CommandResult r =
      testing::run_command("PATH=/nonexistent " + std::string(NMFBENCH_BINARY) + " slurm " +
                           kTrainedSpec + " --shards 2 --out '" + out.string() + "' --submit");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_TRUE(contains(r.output, "sbatch is not on PATH")) << r.output;
}

// A stand-in sbatch records each submission and answers with the next job id, as
// `sbatch --parsable` does; the scripts it is given must be valid bash.
TEST(SlurmVerb, SubmitChainsTheJobsByTheirIds) {
  const fs::path out = spaced_out(), bin = out.parent_path() / "bin";
  fs::create_directories(bin);
  {
    std::ofstream sbatch(bin / "sbatch");
    sbatch << "#!/bin/bash\nbash -n \"${@: -1}\" || exit 1\n"
              "n=$(( $(wc -l < \"$(dirname \"$0\")/calls\" 2>/dev/null || echo 0) + 101 ))\n"
              "echo \"$*\" >> \"$(dirname \"$0\")/calls\"\necho \"$n;cluster\"\n";
  }
  fs::permissions(bin / "sbatch", fs::perms::owner_all);
  const CommandResult r = testing::run_command(
      "PATH='" + bin.string() + "':$PATH " + std::string(NMFBENCH_BINARY) + " slurm " +
      kTrainedSpec + " --shards 2 --out '" + out.string() + "' --submit");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "train job 101\nshards job 102 (array 0-1)\nmerge job 103\n"))
      << r.output;
  std::ifstream in(bin / "calls");
  const std::string calls((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string dir = out.string() + "/paper000_denoise_demua_embedded/slurm/";
  EXPECT_EQ(calls, "--parsable " + dir + "train.sbatch\n--parsable --dependency=afterok:101 " +
                       dir + "shards.sbatch\n--parsable --dependency=afterok:102 " + dir +
                       "merge.sbatch\n");
  for (const std::string file : {"train.sbatch", "shards.sbatch", "merge.sbatch", "submit.sh"})
    EXPECT_TRUE(fs::exists(dir + file)) << file;
}

TEST(SlurmVerb, SubmissionFailureIsAnError) {
  const fs::path out = spaced_out(), bin = out.parent_path() / "bin";
  fs::create_directories(bin);
  {
    std::ofstream sbatch(bin / "sbatch");
    sbatch << "#!/bin/bash\necho 'sbatch: error: invalid partition specified: nope' >&2\nexit 1\n";
  }
  fs::permissions(bin / "sbatch", fs::perms::owner_all);
  const CommandResult r = testing::run_command(
      "PATH='" + bin.string() + "':$PATH " + std::string(NMFBENCH_BINARY) + " slurm " +
      kTrainedSpec + " --shards 2 --partition nope --out '" + out.string() + "' --submit");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_TRUE(contains(r.output, "invalid partition specified")) << r.output;
  EXPECT_TRUE(contains(r.output, "submission failed")) << r.output;
  EXPECT_FALSE(contains(r.output, "shards job")) << r.output;
}

}  // namespace
}  // namespace nmfbench
