// An exclusive lock on a data directory, so that two processes never run an engine on the same
// journal (their hash chains would fork). qianbaod holds it while it runs; admin commands that
// write through an engine take it too and refuse to run beside a server. Header-only so that
// the CLI can use it without linking the HTTP server.
#pragma once

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace qb {

class DataDirLock {
 public:
  static constexpr char kFileName[] = "qianbaod.lock";

  DataDirLock() = default;
  ~DataDirLock() {
    if (fd_ >= 0) ::close(fd_);  // Closing releases the lock.
  }
  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;

  // Takes the lock on `data_dir` (which must exist) without waiting. Returns "" on success, or
  // why not: another process holds it, or the lock file cannot be opened.
  std::string Acquire(const std::string& data_dir) {
    const std::string path = data_dir + "/" + kFileName;
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ < 0) return "cannot open " + path + ": " + std::strerror(errno);
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      const int error = errno;
      ::close(fd_);
      fd_ = -1;
      if (error == EWOULDBLOCK) {
        return "the data directory " + data_dir +
               " is in use by another process (a running "
               "qianbaod?)";
      }
      return "cannot lock " + path + ": " + std::strerror(error);
    }
    return "";
  }

 private:
  int fd_ = -1;
};

}  // namespace qb
