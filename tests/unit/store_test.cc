// Tests of the LMDB layer: map growth before a transaction runs out of map.
#include "store.h"

#include <algorithm>
#include <catch2/catch.hpp>

#include "mapped_pages.h"
#include "records.h"
#include "test_dir.h"

using namespace newsarc;

namespace {

// Appends `count` records of one overflow page (4 KiB) each to the
// signature table.
Status AppendPages(Txn& txn, uint64_t first, uint64_t count) {
  const std::string value(3000, 'x');
  for (uint64_t seq = first; seq < first + count; ++seq) {
    NEWSARC_RETURN_IF_ERROR(txn.Append(Table::kSignatures, SequenceKey(seq), value));
  }
  return Status::Ok();
}

// The same in a transaction of its own, committed.
Status Fill(LmdbEnv& env, uint64_t first, uint64_t count) {
  auto txn = Txn::Begin(env, /*write=*/true);
  if (!txn.ok()) return txn.status();
  NEWSARC_RETURN_IF_ERROR(AppendPages(*txn.value(), first, count));
  return txn.value()->Commit();
}

}  // namespace

TEST_CASE("LmdbEnv: nearly full past three quarters of the map, not after growing", "[store]") {
  const size_t map = 1 << 20;
  auto env =
      LmdbEnv::Open(testing::FreshDir("store_test", "nearly_full").string(), /*create=*/true, map);
  REQUIRE(env.ok());
  LmdbEnv& e = *env.value();
  CHECK_FALSE(e.NearlyFull());
  // One page a record: 150 fill 600 KiB of 1 MiB.
  REQUIRE(Fill(e, 1, 150).ok());
  CHECK_FALSE(e.NearlyFull());
  REQUIRE(Fill(e, 151, 60).ok());  // 840 KiB
  CHECK(e.NearlyFull());
  REQUIRE(e.Grow().ok());
  CHECK(e.MapSize() == 2 * map);
  CHECK_FALSE(e.NearlyFull());
  // What was written before the growth is still there.
  auto txn = Txn::Begin(e, /*write=*/false);
  REQUIRE(txn.ok());
  CHECK(txn.value()->Count(Table::kSignatures).value() == 210);
}

TEST_CASE("LmdbEnv: a transaction past the map fails as map full, and fits after Grow", "[store]") {
  auto env =
      LmdbEnv::Open(testing::FreshDir("store_test", "map_full").string(), /*create=*/true, 1 << 20);
  REQUIRE(env.ok());
  LmdbEnv& e = *env.value();
  auto txn = Txn::Begin(e, /*write=*/true);
  REQUIRE(txn.ok());
  CHECK_FALSE(AppendPages(*txn.value(), 1, 400).ok());  // 1.6 MiB
  CHECK(txn.value()->map_full());
  txn.value().reset();
  REQUIRE(e.Grow().ok());
  CHECK(Fill(e, 1, 400).ok());
}

TEST_CASE("LmdbEnv: TrimMapped unmaps the archive past its limits, and reads go on", "[store]") {
  auto env = LmdbEnv::Open(testing::FreshDir("store_test", "trim").string(), /*create=*/true,
                           size_t{64} << 20);
  REQUIRE(env.ok());
  LmdbEnv& e = *env.value();
  REQUIRE(Fill(e, 1, 4000).ok());  // 16 MB of pages
  auto txn = Txn::Begin(e, /*write=*/false);
  REQUIRE(txn.ok());
  auto read_all = [&] {
    size_t bytes = 0;
    REQUIRE(txn.value()
                ->ForEach(Table::kSignatures,
                          [&](std::string_view, std::string_view v) {
                            bytes += static_cast<size_t>(std::count(v.begin(), v.end(), 'x'));
                            return true;
                          })
                .ok());
    return bytes;
  };
  const uint64_t slack = uint64_t{4} << 20;
  CHECK(read_all() == 4000 * 3000);
  const uint64_t mapped = ResidentMemory().file;

  e.TrimMapped();  // no limit by default
  CHECK(ResidentMemory().file + slack > mapped);
  e.set_resident_limit(uint64_t{1} << 40);  // far above
  e.TrimMapped();
  CHECK(ResidentMemory().file + slack > mapped);

  e.set_resident_limit(1 << 20);
  e.TrimMapped();
  CHECK(ResidentMemory().file + (uint64_t{12} << 20) <= mapped);
  CHECK(read_all() == 4000 * 3000);  // the same transaction reads on
}
