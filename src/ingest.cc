#include "newsarc/ingest.h"

#include <algorithm>
#include <atomic>
#include <future>
#include <thread>

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

// The inputs of one batch, read in order and prepared.
struct PreparedBatch {
  Status status;  // a failed prefetch
  std::vector<BatchItem> items;
  std::shared_ptr<const BatchBands> bands;  // from Archive::Prefetch
  uint64_t article_bytes = 0;
  uint64_t input_bytes_read = 0;  // the reader's position after this batch
};

// Reads batches of inputs and prepares them on `jobs` threads. Reading stays
// sequential (inputs keep their order); preparing is per-article work that
// needs nothing of the archive.
class BatchProducer {
 public:
  BatchProducer(Archive& archive, const std::vector<std::string>& paths, Preparer& preparer,
                const IngestOptions& options)
      : archive_(archive), reader_(paths, options.input), preparer_(preparer), options_(options) {}

  // The next batch; empty at the end of the input.
  PreparedBatch Next() {
    PreparedBatch batch;
    std::vector<InputItem> inputs = ReadInputs();
    for (const InputItem& item : inputs) batch.article_bytes += item.article.text.size();
    if (!dictionary_checked_ && !inputs.empty()) {
      dictionary_checked_ = true;
      batch.status = UseTextDictionary(inputs);  // an error stops the run at this batch
    }
    batch.items.resize(inputs.size());
    PrepareAll(inputs, &batch.items);
    batch.input_bytes_read = reader_.bytes_read();
    // With more than one job this runs beside the writer: sorting the band
    // keys and looking them up leave the writer's critical path.
    if (!batch.items.empty()) {
      auto bands = archive_.Prefetch(batch.items);
      if (bands.ok()) {
        batch.bands = std::move(bands.value());
      } else {
        batch.status = bands.status();
      }
    }
    return batch;
  }

 private:
  // Before the run's first batch is prepared: the archive's text
  // dictionary, trained now if it has none and there is enough text.
  Status UseTextDictionary(const std::vector<InputItem>& inputs) {
    std::vector<std::string_view> texts;
    for (const InputItem& item : inputs) {
      if (item.ok()) texts.push_back(item.article.text);
    }
    auto dict = archive_.TextDictionaryFor(texts);
    if (!dict.ok()) return dict.status();
    preparer_.set_dictionary(std::move(dict.value()));
    return Status::Ok();
  }

  void PrepareAll(std::vector<InputItem>& inputs, std::vector<BatchItem>* out) {
    // Small chunks from a shared counter balance articles of any length.
    constexpr size_t kChunk = 32;
    std::atomic<size_t> next{0};
    auto work = [&] {
      for (size_t i; (i = next.fetch_add(kChunk)) < inputs.size();) {
        for (size_t j = i; j < std::min(i + kChunk, inputs.size()); ++j) {
          (*out)[j] = PrepareItem(preparer_, std::move(inputs[j]));
        }
      }
    };
    std::vector<std::thread> helpers;
    for (int t = 1; t < options_.jobs && inputs.size() > kChunk; ++t) helpers.emplace_back(work);
    work();
    for (std::thread& t : helpers) t.join();
  }

  static constexpr size_t kFirstBatch = 1000;

  // A large archive starts with larger batches: every batch rewrites the
  // B-tree pages its random keys land on (URL keys, stories), so
  // small ones cost more per article there (50,000 articles into a
  // 950,000-entry archive: 3.31 s starting at 9,500, 3.85 s at 1,000).
  size_t FirstBatch() const { return std::max<size_t>(kFirstBatch, entries_at_start_ / 100); }

  // The batch size the archive calls for now: it grows during a long run.
  size_t BatchCap() const {
    if (options_.batch_size > 0) return options_.batch_size;
    return AutoBatchSize(entries_at_start_ + read_);
  }

  static uint64_t EntriesOf(Archive& archive) {
    auto entries = archive.EntryCount();
    return entries.ok() ? entries.value() : 0;
  }

  // The inputs of the next batch. The first batches are small: the writer
  // waits for the first one, and the others double until the batch size.
  // In a large archive every batch costs a sweep of the band index and a
  // commit whatever its size, more than a small batch's writing, so the
  // end of the input gets as few batches as it can: a tail of up to a
  // quarter batch joins the full batch before it. A last batch of half a
  // batch or more is cut in two instead, so that the writer, alone at the
  // end, has half as much left to write.
  std::vector<InputItem> ReadInputs() {
    std::vector<InputItem> inputs = std::move(held_);
    held_.clear();
    if (held_is_last_) return inputs;
    const size_t limit = std::min(BatchCap(), first_batch_ << std::min(batches_++, 20));
    size_t bytes = 0;
    for (const InputItem& item : inputs) bytes += item.article.text.size();
    if (ReadUpTo(limit, options_.batch_bytes, &inputs, &bytes)) {
      size_t ahead_bytes = 0;
      if (ReadUpTo(limit / 4, options_.batch_bytes / 4, &held_, &ahead_bytes)) return inputs;
      inputs.insert(inputs.end(), std::make_move_iterator(held_.begin()),
                    std::make_move_iterator(held_.end()));
      held_.clear();
    } else if (inputs.size() > kFirstBatch && inputs.size() >= limit / 2) {
      auto half = inputs.begin() + static_cast<std::ptrdiff_t>(inputs.size() / 2);
      held_.assign(std::make_move_iterator(half), std::make_move_iterator(inputs.end()));
      inputs.erase(half, inputs.end());
      held_is_last_ = true;
    }
    return inputs;
  }

  // Reads inputs into `out` until it holds `count` or `*bytes` of text
  // reach `max_bytes`; false when the input ended first.
  bool ReadUpTo(size_t count, size_t max_bytes, std::vector<InputItem>* out, size_t* bytes) {
    InputItem item;
    while (out->size() < count && *bytes < max_bytes) {
      if (!reader_.Next(&item)) return false;
      *bytes += item.article.text.size();
      out->push_back(std::move(item));
      ++read_;
    }
    return true;
  }

  Archive& archive_;
  // Entries when the run started, and inputs read since: an upper bound of
  // the archive's size without asking it.
  uint64_t entries_at_start_ = EntriesOf(archive_);
  uint64_t read_ = 0;
  int batches_ = 0;
  size_t first_batch_ = FirstBatch();
  std::vector<InputItem> held_;  // read for the next batch
  bool held_is_last_ = false;    // held_ is the second half of the last batch
  bool dictionary_checked_ = false;
  ArticleReader reader_;
  Preparer& preparer_;
  const IngestOptions& options_;
};

}  // namespace

size_t AutoBatchSize(uint64_t entries) {
  constexpr uint64_t kSmallest = 10000, kLargest = 25000;
  return static_cast<size_t>(std::clamp(entries / 40, kSmallest, kLargest));
}

Result<IngestSummary> IngestPaths(Archive& archive, const std::vector<std::string>& paths,
                                  const IngestOptions& options,
                                  const std::function<void(const Outcome&)>& on_outcome) {
  Preparer preparer(archive.params());
  BatchProducer producer(archive, paths, preparer, options);
  IngestSummary summary;
  IngestProgress progress;
  auto report = [&](bool committed) {
    if (!options.on_progress) return;
    progress.articles = summary.articles;
    progress.batch_committed = committed;
    options.on_progress(progress);
  };
  auto commit = [&](const PreparedBatch& batch) -> Status {
    NEWSARC_RETURN_IF_ERROR(batch.status);
    summary.articles += batch.items.size();
    summary.bytes += batch.article_bytes;
    progress.input_bytes = batch.input_bytes_read;
    report(false);
    auto outcomes = archive.Ingest(batch.items, options.now, batch.bands);
    if (!outcomes.ok()) return outcomes.status();
    for (const Outcome& o : outcomes.value()) {
      ++summary.counts[static_cast<int>(o.verdict)];
      on_outcome(o);
    }
    progress.committed += batch.items.size();
    report(true);
    return Status::Ok();
  };
  if (options.jobs <= 1) {
    for (PreparedBatch batch; !(batch = producer.Next()).items.empty();) {
      NEWSARC_RETURN_IF_ERROR(commit(batch));
    }
    return summary;
  }
  // With more jobs, the next batch is read and prepared while this one is
  // classified and written: the writer is the one serial stage.
  auto next = std::async(std::launch::async, [&] { return producer.Next(); });
  for (;;) {
    PreparedBatch batch = next.get();
    if (batch.items.empty()) return summary;
    next = std::async(std::launch::async, [&] { return producer.Next(); });
    NEWSARC_RETURN_IF_ERROR(commit(batch));  // `next`'s destructor waits for it
  }
}

}  // namespace newsarc
