// Test helper shared by the unit tests: a scratch directory per test.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>

namespace newsarc::testing {

// TMPDIR/newsarc_<suite>_<pid>_<name>, emptied (removed, not created): the
// process id keeps test processes that run in parallel apart.
inline std::filesystem::path FreshDir(const std::string& suite, const std::string& name) {
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("newsarc_" + suite + "_" + std::to_string(getpid()) + "_" + name);
  std::filesystem::remove_all(dir);
  return dir;
}

}  // namespace newsarc::testing
