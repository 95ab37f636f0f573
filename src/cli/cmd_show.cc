// newsarc show: the text of a stored version, exactly as it was ingested.
#include <iostream>

#include "cli/common.h"

namespace newsarc::cli {
namespace {

struct ShowOptions {
  std::string story;
  std::string as_of;
  bool json = false;
};

// The latest entry of `story` ingested at or before `time`.
Result<EntryRef> EntryAsOf(Archive& archive, uint64_t story, uint64_t time) {
  auto entries = archive.ListEntries(story);
  if (!entries.ok()) return entries.status();
  EntryRef found;
  for (const EntryInfo& e : entries.value()) {
    if (e.ingest_time <= time) found = e.ref;
  }
  if (!found.valid()) {
    return Status::NotFound("story " + std::to_string(story) + " has no version ingested by " +
                            FormatTime(time));
  }
  return found;
}

int Show(const ShowOptions& o, const GlobalOptions& global) {
  auto ref = ParseRef(o.story);
  if (!ref.ok()) return Fail(ref.status());
  if (!o.as_of.empty() && ref->version != 0) {
    return Fail(Status::InvalidInput("give a version or --as-of, not both"));
  }
  auto archive = OpenArchive(global);
  if (!archive.ok()) return Fail(archive.status());
  if (!o.as_of.empty()) {
    auto time = ParseTime(o.as_of);
    if (!time.ok()) return Fail(time.status());
    auto found = EntryAsOf(*archive.value(), ref->story, time.value());
    if (!found.ok()) return Fail(found.status());
    ref = found;
  }
  auto entry = archive.value()->GetEntry(ref.value());
  if (!entry.ok()) return Fail(entry.status());
  auto text = archive.value()->GetText(entry->ref);
  if (!text.ok()) return Fail(text.status(), "show");
  if (o.json) {
    JsonObject json;
    AddEntryFields(entry.value(), &json);
    std::cout << json.Str("text", text.value()).Finish() << "\n";
  } else {
    WriteBytes(text.value());
  }
  return kExitOk;
}

}  // namespace

Runner SetupShow(CLI::App* sub, const GlobalOptions& global) {
  auto o = std::make_shared<ShowOptions>();
  sub->add_option("story", o->story, "STORY or STORY@VERSION (default: the latest version)")
      ->required();
  sub->add_option("--as-of", o->as_of,
                  "The latest version ingested by then: YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS] "
                  "(UTC) or @SECONDS")
      ->type_name("TIME");
  sub->add_flag("--json", o->json, "Print one JSON object: the entry's metadata and its text");
  return [o, &global]() { return Show(*o, global); };
}

}  // namespace newsarc::cli
