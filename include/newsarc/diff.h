// Diff: what changed between two texts, as an edit script over words.
//
// Texts are cut into tokens: words (runs of Unicode letters, digits and
// marks; an apostrophe ' ’ or hyphen - ‐ between two word parts joins them, as
// in "US-Außenminister" or "don't") and single punctuation characters (every
// other code point; an invalid UTF-8 byte, too). White space (Unicode spaces,
// no-break space, line breaks, control characters) separates tokens and is
// never compared.
//
// Lines ('\n') are paragraphs. The paragraphs are diffed first, by their
// tokens; a line without compared tokens (blank) is white space and never
// shows as a change. A paragraph of at least 4 words that was deleted and
// inserted elsewhere unchanged is reported as a move, not as a removal and an
// addition. Each remaining range of replaced paragraphs between two kept ones
// is diffed word by word, so that changes stay inside their paragraphs. Both
// edit scripts are minimal over their tokens (Wu's O(NP) algorithm, from
// libdtl).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace newsarc {

struct DiffOptions {
  bool ignore_case = false;         // compare case-folded words
  bool ignore_punctuation = false;  // punctuation tokens are not compared, and
                                    // ’ ‐ inside words compare as ' -
  bool detect_moves = true;         // paragraphs moved unchanged read as moves
};

enum class EditOp {
  kKeep,      // in both texts, equal under the options (white space may differ)
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
// kMoveFrom gives the new text back, and likewise for the old text. No span
// is empty in both texts, and no two neighbours have the same op (moves
// excepted). Within a paragraph a change carries the white space after it
// ("a b c" -> "a c": keep "a ", remove "b ", keep "c"), a moved paragraph its
// newline and the blank lines after it.
struct EditSpan {
  EditOp op = EditOp::kKeep;
  size_t old_begin = 0, old_end = 0;
  size_t new_begin = 0, new_end = 0;
  int move_id = -1;  // pairs a kMoveFrom with its kMoveTo; -1 otherwise
};

struct TextDiff {
  std::vector<EditSpan> spans;
  size_t old_words = 0, new_words = 0;        // word tokens (punctuation not counted)
  size_t words_removed = 0, words_added = 0;  // word tokens in kRemove / kAdd spans
  size_t words_moved = 0;                     // word tokens in kMoveFrom spans
  // No word changed; punctuation may have, unless it was ignored.
  bool identical() const { return words_removed == 0 && words_added == 0 && words_moved == 0; }
};

TextDiff DiffTexts(std::string_view old_text, std::string_view new_text,
                   const DiffOptions& options = {});

// How much a revision changed. kNone: byte-identical. kTrivial: the texts
// differ only in punctuation, case or white space (DiffTexts with
// ignore_case and ignore_punctuation finds no removed, added or moved word).
// Otherwise, from the plain DiffTexts, the share of changed words
// (words_removed + words_added) / (old_words + new_words): kEdit when at most
// 0.4 (moved paragraphs count as unchanged), kRewrite above that.
enum class ChangeClass { kNone, kTrivial, kEdit, kRewrite };
const char* ChangeClassName(ChangeClass c);  // "none", "trivial", "edit", "rewrite"
ChangeClass ClassifyChange(std::string_view old_text, std::string_view new_text);

// Word diff for people: the new text's paragraphs with removed words as
// [-old words-] and added ones as {+new words+}; a moved paragraph appears as
// [<paragraph<] where it was and {>paragraph>} where it is now. Markers never
// enclose the white space around a change; a replacement inside a paragraph
// reads "a [-b-]{+x+} c", a deleted paragraph "[-paragraph-]" on a line of its
// own. With `color`, ANSI colours are used instead of the markers: removed
// red, added green, moved-from magenta, moved-to cyan, each closed at the end
// of every line. Spans outside the texts are skipped.
std::string FormatWordDiff(std::string_view old_text, std::string_view new_text,
                           const TextDiff& diff, bool color);

// Unified diff of lines ('\n') with `context` lines around each hunk
// (changes at most 2 * context lines apart share a hunk; headers as GNU diff
// writes them), headed "--- old_label" / "+++ new_label". Without options,
// lines compare byte for byte, so `patch` applied to the old text gives the
// new text back exactly. With ignore_case or ignore_punctuation, two lines
// are equal when their tokens compare equal (white space inside a line is
// then not compared either, like diff -w), and a context line that differs
// only that way comes out of `patch` with the old line's bytes. A missing
// final newline makes the last line differ (marked "\ No newline at end of
// file"). Empty when no line differs.
std::string FormatUnifiedDiff(std::string_view old_text, std::string_view new_text,
                              std::string_view old_label, std::string_view new_label, int context,
                              const DiffOptions& options = {});

}  // namespace newsarc
