// newsarc: archive news articles, find duplicates, track versions.
#include <CLI/CLI.hpp>
#include <map>

#include "cli/common.h"
#include "cli/fault.h"

namespace newsarc::cli {
namespace {

// The table of subcommands keeps --help and the man page in step.
constexpr Command kCommands[] = {
    {"init", "Create a new archive with its fixed parameters", SetupInit},
    {"ingest", "Ingest articles: classify each as new, duplicate, near-duplicate or version",
     SetupIngest},
    {"dups", "List the near-duplicates of a stored story or of a file", SetupDups},
    {"log", "Show the history of a story: its versions and copies", SetupLog},
    {"show", "Print a stored version exactly as it was ingested", SetupShow},
    {"diff", "Show what changed between two versions, stories or files", SetupDiff},
    {"export", "Print every stored version as JSON Lines, in ingest order", SetupExport},
    {"check", "Verify every stored text and the archive's indexes", SetupCheck},
    {"stats", "Show counts and sizes of the archive", SetupStats},
};

int Main(int argc, char** argv) {
  InstallFaultReporter();
  CLI::App app{"newsarc: archive news articles, find duplicates, track versions"};
  app.set_version_flag("--version", std::string(NEWSARC_VERSION));
  app.require_subcommand(1);
  GlobalOptions global;
  app.add_option("-a,--archive", global.archive, "Archive directory")
      ->envname("NEWSARC_ARCHIVE")
      ->type_name("DIR");
  std::map<CLI::App*, Runner> runners;
  for (const Command& c : kCommands) {
    CLI::App* sub = app.add_subcommand(c.name, c.summary);
    sub->fallthrough();  // --archive may follow the command too
    runners[sub] = c.setup(sub, global);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? kExitOk : kExitUsage;
  }
  for (auto& [sub, run] : runners) {
    if (sub->parsed()) return run();
  }
  return kExitUsage;
}

}  // namespace
}  // namespace newsarc::cli

int main(int argc, char** argv) { return newsarc::cli::Main(argc, argv); }
