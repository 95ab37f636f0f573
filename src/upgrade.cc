#include "upgrade.h"

#include <algorithm>

#include "band_runs.h"
#include "newsarc/lsh.h"
#include "records.h"

namespace newsarc {
namespace {

// Entries in ingest order. Format 1 entries carry no sequence number; their
// ingest time stands in for it, then their key order.
Result<std::vector<EntryInfo>> EntriesInIngestOrder(Txn* txn) {
  std::vector<EntryInfo> out;
  Status error;
  NEWSARC_RETURN_IF_ERROR(
      txn->ForEach(Table::kEntries, [&](std::string_view k, std::string_view v) {
        auto e = DecodeEntry(DecodeEntryKey(k), v);
        if (!e.ok()) error = e.status();
        if (!error.ok()) return false;
        out.push_back(std::move(e.value()));
        return true;
      }));
  if (!error.ok()) return error;
  std::stable_sort(out.begin(), out.end(), [](const EntryInfo& a, const EntryInfo& b) {
    if (a.seq != b.seq) return a.seq < b.seq;
    return a.ingest_time < b.ingest_time;
  });
  return out;
}

}  // namespace

Result<uint32_t> ReadFormat(Txn* txn) {
  auto v = txn->Get(Table::kMeta, "format");
  if (!v.ok()) return v.status();
  if (!v.value()) return Status::Incompatible("not a newsarc archive (no format record)");
  RecordReader r(*v.value());
  uint32_t format = 0;
  if (!r.U32(&format)) return Status::Corruption("format record is truncated");
  return format;
}

// Format 3: band runs and 16-bit signatures keyed by sequence.
static Status UpgradeToFormat3(Txn* txn, uint32_t format, const ArchiveParams& params) {
  if (!txn->has(Table::kLegacySignatures)) {
    return Status::Corruption("format " + std::to_string(format) + " archive has no signatures");
  }
  NEWSARC_RETURN_IF_ERROR(txn->CreateTable(Table::kSignatures));
  NEWSARC_RETURN_IF_ERROR(txn->CreateTable(Table::kBandRuns));
  auto entries = EntriesInIngestOrder(txn);
  if (!entries.ok()) return entries.status();
  std::vector<BandPosting> postings;
  postings.reserve(entries->size() * params.bands.bands);
  uint64_t seq = 0;
  for (EntryInfo& e : entries.value()) {
    const std::string key = EntryKey(e.ref);
    if (e.seq != ++seq) {
      e.seq = seq;
      NEWSARC_RETURN_IF_ERROR(txn->Put(Table::kEntries, key, EncodeEntry(e)));
    }
    auto v = txn->Get(Table::kLegacySignatures, key);
    if (!v.ok()) return v.status();
    if (!v.value()) return Status::Corruption("no signature for entry " + FormatEntryRef(e.ref));
    auto sig = DecodeLegacySignature(*v.value(), params.num_perms);
    if (!sig.ok()) return sig.status();
    NEWSARC_RETURN_IF_ERROR(
        txn->Append(Table::kSignatures, SequenceKey(seq), EncodeSignature(e.ref, sig.value())));
    for (uint64_t band : BandKeys(sig.value(), params.bands)) {
      postings.push_back({band, static_cast<uint32_t>(seq)});
    }
  }
  auto runs = BandRuns::Load(txn);
  if (!runs.ok()) return runs.status();
  NEWSARC_RETURN_IF_ERROR(runs->Add(txn, std::move(postings), seq));
  NEWSARC_RETURN_IF_ERROR(txn->DropTable(Table::kLegacySignatures));
  if (txn->has(Table::kLegacyBands)) NEWSARC_RETURN_IF_ERROR(txn->DropTable(Table::kLegacyBands));
  return Status::Ok();
}

Status UpgradeArchive(Txn* txn, uint32_t format, const ArchiveParams& params) {
  if (format >= kFormatVersion) return Status::Ok();
  if (format < 3) NEWSARC_RETURN_IF_ERROR(UpgradeToFormat3(txn, format, params));
  // Format 4 only adds what older ones lack: a text dictionary, and a
  // codec for texts compressed with it. Format 5 finds equal texts through
  // the band index, without the exact-text table.
  if (txn->has(Table::kLegacyExact)) NEWSARC_RETURN_IF_ERROR(txn->DropTable(Table::kLegacyExact));
  return txn->Put(Table::kMeta, "format", RecordWriter().U32(kFormatVersion).data());
}

}  // namespace newsarc
