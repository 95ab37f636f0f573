// newsarc stats: counts and sizes of an archive.
#include <cstdio>
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
    // Stored over raw: 0.1 means the texts take a tenth of their size.
    double ratio = s.text_raw_bytes ? double(s.text_stored_bytes) / s.text_raw_bytes : 0;
    if (*json) {
      JsonObject json;
      json.Str("archive", global.archive)
          .Int("stories", s.stories)
          .Int("entries", s.entries)
          .Int("versions", s.versions)
          .Int("copies", s.copies)
          .Int("sightings", s.sightings)
          .Int("rejects", s.rejects)
          .Int("text_raw_bytes", s.text_raw_bytes)
          .Int("text_stored_bytes", s.text_stored_bytes)
          .Num("text_ratio", ratio)
          .Int("delta_texts", s.delta_texts)
          .Int("dictionary_texts", s.dictionary_texts)
          .Int("dictionary_bytes", s.dictionary_bytes)
          .Int("file_bytes", s.file_bytes);
      AddParamFields(p, &json);
      std::cout << json.Finish() << "\n";
      return static_cast<int>(kExitOk);
    }
    char ratio_text[32];
    std::snprintf(ratio_text, sizeof ratio_text, "%.3f", ratio);
    std::cout << "archive       " << global.archive << "\n"
              << "stories       " << s.stories << "\n"
              << "entries       " << s.entries << "  (firsts, versions and copies)\n"
              << "versions      " << s.versions << "\n"
              << "copies        " << s.copies << "  (near-duplicates)\n"
              << "sightings     " << s.sightings << "  (exact duplicates seen)\n"
              << "rejects       " << s.rejects << "\n"
              << "text bytes    " << s.text_raw_bytes << " raw, " << s.text_stored_bytes
              << " stored (ratio " << ratio_text << ", " << s.delta_texts << " deltas)\n"
              << "dictionary    ";
    if (s.dictionary_bytes == 0) {
      std::cout
          << "none yet  (an ingest trains one once there are 100 articles with 256 KiB of text)\n";
    } else {
      std::cout << s.dictionary_bytes << " bytes, used by " << s.dictionary_texts << " texts\n";
    }
    std::cout << "file bytes    " << s.file_bytes << "\n"
              << "parameters    k=" << p.shingle_size << " P=" << p.num_perms
              << " bands=" << p.bands.bands << "x" << p.bands.rows
              << " near-duplicate>=" << FormatSimilarity(p.near_duplicate_threshold)
              << " version>=" << FormatSimilarity(p.version_threshold) << "\n";
    return static_cast<int>(kExitOk);
  };
}

}  // namespace newsarc::cli
