#include "experiments/run_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "core/types.hpp"

namespace nmfbench::exp {

RunLock::RunLock(const std::filesystem::path& run_dir, Mode mode, const std::atomic<bool>* cancel) {
  const std::filesystem::path path = run_dir / ".lock";
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0)
    throw Error("cannot open the run lock '" + path.string() + "': " + std::strerror(errno));
  // Polled rather than blocking, so that Ctrl-C (which sets `cancel`) ends the wait.
  while (!(cancel && cancel->load())) {
    if (::flock(fd_, LOCK_EX | LOCK_NB) == 0) {
      held_ = true;
      return;
    }
    const int error = errno;
    if (error == EINTR) continue;
    if (error != EWOULDBLOCK) {
      ::close(fd_);
      throw Error("cannot lock '" + path.string() + "': " + std::strerror(error));
    }
    if (mode == Mode::fail) {
      ::close(fd_);
      throw Error("another nmfbench run is using '" + run_dir.string() + "' (it holds " +
                  path.string() + "); wait for it to finish, or pass --wait-lock to wait for it");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

RunLock::~RunLock() {
  ::close(fd_);  // releases the lock
}

}  // namespace nmfbench::exp
