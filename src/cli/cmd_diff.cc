// newsarc diff: what changed between two versions, two stories or two files.
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/common.h"
#include "newsarc/diff.h"

namespace newsarc::cli {
namespace {

struct DiffArgs {
  std::vector<std::string> refs;
  std::vector<std::string> files;
  std::string format = "word";
  std::string color = "auto";
  int context = 3;
  DiffOptions options;
  bool no_moves = false;
};

// One side of a diff: a label for the output and the text.
struct Side {
  std::string label;
  std::string text;
};

Result<Side> ReadFileSide(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status::IOError("error reading " + path);
  return Side{path, ss.str()};
}

Result<Side> ReadEntrySide(Archive& archive, EntryRef ref) {
  auto entry = archive.GetEntry(ref);  // resolves "latest" and names a missing one
  if (!entry.ok()) return entry.status();
  auto text = archive.GetText(entry->ref);
  if (!text.ok()) return text.status();
  return Side{FormatEntryRef(entry->ref), std::move(text.value())};
}

// The two entries named by the arguments: STORY (its last two versions),
// STORY@A (A against the version before it), STORY@A @B, STORY@A OTHER@B.
Result<std::pair<EntryRef, EntryRef>> ResolvePair(Archive& archive,
                                                  const std::vector<std::string>& refs) {
  auto first = ParseRef(refs[0]);
  if (!first.ok()) return first.status();
  if (refs.size() == 2) {
    std::string second = refs[1];
    if (!second.empty() && second[0] == '@') second = std::to_string(first->story) + second;
    auto other = ParseRef(second);
    if (!other.ok()) return other.status();
    return std::make_pair(first.value(), other.value());
  }
  auto newer = archive.GetEntry(first.value());
  if (!newer.ok()) return newer.status();
  if (newer->ref.version == 1) {
    return Status::NotFound("story " + std::to_string(first->story) +
                            (first->version == 0 ? " has only one version" : "@1 is its first") +
                            ": name two versions to compare");
  }
  return std::make_pair(EntryRef{newer->ref.story, newer->ref.version - 1}, newer->ref);
}

Result<std::pair<Side, Side>> ReadSides(const DiffArgs& a, const GlobalOptions& global) {
  if (!a.files.empty()) {
    if (a.files.size() != 2 || !a.refs.empty()) {
      return Status::InvalidInput("--file needs exactly two files and no stories");
    }
    auto old_side = ReadFileSide(a.files[0]);
    if (!old_side.ok()) return old_side.status();
    auto new_side = ReadFileSide(a.files[1]);
    if (!new_side.ok()) return new_side.status();
    return std::make_pair(std::move(old_side.value()), std::move(new_side.value()));
  }
  if (a.refs.empty()) return Status::InvalidInput("name a story, or two files with --file");
  auto archive = OpenArchive(global);
  if (!archive.ok()) return archive.status();
  auto pair = ResolvePair(*archive.value(), a.refs);
  if (!pair.ok()) return pair.status();
  auto old_side = ReadEntrySide(*archive.value(), pair->first);
  if (!old_side.ok()) return old_side.status();
  auto new_side = ReadEntrySide(*archive.value(), pair->second);
  if (!new_side.ok()) return new_side.status();
  return std::make_pair(std::move(old_side.value()), std::move(new_side.value()));
}

bool UseColor(const std::string& mode) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* term = std::getenv("TERM");
  return isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr &&
         !(term && std::string(term) == "dumb");
}

std::string JsonDiff(const Side& old_side, const Side& new_side, const TextDiff& d) {
  std::string spans = "[";
  for (const EditSpan& s : d.spans) {
    if (spans.size() > 1) spans += ",";
    bool in_new = s.op == EditOp::kKeep || s.op == EditOp::kAdd || s.op == EditOp::kMoveTo;
    std::string_view text =
        in_new ? std::string_view(new_side.text).substr(s.new_begin, s.new_end - s.new_begin)
               : std::string_view(old_side.text).substr(s.old_begin, s.old_end - s.old_begin);
    JsonObject span;
    span.Str("op", EditOpName(s.op))
        .Int("old_begin", s.old_begin)
        .Int("old_end", s.old_end)
        .Int("new_begin", s.new_begin)
        .Int("new_end", s.new_end);
    if (s.move_id >= 0) span.Int("move", static_cast<uint64_t>(s.move_id));
    spans += span.Str("text", text).Finish();
  }
  spans += "]";
  return JsonObject()
      .Str("old", old_side.label)
      .Str("new", new_side.label)
      .Int("old_words", d.old_words)
      .Int("new_words", d.new_words)
      .Int("words_removed", d.words_removed)
      .Int("words_added", d.words_added)
      .Int("words_moved", d.words_moved)
      .Str("change", ChangeClassName(ClassifyChange(old_side.text, new_side.text)))
      .Raw("spans", spans)
      .Finish();
}

int RunDiff(DiffArgs a, const GlobalOptions& global) {
  a.options.detect_moves = !a.no_moves;
  auto sides = ReadSides(a, global);
  if (!sides.ok()) return Fail(sides.status(), "diff");
  const auto& [old_side, new_side] = sides.value();
  if (a.format == "unified") {
    WriteBytes(FormatUnifiedDiff(old_side.text, new_side.text, old_side.label, new_side.label,
                                 a.context, a.options));
    return kExitOk;
  }
  TextDiff d = DiffTexts(old_side.text, new_side.text, a.options);
  if (a.format == "json") {
    std::cout << JsonDiff(old_side, new_side, d) << "\n";
  } else {
    WriteBytes(FormatWordDiff(old_side.text, new_side.text, d, UseColor(a.color)));
  }
  return kExitOk;
}

}  // namespace

Runner SetupDiff(CLI::App* sub, const GlobalOptions& global) {
  auto a = std::make_shared<DiffArgs>();
  sub->add_option("refs", a->refs,
                  "STORY (its last two versions), STORY@A (A and the version before), "
                  "STORY@A @B, or STORY@A OTHER@B")
      ->expected(0, 2);
  sub->add_option("--file", a->files, "Compare two files instead (give it twice)")
      ->type_name("PATH");
  sub->add_option("--format", a->format, "word (default), unified or json")
      ->check(CLI::IsMember({"word", "unified", "json"}));
  sub->add_option("--color", a->color, "Colour the word diff: auto (default), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  sub->add_option("--context", a->context, "Lines of context in a unified diff (default 3)")
      ->check(CLI::NonNegativeNumber);
  sub->add_flag("--ignore-case", a->options.ignore_case, "Words differing only in case are equal");
  sub->add_flag("--ignore-punctuation", a->options.ignore_punctuation,
                "Punctuation is not compared");
  sub->add_flag("--no-moves", a->no_moves, "Show moved paragraphs as removed and added");
  return [a, &global]() { return RunDiff(*a, global); };
}

}  // namespace newsarc::cli
