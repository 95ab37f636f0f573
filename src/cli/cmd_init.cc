// newsarc init: create an archive and fix its parameters.
#include <iostream>

#include "cli/common.h"

namespace newsarc::cli {

Runner SetupInit(CLI::App* sub, const GlobalOptions& global) {
  auto params = std::make_shared<ArchiveParams>();
  sub->add_option("--shingle", params->shingle_size, "Words per shingle (k)")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  sub->add_option("--perms", params->num_perms, "MinHash permutations (P)")
      ->capture_default_str()
      ->check(CLI::Range(16, 1024));
  sub->add_option("--near-duplicate", params->near_duplicate_threshold,
                  "Similarity at which an article joins a story as a copy")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  sub->add_option("--version", params->version_threshold,
                  "Similarity at which a keyless article is a version of a story")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  auto json = std::make_shared<bool>(false);
  sub->add_flag("--json", *json, "Print one JSON object: the archive and its parameters");
  return [params, json, &global]() {
    if (global.archive.empty()) {
      return Fail(
          Status::InvalidInput("no archive given: use --archive DIR or set NEWSARC_ARCHIVE"));
    }
    auto archive = Archive::Create(global.archive, *params);
    if (!archive.ok()) return Fail(archive.status(), "init");
    const ArchiveParams& p = archive.value()->params();
    if (*json) {
      JsonObject out;
      out.Str("archive", global.archive);
      AddParamFields(p, &out);
      std::cout << out.Finish() << "\n";
      return static_cast<int>(kExitOk);
    }
    std::cout << "created archive " << global.archive << ": k=" << p.shingle_size
              << " P=" << p.num_perms << " bands=" << p.bands.bands << "x" << p.bands.rows
              << " near-duplicate>=" << FormatSimilarity(p.near_duplicate_threshold)
              << " version>=" << FormatSimilarity(p.version_threshold) << "\n";
    return static_cast<int>(kExitOk);
  };
}

}  // namespace newsarc::cli
