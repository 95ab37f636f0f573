// newsarc check: read the whole archive and verify it.
#include <iostream>

#include "cli/common.h"

namespace newsarc::cli {

Runner SetupCheck(CLI::App* sub, const GlobalOptions& global) {
  auto json = std::make_shared<bool>(false);
  sub->add_flag("--json", *json, "Print one JSON object");
  return [json, &global]() {
    auto archive = OpenArchive(global);
    if (!archive.ok()) return Fail(archive.status());
    auto report = archive.value()->Check();
    if (!report.ok()) return Fail(report.status(), "check");
    const CheckReport& r = report.value();
    if (*json) {
      std::string problems = "[";
      for (const std::string& p : r.problems) {
        if (problems.size() > 1) problems += ",";
        AppendJsonString(p, &problems);
      }
      problems += "]";
      std::cout << JsonObject()
                       .Str("archive", global.archive)
                       .Str("result", r.ok() ? "ok" : "damaged")
                       .Int("stories", r.stories)
                       .Int("entries", r.entries)
                       .Int("texts", r.texts)
                       .Int("text_bytes", r.text_bytes)
                       .Int("band_entries", r.band_entries)
                       .Int("problem_count", r.problem_count)
                       .Raw("problems", problems)
                       .Finish()
                << "\n";
    } else {
      for (const std::string& p : r.problems) std::cout << "problem: " << p << "\n";
      if (r.problem_count > r.problems.size()) {
        std::cout << "... and " << r.problem_count - r.problems.size() << " more problems\n";
      }
      std::cout << (r.ok() ? "ok: " : "DAMAGED: ") << r.stories << " stories, " << r.entries
                << " entries, " << r.texts << " texts (" << r.text_bytes << " bytes) and "
                << r.band_entries << " band entries verified";
      if (!r.ok()) std::cout << "; " << r.problem_count << " problems";
      std::cout << "\n";
    }
    return static_cast<int>(r.ok() ? kExitOk : kExitArchive);
  };
}

}  // namespace newsarc::cli
