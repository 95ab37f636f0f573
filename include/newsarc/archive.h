// Archive: the facade over one newsarc archive directory (an LMDB environment).
//
// An archive holds stories. A story is a numbered list of entries: its first
// article (`new`), later `version`s of it and `near-duplicate` copies of it,
// numbered 1, 2, ... in ingest order ("STORY@N"). Exact duplicates are not
// stored again; they are recorded as sightings of the entry they repeat.
//
// Writes happen in batches: Ingest() classifies and stores a whole batch in
// one LMDB write transaction, so a crash leaves the archive as of the last
// committed batch. One process writes at a time (LMDB's writer lock); any
// number may read. An Archive object is not thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "newsarc/params.h"
#include "newsarc/prepare.h"
#include "newsarc/status.h"

namespace newsarc {

enum class Verdict { kNew, kDuplicate, kNearDuplicate, kVersion, kRejected };

// "new", "duplicate", "near-duplicate", "version", "rejected".
const char* VerdictName(Verdict v);

struct EntryRef {
  uint64_t story = 0;  // 0: none
  uint32_t version = 0;
  bool valid() const { return story != 0; }
  bool operator==(const EntryRef&) const = default;
};

// "12@3"; and its inverse ("12" gives version 0: the latest).
std::string FormatEntryRef(EntryRef ref);
std::optional<EntryRef> ParseEntryRef(std::string_view text);

struct Match {
  EntryRef entry;
  double similarity = 0;
};

// One input of a batch: a prepared article, or an input that was rejected
// before it reached the archive (it is still recorded, for `stats`).
struct BatchItem {
  std::string input;
  Status error;  // not ok: rejected
  PreparedArticle prepared;
};

// A batch's band keys, sorted, with the candidates Archive::Prefetch found
// for them (src/batch_bands.h; opaque here).
struct BatchBands;

class TextDictionary;  // a zstd dictionary for texts (src/codec.h; opaque here)

// What happened to one batch item.
struct Outcome {
  std::string input;
  Verdict verdict = Verdict::kNew;
  EntryRef entry;         // where the article now is (for a duplicate: what it repeats)
  EntryRef of;            // the entry it matched; invalid for new and rejected
  double similarity = 0;  // estimated Jaccard to `of`
  std::string error;      // the reason, for rejected
};

// Metadata of a stored entry.
struct EntryInfo {
  EntryRef ref;
  Verdict verdict = Verdict::kNew;
  EntryRef of;
  double similarity = 0;
  uint64_t ingest_time = 0;  // seconds since the epoch
  uint64_t seq = 0;          // ingest order over the whole archive, from 1 (0: unknown)
  uint32_t raw_size = 0;
  uint32_t word_count = 0;
  uint64_t checksum = 0;
  Hash128 exact_key;
  std::string key, input, source, title, date;
};

struct ArchiveStats {
  uint64_t stories = 0;
  uint64_t entries = 0;    // versions and copies, firsts included
  uint64_t versions = 0;   // entries that are versions
  uint64_t copies = 0;     // entries that are near-duplicate copies
  uint64_t sightings = 0;  // duplicates seen
  uint64_t rejects = 0;
  uint64_t text_raw_bytes = 0;     // all stored texts as ingested
  uint64_t text_stored_bytes = 0;  // what they take compressed, deltas included
  uint64_t delta_texts = 0;        // texts stored as deltas
  uint64_t dictionary_texts = 0;   // texts compressed with the text dictionary
  uint64_t dictionary_bytes = 0;   // its size (0: none yet)
  uint64_t file_bytes = 0;         // the data file on disk
};

// What `check` found. `problems` name the place ("story 3 version 2: ...");
// at most kMaxProblems are listed, `problem_count` counts them all.
struct CheckReport {
  static constexpr size_t kMaxProblems = 100;
  uint64_t stories = 0, entries = 0, texts = 0, text_bytes = 0, band_entries = 0;
  uint64_t problem_count = 0;
  std::vector<std::string> problems;
  bool ok() const { return problem_count == 0; }
};

struct OpenOptions {
  // Initial size of the memory map; it doubles whenever a batch fills it.
  size_t initial_map_bytes = size_t{1} << 30;
  // Open to write: take the archive's writer lock for the Archive's
  // lifetime, so that one process writes at a time. Readers never lock.
  bool for_writing = false;
  // How long to wait for another writer: < 0 as long as it takes, 0 not at
  // all. Open returns Busy when the wait runs out.
  double wait_seconds = -1;
  // Called once, with who holds the lock, when Open has to wait.
  std::function<void(const std::string& holder)> on_wait;
  // Soft limit on the process's resident memory during Ingest and Prefetch,
  // in bytes; 0: none. Past it, the archive's pages mapped into the process
  // are unmapped; they stay in the kernel's page cache. Without a limit a
  // long ingest into a large archive maps most of the file (2.1 GB resident
  // for a 1.7 GB archive); with one it runs about 10 % slower there.
  uint64_t resident_limit = 0;
};

class Archive {
 public:
  // Creates a new archive in `dir` (made if missing). AlreadyExists when
  // `dir` already holds one. `params` are finalized and stored.
  static Result<std::unique_ptr<Archive>> Create(const std::string& dir, ArchiveParams params,
                                                 const OpenOptions& options = {});
  // Opens an existing archive. NotFound when `dir` holds none; Incompatible
  // when it is not a newsarc archive or has a newer format version; Busy
  // when opening for writing and another process kept writing too long.
  static Result<std::unique_ptr<Archive>> Open(const std::string& dir,
                                               const OpenOptions& options = {});
  ~Archive();

  const ArchiveParams& params() const { return params_; }

  // Classifies every item in order (each sees the ones before it) and
  // stores the batch in one transaction, growing the map when it fills.
  // On error nothing of the batch is stored. `now`: seconds since the epoch.
  // `prefetched`: what Prefetch found for this batch, if it was called.
  Result<std::vector<Outcome>> Ingest(const std::vector<BatchItem>& batch, uint64_t now,
                                      std::shared_ptr<const BatchBands> prefetched = nullptr);

  // Sorts the band keys of a batch and looks up its candidates in the last
  // committed snapshot, so that Ingest only adds what was written since.
  // May run on another thread while Ingest writes (the one exception to
  // "not thread-safe"); the outcome of Ingest is the same with or without
  // it.
  Result<std::shared_ptr<const BatchBands>> Prefetch(const std::vector<BatchItem>& batch);

  // The number of stored entries (constant time).
  Result<uint64_t> EntryCount();

  // The archive's text dictionary. When it has none, one is trained on its
  // first stored texts and then `upcoming` (texts about to be ingested), up
  // to kDictionarySamples in all, and stored; still none (null) while that
  // is too little text to train on. Give it to Preparer::set_dictionary.
  static constexpr size_t kDictionarySamples = 1000;
  Result<std::shared_ptr<const TextDictionary>> TextDictionaryFor(
      const std::vector<std::string_view>& upcoming);

  // Stored entries similar to `signature` with estimated Jaccard >=
  // `threshold`, best entry per story, best first; entries of
  // `exclude_story` left out. At or above the archive's version threshold
  // the band index finds the candidates (>= 99% of pairs at that threshold);
  // below it every stored signature is compared, which is exact but O(n).
  // With the query's `shingles`, entries whose estimate is within 0.1 of
  // `threshold` are decided (and reported) on their exact Jaccard index.
  Result<std::vector<Match>> FindSimilar(const Signature& signature, double threshold,
                                         uint64_t exclude_story = 0,
                                         const std::vector<uint64_t>* shingles = nullptr);

  // Entry metadata; NotFound for an unknown story or version. Version 0
  // means the story's latest entry.
  Result<EntryInfo> GetEntry(EntryRef ref);
  Result<Signature> GetSignature(EntryRef ref);
  // The shingle hashes of an entry's text (see BodyShingles).
  Result<std::vector<uint64_t>> GetShingles(EntryRef ref);
  // The entries of a story in version order; NotFound for an unknown story.
  Result<std::vector<EntryInfo>> ListEntries(uint64_t story);
  // The bytes of an entry exactly as ingested (version 0: the latest).
  // Corruption, naming the entry, when the stored text is damaged.
  Result<std::string> GetText(EntryRef ref);
  // Calls fn for every entry with its text, in ingest order, all from one
  // snapshot of the archive; stops at the first error fn returns.
  Status ForEachEntry(const std::function<Status(const EntryInfo&, const std::string&)>& fn);
  Result<ArchiveStats> Stats();
  // Reads everything: decompresses every text, verifies every checksum and
  // the cross-references of the tables. An error status only when the
  // archive could not be read at all; damage goes into the report.
  Result<CheckReport> Check();

 private:
  struct Impl;
  Archive(std::unique_ptr<Impl> impl, ArchiveParams params);
  std::unique_ptr<Impl> impl_;
  ArchiveParams params_;
};

}  // namespace newsarc
