// Tests of the ingest pipeline: how a run cuts its input into batches.
#include "newsarc/ingest.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "test_dir.h"

namespace newsarc {
namespace {

// Article `i` of a set of unrelated ones as a JSON line, its text `edited` or not.
std::string ArticleLine(int i, bool edited = false) {
  return R"({"id": "a)" + std::to_string(i) + R"(", "text": "Meldung )" + std::to_string(i) +
         " aus " + std::to_string(i * 7) + " Orten mit " + std::to_string(i * 13) + " Zeugen und " +
         std::to_string(i * 31) + " Fragen" + (edited ? " und einer Antwort" : "") + R"("})" + "\n";
}

// A JSON Lines file of `n` unrelated articles in a fresh directory.
std::string WriteArticles(const std::filesystem::path& dir, int n) {
  std::filesystem::create_directories(dir);
  std::string path = (dir / "in.jsonl").string();
  std::ofstream out(path);
  for (int i = 0; i < n; ++i) out << ArticleLine(i);
  return path;
}

// The inputs committed so far after each batch of a run over `n` articles.
std::vector<uint64_t> CommitPoints(const std::string& name, int n, size_t batch_size) {
  auto dir = testing::FreshDir("ingest_test", name);
  std::string input = WriteArticles(dir, n);
  auto archive = Archive::Create((dir / "arc").string(), ArchiveParams());
  REQUIRE(archive.ok());
  IngestOptions options;
  options.batch_size = batch_size;
  std::vector<uint64_t> commits;
  options.on_progress = [&](const IngestProgress& p) {
    if (p.batch_committed) commits.push_back(p.committed);
  };
  auto summary = IngestPaths(*archive.value(), {input}, options, [](const Outcome&) {});
  REQUIRE(summary.ok());
  CHECK(summary->articles == static_cast<uint64_t>(n));
  return commits;
}

// The outcomes of ingesting `input` in batches of 200 into a new archive
// opened with `resident_limit`, one line per input.
std::vector<std::string> Outcomes(const std::filesystem::path& dir, const std::string& input,
                                  uint64_t resident_limit) {
  OpenOptions open;
  open.resident_limit = resident_limit;
  auto archive = Archive::Create(dir.string(), ArchiveParams(), open);
  REQUIRE(archive.ok());
  IngestOptions options;
  options.batch_size = 200;
  options.jobs = 2;
  std::vector<std::string> lines;
  auto summary = IngestPaths(*archive.value(), {input}, options, [&](const Outcome& o) {
    lines.push_back(o.input + " " + std::to_string(static_cast<int>(o.verdict)) + " " +
                    std::to_string(o.entry.story) + "." + std::to_string(o.entry.version) + " " +
                    std::to_string(o.of.story) + "." + std::to_string(o.of.version));
  });
  REQUIRE(summary.ok());
  return lines;
}

}  // namespace

TEST_CASE("IngestPaths: a resident memory limit that unmaps the archive all along changes nothing",
          "[ingest]") {
  // Every article comes twice under its id, every tenth the second time
  // edited: new, duplicate and version outcomes, all found through pages
  // that a limit of 4 KiB unmaps at every check.
  auto dir = testing::FreshDir("ingest_test", "resident_limit");
  std::filesystem::create_directories(dir);
  const std::string input = (dir / "in.jsonl").string();
  {
    std::ofstream out(input);
    for (int round = 0; round < 2; ++round) {
      for (int i = 0; i < 1500; ++i) out << ArticleLine(i, round == 1 && i % 10 == 0);
    }
  }
  const auto unlimited = Outcomes(dir / "unlimited", input, 0);
  const auto limited = Outcomes(dir / "limited", input, 4096);
  REQUIRE(unlimited.size() == 3000);
  CHECK(limited == unlimited);
  const auto versions = std::count_if(unlimited.begin(), unlimited.end(), [](const auto& l) {
    return l.find(" " + std::to_string(static_cast<int>(Verdict::kVersion)) + " ") !=
           std::string::npos;
  });
  CHECK(versions == 150);
}

TEST_CASE("AutoBatchSize: 10,000, a fortieth of a large archive, at most 25,000", "[ingest]") {
  CHECK(AutoBatchSize(0) == 10000);
  CHECK(AutoBatchSize(400000) == 10000);
  CHECK(AutoBatchSize(800000) == 20000);
  CHECK(AutoBatchSize(1000000) == 25000);
  CHECK(AutoBatchSize(50000000) == 25000);
}

TEST_CASE("IngestPaths: batches start at 1,000 and double up to the batch size", "[ingest]") {
  // Automatic size in a new archive (10,000): 1,000, 2,000, then 4,000 and the 500 left, which
  // join it (a tail of up to a quarter batch, here 1,000).
  CHECK(CommitPoints("auto", 7500, 0) == std::vector<uint64_t>{1000, 3000, 7500});
  // 1,200 left after the 4,000 are more than a quarter batch: a batch of their own.
  CHECK(CommitPoints("tail", 8200, 0) == std::vector<uint64_t>{1000, 3000, 7000, 8200});
  // A given size caps the doubling.
  CHECK(CommitPoints("capped", 7500, 1500) ==
        std::vector<uint64_t>{1000, 2500, 4000, 5500, 7000, 7500});
  // The last batch is cut in two when it holds more than 1,000 articles and at least half a
  // batch: 1,000, 2,000, then 2,500 of at most 4,000, split.
  CHECK(CommitPoints("split", 5500, 0) == std::vector<uint64_t>{1000, 3000, 4250, 5500});
  // 1,500 of at most 8,000 stay one batch.
  CHECK(CommitPoints("small_tail", 8500, 0) == std::vector<uint64_t>{1000, 3000, 7000, 8500});
}

}  // namespace newsarc
