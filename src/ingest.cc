#include "newsarc/ingest.h"

namespace newsarc {
namespace {

BatchItem PrepareItem(const Preparer& preparer, InputItem item) {
  BatchItem out;
  out.input = item.article.input;
  if (!item.ok()) {
    out.error = item.error;
    return out;
  }
  auto prepared = preparer.Prepare(std::move(item.article));
  if (prepared.ok()) {
    out.prepared = std::move(prepared.value());
  } else {
    out.error = prepared.status();
  }
  return out;
}

}  // namespace

Result<IngestSummary> IngestPaths(Archive& archive, const std::vector<std::string>& paths,
                                  const IngestOptions& options,
                                  const std::function<void(const Outcome&)>& on_outcome) {
  ArticleReader reader(paths, options.input);
  Preparer preparer(archive.params());
  IngestSummary summary;
  IngestProgress progress;
  std::vector<BatchItem> batch;
  size_t batch_bytes = 0;
  auto report = [&](bool committed) {
    if (!options.on_progress) return;
    progress.articles = summary.articles;
    progress.input_bytes = reader.bytes_read();
    progress.batch_committed = committed;
    options.on_progress(progress);
  };
  auto flush = [&]() -> Status {
    if (batch.empty()) return Status::Ok();
    auto outcomes = archive.Ingest(batch, options.now);
    if (!outcomes.ok()) return outcomes.status();
    for (const Outcome& o : outcomes.value()) {
      ++summary.counts[static_cast<int>(o.verdict)];
      on_outcome(o);
    }
    progress.committed += batch.size();
    report(true);
    batch.clear();
    batch_bytes = 0;
    return Status::Ok();
  };
  constexpr uint64_t kProgressEvery = 256;
  InputItem item;
  while (reader.Next(&item)) {
    ++summary.articles;
    summary.bytes += item.article.text.size();
    batch_bytes += item.article.text.size();
    batch.push_back(PrepareItem(preparer, std::move(item)));
    if (summary.articles % kProgressEvery == 0) report(false);
    if (batch.size() >= options.batch_size || batch_bytes >= options.batch_bytes) {
      NEWSARC_RETURN_IF_ERROR(flush());
    }
  }
  NEWSARC_RETURN_IF_ERROR(flush());
  return summary;
}

}  // namespace newsarc
