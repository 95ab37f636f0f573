#include "classify.h"

#include <catch2/catch.hpp>
#include <map>

using namespace newsarc;

namespace {

// An in-memory ArchiveIndex: what the archive "holds" is set by each test.
class FakeIndex : public ArchiveIndex {
 public:
  std::map<std::string, KeyRecord> keys;
  std::map<std::pair<uint64_t, uint32_t>, EntryInfo> entries;  // by story, version
  std::vector<Match> candidates;
  std::map<uint64_t, Signature> signatures;            // by story
  std::map<uint64_t, std::vector<uint64_t>> shingles;  // by story

  Result<std::optional<KeyRecord>> FindKey(std::string_view key) override {
    auto it = keys.find(std::string(key));
    return it == keys.end() ? std::optional<KeyRecord>() : std::optional<KeyRecord>(it->second);
  }
  Result<EntryInfo> EntryOf(EntryRef e) override {
    auto it = entries.find({e.story, e.version});
    if (it == entries.end()) return Status::NotFound("no entry " + FormatEntryRef(e));
    return it->second;
  }

  // A stored entry with this normalized text and sequence, among the
  // candidates as its signature makes it: equal to the article's (1.0) for
  // an equal text, and for some different ones.
  void Store(EntryRef ref, Hash128 exact_key, uint64_t seq, double similarity = 1.0) {
    EntryInfo e;
    e.ref = ref;
    e.exact_key = exact_key;
    e.seq = seq;
    entries[{ref.story, ref.version}] = e;
    candidates.push_back({ref, similarity});
  }
  Result<Signature> SignatureOf(EntryRef e) override { return signatures.at(e.story); }
  Result<std::vector<Match>> Candidates(const PreparedArticle&) override { return candidates; }
  Result<std::vector<uint64_t>> ShinglesOf(EntryRef e) override {
    auto it = shingles.find(e.story);
    if (it == shingles.end()) return Status::NotFound("no shingles for " + FormatEntryRef(e));
    return it->second;
  }
};

// Shingles 1..n: two such sets have exact Jaccard min(n, m) / max(n, m).
std::vector<uint64_t> Range(uint64_t n) {
  std::vector<uint64_t> v(n);
  for (uint64_t i = 0; i < n; ++i) v[i] = i + 1;
  return v;
}

PreparedArticle Incoming(std::string key, Hash128 exact) {
  PreparedArticle a;
  a.article.key = std::move(key);
  a.exact_key = exact;
  a.signature = Signature(128, 1);
  a.shingles = Range(20);
  return a;
}

ArchiveParams Defaults() {
  ArchiveParams p;
  REQUIRE(p.Finalize().ok());
  return p;
}

}  // namespace

TEST_CASE("Classify: nothing similar is new", "[classify]") {
  FakeIndex index;
  index.candidates = {{{3, 1}, 0.2}};
  auto d = Classify(Incoming("", {1, 1}), Defaults(), index);
  REQUIRE(d.ok());
  CHECK(d->verdict == Verdict::kNew);
  CHECK_FALSE(d->of.valid());
}

TEST_CASE("Classify: same normalized text is a duplicate", "[classify]") {
  FakeIndex index;
  index.Store({4, 2}, {7, 7}, 10);
  auto d = Classify(Incoming("", {7, 7}), Defaults(), index);
  CHECK(d->verdict == Verdict::kDuplicate);
  CHECK(d->of == EntryRef{4, 2});
}

TEST_CASE("Classify: of several entries with the text, the first stored is the original",
          "[classify]") {
  FakeIndex index;
  index.Store({4, 2}, {7, 7}, 20);
  index.Store({6, 1}, {7, 7}, 5);  // a version of another story that took the same text
  index.Store({2, 1}, {7, 8}, 1);  // the same signature, another text
  auto d = Classify(Incoming("", {7, 7}), Defaults(), index);
  CHECK(d->verdict == Verdict::kDuplicate);
  CHECK(d->of == EntryRef{6, 1});
}

TEST_CASE("Classify: an equal signature with another text is a copy, not a duplicate",
          "[classify]") {
  FakeIndex index;
  index.Store({4, 2}, {6, 6}, 10);
  auto d = Classify(Incoming("", {7, 7}), Defaults(), index);
  CHECK(d->verdict == Verdict::kNearDuplicate);
  CHECK(d->of == EntryRef{4, 2});
  CHECK(d->similarity == 1.0);
}

TEST_CASE("Classify: a known key with the same text is a duplicate", "[classify]") {
  FakeIndex index;
  index.keys["https://x/a"] = {{5, 3}, {9, 9}};
  auto d = Classify(Incoming("https://x/a", {9, 9}), Defaults(), index);
  CHECK(d->verdict == Verdict::kDuplicate);
  CHECK(d->of == EntryRef{5, 3});
}

TEST_CASE("Classify: a known key with new text is a version whatever its similarity",
          "[classify]") {
  FakeIndex index;
  index.keys["https://x/a"] = {{5, 3}, {9, 9}};
  index.signatures[5] = Signature(128, 2);  // shares nothing with the article
  index.Store({1, 1}, {8, 8}, 1);           // even if its text is elsewhere
  auto d = Classify(Incoming("https://x/a", {8, 8}), Defaults(), index);
  CHECK(d->verdict == Verdict::kVersion);
  CHECK(d->of == EntryRef{5, 3});
  CHECK(d->similarity == 0.0);
}

TEST_CASE("Classify: a known key with an earlier text of its story is a duplicate of it",
          "[classify]") {
  FakeIndex index;
  index.keys["https://x/a"] = {{5, 3}, {9, 9}};  // last seen: 5@3
  index.Store({5, 1}, {8, 8}, 4);                // the text of 5@1, same story
  auto d = Classify(Incoming("https://x/a", {8, 8}), Defaults(), index);
  CHECK(d->verdict == Verdict::kDuplicate);
  CHECK(d->of == EntryRef{5, 1});
}

TEST_CASE("Classify: best match above the near-duplicate threshold joins as a copy", "[classify]") {
  FakeIndex index;
  index.candidates = {{{2, 1}, 0.6}, {{3, 1}, 0.9}, {{4, 1}, 0.85}};
  index.shingles[3] = Range(18);  // exact 0.90
  index.shingles[4] = Range(17);  // exact 0.85
  for (std::string key : {"", "https://x/new"}) {
    auto d = Classify(Incoming(key, {1, 2}), Defaults(), index);
    CHECK(d->verdict == Verdict::kNearDuplicate);
    CHECK(d->of == EntryRef{3, 1});
    CHECK(d->similarity == 0.9);
  }
}

TEST_CASE("Classify: near the near-duplicate threshold the exact similarity decides",
          "[classify]") {
  FakeIndex index;
  // Estimates that would decide wrongly: 3@1 looks below 0.8 but is 0.85;
  // 4@1 looks above it but is 0.75.
  index.candidates = {{{3, 1}, 0.78}, {{4, 1}, 0.83}};
  index.shingles[3] = Range(17);
  index.shingles[4] = Range(15);
  auto d = Classify(Incoming("", {1, 2}), Defaults(), index);
  REQUIRE(d.ok());
  CHECK(d->verdict == Verdict::kNearDuplicate);
  CHECK(d->of == EntryRef{3, 1});
  CHECK(d->similarity == 0.85);

  index.candidates = {{{4, 1}, 0.83}};
  d = Classify(Incoming("", {1, 2}), Defaults(), index);
  REQUIRE(d.ok());
  CHECK(d->verdict == Verdict::kVersion);  // exact 0.75: a keyless version, not a copy
  CHECK(d->similarity == 0.75);

  // Far from the threshold the estimate stands: no text is read.
  index.candidates = {{{9, 1}, 0.95}};
  d = Classify(Incoming("", {1, 2}), Defaults(), index);
  REQUIRE(d.ok());
  CHECK(d->verdict == Verdict::kNearDuplicate);
  CHECK(d->similarity == 0.95);
}

TEST_CASE("Classify: between thresholds, keyless is a version, keyed is new", "[classify]") {
  FakeIndex index;
  index.candidates = {{{6, 2}, 0.65}};
  auto keyless = Classify(Incoming("", {1, 2}), Defaults(), index);
  CHECK(keyless->verdict == Verdict::kVersion);
  CHECK(keyless->of == EntryRef{6, 2});
  auto keyed = Classify(Incoming("https://x/other", {1, 2}), Defaults(), index);
  CHECK(keyed->verdict == Verdict::kNew);
}

TEST_CASE("BestMatch: ties go to the oldest story, independent of order", "[classify]") {
  std::vector<Match> m{{{9, 1}, 0.7}, {{2, 3}, 0.7}, {{2, 1}, 0.7}, {{5, 1}, 0.5}};
  CHECK(BestMatch(m)->entry == EntryRef{2, 1});
  std::reverse(m.begin(), m.end());
  CHECK(BestMatch(m)->entry == EntryRef{2, 1});
  CHECK_FALSE(BestMatch({}).has_value());
}
