// newsarc ingest: read articles, classify them, store them.
#include <chrono>
#include <cstdio>
#include <iostream>

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
  bool json = false;
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

int Run(const IngestCliOptions& o, const GlobalOptions& global) {
  auto archive = OpenArchive(global);
  if (!archive.ok()) return Fail(archive.status());
  IngestOptions options;
  options.input.key_from_path = o.key == "path";
  options.input.default_source = o.source;
  options.input.max_article_bytes = o.max_size;
  options.batch_size = o.batch;
  options.now = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count());
  auto start = std::chrono::steady_clock::now();
  std::string out;
  auto summary = IngestPaths(*archive.value(), o.paths, options, [&](const Outcome& outcome) {
    out += OutcomeLine(outcome, o.json);
    out += '\n';
    if (outcome.verdict == Verdict::kRejected) {
      std::cerr << "newsarc: " << outcome.input << ": " << outcome.error << "\n";
    }
    if (out.size() > 1 << 16) std::cout << out << std::flush, out.clear();
  });
  std::cout << out << std::flush;
  if (!summary.ok()) return Fail(summary.status(), "ingest stopped");
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  PrintSummary(summary.value(), seconds);
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
  sub->add_option("--batch", o->batch, "Articles per write transaction")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  sub->add_option("--max-size", o->max_size, "Largest article accepted, in bytes")
      ->capture_default_str();
  sub->add_flag("--json", o->json, "Print one JSON object per article");
  return [o, &global]() { return Run(*o, global); };
}

}  // namespace newsarc::cli
