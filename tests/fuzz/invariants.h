// Fuzz invariants: the properties that the fuzz targets in tests/fuzz/ check
// on every generated input, shared with the regression test
// (tests/unit/fuzz_regression_test.cc) that replays fixtures/fuzz/ and the
// other fixtures through the same checks.
//
// Every Check* function takes arbitrary bytes and returns an empty string
// when all invariants hold, else a message naming the first one that failed.
// A crash or an out-of-bounds read is found by the sanitizers, not here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "json_writer.h"
#include "newsarc/article.h"
#include "newsarc/diff.h"
#include "newsarc/input.h"
#include "newsarc/normalize.h"
#include "records.h"

namespace newsarc::fuzz {

// Inputs larger than this are skipped by the diff check, so that the O(ND)
// diff of two unrelated halves stays fast.
constexpr size_t kMaxDiffInput = 4096;

#define NEWSARC_EXPECT(cond, msg)                                  \
  do {                                                             \
    if (!(cond)) return std::string(msg) + " (failed: " #cond ")"; \
  } while (0)
#define NEWSARC_CHECK_OK(expr)      \
  do {                              \
    std::string _why = (expr);      \
    if (!_why.empty()) return _why; \
  } while (0)

// ---------------------------------------------------------------------------
// UTF-8 and normalization

inline std::string EncodeUtf8(char32_t cp) {
  std::string out;
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
  return out;
}

// DecodeUtf8 at every offset: a length of at least 1 that stays inside the
// text, length 1 for an error, a decoded code point that is a Unicode scalar
// value and encodes back to the same bytes; and ValidateUtf8 accepts exactly
// the texts without NUL that decode from the start without an error.
inline std::string CheckDecodeUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    Utf8Char u = DecodeUtf8(s, i);
    std::string at = " at byte " + std::to_string(i);
    NEWSARC_EXPECT(u.len >= 1, "DecodeUtf8 returned length 0" + at);
    NEWSARC_EXPECT(u.len <= s.size() - i, "DecodeUtf8 length runs past the end" + at);
    if (u.error != nullptr) {
      NEWSARC_EXPECT(u.len == 1, "DecodeUtf8 error with length > 1" + at);
      continue;
    }
    NEWSARC_EXPECT(u.cp <= 0x10FFFF && (u.cp < 0xD800 || u.cp > 0xDFFF),
                   "DecodeUtf8 returned a non-scalar value" + at);
    NEWSARC_EXPECT(EncodeUtf8(u.cp) == s.substr(i, u.len),
                   "DecodeUtf8 code point does not encode to its bytes" + at);
  }
  bool valid = true;
  for (size_t i = 0; i < s.size() && valid;) {
    Utf8Char u = DecodeUtf8(s, i);
    valid = u.error == nullptr && s[i] != '\0';
    i += u.len;
  }
  NEWSARC_EXPECT(ValidateUtf8(s).ok() == valid, "ValidateUtf8 disagrees with DecodeUtf8");
  return {};
}

// The words of `normalized` computed independently of SplitWords.
inline std::vector<std::string_view> ExpectedWords(std::string_view s) {
  std::vector<std::string_view> words;
  size_t start = std::string_view::npos;
  for (size_t i = 0; i < s.size();) {
    Utf8Char u = DecodeUtf8(s, i);
    bool word = u.error == nullptr && IsWordCodePoint(u.cp);
    if (word && start == std::string_view::npos) start = i;
    if (!word && start != std::string_view::npos) {
      words.push_back(s.substr(start, i - start));
      start = std::string_view::npos;
    }
    i += u.len;
  }
  if (start != std::string_view::npos) words.push_back(s.substr(start));
  return words;
}

// What NormalizeText promises about its output: valid UTF-8, white space
// only as single ASCII spaces between other characters.
inline std::string CheckNormalizedForm(std::string_view n) {
  NEWSARC_EXPECT(ValidateUtf8(n).ok(), "normalized text is not valid UTF-8");
  NEWSARC_EXPECT(n.empty() || (n.front() != ' ' && n.back() != ' '),
                 "normalized text has a leading or trailing space");
  NEWSARC_EXPECT(n.find("  ") == std::string_view::npos, "normalized text has a double space");
  for (size_t i = 0; i < n.size();) {
    Utf8Char u = DecodeUtf8(n, i);
    NEWSARC_EXPECT(u.cp == ' ' || !IsSpaceCodePoint(u.cp),
                   "normalized text has white space other than ' ' at byte " + std::to_string(i));
    i += u.len;
  }
  return {};
}

inline std::string CheckSplitWords(std::string_view n) {
  std::vector<std::string_view> words;
  SplitWords(n, &words);
  for (std::string_view w : words) {
    NEWSARC_EXPECT(!w.empty(), "SplitWords returned an empty word");
    NEWSARC_EXPECT(w.data() >= n.data() && w.data() + w.size() <= n.data() + n.size(),
                   "SplitWords returned a view outside its input");
  }
  NEWSARC_EXPECT(words == ExpectedWords(n),
                 "SplitWords does not return the maximal runs of word characters");
  return {};
}

// DecodeUtf8 on any bytes; for valid UTF-8, NormalizeText is idempotent, its
// output well formed, and SplitWords splits it into non-empty words.
inline std::string CheckNormalize(std::string_view bytes) {
  NEWSARC_CHECK_OK(CheckDecodeUtf8(bytes));
  if (!ValidateUtf8(bytes).ok()) return {};
  std::string once = NormalizeText(bytes);
  NEWSARC_CHECK_OK(CheckNormalizedForm(once));
  std::string twice = NormalizeText(once);
  NEWSARC_EXPECT(twice == once,
                 "NormalizeText is not idempotent: \"" + once + "\" -> \"" + twice + "\"");
  NEWSARC_CHECK_OK(CheckSplitWords(once));
  return {};
}

// ---------------------------------------------------------------------------
// Input parsers

inline bool IsDate(std::string_view d) {
  auto digits = [&](size_t pos, size_t n) {
    for (size_t i = pos; i < pos + n; ++i) {
      if (d[i] < '0' || d[i] > '9') return false;
    }
    return true;
  };
  if (d.size() != 7 && d.size() != 10) return false;
  if (!digits(0, 4) || d[4] != '-' || !digits(5, 2)) return false;
  return d.size() == 7 || (d[7] == '-' && digits(8, 2));
}

// ParseTextArticle keeps the bytes as they are; a body offset inside the
// text exactly when a "date" header was found; a title taken from the body.
inline std::string CheckTextArticle(std::string_view bytes) {
  Article a;
  a.meta.date = "stale";
  ParseTextArticle(std::string(bytes), &a);
  NEWSARC_EXPECT(a.body_offset <= a.text.size(), "body_offset is past the end of the text");
  NEWSARC_EXPECT(a.text == bytes, "ParseTextArticle changed the text");
  NEWSARC_EXPECT((a.body_offset == 0) == a.meta.date.empty(),
                 "a date header was found without a body offset, or the other way round");
  if (a.body_offset > 0) {
    NEWSARC_EXPECT(IsDate(a.meta.date), "header date \"" + a.meta.date + "\" is not YYYY-MM[-DD]");
    std::string_view header = std::string_view(a.text).substr(0, a.body_offset);
    NEWSARC_EXPECT(header.find("date") != std::string_view::npos &&
                       header.find(a.meta.date) != std::string_view::npos,
                   "the header before body_offset does not hold \"date\" and the date");
  }
  if (!a.meta.title.empty()) {
    NEWSARC_EXPECT(a.meta.title.size() <= 200, "title longer than 200 bytes");
    NEWSARC_EXPECT(a.meta.title.find('\n') == std::string::npos, "title spans lines");
    NEWSARC_EXPECT(a.body().find(a.meta.title) != std::string_view::npos,
                   "title is not part of the body");
  }
  return {};
}

// When ParseJsonArticle accepts a line: the text is valid UTF-8 (a \u0000
// escape aside, which ingest rejects), the header rule is the plain-text
// one, and the article written back as JSON parses to the same article.
inline std::string CheckJsonArticle(std::string_view bytes) {
  Article a;
  Status st = ParseJsonArticle(bytes, &a);
  if (!st.ok()) {
    NEWSARC_EXPECT(!st.message().empty(), "rejection without a reason");
    return {};
  }
  NEWSARC_EXPECT(a.body_offset <= a.text.size(), "body_offset is past the end of the text");
  NEWSARC_EXPECT(ValidateUtf8(a.text).ok() || a.text.find('\0') != std::string::npos,
                 "accepted text is not valid UTF-8: " + ValidateUtf8(a.text).message());
  Article plain;
  ParseTextArticle(a.text, &plain);
  NEWSARC_EXPECT(plain.body_offset == a.body_offset,
                 "JSON text and plain text disagree on the date header");
  std::string line = JsonObject()
                         .Str("text", a.text)
                         .Str("key", a.key)
                         .Str("id", a.meta.id)
                         .Str("url", a.meta.url)
                         .Str("title", a.meta.title)
                         .Str("date", a.meta.date)
                         .Str("source", a.meta.source)
                         .Finish();
  Article b;
  st = ParseJsonArticle(line, &b);
  NEWSARC_EXPECT(st.ok(), "the article written as JSON is rejected: " + st.message());
  NEWSARC_EXPECT(b.text == a.text, "text changed in a JSON round trip");
  NEWSARC_EXPECT(b.body_offset == a.body_offset, "body_offset changed in a JSON round trip");
  NEWSARC_EXPECT(b.key == a.key, "key changed in a JSON round trip");
  NEWSARC_EXPECT(b.meta.id == a.meta.id && b.meta.url == a.meta.url &&
                     b.meta.title == a.meta.title && b.meta.date == a.meta.date &&
                     b.meta.source == a.meta.source,
                 "metadata changed in a JSON round trip");
  return {};
}

// ---------------------------------------------------------------------------
// Diff

inline bool RemovesOld(EditOp op) { return op == EditOp::kRemove || op == EditOp::kMoveFrom; }
inline bool AddsNew(EditOp op) { return op == EditOp::kAdd || op == EditOp::kMoveTo; }
inline bool IsMove(EditOp op) { return op == EditOp::kMoveFrom || op == EditOp::kMoveTo; }

// The edit script's contract (diff.h): spans inside both texts, in order and
// without gaps, so that the new-text ranges of every span but kRemove and
// kMoveFrom give the new text back (likewise for the old text); no span empty
// in both; no two neighbours with the same op (moves excepted); every move
// paired.
inline std::string CheckDiffSpans(std::string_view old_text, std::string_view new_text,
                                  const TextDiff& d) {
  std::string old_back, new_back;
  size_t old_pos = 0, new_pos = 0;
  std::map<int, int> from, to;
  for (size_t k = 0; k < d.spans.size(); ++k) {
    const EditSpan& s = d.spans[k];
    std::string at = " (span " + std::to_string(k) + ", " + EditOpName(s.op) + ")";
    NEWSARC_EXPECT(s.old_begin <= s.old_end && s.old_end <= old_text.size(),
                   "old range outside the old text" + at);
    NEWSARC_EXPECT(s.new_begin <= s.new_end && s.new_end <= new_text.size(),
                   "new range outside the new text" + at);
    NEWSARC_EXPECT(s.old_begin < s.old_end || s.new_begin < s.new_end,
                   "span empty in both texts" + at);
    if (RemovesOld(s.op)) NEWSARC_EXPECT(s.new_begin == s.new_end, "removal adds text" + at);
    if (AddsNew(s.op)) NEWSARC_EXPECT(s.old_begin == s.old_end, "addition removes text" + at);
    if (k > 0 && !IsMove(s.op)) {
      NEWSARC_EXPECT(d.spans[k - 1].op != s.op, "two neighbours with the same op" + at);
    }
    if (IsMove(s.op)) {
      NEWSARC_EXPECT(s.move_id >= 0, "move without a move_id" + at);
      ++(s.op == EditOp::kMoveFrom ? from : to)[s.move_id];
    } else {
      NEWSARC_EXPECT(s.move_id == -1, "move_id on a span that is no move" + at);
    }
    if (!AddsNew(s.op)) {
      NEWSARC_EXPECT(s.old_begin == old_pos, "gap or overlap in the old text" + at);
      old_pos = s.old_end;
      old_back.append(old_text.substr(s.old_begin, s.old_end - s.old_begin));
    }
    if (!RemovesOld(s.op)) {
      NEWSARC_EXPECT(s.new_begin == new_pos, "gap or overlap in the new text" + at);
      new_pos = s.new_end;
      new_back.append(new_text.substr(s.new_begin, s.new_end - s.new_begin));
    }
  }
  NEWSARC_EXPECT(old_back == old_text, "the spans do not give the old text back");
  NEWSARC_EXPECT(new_back == new_text, "the spans do not give the new text back");
  NEWSARC_EXPECT(from.size() == to.size(), "unpaired move");
  for (const auto& [id, n] : from) {
    NEWSARC_EXPECT(n == 1 && to.count(id) == 1 && to[id] == 1,
                   "move " + std::to_string(id) + " is not one kMoveFrom and one kMoveTo");
  }
  NEWSARC_EXPECT(d.words_removed <= d.old_words && d.words_moved <= d.old_words &&
                     d.words_added <= d.new_words,
                 "more words changed than there are");
  return {};
}

inline std::vector<std::string_view> SplitLines(std::string_view s, bool keep_newline) {
  std::vector<std::string_view> lines;
  while (!s.empty()) {
    size_t eol = s.find('\n');
    size_t len = eol == std::string_view::npos ? s.size() : eol + 1;
    lines.push_back(s.substr(0, keep_newline || eol == std::string_view::npos ? len : eol));
    s.remove_prefix(len);
  }
  return lines;
}

// "l" or "l,s" of a hunk header.
inline bool ParseRange(std::string_view r, size_t* line, size_t* count) {
  size_t comma = r.find(',');
  std::string_view l = r.substr(0, comma);
  *count = 1;
  auto number = [](std::string_view t, size_t* v) {
    if (t.empty() || t.size() > 9) return false;
    *v = 0;
    for (char c : t) {
      if (c < '0' || c > '9') return false;
      *v = *v * 10 + static_cast<size_t>(c - '0');
    }
    return true;
  };
  if (!number(l, line)) return false;
  return comma == std::string_view::npos || number(r.substr(comma + 1), count);
}

// Applies a unified diff to `old_text` as patch(1) would, strictly: context
// and removed lines must match the old text byte for byte, the hunk headers
// must count their lines and point where the hunk is. Empty on success.
inline std::string ApplyUnifiedDiff(std::string_view old_text, std::string_view diff,
                                    std::string* out) {
  out->clear();
  if (diff.empty()) {
    *out = old_text;
    return {};
  }
  NEWSARC_EXPECT(diff.back() == '\n', "unified diff does not end with a newline");
  std::vector<std::string_view> lines = SplitLines(diff, false);
  std::vector<std::string_view> old_lines = SplitLines(old_text, true);
  NEWSARC_EXPECT(
      lines.size() >= 3 && lines[0].substr(0, 4) == "--- " && lines[1].substr(0, 4) == "+++ ",
      "unified diff without ---/+++ header");
  size_t i = 2, cursor = 0, new_lines = 0;
  while (i < lines.size()) {
    std::string_view h = lines[i++];
    NEWSARC_EXPECT(h.substr(0, 4) == "@@ -" && h.size() > 7 && h.substr(h.size() - 3) == " @@",
                   "bad hunk header: " + std::string(h));
    std::string_view ranges = h.substr(4, h.size() - 7);
    size_t plus = ranges.find(" +");
    NEWSARC_EXPECT(plus != std::string_view::npos, "bad hunk header: " + std::string(h));
    size_t old_line, old_count, new_line, new_count;
    NEWSARC_EXPECT(ParseRange(ranges.substr(0, plus), &old_line, &old_count) &&
                       ParseRange(ranges.substr(plus + 2), &new_line, &new_count),
                   "bad hunk ranges: " + std::string(h));
    size_t old_start = old_count == 0 ? old_line : old_line - 1;
    size_t new_start = new_count == 0 ? new_line : new_line - 1;
    NEWSARC_EXPECT(old_start >= cursor && old_start <= old_lines.size(),
                   "hunk out of order or past the end: " + std::string(h));
    for (; cursor < old_start; ++cursor, ++new_lines) out->append(old_lines[cursor]);
    NEWSARC_EXPECT(new_start == new_lines, "hunk header has the wrong new line: " + std::string(h));
    size_t seen_old = 0, seen_new = 0;
    while (i < lines.size() && lines[i].substr(0, 2) != "@@") {
      std::string_view l = lines[i++];
      NEWSARC_EXPECT(!l.empty(), "empty line in a hunk");
      bool newline = true;
      if (i < lines.size() && lines[i] == "\\ No newline at end of file") {
        newline = false;
        ++i;
      }
      std::string full(l.substr(1));
      if (newline) full.push_back('\n');
      if (l[0] == ' ' || l[0] == '-') {
        NEWSARC_EXPECT(cursor < old_lines.size() && old_lines[cursor] == full,
                       "context or removed line does not match the old text: " + std::string(l));
        ++cursor, ++seen_old;
        if (l[0] == ' ') out->append(full), ++seen_new;
      } else if (l[0] == '+') {
        out->append(full), ++seen_new;
      } else {
        return "unexpected line in a hunk: " + std::string(l);
      }
    }
    NEWSARC_EXPECT(seen_old == old_count && seen_new == new_count,
                   "hunk line counts do not match its header: " + std::string(h));
    new_lines += seen_new;
  }
  for (; cursor < old_lines.size(); ++cursor) out->append(old_lines[cursor]);
  return {};
}

// DiffTexts keeps its contract (also for a text against itself, which must
// be all kept); the word diff does not crash; the unified diff is empty exactly when nothing
// differs, and without options turns the old text into the new one.
inline std::string CheckDiff(std::string_view old_text, std::string_view new_text,
                             const DiffOptions& options, int context, bool color) {
  TextDiff d = DiffTexts(old_text, new_text, options);
  NEWSARC_CHECK_OK(CheckDiffSpans(old_text, new_text, d));
  TextDiff same = DiffTexts(old_text, old_text, options);
  NEWSARC_CHECK_OK(CheckDiffSpans(old_text, old_text, same));
  NEWSARC_EXPECT(same.identical(), "a text differs from itself");
  for (const EditSpan& s : same.spans) {
    NEWSARC_EXPECT(s.op == EditOp::kKeep, "a text diffed against itself has a change");
  }
  (void)FormatWordDiff(old_text, new_text, d, color);
  std::string unified = FormatUnifiedDiff(old_text, new_text, "a", "b", context, options);
  bool exact = !options.ignore_case && !options.ignore_punctuation;
  if (old_text == new_text) NEWSARC_EXPECT(unified.empty(), "unified diff of equal texts");
  if (exact) {
    NEWSARC_EXPECT(unified.empty() == (old_text == new_text),
                   "unified diff empty for different texts");
    std::string patched;
    NEWSARC_CHECK_OK(ApplyUnifiedDiff(old_text, unified, &patched));
    NEWSARC_EXPECT(patched == new_text, "patching the old text does not give the new text");
  }
  return {};
}

// Fuzz input for the diff: byte 0 chooses the options (bit 0 ignore_case,
// bit 1 ignore_punctuation, bit 2 no move detection, bit 3 colour, bits 4-5
// the unified diff context); the rest is old text, NUL, new text (without a
// NUL: cut in the middle).
inline std::string CheckDiffInput(std::string_view bytes) {
  if (bytes.empty() || bytes.size() > kMaxDiffInput) return {};
  unsigned char flags = static_cast<unsigned char>(bytes[0]);
  DiffOptions options;
  options.ignore_case = (flags & 1) != 0;
  options.ignore_punctuation = (flags & 2) != 0;
  options.detect_moves = (flags & 4) == 0;
  bool color = (flags & 8) != 0;
  int context = (flags >> 4) & 3;
  std::string_view rest = bytes.substr(1);
  size_t cut = rest.find('\0');
  std::string_view old_text = rest.substr(0, cut == std::string_view::npos ? rest.size() / 2 : cut);
  std::string_view new_text =
      cut == std::string_view::npos ? rest.substr(rest.size() / 2) : rest.substr(cut + 1);
  return CheckDiff(old_text, new_text, options, context, color);
}

// ---------------------------------------------------------------------------
// Records

// Every decoder returns a Status on any bytes; what it accepts encodes back
// to the bytes it read (up to the trailing bytes a format tolerates).
inline std::string CheckRecords(std::string_view v) {
  auto u32_at = [&](size_t pos) {
    uint32_t x = 0;
    if (v.size() >= pos + 4) std::memcpy(&x, v.data() + pos, 4);
    return x;
  };
  // The fixed arguments come from the bytes too, so the fuzzer steers them.
  uint32_t version = u32_at(0);
  int num_perms = v.empty() ? 0 : static_cast<unsigned char>(v[0]);

  Result<StoryRecord> story = DecodeStory(v);
  if (story.ok()) {
    NEWSARC_EXPECT(EncodeStory(*story) == v.substr(0, 20), "story record does not round-trip");
  } else {
    NEWSARC_EXPECT(v.size() < 20, "story record of 20 bytes or more rejected");
  }

  Result<EntryInfo> entry = DecodeEntry(EntryRef{1, version}, v);
  if (entry.ok()) {
    NEWSARC_EXPECT(entry->ref.story == 1 && entry->ref.version == version, "entry ref changed");
    NEWSARC_EXPECT(static_cast<int>(entry->verdict) <= static_cast<int>(Verdict::kVersion),
                   "entry with an out-of-range verdict");
    std::string encoded = EncodeEntry(*entry);
    // A format 1 record ends before the sequence number (decoded as 0).
    std::string_view without_seq = std::string_view(encoded).substr(0, encoded.size() - 8);
    NEWSARC_EXPECT(v.substr(0, encoded.size()) == encoded || (entry->seq == 0 && v == without_seq),
                   "entry record does not round-trip");
  }

  Result<KeyRecord> key = DecodeKeyRecord(v);
  NEWSARC_EXPECT(key.ok() == (v.size() == 28), "key record accepted with a size other than 28");
  if (key.ok()) NEWSARC_EXPECT(EncodeKeyRecord(*key) == v, "key record does not round-trip");

  Result<TextRecord> text = DecodeText(v, version);
  if (text.ok()) {
    NEWSARC_EXPECT(text->codec == kCodecZstd || text->codec == kCodecZstdDelta ||
                       text->codec == kCodecZstdFormat1 || text->codec == kCodecZstdDict,
                   "text record with an unknown codec");
    NEWSARC_EXPECT(text->depth < 32, "text record depth out of range");
    NEWSARC_EXPECT(text->version == version, "text record version changed");
    if (text->codec == kCodecZstdDelta) {
      NEWSARC_EXPECT(text->reference >= 1 && text->reference < version,
                     "delta refers to a version that is not earlier");
    }
    NEWSARC_EXPECT(text->frame.data() >= v.data() &&
                       text->frame.data() + text->frame.size() == v.data() + v.size(),
                   "text frame is not the end of the record");
    if (text->codec == kCodecZstd) {
      NEWSARC_EXPECT(EncodeText(*text) == v, "text record does not round-trip");
    }
  }

  Result<SignatureRecord> sig = DecodeSignature(v, num_perms);
  NEWSARC_EXPECT(sig.ok() == (v.size() == 12 + static_cast<size_t>(num_perms) * 2),
                 "signature accepted with the wrong size, or rejected with the right one");
  if (sig.ok()) {
    NEWSARC_EXPECT(EncodeSignature(sig->entry, sig->signature) == v,
                   "signature does not round-trip");
  }
  Result<Signature> legacy = DecodeLegacySignature(v, num_perms);
  NEWSARC_EXPECT(legacy.ok() == (v.size() == static_cast<size_t>(num_perms) * 4),
                 "legacy signature accepted with the wrong size");

  Result<ArchiveParams> params = DecodeParams(v);
  if (params.ok()) {
    ArchiveParams p = *params;
    NEWSARC_EXPECT(p.Finalize().ok(), "accepted parameters are out of range");
    NEWSARC_EXPECT(EncodeParams(*params) == v.substr(0, 40), "parameters do not round-trip");
  }

  (void)DecodeStoryKey(v);
  (void)DecodeEntryKey(v);
  return {};
}

#undef NEWSARC_EXPECT
#undef NEWSARC_CHECK_OK

}  // namespace newsarc::fuzz
