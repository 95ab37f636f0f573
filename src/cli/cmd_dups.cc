// newsarc dups: near-duplicates of a stored story or of an outside file.
#include <iostream>

#include "cli/common.h"
#include "json_writer.h"
#include "newsarc/input.h"

namespace newsarc::cli {
namespace {

struct DupsOptions {
  std::string story;
  std::string file;
  std::optional<double> threshold;
  bool json = false;
};

// What to look for, and the story to leave out of the answer.
struct Query {
  Signature signature;
  std::vector<uint64_t> shingles;  // for exact similarities near the threshold
  uint64_t exclude_story = 0;
};

Result<Query> MakeQuery(Archive& archive, const DupsOptions& o) {
  if (!o.file.empty()) {
    ArticleReader reader({o.file}, InputOptions());
    InputItem item;
    if (!reader.Next(&item)) return Status::InvalidInput(o.file + ": no article in it");
    if (item.error.code() == Status::Code::kNotFound) {
      return Status::NotFound(o.file + ": " + item.error.message());
    }
    if (!item.ok()) return Status::InvalidInput(item.article.input + ": " + item.error.message());
    auto prepared = Preparer(archive.params()).Prepare(std::move(item.article));
    if (!prepared.ok()) return Status::InvalidInput(o.file + ": " + prepared.status().message());
    return Query{std::move(prepared->signature),
                 BodyShingles(prepared->article.text, archive.params().shingle_size), 0};
  }
  auto ref = ParseEntryRef(o.story);
  if (!ref) return Status::InvalidInput("not a story: " + o.story + " (use STORY or STORY@N)");
  auto entry = archive.GetEntry(*ref);
  if (!entry.ok()) return entry.status();
  auto sig = archive.GetSignature(entry->ref);
  if (!sig.ok()) return sig.status();
  auto shingles = archive.GetShingles(entry->ref);
  if (!shingles.ok()) return shingles.status();
  return Query{std::move(sig.value()), std::move(shingles.value()), ref->story};
}

std::string Label(const EntryInfo& e) {
  if (!e.title.empty()) return e.title;
  if (!e.key.empty()) return e.key;
  return e.input;
}

int Run(const DupsOptions& o, const GlobalOptions& global) {
  if (o.story.empty() == o.file.empty()) {
    return Fail(Status::InvalidInput("dups takes a STORY or --file PATH (one of them)"));
  }
  auto archive = OpenArchive(global);
  if (!archive.ok()) return Fail(archive.status());
  Archive& a = *archive.value();
  auto query = MakeQuery(a, o);
  if (!query.ok()) return Fail(query.status(), "dups");
  double threshold = o.threshold.value_or(a.params().version_threshold);
  auto matches = a.FindSimilar(query->signature, threshold, query->exclude_story, &query->shingles);
  if (!matches.ok()) return Fail(matches.status(), "dups");
  if (o.json) std::cout << "[";
  bool first = true;
  for (const Match& m : matches.value()) {
    auto info = a.GetEntry(m.entry);
    if (!info.ok()) return Fail(info.status(), "dups");
    if (o.json) {
      std::cout << (first ? "" : ",\n ")
                << JsonObject()
                       .Int("story", m.entry.story)
                       .Int("version", m.entry.version)
                       .Num("similarity", m.similarity)
                       .StrOrNull("key", info->key)
                       .StrOrNull("title", info->title)
                       .Str("input", info->input)
                       .Finish();
    } else {
      std::cout << FormatEntryRef(m.entry) << "\t" << FormatSimilarity(m.similarity) << "\t"
                << Label(info.value()) << "\n";
    }
    first = false;
  }
  if (o.json) std::cout << "]\n";
  return kExitOk;
}

}  // namespace

Runner SetupDups(CLI::App* sub, const GlobalOptions& global) {
  auto o = std::make_shared<DupsOptions>();
  sub->add_option("story", o->story, "Stored story (STORY or STORY@N; default its latest entry)");
  sub->add_option("--file", o->file, "An article outside the archive (.txt or .jsonl: first line)");
  sub->add_option("--threshold", o->threshold,
                  "Lowest similarity listed (default: the archive's version threshold; "
                  "lower values compare with every stored article)")
      ->check(CLI::Range(0.0, 1.0));
  sub->add_flag("--json", o->json, "Print a JSON array");
  return [o, &global]() { return Run(*o, global); };
}

}  // namespace newsarc::cli
