// newsarc log: the history of a story, one line per version or copy.
#include <cstdio>
#include <iostream>

#include "cli/common.h"
#include "newsarc/diff.h"

namespace newsarc::cli {
namespace {

struct LogOptions {
  std::string story;
  bool json = false;
  bool ignore_trivial = false;
};

// How an entry differs from the entry it was classified against.
struct Change {
  bool known = false;  // false for a story's first entry
  size_t added = 0, removed = 0;
  ChangeClass change = ChangeClass::kNone;
};

Change Compare(const std::string& before, const std::string& after) {
  TextDiff d = DiffTexts(before, after);
  return {true, d.words_added, d.words_removed, ClassifyChange(before, after)};
}

void PrintHeader() {
  std::printf("%-4s %-15s %-6s %-5s %7s %7s %-8s %-10s %-20s %8s  %s\n", "VER", "STATUS", "OF",
              "SIM", "+WORDS", "-WORDS", "CHANGE", "DATE", "INGESTED", "BYTES", "KEY/SOURCE");
}

void PrintRow(const EntryInfo& e, const Change& c) {
  std::string of = e.of.valid() ? "@" + std::to_string(e.of.version) : "-";
  std::string sim = e.of.valid() ? FormatSimilarity(e.similarity) : "-";
  std::string added = c.known ? "+" + std::to_string(c.added) : "-";
  std::string removed = c.known ? "-" + std::to_string(c.removed) : "-";
  const std::string& who = !e.key.empty() ? e.key : !e.source.empty() ? e.source : e.input;
  std::printf("%-4u %-15s %-6s %-5s %7s %7s %-8s %-10s %-20s %8u  %s\n", e.ref.version,
              VerdictName(e.verdict), of.c_str(), sim.c_str(), added.c_str(), removed.c_str(),
              c.known ? ChangeClassName(c.change) : "-", e.date.empty() ? "-" : e.date.c_str(),
              FormatTime(e.ingest_time).c_str(), e.raw_size, who.c_str());
}

std::string JsonRow(const EntryInfo& e, const Change& c) {
  JsonObject json;
  AddEntryFields(e, &json);
  if (c.known) {
    json.Int("words_added", c.added)
        .Int("words_removed", c.removed)
        .Str("change", ChangeClassName(c.change));
  } else {
    json.Null("words_added").Null("words_removed").Null("change");
  }
  return json.Finish();
}

int Log(const LogOptions& o, const GlobalOptions& global) {
  auto ref = ParseRef(o.story);
  if (!ref.ok()) return Fail(ref.status());
  if (ref->version != 0) return Fail(Status::InvalidInput("log takes a story, not a version"));
  auto archive = OpenArchive(global);
  if (!archive.ok()) return Fail(archive.status());
  auto entries = archive.value()->ListEntries(ref->story);
  if (!entries.ok()) return Fail(entries.status());
  std::vector<std::string> texts;
  for (const EntryInfo& e : entries.value()) {
    auto text = archive.value()->GetText(e.ref);
    if (!text.ok()) return Fail(text.status(), "log");
    texts.push_back(std::move(text.value()));
  }
  if (o.json) std::cout << "[";
  if (!o.json) PrintHeader();
  bool first = true;
  for (const EntryInfo& e : entries.value()) {
    Change c;
    if (e.of.valid() && e.of.version >= 1 && e.of.version <= texts.size()) {
      c = Compare(texts[e.of.version - 1], texts[e.ref.version - 1]);
    }
    if (o.ignore_trivial && c.known && c.change <= ChangeClass::kTrivial) continue;
    if (o.json) {
      std::cout << (first ? "" : ",") << JsonRow(e, c);
    } else {
      PrintRow(e, c);
    }
    first = false;
  }
  if (o.json) std::cout << "]\n";
  std::fflush(stdout);
  return kExitOk;
}

}  // namespace

Runner SetupLog(CLI::App* sub, const GlobalOptions& global) {
  auto o = std::make_shared<LogOptions>();
  sub->add_option("story", o->story, "The story")->required();
  sub->add_flag("--json", o->json, "Print a JSON array, one object per entry");
  sub->add_flag("--ignore-trivial", o->ignore_trivial,
                "Hide versions that changed only punctuation (or nothing visible)");
  return [o, &global]() { return Log(*o, global); };
}

}  // namespace newsarc::cli
