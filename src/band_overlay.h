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
  void Add(uint64_t seq, EntryRef ref, const std::vector<uint64_t>& band_keys);
  // Appends to `out` the entries with sequence > `after` that share a band
  // key with `band_keys`, each once, in the order they were added.
  void Matches(const std::vector<uint64_t>& band_keys, uint64_t after,
               std::vector<EntryRef>* out) const;
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
    std::vector<uint64_t> band_keys;
  };
  // One node per (entry, band); nodes of one key are chained, newest first,
  // from an open-addressing table of 4-byte heads. A slot holds no key: the
  // key is read through its head node, which names its entry and band. This
  // keeps the overlay at about 16 bytes per band key (a batch of 10,000
  // articles has 420,000).
  static constexpr int kBandBits = 8;  // bands per entry < 256
  struct Node {
    uint32_t entry_band;  // entry index << kBandBits | band index
    uint32_t next;        // next node of the same key, or kNone
  };
  static constexpr uint32_t kNone = UINT32_MAX;
  uint64_t KeyOf(uint32_t node) const;
  uint32_t* SlotFor(uint64_t key);  // finds or claims the slot of `key`
  const uint32_t* FindSlot(uint64_t key) const;
  void Index(uint32_t entry);
  void Insert(uint32_t entry);
  void Rebuild();

  std::vector<Entry> entries_;  // by sequence
  std::vector<Node> nodes_;
  std::vector<uint32_t> slots_;  // head node per slot, or kNone; power-of-two size
};

}  // namespace newsarc
