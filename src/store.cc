#include "store.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "mapped_pages.h"

namespace newsarc {
namespace {

// Which archives have a table: every format, format 3 on (created by the
// upgrade when missing), or older formats only (dropped by the upgrade:
// `signatures` and `bands` after format 2, `exact` after format 4).
enum class Since { kAlways, kFormat3, kLegacy };
struct TableSpec {
  const char* name;
  unsigned flags;
  Since since;
};
constexpr TableSpec kTables[] = {
    {"meta", 0, Since::kAlways},       {"stories", 0, Since::kAlways},
    {"entries", 0, Since::kAlways},    {"texts", 0, Since::kAlways},
    {"exact", 0, Since::kLegacy},      {"keys", 0, Since::kAlways},
    {"sigs", 0, Since::kFormat3},      {"band_runs", 0, Since::kFormat3},
    {"sightings", 0, Since::kAlways},  {"rejects", 0, Since::kAlways},
    {"signatures", 0, Since::kLegacy}, {"bands", MDB_DUPSORT | MDB_DUPFIXED, Since::kLegacy},
};
static_assert(sizeof(kTables) / sizeof(kTables[0]) == static_cast<int>(Table::kCount));

Status FromLmdb(int rc, const std::string& what) {
  if (rc == MDB_SUCCESS) return Status::Ok();  // the hot path builds no message
  std::string msg = what + ": " + mdb_strerror(rc);
  switch (rc) {
    case MDB_CORRUPTED:
    case MDB_PAGE_NOTFOUND:
    case MDB_BAD_TXN:
      return Status::Corruption(msg);
    case MDB_INVALID:
    case MDB_VERSION_MISMATCH:
      return Status::Incompatible(msg);
    case EIO:
    case ENOSPC:
    case EFBIG:
    case EDQUOT:
      // LMDB reports a short write on a full disk as EIO.
      return Status::IOError(
          what + ": could not write the archive (disk full or over quota?): " + mdb_strerror(rc));
    default:
      return Status::IOError(msg);
  }
}

MDB_val Val(std::string_view s) { return MDB_val{s.size(), const_cast<char*>(s.data())}; }
std::string_view View(const MDB_val& v) {
  return std::string_view(static_cast<const char*>(v.mv_data), v.mv_size);
}

}  // namespace

Result<std::unique_ptr<LmdbEnv>> LmdbEnv::Open(const std::string& dir, bool create,
                                               size_t map_bytes) {
  if (create) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return Status::IOError("cannot create " + dir + ": " + ec.message());
  }
  MDB_env* env = nullptr;
  int rc = mdb_env_create(&env);
  if (rc != MDB_SUCCESS) return FromLmdb(rc, "mdb_env_create");
  std::unique_ptr<LmdbEnv> out(new LmdbEnv(env, dir));
  mdb_env_set_maxdbs(env, static_cast<MDB_dbi>(Table::kCount) + 2);
  mdb_env_set_mapsize(env, map_bytes);  // virtual: the file grows as needed
  mdb_env_set_maxreaders(env, 126);
  rc = mdb_env_open(env, dir.c_str(), MDB_NOTLS, 0644);
  if (rc != MDB_SUCCESS) return FromLmdb(rc, "cannot open archive " + dir);
  // A reader killed mid-query leaves its slot behind, pinning old pages so
  // that the file grows; free such slots whenever the archive is opened.
  int dead = 0;
  mdb_reader_check(env, &dead);
  NEWSARC_RETURN_IF_ERROR(out->OpenTables(create));
  return out;
}

// Without `create` the tables are opened in a read transaction, so that a
// query never waits for a writer.
Status LmdbEnv::OpenTables(bool create) {
  MDB_txn* txn = nullptr;
  int rc = mdb_txn_begin(env_, nullptr, create ? 0 : MDB_RDONLY, &txn);
  if (rc != MDB_SUCCESS) return FromLmdb(rc, "open tables");
  for (int i = 0; i < static_cast<int>(Table::kCount); ++i) {
    const TableSpec& spec = kTables[i];
    if (create && spec.since == Since::kLegacy) continue;
    rc = mdb_dbi_open(txn, spec.name, spec.flags | (create ? MDB_CREATE : 0), &dbis_[i]);
    present_[i] = rc == MDB_SUCCESS;
    if (rc == MDB_NOTFOUND && spec.since != Since::kAlways) continue;
    if (rc != MDB_SUCCESS) {
      mdb_txn_abort(txn);
      if (rc == MDB_NOTFOUND) {
        return Status::Incompatible(dir_ + " is not a newsarc archive (no table " +
                                    kTables[i].name + ")");
      }
      return FromLmdb(rc, std::string("open table ") + kTables[i].name);
    }
  }
  return FromLmdb(mdb_txn_commit(txn), "open tables");
}

LmdbEnv::~LmdbEnv() { mdb_env_close(env_); }

size_t LmdbEnv::MapSize() const {
  MDB_envinfo info;
  mdb_env_info(env_, &info);
  return info.me_mapsize;
}

Status LmdbEnv::Grow() {
  std::lock_guard<std::mutex> no_trimming(remap_mutex_);
  return FromLmdb(mdb_env_set_mapsize(env_, MapSize() * 2), "grow map");
}

void LmdbEnv::TrimMapped() {
  // With less than a quarter of the limit in file pages a trim gains too
  // little for the pages it makes the next reads map again.
  const uint64_t least_mapped = resident_limit_ / 4;
  if (resident_limit_ == 0 || UsedBytes() <= least_mapped) return;  // no system call
  const ResidentBytes resident = ResidentMemory();
  if (resident.total <= resident_limit_ || resident.file <= least_mapped) return;
  mdb_filehandle_t fd;
  if (mdb_env_get_fd(env_, &fd) != MDB_SUCCESS) return;
  std::lock_guard<std::mutex> no_remapping(remap_mutex_);
  UnmapFilePages(fd);
}

uint64_t LmdbEnv::UsedBytes() const {
  MDB_envinfo info;
  MDB_stat st;
  mdb_env_info(env_, &info);
  mdb_env_stat(env_, &st);
  return (uint64_t{info.me_last_pgno} + 1) * st.ms_psize;
}

bool LmdbEnv::NearlyFull() const { return UsedBytes() > MapSize() / 4 * 3; }

uint64_t LmdbEnv::FileSize() const {
  struct stat st;
  std::string path = dir_ + "/data.mdb";
  return ::stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_blocks) * 512 : 0;
}

Result<std::unique_ptr<Txn>> Txn::Begin(LmdbEnv& env, bool write) {
  MDB_txn* txn = nullptr;
  int rc = mdb_txn_begin(env.env(), nullptr, write ? 0 : MDB_RDONLY, &txn);
  if (rc == MDB_MAP_RESIZED) {  // another process grew the map: adopt its size
    std::lock_guard<std::mutex> no_trimming(env.remap_mutex_);
    mdb_env_set_mapsize(env.env(), 0);
    rc = mdb_txn_begin(env.env(), nullptr, write ? 0 : MDB_RDONLY, &txn);
  }
  if (rc != MDB_SUCCESS) return FromLmdb(rc, "begin transaction");
  return std::unique_ptr<Txn>(new Txn(env, txn));
}

Txn::~Txn() {
  if (txn_ != nullptr) mdb_txn_abort(txn_);
}

Status Txn::Check(int rc, const char* what) {
  if (rc == MDB_SUCCESS) return Status::Ok();
  if (rc == MDB_MAP_FULL) map_full_ = true;
  return FromLmdb(rc, what);
}

Result<std::optional<std::string_view>> Txn::Get(Table t, std::string_view key) {
  MDB_val k = Val(key), v;
  int rc = mdb_get(txn_, env_.dbi(t), &k, &v);
  if (rc == MDB_NOTFOUND) return std::optional<std::string_view>();
  NEWSARC_RETURN_IF_ERROR(Check(rc, "get"));
  return std::optional<std::string_view>(View(v));
}

Status Txn::Put(Table t, std::string_view key, std::string_view value) {
  MDB_val k = Val(key), v = Val(value);
  return Check(mdb_put(txn_, env_.dbi(t), &k, &v, 0), "put");
}

Status Txn::Append(Table t, std::string_view key, std::string_view value) {
  MDB_val k = Val(key), v = Val(value);
  return Check(mdb_put(txn_, env_.dbi(t), &k, &v, MDB_APPEND), "append");
}

Status Txn::CreateTable(Table t) {
  int i = static_cast<int>(t);
  NEWSARC_RETURN_IF_ERROR(
      Check(mdb_dbi_open(txn_, kTables[i].name, kTables[i].flags | MDB_CREATE, &env_.dbis_[i]),
            "create table"));
  env_.present_[i] = true;
  return Status::Ok();
}

Status Txn::DropTable(Table t) {
  int i = static_cast<int>(t);
  NEWSARC_RETURN_IF_ERROR(Check(mdb_drop(txn_, env_.dbi(t), 1), "drop table"));
  env_.present_[i] = false;
  return Status::Ok();
}

namespace {

class Cursor {
 public:
  Cursor(MDB_txn* txn, MDB_dbi dbi) { rc_ = mdb_cursor_open(txn, dbi, &cursor_); }
  ~Cursor() {
    if (rc_ == MDB_SUCCESS) mdb_cursor_close(cursor_);
  }
  int rc() const { return rc_; }
  int Get(MDB_val* k, MDB_val* v, MDB_cursor_op op) { return mdb_cursor_get(cursor_, k, v, op); }
  int Del() { return mdb_cursor_del(cursor_, 0); }

 private:
  MDB_cursor* cursor_ = nullptr;
  int rc_;
};

}  // namespace

Status Txn::ForEach(Table t, const std::function<bool(std::string_view, std::string_view)>& fn,
                    std::string_view from) {
  Cursor c(txn_, env_.dbi(t));
  NEWSARC_RETURN_IF_ERROR(Check(c.rc(), "cursor"));
  MDB_val k = Val(from), v;
  int rc = from.empty() ? c.Get(&k, &v, MDB_FIRST) : c.Get(&k, &v, MDB_SET_RANGE);
  while (rc == MDB_SUCCESS) {
    if (!fn(View(k), View(v))) return Status::Ok();
    rc = c.Get(&k, &v, MDB_NEXT);
  }
  return rc == MDB_NOTFOUND ? Status::Ok() : Check(rc, "cursor");
}

Status Txn::DeletePrefix(Table t, std::string_view prefix) {
  Cursor c(txn_, env_.dbi(t));
  NEWSARC_RETURN_IF_ERROR(Check(c.rc(), "cursor"));
  for (;;) {
    // Seek again after each delete: simpler than LMDB's cursor-after-delete
    // rules, and a prefix holds few records (one per chunk).
    MDB_val k = Val(prefix), v;
    int rc = c.Get(&k, &v, MDB_SET_RANGE);
    if (rc == MDB_NOTFOUND || !View(k).starts_with(prefix)) return Status::Ok();
    NEWSARC_RETURN_IF_ERROR(Check(rc, "cursor"));
    NEWSARC_RETURN_IF_ERROR(Check(c.Del(), "delete"));
  }
}

Result<std::unique_ptr<TableCursor>> Txn::OpenCursor(Table t) {
  MDB_cursor* cursor = nullptr;
  NEWSARC_RETURN_IF_ERROR(Check(mdb_cursor_open(txn_, env_.dbi(t), &cursor), "cursor"));
  return std::unique_ptr<TableCursor>(new TableCursor(this, cursor));
}

TableCursor::~TableCursor() { mdb_cursor_close(cursor_); }

Result<bool> TableCursor::Move(MDB_val* k, int op) {
  MDB_val v;
  int rc = mdb_cursor_get(cursor_, k, &v, static_cast<MDB_cursor_op>(op));
  if (rc == MDB_NOTFOUND) return false;
  NEWSARC_RETURN_IF_ERROR(txn_->Check(rc, "cursor"));
  key_ = View(*k);
  value_ = View(v);
  return true;
}

Result<bool> TableCursor::Seek(std::string_view key) {
  MDB_val k = Val(key);
  return Move(&k, MDB_SET_RANGE);
}
Result<bool> TableCursor::Next() {
  MDB_val k;
  return Move(&k, MDB_NEXT);
}
Result<bool> TableCursor::Prev() {
  MDB_val k;
  return Move(&k, MDB_PREV);
}
Result<bool> TableCursor::Last() {
  MDB_val k;
  return Move(&k, MDB_LAST);
}

Result<std::optional<std::string_view>> Txn::LastKey(Table t) {
  Cursor c(txn_, env_.dbi(t));
  NEWSARC_RETURN_IF_ERROR(Check(c.rc(), "cursor"));
  MDB_val k, v;
  int rc = c.Get(&k, &v, MDB_LAST);
  if (rc == MDB_NOTFOUND) return std::optional<std::string_view>();
  NEWSARC_RETURN_IF_ERROR(Check(rc, "cursor"));
  return std::optional<std::string_view>(View(k));
}

Result<uint64_t> Txn::Count(Table t) {
  MDB_stat st;
  NEWSARC_RETURN_IF_ERROR(Check(mdb_stat(txn_, env_.dbi(t), &st), "stat"));
  return static_cast<uint64_t>(st.ms_entries);
}

Status Txn::Commit() {
  int rc = mdb_txn_commit(txn_);
  txn_ = nullptr;  // committed or not, the handle is gone
  return Check(rc, "commit");
}

}  // namespace newsarc
