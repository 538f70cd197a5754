// write_atomically: a failed write never leaves a truncated file under the final name.
#include "core/atomic_file.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <iterator>
#include <set>

#include "core/types.hpp"
#include "test_support.hpp"

namespace nmfbench {
namespace {

namespace fs = std::filesystem;

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(AtomicFile, WritesAndReplaces) {
  const fs::path file = testing::scratch_dir() / "cell.json";
  write_atomically(file, "first");
  write_atomically(file, "second");
  EXPECT_EQ(read_text(file), "second");
  EXPECT_EQ(std::distance(fs::directory_iterator(file.parent_path()), fs::directory_iterator()),
            1);  // no temporary left
}

// With a file size limit of 600 bytes (prlimit --fsize=600 with SIGXFSZ ignored) an 850-byte
// record used to be renamed into place cut to 600 bytes, since the stream was checked before
// its buffer was flushed. Now the write fails, names the file and leaves the old one.
TEST(AtomicFile, AFailedWriteKeepsTheOldFileAndSaysWhy) {
  const fs::path file = testing::scratch_dir() / "model.json";
  write_atomically(file, "old");
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    std::signal(SIGXFSZ, SIG_IGN);
    const rlimit limit{600, 600};
    setrlimit(RLIMIT_FSIZE, &limit);
    try {
      write_atomically(file, std::string(850, 'x'));
    } catch (const Error& e) {
      const std::string msg = e.what();
      _exit(msg.find("cannot write '" + file.string() + "'") != std::string::npos ? 0 : 2);
    }
    _exit(1);
  }
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "1: no error was thrown, 2: the message named no file";
  EXPECT_EQ(read_text(file), "old");
  EXPECT_EQ(std::distance(fs::directory_iterator(file.parent_path()), fs::directory_iterator()), 1);
}

// Two runs with identical thread ids (ASLR off) shared one temporary name.
TEST(AtomicFile, TemporaryNamesAreUniquePerProcessThreadAndCall) {
  const fs::path file = "/tmp/x.json";
  std::set<std::string> names;
  for (int i = 0; i < 100; ++i) names.insert(unique_temporary(file).string());
  EXPECT_EQ(names.size(), 100u);
  EXPECT_NE(names.begin()->find(std::to_string(getpid())), std::string::npos);
}

}  // namespace
}  // namespace nmfbench
