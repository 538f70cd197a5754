#pragma once

#include <atomic>
#include <filesystem>

namespace nmfbench::exp {

// An exclusive lock on a run folder (OUT/<name>/), held while the object lives, so that two
// runs sharing one --out never compute the same cells or write the same files. It is an
// advisory flock on OUT/<name>/.lock: the kernel releases it when the process ends, however it
// ends, so a killed run never leaves a stale lock.
class RunLock {
 public:
  enum class Mode { fail, wait };
  // Mode::fail throws Error naming the folder when another process holds the lock; Mode::wait
  // waits until it is released or `cancel` turns true (then held() is false).
  RunLock(const std::filesystem::path& run_dir, Mode mode,
          const std::atomic<bool>* cancel = nullptr);
  ~RunLock();
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;

  bool held() const { return held_; }

 private:
  int fd_ = -1;
  bool held_ = false;
};

}  // namespace nmfbench::exp
