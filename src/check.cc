#include "check.h"

#include <map>

#include "newsarc/lsh.h"
#include "records.h"
#include "version_store.h"

namespace newsarc {
namespace {

std::string Where(EntryRef ref) {
  return "story " + std::to_string(ref.story) + " version " + std::to_string(ref.version);
}

class Checker {
 public:
  Checker(Txn* txn, const ArchiveParams& params) : txn_(txn), params_(params), texts_(txn) {}

  Result<CheckReport> Run() {
    NEWSARC_RETURN_IF_ERROR(ReadStories());
    NEWSARC_RETURN_IF_ERROR(CheckEntries());
    for (const auto& [story, rec] : stories_) {
      if (seen_[story] != rec.entries) {
        Problem("story " + std::to_string(story) + ": record says " + std::to_string(rec.entries) +
                " entries, found " + std::to_string(seen_[story]));
      }
    }
    NEWSARC_RETURN_IF_ERROR(CheckCounts());
    NEWSARC_RETURN_IF_ERROR(CheckIndex(Table::kExact, "exact-text index"));
    NEWSARC_RETURN_IF_ERROR(CheckIndex(Table::kKeys, "key index"));
    return std::move(report_);
  }

 private:
  void Problem(std::string what) {
    if (report_.problems.size() < CheckReport::kMaxProblems) {
      report_.problems.push_back(std::move(what));
    }
    ++report_.problem_count;
  }

  Status ReadStories() {
    return txn_->ForEach(Table::kStories, [&](std::string_view k, std::string_view v) {
      uint64_t story = DecodeStoryKey(k);
      auto rec = DecodeStory(v);
      if (!rec.ok()) {
        Problem("story " + std::to_string(story) + ": " + rec.status().message());
      } else {
        stories_[story] = rec.value();
      }
      ++report_.stories;
      return true;
    });
  }

  Status CheckEntries() {
    Status error;
    NEWSARC_RETURN_IF_ERROR(
        txn_->ForEach(Table::kEntries, [&](std::string_view k, std::string_view v) {
          EntryRef ref = DecodeEntryKey(k);
          ++report_.entries;
          ++seen_[ref.story];
          auto entry = DecodeEntry(ref, v);
          if (!entry.ok()) {
            Problem(Where(ref) + ": " + entry.status().message());
            return true;
          }
          error = CheckEntry(entry.value());
          return error.ok();
        }));
    return error;
  }

  // Problems go into the report; only a failure to read returns an error.
  Status CheckEntry(const EntryInfo& e) {
    auto story = stories_.find(e.ref.story);
    if (story == stories_.end()) {
      Problem(Where(e.ref) + ": its story has no record");
    } else if (e.ref.version == 0 || e.ref.version > story->second.entries) {
      Problem(Where(e.ref) + ": version beyond the story's " +
              std::to_string(story->second.entries) + " entries");
    }
    if (e.verdict != Verdict::kNew &&
        !(e.of.valid() && e.of.version < e.ref.version && e.of.story == e.ref.story)) {
      Problem(Where(e.ref) + ": refers to " + FormatEntryRef(e.of) +
              ", not an earlier entry of its story");
    }
    CheckText(e);
    return CheckSignature(e);
  }

  void CheckText(const EntryInfo& e) {
    auto text = texts_.Get(e.ref);
    if (!text.ok()) {
      Problem(text.status().message());
      return;
    }
    ++report_.texts;
    report_.text_bytes += text->size();
  }

  Status CheckSignature(const EntryInfo& e) {
    const std::string key = EntryKey(e.ref);
    auto v = txn_->Get(Table::kSignatures, key);
    if (!v.ok()) return v.status();
    if (!v.value()) {
      Problem(Where(e.ref) + ": no signature");
      return Status::Ok();
    }
    auto sig = DecodeSignature(*v.value(), params_.num_perms);
    if (!sig.ok()) {
      Problem(Where(e.ref) + ": " + sig.status().message());
      return Status::Ok();
    }
    int missing = 0;
    for (uint64_t band : BandKeys(sig.value(), params_.bands)) {
      auto has = txn_->HasDup(Table::kBands, BandKey(band), key);
      if (!has.ok()) return has.status();
      missing += !has.value();
      ++report_.band_entries;
    }
    if (missing > 0) {
      Problem(Where(e.ref) + ": " + std::to_string(missing) + " of " +
              std::to_string(params_.bands.bands) + " band index entries missing");
    }
    return Status::Ok();
  }

  // Every table keyed by entry has one record per entry; the band index has
  // one per band per entry (checked present above, so a count above that
  // means stale entries).
  Status CheckCounts() {
    std::pair<Table, const char*> tables[] = {{Table::kTexts, "texts"},
                                              {Table::kSignatures, "signatures"}};
    for (auto [table, name] : tables) {
      auto n = txn_->Count(table);
      if (!n.ok()) return n.status();
      if (n.value() != report_.entries) {
        Problem(std::string(name) + " table has " + std::to_string(n.value()) + " records for " +
                std::to_string(report_.entries) + " entries");
      }
    }
    auto bands = txn_->Count(Table::kBands);
    if (!bands.ok()) return bands.status();
    if (bands.value() > report_.band_entries) {
      Problem("band index has " + std::to_string(bands.value() - report_.band_entries) +
              " entries that belong to no stored entry");
    }
    return Status::Ok();
  }

  // Index tables whose values start with an entry key must point at a
  // stored entry.
  Status CheckIndex(Table table, const char* name) {
    Status error;
    NEWSARC_RETURN_IF_ERROR(txn_->ForEach(table, [&](std::string_view, std::string_view v) {
      EntryRef ref = DecodeEntryKey(v);
      auto entry = txn_->Get(Table::kEntries, EntryKey(ref));
      if (!entry.ok()) error = entry.status();
      if (!error.ok()) return false;
      if (!ref.valid() || !entry.value()) {
        Problem(std::string(name) + " points at " + FormatEntryRef(ref) + ", which is not stored");
      }
      return true;
    }));
    return error;
  }

  Txn* txn_;
  const ArchiveParams& params_;
  VersionStore texts_;
  CheckReport report_;
  std::map<uint64_t, StoryRecord> stories_;
  std::map<uint64_t, uint32_t> seen_;
};

}  // namespace

Result<CheckReport> CheckArchive(Txn* txn, const ArchiveParams& params) {
  return Checker(txn, params).Run();
}

}  // namespace newsarc
