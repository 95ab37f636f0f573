#include "mapped_pages.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cinttypes>
#include <cstdio>

namespace newsarc {

ResidentBytes ResidentMemory() {
  // Opened once and read with pread: a long ingest checks tens of thousands
  // of times, and this costs a tenth of fopen, read and close (1 against
  // 10 microseconds).
  static const int statm = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
  char text[128];
  const ssize_t n = statm < 0 ? -1 : pread(statm, text, sizeof text - 1, 0);
  if (n <= 0) return {};
  text[n] = '\0';
  unsigned long long size = 0, resident = 0, shared = 0;
  if (std::sscanf(text, "%llu %llu %llu", &size, &resident, &shared) != 3) return {};
  const uint64_t page = static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
  return {resident * page, shared * page};
}

uint64_t UnmapFilePages(int fd) {
  struct stat st;
  if (fstat(fd, &st) != 0) return 0;
  FILE* maps = std::fopen("/proc/self/maps", "r");
  if (maps == nullptr) return 0;
  uint64_t advised = 0;
  char line[4096];
  while (std::fgets(line, sizeof line, maps) != nullptr) {
    uintptr_t begin, end;
    unsigned major_id, minor_id;
    unsigned long long inode;
    char perms[8];
    if (std::sscanf(line, "%" SCNxPTR "-%" SCNxPTR " %7s %*x %x:%x %llu", &begin, &end, perms,
                    &major_id, &minor_id, &inode) != 6) {
      continue;
    }
    // Only shared mappings: in a private one, written pages would be lost.
    if (perms[3] != 's' || inode != st.st_ino || major_id != major(st.st_dev) ||
        minor_id != minor(st.st_dev)) {
      continue;
    }
    if (madvise(reinterpret_cast<void*>(begin), end - begin, MADV_DONTNEED) == 0) {
      advised += end - begin;
    }
  }
  std::fclose(maps);
  return advised;
}

}  // namespace newsarc
