// Tests of the band index runs: lookups must find exactly the postings a
// brute-force scan finds, through merges, chunk boundaries and long runs of
// equal hashes; damage must be reported, not read past.
#include "band_runs.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <random>
#include <set>

#include "records.h"
#include "test_dir.h"

using namespace newsarc;
namespace fs = std::filesystem;

namespace {

struct Env {
  explicit Env(const std::string& name) {
    dir = testing::FreshDir("runs_test", name).string();
    auto opened = LmdbEnv::Open(dir, /*create=*/true);
    REQUIRE(opened.ok());
    env = std::move(opened.value());
  }
  ~Env() {
    env.reset();
    fs::remove_all(dir);
  }
  std::unique_ptr<Txn> Begin(bool write) {
    auto txn = Txn::Begin(*env, write);
    REQUIRE(txn.ok());
    return std::move(txn.value());
  }
  std::string dir;
  std::unique_ptr<LmdbEnv> env;
};

uint64_t Key(uint32_t band, uint32_t hash) { return uint64_t{band} << 32 | hash; }

// An environment whose band runs are filled batch by batch with random
// postings, every one of them also kept in `all`.
struct Filled {
  Filled(const std::string& name, uint64_t seed) : env(name), rng(seed) {}

  // Adds `n` entries with `bands` postings each in one transaction. Hashes
  // come from a small range so that lookups hit; every 3rd entry shares
  // band 0's hash 7, so that hash spans many chunks.
  void AddBatch(int n, int bands, uint64_t max_merged = BandRuns::kMaxMergedEntries) {
    auto txn = env.Begin(true);
    auto runs = BandRuns::Load(txn.get());
    REQUIRE(runs.ok());
    std::vector<BandPosting> postings;
    for (int i = 0; i < n; ++i) {
      uint32_t seq = next_seq++;
      for (int b = 0; b < bands; ++b) {
        uint32_t hash = (b == 0 && seq % 3 == 0) ? 7 : static_cast<uint32_t>(rng() % 5000);
        postings.push_back({Key(b, hash), seq});
      }
    }
    all.insert(all.end(), postings.begin(), postings.end());
    REQUIRE(runs->Add(txn.get(), postings, n, max_merged).ok());
    REQUIRE(txn->Commit().ok());
  }

  Env env;
  std::mt19937_64 rng;
  uint32_t next_seq = 1;
  std::vector<BandPosting> all;
};

std::multiset<std::pair<uint32_t, uint32_t>> Lookup(Txn* txn, std::vector<BandQuery> queries) {
  auto runs = BandRuns::Load(txn);
  REQUIRE(runs.ok());
  std::sort(queries.begin(), queries.end(),
            [](const BandQuery& a, const BandQuery& b) { return a.key < b.key; });
  std::multiset<std::pair<uint32_t, uint32_t>> found;
  REQUIRE(runs->Lookup(txn, queries,
                       [&](uint32_t item, uint32_t seq) {
                         found.insert({item, seq});
                       })
              .ok());
  return found;
}

// What a brute-force scan of `all` finds for `queries`.
std::multiset<std::pair<uint32_t, uint32_t>> Scan(const std::vector<BandQuery>& queries,
                                                  const std::vector<BandPosting>& all) {
  std::multiset<std::pair<uint32_t, uint32_t>> found;
  for (const BandQuery& q : queries) {
    for (const BandPosting& p : all) {
      if (p.key == q.key) found.insert({q.item, p.seq});
    }
  }
  return found;
}

}  // namespace

TEST_CASE("BandRuns: lookups find exactly the matching postings, across merges", "[runs]") {
  Filled f("lookup", 42);
  const int kBands = 4;
  for (int batch : {700, 700, 300, 1200, 5, 5, 900}) {
    f.AddBatch(batch, kBands);
  }
  auto txn = f.env.Begin(false);
  auto runs = BandRuns::Load(txn.get());
  REQUIRE(runs.ok());
  CHECK(runs->entries() == f.next_seq - 1);
  // Binary counter: sizes strictly decrease from oldest to newest.
  for (size_t i = 1; i < runs->runs().size(); ++i) {
    CHECK(runs->runs()[i - 1].entries > runs->runs()[i].entries);
  }
  CHECK(runs->runs().size() <= 4);

  // Queries: hits, misses, the long equal-hash run, the first and last
  // hashes of a band, and a band that does not exist.
  std::vector<BandQuery> queries;
  for (uint32_t i = 0; i < 400; ++i) {
    queries.push_back(
        {Key(static_cast<uint32_t>(f.rng() % kBands), static_cast<uint32_t>(f.rng() % 6000)), i});
  }
  queries.push_back({Key(0, 7), 400});
  queries.push_back({Key(0, 0), 401});
  queries.push_back({Key(3, 4999), 402});
  queries.push_back({Key(9, 7), 403});
  queries.push_back({Key(1, UINT32_MAX), 404});
  queries.push_back({Key(0, 7), 405});  // two items asking for the same key
  queries.push_back({queries[0].key, 406});
  const auto expected = Scan(queries, f.all);
  CHECK(Lookup(txn.get(), queries) == expected);
  size_t sevens = 0;
  for (const auto& [item, seq] : expected) sevens += item == 400;
  CHECK(sevens > 2 * BandRuns::kChunkPostings);  // spans chunks in a run

  // One query at a time (a seek per query) gives the same as the batch
  // (a sweep over each band's chunks).
  std::multiset<std::pair<uint32_t, uint32_t>> one_by_one;
  for (const BandQuery& q : queries) {
    auto found = Lookup(txn.get(), {q});
    one_by_one.insert(found.begin(), found.end());
  }
  CHECK(one_by_one == expected);
}

TEST_CASE("BandRuns: merges stop at the size limit, lookups stay exact", "[runs]") {
  Filled f("capped", 9);
  const uint64_t kCap = 1000;
  for (int batch : {300, 300, 300, 300, 300, 300, 300, 300, 100, 1500, 200}) {
    f.AddBatch(batch, 2, kCap);
  }
  auto txn = f.env.Begin(false);
  auto runs = BandRuns::Load(txn.get());
  REQUIRE(runs.ok());
  CHECK(runs->entries() == f.next_seq - 1);
  size_t merged_to_cap = 0;
  for (const RunInfo& r : runs->runs()) {
    CHECK((r.entries <= kCap || r.entries == 1500));  // a larger batch stays as it came
    merged_to_cap += r.entries > kCap / 2 && r.entries <= kCap;
  }
  CHECK(merged_to_cap >= 2);  // without the cap, one run would hold the first 2,400
  std::vector<BandQuery> queries;
  for (uint32_t h = 0; h < 5000; h += 7) queries.push_back({Key(h % 2, h), h});
  queries.push_back({Key(0, 7), 99999});
  CHECK(Lookup(txn.get(), queries) == Scan(queries, f.all));
}

TEST_CASE("BandRuns: ForEach yields every posting once, in order per run", "[runs]") {
  Filled f("foreach", 7);
  for (int batch : {1100, 1100, 40}) f.AddBatch(batch, 3);
  auto txn = f.env.Begin(false);
  auto runs = BandRuns::Load(txn.get());
  REQUIRE(runs.ok());
  std::vector<BandPosting> seen;
  std::map<uint32_t, std::vector<BandPosting>> per_run;
  REQUIRE(runs->ForEach(txn.get(),
                        [&](const RunInfo& run, BandPosting p) {
                          seen.push_back(p);
                          per_run[run.id].push_back(p);
                        })
              .ok());
  for (const auto& [id, postings] : per_run) {
    CHECK(std::is_sorted(postings.begin(), postings.end()));
  }
  std::sort(seen.begin(), seen.end());
  std::sort(f.all.begin(), f.all.end());
  CHECK(seen == f.all);
}

TEST_CASE("BandRuns: a damaged chunk is a Corruption error naming it", "[runs]") {
  Filled f("damage", 3);
  f.AddBatch(600, 2);
  {
    // Swap two postings of the first chunk: out of order.
    auto txn = f.env.Begin(true);
    auto cursor = txn->OpenCursor(Table::kBandRuns);
    REQUIRE(cursor.ok());
    auto found = cursor.value()->Seek(BandRunPrefix(1));
    REQUIRE(found.ok());
    REQUIRE(found.value());
    std::string key(cursor.value()->key());
    std::string value(cursor.value()->value());
    REQUIRE(value.size() >= 3 * BandRuns::kPostingBytes);
    std::swap_ranges(value.begin() + 8, value.begin() + 16, value.begin() + 16);
    cursor.value().reset();
    REQUIRE(txn->Put(Table::kBandRuns, key, value).ok());
    REQUIRE(txn->Commit().ok());
  }
  auto txn = f.env.Begin(false);
  auto runs = BandRuns::Load(txn.get());
  REQUIRE(runs.ok());
  Status st = runs->ForEach(txn.get(), [](const RunInfo&, BandPosting) {});
  CHECK(st.code() == Status::Code::kCorruption);
  CHECK(st.message().find("run 1 band 0") != std::string::npos);
}

TEST_CASE("SortBandQueries: sorted by key, equal keys keep their order", "[runs]") {
  for (uint32_t n : {40u, 5000u}) {  // one article's keys (comparison sort), a batch's (radix)
    INFO("queries: " << n);
    std::mt19937_64 rng(7);
    std::vector<BandQuery> queries;
    for (uint32_t i = 0; i < n; ++i) {
      uint64_t band = rng() % 42, hash = rng() % (n / 16);  // many equal keys
      queries.push_back({band << 32 | hash, i});
    }
    queries.push_back({uint64_t{70000} << 32 | 5, n});  // a band above 16 bits
    queries.push_back({uint64_t{3} << 32 | 0xffffffffu, n + 1});
    std::vector<BandQuery> expected = queries;
    std::stable_sort(expected.begin(), expected.end(),
                     [](const BandQuery& a, const BandQuery& b) { return a.key < b.key; });
    SortBandQueries(&queries);
    REQUIRE(queries.size() == expected.size());
    for (size_t i = 0; i < queries.size(); ++i) {
      CHECK(queries[i].key == expected[i].key);
      CHECK(queries[i].item == expected[i].item);
    }
  }
}

TEST_CASE("JoinPostings: finds what a brute-force scan finds", "[runs]") {
  std::mt19937_64 rng(11);
  std::vector<BandPosting> postings;
  for (uint32_t seq = 1; seq <= 3000; ++seq) postings.push_back({rng() % 4000, seq});
  std::sort(postings.begin(), postings.end());
  std::vector<BandQuery> queries;
  for (uint32_t i = 0; i < 2000; ++i) queries.push_back({rng() % 4500, i});
  SortBandQueries(&queries);
  std::multiset<std::pair<uint32_t, uint32_t>> found;
  JoinPostings(queries, postings, [&](uint32_t item, uint32_t seq) { found.insert({item, seq}); });
  CHECK(found.size() > 100);
  CHECK(found == Scan(queries, postings));
}
