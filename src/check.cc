#include "check.h"

#include <map>

#include "band_runs.h"
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
    NEWSARC_RETURN_IF_ERROR(CheckBands());
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
    auto v = txn_->Get(Table::kSignatures, SequenceKey(e.seq));
    if (!v.ok()) return v.status();
    if (!v.value()) {
      Problem(Where(e.ref) + ": no signature (sequence " + std::to_string(e.seq) + ")");
      return Status::Ok();
    }
    auto rec = DecodeSignature(*v.value(), params_.num_perms);
    if (!rec.ok()) {
      Problem(Where(e.ref) + ": " + rec.status().message());
      return Status::Ok();
    }
    if (rec->entry != e.ref) {
      Problem(Where(e.ref) + ": its signature (sequence " + std::to_string(e.seq) +
              ") belongs to " + FormatEntryRef(rec->entry));
      return Status::Ok();
    }
    BandSum& expected = expected_[e.seq];
    for (uint64_t band : BandKeys(rec->signature, params_.bands)) expected.Add(band);
    return Status::Ok();
  }

  // Every table keyed by entry has one record per entry.
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
    return Status::Ok();
  }

  // The band runs must hold exactly the band keys of every entry's
  // signature: compared per entry through an order-free sum of the keys.
  Status CheckBands() {
    auto runs = BandRuns::Load(txn_);
    if (!runs.ok()) {
      Problem("band index: " + runs.status().message());
      return Status::Ok();
    }
    if (runs->entries() != report_.entries) {
      Problem("band index covers " + std::to_string(runs->entries()) + " entries of " +
              std::to_string(report_.entries));
    }
    std::map<uint64_t, BandSum> found;
    std::map<uint32_t, uint64_t> per_run;
    uint64_t strays = 0;
    Status st = runs->ForEach(txn_, [&](const RunInfo& run, BandPosting p) {
      ++report_.band_entries;
      ++per_run[run.id];
      if (expected_.count(p.seq) == 0) {
        ++strays;
      } else {
        found[p.seq].Add(p.key);
      }
    });
    if (st.code() == Status::Code::kCorruption) {
      Problem(st.message());
      return Status::Ok();
    }
    NEWSARC_RETURN_IF_ERROR(st);
    if (strays > 0) {
      Problem("band index has " + std::to_string(strays) +
              " entries that belong to no stored entry");
    }
    for (const RunInfo& run : runs->runs()) {
      if (per_run[run.id] != run.entries * params_.bands.bands) {
        Problem("band index run " + std::to_string(run.id) + " holds " +
                std::to_string(per_run[run.id]) + " band keys for " + std::to_string(run.entries) +
                " entries");
      }
    }
    for (const auto& [seq, sum] : expected_) {
      if (found[seq] != sum) {
        Problem("entry sequence " + std::to_string(seq) +
                ": band index entries missing or wrong (" + std::to_string(found[seq].count) +
                " of " + std::to_string(sum.count) + " present)");
      }
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
  // Band keys of an entry, summed after mixing, and counted.
  struct BandSum {
    uint64_t sum = 0;
    uint32_t count = 0;
    void Add(uint64_t key) {
      uint64_t state = key;
      sum += SplitMix64(&state);
      ++count;
    }
    bool operator==(const BandSum&) const = default;
  };
  std::map<uint64_t, BandSum> expected_;  // by sequence
};

}  // namespace

Result<CheckReport> CheckArchive(Txn* txn, const ArchiveParams& params) {
  return Checker(txn, params).Run();
}

}  // namespace newsarc
