// Tests of the revision store: exact round trips, delta chains, damage.
#include "version_store.h"

#include <unistd.h>
#include <xxhash.h>
#include <zstd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "codec.h"
#include "newsarc/archive.h"
#include "store.h"
#include "test_dir.h"
#include "test_items.h"

using namespace newsarc;
namespace fs = std::filesystem;

namespace {

std::string ReadFixture(const std::string& rel) {
  std::ifstream in(std::string(NEWSARC_FIXTURES) + "/" + rel, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const std::string& Seed() {
  static const std::string text = ReadFixture("seeds/000_72acb853734a966a.txt");
  return text;
}

// Revision i of the seed: the sentence after the i-th full stop gets a new
// clause and a sentence is appended, as an editor updating a story would.
std::string Revision(int i) {
  std::string text = Seed();
  size_t at = 0;
  for (int k = 0; k <= i % 20; ++k) {
    size_t next = text.find(". ", at + 1);
    if (next == std::string::npos) break;
    at = next;
  }
  text.insert(at, ", wie die Redaktion in Fassung " + std::to_string(i) + " ergänzte");
  for (int k = 1; k <= i; ++k) {
    text += "\nAktualisierung " + std::to_string(k) + ": Die Lage bleibt unübersichtlich.";
  }
  return text;
}

struct Fixture {
  std::string dir;
  std::unique_ptr<Archive> archive;

  explicit Fixture(const std::string& name) {
    dir = testing::FreshDir("version_test", name).string();
    auto created = Archive::Create(dir, ArchiveParams());
    REQUIRE(created.ok());
    archive = std::move(created.value());
  }

  ~Fixture() {
    archive.reset();
    std::error_code ec;
    fs::remove_all(dir, ec);
  }

  // Ingests revisions [from, to) under one key, `per_batch` per batch.
  void IngestRevisions(int from, int to, int per_batch) {
    Preparer p(archive->params());
    std::vector<BatchItem> batch;
    for (int i = from; i < to; ++i) {
      Article a;
      a.input = "rev" + std::to_string(i);
      a.key = "https://example.org/story";
      a.text = Revision(i);
      batch.push_back(testing::PreparedItem(p, std::move(a)));
      if (static_cast<int>(batch.size()) == per_batch || i + 1 == to) {
        REQUIRE(archive->Ingest(batch, 1000 + i).ok());
        batch.clear();
      }
    }
  }

  TextRecord Record(EntryRef ref) {
    auto env = LmdbEnv::Open(dir, false);
    REQUIRE(env.ok());
    auto txn = Txn::Begin(*env.value(), false);
    REQUIRE(txn.ok());
    auto rec = VersionStore(txn.value().get()).Record(ref);
    REQUIRE(rec.ok());
    TextRecord out = rec.value();
    out.frame = {};  // points into the transaction
    return out;
  }
};

}  // namespace

TEST_CASE("Codec: a delta decodes only with its reference", "[versions]") {
  std::string base = Revision(0), next = Revision(1);
  std::string delta = CompressDelta(next, base);
  CHECK(delta.size() < CompressText(next).size() / 4);
  auto back = DecompressText(delta, next.size(), base);
  REQUIRE(back.ok());
  CHECK(back.value() == next);
  CHECK(!DecompressText(delta, next.size()).ok());
}

TEST_CASE("VersionStore: every revision reads back byte-identical, also after reopening",
          "[versions]") {
  Fixture f("roundtrip");
  f.IngestRevisions(0, 12, 5);  // references inside a batch and across batches
  for (int round = 0; round < 2; ++round) {
    for (uint32_t v = 1; v <= 12; ++v) {
      auto text = f.archive->GetText({1, v});
      REQUIRE(text.ok());
      CHECK(text.value() == Revision(static_cast<int>(v) - 1));
    }
    auto reopened = Archive::Open(f.dir);
    REQUIRE(reopened.ok());
    f.archive = std::move(reopened.value());
  }
  auto latest = f.archive->GetText({1, 0});
  REQUIRE(latest.ok());
  CHECK(latest.value() == Revision(11));
  CHECK(f.archive->GetText({1, 13}).status().code() == Status::Code::kNotFound);
}

TEST_CASE("VersionStore: later versions are deltas, chains are cut at kMaxChain", "[versions]") {
  Fixture f("chain");
  const int n = VersionStore::kMaxChain + 3;
  f.IngestRevisions(0, n, 8);
  CHECK(f.Record({1, 1}).codec == kCodecZstd);
  for (uint32_t v = 2; v <= static_cast<uint32_t>(n); ++v) {
    TextRecord rec = f.Record({1, v});
    INFO("version " << v);
    CHECK(rec.depth < VersionStore::kMaxChain);
    if (v == VersionStore::kMaxChain + 1) {
      CHECK(rec.codec == kCodecZstd);  // the chain 1..32 is full
    } else {
      CHECK(rec.codec == kCodecZstdDelta);
      CHECK(rec.reference == v - 1);
    }
  }
  auto text = f.archive->GetText({1, static_cast<uint32_t>(n)});
  REQUIRE(text.ok());
  CHECK(text.value() == Revision(n - 1));
}

TEST_CASE("VersionStore: a 20-revision chain costs little more than its first version",
          "[versions]") {
  Fixture f("size");
  f.IngestRevisions(0, 20, 20);
  auto stats = f.archive->Stats();
  REQUIRE(stats.ok());
  CHECK(stats->entries == 20);
  CHECK(stats->delta_texts == 19);
  size_t first_alone = CompressText(Revision(0)).size();
  // The exact figure is in docs/benchmarks.md; this bound is generous.
  CHECK(stats->text_stored_bytes < 2 * first_alone);
  CHECK(stats->text_raw_bytes > 20 * Seed().size());
}

TEST_CASE("VersionStore: a damaged text is an error naming the entry, and check finds it",
          "[versions]") {
  Fixture f("damage");
  f.IngestRevisions(0, 3, 3);
  auto good = f.archive->Check();
  REQUIRE(good.ok());
  CHECK(good->ok());
  CHECK(good->entries == 3);
  CHECK(good->texts == 3);
  f.archive.reset();
  {
    auto env = LmdbEnv::Open(f.dir, false);
    REQUIRE(env.ok());
    auto txn = Txn::Begin(*env.value(), true);
    REQUIRE(txn.ok());
    auto v = txn.value()->Get(Table::kTexts, EntryKey({1, 2}));
    REQUIRE(v.ok());
    REQUIRE(v.value());
    std::string damaged(*v.value());
    damaged[damaged.size() - 3] ^= 0x20;
    REQUIRE(txn.value()->Put(Table::kTexts, EntryKey({1, 2}), damaged).ok());
    REQUIRE(txn.value()->Commit().ok());
  }
  auto opened = Archive::Open(f.dir);
  REQUIRE(opened.ok());
  auto text = opened.value()->GetText({1, 2});
  CHECK(text.status().code() == Status::Code::kCorruption);
  CHECK_THAT(text.status().message(), Catch::Contains("story 1 version 2"));
  CHECK(opened.value()->GetText({1, 1}).ok());
  auto report = opened.value()->Check();
  REQUIRE(report.ok());
  CHECK(!report->ok());
  REQUIRE(!report->problems.empty());
  CHECK_THAT(report->problems[0], Catch::Contains("story 1 version 2"));
}

TEST_CASE("Archive: ForEachEntry visits entries in ingest order with their texts", "[versions]") {
  Fixture f("order");
  f.IngestRevisions(0, 4, 2);
  std::vector<uint32_t> versions;
  Status st = f.archive->ForEachEntry([&](const EntryInfo& e, const std::string& text) {
    versions.push_back(e.ref.version);
    CHECK(text == Revision(static_cast<int>(e.ref.version) - 1));
    CHECK(e.seq == e.ref.version);
    return Status::Ok();
  });
  REQUIRE(st.ok());
  CHECK(versions == std::vector<uint32_t>{1, 2, 3, 4});
  auto listed = f.archive->ListEntries(1);
  REQUIRE(listed.ok());
  CHECK(listed->size() == 4);
  CHECK(listed->back().verdict == Verdict::kVersion);
  CHECK(f.archive->ListEntries(2).status().code() == Status::Code::kNotFound);
}

TEST_CASE("Records: text record headers round-trip and reject bad references", "[versions]") {
  TextRecord t;
  t.codec = kCodecZstdDelta;
  t.depth = 31;
  t.version = 300;
  t.reference = 299;
  t.frame = "frame";
  std::string encoded = EncodeText(t);
  // codec and depth, then a 1-byte distance: 2 bytes of header.
  CHECK(encoded.size() == 2 + 5);
  auto back = DecodeText(encoded, 300);
  REQUIRE(back.ok());
  CHECK(back->codec == kCodecZstdDelta);
  CHECK(back->depth == 31);
  CHECK(back->reference == 299);
  CHECK(back->frame == "frame");
  // The same bytes under version 1 would refer to version 0: refused.
  CHECK(DecodeText(encoded, 1).status().code() == Status::Code::kCorruption);
  CHECK(!DecodeText(encoded.substr(0, 1), 300).ok());
  std::string unknown = encoded;
  unknown[0] = 7;
  CHECK(!DecodeText(unknown, 300).ok());
}

TEST_CASE("VersionStore: texts of a format 1 archive still read", "[versions]") {
  Fixture f("format1");
  f.IngestRevisions(0, 1, 1);
  f.archive.reset();
  const std::string text = Revision(0);
  {
    // Rewrite the text as newsarc 0.1 stored it: codec 1, u32 size,
    // checksum, a complete zstd frame (the upgrade to format 3 keeps texts
    // as they are; archive_test.cc upgrades real format 1 archives).
    auto env = LmdbEnv::Open(f.dir, false);
    REQUIRE(env.ok());
    auto txn = Txn::Begin(*env.value(), true);
    REQUIRE(txn.ok());
    std::string frame(ZSTD_compressBound(text.size()), '\0');
    frame.resize(ZSTD_compress(frame.data(), frame.size(), text.data(), text.size(), 3));
    std::string legacy = RecordWriter()
                             .U8(kCodecZstdFormat1)
                             .U32(static_cast<uint32_t>(text.size()))
                             .U64(XXH3_64bits(text.data(), text.size()))
                             .Raw(frame)
                             .data();
    REQUIRE(txn.value()->Put(Table::kTexts, EntryKey({1, 1}), legacy).ok());
    REQUIRE(txn.value()->Commit().ok());
  }
  auto opened = Archive::Open(f.dir);
  REQUIRE(opened.ok());
  auto back = opened.value()->GetText({1, 1});
  REQUIRE(back.ok());
  CHECK(back.value() == text);
  auto report = opened.value()->Check();
  REQUIRE(report.ok());
  CHECK(report->ok());
}

namespace {

// Article i of a made-up newswire: random words, a few stock phrases, so
// that articles have little in common but a dictionary can learn a lot.
std::string WireArticle(int i) {
  static const char* kPhrases[] = {
      "Die Polizei teilte am Abend mit, ", "Wie ein Sprecher der Stadtverwaltung sagte, ",
      "Nach Angaben der Nachrichtenagentur dpa ", "Die Bundesregierung hat angekündigt, "};
  uint64_t x = 0x9e3779b97f4a7c15ull * static_cast<uint64_t>(i + 1);
  auto next = [&x] {
    x ^= x >> 12, x ^= x << 25, x ^= x >> 27;
    return x * 0x2545f4914f6cdd1dull;
  };
  std::string text = "Meldung " + std::to_string(i) + "\n\n";
  for (int w = 0; w < 300; ++w) {
    if (w % 40 == 0) text += kPhrases[next() % 4];
    text += "wort" + std::to_string(next() % 5000) + (w % 15 == 14 ? ". " : " ");
  }
  return text;
}

void IngestTexts(Archive& archive, const Preparer& p, int from, int to) {
  std::vector<BatchItem> batch;
  for (int i = from; i < to; ++i) {
    Article a;
    a.input = "wire" + std::to_string(i);
    a.text = WireArticle(i);
    batch.push_back(testing::PreparedItem(p, std::move(a)));
  }
  auto out = archive.Ingest(batch, 1);
  REQUIRE(out.ok());
  for (const Outcome& o : out.value()) REQUIRE(o.verdict == Verdict::kNew);
}

}  // namespace

TEST_CASE("TextDictionary: smaller frames, that decode only with the dictionary", "[versions]") {
  std::vector<std::string> texts;
  for (int i = 0; i < 150; ++i) texts.push_back(WireArticle(i));
  std::vector<std::string_view> samples(texts.begin(), texts.end());
  CHECK(!TextDictionary::Train({samples.begin(), samples.begin() + 50}));  // too few
  auto trained = TextDictionary::Train(samples);
  REQUIRE(trained);
  CHECK(TextDictionary::Train(samples) == trained);  // deterministic
  auto dict = TextDictionary::Load(*trained);
  REQUIRE(dict.ok());
  std::string unseen = WireArticle(1000);
  std::string with = CompressText(unseen, dict.value().get());
  CHECK(with.size() * 10 < CompressText(unseen).size() * 9);
  auto back = DecompressText(with, unseen.size(), {}, false, dict.value().get());
  REQUIRE(back.ok());
  CHECK(back.value() == unseen);
  CHECK(!DecompressText(with, unseen.size()).ok());
  CHECK(TextDictionary::Load("not a dictionary").status().code() == Status::Code::kCorruption);
}

TEST_CASE("Archive: a text dictionary once there is enough text, older texts still read",
          "[versions]") {
  Fixture f("dictionary");
  Preparer p(f.archive->params());
  IngestTexts(*f.archive, p, 0, 60);
  auto none = f.archive->TextDictionaryFor({});
  REQUIRE(none.ok());
  CHECK(none.value() == nullptr);  // 60 articles: too few
  IngestTexts(*f.archive, p, 60, 120);
  std::vector<std::string> upcoming;
  for (int i = 120; i < 140; ++i) upcoming.push_back(WireArticle(i));
  auto dict = f.archive->TextDictionaryFor({upcoming.begin(), upcoming.end()});
  REQUIRE(dict.ok());
  REQUIRE(dict.value() != nullptr);
  auto again = f.archive->TextDictionaryFor({});  // the stored one, not a new one
  REQUIRE(again.ok());
  CHECK(again.value()->bytes() == dict.value()->bytes());
  p.set_dictionary(dict.value());
  IngestTexts(*f.archive, p, 120, 160);

  auto stats = f.archive->Stats();
  REQUIRE(stats.ok());
  CHECK(stats->dictionary_texts == 40);
  CHECK(stats->dictionary_bytes == dict.value()->bytes().size());
  CHECK(f.Record({1, 1}).codec == kCodecZstd);
  CHECK(f.Record({121, 1}).codec == kCodecZstdDict);
  for (uint64_t story : {1, 120, 121, 160}) {
    auto text = f.archive->GetText({story, 1});
    REQUIRE(text.ok());
    CHECK(text.value() == WireArticle(static_cast<int>(story) - 1));
  }
  auto report = f.archive->Check();
  REQUIRE(report.ok());
  CHECK(report->ok());

  // A damaged dictionary: the texts that need it are errors naming them.
  f.archive.reset();
  {
    auto env = LmdbEnv::Open(f.dir, false);
    REQUIRE(env.ok());
    auto txn = Txn::Begin(*env.value(), true);
    REQUIRE(txn.ok());
    REQUIRE(txn.value()->Put(Table::kMeta, kDictionaryKey, "garbage").ok());
    REQUIRE(txn.value()->Commit().ok());
  }
  auto opened = Archive::Open(f.dir);
  REQUIRE(opened.ok());
  CHECK(opened.value()->GetText({1, 1}).ok());
  auto text = opened.value()->GetText({130, 1});
  CHECK(text.status().code() == Status::Code::kCorruption);
  CHECK_THAT(text.status().message(), Catch::Contains("story 130 version 1"));
  auto damaged = opened.value()->Check();
  REQUIRE(damaged.ok());
  CHECK(damaged->problem_count == 40);
}
