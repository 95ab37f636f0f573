// newsarc ingest: read articles, classify them, store them.
#include <malloc.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <thread>

#include "cli/common.h"
#include "json_writer.h"
#include "newsarc/ingest.h"

namespace newsarc::cli {
namespace {

struct IngestCliOptions {
  std::vector<std::string> paths;
  std::string key;
  std::string source;
  size_t batch = IngestOptions().batch_size;
  size_t max_size = 16u << 20;
  uint64_t memory_limit_mib = 0;  // 0: none
  bool json = false;
  double wait = -1;  // seconds; < 0: as long as it takes
  bool no_wait = false;
  std::string rejects;
  bool quiet = false;
  bool verbose = false;
  int jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
};

// A one-line progress display on a terminal's standard error: articles,
// megabytes, rate and, when the input size is known, the time left.
class ProgressLine {
 public:
  explicit ProgressLine(std::optional<uint64_t> total_bytes)
      : total_(total_bytes), start_(Clock::now()) {}
  ~ProgressLine() { Clear(); }

  void Update(const IngestProgress& p) {
    auto now = Clock::now();
    if (now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    double seconds = std::chrono::duration<double>(now - start_).count();
    double rate = seconds > 0 ? static_cast<double>(p.articles) / seconds : 0;
    char line[160];
    int n = std::snprintf(line, sizeof line, "\r\x1b[K%llu articles, %.1f",
                          static_cast<unsigned long long>(p.articles), p.input_bytes / 1e6);
    if (total_ && *total_ > 0) {
      n += std::snprintf(line + n, sizeof line - n, "/%.1f", *total_ / 1e6);
    }
    n += std::snprintf(line + n, sizeof line - n, " MB, %.0f articles/s", rate);
    if (total_ && *total_ > p.input_bytes && p.input_bytes > 0 && seconds > 1) {
      double left = seconds * static_cast<double>(*total_ - p.input_bytes) / p.input_bytes;
      std::snprintf(line + n, sizeof line - n, ", %d:%02d left", static_cast<int>(left) / 60,
                    static_cast<int>(left) % 60);
    }
    std::fputs(line, stderr);
    shown_ = true;
  }

  void Clear() {
    if (shown_) std::fputs("\r\x1b[K", stderr);
    shown_ = false;
  }

 private:
  using Clock = std::chrono::steady_clock;
  std::optional<uint64_t> total_;
  Clock::time_point start_, last_;
  bool shown_ = false;
};

std::string OutcomeLine(const Outcome& o, bool json) {
  bool has_entry = o.verdict != Verdict::kRejected;
  if (json) {
    JsonObject j;
    j.Str("input", o.input).Str("status", VerdictName(o.verdict));
    if (has_entry) {
      j.Int("story", o.entry.story).Int("version", o.entry.version);
    } else {
      j.Null("story").Null("version");
    }
    j.StrOrNull("of", o.of.valid() ? FormatEntryRef(o.of) : "");
    j.NumOrNull("similarity", o.of.valid() ? std::optional<double>(o.similarity) : std::nullopt);
    j.StrOrNull("error", o.error);
    return j.Finish();
  }
  char head[64];
  std::snprintf(head, sizeof head, "%-14s %-9s ", VerdictName(o.verdict),
                has_entry ? FormatEntryRef(o.entry).c_str() : "-");
  std::string line = head + o.input;
  if (o.of.valid() && o.verdict != Verdict::kDuplicate) {
    line +=
        "  (of " + FormatEntryRef(o.of) + ", similarity " + FormatSimilarity(o.similarity) + ")";
  }
  if (!o.error.empty()) line += "  (" + o.error + ")";
  return line;
}

void PrintSummary(const IngestSummary& s, double seconds) {
  double rate = seconds > 0 ? static_cast<double>(s.articles) / seconds : 0;
  double mb_rate = seconds > 0 ? static_cast<double>(s.bytes) / 1e6 / seconds : 0;
  std::fprintf(stderr,
               "%llu articles in %.2f s (%.0f articles/s, %.1f MB/s): %llu new, %llu duplicate, "
               "%llu near-duplicate, %llu version, %llu rejected\n",
               static_cast<unsigned long long>(s.articles), seconds, rate, mb_rate,
               static_cast<unsigned long long>(s.count(Verdict::kNew)),
               static_cast<unsigned long long>(s.count(Verdict::kDuplicate)),
               static_cast<unsigned long long>(s.count(Verdict::kNearDuplicate)),
               static_cast<unsigned long long>(s.count(Verdict::kVersion)),
               static_cast<unsigned long long>(s.count(Verdict::kRejected)));
}

std::string RejectLine(const Outcome& o, uint64_t now) {
  return JsonObject()
      .Str("input", o.input)
      .Str("reason", o.error)
      .Str("time", FormatTime(now))
      .Finish();
}

int Run(const IngestCliOptions& o, const GlobalOptions& global) {
  if (o.quiet && o.verbose) return Fail(Status::InvalidInput("--quiet or --verbose, not both"));
  // Every batch allocates and frees tens of MB (sorted band keys, postings):
  // keep that memory in the heap instead of unmapping it and faulting in
  // zeroed pages again for the next batch (6% of an ingest into a 1M archive).
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  OpenOptions open;
  open.for_writing = true;
  open.wait_seconds = o.no_wait ? 0 : o.wait;
  open.resident_limit = o.memory_limit_mib << 20;
  open.on_wait = [&](const std::string& holder) {
    if (!o.quiet) std::cerr << "newsarc: waiting: " << holder << " is writing to the archive\n";
  };
  auto archive = OpenArchive(global, open);
  if (!archive.ok()) return Fail(archive.status());
  // Opened only now, so that a busy archive leaves the file as it was.
  std::ofstream rejects;
  if (!o.rejects.empty()) {
    rejects.open(o.rejects, std::ios::out | std::ios::trunc);
    if (!rejects) return Fail(Status::InvalidInput("cannot write --rejects file " + o.rejects));
  }
  IngestOptions options;
  options.input.key_from_path = o.key == "path";
  options.input.default_source = o.source;
  options.input.max_article_bytes = o.max_size;
  options.batch_size = o.batch;
  options.jobs = o.jobs;
  options.now = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count());
  auto start = std::chrono::steady_clock::now();
  // Progress only where someone watches: a terminal, and not --quiet.
  std::optional<ProgressLine> progress;
  if (!o.quiet && isatty(STDERR_FILENO)) progress.emplace(ArticleReader::TotalBytes(o.paths));
  uint64_t batches = 0;
  options.on_progress = [&](const IngestProgress& p) {
    if (p.batch_committed && o.verbose) {
      if (progress) progress->Clear();
      std::fprintf(stderr, "newsarc: batch %llu committed: %llu inputs so far\n",
                   static_cast<unsigned long long>(++batches),
                   static_cast<unsigned long long>(p.committed));
    }
    if (progress) progress->Update(p);
  };
  std::string out;
  uint64_t committed = 0;  // outcomes arrive once their batch is committed
  auto summary = IngestPaths(*archive.value(), o.paths, options, [&](const Outcome& outcome) {
    ++committed;
    if (!o.quiet) out.append(OutcomeLine(outcome, o.json)).push_back('\n');
    if (outcome.verdict == Verdict::kRejected) {
      if (progress) progress->Clear();
      std::cerr << "newsarc: " << outcome.input << ": " << outcome.error << "\n";
      if (rejects.is_open()) rejects << RejectLine(outcome, options.now) << "\n";
    }
    if (out.size() > 1 << 16) std::cout << out << std::flush, out.clear();
  });
  std::cout << out << std::flush;
  if (progress) progress->Clear();
  if (rejects.is_open()) rejects.flush();
  if (!summary.ok()) {
    int rc = Fail(summary.status(), "ingest stopped");
    std::cerr << "newsarc: the " << committed
              << " inputs before the failure are committed; re-running the same ingest adds "
                 "the rest\n";
    return rc;
  }
  if (rejects.is_open() && !rejects) {
    return Fail(Status::IOError("could not write all of --rejects file " + o.rejects));
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!o.quiet) PrintSummary(summary.value(), seconds);
  return summary->count(Verdict::kRejected) > 0 ? kExitRejected : kExitOk;
}

}  // namespace

Runner SetupIngest(CLI::App* sub, const GlobalOptions& global) {
  auto o = std::make_shared<IngestCliOptions>();
  sub->add_option("paths", o->paths,
                  "Files, directories, .jsonl files, or - for JSON Lines on stdin")
      ->required();
  sub->add_option("--key", o->key, "Key plain-text articles by their path relative to the argument")
      ->check(CLI::IsMember({"path"}));
  sub->add_option("--source", o->source, "Source recorded for articles that name none");
  sub->add_option("--batch", o->batch,
                  "Articles per write transaction (default: 10000, or a fortieth of the "
                  "archive's entries when that is more, at most 25000)")
      ->check(CLI::Range(1, 1000000));
  sub->add_option("--max-size", o->max_size, "Largest article accepted, in bytes")
      ->capture_default_str();
  sub->add_option("--memory-limit", o->memory_limit_mib,
                  "Keep resident memory under about MIB mebibytes by unmapping archive pages, "
                  "which stay in the page cache (default: no limit)")
      ->type_name("MIB")
      ->check(CLI::Range(uint64_t{256}, uint64_t{1} << 30));
  sub->add_flag("--json", o->json, "Print one JSON object per article");
  sub->add_option("--wait", o->wait,
                  "Wait at most SECONDS for another process writing to the archive "
                  "(default: as long as it takes)")
      ->type_name("SECONDS")
      ->check(CLI::NonNegativeNumber);
  sub->add_flag("--no-wait", o->no_wait,
                "Exit at once (status 3) when another process is writing to the archive");
  sub->add_option("--rejects", o->rejects,
                  "Write the rejected inputs and their reasons to FILE as JSON Lines")
      ->type_name("FILE");
  sub->add_option("-j,--jobs", o->jobs,
                  "Threads that prepare articles (default: the number of cores); the archive is "
                  "the same for any number")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
  sub->add_flag("-q,--quiet", o->quiet, "Print only errors: no article lines, progress or summary");
  sub->add_flag("-v,--verbose", o->verbose, "Also report every committed batch");
  return [o, &global]() { return Run(*o, global); };
}

}  // namespace newsarc::cli
