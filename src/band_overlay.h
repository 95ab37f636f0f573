// BandOverlay: the band keys of entries written after a read snapshot.
//
// Parallel ingest looks up each article's band candidates in a read
// snapshot on the preparing threads, where LMDB needs no dirty-page search
// and the writer is not held up. What the snapshot cannot see, the entries
// written since (by earlier batches of this run, and earlier articles of
// the same batch), the writer finds here, in memory. Both together give the
// same candidates as a lookup inside the write transaction.
#pragma once

#include <cstdint>
#include <vector>

#include "newsarc/archive.h"

namespace newsarc {

class BandOverlay {
 public:
  // Adds an entry with ingest sequence `seq` (increasing from call to call).
  void Add(uint64_t seq, EntryRef ref, const Signature& signature,
           const std::vector<uint64_t>& band_keys);
  // Appends to `out` the entries with sequence > `after` that share a band
  // key with `band_keys`, each once, with its estimated similarity.
  void Matches(const Signature& signature, const std::vector<uint64_t>& band_keys, uint64_t after,
               std::vector<Match>* out) const;
  // Entries with sequence > `after`.
  uint64_t CountAfter(uint64_t after) const;
  // Forgets entries with sequence <= `seq`.
  void DropUpTo(uint64_t seq);
  // Moves every entry of `other` (all later than this one's) into this.
  void Append(BandOverlay&& other);

 private:
  struct Entry {
    uint64_t seq;
    EntryRef ref;
    Signature signature;
    std::vector<uint64_t> band_keys;
  };
  // One node per (band key, entry); nodes of one key are chained, newest
  // first, from an open-addressing table keyed by the band key (already a
  // hash): no allocation per key, unlike a map of vectors.
  struct Node {
    uint32_t entry;  // index into entries_
    uint32_t next;   // next node of the same key, or kNone
  };
  struct Slot {
    uint64_t key = 0;
    uint32_t head = 0;
    bool used = false;
  };
  static constexpr uint32_t kNone = UINT32_MAX;
  Slot& SlotFor(uint64_t key);
  const Slot* FindSlot(uint64_t key) const;
  void Index(uint32_t entry);
  void Insert(uint32_t entry);
  void Rebuild();

  std::vector<Entry> entries_;  // by sequence
  std::vector<Node> nodes_;
  std::vector<Slot> slots_;  // power-of-two size, at most half full
};

}  // namespace newsarc
