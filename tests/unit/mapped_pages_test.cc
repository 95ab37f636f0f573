// Tests of mapped_pages: unmapping a file's pages gives back resident
// memory, keeps the contents, and leaves private mappings alone.
#include "mapped_pages.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <string>

#include "test_dir.h"

using namespace newsarc;

namespace {

constexpr size_t kFileBytes = size_t{16} << 20;
constexpr uint64_t kSlack = uint64_t{4} << 20;  // other mappings may change a little meanwhile

// A file of kFileBytes whose byte i is i * 7 mod 251, open for reading.
int PatternFile(const std::string& name) {
  auto dir = testing::FreshDir("mapped_pages_test", name);
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "data").string();
  std::string bytes(kFileBytes, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>(i * 7 % 251);
  FILE* f = std::fopen(path.c_str(), "wb");
  REQUIRE(f != nullptr);
  REQUIRE(std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size());
  std::fclose(f);
  return open(path.c_str(), O_RDWR);
}

// Reads every page; true when each holds the pattern.
bool ReadsPattern(const char* map) {
  for (size_t i = 0; i < kFileBytes; i += 4096) {
    if (map[i] != static_cast<char>(i * 7 % 251)) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("UnmapFilePages: a read shared mapping's pages leave the resident set, contents stay",
          "[mapped_pages]") {
  const int fd = PatternFile("shared");
  REQUIRE(fd >= 0);
  void* p = mmap(nullptr, kFileBytes, PROT_READ, MAP_SHARED, fd, 0);
  REQUIRE(p != MAP_FAILED);
  const char* map = static_cast<const char*>(p);
  const uint64_t before = ResidentMemory().file;
  REQUIRE(ReadsPattern(map));
  const uint64_t mapped = ResidentMemory().file;
  CHECK(mapped >= before + kFileBytes - kSlack);

  CHECK(UnmapFilePages(fd) == kFileBytes);
  CHECK(ResidentMemory().file + kFileBytes - kSlack <= mapped);
  CHECK(ReadsPattern(map));  // mapped again on reading, unchanged
  munmap(p, kFileBytes);
  close(fd);
}

TEST_CASE("UnmapFilePages: a private mapping keeps what was written to it", "[mapped_pages]") {
  const int fd = PatternFile("private");
  REQUIRE(fd >= 0);
  void* p = mmap(nullptr, kFileBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  REQUIRE(p != MAP_FAILED);
  char* map = static_cast<char*>(p);
  map[4096] = 'x';
  CHECK(UnmapFilePages(fd) == 0);
  CHECK(map[4096] == 'x');
  munmap(p, kFileBytes);
  close(fd);
}

TEST_CASE("ResidentMemory: the total includes the file pages", "[mapped_pages]") {
  const ResidentBytes r = ResidentMemory();
  CHECK(r.total > 0);
  CHECK(r.file <= r.total);
}
