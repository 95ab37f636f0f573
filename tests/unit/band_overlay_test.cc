// Tests of the in-memory band overlay and of prefetched ingest, which must
// classify exactly as a lookup inside the write transaction does.
#include "band_overlay.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "newsarc/lsh.h"

using namespace newsarc;
namespace fs = std::filesystem;

namespace {

std::vector<uint64_t> Bands(uint64_t a, uint64_t b) { return {a, b, 1000 + a}; }

std::string Words(int from, int count) {
  std::string s;
  for (int i = from; i < from + count; ++i) s += "wort" + std::to_string(i) + " ";
  return s;
}

// Batches of articles with copies and near-copies of earlier ones, also of
// articles in earlier batches.
std::vector<std::vector<BatchItem>> Batches(const Preparer& p) {
  std::vector<std::vector<BatchItem>> out(3);
  for (int i = 0; i < 60; ++i) {
    int base = (i % 7 == 3) ? (i - 3) * 100 : i * 100;  // every 7th repeats an earlier text
    std::string text = Words(base, 120) + (i % 7 == 3 ? "neu" + std::to_string(i) : "");
    Article a;
    a.input = "a" + std::to_string(i);
    a.text = text;
    auto prepared = p.Prepare(std::move(a));
    REQUIRE(prepared.ok());
    BatchItem item;
    item.input = prepared->article.input;
    item.prepared = std::move(prepared.value());
    out[static_cast<size_t>(i) / 20].push_back(std::move(item));
  }
  return out;
}

std::unique_ptr<Archive> Fresh(const std::string& name) {
  fs::path dir =
      fs::temp_directory_path() / ("newsarc_overlay_test_" + std::to_string(getpid()) + "_" + name);
  fs::remove_all(dir);
  auto a = Archive::Create(dir.string(), ArchiveParams());
  REQUIRE(a.ok());
  return std::move(a.value());
}

void AppendLines(const std::vector<Outcome>& outcomes, std::vector<std::string>* lines) {
  for (const Outcome& o : outcomes) {
    lines->push_back(o.input + " " + VerdictName(o.verdict) + " " + FormatEntryRef(o.entry) + " " +
                     FormatEntryRef(o.of));
  }
}

std::vector<std::string> Run(Archive& a, std::vector<std::vector<BatchItem>> batches, bool prefetch,
                             bool prefetch_early) {
  std::vector<std::string> lines;
  if (prefetch && prefetch_early) {  // every snapshot taken before any write
    for (auto& b : batches) REQUIRE(a.Prefetch(&b).ok());
  }
  for (auto& b : batches) {
    if (prefetch && !prefetch_early) REQUIRE(a.Prefetch(&b).ok());
    auto outcomes = a.Ingest(b, 1);
    REQUIRE(outcomes.ok());
    AppendLines(outcomes.value(), &lines);
  }
  return lines;
}

}  // namespace

TEST_CASE("BandOverlay: matches by shared band, after a sequence, each once", "[overlay]") {
  BandOverlay o;
  o.Add(5, {1, 1}, Bands(1, 2));
  o.Add(6, {2, 1}, Bands(2, 3));
  o.Add(7, {3, 1}, {9, 9, 1009});  // a key twice in one entry
  std::vector<EntryRef> m;
  o.Matches(Bands(2, 77), 0, &m);
  CHECK(m == std::vector<EntryRef>{{1, 1}, {2, 1}});  // both share key 2; 1@1 only once
  m.clear();
  o.Matches(Bands(2, 77), 5, &m);  // after sequence 5: only 2@1
  CHECK(m == std::vector<EntryRef>{{2, 1}});
  CHECK(o.CountAfter(0) == 3);
  CHECK(o.CountAfter(6) == 1);
  o.DropUpTo(6);
  CHECK(o.CountAfter(0) == 1);
  m.clear();
  o.Matches(Bands(2, 9), 0, &m);
  CHECK(m == std::vector<EntryRef>{{3, 1}});
  m.clear();
  o.Matches({12345, 67890}, 0, &m);
  CHECK(m.empty());
}

TEST_CASE("BandOverlay: survives growth and appends", "[overlay]") {
  BandOverlay a, b;
  for (uint64_t i = 1; i <= 3000; ++i) a.Add(i, {i, 1}, Bands(i, i + 1));
  for (uint64_t i = 3001; i <= 6000; ++i) b.Add(i, {i, 1}, Bands(i, i + 1));
  a.Append(std::move(b));
  CHECK(a.CountAfter(0) == 6000);
  std::vector<EntryRef> m;
  // Key 4500 is entry 4500's first band, 4499's second and 3500's third.
  a.Matches({4500, 999999, 999998}, 0, &m);
  CHECK(m == std::vector<EntryRef>{{3500, 1}, {4499, 1}, {4500, 1}});
}

TEST_CASE("Archive: prefetched ingest classifies exactly as in-transaction lookups", "[overlay]") {
  auto plain = Fresh("plain");
  Preparer p(plain->params());
  auto expected = Run(*plain, Batches(p), false, false);
  REQUIRE(expected.size() == 60);
  for (bool early : {false, true}) {
    INFO("all snapshots taken first: " << early);
    auto a = Fresh(early ? "early" : "late");
    CHECK(Run(*a, Batches(p), true, early) == expected);
  }
  // A batch written without prefetch after a snapshot was taken: the overlay
  // cannot account for it, so the writer looks up in its transaction.
  auto a = Fresh("other");
  auto batches = Batches(p);
  REQUIRE(a->Prefetch(&batches[1]).ok());
  auto first = a->Ingest(batches[0], 1);
  REQUIRE(first.ok());
  CHECK(first->size() == 20);
  REQUIRE(a->Prefetch(&batches[2]).ok());
  auto second = a->Ingest(batches[1], 1);
  REQUIRE(second.ok());
  auto third = a->Ingest(batches[2], 1);
  REQUIRE(third.ok());
  std::vector<std::string> lines;
  for (const auto* outs : {&first.value(), &second.value(), &third.value()}) {
    AppendLines(*outs, &lines);
  }
  CHECK(lines == expected);
}
