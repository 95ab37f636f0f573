// Shared pieces of the CLI: global options, exit codes, error reporting.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <string>

#include "newsarc/archive.h"
#include "newsarc/status.h"

namespace newsarc::cli {

// Documented in man/newsarc.1 (EXIT STATUS).
enum ExitCode {
  kExitOk = 0,        // everything done
  kExitRejected = 1,  // done, but some inputs were rejected
  kExitUsage = 2,     // bad command line
  kExitBusy = 3,      // another process holds the archive
  kExitArchive = 4,   // the archive is missing, damaged or could not be written
  kExitNotFound = 5,  // a named story, version or file does not exist
};

struct GlobalOptions {
  std::string archive;  // --archive DIR or NEWSARC_ARCHIVE
};

// A subcommand: registers its flags on `sub` and returns what runs it.
using Runner = std::function<int()>;
struct Command {
  const char* name;
  const char* summary;
  Runner (*setup)(CLI::App* sub, const GlobalOptions& global);
};

Runner SetupInit(CLI::App* sub, const GlobalOptions& global);
Runner SetupIngest(CLI::App* sub, const GlobalOptions& global);
Runner SetupDups(CLI::App* sub, const GlobalOptions& global);
Runner SetupStats(CLI::App* sub, const GlobalOptions& global);

// Prints "newsarc: <what>: <status>" to stderr; returns the exit code for it.
int Fail(const Status& status, const std::string& what = "");

// Opens the archive named by the global options (or reports why not).
Result<std::unique_ptr<Archive>> OpenArchive(const GlobalOptions& global);

// "%.2f"
std::string FormatSimilarity(double s);

}  // namespace newsarc::cli
