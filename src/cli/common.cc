#include "cli/common.h"

#include <cstdio>
#include <ctime>
#include <iostream>

#include "cli/fault.h"
#include "json_writer.h"

namespace newsarc::cli {

int Fail(const Status& status, const std::string& what) {
  std::cerr << "newsarc: " << (what.empty() ? "" : what + ": ") << status.message() << "\n";
  switch (status.code()) {
    case Status::Code::kOk:
      return kExitOk;
    case Status::Code::kInvalidInput:
      return kExitUsage;
    case Status::Code::kNotFound:
      return kExitNotFound;
    case Status::Code::kBusy:
      return kExitBusy;
    default:
      return kExitArchive;
  }
}

Result<std::unique_ptr<Archive>> OpenArchive(const GlobalOptions& global,
                                             const OpenOptions& options) {
  if (global.archive.empty()) {
    return Status::InvalidInput("no archive given: use --archive DIR or set NEWSARC_ARCHIVE");
  }
  SetFaultContext(("archive " + global.archive).c_str());
  auto archive = Archive::Open(global.archive, options);
  // A missing archive is an archive error (exit 4), not a missing story.
  if (!archive.ok() && archive.status().code() == Status::Code::kNotFound) {
    return Status::IOError(archive.status().message());
  }
  return archive;
}

std::string FormatSimilarity(double s) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.2f", s);
  return buf;
}

std::string FormatTime(uint64_t seconds) {
  time_t t = static_cast<time_t>(seconds);
  struct tm tm;
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Result<uint64_t> ParseTime(const std::string& text) {
  auto bad = [&] {
    return Status::InvalidInput("cannot read the time \"" + text +
                                "\": use YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS] (UTC) or @SECONDS");
  };
  if (!text.empty() && text[0] == '@') {
    char* end = nullptr;
    unsigned long long v = std::strtoull(text.c_str() + 1, &end, 10);
    if (text.size() == 1 || *end != '\0') return bad();
    return static_cast<uint64_t>(v);
  }
  struct tm tm = {};
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &consumed) !=
      3) {
    return bad();
  }
  std::string rest = text.substr(consumed);
  bool whole_day = rest.empty();
  if (!whole_day) {
    int used = 0;
    if (std::sscanf(rest.c_str(), "T%2d:%2d%n", &tm.tm_hour, &tm.tm_min, &used) != 2) return bad();
    rest = rest.substr(used);
    if (rest.size() >= 3 && rest[0] == ':') {
      if (std::sscanf(rest.c_str(), ":%2d%n", &tm.tm_sec, &used) != 1) return bad();
      rest = rest.substr(used);
    }
    if (rest == "Z") rest.clear();
    if (!rest.empty()) return bad();
  }
  if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 ||
      tm.tm_min > 59 || tm.tm_sec > 60) {
    return bad();
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  time_t t = timegm(&tm);
  if (t < 0) return bad();
  // A day means all of it: --as-of 2026-11-21 includes that evening's run.
  return static_cast<uint64_t>(t) + (whole_day ? 86399 : 0);
}

Result<EntryRef> ParseRef(const std::string& text) {
  auto ref = ParseEntryRef(text);
  if (!ref) {
    return Status::InvalidInput("\"" + text + "\" is not a story (STORY or STORY@VERSION)");
  }
  return *ref;
}

std::string Hex64(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

void AddEntryFields(const EntryInfo& e, JsonObject* json) {
  json->Int("story", e.ref.story)
      .Int("version", e.ref.version)
      .Str("status", VerdictName(e.verdict));
  if (e.of.valid()) {
    json->Str("of", FormatEntryRef(e.of)).Num("similarity", e.similarity);
  } else {
    json->Null("of").Null("similarity");
  }
  json->StrOrNull("key", e.key)
      .StrOrNull("source", e.source)
      .StrOrNull("title", e.title)
      .StrOrNull("date", e.date)
      .Str("input", e.input)
      .Str("ingested", FormatTime(e.ingest_time))
      .Int("size", e.raw_size)
      .Int("words", e.word_count)
      .Str("xxh3", Hex64(e.checksum));
}

void AddParamFields(const ArchiveParams& p, JsonObject* json) {
  json->Int("shingle", p.shingle_size)
      .Int("perms", p.num_perms)
      .Int("bands", p.bands.bands)
      .Int("rows", p.bands.rows)
      .Num("near_duplicate_threshold", p.near_duplicate_threshold)
      .Num("version_threshold", p.version_threshold);
}

void WriteBytes(std::string_view bytes) {
  std::cout.flush();
  std::fwrite(bytes.data(), 1, bytes.size(), stdout);
  std::fflush(stdout);
}

}  // namespace newsarc::cli
