#include "version_store.h"

#include <xxhash.h>

#include "codec.h"

namespace newsarc {
namespace {

// Decoded texts kept for later deltas of the same transaction.
constexpr size_t kDecodedCacheBytes = 64u << 20;

std::pair<uint64_t, uint32_t> Slot(EntryRef ref) { return {ref.story, ref.version}; }

std::string Where(EntryRef ref) {
  return "story " + std::to_string(ref.story) + " version " + std::to_string(ref.version);
}

Status Damaged(EntryRef ref, const std::string& why) {
  return Status::Corruption(Where(ref) + ": " + why);
}

}  // namespace

Result<std::shared_ptr<const TextDictionary>> LoadTextDictionary(Txn* txn) {
  auto v = txn->Get(Table::kMeta, kDictionaryKey);
  if (!v.ok()) return v.status();
  if (!v.value()) return std::shared_ptr<const TextDictionary>();
  return TextDictionary::Load(std::string(*v.value()));
}

Result<const TextDictionary*> VersionStore::Dictionary() {
  if (!dict_) {
    auto dict = LoadTextDictionary(txn_);
    if (!dict.ok()) return dict.status();
    if (!dict.value()) return Status::Corruption("the archive has no text dictionary");
    dict_ = std::move(dict.value());
  }
  return dict_.get();
}

Result<TextRecord> VersionStore::Record(EntryRef ref) {
  auto v = txn_->Get(Table::kTexts, EntryKey(ref));
  if (!v.ok()) return v.status();
  if (!v.value()) return Damaged(ref, "stored text is missing");
  auto rec = DecodeText(*v.value(), ref.version);
  if (!rec.ok()) return Damaged(ref, rec.status().message());
  return rec;
}

Status VersionStore::Put(EntryRef ref, std::string_view raw, std::string_view full_frame,
                         bool with_dictionary, EntryRef reference) {
  TextRecord rec;
  rec.version = ref.version;
  rec.frame = full_frame;
  if (with_dictionary) rec.codec = kCodecZstdDict;
  std::string delta;
  if (reference.valid()) {
    auto ref_rec = Record(reference);
    if (!ref_rec.ok()) return ref_rec.status();
    if (ref_rec->depth + 1 < kMaxChain) {
      auto ref_text = Get(reference);
      if (!ref_text.ok()) return ref_text.status();
      delta = CompressDelta(raw, ref_text.value());
      if (!delta.empty() && delta.size() < full_frame.size()) {
        rec.codec = kCodecZstdDelta;
        rec.reference = reference.version;
        rec.depth = static_cast<uint8_t>(ref_rec->depth + 1);
        rec.frame = delta;
      }
    }
  }
  // The first entry of a new story has the largest key so far: appending
  // fills leaf pages instead of splitting them in half.
  const std::string key = EntryKey(ref), value = EncodeText(rec);
  NEWSARC_RETURN_IF_ERROR(ref.version == 1 ? txn_->Append(Table::kTexts, key, value)
                                           : txn_->Put(Table::kTexts, key, value));
  written_[Slot(ref)] = raw;
  return Status::Ok();
}

Result<std::string> VersionStore::Get(EntryRef ref) { return Decode(ref, kMaxChain); }

Result<std::string> VersionStore::Decode(EntryRef ref, int budget) {
  if (auto it = written_.find(Slot(ref)); it != written_.end()) return std::string(it->second);
  if (auto it = decoded_.find(Slot(ref)); it != decoded_.end()) return it->second;
  auto rec = Record(ref);
  if (!rec.ok()) return rec.status();
  std::string reference;
  if (rec->codec == kCodecZstdDelta) {
    // References point strictly backwards (DecodeText checks), so a chain
    // ends; the budget also bounds one that a damaged record made too long.
    if (budget <= 1) return Damaged(ref, "delta chain longer than " + std::to_string(kMaxChain));
    auto base = Decode({ref.story, rec->reference}, budget - 1);
    if (!base.ok()) return base.status();
    reference = std::move(base.value());
  }
  auto entry = txn_->Get(Table::kEntries, EntryKey(ref));
  if (!entry.ok()) return entry.status();
  if (!entry.value()) return Damaged(ref, "text has no entry record");
  auto info = DecodeEntry(ref, *entry.value());
  if (!info.ok()) return Damaged(ref, info.status().message());
  const TextDictionary* dict = nullptr;
  if (rec->codec == kCodecZstdDict) {
    auto loaded = Dictionary();
    if (!loaded.ok()) return Damaged(ref, loaded.status().message());
    dict = loaded.value();
  }
  auto text =
      DecompressText(rec->frame, info->raw_size, reference, rec->codec == kCodecZstdFormat1, dict);
  if (!text.ok()) return Damaged(ref, text.status().message());
  if (XXH3_64bits(text->data(), text->size()) != info->checksum) {
    return Damaged(ref, "text does not match its checksum");
  }
  Remember(ref, text.value());
  return text;
}

void VersionStore::Remember(EntryRef ref, std::string text) {
  if (decoded_bytes_ + text.size() > kDecodedCacheBytes) {
    decoded_.clear();
    decoded_bytes_ = 0;
  }
  decoded_bytes_ += text.size();
  decoded_.emplace(Slot(ref), std::move(text));
}

}  // namespace newsarc
