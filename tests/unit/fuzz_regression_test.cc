// Fuzz regressions: every input in fixtures/fuzz/ (crashes and invariant
// failures the fuzz targets in tests/fuzz/ found) and every other fixture go
// through the same invariant checks as the fuzz targets (tests/fuzz/invariants.h).
// Inputs are copied into buffers of their exact size, so that a read past
// the end is caught in the sanitizer build.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "../fuzz/invariants.h"

namespace fs = std::filesystem;
using newsarc::DiffOptions;
using newsarc::DiffTexts;
using newsarc::EditOp;
using newsarc::TextDiff;
namespace fuzz = newsarc::fuzz;

namespace {

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<fs::path> FilesIn(const std::string& dir) {
  std::vector<fs::path> paths;
  for (const auto& e : fs::directory_iterator(fs::path(NEWSARC_FIXTURES) / dir)) {
    if (e.is_regular_file() && e.path().extension() != ".md") paths.push_back(e.path());
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

// The bytes of a file in a heap block of exactly their size (what libFuzzer
// hands a target), so that ASan sees a read past the end.
class ExactBuffer {
 public:
  explicit ExactBuffer(const std::string& bytes)
      : size_(bytes.size()), data_(new char[std::max<size_t>(size_, 1)]) {
    std::copy(bytes.begin(), bytes.end(), data_.get());
  }
  std::string_view view() const { return {data_.get(), size_}; }

 private:
  size_t size_;
  std::unique_ptr<char[]> data_;
};

// Every check of every fuzz target on one input, as the targets run them.
void CheckAllTargets(const fs::path& path) {
  ExactBuffer buf(ReadFile(path));
  INFO(path.string());
  CHECK(fuzz::CheckJsonArticle(buf.view()) == "");
  CHECK(fuzz::CheckTextArticle(buf.view()) == "");
  CHECK(fuzz::CheckNormalize(buf.view()) == "");
  CHECK(fuzz::CheckDiffInput(buf.view()) == "");
  CHECK(fuzz::CheckRecords(buf.view()) == "");
}

}  // namespace

TEST_CASE("fuzz regressions: every input in fixtures/fuzz keeps the invariants", "[fuzz]") {
  std::vector<fs::path> found = FilesIn("fuzz");
  REQUIRE_FALSE(found.empty());
  for (const fs::path& path : found) {
    // fixtures/fuzz/<target>-<name>: the name says which target found it.
    std::string name = path.filename().string();
    bool known = false;
    for (const char* target :
         {"json_article-", "text_article-", "normalize-", "diff-", "records-"}) {
      known = known || name.rfind(target, 0) == 0;
    }
    INFO(name);
    CHECK(known);
    CheckAllTargets(path);
  }
}

TEST_CASE("fuzz regressions: the fixtures keep the fuzz invariants", "[fuzz]") {
  size_t files = 0;
  for (const char* dir : {"seeds", "edits", "bad", "jsonl"}) {
    for (const fs::path& path : FilesIn(dir)) {
      CheckAllTargets(path);
      ++files;
    }
  }
  CHECK(files >= 18);
}

TEST_CASE("fuzz regressions: each JSON line of the fixtures, as the JSON target sees it",
          "[fuzz]") {
  size_t accepted = 0, lines = 0;
  for (const fs::path& path : FilesIn("jsonl")) {
    std::istringstream in(ReadFile(path));
    std::string line;
    while (std::getline(in, line)) {
      ExactBuffer buf(line);
      INFO(path.string() << ":" << ++lines);
      CHECK(fuzz::CheckJsonArticle(buf.view()) == "");
      newsarc::Article a;
      accepted += newsarc::ParseJsonArticle(buf.view(), &a).ok();
    }
  }
  CHECK(lines == 9);
  CHECK(accepted >= 5);  // the round trip was checked on real articles, not only rejections
}

TEST_CASE("fuzz regressions: seed/edit pairs keep the diff invariants under every option",
          "[fuzz]") {
  std::vector<fs::path> seeds = FilesIn("seeds"), edits = FilesIn("edits");
  REQUIRE(seeds.size() >= 4);
  REQUIRE(edits.size() == 4);
  for (size_t k = 0; k < edits.size(); ++k) {
    std::string old_text = ReadFile(seeds[k]), new_text = ReadFile(edits[k]);
    for (int flags = 0; flags < 8; ++flags) {
      DiffOptions options;
      options.ignore_case = (flags & 1) != 0;
      options.ignore_punctuation = (flags & 2) != 0;
      options.detect_moves = (flags & 4) == 0;
      INFO(edits[k].string() << " flags " << flags);
      CHECK(fuzz::CheckDiff(old_text, new_text, options, 3, false) == "");
      CHECK(fuzz::CheckDiff(new_text, old_text, options, 0, true) == "");
    }
  }
}

// The checks themselves must be able to fail: each is fed a violation.
TEST_CASE("fuzz invariants: the checks reject broken results", "[fuzz]") {
  std::string old_text = "a b c\n", new_text = "a x c\n";
  TextDiff diff = DiffTexts(old_text, new_text);
  REQUIRE(fuzz::CheckDiffSpans(old_text, new_text, diff) == "");
  TextDiff gap = diff;
  gap.spans.back().new_begin += 1;
  CHECK(fuzz::CheckDiffSpans(old_text, new_text, gap) != "");
  TextDiff same_op = diff;
  same_op.spans.push_back(same_op.spans.back());
  CHECK(fuzz::CheckDiffSpans(old_text, new_text, same_op) != "");
  TextDiff unpaired = diff;
  unpaired.spans[0].op = EditOp::kMoveTo;
  CHECK(fuzz::CheckDiffSpans(old_text, new_text, unpaired) != "");

  CHECK(fuzz::CheckNormalizedForm("a b") == "");
  CHECK(fuzz::CheckNormalizedForm("a  b") != "");
  CHECK(fuzz::CheckNormalizedForm(" a") != "");
  CHECK(fuzz::CheckNormalizedForm("a\tb") != "");
  CHECK(fuzz::CheckNormalizedForm("a\xC3") != "");

  std::string patched;
  CHECK(fuzz::ApplyUnifiedDiff("a\nb\n", "--- a\n+++ b\n@@ -2 +2 @@\n-b\n+c\n", &patched) == "");
  CHECK(patched == "a\nc\n");
  CHECK(fuzz::ApplyUnifiedDiff("a\nb\n", "--- a\n+++ b\n@@ -2 +2 @@\n-x\n+c\n", &patched) != "");
  CHECK(fuzz::ApplyUnifiedDiff("a\nb\n", "--- a\n+++ b\n@@ -2,2 +2 @@\n-b\n+c\n", &patched) != "");
  CHECK(fuzz::ApplyUnifiedDiff("a\nb",
                               "--- a\n+++ b\n@@ -2 +2 @@\n-b\n\\ No newline at end of file\n+c\n",
                               &patched) == "");
  CHECK(patched == "a\nc\n");
}
