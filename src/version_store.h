// VersionStore: the texts table, every entry's bytes exactly as ingested.
//
// The first entry of a story is stored as a zstd frame on its own. A later
// entry (a version or a near-duplicate copy) is stored as a delta: a frame
// compressed with the entry it was classified against as reference prefix,
// unless that is not smaller. Reading an entry decompresses its chain of
// references from the last full frame up. A chain is cut by a full frame
// once it is kMaxChain frames deep, so that no read decompresses more than
// kMaxChain frames (docs/design.md explains the choice of 32). Every
// decompressed text is checked against the size and XXH3-64 checksum of its
// entry record.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "newsarc/archive.h"
#include "records.h"
#include "store.h"

namespace newsarc {

class TextDictionary;

// The archive's text dictionary (codec.h), or null when it has none yet.
Result<std::shared_ptr<const TextDictionary>> LoadTextDictionary(Txn* txn);

class VersionStore {
 public:
  static constexpr int kMaxChain = 32;

  // Works inside `txn`, which must outlive the store.
  explicit VersionStore(Txn* txn) : txn_(txn) {}

  // Stores `raw` (which `full_frame` compresses alone) as the text of entry
  // `ref`, as a delta against `reference` (an earlier entry of the same
  // story) when that is smaller. `with_dictionary`: `full_frame` was
  // compressed with the archive's text dictionary. `raw` must stay valid
  // while the store lives: later deltas of the batch read it.
  Status Put(EntryRef ref, std::string_view raw, std::string_view full_frame, bool with_dictionary,
             EntryRef reference);

  // The bytes of entry `ref`. Corruption, naming the entry, when a frame is
  // damaged, a reference is missing or a checksum does not match.
  Result<std::string> Get(EntryRef ref);

  // The stored record of `ref` (its frame points into the transaction).
  Result<TextRecord> Record(EntryRef ref);

 private:
  Result<std::string> Decode(EntryRef ref, int budget);
  Result<const TextDictionary*> Dictionary();
  void Remember(EntryRef ref, std::string text);

  Txn* txn_;
  std::shared_ptr<const TextDictionary> dict_;  // loaded on first use
  // Texts written or read in this transaction, for the deltas that follow:
  // a nightly batch often holds several revisions of one story.
  std::map<std::pair<uint64_t, uint32_t>, std::string_view> written_;
  std::map<std::pair<uint64_t, uint32_t>, std::string> decoded_;
  size_t decoded_bytes_ = 0;
};

}  // namespace newsarc
