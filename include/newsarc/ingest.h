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

// Where a run is, for progress displays.
struct IngestProgress {
  uint64_t articles = 0;         // inputs read, rejected ones included
  uint64_t input_bytes = 0;      // comparable with ArticleReader::TotalBytes
  uint64_t committed = 0;        // inputs whose batch is committed
  bool batch_committed = false;  // this call follows a commit
};

// The batch size chosen when IngestOptions::batch_size is 0, for an archive
// of `entries` entries: 10,000 articles, or a fortieth of the archive when
// that is more, up to 25,000. The batch's text is capped at batch_bytes.
size_t AutoBatchSize(uint64_t entries);

struct IngestOptions {
  InputOptions input;
  // Articles per write transaction; 0 chooses it from the archive's size
  // (AutoBatchSize). Every batch rewrites the B-tree pages its random keys
  // land on and sweeps the band index once, both in proportion to the
  // archive, so a large archive wants large batches (docs/benchmarks.md).
  size_t batch_size = 0;
  // A batch is also committed once its articles hold this many bytes.
  size_t batch_bytes = 64u << 20;
  uint64_t now = 0;  // ingest time recorded, seconds since the epoch
  // Threads that prepare articles (validate, normalize, shingle, sign,
  // compress). Above 1, the next batch is also prepared while the current
  // one is written. The archive is the same whatever the number.
  int jobs = 1;
  // Called when a batch has been read and prepared, and after its commit.
  std::function<void(const IngestProgress&)> on_progress;
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
