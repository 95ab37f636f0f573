// BatchBands: the band keys of one batch, sorted once, and what the writer
// needs from them to classify the batch without hashing or sorting.
//
// Each article of a batch is compared with (a) what the archive held before
// the batch and (b) the articles before it in the batch. (a) is looked up
// beside the writer, in a read snapshot (Archive::Prefetch), in one sorted
// sweep over the band runs. When the writer committed one more batch after
// that snapshot was taken, it joins that batch's postings (still in memory)
// in. (b) comes from groups: each band key that several articles of the
// batch share gets a dense id, so the writer finds the earlier holders of a
// key by index. The sorted keys then become the batch's band run.
#pragma once

#include <cstdint>
#include <vector>

#include "band_runs.h"
#include "newsarc/archive.h"

namespace newsarc {

struct BatchBands {
  // Every band key of every prepared item, sorted by (key, item).
  std::vector<BandQuery> queries;
  // Per item: the ids of the keys it shares with other items of the batch,
  // in [0, group_count).
  std::vector<std::vector<uint32_t>> groups;
  uint32_t group_count = 0;
  // Per item: the committed entries sharing a band with it, with their
  // estimated similarity, as of a snapshot of `snapshot_entries` entries.
  std::vector<std::vector<Match>> candidates;
  bool looked_up = false;  // the candidates are set
  uint64_t snapshot_entries = 0;

  // Sorts the keys of `batch` and assigns the groups (no candidates yet).
  static BatchBands Build(const std::vector<BatchItem>& batch);
};

}  // namespace newsarc
