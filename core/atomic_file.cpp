#include "core/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <functional>
#include <thread>

#include "core/types.hpp"

namespace nmfbench {
namespace {

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& step, int error) {
  throw Error("cannot write '" + path.string() + "': " + step + " failed (" + std::strerror(error) +
              ")");
}

}  // namespace

std::filesystem::path unique_temporary(const std::filesystem::path& path) {
  static std::atomic<unsigned long> counter{0};
  return path.string() + ".tmp" + std::to_string(getpid()) + "-" +
         std::to_string(std::hash<std::thread::id>{}(std::this_thread::get_id()) % 1000000007) +
         "-" + std::to_string(counter++);
}

void write_atomically(const std::filesystem::path& path, std::string_view text) {
  const std::filesystem::path temporary = unique_temporary(path);
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) fail(path, "creating '" + temporary.string() + "'", errno);
  auto abandon = [&](const std::string& step, int error) {
    ::close(fd);
    ::unlink(temporary.c_str());
    fail(path, step, error);
  };
  for (std::size_t done = 0; done < text.size();) {
    const ssize_t wrote = ::write(fd, text.data() + done, text.size() - done);
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote <= 0) abandon("write", wrote < 0 ? errno : ENOSPC);
    done += static_cast<std::size_t>(wrote);
  }
  // Without fsync a crash soon after the rename can leave an empty file under the final name.
  if (::fsync(fd) != 0) abandon("fsync", errno);
  if (::close(fd) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    fail(path, "close", error);
  }
  // Atomic on POSIX: readers see the old file or the new one.
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    fail(path, "rename", error);
  }
}

}  // namespace nmfbench
