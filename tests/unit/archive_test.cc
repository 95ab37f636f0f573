// Tests of the archive facade and the LMDB store beneath it.
#include "newsarc/archive.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "records.h"
#include "store.h"
#include "test_dir.h"
#include "test_items.h"
#include "upgrade.h"

using namespace newsarc;
namespace fs = std::filesystem;

namespace Catch {
template <>
struct StringMaker<EntryRef> {
  static std::string convert(const EntryRef& r) { return FormatEntryRef(r); }
};
}  // namespace Catch

namespace {

std::string FreshDir(const std::string& name) {
  return testing::FreshDir("archive_test", name).string();
}

BatchItem Item(const Preparer& p, std::string text, std::string key = "") {
  Article a;
  a.input = "test:" + key;
  a.text = std::move(text);
  a.key = std::move(key);
  return testing::PreparedItem(p, std::move(a));
}

std::string Words(int from, int count) {
  std::string s;
  for (int i = from; i < from + count; ++i) s += "wort" + std::to_string(i) + " ";
  return s;
}

// A fresh archive holding story 1 (300 words, key k1) and `second` (key k2).
std::unique_ptr<Archive> ArchiveWithPair(const std::string& name, const std::string& second) {
  auto created = Archive::Create(FreshDir(name), ArchiveParams());
  REQUIRE(created.ok());
  Preparer p(created.value()->params());
  std::vector<BatchItem> batch;
  batch.push_back(Item(p, Words(0, 300), "k1"));
  batch.push_back(Item(p, second, "k2"));
  batch.push_back(Item(p, Words(9000, 300), "k3"));
  REQUIRE(created.value()->Ingest(batch, 1).ok());
  return std::move(created.value());
}

}  // namespace

TEST_CASE("Archive: create, reopen, parameters persist", "[store]") {
  std::string dir = FreshDir("params");
  ArchiveParams params;
  params.shingle_size = 4;
  params.num_perms = 64;
  params.near_duplicate_threshold = 0.9;
  {
    auto a = Archive::Create(dir, params);
    REQUIRE(a.ok());
    CHECK(a.value()->params().bands.bands > 0);
  }
  auto again = Archive::Create(dir, ArchiveParams());
  CHECK(again.status().code() == Status::Code::kAlreadyExists);
  auto opened = Archive::Open(dir);
  REQUIRE(opened.ok());
  CHECK(opened.value()->params().shingle_size == 4);
  CHECK(opened.value()->params().num_perms == 64);
  CHECK(opened.value()->params().near_duplicate_threshold == 0.9);
}

TEST_CASE("Archive: opening a missing or foreign archive fails clearly", "[store]") {
  auto missing = Archive::Open(FreshDir("missing"));
  CHECK(missing.status().code() == Status::Code::kNotFound);
  CHECK(missing.status().message().find("newsarc init") != std::string::npos);

  std::string foreign = FreshDir("foreign");
  fs::create_directories(foreign);
  {
    MDB_env* env;
    mdb_env_create(&env);
    REQUIRE(mdb_env_open(env, foreign.c_str(), 0, 0644) == 0);
    mdb_env_close(env);
  }
  auto opened = Archive::Open(foreign);
  CHECK(opened.status().code() == Status::Code::kIncompatible);
}

TEST_CASE("Archive: a newer format version is refused", "[store]") {
  std::string dir = FreshDir("newer");
  REQUIRE(Archive::Create(dir, ArchiveParams()).ok());
  {
    auto env = LmdbEnv::Open(dir, false);
    REQUIRE(env.ok());
    auto txn = Txn::Begin(*env.value(), true);
    REQUIRE(txn.value()->Put(Table::kMeta, "format", RecordWriter().U32(99).data()).ok());
    REQUIRE(txn.value()->Commit().ok());
  }
  auto opened = Archive::Open(dir);
  CHECK(opened.status().code() == Status::Code::kIncompatible);
  CHECK(opened.status().message().find("newer") != std::string::npos);
}

TEST_CASE("Archive: no exact-text table in a new archive, none left in an upgraded format 4 one",
          "[store]") {
  auto has_exact = [](const std::string& dir) {
    auto env = LmdbEnv::Open(dir, false);
    REQUIRE(env.ok());
    auto txn = Txn::Begin(*env.value(), false);
    REQUIRE(txn.ok());
    auto format = ReadFormat(txn.value().get());
    REQUIRE(format.ok());
    return std::make_pair(env.value()->has(Table::kLegacyExact), format.value());
  };
  std::string fresh = FreshDir("no_exact");
  REQUIRE(Archive::Create(fresh, ArchiveParams()).ok());
  CHECK(has_exact(fresh) == std::make_pair(false, kFormatVersion));

  std::string old = FreshDir("format4");
  std::filesystem::create_directories(old);
  std::filesystem::copy_file(std::string(NEWSARC_FIXTURES) + "/archives/format4/data.mdb",
                             old + "/data.mdb");
  CHECK(has_exact(old) == std::make_pair(true, uint32_t{4}));
  REQUIRE(Archive::Open(old).ok());
  CHECK(has_exact(old) == std::make_pair(false, kFormatVersion));
}

TEST_CASE("Archive: ingest classifies within and across batches", "[store]") {
  std::string dir = FreshDir("ingest");
  auto created = Archive::Create(dir, ArchiveParams());
  REQUIRE(created.ok());
  Archive& a = *created.value();
  Preparer p(a.params());
  std::string base = Words(0, 200);
  std::vector<BatchItem> batch;
  batch.push_back(Item(p, base));
  batch.push_back(Item(p, "  " + base + "\n"));              // white space only: duplicate
  batch.push_back(Item(p, base + Words(1000, 10)));          // near-duplicate copy
  batch.push_back(Item(p, Words(0, 170) + Words(500, 30)));  // keyless version, J ~0.7
  batch.push_back(Item(p, Words(2000, 100), "https://e/1"));
  BatchItem bad;
  bad.input = "broken.txt";
  bad.error = Status::InvalidInput("invalid UTF-8");
  batch.push_back(bad);
  auto out = a.Ingest(batch, 1000);
  REQUIRE(out.ok());
  REQUIRE(out->size() == 6);
  CHECK(out.value()[0].verdict == Verdict::kNew);
  CHECK(out.value()[0].entry == EntryRef{1, 1});
  CHECK(out.value()[1].verdict == Verdict::kDuplicate);
  CHECK(out.value()[1].of == EntryRef{1, 1});
  CHECK(out.value()[2].verdict == Verdict::kNearDuplicate);
  CHECK(out.value()[2].entry == EntryRef{1, 2});
  CHECK(out.value()[3].verdict == Verdict::kVersion);
  CHECK(out.value()[3].entry == EntryRef{1, 3});
  CHECK(out.value()[4].verdict == Verdict::kNew);
  CHECK(out.value()[4].entry == EntryRef{2, 1});
  CHECK(out.value()[5].verdict == Verdict::kRejected);
  CHECK(out.value()[5].error == "invalid UTF-8");

  // A second batch: same key with new text is a version of story 2.
  std::vector<BatchItem> second;
  second.push_back(Item(p, Words(3000, 50), "https://e/1"));
  second.push_back(Item(p, Words(2000, 100), "https://e/alias"));  // text known: alias
  auto out2 = a.Ingest(second, 2000);
  REQUIRE(out2.ok());
  CHECK(out2.value()[0].verdict == Verdict::kVersion);
  CHECK(out2.value()[0].entry == EntryRef{2, 2});
  CHECK(out2.value()[1].verdict == Verdict::kDuplicate);
  CHECK(out2.value()[1].of == EntryRef{2, 1});

  auto stats = a.Stats();
  REQUIRE(stats.ok());
  CHECK(stats->stories == 2);
  CHECK(stats->entries == 5);
  CHECK(stats->sightings == 2);
  CHECK(stats->rejects == 1);

  auto info = a.GetEntry({2, 0});
  REQUIRE(info.ok());
  CHECK(info->ref == EntryRef{2, 2});
  CHECK(info->key == "https://e/1");
  CHECK(info->ingest_time == 2000);
  CHECK(a.GetEntry({2, 3}).status().code() == Status::Code::kNotFound);
  CHECK(a.GetEntry({9, 1}).status().code() == Status::Code::kNotFound);
}

TEST_CASE("Archive: FindSimilar ranks stories and honours exclusions", "[store]") {
  // Keyed, so the half-similar second article is a story of its own.
  auto archive = ArchiveWithPair("similar", Words(0, 200) + Words(5000, 100));
  Archive& a = *archive;
  auto sig = a.GetSignature({1, 1});
  REQUIRE(sig.ok());
  auto all = a.FindSimilar(sig.value(), 0.3);
  REQUIRE(all.ok());
  REQUIRE(all->size() == 2);
  CHECK(all.value()[0].entry == EntryRef{1, 1});
  CHECK(all.value()[0].similarity == 1.0);
  CHECK(all.value()[1].entry == EntryRef{2, 1});
  CHECK(all.value()[1].similarity == Approx(0.5).margin(0.15));
  auto others = a.FindSimilar(sig.value(), 0.3, /*exclude_story=*/1);
  REQUIRE(others->size() == 1);
  CHECK(others.value()[0].entry.story == 2);
  CHECK(a.FindSimilar(sig.value(), 0.9, 1)->empty());
}

TEST_CASE("Archive: the map grows when a batch does not fit", "[store]") {
  std::string dir = FreshDir("grow");
  OpenOptions tiny;
  tiny.initial_map_bytes = 256 * 1024;  // the batch below needs about 2 MB
  auto created = Archive::Create(dir, ArchiveParams(), tiny);
  REQUIRE(created.ok());
  Archive& a = *created.value();
  Preparer p(a.params());
  std::vector<BatchItem> batch;
  for (int i = 0; i < 300; ++i) batch.push_back(Item(p, Words(i * 1000, 400)));
  auto out = a.Ingest(batch, 1);
  REQUIRE(out.ok());
  CHECK(out->size() == 300);
  CHECK(out->back().entry == EntryRef{300, 1});
  created.value().reset();
  auto reopened = Archive::Open(dir, tiny);  // smaller than the file: LMDB adopts its size
  REQUIRE(reopened.ok());
  CHECK(reopened.value()->Stats()->entries == 300);
}

TEST_CASE("Records: entry round trip and truncation is corruption", "[store]") {
  EntryInfo e;
  e.verdict = Verdict::kVersion;
  e.of = {3, 2};
  e.similarity = 0.75;
  e.ingest_time = 123;
  e.raw_size = 456;
  e.key = "https://e/ü";
  e.title = "Titel";
  std::string enc = EncodeEntry(e);
  auto back = DecodeEntry({3, 3}, enc);
  REQUIRE(back.ok());
  CHECK(back->of == EntryRef{3, 2});
  CHECK(back->key == "https://e/ü");
  CHECK(back->title == "Titel");
  CHECK(back->ref == EntryRef{3, 3});
  CHECK(DecodeEntry({3, 3}, enc.substr(0, enc.size() - 1)).status().code() ==
        Status::Code::kCorruption);
  CHECK(DecodeEntryKey(EntryKey({0x0102030405060708ULL, 9})) == EntryRef{0x0102030405060708ULL, 9});
  CHECK(EntryKey({1, 2}) < EntryKey({1, 10}));  // big-endian keys sort numerically
  CHECK(ParseEntryRef("12@3") == EntryRef{12, 3});
  CHECK(ParseEntryRef("12") == EntryRef{12, 0});
  CHECK_FALSE(ParseEntryRef("x").has_value());
  CHECK_FALSE(ParseEntryRef("0").has_value());
  CHECK_FALSE(ParseEntryRef("3@").has_value());
}

TEST_CASE("Archive: below the version threshold FindSimilar scans every signature", "[store]") {
  // J ~0.2: banding (42 x 3) finds such a pair only ~29% of the time.
  auto archive = ArchiveWithPair("scan", Words(0, 100) + Words(7000, 200));
  Archive& a = *archive;
  auto sig = a.GetSignature({1, 1});
  auto low = a.FindSimilar(sig.value(), 0.05, 1);
  REQUIRE(low.ok());
  REQUIRE(low->size() == 1);
  CHECK(low.value()[0].entry == EntryRef{2, 1});
  CHECK(low.value()[0].similarity == Approx(0.2).margin(0.1));
  CHECK(a.FindSimilar(sig.value(), 0.0, 1)->size() == 2);  // threshold 0: every other story
}
