#include "newsarc/archive.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <map>
#include <mutex>
#include <shared_mutex>

#include "band_runs.h"
#include "batch_bands.h"
#include "check.h"
#include "classify.h"
#include "codec.h"
#include "records.h"
#include "store.h"
#include "upgrade.h"
#include "version_store.h"
#include "writer_lock.h"

namespace newsarc {

const char* VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kNew:
      return "new";
    case Verdict::kDuplicate:
      return "duplicate";
    case Verdict::kNearDuplicate:
      return "near-duplicate";
    case Verdict::kVersion:
      return "version";
    case Verdict::kRejected:
      return "rejected";
  }
  return "?";
}

std::string FormatEntryRef(EntryRef ref) {
  return std::to_string(ref.story) + "@" + std::to_string(ref.version);
}

std::optional<EntryRef> ParseEntryRef(std::string_view text) {
  EntryRef ref;
  size_t at = text.find('@');
  std::string_view story = text.substr(0, at);
  auto [p, ec] = std::from_chars(story.data(), story.data() + story.size(), ref.story);
  if (ec != std::errc() || p != story.data() + story.size() || ref.story == 0) return {};
  if (at != std::string_view::npos) {
    std::string_view v = text.substr(at + 1);
    auto [q, ec2] = std::from_chars(v.data(), v.data() + v.size(), ref.version);
    if (ec2 != std::errc() || q != v.data() + v.size() || ref.version == 0) return {};
  }
  return ref;
}

namespace {

constexpr std::string_view kFormatKey = "format";
constexpr std::string_view kParamsKey = "params";
// How often a batch's loops check the archive's mapped pages
// (LmdbEnv::TrimMapped): each check reads /proc/self/statm.
constexpr size_t kItemsPerTrim = 64;

// ArchiveIndex over one LMDB transaction: sees everything the transaction
// wrote, so later articles of a batch are classified against earlier ones.
class TxnIndex : public ArchiveIndex {
 public:
  TxnIndex(Txn* txn, const ArchiveParams& params) : txn_(txn), params_(params), texts_(txn) {}

  // The transaction's texts: shared with the batch writer, so that texts it
  // wrote or decoded are not decoded again.
  VersionStore& texts() { return texts_; }

  Result<std::vector<uint64_t>> ShinglesOf(EntryRef entry) override {
    auto text = texts_.Get(entry);
    if (!text.ok()) return text.status();
    return BodyShingles(text.value(), params_.shingle_size);
  }

  Result<std::optional<KeyRecord>> FindKey(std::string_view key) override {
    auto v = txn_->Get(Table::kKeys, KeyOfString(key));
    if (!v.ok()) return v.status();
    if (!v.value()) return std::optional<KeyRecord>();
    auto rec = DecodeKeyRecord(*v.value());
    if (!rec.ok()) return rec.status();
    return std::optional<KeyRecord>(rec.value());
  }

  Result<EntryInfo> EntryOf(EntryRef entry) override {
    auto v = txn_->Get(Table::kEntries, EntryKey(entry));
    if (!v.ok()) return v.status();
    if (!v.value()) return Status::Corruption("entry " + FormatEntryRef(entry) + " missing");
    return DecodeEntry(entry, *v.value());
  }

  Result<Signature> SignatureOf(EntryRef entry) override {
    auto e = EntryOf(entry);
    if (!e.ok()) return e.status();
    auto rec = SignatureAt(e->seq);
    if (!rec.ok()) return rec.status();
    if (rec->entry != entry) {
      return Status::Corruption("signature " + std::to_string(e->seq) + " belongs to " +
                                FormatEntryRef(rec->entry) + ", not " + FormatEntryRef(entry));
    }
    return std::move(rec->signature);
  }

  Result<std::vector<Match>> Candidates(const PreparedArticle& article) override {
    return CandidatesOf(article.signature, article.band_keys);
  }

  Result<std::vector<Match>> AllSimilarities(const Signature& sig) {
    std::vector<Match> out;
    Status decode_error;
    NEWSARC_RETURN_IF_ERROR(
        txn_->ForEach(Table::kSignatures, [&](std::string_view, std::string_view v) {
          auto other = DecodeSignature(v, params_.num_perms);
          if (!other.ok()) {
            decode_error = other.status();
            return false;
          }
          out.push_back({other->entry, EstimateJaccard(sig, other->signature)});
          return true;
        }));
    if (!decode_error.ok()) return decode_error;
    return out;
  }

  Result<std::vector<Match>> CandidatesOf(const Signature& sig,
                                          const std::vector<uint64_t>& band_keys) {
    std::vector<BandQuery> queries;
    for (uint64_t key : band_keys) queries.push_back({key, 0});
    SortBandQueries(&queries);
    std::vector<std::vector<Match>> out;
    NEWSARC_RETURN_IF_ERROR(LookupCandidates(queries, {&sig}, &out));
    return std::move(out[0]);
  }

  // The candidates of several items at once: their band keys (`queries`,
  // sorted by key) are looked up in one sorted sweep over the band runs.
  // `signatures[item]` is null for an item without one.
  Status LookupCandidates(const std::vector<BandQuery>& queries,
                          const std::vector<const Signature*>& signatures,
                          std::vector<std::vector<Match>>* out) {
    if (!runs_) {
      auto runs = BandRuns::Load(txn_);
      if (!runs.ok()) return runs.status();
      runs_ = std::move(runs.value());
    }
    std::vector<std::vector<uint32_t>> seqs(signatures.size());
    NEWSARC_RETURN_IF_ERROR(runs_->Lookup(
        txn_, queries, [&](uint32_t item, uint32_t seq) { seqs[item].push_back(seq); }));
    out->assign(signatures.size(), {});
    for (size_t i = 0; i < signatures.size(); ++i) {
      if (i % kItemsPerTrim == kItemsPerTrim - 1) txn_->TrimMapped();
      if (signatures[i] == nullptr) continue;
      NEWSARC_RETURN_IF_ERROR(AppendMatches(*signatures[i], &seqs[i], &(*out)[i]));
    }
    return Status::Ok();
  }

  // Appends the entries with the sequences `seqs` (sorted and deduplicated
  // here: an entry sharing several bands is named once per band) to `out`.
  Status AppendMatches(const Signature& sig, std::vector<uint32_t>* seqs, std::vector<Match>* out) {
    std::sort(seqs->begin(), seqs->end());
    seqs->erase(std::unique(seqs->begin(), seqs->end()), seqs->end());
    for (uint32_t seq : *seqs) {
      auto rec = SignatureAt(seq);
      if (!rec.ok()) return rec.status();
      out->push_back({rec->entry, EstimateJaccard(sig, rec->signature)});
    }
    return Status::Ok();
  }

 private:
  Result<SignatureRecord> SignatureAt(uint64_t seq) {
    auto v = txn_->Get(Table::kSignatures, SequenceKey(seq));
    if (!v.ok()) return v.status();
    if (!v.value()) return Status::Corruption("no signature for entry " + std::to_string(seq));
    return DecodeSignature(*v.value(), params_.num_perms);
  }

  Txn* txn_;
  const ArchiveParams& params_;
  VersionStore texts_;
  std::optional<BandRuns> runs_;  // loaded on the first lookup
};

// The archive's format, refused when this binary cannot read it.
Result<uint32_t> CheckFormat(Txn* txn, const std::string& dir) {
  auto read = ReadFormat(txn);
  if (!read.ok()) {
    if (read.status().code() != Status::Code::kIncompatible) return read.status();
    return Status::Incompatible(dir + " is " + read.status().message());
  }
  uint32_t format = read.value();
  if (format == 0) return Status::Incompatible(dir + " has an invalid format version 0");
  if (format > kFormatVersion) {
    return Status::Incompatible(dir + " has archive format " + std::to_string(format) +
                                ", newer than this newsarc supports (" +
                                std::to_string(kFormatVersion) + "); upgrade newsarc");
  }
  return format;
}

// Brings an older archive to the current format, under the writer lock
// (taken here unless the caller holds it), in one write transaction.
Status UpgradeInPlace(const std::string& dir, const OpenOptions& options,
                      const ArchiveParams& params, const std::unique_ptr<WriterLock>& held,
                      std::unique_ptr<LmdbEnv>* env) {
  std::unique_ptr<WriterLock> lock;
  if (!held) {
    auto acquired = WriterLock::Acquire(dir, options.wait_seconds, options.on_wait);
    if (!acquired.ok()) return acquired.status();
    lock = std::move(acquired.value());
  }
  // Reopen: another process may have upgraded it while we waited, and the
  // table handles must come from the state we upgrade.
  env->reset();
  auto reopened = LmdbEnv::Open(dir, /*create=*/false, options.initial_map_bytes);
  if (!reopened.ok()) return reopened.status();
  *env = std::move(reopened.value());
  for (;;) {
    auto txn = Txn::Begin(**env, /*write=*/true);
    if (!txn.ok()) return txn.status();
    auto format = ReadFormat(txn.value().get());
    if (!format.ok()) return format.status();
    Status st = UpgradeArchive(txn.value().get(), format.value(), params);
    if (st.ok()) st = txn.value()->Commit();
    if (st.ok()) break;
    if (!txn.value()->map_full()) return st;
    txn.value().reset();
    NEWSARC_RETURN_IF_ERROR((*env)->Grow());
  }
  return Status::Ok();
}

bool HasArchive(const std::string& dir) {
  std::error_code ec;
  return std::filesystem::exists(std::filesystem::path(dir) / "data.mdb", ec);
}

struct LastRun {
  uint64_t entries_before = UINT64_MAX;  // entries before and after it
  uint64_t entries_after = UINT64_MAX;
  std::vector<BandPosting> postings;
};

}  // namespace

struct Archive::Impl {
  // Declared first so that it is released last, after the environment closed.
  std::unique_ptr<WriterLock> lock;  // held while open for writing
  std::unique_ptr<LmdbEnv> env;
  std::string dir;
  // Growing the map needs no transaction open in the process: Prefetch
  // (another thread) holds this shared, Grow exclusive.
  std::shared_mutex map_mutex;
  // The band postings of the last batch this Archive committed: a later
  // batch prefetched before that commit joins them in (BatchBands).
  LastRun last_run;
};

Archive::Archive(std::unique_ptr<Impl> impl, ArchiveParams params)
    : impl_(std::move(impl)), params_(params) {}
Archive::~Archive() = default;

Result<std::unique_ptr<Archive>> Archive::Create(const std::string& dir, ArchiveParams params,
                                                 const OpenOptions& options) {
  NEWSARC_RETURN_IF_ERROR(params.Finalize());
  if (HasArchive(dir)) return Status::AlreadyExists("an archive already exists at " + dir);
  auto env = LmdbEnv::Open(dir, /*create=*/true, options.initial_map_bytes);
  if (!env.ok()) return env.status();
  auto txn = Txn::Begin(*env.value(), /*write=*/true);
  if (!txn.ok()) return txn.status();
  NEWSARC_RETURN_IF_ERROR(
      txn.value()->Put(Table::kMeta, kFormatKey, RecordWriter().U32(kFormatVersion).data()));
  NEWSARC_RETURN_IF_ERROR(txn.value()->Put(Table::kMeta, kParamsKey, EncodeParams(params)));
  NEWSARC_RETURN_IF_ERROR(txn.value()->Commit());
  auto impl = std::make_unique<Impl>();
  impl->env = std::move(env.value());
  impl->env->set_resident_limit(options.resident_limit);
  impl->dir = dir;
  return std::unique_ptr<Archive>(new Archive(std::move(impl), params));
}

Result<std::unique_ptr<Archive>> Archive::Open(const std::string& dir, const OpenOptions& options) {
  if (!HasArchive(dir)) {
    return Status::NotFound("no newsarc archive at " + dir + " (create one with `newsarc init`)");
  }
  std::unique_ptr<WriterLock> lock;
  if (options.for_writing) {
    auto acquired = WriterLock::Acquire(dir, options.wait_seconds, options.on_wait);
    if (!acquired.ok()) return acquired.status();
    lock = std::move(acquired.value());
  }
  auto env = LmdbEnv::Open(dir, /*create=*/false, options.initial_map_bytes);
  if (!env.ok()) return env.status();
  auto txn = Txn::Begin(*env.value(), /*write=*/false);
  if (!txn.ok()) return txn.status();
  auto format = CheckFormat(txn.value().get(), dir);
  if (!format.ok()) return format.status();
  auto stored = txn.value()->Get(Table::kMeta, kParamsKey);
  if (!stored.ok()) return stored.status();
  if (!stored.value()) return Status::Corruption("archive has no parameters record");
  auto params = DecodeParams(*stored.value());
  if (!params.ok()) return params.status();
  txn.value().reset();
  if (format.value() < kFormatVersion) {
    NEWSARC_RETURN_IF_ERROR(UpgradeInPlace(dir, options, params.value(), lock, &env.value()));
  } else if (!env.value()->has(Table::kSignatures) || !env.value()->has(Table::kBandRuns)) {
    return Status::Incompatible(dir + " is not a newsarc archive (no band index)");
  }
  auto impl = std::make_unique<Impl>();
  impl->lock = std::move(lock);
  impl->env = std::move(env.value());
  impl->env->set_resident_limit(options.resident_limit);
  impl->dir = dir;
  return std::unique_ptr<Archive>(new Archive(std::move(impl), params.value()));
}

namespace {

// TxnIndex for the writer: an item's candidates are the committed ones
// found for it before the batch (BatchBands), plus `late` entries committed
// after that lookup's snapshot, plus the entries this batch stored before
// it that share a band key with it (found through the key's group).
class WriterIndex : public TxnIndex {
 public:
  WriterIndex(Txn* txn, const ArchiveParams& params, const BatchBands& bands,
              const std::vector<std::vector<Match>>& committed,
              std::vector<std::vector<uint32_t>> late)
      : TxnIndex(txn, params),
        bands_(bands),
        committed_(committed),
        late_(std::move(late)),
        members_(bands.group_count),
        seq_of_item_(bands.groups.size(), 0) {}

  // The batch item being classified and stored.
  void SetItem(size_t item) { item_ = item; }

  // The current item was stored with sequence `seq`.
  void Stored(uint32_t seq) {
    seq_of_item_[item_] = seq;
    ++stored_;
    for (uint32_t g : bands_.groups[item_]) members_[g].push_back(seq);
  }
  uint64_t stored() const { return stored_; }

  // The band postings of the stored items. They come out sorted: the keys
  // are sorted by (key, item), and items got increasing sequences.
  std::vector<BandPosting> StoredPostings() const {
    std::vector<BandPosting> postings;
    postings.reserve(bands_.queries.size());
    for (const BandQuery& q : bands_.queries) {
      if (seq_of_item_[q.item] != 0) postings.push_back({q.key, seq_of_item_[q.item]});
    }
    return postings;
  }

  Result<std::vector<Match>> Candidates(const PreparedArticle& article) override {
    std::vector<Match> out = committed_[item_];
    std::vector<uint32_t> seqs = late_[item_];
    for (uint32_t g : bands_.groups[item_]) {
      seqs.insert(seqs.end(), members_[g].begin(), members_[g].end());
    }
    NEWSARC_RETURN_IF_ERROR(AppendMatches(article.signature, &seqs, &out));
    return out;
  }

 private:
  const BatchBands& bands_;
  const std::vector<std::vector<Match>>& committed_;
  std::vector<std::vector<uint32_t>> late_;
  std::vector<std::vector<uint32_t>> members_;  // per group: sequences stored so far
  std::vector<uint32_t> seq_of_item_;           // 0: not stored
  uint64_t stored_ = 0;
  size_t item_ = 0;
};

// Applies one batch inside an open write transaction.
class BatchWriter {
 public:
  BatchWriter(Txn* txn, const ArchiveParams& params, uint64_t now, const BatchBands& bands,
              const std::vector<std::vector<Match>>& committed,
              std::vector<std::vector<uint32_t>> late)
      : txn_(txn),
        index_(txn, params, bands, committed, std::move(late)),
        params_(params),
        now_(now) {}

  // Writes the band keys of the items stored as a new band run (band_runs.h)
  // and returns its postings.
  Result<std::vector<BandPosting>> FlushBands() {
    std::vector<BandPosting> postings = index_.StoredPostings();
    auto runs = BandRuns::Load(txn_);
    if (!runs.ok()) return runs.status();
    NEWSARC_RETURN_IF_ERROR(runs->Add(txn_, postings, index_.stored()));
    return postings;
  }

  uint64_t stored() const { return index_.stored(); }

  // Classifies and stores item `i` of the batch.
  Result<Outcome> Apply(size_t i, const BatchItem& item) {
    Outcome out;
    out.input = item.input;
    if (!item.error.ok()) {
      out.verdict = Verdict::kRejected;
      out.error = item.error.message();
      NEWSARC_RETURN_IF_ERROR(Reject(item.input, out.error));
      return out;
    }
    index_.SetItem(i);
    auto decision = Classify(item.prepared, params_, index_);
    if (!decision.ok()) return decision.status();
    out.verdict = decision->verdict;
    out.of = decision->of;
    out.similarity = decision->similarity;
    if (out.verdict == Verdict::kDuplicate) {
      out.entry = out.of;
      NEWSARC_RETURN_IF_ERROR(Sighting(item.prepared, out.of));
      return out;
    }
    auto stored = Store(item.prepared, *decision);
    if (!stored.ok()) return stored.status();
    out.entry = stored.value();
    return out;
  }

 private:
  Status Reject(const std::string& input, const std::string& reason) {
    auto seq = NextSequence(Table::kRejects);
    if (!seq.ok()) return seq.status();
    return txn_->Put(Table::kRejects, SequenceKey(seq.value()), EncodeReject(now_, input, reason));
  }

  Status Sighting(const PreparedArticle& p, EntryRef entry) {
    auto seq = NextSequence(Table::kSightings);
    if (!seq.ok()) return seq.status();
    NEWSARC_RETURN_IF_ERROR(txn_->Put(Table::kSightings, SequenceKey(seq.value()),
                                      EncodeSighting(entry, now_, p.article)));
    if (p.article.key.empty()) return Status::Ok();
    // A new key for known text becomes an alias of the entry it repeats.
    return txn_->Put(Table::kKeys, KeyOfString(p.article.key),
                     EncodeKeyRecord({entry, p.exact_key}));
  }

  Result<uint64_t> NextSequence(Table t) {
    auto last = txn_->LastKey(t);
    if (!last.ok()) return last.status();
    return last.value() ? DecodeStoryKey(*last.value()) + 1 : 1;
  }

  Result<EntryRef> Store(const PreparedArticle& p, const Decision& d) {
    StoryRecord story;
    EntryRef ref;
    if (d.verdict == Verdict::kNew) {
      auto next = NextSequence(Table::kStories);
      if (!next.ok()) return next.status();
      ref.story = next.value();
      story.first_time = now_;
    } else {
      ref.story = d.of.story;
      auto v = txn_->Get(Table::kStories, StoryKey(ref.story));
      if (!v.ok()) return v.status();
      if (!v.value()) return Status::Corruption("story " + std::to_string(ref.story) + " missing");
      auto rec = DecodeStory(*v.value());
      if (!rec.ok()) return rec.status();
      story = rec.value();
    }
    ref.version = ++story.entries;
    story.last_time = now_;
    // A new story has the largest id: append (full pages, no split).
    const std::string key = StoryKey(ref.story), value = EncodeStory(story);
    NEWSARC_RETURN_IF_ERROR(ref.version == 1 ? txn_->Append(Table::kStories, key, value)
                                             : txn_->Put(Table::kStories, key, value));
    NEWSARC_RETURN_IF_ERROR(WriteEntry(p, d, ref));
    return ref;
  }

  Status WriteEntry(const PreparedArticle& p, const Decision& d, EntryRef ref) {
    const std::string key = EntryKey(ref);
    auto seq = txn_->Count(Table::kEntries);
    if (!seq.ok()) return seq.status();
    EntryInfo e;
    e.seq = seq.value() + 1;
    // Band postings hold 32-bit sequence numbers.
    if (e.seq > UINT32_MAX) return Status::InvalidInput("the archive is full (2^32 entries)");
    e.verdict = d.verdict;
    e.of = d.of;
    e.similarity = d.similarity;
    e.ingest_time = now_;
    e.raw_size = static_cast<uint32_t>(p.article.text.size());
    e.word_count = p.word_count;
    e.checksum = p.checksum;
    e.exact_key = p.exact_key;
    e.key = p.article.key;
    e.input = p.article.input;
    e.source = p.article.meta.source;
    e.title = p.article.meta.title;
    e.date = p.article.meta.date;
    const std::string record = EncodeEntry(e);
    NEWSARC_RETURN_IF_ERROR(ref.version == 1 ? txn_->Append(Table::kEntries, key, record)
                                             : txn_->Put(Table::kEntries, key, record));
    // A version or copy is stored as a delta against the entry it matched.
    EntryRef reference = d.verdict == Verdict::kNew ? EntryRef{} : d.of;
    NEWSARC_RETURN_IF_ERROR(
        index_.texts().Put(ref, p.article.text, p.compressed, p.with_dictionary, reference));
    NEWSARC_RETURN_IF_ERROR(
        txn_->Append(Table::kSignatures, SequenceKey(e.seq), EncodeSignature(ref, p.signature)));
    // Band keys go in at the end of the batch, as a run (FlushBands); until
    // then later items find this one through their shared keys' groups.
    index_.Stored(static_cast<uint32_t>(e.seq));
    if (p.article.key.empty()) return Status::Ok();
    return txn_->Put(Table::kKeys, KeyOfString(p.article.key), EncodeKeyRecord({ref, p.exact_key}));
  }

  Txn* txn_;
  WriterIndex index_;
  const ArchiveParams& params_;
  uint64_t now_;
};

}  // namespace

namespace {

std::vector<const Signature*> SignaturesOf(const std::vector<BatchItem>& batch) {
  std::vector<const Signature*> out;
  for (const BatchItem& item : batch) {
    out.push_back(item.error.ok() ? &item.prepared.signature : nullptr);
  }
  return out;
}

}  // namespace

Result<std::shared_ptr<const BatchBands>> Archive::Prefetch(const std::vector<BatchItem>& batch) {
  auto bands = std::make_shared<BatchBands>(BatchBands::Build(batch));
  std::shared_lock<std::shared_mutex> no_growing(impl_->map_mutex);
  auto txn = Txn::Begin(*impl_->env, /*write=*/false);
  if (!txn.ok()) return txn.status();
  auto entries = txn.value()->Count(Table::kEntries);
  if (!entries.ok()) return entries.status();
  TxnIndex index(txn.value().get(), params_);
  NEWSARC_RETURN_IF_ERROR(
      index.LookupCandidates(bands->queries, SignaturesOf(batch), &bands->candidates));
  bands->snapshot_entries = entries.value();
  bands->looked_up = true;
  return std::shared_ptr<const BatchBands>(std::move(bands));
}

Result<std::vector<Outcome>> Archive::Ingest(const std::vector<BatchItem>& batch, uint64_t now,
                                             std::shared_ptr<const BatchBands> prefetched) {
  if (!prefetched) prefetched = std::make_shared<BatchBands>(BatchBands::Build(batch));
  const BatchBands& bands = *prefetched;
  if (bands.groups.size() != batch.size()) {
    return Status::InvalidInput("Ingest: prefetched bands of another batch");
  }
  LastRun& last = impl_->last_run;
  if (impl_->env->NearlyFull()) {
    std::unique_lock<std::shared_mutex> no_readers(impl_->map_mutex);
    NEWSARC_RETURN_IF_ERROR(impl_->env->Grow());
  }
  for (;;) {
    auto txn = Txn::Begin(*impl_->env, /*write=*/true);
    if (!txn.ok()) return txn.status();
    auto entries = txn.value()->Count(Table::kEntries);
    if (!entries.ok()) return entries.status();
    // Committed candidates: the prefetched ones when their snapshot is this
    // transaction's start, or one batch of ours before it (then that
    // batch's postings are joined in); otherwise looked up here.
    const std::vector<std::vector<Match>>* committed = &bands.candidates;
    std::vector<std::vector<Match>> looked_up;
    std::vector<std::vector<uint32_t>> late(batch.size());
    if (bands.looked_up && bands.snapshot_entries == entries.value()) {
      // current
    } else if (bands.looked_up && bands.snapshot_entries == last.entries_before &&
               entries.value() == last.entries_after) {
      JoinPostings(bands.queries, last.postings,
                   [&](uint32_t item, uint32_t seq) { late[item].push_back(seq); });
    } else {
      TxnIndex index(txn.value().get(), params_);
      NEWSARC_RETURN_IF_ERROR(
          index.LookupCandidates(bands.queries, SignaturesOf(batch), &looked_up));
      committed = &looked_up;
    }
    BatchWriter writer(txn.value().get(), params_, now, bands, *committed, std::move(late));
    std::vector<Outcome> outcomes;
    outcomes.reserve(batch.size());
    Status st;
    for (size_t i = 0; i < batch.size() && st.ok(); ++i) {
      if (i % kItemsPerTrim == kItemsPerTrim - 1) txn.value()->TrimMapped();
      auto out = writer.Apply(i, batch[i]);
      if (out.ok()) {
        outcomes.push_back(std::move(out.value()));
      } else {
        st = out.status();
      }
    }
    Result<std::vector<BandPosting>> postings = st;
    if (st.ok()) postings = writer.FlushBands();
    st = postings.status();
    if (st.ok()) st = txn.value()->Commit();
    if (st.ok()) {
      last.entries_before = entries.value();
      last.entries_after = entries.value() + writer.stored();
      last.postings = std::move(postings.value());
      return outcomes;
    }
    if (!txn.value()->map_full()) return st;
    txn.value().reset();  // abort before resizing: LMDB needs no open transaction
    std::unique_lock<std::shared_mutex> no_readers(impl_->map_mutex);
    NEWSARC_RETURN_IF_ERROR(impl_->env->Grow());
  }
}

Result<uint64_t> Archive::EntryCount() {
  auto txn = Txn::Begin(*impl_->env, /*write=*/false);
  if (!txn.ok()) return txn.status();
  return txn.value()->Count(Table::kEntries);
}

Result<std::shared_ptr<const TextDictionary>> Archive::TextDictionaryFor(
    const std::vector<std::string_view>& upcoming) {
  auto txn = Txn::Begin(*impl_->env, /*write=*/true);
  if (!txn.ok()) return txn.status();
  auto existing = LoadTextDictionary(txn.value().get());
  if (!existing.ok() || existing.value()) return existing;
  // Samples: the first stored texts, then the upcoming ones.
  std::vector<std::string> stored;
  VersionStore texts(txn.value().get());
  Status error;
  NEWSARC_RETURN_IF_ERROR(
      txn.value()->ForEach(Table::kSignatures, [&](std::string_view, std::string_view v) {
        auto sig = DecodeSignature(v, params_.num_perms);
        auto text = sig.ok() ? texts.Get(sig->entry) : Result<std::string>(sig.status());
        if (!text.ok()) error = text.status();
        if (!error.ok()) return false;
        stored.push_back(std::move(text.value()));
        return stored.size() < kDictionarySamples;
      }));
  NEWSARC_RETURN_IF_ERROR(error);
  std::vector<std::string_view> samples(stored.begin(), stored.end());
  for (size_t i = 0; i < upcoming.size() && samples.size() < kDictionarySamples; ++i) {
    samples.push_back(upcoming[i]);
  }
  std::optional<std::string> trained = TextDictionary::Train(samples);
  if (!trained) return std::shared_ptr<const TextDictionary>();
  auto dict = TextDictionary::Load(*trained);
  if (!dict.ok()) return dict.status();
  NEWSARC_RETURN_IF_ERROR(txn.value()->Put(Table::kMeta, kDictionaryKey, *trained));
  NEWSARC_RETURN_IF_ERROR(txn.value()->Commit());
  return dict;
}

Result<std::vector<Match>> Archive::FindSimilar(const Signature& signature, double threshold,
                                                uint64_t exclude_story,
                                                const std::vector<uint64_t>* shingles) {
  if (static_cast<int>(signature.size()) != params_.num_perms) {
    return Status::InvalidInput("signature length does not match the archive");
  }
  auto txn = Txn::Begin(*impl_->env, /*write=*/false);
  if (!txn.ok()) return txn.status();
  TxnIndex index(txn.value().get(), params_);
  // Banding is tuned for recall down to the version threshold; below it,
  // compare with every stored signature so that no pair is missed.
  auto candidates = threshold >= params_.version_threshold
                        ? index.CandidatesOf(signature, BandKeys(signature, params_.bands))
                        : index.AllSimilarities(signature);
  if (!candidates.ok()) return candidates.status();
  if (shingles != nullptr) {
    NEWSARC_RETURN_IF_ERROR(VerifyNear(*shingles, threshold, index, &candidates.value()));
  }
  std::map<uint64_t, Match> best_per_story;
  for (const Match& m : candidates.value()) {
    if (m.entry.story == exclude_story || m.similarity < threshold) continue;
    auto it = best_per_story.find(m.entry.story);
    if (it == best_per_story.end() || BestMatch({it->second, m})->entry == m.entry) {
      best_per_story[m.entry.story] = m;
    }
  }
  std::vector<Match> out;
  for (const auto& [story, m] : best_per_story) out.push_back(m);
  std::stable_sort(out.begin(), out.end(),
                   [](const Match& a, const Match& b) { return a.similarity > b.similarity; });
  return out;
}

Result<EntryInfo> Archive::GetEntry(EntryRef ref) {
  auto txn = Txn::Begin(*impl_->env, /*write=*/false);
  if (!txn.ok()) return txn.status();
  auto story = txn.value()->Get(Table::kStories, StoryKey(ref.story));
  if (!story.ok()) return story.status();
  if (!story.value()) return Status::NotFound("no story " + std::to_string(ref.story));
  auto rec = DecodeStory(*story.value());
  if (!rec.ok()) return rec.status();
  if (ref.version == 0) ref.version = rec->entries;
  if (ref.version > rec->entries) {
    return Status::NotFound("story " + std::to_string(ref.story) + " has no version " +
                            std::to_string(ref.version));
  }
  auto v = txn.value()->Get(Table::kEntries, EntryKey(ref));
  if (!v.ok()) return v.status();
  if (!v.value()) return Status::Corruption("entry " + FormatEntryRef(ref) + " missing");
  return DecodeEntry(ref, *v.value());
}

Result<Signature> Archive::GetSignature(EntryRef ref) {
  auto txn = Txn::Begin(*impl_->env, /*write=*/false);
  if (!txn.ok()) return txn.status();
  return TxnIndex(txn.value().get(), params_).SignatureOf(ref);
}

Result<std::vector<uint64_t>> Archive::GetShingles(EntryRef ref) {
  auto txn = Txn::Begin(*impl_->env, /*write=*/false);
  if (!txn.ok()) return txn.status();
  return TxnIndex(txn.value().get(), params_).ShinglesOf(ref);
}

namespace {

Result<std::vector<EntryInfo>> EntriesOf(Txn* txn, uint64_t story) {
  std::vector<EntryInfo> out;
  Status error;
  NEWSARC_RETURN_IF_ERROR(txn->ForEach(
      Table::kEntries,
      [&](std::string_view k, std::string_view v) {
        EntryRef ref = DecodeEntryKey(k);
        if (ref.story != story) return false;
        auto e = DecodeEntry(ref, v);
        if (!e.ok()) error = e.status();
        if (!error.ok()) return false;
        out.push_back(std::move(e.value()));
        return true;
      },
      EntryKey({story, 0})));
  if (!error.ok()) return error;
  return out;
}

// Entries in ingest order: the signatures table is keyed by sequence.
Result<std::vector<EntryRef>> EntriesInIngestOrder(Txn* txn) {
  std::vector<EntryRef> out;
  NEWSARC_RETURN_IF_ERROR(
      txn->ForEach(Table::kSignatures, [&](std::string_view, std::string_view v) {
        out.push_back(DecodeEntryKey(v));
        return true;
      }));
  return out;
}

}  // namespace

Result<std::vector<EntryInfo>> Archive::ListEntries(uint64_t story) {
  auto txn = Txn::Begin(*impl_->env, /*write=*/false);
  if (!txn.ok()) return txn.status();
  auto entries = EntriesOf(txn.value().get(), story);
  if (entries.ok() && entries->empty()) {
    return Status::NotFound("no story " + std::to_string(story));
  }
  return entries;
}

Result<std::string> Archive::GetText(EntryRef ref) {
  auto entry = GetEntry(ref);  // resolves version 0 and reports unknown entries
  if (!entry.ok()) return entry.status();
  auto txn = Txn::Begin(*impl_->env, /*write=*/false);
  if (!txn.ok()) return txn.status();
  return VersionStore(txn.value().get()).Get(entry->ref);
}

Status Archive::ForEachEntry(
    const std::function<Status(const EntryInfo&, const std::string&)>& fn) {
  auto txn = Txn::Begin(*impl_->env, /*write=*/false);
  if (!txn.ok()) return txn.status();
  auto order = EntriesInIngestOrder(txn.value().get());
  if (!order.ok()) return order.status();
  VersionStore texts(txn.value().get());
  for (EntryRef ref : order.value()) {
    auto v = txn.value()->Get(Table::kEntries, EntryKey(ref));
    if (!v.ok()) return v.status();
    if (!v.value()) return Status::Corruption("entry " + FormatEntryRef(ref) + " vanished");
    auto entry = DecodeEntry(ref, *v.value());
    if (!entry.ok()) return entry.status();
    auto text = texts.Get(ref);
    if (!text.ok()) return text.status();
    NEWSARC_RETURN_IF_ERROR(fn(entry.value(), text.value()));
  }
  return Status::Ok();
}

Result<ArchiveStats> Archive::Stats() {
  auto txn = Txn::Begin(*impl_->env, /*write=*/false);
  if (!txn.ok()) return txn.status();
  ArchiveStats s;
  std::pair<Table, uint64_t*> counts[] = {{Table::kStories, &s.stories},
                                          {Table::kEntries, &s.entries},
                                          {Table::kSightings, &s.sightings},
                                          {Table::kRejects, &s.rejects}};
  for (auto [table, field] : counts) {
    auto n = txn.value()->Count(table);
    if (!n.ok()) return n.status();
    *field = n.value();
  }
  Status error;
  NEWSARC_RETURN_IF_ERROR(
      txn.value()->ForEach(Table::kEntries, [&](std::string_view k, std::string_view v) {
        auto e = DecodeEntry(DecodeEntryKey(k), v);
        if (!e.ok()) error = e.status();
        if (!error.ok()) return false;
        s.versions += e->verdict == Verdict::kVersion;
        s.text_raw_bytes += e->raw_size;
        s.copies += e->verdict == Verdict::kNearDuplicate;
        return true;
      }));
  NEWSARC_RETURN_IF_ERROR(
      txn.value()->ForEach(Table::kTexts, [&](std::string_view k, std::string_view v) {
        auto t = DecodeText(v, DecodeEntryKey(k).version);
        if (!t.ok()) error = t.status();
        if (!error.ok()) return false;
        s.text_stored_bytes += v.size();
        s.delta_texts += t->codec == kCodecZstdDelta;
        s.dictionary_texts += t->codec == kCodecZstdDict;
        return true;
      }));
  if (!error.ok()) return error;
  auto dict = txn.value()->Get(Table::kMeta, kDictionaryKey);
  if (!dict.ok()) return dict.status();
  if (dict.value()) s.dictionary_bytes = dict.value()->size();
  s.file_bytes = impl_->env->FileSize();
  return s;
}

Result<CheckReport> Archive::Check() {
  auto txn = Txn::Begin(*impl_->env, /*write=*/false);
  if (!txn.ok()) return txn.status();
  return CheckArchive(txn.value().get(), params_);
}

}  // namespace newsarc
