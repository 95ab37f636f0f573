// newsarc stats: counts and sizes of an archive.
#include <iostream>

#include "cli/common.h"
#include "json_writer.h"

namespace newsarc::cli {

Runner SetupStats(CLI::App* sub, const GlobalOptions& global) {
  auto json = std::make_shared<bool>(false);
  sub->add_flag("--json", *json, "Print one JSON object");
  return [json, &global]() {
    auto archive = OpenArchive(global);
    if (!archive.ok()) return Fail(archive.status());
    auto stats = archive.value()->Stats();
    if (!stats.ok()) return Fail(stats.status(), "stats");
    const ArchiveStats& s = stats.value();
    const ArchiveParams& p = archive.value()->params();
    if (*json) {
      std::cout << JsonObject()
                       .Str("archive", global.archive)
                       .Int("stories", s.stories)
                       .Int("versions", s.entries)
                       .Int("sightings", s.sightings)
                       .Int("rejects", s.rejects)
                       .Int("file_bytes", s.file_bytes)
                       .Int("shingle", p.shingle_size)
                       .Int("perms", p.num_perms)
                       .Int("bands", p.bands.bands)
                       .Int("rows", p.bands.rows)
                       .Num("near_duplicate_threshold", p.near_duplicate_threshold)
                       .Num("version_threshold", p.version_threshold)
                       .Finish()
                << "\n";
      return static_cast<int>(kExitOk);
    }
    std::cout << "archive     " << global.archive << "\n"
              << "stories     " << s.stories << "\n"
              << "versions    " << s.entries << "  (all entries: firsts, versions, copies)\n"
              << "sightings   " << s.sightings << "  (duplicates seen)\n"
              << "rejects     " << s.rejects << "\n"
              << "file bytes  " << s.file_bytes << "\n"
              << "parameters  k=" << p.shingle_size << " P=" << p.num_perms
              << " bands=" << p.bands.bands << "x" << p.bands.rows
              << " near-duplicate>=" << FormatSimilarity(p.near_duplicate_threshold)
              << " version>=" << FormatSimilarity(p.version_threshold) << "\n";
    return static_cast<int>(kExitOk);
  };
}

}  // namespace newsarc::cli
