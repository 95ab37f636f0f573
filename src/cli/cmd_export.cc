// newsarc export: every stored entry as JSON Lines, in ingest order.
//
// Each line is also valid input: `newsarc init` + `newsarc ingest -` on the
// output rebuilds an equivalent archive (`key` keeps each entry's identity).
#include <iostream>

#include "cli/common.h"

namespace newsarc::cli {

Runner SetupExport(CLI::App* sub, const GlobalOptions& global) {
  auto json = std::make_shared<bool>(true);
  sub->add_flag("--json", *json, "JSON Lines (the only format, accepted for symmetry)");
  // The flag writes into *json when the command line is parsed, after this
  // returns: the runner keeps it alive.
  return [json, &global]() {
    auto archive = OpenArchive(global);
    if (!archive.ok()) return Fail(archive.status());
    Status st = archive.value()->ForEachEntry([](const EntryInfo& e, const std::string& text) {
      JsonObject json;
      AddEntryFields(e, &json);
      std::cout << json.Str("text", text).Finish() << "\n";
      if (!std::cout) return Status::IOError("cannot write to standard output");
      return Status::Ok();
    });
    if (!st.ok()) return Fail(st, "export");
    return static_cast<int>(kExitOk);
  };
}

}  // namespace newsarc::cli
