// Diff: what changed between two texts, as an edit script over words.
//
// Texts are cut into tokens: words (runs of letters, digits and marks,
// including in-word hyphens and apostrophes such as "US-Außenminister" or
// "don't") and single punctuation characters. White space separates tokens
// and is never compared. Lines are paragraphs: a line that was deleted and
// inserted elsewhere unchanged is reported as a move, not as a removal and an
// addition. The edit script is minimal over tokens (Wu's O(NP) algorithm,
// from libdtl); within a replaced range of paragraphs it is computed over the
// words of that range only, so that changes stay inside their paragraphs.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace newsarc {

struct DiffOptions {
  bool ignore_case = false;         // compare case-folded words
  bool ignore_punctuation = false;  // punctuation tokens are not compared
  bool detect_moves = true;         // paragraphs moved unchanged read as moves
};

enum class EditOp {
  kKeep,      // in both texts
  kRemove,    // only in the old text
  kAdd,       // only in the new text
  kMoveFrom,  // a paragraph of the old text that moved (its kMoveTo is elsewhere)
  kMoveTo,    // where that paragraph is in the new text
};

// "keep", "remove", "add", "move-from", "move-to".
const char* EditOpName(EditOp op);

// One span of the edit script, as byte ranges [begin, end) in each text.
// A kRemove / kMoveFrom span is empty in the new text (new_begin == new_end
// marks where it was); a kAdd / kMoveTo span is empty in the old text.
// Spans cover both texts in order, white space included, with no gaps:
// concatenating the new-text ranges of all spans except kRemove and
// kMoveFrom gives the new text back, and likewise for the old text.
struct EditSpan {
  EditOp op = EditOp::kKeep;
  size_t old_begin = 0, old_end = 0;
  size_t new_begin = 0, new_end = 0;
  int move_id = -1;  // pairs a kMoveFrom with its kMoveTo; -1 otherwise
};

struct TextDiff {
  std::vector<EditSpan> spans;
  size_t old_words = 0, new_words = 0;  // word tokens (punctuation not counted)
  size_t words_removed = 0, words_added = 0, words_moved = 0;
  bool identical() const { return words_removed == 0 && words_added == 0 && words_moved == 0; }
};

TextDiff DiffTexts(std::string_view old_text, std::string_view new_text,
                   const DiffOptions& options = {});

// How much a revision changed. Cut-offs (see docs/design.md): kTrivial when
// the texts differ only in punctuation, case or white space; kEdit when at
// most 40% of the words changed (removed + added over old + new words);
// kRewrite above that. kNone: byte-identical.
enum class ChangeClass { kNone, kTrivial, kEdit, kRewrite };
const char* ChangeClassName(ChangeClass c);  // "none", "trivial", "edit", "rewrite"
ChangeClass ClassifyChange(std::string_view old_text, std::string_view new_text);

// Word diff for people: the new text's paragraphs with removed words as
// [-old words-] and added ones as {+new words+}; a moved paragraph appears as
// [<paragraph<] where it was and {>paragraph>} where it is now. With `color`,
// ANSI colours (red, green, cyan, magenta) are used instead of the markers.
std::string FormatWordDiff(std::string_view old_text, std::string_view new_text,
                           const TextDiff& diff, bool color);

// Unified diff of lines with `context` lines around each hunk, headed
// "--- old_label" / "+++ new_label"; `patch` applied to the old text gives
// the new text back (a missing final newline is marked as diff(1) does).
// Empty when the texts are equal under `options`.
std::string FormatUnifiedDiff(std::string_view old_text, std::string_view new_text,
                              std::string_view old_label, std::string_view new_label, int context,
                              const DiffOptions& options = {});

}  // namespace newsarc
