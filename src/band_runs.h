// BandRuns: the LSH band index (format 3), kept as sorted runs.
//
// A B-tree with one key per (entry, band) slows ingest down as the archive
// grows: each batch inserts 42 random keys per article into pages all over
// the table, so a batch rewrites most of it. Instead, each batch writes its
// band keys as one sorted run; a new run absorbs the newest runs that are
// not larger than it (a binary counter), so there are O(log n) runs and a
// posting is rewritten O(log n) times, always sequentially, at the end of
// the table. Lookups search every run.
//
// A run is stored in chunks of up to kChunkPostings postings, keyed by run,
// band and the chunk's first hash (records.h: BandChunkKey): a lookup is a
// B-tree seek and a binary search, and a sorted batch of lookups reuses the
// chunk it is in. The list of runs is the meta record "runs".
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "newsarc/status.h"
#include "store.h"

namespace newsarc {

// One band key of one entry: `key` as BandKeys() makes it (band << 32 |
// hash), `seq` the entry's sequence number.
struct BandPosting {
  uint64_t key;
  uint32_t seq;
  bool operator<(const BandPosting& o) const { return key != o.key ? key < o.key : seq < o.seq; }
  bool operator==(const BandPosting&) const = default;
};

// A band key to look up, and who asked (an index into the caller's items).
struct BandQuery {
  uint64_t key;
  uint32_t item;
};

// Sorts queries by key, keeping the given order among equal keys: queries
// made in item order come out sorted by (key, item). A radix sort: band
// keys are uniform in their low 32 bits and small in the high ones, and a
// batch has 420,000 of them.
void SortBandQueries(std::vector<BandQuery>* queries);

// Calls fn(query.item, seq) for every posting of `postings` (sorted) whose
// key equals a query's key (`queries` sorted by key): Lookup on a run that
// is still in memory.
void JoinPostings(const std::vector<BandQuery>& queries, const std::vector<BandPosting>& postings,
                  const std::function<void(uint32_t item, uint32_t seq)>& fn);

struct RunInfo {
  uint32_t id = 0;
  uint64_t entries = 0;  // entries whose postings the run holds
};

class BandRuns {
 public:
  // 510 postings of 8 bytes fill one 4 KiB LMDB overflow page exactly.
  static constexpr size_t kChunkPostings = 510;
  static constexpr size_t kPostingBytes = 8;  // u32 LE hash, u32 LE sequence

  // The runs of the archive `txn` reads (none in a new archive).
  static Result<BandRuns> Load(Txn* txn);

  // Runs, oldest first.
  const std::vector<RunInfo>& runs() const { return runs_; }
  uint64_t entries() const;

  // Calls fn(query.item, seq) for every posting whose key equals a query's
  // key, for each query; `queries` must be sorted by key.
  Status Lookup(Txn* txn, const std::vector<BandQuery>& queries,
                const std::function<void(uint32_t item, uint32_t seq)>& fn) const;

  // A merge writes its whole output as dirty pages that LMDB holds in memory
  // until the commit: merges stop at runs of this many entries (88 MB of
  // postings), so that neither a batch's memory nor its time grows with the
  // archive. Beyond it the number of runs grows by one per 2^18 entries.
  static constexpr uint64_t kMaxMergedEntries = uint64_t{1} << 18;

  // Stores `postings` of `entries` new entries as a run, merged with the
  // newest runs that are not larger (up to `max_merged` entries in all), and
  // saves the run list. Postings come sorted from the writer; any other
  // order costs a sorted copy.
  Status Add(Txn* txn, const std::vector<BandPosting>& postings, uint64_t entries,
             uint64_t max_merged = kMaxMergedEntries);

  // Calls fn(run, posting) for every posting of every run, in run order and
  // key order within a run. A malformed chunk stops the walk with a
  // Corruption error that names run, band and chunk.
  Status ForEach(Txn* txn, const std::function<void(const RunInfo&, BandPosting)>& fn) const;

 private:
  Status Save(Txn* txn) const;
  std::vector<RunInfo> runs_;
};

}  // namespace newsarc
