#include "writer_lock.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>

namespace newsarc {
namespace {

// What the holder wrote into the lock file: "pid 1234 since 2026-...".
std::string Holder(int fd) {
  char buf[128];
  ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
  std::string s(buf, n > 0 ? static_cast<size_t>(n) : 0);
  while (!s.empty() && (s.back() == '\n' || s.back() == '\0')) s.pop_back();
  long pid = 0;
  // The file names the last newsarc writer; if that one is gone, the lock is
  // held by some other program (a backup script's flock, say).
  if (std::sscanf(s.c_str(), "pid %ld", &pid) != 1 || (kill(pid, 0) != 0 && errno == ESRCH)) {
    return "another process (not a running newsarc writer)";
  }
  return s;
}

void RecordHolder(int fd) {
  char buf[96];
  time_t now = time(nullptr);
  struct tm tm;
  gmtime_r(&now, &tm);
  int n = std::snprintf(buf, sizeof buf, "pid %ld since ", static_cast<long>(getpid()));
  n += static_cast<int>(strftime(buf + n, sizeof buf - n, "%Y-%m-%dT%H:%M:%SZ\n", &tm));
  if (ftruncate(fd, 0) == 0 && pwrite(fd, buf, static_cast<size_t>(n), 0) == n) return;
  // The holder's name is only for messages; the lock itself is what counts.
}

}  // namespace

Result<std::unique_ptr<WriterLock>> WriterLock::Acquire(
    const std::string& dir, double wait_seconds,
    const std::function<void(const std::string&)>& on_wait) {
  std::string path = dir + "/writer.lock";
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IOError("cannot open " + path + ": " + std::strerror(errno));
  std::unique_ptr<WriterLock> lock(new WriterLock(fd));
  auto start = std::chrono::steady_clock::now();
  bool told = false;
  for (;;) {
    if (flock(fd, LOCK_EX | LOCK_NB) == 0) break;
    if (errno != EWOULDBLOCK && errno != EINTR) {
      return Status::IOError("cannot lock " + path + ": " + std::strerror(errno));
    }
    double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (wait_seconds >= 0 && waited >= wait_seconds) {
      char secs[32];
      std::snprintf(secs, sizeof secs, "%.0f", waited);
      return Status::Busy("archive " + dir + " is busy: " + Holder(fd) + " is writing to it" +
                          (wait_seconds > 0 ? std::string(" (waited ") + secs + " s)" : "") +
                          "; try again later, or use --wait SECONDS");
    }
    if (!told && on_wait) on_wait(Holder(fd));
    told = true;
    // Polling keeps the wait bounded without signals; 50 ms is invisible
    // next to an ingest run and costs nothing.
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  RecordHolder(fd);
  return lock;
}

WriterLock::~WriterLock() { close(fd_); }  // closing releases the flock

}  // namespace newsarc
