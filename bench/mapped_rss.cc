// What peak RSS counts for a process that reads a file through a memory
// map, as newsarc reads its LMDB archive. Reading one 4 KiB page of a file
// that is in the page cache maps the cached pages around it as well (the
// kernel's fault-around, and whole large folios where the file system
// caches files in them), and RSS counts every mapped page. So a process
// that reads a few thousand random pages of a cached 1.7 GB archive shows
// an RSS of about the archive's size, although its own memory is small and
// the kernel can drop those pages at any time.
//
// Usage: mapped_rss FILE [READS] [SEED]
// Maps FILE, reads READS (1000) random pages of it in a child process, once
// plainly and once after madvise(MADV_RANDOM), and prints each child's RSS.
// Build: g++ -O2 -std=c++20 bench/mapped_rss.cc -o mapped_rss
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>

namespace {

long RssKiB() {
  std::ifstream status("/proc/self/status");
  std::string key;
  long value = 0;
  while (status >> key) {
    if (key == "VmRSS:") {
      status >> value;
      return value;
    }
    status.ignore(1 << 20, '\n');
  }
  return -1;
}

int ReadPages(const char* path, long reads, unsigned seed, bool random_advice) {
  int fd = open(path, O_RDONLY);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0 || st.st_size < 4096) {
    std::perror(path);
    return 2;
  }
  auto* map = static_cast<const volatile char*>(
      mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_SHARED, fd, 0));
  if (map == MAP_FAILED) {
    std::perror("mmap");
    return 2;
  }
  if (random_advice) {
    madvise(const_cast<char*>(map), static_cast<size_t>(st.st_size), MADV_RANDOM);
  }
  const long pages = st.st_size / 4096;
  const long before = RssKiB();
  std::mt19937_64 rng(seed);
  // `map` is volatile: every read happens.
  for (long i = 0; i < reads; ++i) (void)map[static_cast<long>(rng() % pages) * 4096];
  std::printf("%-12s %ld random 4 KiB reads (%ld KiB) of a %ld MiB file: RSS +%ld KiB\n",
              random_advice ? "MADV_RANDOM" : "plain", reads, reads * 4,
              static_cast<long>(st.st_size >> 20), RssKiB() - before);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE [READS] [SEED]\n", argv[0]);
    return 2;
  }
  long reads = argc > 2 ? std::atol(argv[2]) : 1000;
  unsigned seed = argc > 3 ? static_cast<unsigned>(std::atol(argv[3])) : 1;
  for (bool random_advice : {false, true}) {
    pid_t child = fork();
    if (child == 0) {
      int rc = ReadPages(argv[1], reads, seed, random_advice);
      std::fflush(stdout);  // _exit does not
      _exit(rc);
    }
    int status = 0;
    waitpid(child, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return 1;
  }
  return 0;
}
