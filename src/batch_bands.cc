#include "batch_bands.h"

namespace newsarc {

BatchBands BatchBands::Build(const std::vector<BatchItem>& batch) {
  BatchBands out;
  size_t total = 0;
  for (const BatchItem& item : batch) total += item.prepared.band_keys.size();
  out.queries.reserve(total);
  for (size_t i = 0; i < batch.size(); ++i) {
    if (!batch[i].error.ok()) continue;
    for (uint64_t key : batch[i].prepared.band_keys) {
      out.queries.push_back({key, static_cast<uint32_t>(i)});
    }
  }
  SortBandQueries(&out.queries);
  out.groups.resize(batch.size());
  out.candidates.resize(batch.size());
  const std::vector<BandQuery>& q = out.queries;
  for (size_t i = 0; i < q.size();) {
    size_t end = i + 1;
    while (end < q.size() && q[end].key == q[i].key) ++end;
    if (end - i > 1) {
      for (size_t j = i; j < end; ++j) out.groups[q[j].item].push_back(out.group_count);
      ++out.group_count;
    }
    i = end;
  }
  return out;
}

}  // namespace newsarc
