// Ingest: the pipeline from input paths to stored, classified articles.
//
// Reading and preparing (validate, normalize, shingle, sign, compress) are
// per-article and independent of the archive; classification and storage
// run batch by batch in one write transaction each (Archive::Ingest). A
// crash loses at most the batch being written; everything before it is
// committed and a re-run reports it as duplicate.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "newsarc/archive.h"
#include "newsarc/input.h"

namespace newsarc {

struct IngestOptions {
  InputOptions input;
  size_t batch_size = 1000;  // articles per write transaction
  uint64_t now = 0;          // ingest time recorded, seconds since the epoch
};

struct IngestSummary {
  uint64_t counts[5] = {};  // indexed by Verdict
  uint64_t articles = 0;    // inputs seen, rejected ones included
  uint64_t bytes = 0;       // article bytes read
  uint64_t count(Verdict v) const { return counts[static_cast<int>(v)]; }
};

// Ingests every article under `paths` into `archive`, calling `on_outcome`
// for each input in input order once its batch is committed. Returns the
// summary, or the archive error that stopped the run (batches committed
// before it stay committed).
Result<IngestSummary> IngestPaths(Archive& archive, const std::vector<std::string>& paths,
                                  const IngestOptions& options,
                                  const std::function<void(const Outcome&)>& on_outcome);

}  // namespace newsarc
