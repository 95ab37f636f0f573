// Shared pieces of the CLI: global options, exit codes, error reporting.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <string>

#include "json_writer.h"
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
Runner SetupLog(CLI::App* sub, const GlobalOptions& global);
Runner SetupShow(CLI::App* sub, const GlobalOptions& global);
Runner SetupDiff(CLI::App* sub, const GlobalOptions& global);
Runner SetupExport(CLI::App* sub, const GlobalOptions& global);
Runner SetupCheck(CLI::App* sub, const GlobalOptions& global);

// Prints "newsarc: <what>: <status>" to stderr; returns the exit code for it.
int Fail(const Status& status, const std::string& what = "");

// Opens the archive named by the global options (or reports why not).
Result<std::unique_ptr<Archive>> OpenArchive(const GlobalOptions& global,
                                             const OpenOptions& options = {});

// "%.2f"
std::string FormatSimilarity(double s);

// "2026-11-21T08:00:00Z" for seconds since the epoch.
std::string FormatTime(uint64_t seconds);

// A point in time given on the command line: YYYY-MM-DD (the end of that
// day, UTC), YYYY-MM-DDTHH:MM[:SS][Z] (UTC) or @SECONDS since the epoch.
Result<uint64_t> ParseTime(const std::string& text);

// STORY or STORY@N as a Status-reporting parse (InvalidInput names `text`).
Result<EntryRef> ParseRef(const std::string& text);

// An entry's metadata as the members of a JSON object (the `log`, `show`
// and `export` schema: story, version, status, of, similarity, key, source,
// title, date, input, ingested, size, words, xxh3).
void AddEntryFields(const EntryInfo& e, JsonObject* json);

// 16 lower-case hex digits.
std::string Hex64(uint64_t v);

// The archive's parameters as JSON members (shingle, perms, bands, rows,
// near_duplicate_threshold, version_threshold): `init` and `stats`.
void AddParamFields(const ArchiveParams& p, JsonObject* json);

// Writes bytes to stdout unchanged.
void WriteBytes(std::string_view bytes);

}  // namespace newsarc::cli
