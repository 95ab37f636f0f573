#include "newsarc/diff.h"

#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

using newsarc::ChangeClass;
using newsarc::ClassifyChange;
using newsarc::DiffOptions;
using newsarc::DiffTexts;
using newsarc::EditOp;
using newsarc::EditSpan;
using newsarc::FormatUnifiedDiff;
using newsarc::FormatWordDiff;
using newsarc::TextDiff;

namespace {

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteFile(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::string Fixture(const std::string& name) {
  return ReadFile(std::filesystem::path(NEWSARC_FIXTURES) / name);
}

// The edit script in one line: "=(kept)" (with "|old" when the old bytes
// differ), "-(removed)", "+(added)", "<id(moved from)", ">id(moved to)".
std::string Script(std::string_view old_text, std::string_view new_text, const TextDiff& diff) {
  std::string out;
  for (const EditSpan& s : diff.spans) {
    std::string o(old_text.substr(s.old_begin, s.old_end - s.old_begin));
    std::string n(new_text.substr(s.new_begin, s.new_end - s.new_begin));
    switch (s.op) {
      case EditOp::kKeep:
        out += "=(" + n + (o == n ? "" : "|" + o) + ")";
        break;
      case EditOp::kRemove:
        out += "-(" + o + ")";
        break;
      case EditOp::kAdd:
        out += "+(" + n + ")";
        break;
      case EditOp::kMoveFrom:
        out += "<" + std::to_string(s.move_id) + "(" + o + ")";
        break;
      case EditOp::kMoveTo:
        out += ">" + std::to_string(s.move_id) + "(" + n + ")";
        break;
    }
  }
  return out;
}

std::string Script(std::string_view old_text, std::string_view new_text,
                   const DiffOptions& options = {}) {
  return Script(old_text, new_text, DiffTexts(old_text, new_text, options));
}

std::string WordDiff(std::string_view old_text, std::string_view new_text,
                     const DiffOptions& options = {}) {
  return FormatWordDiff(old_text, new_text, DiffTexts(old_text, new_text, options), false);
}

bool IsMove(EditOp op) { return op == EditOp::kMoveFrom || op == EditOp::kMoveTo; }

// The header's invariant: spans in order and without gaps, each non-empty,
// neighbours of the same op merged, moves paired, both texts given back.
void CheckTiling(std::string_view old_text, std::string_view new_text, const TextDiff& diff) {
  size_t old_pos = 0, new_pos = 0;
  std::string old_back, new_back;
  std::map<int, int> move_balance;
  for (size_t k = 0; k < diff.spans.size(); ++k) {
    const EditSpan& s = diff.spans[k];
    INFO("span " << k << " " << newsarc::EditOpName(s.op));
    REQUIRE(s.old_begin == old_pos);
    REQUIRE(s.new_begin == new_pos);
    REQUIRE(s.old_begin <= s.old_end);
    REQUIRE(s.new_begin <= s.new_end);
    REQUIRE((s.old_end > s.old_begin || s.new_end > s.new_begin));
    if (s.op == EditOp::kRemove || s.op == EditOp::kMoveFrom) {
      CHECK(s.new_begin == s.new_end);
    } else {
      new_back += new_text.substr(s.new_begin, s.new_end - s.new_begin);
    }
    if (s.op == EditOp::kAdd || s.op == EditOp::kMoveTo) {
      CHECK(s.old_begin == s.old_end);
    } else {
      old_back += old_text.substr(s.old_begin, s.old_end - s.old_begin);
    }
    if (k > 0 && !IsMove(s.op)) CHECK(diff.spans[k - 1].op != s.op);
    if (IsMove(s.op)) {
      CHECK(s.move_id >= 0);
      move_balance[s.move_id] += s.op == EditOp::kMoveFrom ? 1 : -1;
    } else {
      CHECK(s.move_id == -1);
    }
    old_pos = s.old_end;
    new_pos = s.new_end;
  }
  CHECK(old_pos == old_text.size());
  CHECK(new_pos == new_text.size());
  CHECK(old_back == old_text);
  CHECK(new_back == new_text);
  for (const auto& [id, balance] : move_balance) CHECK(balance == 0);
  // Kept words pair up one to one.
  CHECK(diff.old_words - diff.words_removed == diff.new_words - diff.words_added);
}

// Runs `patch` on old_text with the unified diff and returns the result.
std::string Patched(const std::string& old_text, const std::string& unified) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("newsarc_diff_test_" + std::to_string(getpid()));
  fs::create_directories(dir);
  WriteFile(dir / "old", old_text);
  WriteFile(dir / "diff", unified);
  fs::remove(dir / "out");
  std::string cmd = "patch -s -o '" + (dir / "out").string() + "' '" + (dir / "old").string() +
                    "' < '" + (dir / "diff").string() + "'";
  int rc = std::system(cmd.c_str());
  std::string out = ReadFile(dir / "out");
  fs::remove_all(dir);
  INFO(unified);
  REQUIRE(rc == 0);
  return out;
}

void CheckRoundTrip(const std::string& old_text, const std::string& new_text) {
  std::string unified = FormatUnifiedDiff(old_text, new_text, "a/text", "b/text", 3);
  if (old_text == new_text) {
    CHECK(unified.empty());
    return;
  }
  REQUIRE_FALSE(unified.empty());
  CHECK(Patched(old_text, unified) == new_text);
}

// Random edits at ASCII white space, so UTF-8 sequences stay whole.
class Editor {
 public:
  explicit Editor(unsigned seed) : rng_(seed) {}

  std::string Edit(std::string text, int edits) {
    for (int k = 0; k < edits && !text.empty(); ++k) EditOnce(&text);
    return text;
  }

 private:
  size_t Pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }

  // A position just after a space or newline (or 0).
  size_t WordStart(const std::string& text) {
    size_t p = text.find_first_of(" \n", Pick(text.size()));
    return p == std::string::npos ? 0 : p + 1;
  }

  size_t LineStart(const std::string& text) {
    size_t p = text.find('\n', Pick(text.size()));
    return p == std::string::npos ? 0 : p + 1;
  }

  void EditOnce(std::string* text) {
    static const char* const kWords[] = {"neu",     "Ärger", "„Zitat“", "US-Außenminister",
                                         "Straße,", "don't", "2024."};
    size_t at = WordStart(*text);
    size_t word_end = std::min(text->find_first_of(" \n", at), text->size());
    switch (Pick(7)) {
      case 0:  // replace a word
        text->replace(at, word_end - at, kWords[Pick(7)]);
        break;
      case 1:                       // delete a word and the space after it
        if (word_end == at) break;  // would only change white space
        text->erase(at, std::min(word_end + 1, text->size()) - at);
        break;
      case 2:  // insert a word
        text->insert(at, std::string(kWords[Pick(7)]) + " ");
        break;
      case 3: {  // delete a line
        size_t begin = LineStart(*text);
        size_t end = text->find('\n', begin);
        text->erase(begin, end == std::string::npos ? std::string::npos : end + 1 - begin);
        break;
      }
      case 4: {  // move a line
        size_t begin = LineStart(*text);
        size_t end = text->find('\n', begin);
        if (end == std::string::npos) break;
        std::string line = text->substr(begin, end + 1 - begin);
        text->erase(begin, line.size());
        text->insert(text->empty() ? 0 : LineStart(*text), line);
        break;
      }
      case 5:  // upper-case a word
        for (size_t i = at; i < word_end; ++i) {
          if ((*text)[i] >= 'a' && (*text)[i] <= 'z')
            (*text)[i] = static_cast<char>((*text)[i] - 32);
        }
        break;
      case 6:  // insert a blank line
        text->insert(LineStart(*text), "\n");
        break;
    }
  }

  std::mt19937 rng_;
};

std::vector<std::string> Seeds() {
  std::vector<std::filesystem::path> paths;
  std::vector<std::string> seeds;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::filesystem::path(NEWSARC_FIXTURES) / "seeds")) {
    if (entry.path().extension() == ".txt") paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());  // seeds[k] is 00k_*.txt
  for (const auto& path : paths) seeds.push_back(ReadFile(path));
  REQUIRE(seeds.size() >= 5);
  return seeds;
}

}  // namespace

TEST_CASE("Diff: a replaced word is removed and added in place", "[diff]") {
  std::string old_text = "Der Kanzler sprach am Montag in Berlin.";
  std::string new_text = "Der Kanzler sprach am Dienstag in Berlin.";
  TextDiff d = DiffTexts(old_text, new_text);
  CHECK(Script(old_text, new_text, d) ==
        "=(Der Kanzler sprach am )-(Montag )+(Dienstag )=(in Berlin.)");
  CHECK(FormatWordDiff(old_text, new_text, d, false) ==
        "Der Kanzler sprach am [-Montag-]{+Dienstag+} in Berlin.");
  CHECK(d.old_words == 7);
  CHECK(d.new_words == 7);
  CHECK(d.words_removed == 1);
  CHECK(d.words_added == 1);
  CHECK(d.words_moved == 0);
  CHECK_FALSE(d.identical());

  // At the end of the text the white space before the word stays kept.
  CHECK(Script("a b", "a x") == "=(a )-(b)+(x)");
  CHECK(WordDiff("a b", "a x") == "a [-b-]{+x+}");
  CHECK(WordDiff("a b c", "a c") == "a [-b-] c");
  CHECK(WordDiff("a b", "a") == "a [-b-]");
  // Punctuation glued to a word stays glued.
  CHECK(Script("Hallo Welt.", "Hallo Welt!") == "=(Hallo Welt)-(.)+(!)");
  CHECK(WordDiff("Hallo Welt.", "Hallo Welt!") == "Hallo Welt[-.-]{+!+}");
  CHECK(Script("a, b", "a b") == "=(a)-(, )=( b|b)");
  CHECK(WordDiff("a, b", "a b") == "a[-,-] b");
  CHECK(WordDiff("a b", "a, b") == "a{+,+} b");
}

TEST_CASE("Diff: an inserted sentence is one addition", "[diff]") {
  std::string old_text = "Satz eins. Satz zwei.\n";
  std::string new_text = "Satz eins. Ein neuer Satz. Satz zwei.\n";
  TextDiff d = DiffTexts(old_text, new_text);
  CHECK(Script(old_text, new_text, d) == "=(Satz eins. )+(Ein neuer Satz. )=(Satz zwei.\n)");
  CHECK(FormatWordDiff(old_text, new_text, d, false) ==
        "Satz eins. {+Ein neuer Satz.+} Satz zwei.\n");
  CHECK(d.words_added == 3);
  CHECK(d.words_removed == 0);

  // Into an empty text, and at the end of a paragraph.
  CHECK(Script("", "Neu hier.\n") == "+(Neu hier.\n)");
  CHECK(WordDiff("Erst.\n", "Erst. Dann.\n") == "Erst. {+Dann.+}\n");
}

TEST_CASE("Diff: a deleted paragraph is removed whole, on its own line", "[diff]") {
  std::string old_text = "Erster Absatz.\n\nZweiter Absatz fällt weg.\n\nDritter Absatz.\n";
  std::string new_text = "Erster Absatz.\n\nDritter Absatz.\n";
  TextDiff d = DiffTexts(old_text, new_text);
  CHECK(Script(old_text, new_text, d) ==
        "=(Erster Absatz.\n\n)-(Zweiter Absatz fällt weg.\n\n)=(Dritter Absatz.\n)");
  CHECK(FormatWordDiff(old_text, new_text, d, false) ==
        "Erster Absatz.\n\n[-Zweiter Absatz fällt weg.-]\n\nDritter Absatz.\n");
  CHECK(d.words_removed == 4);
  CHECK(d.words_added == 0);

  // The first and the last paragraph.
  CHECK(WordDiff("Weg damit.\nBleibt.\n", "Bleibt.\n") == "[-Weg damit.-]\nBleibt.\n");
  CHECK(WordDiff("Bleibt.\nWeg damit.\n", "Bleibt.\n") == "Bleibt.\n[-Weg damit.-]\n");
  CHECK(Script("Bleibt.\nWeg damit.", "Bleibt.\n") == "=(Bleibt.\n)-(Weg damit.)");

  // A replaced paragraph: removal and addition keep the paragraph break.
  CHECK(WordDiff("Eins.\n\nAlt und weg\n\nDrei.\n", "Eins.\n\nGanz neu\n\nDrei.\n") ==
        "Eins.\n\n[-Alt und weg-]\n\n{+Ganz neu+}\n\nDrei.\n");
}

TEST_CASE("Diff: a moved paragraph reads as a move, not a removal and an addition", "[diff]") {
  std::string old_text =
      "Erster Absatz hier.\n\nDer bewegte Absatz hat viele Wörter.\n\nDritter Absatz dort.\n\n"
      "Vierter Absatz.\n";
  std::string new_text =
      "Erster Absatz hier.\n\nDritter Absatz dort.\n\nDer bewegte Absatz hat viele Wörter.\n\n"
      "Vierter Absatz.\n";
  TextDiff d = DiffTexts(old_text, new_text);
  CHECK(Script(old_text, new_text, d) ==
        "=(Erster Absatz hier.\n\n)<0(Der bewegte Absatz hat viele Wörter.\n\n)"
        "=(Dritter Absatz dort.\n\n)>0(Der bewegte Absatz hat viele Wörter.\n\n)"
        "=(Vierter Absatz.\n)");
  CHECK(FormatWordDiff(old_text, new_text, d, false) ==
        "Erster Absatz hier.\n\n[<Der bewegte Absatz hat viele Wörter.<]\n\n"
        "Dritter Absatz dort.\n\n{>Der bewegte Absatz hat viele Wörter.>}\n\nVierter Absatz.\n");
  CHECK(d.words_moved == 6);
  CHECK(d.words_removed == 0);
  CHECK(d.words_added == 0);
  CHECK_FALSE(d.identical());

  SECTION("without detect_moves it is a removal and an addition") {
    DiffOptions options;
    options.detect_moves = false;
    TextDiff plain = DiffTexts(old_text, new_text, options);
    CHECK(plain.words_moved == 0);
    CHECK(plain.words_removed == 6);
    CHECK(plain.words_added == 6);
  }
  SECTION("a line of fewer than four words is not a move") {
    CHECK(Script("Foto: dpa\nText eins zwei drei.\n", "Text eins zwei drei.\nFoto: dpa\n") ==
          "-(Foto: dpa\n)=(Text eins zwei drei.\n)+(Foto: dpa\n)");
  }
  SECTION("an edit next to a moved paragraph stays an edit") {
    std::string o =
        "Bewegt wird dieser Absatz hier.\nAlter Satz steht da.\nRest eins.\nRest zwei.\n";
    std::string n =
        "Neuer Satz steht da.\nRest eins.\nRest zwei.\nBewegt wird dieser Absatz hier.\n";
    CHECK(Script(o, n) ==
          "<0(Bewegt wird dieser Absatz hier.\n)-(Alter )+(Neuer )=(Satz steht da.\nRest eins.\n"
          "Rest zwei.\n)>0(Bewegt wird dieser Absatz hier.\n)");
  }
}

TEST_CASE("Diff: German umlauts, ß and quotes are words and punctuation", "[diff]") {
  // Words: letters with umlauts, in-word hyphens and apostrophes.
  TextDiff words = DiffTexts("Der US-Außenminister sagt: „Don't“ – Ärger über Straße.", "");
  CHECK(words.old_words == 7);  // Der US-Außenminister sagt Don't Ärger über Straße
  // „ and “ are punctuation of their own, the quote replacement does not touch the words.
  std::string old_text = "Er sagte: „Die Ukraine wird Nato-Mitglied.“";
  std::string new_text = "Er sagte: \"Die Ukraine wird NATO-Mitglied.\"";
  TextDiff d = DiffTexts(old_text, new_text);
  CHECK(Script(old_text, new_text, d) ==
        "=(Er sagte: )-(„)+(\")=(Die Ukraine wird )-(Nato-Mitglied)+(NATO-Mitglied)=(.)"
        "-(“)+(\")");
  CHECK(FormatWordDiff(old_text, new_text, d, false) ==
        "Er sagte: [-„-]{+\"+}Die Ukraine wird [-Nato-Mitglied-]{+NATO-Mitglied+}.[-“-]{+\"+}");
  CHECK(d.old_words == 6);
  CHECK(d.words_removed == 1);
  CHECK(d.words_added == 1);

  // ß and Ä are letters: one word each, never split.
  CHECK(Script("Die Straße ist schön.", "Die Strasse ist schön.") ==
        "=(Die )-(Straße )+(Strasse )=(ist schön.)");
  CHECK(WordDiff("Ärger im Süden", "Ärger im Norden") == "Ärger im [-Süden-]{+Norden+}");
  // A trailing or doubled hyphen does not join.
  CHECK(DiffTexts("Nato- und EU-Staaten", "").old_words == 3);
  CHECK(DiffTexts("a--b", "").old_words == 2);
  // No-break space and other Unicode spaces separate words.
  CHECK(DiffTexts("5\xC2\xA0"
                  "Millionen\xE2\x80\x89"
                  "Euro",
                  "")
            .old_words == 3);
}

TEST_CASE("Diff: ignore_case and ignore_punctuation", "[diff]") {
  std::string old_text = "Er sagte: „Die Ukraine wird Nato-Mitglied.“ Straße";
  std::string new_text = "Er sagte: \"Die Ukraine wird NATO-Mitglied.\" STRASSE";
  DiffOptions ignore_case;
  ignore_case.ignore_case = true;
  TextDiff d = DiffTexts(old_text, new_text, ignore_case);
  CHECK(Script(old_text, new_text, d) ==
        "=(Er sagte: )-(„)+(\")=(Die Ukraine wird NATO-Mitglied.|Die Ukraine wird "
        "Nato-Mitglied.)-(“ )+(\" )=(STRASSE|Straße)");
  CHECK(d.words_removed == 0);
  CHECK(d.words_added == 0);
  CHECK(d.identical());  // only punctuation changed: no word differs

  DiffOptions both = ignore_case;
  both.ignore_punctuation = true;
  d = DiffTexts(old_text, new_text, both);
  REQUIRE(d.spans.size() == 1);
  CHECK(d.spans[0].op == EditOp::kKeep);
  CHECK(FormatWordDiff(old_text, new_text, d, false) == new_text);

  DiffOptions punctuation;
  punctuation.ignore_punctuation = true;
  CHECK(Script("Nato, sagt er.", "NATO sagt er!", punctuation) ==
        "-(Nato, )+(NATO )=(sagt er!|sagt er.)");
  // Typographic apostrophes and hyphens inside words count as punctuation.
  CHECK(DiffTexts("it’s Nato‐Gipfel", "it's Nato-Gipfel", punctuation).spans.size() == 1);
  CHECK(DiffTexts("it’s", "it's").words_removed == 1);
  // A line of only punctuation is no paragraph then: it is not compared at all.
  CHECK(DiffTexts("Eins.\n***\nZwei.\n", "Eins.\nZwei.\n", punctuation).spans.size() == 1);
}

TEST_CASE("Diff: white space is never compared", "[diff]") {
  TextDiff d = DiffTexts("a  b\n\n\nc\n", "a b\nc");
  REQUIRE(d.spans.size() == 1);
  CHECK(d.spans[0].op == EditOp::kKeep);
  CHECK(d.identical());
  CHECK(FormatWordDiff("a  b\n\n\nc\n", "a b\nc", d, false) == "a b\nc");
}

TEST_CASE("Diff: spans tile both texts for random edits of the fixtures", "[diff]") {
  std::vector<std::string> seeds = Seeds();
  Editor editor(20240501);
  for (int round = 0; round < 40; ++round) {
    const std::string& old_text = seeds[static_cast<size_t>(round) % seeds.size()];
    std::string new_text = editor.Edit(old_text, 1 + round % 12);
    for (int mask = 0; mask < 8; ++mask) {
      DiffOptions options;
      options.ignore_case = mask & 1;
      options.ignore_punctuation = mask & 2;
      options.detect_moves = !(mask & 4);
      INFO("round " << round << " options " << mask);
      TextDiff d = DiffTexts(old_text, new_text, options);
      CheckTiling(old_text, new_text, d);
      // The formatter must cope with any valid script.
      CHECK_FALSE(FormatWordDiff(old_text, new_text, d, mask & 1).empty());
    }
  }
}

TEST_CASE("Diff: invalid UTF-8 does not crash", "[diff]") {
  std::string old_text("ab\xC3x \xFF\xE2\x82 z\xED\xA0\x80", 13);
  std::string new_text("ab\xC3y \xFF", 6);
  TextDiff d = DiffTexts(old_text, new_text);
  CheckTiling(old_text, new_text, d);
  CHECK(d.old_words == 3);  // "ab", "x", "z"; every invalid byte is punctuation
  DiffOptions loose;
  loose.ignore_case = loose.ignore_punctuation = true;
  CheckTiling(old_text, new_text, DiffTexts(old_text, new_text, loose));
  CHECK_FALSE(FormatWordDiff(old_text, new_text, d, true).empty());
  CHECK_FALSE(FormatUnifiedDiff(old_text, new_text, "a", "b", 3).empty());
}

TEST_CASE("ClassifyChange: none, trivial, edit, rewrite", "[diff]") {
  std::string seed = Fixture("seeds/000_72acb853734a966a.txt");
  CHECK(ClassifyChange(seed, seed) == ChangeClass::kNone);
  CHECK(ClassifyChange("", "") == ChangeClass::kNone);
  // Quotes, case and white space only.
  CHECK(ClassifyChange(seed, Fixture("edits/000_quotes_case_space.txt")) == ChangeClass::kTrivial);
  CHECK(ClassifyChange("„Die NATO“,  sagte er.", "\"Die Nato\" sagte er") == ChangeClass::kTrivial);
  // Eleven changed words and ten replaced ones in 470.
  CHECK(ClassifyChange(Fixture("seeds/003_f405f7a60042a16b.txt"),
                       Fixture("edits/003_light_edit.txt")) == ChangeClass::kEdit);
  CHECK(ClassifyChange(Fixture("seeds/001_0767409fdc3e71da.txt"),
                       Fixture("edits/001_changed_paragraph.txt")) == ChangeClass::kEdit);
  // Unrelated articles.
  CHECK(ClassifyChange(seed, Fixture("seeds/004_e092c7c3be034eb3.txt")) == ChangeClass::kRewrite);
  // The cut-off: 4 of 10 words replaced is (4 + 4) / 20 = 0.4, still an edit.
  std::string ten = "w0 w1 w2 w3 w4 w5 w6 w7 w8 w9";
  CHECK(ClassifyChange(ten, "x0 x1 x2 x3 w4 w5 w6 w7 w8 w9") == ChangeClass::kEdit);
  CHECK(ClassifyChange(ten, "x0 x1 x2 x3 x4 w5 w6 w7 w8 w9") == ChangeClass::kRewrite);
  // A moved paragraph is an edit, not trivial.
  CHECK(ClassifyChange("Eins zwei drei vier.\nFünf.\n", "Fünf.\nEins zwei drei vier.\n") ==
        ChangeClass::kEdit);
  CHECK(std::string(newsarc::ChangeClassName(ChangeClass::kRewrite)) == "rewrite");
}

TEST_CASE("FormatWordDiff: colours instead of markers", "[diff]") {
  std::string old_text = "Hier bewegt sich etwas.\nEins zwei drei.\nRest eins.\nRest zwei.\n";
  std::string new_text = "Eins vier drei.\nRest eins.\nRest zwei.\nHier bewegt sich etwas.\n";
  TextDiff d = DiffTexts(old_text, new_text);
  CHECK(FormatWordDiff(old_text, new_text, d, true) ==
        "\x1b[35mHier bewegt sich etwas.\x1b[m\nEins \x1b[31mzwei\x1b[m\x1b[32mvier\x1b[m "
        "drei.\nRest eins.\nRest zwei.\n\x1b[36mHier bewegt sich etwas.\x1b[m\n");
  CHECK(FormatWordDiff(old_text, new_text, d, false) ==
        "[<Hier bewegt sich etwas.<]\nEins [-zwei-]{+vier+} drei.\nRest eins.\nRest zwei.\n"
        "{>Hier bewegt sich etwas.>}\n");
  // A removal over several lines is coloured line by line.
  CHECK(FormatWordDiff("a\nb c\nd\n", "a\nd\n", DiffTexts("a\nb c\nd\n", "a\nd\n"), true) ==
        "a\n\x1b[31mb c\x1b[m\nd\n");
  CHECK(std::string(newsarc::EditOpName(EditOp::kMoveFrom)) == "move-from");
}

TEST_CASE("FormatUnifiedDiff: hunk headers as GNU diff writes them", "[diff]") {
  CHECK(FormatUnifiedDiff("a\nb\nc\n", "x\na\nb\nc\n", "old", "new", 3) ==
        "--- old\n+++ new\n@@ -1,3 +1,4 @@\n+x\n a\n b\n c\n");
  CHECK(FormatUnifiedDiff("a\nb\nc\n", "x\na\nb\nc\n", "old", "new", 0) ==
        "--- old\n+++ new\n@@ -0,0 +1 @@\n+x\n");
  CHECK(FormatUnifiedDiff("a\nb\nc\n", "a\nc\n", "old", "new", 0) ==
        "--- old\n+++ new\n@@ -2 +1,0 @@\n-b\n");
  CHECK(FormatUnifiedDiff("", "a\nb\n", "old", "new", 3) ==
        "--- old\n+++ new\n@@ -0,0 +1,2 @@\n+a\n+b\n");
  CHECK(FormatUnifiedDiff("a\nb\n", "", "old", "new", 3) ==
        "--- old\n+++ new\n@@ -1,2 +0,0 @@\n-a\n-b\n");
  CHECK(FormatUnifiedDiff("a\nb\nc", "a\nb\nd", "old", "new", 3) ==
        "--- old\n+++ new\n@@ -1,3 +1,3 @@\n a\n b\n-c\n\\ No newline at end of file\n+d\n"
        "\\ No newline at end of file\n");
  CHECK(FormatUnifiedDiff("a\nb", "a\nb\n", "old", "new", 3) ==
        "--- old\n+++ new\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n");

  // Changes at most 2 * context lines apart share a hunk.
  std::string lines;
  for (int i = 1; i <= 20; ++i) lines += std::to_string(i) + "\n";
  auto replace = [&](const std::string& a, const std::string& b) {
    std::string s = "\n" + lines;
    s.replace(s.find("\n" + a + "\n") + 1, a.size(), b);
    return s.substr(1);
  };
  std::string near = replace("5", "X");
  near = near.replace(near.find("\n12\n") + 1, 2, "Y");
  CHECK(FormatUnifiedDiff(lines, near, "o", "n", 3) ==
        "--- o\n+++ n\n@@ -2,14 +2,14 @@\n 2\n 3\n 4\n-5\n+X\n 6\n 7\n 8\n 9\n 10\n 11\n-12\n+Y\n"
        " 13\n 14\n 15\n");
  std::string far = replace("5", "X");
  far = far.replace(far.find("\n13\n") + 1, 2, "Y");
  CHECK(FormatUnifiedDiff(lines, far, "o", "n", 3) ==
        "--- o\n+++ n\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+X\n 6\n 7\n 8\n"
        "@@ -10,7 +10,7 @@\n 10\n 11\n 12\n-13\n+Y\n 14\n 15\n 16\n");

  // Equal texts, and lines equal under the options, give nothing.
  CHECK(FormatUnifiedDiff("a\nb\n", "a\nb\n", "o", "n", 3).empty());
  // Without options lines compare byte for byte, as in diff(1).
  CHECK(FormatUnifiedDiff("a  b\n", "a b\n", "o", "n", 3) ==
        "--- o\n+++ n\n@@ -1 +1 @@\n-a  b\n+a b\n");
  DiffOptions ignore_case;
  ignore_case.ignore_case = true;
  CHECK(FormatUnifiedDiff("Nato\n", "NATO\n", "o", "n", 3, ignore_case).empty());
  CHECK_FALSE(FormatUnifiedDiff("Nato\n", "NATO\n", "o", "n", 3).empty());
}

TEST_CASE("FormatUnifiedDiff: patch turns the old text into the new one", "[diff]") {
  CheckRoundTrip("a\nb\nc\n", "x\na\nb\nc\n");           // insertion at the start
  CheckRoundTrip("a\nb\nc\n", "a\nb\nc\nx\ny\n");        // insertion at the end
  CheckRoundTrip("a\nb\nc", "a\nb\nc\nd");               // no final newline on either side
  CheckRoundTrip("a\nb\nc", "a\nB\nc\n");                // newline added at the end
  CheckRoundTrip("a\nb\nc\n", "a\nb\nc");                // newline dropped at the end
  CheckRoundTrip("a\nb\nc\n", "b\n");                    // removals at both ends
  CheckRoundTrip("", "Neu.\n\nZweiter Absatz.\n");       // from nothing
  CheckRoundTrip("Erster.\n\n„Zweiter“ Absatz.\n", "");  // to nothing
  CheckRoundTrip("x\n\n\ny\n", "x\n\ny\n\n");            // blank lines are lines here
  CheckRoundTrip("a  b\nc\nd\n", "a b\nc\nd \n");        // white space changes too
  CheckRoundTrip(Fixture("seeds/000_72acb853734a966a.txt"),
                 Fixture("edits/000_quotes_case_space.txt"));  // quotes, case, spacing

  std::vector<std::string> seeds = Seeds();
  Editor editor(7);
  for (int round = 0; round < 10; ++round) {
    const std::string& old_text = seeds[static_cast<size_t>(round) % seeds.size()];
    INFO("round " << round);
    CheckRoundTrip(old_text, editor.Edit(old_text, 1 + round));
  }
  CheckRoundTrip(seeds[1], Fixture("edits/001_changed_paragraph.txt"));
  CheckRoundTrip(seeds[2], Fixture("edits/002_near_copy.txt"));  // no final newline
}
