// Store: RAII over LMDB (the one file that speaks LMDB's error codes).
//
// An LmdbEnv is one archive directory with its named tables; a Txn is one
// read or write transaction on it. Nothing is written until Commit(); a Txn
// destroyed without Commit() aborts, so an error path can never leave half
// a batch behind. Values returned by Get() point into the map and stay
// valid until the transaction ends.
#pragma once

#include <lmdb.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "newsarc/status.h"

namespace newsarc {

enum class Table {
  kMeta,         // "format", "params"
  kStories,      // story id -> StoryRecord
  kEntries,      // story id + version -> EntryRecord
  kTexts,        // story id + version -> TextRecord
  kLegacyExact,  // formats 1-4 only, dropped by the upgrade to format 5: normalized-text
                 // XXH3-128 -> story id + version
  kKeys,         // XXH3-128 of key -> story id + version + exact hash
  kSignatures,   // entry sequence -> entry key + P x u16 (format 3)
  kBandRuns,     // run + band + first hash -> sorted postings (format 3, band_runs.h)
  kSightings,    // sequence -> SightingRecord
  kRejects,      // sequence -> RejectRecord
  // Formats 1 and 2, read only by the upgrade to format 3 (upgrade.h):
  kLegacySignatures,  // story id + version -> P x u32
  kLegacyBands,       // band key -> story id + version (DUPSORT, DUPFIXED)
  kCount
};

class Txn;

class LmdbEnv {
 public:
  // Opens the archive directory `dir`; with `create`, makes the directory
  // and the environment when missing.
  static Result<std::unique_ptr<LmdbEnv>> Open(const std::string& dir, bool create,
                                               size_t map_bytes = size_t{1} << 30);
  ~LmdbEnv();
  LmdbEnv(const LmdbEnv&) = delete;
  LmdbEnv& operator=(const LmdbEnv&) = delete;

  MDB_env* env() const { return env_; }
  MDB_dbi dbi(Table t) const { return dbis_[static_cast<int>(t)]; }
  // False for a table this archive's format does not have (yet).
  bool has(Table t) const { return present_[static_cast<int>(t)]; }
  // Doubles the map size; call with no transaction open.
  Status Grow();
  // True when the archive's pages fill more than 3/4 of the map. A writer
  // grows the map before its next transaction then: a transaction that
  // runs out of map fails with MDB_MAP_FULL and has to be written again.
  bool NearlyFull() const;
  size_t MapSize() const;
  // Bytes the data file takes on disk.
  uint64_t FileSize() const;
  // Unmaps the archive's pages from this process (mapped_pages.h) once its
  // resident memory passes `bytes` (0: never) with a quarter of the limit or
  // more in file pages. A batch of a long ingest reads most of a large
  // archive, and the kernel maps 16 pages around each page read: without
  // this, the resident set grows to the file's size. Cheap when nothing is
  // to be done; safe at any moment, inside a transaction too (pages are
  // mapped again when read).
  void set_resident_limit(uint64_t bytes) { resident_limit_ = bytes; }
  void TrimMapped();

 private:
  explicit LmdbEnv(MDB_env* env, std::string dir) : env_(env), dir_(std::move(dir)) {}
  Status OpenTables(bool create);
  uint64_t UsedBytes() const;  // pages in use, up to the last one
  MDB_env* env_;
  std::string dir_;
  std::mutex remap_mutex_;  // TrimMapped against LMDB moving the map
  uint64_t resident_limit_ = 0;
  MDB_dbi dbis_[static_cast<int>(Table::kCount)] = {};
  bool present_[static_cast<int>(Table::kCount)] = {};
  friend class Txn;  // CreateTable, DropTable, remap_mutex_
};

// A position in one table. Views returned by key() and value() point into
// the map and stay valid until the next write to this table.
class TableCursor {
 public:
  ~TableCursor();
  TableCursor(const TableCursor&) = delete;
  TableCursor& operator=(const TableCursor&) = delete;
  // Moves to the first key >= `key`; false past the end.
  Result<bool> Seek(std::string_view key);
  Result<bool> Next();
  Result<bool> Prev();
  Result<bool> Last();
  std::string_view key() const { return key_; }
  std::string_view value() const { return value_; }

 private:
  friend class Txn;
  TableCursor(Txn* txn, MDB_cursor* cursor) : txn_(txn), cursor_(cursor) {}
  Result<bool> Move(MDB_val* k, int op);
  Txn* txn_;
  MDB_cursor* cursor_;
  std::string_view key_, value_;
};

class Txn {
 public:
  static Result<std::unique_ptr<Txn>> Begin(LmdbEnv& env, bool write);
  ~Txn();
  Txn(const Txn&) = delete;
  Txn& operator=(const Txn&) = delete;

  // The value at `key`, or nullopt. The view lives as long as the Txn.
  Result<std::optional<std::string_view>> Get(Table t, std::string_view key);
  Status Put(Table t, std::string_view key, std::string_view value);
  // Put of a key greater than every key in `t` (LMDB fills pages completely).
  Status Append(Table t, std::string_view key, std::string_view value);
  // Deletes every record whose key starts with `prefix`.
  Status DeletePrefix(Table t, std::string_view prefix);
  Result<std::unique_ptr<TableCursor>> OpenCursor(Table t);
  // Creates a table the archive does not have yet / deletes one (upgrades).
  Status CreateTable(Table t);
  Status DropTable(Table t);
  bool has(Table t) const { return env_.has(t); }
  // Calls fn(key, value) for every record in key order, from the first key
  // >= `from`; fn returns false to stop.
  Status ForEach(Table t, const std::function<bool(std::string_view, std::string_view)>& fn,
                 std::string_view from = {});
  // The last key of a table, or nullopt when it is empty.
  Result<std::optional<std::string_view>> LastKey(Table t);
  // Number of records (duplicates counted) in `t`.
  Result<uint64_t> Count(Table t);
  Status Commit();
  void TrimMapped() { env_.TrimMapped(); }

  // True once an operation failed because the map is full: abort, Grow(), retry.
  bool map_full() const { return map_full_; }

 private:
  friend class TableCursor;
  Txn(LmdbEnv& env, MDB_txn* txn) : env_(env), txn_(txn) {}
  Status Check(int rc, const char* what);
  LmdbEnv& env_;
  MDB_txn* txn_;
  bool map_full_ = false;
};

}  // namespace newsarc
