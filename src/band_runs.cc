#include "band_runs.h"

#include <algorithm>
#include <cstring>
#include <memory>

#include "records.h"

namespace newsarc {
namespace {

constexpr std::string_view kRunsKey = "runs";

uint32_t BandOf(uint64_t key) { return static_cast<uint32_t>(key >> 32); }
uint32_t HashOf(uint64_t key) { return static_cast<uint32_t>(key); }

uint32_t LoadU32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

// The postings of one chunk value, read in place.
class ChunkView {
 public:
  explicit ChunkView(std::string_view bytes) : bytes_(bytes) {}
  size_t size() const { return bytes_.size() / BandRuns::kPostingBytes; }
  uint32_t hash(size_t i) const { return LoadU32(bytes_.data() + i * BandRuns::kPostingBytes); }
  uint32_t seq(size_t i) const { return LoadU32(bytes_.data() + i * BandRuns::kPostingBytes + 4); }
  // The first index at or after `from` whose hash is >= h (size() if none):
  // a gallop from `from`, for a sorted sweep whose next hash lies close by.
  size_t LowerBoundFrom(size_t from, uint32_t h) const {
    size_t lo = from, step = 1, hi = from;
    while (hi < size() && hash(hi) < h) {
      lo = hi + 1;
      hi += step;
      step *= 2;
    }
    return LowerBound(h, lo, std::min(hi, size()));
  }

  // Calls fn(seq) for each posting with hash `h`.
  template <typename Fn>
  void ForHash(uint32_t h, Fn fn) const {
    size_t lo = 0, hi = size();
    NarrowTo(h, &lo, &hi);
    for (lo = LowerBound(h, lo, hi); lo < size() && hash(lo) == h; ++lo) fn(seq(lo));
  }

 private:
  // The first index in [lo, hi) whose hash is >= h, or hi.
  size_t LowerBound(uint32_t h, size_t lo, size_t hi) const {
    while (lo < hi) {
      size_t mid = (lo + hi) / 2;
      if (hash(mid) < h) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  // Band hashes are uniform, so the position of `h` is close to where its
  // value lies between the chunk's first and last hash: a guess and a
  // gallop around it replace most of a binary search's dependent cache
  // misses. Leaves the first index with hash >= h in [*lo, *hi).
  void NarrowTo(uint32_t h, size_t* lo, size_t* hi) const {
    const size_t n = size();
    if (n < 16) return;
    const uint32_t a = hash(0), b = hash(n - 1);
    if (h <= a || h > b) return;
    const size_t guess = static_cast<size_t>(uint64_t{h - a} * (n - 1) / (uint64_t{b} - a));
    size_t step = 4;
    if (hash(guess) < h) {  // the answer is after guess
      *lo = guess + 1;
      for (size_t p = guess + step; p < n; step *= 2, p = guess + step) {
        if (hash(p) >= h) {
          *hi = p + 1;
          return;
        }
        *lo = p + 1;
      }
    } else {  // the answer is at or before guess
      *hi = guess + 1;
      for (size_t p; step <= guess; step *= 2) {
        p = guess - step;
        if (hash(p) < h) {
          *lo = p + 1;
          return;
        }
        *hi = p + 1;
      }
    }
  }

  std::string_view bytes_;
};

// Writes the postings of one run, in key order, as chunks appended at the
// end of the table (a new run's id is larger than every stored one).
class ChunkWriter {
 public:
  ChunkWriter(Txn* txn, uint32_t run) : txn_(txn), run_(run) {}

  Status Add(BandPosting p) {
    const bool next_band = count_ > 0 && BandOf(p.key) != band_;
    if (count_ == BandRuns::kChunkPostings || next_band) NEWSARC_RETURN_IF_ERROR(Flush());
    if (next_band) txn_->TrimMapped();  // a merge reads each band of its runs once
    if (count_ == 0) {
      band_ = BandOf(p.key);
      first_ = HashOf(p.key);
      first_seq_ = p.seq;
    }
    uint32_t fields[2] = {HashOf(p.key), p.seq};
    buffer_.append(reinterpret_cast<const char*>(fields), sizeof(fields));
    ++count_;
    return Status::Ok();
  }

  Status Flush() {
    if (count_ == 0) return Status::Ok();
    NEWSARC_RETURN_IF_ERROR(
        txn_->Append(Table::kBandRuns, BandChunkKey(run_, band_, first_, first_seq_), buffer_));
    buffer_.clear();
    count_ = 0;
    return Status::Ok();
  }

 private:
  Txn* txn_;
  uint32_t run_;
  std::string buffer_;
  size_t count_ = 0;
  uint32_t band_ = 0, first_ = 0, first_seq_ = 0;
};

// Reads the postings of one run in key order, checking the layout on the way.
class RunReader {
 public:
  static Result<std::unique_ptr<RunReader>> Open(Txn* txn, uint32_t run) {
    auto cursor = txn->OpenCursor(Table::kBandRuns);
    if (!cursor.ok()) return cursor.status();
    std::unique_ptr<RunReader> r(new RunReader(std::move(cursor.value()), run));
    auto found = r->cursor_->Seek(BandRunPrefix(run));
    if (!found.ok()) return found.status();
    r->more_ = found.value();
    NEWSARC_RETURN_IF_ERROR(r->Load());
    return r;
  }

  bool done() const { return pos_ >= chunk_.size(); }
  BandPosting current() const { return chunk_[pos_]; }

  Status Advance() {
    if (++pos_ < chunk_.size()) return Status::Ok();
    auto next = cursor_->Next();
    if (!next.ok()) return next.status();
    more_ = next.value();
    return Load();
  }

 private:
  RunReader(std::unique_ptr<TableCursor> cursor, uint32_t run)
      : cursor_(std::move(cursor)), run_(run) {}

  // Copies the chunk under the cursor, if it belongs to this run: merging
  // appends to the table while reading it, which may move leaf pages.
  Status Load() {
    chunk_.clear();
    pos_ = 0;
    uint32_t run, band, first, first_seq;
    if (!more_ || !DecodeBandChunkKey(cursor_->key(), &run, &band, &first, &first_seq) ||
        run != run_) {
      return Status::Ok();
    }
    std::string where = "band index run " + std::to_string(run) + " band " + std::to_string(band) +
                        " chunk " + std::to_string(first);
    std::string_view v = cursor_->value();
    ChunkView view(v);
    if (v.empty() || v.size() % BandRuns::kPostingBytes != 0 ||
        view.size() > BandRuns::kChunkPostings) {
      return Status::Corruption(where + ": a chunk of " + std::to_string(v.size()) + " bytes");
    }
    if (view.hash(0) != first || view.seq(0) != first_seq) {
      return Status::Corruption(where + ": key and first posting differ");
    }
    for (size_t i = 0; i < view.size(); ++i) {
      BandPosting p{uint64_t{band} << 32 | view.hash(i), view.seq(i)};
      if (have_last_ && !(last_ < p)) {
        return Status::Corruption(where + ": postings out of order");
      }
      last_ = p;
      have_last_ = true;
      chunk_.push_back(p);
    }
    return Status::Ok();
  }

  std::unique_ptr<TableCursor> cursor_;
  uint32_t run_;
  bool more_ = false;
  std::vector<BandPosting> chunk_;
  size_t pos_ = 0;
  BandPosting last_{};
  bool have_last_ = false;
};

// The chunk a lookup is in: chunk `data` of (run, band) holds every posting
// with lo <= hash < hi (a hash equal to hi may also start the next chunk).
struct Window {
  bool valid = false;
  uint32_t band = 0;
  uint64_t lo = 0, hi = 0;
  std::string_view data;
  bool Covers(uint32_t band_of, uint32_t h) const {
    return valid && band == band_of && lo <= h && h < hi;
  }
};

bool InBand(const TableCursor& c, uint32_t run, uint32_t band, uint32_t* first) {
  uint32_t r, b, seq;
  return DecodeBandChunkKey(c.key(), &r, &b, first, &seq) && r == run && b == band;
}

// Positions `w` on the chunk of `run` that may hold hash `h` of `band`, and
// reports postings with hash h that lie in the chunks starting at h.
Status Seek(TableCursor* c, uint32_t run, uint32_t band, uint32_t h, Window* w,
            const std::function<void(uint32_t)>& emit_seq) {
  *w = Window{true, band, 0, uint64_t{1} << 32, {}};
  auto found = c->Seek(BandChunkKey(run, band, h));
  if (!found.ok()) return found.status();
  uint32_t first = 0;
  bool at_next = found.value() && InBand(*c, run, band, &first);
  if (at_next) w->hi = first;
  // Chunks that start at h itself: read them now, the window ends before h.
  bool moved = false;
  while (at_next && first == h) {
    ChunkView(c->value()).ForHash(h, emit_seq);
    auto next = c->Next();
    if (!next.ok()) return next.status();
    at_next = next.value() && InBand(*c, run, band, &first);
    moved = true;
  }
  if (moved) {  // back to the first chunk at or after h (rare: equal hashes)
    found = c->Seek(BandChunkKey(run, band, h));
    if (!found.ok()) return found.status();
  }
  auto prev = found.value() ? c->Prev() : c->Last();
  if (!prev.ok()) return prev.status();
  if (prev.value() && InBand(*c, run, band, &first)) {
    w->lo = first;
    w->data = c->value();
  }
  return Status::Ok();
}

// The chunks of one (run, band) in order, read with Next(): a sweep visits
// each chunk once instead of seeking the B-tree for it.
class BandChunks {
 public:
  BandChunks(TableCursor* c, uint32_t run, uint32_t band) : c_(c), run_(run), band_(band) {}

  Status First() { return Take(c_->Seek(BandChunkKey(run_, band_, 0))); }
  Status Next() { return Take(c_->Next()); }
  bool valid() const { return valid_; }
  const ChunkView& chunk() const { return chunk_; }

 private:
  // Positions on the chunk under the cursor, if it is one of this band's.
  Status Take(const Result<bool>& found) {
    if (!found.ok()) return found.status();
    uint32_t first;
    valid_ = found.value() && InBand(*c_, run_, band_, &first);
    chunk_ = ChunkView(valid_ ? c_->value() : std::string_view());
    return Status::Ok();
  }

  TableCursor* c_;
  uint32_t run_, band_;
  bool valid_ = false;
  ChunkView chunk_{std::string_view()};
};

// Lookup of the queries [q, end) of one band in one run by a sweep over the
// band's chunks: for a batch, whose queries hit nearly every chunk anyway,
// one pass that reads each chunk front to back costs far less than a seek
// and a binary search per query (the posting arrays are larger than the
// CPU caches). Equal hashes may continue into the next chunk.
Status SweepBand(TableCursor* c, uint32_t run, const BandQuery* q, const BandQuery* end,
                 const std::function<void(uint32_t item, uint32_t seq)>& fn) {
  BandChunks chunks(c, run, BandOf(q->key));
  NEWSARC_RETURN_IF_ERROR(chunks.First());
  size_t p = 0;
  std::vector<uint32_t> seqs;
  while (q < end && chunks.valid()) {
    const uint32_t h = HashOf(q->key);
    // To the first posting with hash >= h, skipping chunks that end below h.
    while (chunks.valid()) {
      const ChunkView& v = chunks.chunk();
      if (v.size() > 0 && v.hash(v.size() - 1) >= h) {
        p = v.LowerBoundFrom(p, h);
        break;
      }
      NEWSARC_RETURN_IF_ERROR(chunks.Next());
      p = 0;
    }
    seqs.clear();
    while (chunks.valid()) {
      const ChunkView& v = chunks.chunk();
      for (; p < v.size() && v.hash(p) == h; ++p) seqs.push_back(v.seq(p));
      if (p < v.size()) break;
      NEWSARC_RETURN_IF_ERROR(chunks.Next());
      p = 0;
    }
    for (; q < end && HashOf(q->key) == h; ++q) {
      for (uint32_t seq : seqs) fn(q->item, seq);
    }
  }
  return Status::Ok();
}

// Lookup of the queries [q, end) of one band in one run, a seek for each
// chunk they fall in: for a few queries (a `dups` query).
Status SeekBand(TableCursor* c, uint32_t run, const BandQuery* q, const BandQuery* end,
                const std::function<void(uint32_t item, uint32_t seq)>& fn) {
  Window w;
  for (; q < end; ++q) {
    uint32_t band = BandOf(q->key), h = HashOf(q->key);
    auto emit = [&](uint32_t seq) { fn(q->item, seq); };
    if (!w.Covers(band, h)) NEWSARC_RETURN_IF_ERROR(Seek(c, run, band, h, &w, emit));
    ChunkView(w.data).ForHash(h, emit);
  }
  return Status::Ok();
}

}  // namespace

void SortBandQueries(std::vector<BandQuery>* queries) {
  // A radix pass costs a 512 KiB histogram: one article's 42 keys (a `dups`
  // query) sort faster by comparison.
  if (queries->size() < 4096) {
    std::stable_sort(queries->begin(), queries->end(),
                     [](const BandQuery& a, const BandQuery& b) { return a.key < b.key; });
    return;
  }
  // Stable LSD passes: hash bits 0-15, hash bits 16-31, then the band.
  std::vector<BandQuery> tmp(queries->size());
  auto pass = [&](int shift, int bits) {
    std::vector<size_t> start((size_t{1} << bits) + 1, 0);
    const uint64_t mask = (uint64_t{1} << bits) - 1;
    for (const BandQuery& q : *queries) ++start[((q.key >> shift) & mask) + 1];
    for (size_t i = 1; i < start.size(); ++i) start[i] += start[i - 1];
    for (const BandQuery& q : *queries) tmp[start[(q.key >> shift) & mask]++] = q;
    queries->swap(tmp);
  };
  uint64_t max_band = 0;
  for (const BandQuery& q : *queries) max_band = std::max(max_band, q.key >> 32);
  pass(0, 16);
  pass(16, 16);
  if (max_band >= (1u << 16)) pass(48, 16);  // not from BandKeys: keep it correct anyway
  if (max_band > 0) pass(32, 16);
}

void JoinPostings(const std::vector<BandQuery>& queries, const std::vector<BandPosting>& postings,
                  const std::function<void(uint32_t item, uint32_t seq)>& fn) {
  size_t p = 0;
  for (size_t q = 0; q < queries.size() && p < postings.size();) {
    uint64_t key = queries[q].key;
    if (postings[p].key < key) {
      p = std::lower_bound(postings.begin() + p, postings.end(), BandPosting{key, 0}) -
          postings.begin();
      continue;
    }
    size_t end = p;
    while (end < postings.size() && postings[end].key == key) ++end;
    for (; q < queries.size() && queries[q].key == key; ++q) {
      for (size_t i = p; i < end; ++i) fn(queries[q].item, postings[i].seq);
    }
    p = end;
  }
}

Result<BandRuns> BandRuns::Load(Txn* txn) {
  BandRuns out;
  auto v = txn->Get(Table::kMeta, kRunsKey);
  if (!v.ok()) return v.status();
  if (!v.value()) return out;
  RecordReader r(*v.value());
  uint32_t n = 0;
  if (!r.U32(&n)) return Status::Corruption("band run list is truncated");
  for (uint32_t i = 0; i < n; ++i) {
    RunInfo run;
    if (!r.U32(&run.id) || !r.U64(&run.entries)) {
      return Status::Corruption("band run list is truncated");
    }
    out.runs_.push_back(run);
  }
  return out;
}

uint64_t BandRuns::entries() const {
  uint64_t n = 0;
  for (const RunInfo& r : runs_) n += r.entries;
  return n;
}

Status BandRuns::Save(Txn* txn) const {
  RecordWriter w;
  w.U32(static_cast<uint32_t>(runs_.size()));
  for (const RunInfo& r : runs_) w.U32(r.id).U64(r.entries);
  return txn->Put(Table::kMeta, kRunsKey, w.data());
}

Status BandRuns::Lookup(Txn* txn, const std::vector<BandQuery>& queries,
                        const std::function<void(uint32_t item, uint32_t seq)>& fn) const {
  for (const RunInfo& run : runs_) {
    auto cursor = txn->OpenCursor(Table::kBandRuns);
    if (!cursor.ok()) return cursor.status();
    // Each entry has one posting per band: a band of this run has about
    // entries / kChunkPostings chunks.
    const size_t chunks_per_band = run.entries / kChunkPostings + 1;
    for (size_t b = 0, e; b < queries.size(); b = e) {
      for (e = b + 1; e < queries.size() && BandOf(queries[e].key) == BandOf(queries[b].key);) ++e;
      const bool dense = (e - b) * 4 >= chunks_per_band;
      NEWSARC_RETURN_IF_ERROR((dense ? SweepBand : SeekBand)(
          cursor.value().get(), run.id, queries.data() + b, queries.data() + e, fn));
      if (dense) txn->TrimMapped();  // a sweep maps a band's postings and moves on
    }
  }
  return Status::Ok();
}

Status BandRuns::Add(Txn* txn, const std::vector<BandPosting>& postings, uint64_t entries,
                     uint64_t max_merged) {
  if (entries == 0) return Status::Ok();
  if (!std::is_sorted(postings.begin(), postings.end())) {
    std::vector<BandPosting> sorted = postings;
    std::sort(sorted.begin(), sorted.end());
    return Add(txn, sorted, entries, max_merged);
  }
  // Binary counter: the new run takes in every newest run not larger than
  // what it has gathered so far.
  uint64_t size = entries;
  size_t keep = runs_.size();
  while (keep > 0 && runs_[keep - 1].entries <= size &&
         size + runs_[keep - 1].entries <= max_merged) {
    size += runs_[--keep].entries;
  }
  uint32_t id = 1;
  for (const RunInfo& r : runs_) id = std::max(id, r.id + 1);

  std::vector<std::unique_ptr<RunReader>> readers;
  for (size_t i = keep; i < runs_.size(); ++i) {
    auto reader = RunReader::Open(txn, runs_[i].id);
    if (!reader.ok()) return reader.status();
    readers.push_back(std::move(reader.value()));
  }
  ChunkWriter out(txn, id);
  size_t next = 0;  // into postings
  for (;;) {
    // The smallest head among the batch and the runs (a handful of them).
    RunReader* from = nullptr;
    for (auto& r : readers) {
      if (!r->done() && (from == nullptr || r->current() < from->current())) from = r.get();
    }
    bool batch_first =
        next < postings.size() && (from == nullptr || postings[next] < from->current());
    if (batch_first) {
      NEWSARC_RETURN_IF_ERROR(out.Add(postings[next++]));
    } else if (from != nullptr) {
      NEWSARC_RETURN_IF_ERROR(out.Add(from->current()));
      NEWSARC_RETURN_IF_ERROR(from->Advance());
    } else {
      break;
    }
  }
  NEWSARC_RETURN_IF_ERROR(out.Flush());
  readers.clear();
  for (size_t i = keep; i < runs_.size(); ++i) {
    NEWSARC_RETURN_IF_ERROR(txn->DeletePrefix(Table::kBandRuns, BandRunPrefix(runs_[i].id)));
  }
  runs_.resize(keep);
  runs_.push_back({id, size});
  return Save(txn);
}

Status BandRuns::ForEach(Txn* txn,
                         const std::function<void(const RunInfo&, BandPosting)>& fn) const {
  for (const RunInfo& run : runs_) {
    auto reader = RunReader::Open(txn, run.id);
    if (!reader.ok()) return reader.status();
    while (!reader.value()->done()) {
      fn(run, reader.value()->current());
      NEWSARC_RETURN_IF_ERROR(reader.value()->Advance());
    }
  }
  return Status::Ok();
}

}  // namespace newsarc
