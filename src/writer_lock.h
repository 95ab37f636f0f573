// WriterLock: one writing newsarc process per archive, with a bounded wait.
//
// LMDB already serializes write transactions, but its writer mutex can only
// be waited on forever, and it is taken per transaction, so two ingest runs
// would interleave their batches. An advisory flock(2) on DIR/writer.lock,
// held for a whole run, gives `--wait SECONDS` / `--no-wait` and a message
// that names the process holding the archive. The kernel drops the lock
// when its holder exits, also after kill -9, so a crash never leaves the
// archive locked.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "newsarc/status.h"

namespace newsarc {

class WriterLock {
 public:
  // Takes the lock of archive directory `dir`. `wait_seconds` < 0 waits as
  // long as it takes; 0 does not wait. Busy, naming the holder, when the
  // wait ran out. `on_wait(holder)` is called once if the lock is taken.
  static Result<std::unique_ptr<WriterLock>> Acquire(
      const std::string& dir, double wait_seconds,
      const std::function<void(const std::string&)>& on_wait = nullptr);
  ~WriterLock();
  WriterLock(const WriterLock&) = delete;
  WriterLock& operator=(const WriterLock&) = delete;

 private:
  explicit WriterLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace newsarc
