// Tests of a batch's sorted band keys and of prefetched ingest, which must
// classify exactly as a lookup inside the write transaction does.
#include "batch_bands.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "newsarc/lsh.h"
#include "test_dir.h"
#include "test_items.h"

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
    out[static_cast<size_t>(i) / 20].push_back(testing::PreparedItem(p, std::move(a)));
  }
  return out;
}

std::unique_ptr<Archive> Fresh(const std::string& name) {
  auto a = Archive::Create(testing::FreshDir("batch_bands_test", name).string(), ArchiveParams());
  REQUIRE(a.ok());
  return std::move(a.value());
}

void AppendLines(const std::vector<Outcome>& outcomes, std::vector<std::string>* lines) {
  for (const Outcome& o : outcomes) {
    lines->push_back(o.input + " " + VerdictName(o.verdict) + " " + FormatEntryRef(o.entry) + " " +
                     FormatEntryRef(o.of));
  }
}

std::vector<std::string> Run(Archive& a, const std::vector<std::vector<BatchItem>>& batches,
                             bool prefetch, bool prefetch_early) {
  std::vector<std::string> lines;
  std::vector<std::shared_ptr<const BatchBands>> bands(batches.size());
  auto fetch = [&](size_t i) {
    auto b = a.Prefetch(batches[i]);
    REQUIRE(b.ok());
    bands[i] = b.value();
  };
  if (prefetch && prefetch_early) {  // every snapshot taken before any write
    for (size_t i = 0; i < batches.size(); ++i) fetch(i);
  }
  for (size_t i = 0; i < batches.size(); ++i) {
    if (prefetch && !prefetch_early) fetch(i);
    auto outcomes = a.Ingest(batches[i], 1, bands[i]);
    REQUIRE(outcomes.ok());
    AppendLines(outcomes.value(), &lines);
  }
  return lines;
}

}  // namespace

TEST_CASE("BatchBands: keys sorted by (key, item), shared keys grouped", "[batch]") {
  std::vector<BatchItem> batch(5);
  batch[0].prepared.band_keys = Bands(1, 2);  // {1, 2, 1001}
  batch[1].prepared.band_keys = Bands(2, 3);  // shares 2 with item 0
  batch[2].error = Status::InvalidInput("rejected");
  batch[2].prepared.band_keys = Bands(1, 2);                // ignored: rejected
  batch[3].prepared.band_keys = {5ull << 32 | 2, 3, 1001};  // shares 3 with 1, 1001 with 0
  batch[4].prepared.band_keys = {2, 77, 78};                // shares 2 with 0 and 1
  BatchBands b = BatchBands::Build(batch);
  REQUIRE(b.queries.size() == 12);
  for (size_t i = 1; i < b.queries.size(); ++i) {
    const BandQuery &p = b.queries[i - 1], &q = b.queries[i];
    CHECK((p.key < q.key || (p.key == q.key && p.item < q.item)));
  }
  CHECK(b.group_count == 3);  // keys 2, 3 and 1001
  auto shared = [&](size_t x, size_t y) {
    for (uint32_t g : b.groups[x]) {
      for (uint32_t h : b.groups[y]) {
        if (g == h) return true;
      }
    }
    return false;
  };
  CHECK(shared(0, 1));
  CHECK(shared(0, 3));
  CHECK(shared(1, 3));
  CHECK(shared(0, 4));
  CHECK_FALSE(shared(3, 4));
  CHECK(b.groups[2].empty());
  CHECK(b.groups[0].size() == 2);
  CHECK(b.groups[4].size() == 1);
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
  // A batch written without prefetch after a snapshot was taken: batch 1's
  // snapshot is one batch old, but that batch was prefetched by nobody, so
  // its postings are joined in (the same as in the early run above, where
  // batch 2 is two batches late and is looked up again by the writer).
  auto a = Fresh("other");
  auto batches = Batches(p);
  auto early = a->Prefetch(batches[1]);
  REQUIRE(early.ok());
  auto first = a->Ingest(batches[0], 1);
  REQUIRE(first.ok());
  CHECK(first->size() == 20);
  auto late = a->Prefetch(batches[2]);
  REQUIRE(late.ok());
  auto second = a->Ingest(batches[1], 1, early.value());
  REQUIRE(second.ok());
  auto third = a->Ingest(batches[2], 1, late.value());
  REQUIRE(third.ok());
  std::vector<std::string> lines;
  for (const auto* outs : {&first.value(), &second.value(), &third.value()}) {
    AppendLines(*outs, &lines);
  }
  CHECK(lines == expected);
}
