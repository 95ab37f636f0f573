#include "newsarc/diff.h"

#include <utf8proc.h>

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <dtl/dtl.hpp>
#include <memory>
#include <unordered_map>
#include <utility>

#include "newsarc/normalize.h"

namespace newsarc {
namespace {

// ---------------------------------------------------------------------------
// Code points

struct CodePoint {
  char32_t cp = 0;
  size_t len = 1;
  bool valid = true;
};

// Decodes the code point at s[i] (i < s.size()). Archive texts are validated,
// but the diff must not trust that: an invalid or truncated sequence decodes
// as one invalid byte, which the tokenizer turns into a punctuation token.
CodePoint Decode(std::string_view s, size_t i) {
  Utf8Char u = DecodeUtf8(s, i);
  return {u.cp, u.len, u.error == nullptr};
}

// Start of the code point that ends at `pos` (pos > 0), or pos - 1 when the
// bytes before `pos` are not one valid sequence.
size_t PreviousStart(std::string_view s, size_t pos) {
  size_t p = pos - 1;
  while (p > 0 && pos - p < 4 && (static_cast<unsigned char>(s[p]) & 0xC0) == 0x80) --p;
  CodePoint c = Decode(s, p);
  return c.valid && p + c.len == pos ? p : pos - 1;
}

// Characters that join two word parts into one word ("don't", "Nato-Mitglied").
bool IsJoiner(char32_t cp) { return cp == '\'' || cp == U'\u2019' || cp == '-' || cp == U'\u2010'; }

enum class CharClass { kSpace, kWord, kOther };

CharClass Classify(const CodePoint& c) {
  if (!c.valid) return CharClass::kOther;
  if (IsSpaceCodePoint(c.cp)) return CharClass::kSpace;
  return IsWordCodePoint(c.cp) ? CharClass::kWord : CharClass::kOther;
}

bool IsSpaceAt(std::string_view s, size_t i) {
  return i < s.size() && Classify(Decode(s, i)) == CharClass::kSpace;
}

bool IsSpaceBefore(std::string_view s, size_t pos) {
  return pos > 0 && IsSpaceAt(s, PreviousStart(s, pos));
}

// The run of white space that ends at `pos`.
std::string_view SpaceRunBefore(std::string_view s, size_t pos) {
  size_t p = pos;
  while (IsSpaceBefore(s, p)) p = PreviousStart(s, p);
  return s.substr(p, pos - p);
}

// The run of white space that starts at `pos`.
std::string_view SpaceRunAfter(std::string_view s, size_t pos) {
  size_t p = pos;
  while (IsSpaceAt(s, p)) p += Decode(s, p).len;
  return s.substr(pos, p - pos);
}

// ---------------------------------------------------------------------------
// Tokens and lines

struct Token {
  size_t begin = 0, end = 0;
  bool word = false;
  int id = -1;  // comparison id; -1 when the token is not compared
};

// A line is a paragraph: [begin, end) including its '\n', and the tokens in it.
struct Line {
  size_t begin = 0, end = 0;
  size_t first_token = 0, last_token = 0;
};

struct Tokenized {
  std::vector<Token> tokens;
  std::vector<Line> lines;  // a text ending in '\n' has no empty last line
};

// End of the word that starts at s[i]: word code points, and a joiner only
// when a word code point follows it ("Nato-" ends before the '-').
size_t ScanWord(std::string_view s, size_t i) {
  while (i < s.size()) {
    CodePoint c = Decode(s, i);
    if (Classify(c) == CharClass::kWord) {
      i += c.len;
      continue;
    }
    if (!c.valid || !IsJoiner(c.cp) || i + c.len >= s.size()) break;
    CodePoint next = Decode(s, i + c.len);
    if (Classify(next) != CharClass::kWord) break;
    i += c.len + next.len;
  }
  return i;
}

Tokenized Tokenize(std::string_view s) {
  Tokenized t;
  t.tokens.reserve(s.size() / 5);
  Line line;
  for (size_t i = 0; i < s.size();) {
    if (s[i] == '\n') {
      line.end = ++i;
      line.last_token = t.tokens.size();
      t.lines.push_back(line);
      line = Line{i, i, t.tokens.size(), t.tokens.size()};
      continue;
    }
    CodePoint c = Decode(s, i);
    switch (Classify(c)) {
      case CharClass::kSpace:
        i += c.len;
        break;
      case CharClass::kOther:
        t.tokens.push_back({i, i + c.len, false, -1});
        i += c.len;
        break;
      case CharClass::kWord: {
        size_t end = ScanWord(s, i);
        t.tokens.push_back({i, end, true, -1});
        i = end;
        break;
      }
    }
  }
  if (line.begin < s.size()) {
    line.end = s.size();
    line.last_token = t.tokens.size();
    t.lines.push_back(line);
  }
  return t;
}

// ---------------------------------------------------------------------------
// Comparison forms

bool IsAscii(std::string_view s) {
  for (unsigned char c : s) {
    if (c >= 0x80) return false;
  }
  return true;
}

std::string CaseFold(std::string_view s) {
  if (IsAscii(s)) {
    std::string out(s);
    for (char& c : out) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
    }
    return out;
  }
  utf8proc_uint8_t* folded = nullptr;
  utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.data()),
                                    static_cast<utf8proc_ssize_t>(s.size()), &folded,
                                    static_cast<utf8proc_option_t>(UTF8PROC_CASEFOLD));
  if (n < 0) return std::string(s);  // invalid bytes: compare them as they are
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> holder(folded, &std::free);
  return std::string(reinterpret_cast<const char*>(folded), static_cast<size_t>(n));
}

// With ignore_punctuation, a typographic apostrophe or hyphen inside a word is
// punctuation, too: "it’s" compares equal to "it's".
std::string UnifyJoiners(std::string_view word) {
  std::string out;
  out.reserve(word.size());
  for (size_t i = 0; i < word.size();) {
    CodePoint c = Decode(word, i);
    if (c.valid && c.cp == U'\u2019') {
      out.push_back('\'');
    } else if (c.valid && c.cp == U'\u2010') {
      out.push_back('-');
    } else {
      out.append(word.substr(i, c.len));
    }
    i += c.len;
  }
  return out;
}

// Maps comparison forms to small integer ids, shared by both texts.
class Vocabulary {
 public:
  // `form` must outlive the vocabulary unless `stable` is false, in which case
  // a copy is kept.
  int Id(std::string_view form, bool stable) {
    auto it = ids_.find(form);
    if (it != ids_.end()) return it->second;
    if (!stable) form = owned_.emplace_back(form);
    int id = static_cast<int>(ids_.size());
    ids_.emplace(form, id);
    return id;
  }

 private:
  std::unordered_map<std::string_view, int> ids_;
  std::deque<std::string> owned_;  // deque: growing it does not move the strings
};

void AssignIds(std::string_view text, const DiffOptions& options, Vocabulary* vocab, Tokenized* t) {
  for (Token& token : t->tokens) {
    if (!token.word && options.ignore_punctuation) continue;  // id stays -1
    std::string_view form = text.substr(token.begin, token.end - token.begin);
    bool unify = options.ignore_punctuation && !IsAscii(form);  // ’ and ‐ are not ASCII
    if (!options.ignore_case && !unify) {
      token.id = vocab->Id(form, true);  // the common case: the bytes as they are
      continue;
    }
    std::string owned(form);
    if (unify) owned = UnifyJoiners(owned);
    if (options.ignore_case) owned = CaseFold(owned);
    token.id = vocab->Id(owned, false);
  }
}

// Line keys: lines with the same sequence of comparison ids get the same key.
class LineKeys {
 public:
  int Key(const std::vector<Token>& tokens, const Line& line, bool final_newline_missing) {
    std::string key;
    for (size_t k = line.first_token; k < line.last_token; ++k) {
      int id = tokens[k].id;
      if (id >= 0) key.append(reinterpret_cast<const char*>(&id), sizeof id);
    }
    if (final_newline_missing) key.push_back('$');  // no id is one byte long
    return Intern(std::move(key));
  }

  // The line's bytes themselves: for a unified diff that must give the new
  // text back through `patch` when nothing is ignored.
  int KeyOfBytes(std::string_view bytes) { return Intern(std::string(bytes)); }

 private:
  int Intern(std::string key) {
    auto [it, inserted] = keys_.try_emplace(std::move(key), static_cast<int>(keys_.size()));
    return it->second;
  }

  std::unordered_map<std::string, int> keys_;
};

// ---------------------------------------------------------------------------
// Minimal edit script of two id sequences (libdtl)

// Above this many elements libdtl is told to reserve its path buffer up front.
constexpr size_t kHugeElements = 100000;

void AppendRun(size_t removes, size_t adds, std::vector<EditOp>* ops) {
  ops->insert(ops->end(), removes, EditOp::kRemove);
  ops->insert(ops->end(), adds, EditOp::kAdd);
}

// Keep / remove / add per element; within each run of changes the removals
// come first, so a replacement reads "old, then new".
std::vector<EditOp> DiffIds(const std::vector<int>& a, const std::vector<int>& b) {
  // Equal ends are common (a few edits in a long text) and cost libdtl
  // nothing to skip, but copying them into it would.
  size_t prefix = 0;
  while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  size_t suffix = 0;
  while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
         a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix]) {
    ++suffix;
  }
  std::vector<EditOp> ops(prefix, EditOp::kKeep);
  std::vector<int> mid_a(a.begin() + prefix, a.end() - suffix);
  std::vector<int> mid_b(b.begin() + prefix, b.end() - suffix);
  if (mid_a.empty() || mid_b.empty()) {
    AppendRun(mid_a.size(), mid_b.size(), &ops);
  } else {
    dtl::Diff<int> diff(mid_a, mid_b);
    if (mid_a.size() + mid_b.size() > kHugeElements) diff.onHuge();
    diff.compose();
    size_t removes = 0, adds = 0;
    for (const auto& element : diff.getSes().getSequence()) {
      if (element.second.type == dtl::SES_DELETE) {
        ++removes;
      } else if (element.second.type == dtl::SES_ADD) {
        ++adds;
      } else {
        AppendRun(removes, adds, &ops);
        removes = adds = 0;
        ops.push_back(EditOp::kKeep);
      }
    }
    AppendRun(removes, adds, &ops);
  }
  ops.insert(ops.end(), suffix, EditOp::kKeep);
  return ops;
}

// ---------------------------------------------------------------------------
// Span building

// Appends spans that continue where the last one ended; merges a span into
// the previous one of the same op and drops empty ones.
class SpanBuilder {
 public:
  void Keep(size_t old_end, size_t new_end) { Emit(EditOp::kKeep, old_end, new_end, -1); }
  void Remove(size_t old_end) { Emit(EditOp::kRemove, old_end, new_pos_, -1); }
  void Add(size_t new_end) { Emit(EditOp::kAdd, old_pos_, new_end, -1); }
  void MoveFrom(size_t old_end, int id) { Emit(EditOp::kMoveFrom, old_end, new_pos_, id); }
  void MoveTo(size_t new_end, int id) { Emit(EditOp::kMoveTo, old_pos_, new_end, id); }

  size_t old_pos() const { return old_pos_; }
  size_t new_pos() const { return new_pos_; }
  std::vector<EditSpan> Take() { return std::move(spans_); }

 private:
  void Emit(EditOp op, size_t old_end, size_t new_end, int move_id) {
    old_end = std::max(old_end, old_pos_);  // never step back: keeps the spans tiling
    new_end = std::max(new_end, new_pos_);
    if (old_end == old_pos_ && new_end == new_pos_) return;
    bool moves = op == EditOp::kMoveFrom || op == EditOp::kMoveTo;
    if (!moves && !spans_.empty() && spans_.back().op == op) {
      spans_.back().old_end = old_end;
      spans_.back().new_end = new_end;
    } else {
      spans_.push_back({op, old_pos_, old_end, new_pos_, new_end, move_id});
    }
    old_pos_ = old_end;
    new_pos_ = new_end;
  }

  std::vector<EditSpan> spans_;
  size_t old_pos_ = 0, new_pos_ = 0;
};

// A line that holds at least one compared token; only these take part in the
// line diff, so blank lines and white space never show as changes.
struct ContentLine {
  Line line;
  int key = 0;
  size_t words = 0;
  int move_id = -1;
};

// Lines [first, last) of one side of a region, up to the moved line that
// follows them (or the region's end).
struct LineRun {
  size_t first = 0, last = 0;
  size_t end = 0;        // byte where the run ends
  int moved = -1;        // index of the moved line after the run, -1 at the end
  size_t moved_end = 0;  // end of the moved line's span
  bool content() const { return first < last; }
};

// Moved paragraphs need at least this many words: short lines ("Foto: dpa")
// repeat too often to be read as moves.
constexpr size_t kMinMoveWords = 4;

class Differ {
 public:
  Differ(std::string_view old_text, std::string_view new_text, const DiffOptions& options)
      : old_(old_text), new_(new_text), options_(options) {}

  TextDiff Run() {
    old_tok_ = Tokenize(old_);
    new_tok_ = Tokenize(new_);
    Vocabulary vocab;
    AssignIds(old_, options_, &vocab, &old_tok_);
    AssignIds(new_, options_, &vocab, &new_tok_);
    LineKeys keys;
    old_lines_ = ContentLines(old_tok_, &keys);
    new_lines_ = ContentLines(new_tok_, &keys);
    std::vector<EditOp> line_ops = DiffIds(KeysOf(old_lines_), KeysOf(new_lines_));
    if (options_.detect_moves) MatchMoves(line_ops);
    EmitLines(line_ops);
    TextDiff diff;
    diff.spans = builder_.Take();
    CountWords(&diff);
    return diff;
  }

 private:
  static std::vector<ContentLine> ContentLines(const Tokenized& t, LineKeys* keys) {
    std::vector<ContentLine> out;
    for (const Line& line : t.lines) {
      ContentLine cl{line, 0, 0, -1};
      bool compared = false;
      for (size_t k = line.first_token; k < line.last_token; ++k) {
        compared |= t.tokens[k].id >= 0;
        cl.words += t.tokens[k].word;
      }
      if (!compared) continue;
      cl.key = keys->Key(t.tokens, line, false);
      out.push_back(cl);
    }
    return out;
  }

  static std::vector<int> KeysOf(const std::vector<ContentLine>& lines) {
    std::vector<int> keys;
    keys.reserve(lines.size());
    for (const ContentLine& l : lines) keys.push_back(l.key);
    return keys;
  }

  // Pairs removed lines with added lines of the same key, each in text order.
  // The pairs can only lie in different regions: two equal lines in one
  // region would have been kept by the minimal line diff.
  void MatchMoves(const std::vector<EditOp>& line_ops) {
    std::unordered_map<int, std::deque<size_t>> removed;
    std::vector<std::pair<size_t, size_t>> pairs;
    std::vector<size_t> added;
    size_t oi = 0, ni = 0;
    for (EditOp op : line_ops) {
      if (op == EditOp::kRemove && old_lines_[oi].words >= kMinMoveWords) {
        removed[old_lines_[oi].key].push_back(oi);
      }
      if (op == EditOp::kAdd && new_lines_[ni].words >= kMinMoveWords) added.push_back(ni);
      oi += op != EditOp::kAdd;
      ni += op != EditOp::kRemove;
    }
    for (size_t n : added) {
      auto it = removed.find(new_lines_[n].key);
      if (it == removed.end() || it->second.empty()) continue;
      pairs.emplace_back(it->second.front(), n);
      it->second.pop_front();
    }
    std::sort(pairs.begin(), pairs.end());  // move ids in old-text order
    for (size_t k = 0; k < pairs.size(); ++k) {
      old_lines_[pairs[k].first].move_id = static_cast<int>(k);
      new_lines_[pairs[k].second].move_id = static_cast<int>(k);
    }
  }

  // Kept lines become keep spans; what lies between two kept lines is a region.
  void EmitLines(const std::vector<EditOp>& line_ops) {
    size_t oi = 0, ni = 0, region_old = 0, region_new = 0;
    for (EditOp op : line_ops) {
      if (op == EditOp::kRemove) {
        ++oi;
      } else if (op == EditOp::kAdd) {
        ++ni;
      } else {
        EmitRegion(region_old, oi, region_new, ni, old_lines_[oi].line.begin,
                   new_lines_[ni].line.begin);
        builder_.Keep(old_lines_[oi].line.end, new_lines_[ni].line.end);
        region_old = ++oi;
        region_new = ++ni;
      }
    }
    EmitRegion(region_old, oi, region_new, ni, old_.size(), new_.size());
  }

  static std::vector<LineRun> SplitRuns(const std::vector<ContentLine>& lines, size_t first,
                                        size_t last, size_t end) {
    std::vector<LineRun> runs;
    for (size_t l = first; l < last; ++l) {
      if (lines[l].move_id < 0) continue;
      runs.push_back({first, l, lines[l].line.begin, static_cast<int>(l), lines[l].line.end});
      first = l + 1;
    }
    runs.push_back({first, last, end, -1, end});
    // A moved line takes the blank lines after it, as a removed word takes
    // the white space after it: the paragraph leaves with its separator.
    for (size_t k = 1; k < runs.size(); ++k) {
      if (runs[k].content()) continue;
      runs[k - 1].moved_end = runs[k].end;
      runs[k].first = runs[k].last = 0;  // now empty: [end, end)
    }
    return runs;
  }

  // Content lines [old_first, old_last) and [new_first, new_last), ending at
  // old_end / new_end. Moved lines cut each side into runs; a run with words
  // is diffed word by word against the next run of the other side with words,
  // so an edit next to a moved paragraph still reads as an edit.
  void EmitRegion(size_t old_first, size_t old_last, size_t new_first, size_t new_last,
                  size_t old_end, size_t new_end) {
    if (old_first == old_last && new_first == new_last) {
      builder_.Keep(old_end, new_end);
      return;
    }
    std::vector<LineRun> old_runs = SplitRuns(old_lines_, old_first, old_last, old_end);
    std::vector<LineRun> new_runs = SplitRuns(new_lines_, new_first, new_last, new_end);
    size_t i = 0, j = 0;
    while (i < old_runs.size() || j < new_runs.size()) {
      bool has_old = i < old_runs.size(), has_new = j < new_runs.size();
      bool old_content = has_old && old_runs[i].content();
      bool new_content = has_new && new_runs[j].content();
      if (has_old && has_new && old_content == new_content) {
        EmitWords(old_runs[i], new_runs[j]);
        FinishOldRun(old_runs[i++]);
        FinishNewRun(new_runs[j++]);
      } else if (has_old && (!old_content || !has_new)) {
        EmitWords(old_runs[i], LineRun{0, 0, builder_.new_pos(), -1, 0});
        FinishOldRun(old_runs[i++]);
      } else {
        EmitWords(LineRun{0, 0, builder_.old_pos(), -1, 0}, new_runs[j]);
        FinishNewRun(new_runs[j++]);
      }
    }
  }

  void FinishOldRun(const LineRun& run) {
    if (run.moved >= 0) {
      const ContentLine& l = old_lines_[static_cast<size_t>(run.moved)];
      builder_.MoveFrom(run.moved_end, l.move_id);
    }
  }

  void FinishNewRun(const LineRun& run) {
    if (run.moved >= 0) {
      const ContentLine& l = new_lines_[static_cast<size_t>(run.moved)];
      builder_.MoveTo(run.moved_end, l.move_id);
    }
  }

  // The compared tokens of one side of a run.
  struct RunTokens {
    const std::vector<Token>* tokens;
    std::vector<size_t> index;
    size_t end;  // where the run ends

    const Token& operator[](size_t i) const { return (*tokens)[index[i]]; }
    size_t size() const { return index.size(); }
    // Where token i begins, or the run's end when there is none.
    size_t BeginOrEnd(size_t i) const { return i < size() ? (*this)[i].begin : end; }
  };

  static RunTokens ComparedTokens(const Tokenized& t, const std::vector<ContentLine>& lines,
                                  const LineRun& run) {
    RunTokens out{&t.tokens, {}, run.end};
    if (!run.content()) return out;
    for (size_t k = lines[run.first].line.first_token; k < lines[run.last - 1].line.last_token;
         ++k) {
      if (t.tokens[k].id >= 0) out.index.push_back(k);
    }
    return out;
  }

  static std::vector<int> IdsOf(const RunTokens& run) {
    std::vector<int> ids;
    ids.reserve(run.size());
    for (size_t i = 0; i < run.size(); ++i) ids.push_back(run[i].id);
    return ids;
  }

  // Word diff of one old run against one new run.
  void EmitWords(const LineRun& old_run, const LineRun& new_run) {
    RunTokens o = ComparedTokens(old_tok_, old_lines_, old_run);
    RunTokens n = ComparedTokens(new_tok_, new_lines_, new_run);
    std::vector<EditOp> ops = DiffIds(IdsOf(o), IdsOf(n));
    size_t i = 0, j = 0;
    for (size_t k = 0; k < ops.size();) {
      if (ops[k] == EditOp::kKeep) {
        ++i, ++j, ++k;
        continue;
      }
      size_t r = 0, s = 0;
      for (; k < ops.size() && ops[k] == EditOp::kRemove; ++k) ++r;
      for (; k < ops.size() && ops[k] == EditOp::kAdd; ++k) ++s;
      EmitChange(o, i, r, n, j, s);
      i += r, j += s;
    }
    builder_.Keep(old_run.end, new_run.end);
  }

  // One change: old tokens [i, i + r) replaced by new tokens [j, j + s), with
  // kept tokens (or the run's ends) around. White space between two kept
  // tokens is kept; a change takes the white space after it, so that
  // "a b c" -> "a c" is keep "a ", remove "b ", keep "c". A change glued to
  // the token before it (punctuation: "a, b" -> "a b") leaves the other
  // text's white space to the keep after it instead: "a[-,-] b".
  void EmitChange(const RunTokens& o, size_t i, size_t r, const RunTokens& n, size_t j, size_t s) {
    size_t old_next = o.BeginOrEnd(i + r);
    size_t new_next = n.BeginOrEnd(j + s);
    size_t old_cut = r > 0 ? o[i].begin : old_next;
    size_t new_cut = s > 0 ? n[j].begin : new_next;
    if (s == 0 && old_cut > 0 && !IsSpaceBefore(old_, old_cut)) {
      new_cut = j > 0 ? n[j - 1].end : builder_.new_pos();
    }
    if (r == 0 && new_cut > 0 && !IsSpaceBefore(new_, new_cut)) {
      old_cut = i > 0 ? o[i - 1].end : builder_.old_pos();
    }
    builder_.Keep(old_cut, new_cut);
    if (r > 0) builder_.Remove(old_next);
    if (s > 0) builder_.Add(new_next);
  }

  // Word tokens per span: every token lies inside exactly one span's range.
  static size_t WordsIn(const std::vector<Token>& tokens, size_t* next, size_t end) {
    size_t words = 0;
    for (; *next < tokens.size() && tokens[*next].begin < end; ++*next) {
      words += tokens[*next].word;
    }
    return words;
  }

  void CountWords(TextDiff* diff) const {
    for (const Token& t : old_tok_.tokens) diff->old_words += t.word;
    for (const Token& t : new_tok_.tokens) diff->new_words += t.word;
    size_t next_old = 0, next_new = 0;
    for (const EditSpan& span : diff->spans) {
      size_t old_words = WordsIn(old_tok_.tokens, &next_old, span.old_end);
      size_t new_words = WordsIn(new_tok_.tokens, &next_new, span.new_end);
      if (span.op == EditOp::kRemove) diff->words_removed += old_words;
      if (span.op == EditOp::kAdd) diff->words_added += new_words;
      if (span.op == EditOp::kMoveFrom) diff->words_moved += old_words;
    }
  }

  std::string_view old_, new_;
  DiffOptions options_;
  Tokenized old_tok_, new_tok_;
  std::vector<ContentLine> old_lines_, new_lines_;
  SpanBuilder builder_;
};

// ---------------------------------------------------------------------------
// Word diff formatting

struct Marker {
  const char* open;
  const char* close;
  const char* color;
};

Marker MarkerOf(EditOp op) {
  switch (op) {
    case EditOp::kRemove:
      return {"[-", "-]", "\x1b[31m"};
    case EditOp::kAdd:
      return {"{+", "+}", "\x1b[32m"};
    case EditOp::kMoveFrom:
      return {"[<", "<]", "\x1b[35m"};
    case EditOp::kMoveTo:
      return {"{>", ">}", "\x1b[36m"};
    case EditOp::kKeep:
      break;
  }
  return {"", "", ""};
}

// `s` split into leading white space, the rest, and trailing white space.
struct Trimmed {
  std::string_view lead, core, trail;
};

Trimmed Trim(std::string_view s) {
  size_t begin = SpaceRunAfter(s, 0).size();
  size_t end = s.size() - SpaceRunBefore(s, s.size()).size();
  if (begin >= end) return {s, {}, {}};
  return {s.substr(0, begin), s.substr(begin, end - begin), s.substr(end)};
}

// Writes the new text with the removed parts put back in. Marked text never
// includes white space. The white space next to a removal comes from the old
// text, so it is "soft": written only where the new text has none, which
// keeps "a [-b-] c" from turning into "a [-b-]c" or "a  [-b-] c".
class WordDiffWriter {
 public:
  explicit WordDiffWriter(bool color) : color_(color) {}

  void Keep(std::string_view text) {
    if (text.empty()) return;
    Flush(text);
    out_.append(text);
    after_removal_ = false;
  }

  // old[begin, end) was removed (or moved away).
  void Removed(EditOp op, std::string_view old_text, size_t begin, size_t end) {
    Trimmed t = Trim(old_text.substr(begin, end - begin));
    if (t.core.empty()) return;
    size_t core_begin = begin + t.lead.size();
    size_t core_end = core_begin + t.core.size();
    Flush("[");
    if (!out_.empty() && !IsSpaceBefore(out_, out_.size())) {
      out_.append(SpaceRunBefore(old_text, core_begin));
    }
    Mark(op, t.core);
    pending_ = SpaceRunAfter(old_text, core_end);
    after_removal_ = op == EditOp::kRemove;
  }

  void Added(EditOp op, std::string_view text) {
    Trimmed t = Trim(text);
    // A replacement reads "[-old-]{+new+}" inside a paragraph; a replaced
    // paragraph keeps its line break between the two.
    if (after_removal_ && op == EditOp::kAdd && pending_.find('\n') == std::string_view::npos) {
      pending_ = {};
    }
    Keep(t.lead);
    if (t.core.empty()) return;
    Flush("{");
    Mark(op, t.core);
    out_.append(t.trail);
    after_removal_ = false;
  }

  std::string Finish() {
    Flush({});
    return std::move(out_);
  }

 private:
  // Writes the pending soft white space if nothing separates the output from `next`.
  void Flush(std::string_view next) {
    if (!pending_.empty() && !out_.empty() && !IsSpaceBefore(out_, out_.size()) &&
        !IsSpaceAt(next, 0)) {
      out_.append(pending_);
    }
    pending_ = {};
  }

  // Colours are closed at each line end so that pagers and terminals do not
  // carry them into the next line.
  void Mark(EditOp op, std::string_view core) {
    Marker m = MarkerOf(op);
    if (!color_) {
      out_.append(m.open).append(core).append(m.close);
      return;
    }
    while (!core.empty()) {
      size_t nl = core.find('\n');
      std::string_view part = core.substr(0, nl);
      if (!part.empty()) out_.append(m.color).append(part).append("\x1b[m");
      if (nl == std::string_view::npos) break;
      out_.push_back('\n');
      core.remove_prefix(nl + 1);
    }
  }

  bool color_;
  std::string out_;
  std::string_view pending_;  // points into the old text
  bool after_removal_ = false;
};

// ---------------------------------------------------------------------------
// Unified diff

struct UnifiedEntry {
  EditOp op;
  size_t old_line, new_line;  // index of the line, or lines before it when absent
};

std::vector<int> UnifiedKeys(std::string_view text, const Tokenized& t, bool exact,
                             LineKeys* keys) {
  std::vector<int> out;
  out.reserve(t.lines.size());
  for (const Line& line : t.lines) {
    // A missing final newline must survive `patch`, so it makes a line differ.
    bool missing_newline = line.end == text.size() && (text.empty() || text.back() != '\n');
    std::string_view bytes = text.substr(line.begin, line.end - line.begin);
    out.push_back(exact ? keys->KeyOfBytes(std::string(bytes) + (missing_newline ? "$" : "\n"))
                        : keys->Key(t.tokens, line, missing_newline));
  }
  return out;
}

std::vector<UnifiedEntry> UnifiedEntries(const std::vector<EditOp>& ops) {
  std::vector<UnifiedEntry> out;
  out.reserve(ops.size());
  size_t oi = 0, ni = 0;
  for (EditOp op : ops) {
    out.push_back({op, oi, ni});
    oi += op != EditOp::kAdd;
    ni += op != EditOp::kRemove;
  }
  return out;
}

// "l,s" as GNU diff writes it: "l" alone for one line; for no lines, the
// number of the line before the range (patch relies on that for empty files).
std::string RangeText(size_t before, size_t count) {
  if (count == 0) return std::to_string(before) + ",0";
  if (count == 1) return std::to_string(before + 1);
  return std::to_string(before + 1) + "," + std::to_string(count);
}

void AppendLine(char prefix, std::string_view text, const Line& line, std::string* out) {
  std::string_view body = text.substr(line.begin, line.end - line.begin);
  bool newline = !body.empty() && body.back() == '\n';
  if (newline) body.remove_suffix(1);
  out->push_back(prefix);
  out->append(body);
  out->push_back('\n');
  if (!newline) out->append("\\ No newline at end of file\n");
}

void AppendHunk(const std::vector<UnifiedEntry>& entries, size_t begin, size_t end,
                std::string_view old_text, const Tokenized& old_tok, std::string_view new_text,
                const Tokenized& new_tok, std::string* out) {
  size_t old_count = 0, new_count = 0;
  for (size_t k = begin; k < end; ++k) {
    old_count += entries[k].op != EditOp::kAdd;
    new_count += entries[k].op != EditOp::kRemove;
  }
  out->append("@@ -" + RangeText(entries[begin].old_line, old_count) + " +" +
              RangeText(entries[begin].new_line, new_count) + " @@\n");
  for (size_t k = begin; k < end; ++k) {
    const UnifiedEntry& e = entries[k];
    // Context comes from the old text: that is what patch checks it against.
    if (e.op == EditOp::kKeep) AppendLine(' ', old_text, old_tok.lines[e.old_line], out);
    if (e.op == EditOp::kRemove) AppendLine('-', old_text, old_tok.lines[e.old_line], out);
    if (e.op == EditOp::kAdd) AppendLine('+', new_text, new_tok.lines[e.new_line], out);
  }
}

// End (exclusive) of the changes that share a hunk with the change at `k`:
// changes at most 2 * context kept lines apart go together, as in GNU diff.
size_t HunkChangesEnd(const std::vector<UnifiedEntry>& entries, size_t k, size_t context) {
  while (true) {
    while (k < entries.size() && entries[k].op != EditOp::kKeep) ++k;
    size_t next = k;
    while (next < entries.size() && entries[next].op == EditOp::kKeep) ++next;
    if (next == entries.size() || next - k > 2 * context) return k;
    k = next;
  }
}

}  // namespace

const char* EditOpName(EditOp op) {
  switch (op) {
    case EditOp::kKeep:
      return "keep";
    case EditOp::kRemove:
      return "remove";
    case EditOp::kAdd:
      return "add";
    case EditOp::kMoveFrom:
      return "move-from";
    case EditOp::kMoveTo:
      return "move-to";
  }
  return "?";
}

TextDiff DiffTexts(std::string_view old_text, std::string_view new_text,
                   const DiffOptions& options) {
  return Differ(old_text, new_text, options).Run();
}

const char* ChangeClassName(ChangeClass c) {
  switch (c) {
    case ChangeClass::kNone:
      return "none";
    case ChangeClass::kTrivial:
      return "trivial";
    case ChangeClass::kEdit:
      return "edit";
    case ChangeClass::kRewrite:
      return "rewrite";
  }
  return "?";
}

ChangeClass ClassifyChange(std::string_view old_text, std::string_view new_text) {
  if (old_text == new_text) return ChangeClass::kNone;
  DiffOptions loose;
  loose.ignore_case = true;
  loose.ignore_punctuation = true;
  if (DiffTexts(old_text, new_text, loose).identical()) return ChangeClass::kTrivial;
  TextDiff diff = DiffTexts(old_text, new_text);
  size_t words = diff.old_words + diff.new_words;
  if (words == 0) return ChangeClass::kTrivial;  // unreachable: no words, nothing changed
  double share = static_cast<double>(diff.words_removed + diff.words_added) / words;
  return share <= 0.4 ? ChangeClass::kEdit : ChangeClass::kRewrite;
}

std::string FormatWordDiff(std::string_view old_text, std::string_view new_text,
                           const TextDiff& diff, bool color) {
  WordDiffWriter writer(color);
  for (const EditSpan& span : diff.spans) {
    // A diff of other texts must not make us read out of bounds.
    if (span.old_begin > span.old_end || span.old_end > old_text.size() ||
        span.new_begin > span.new_end || span.new_end > new_text.size()) {
      continue;
    }
    std::string_view added = new_text.substr(span.new_begin, span.new_end - span.new_begin);
    switch (span.op) {
      case EditOp::kKeep:
        writer.Keep(added);
        break;
      case EditOp::kRemove:
      case EditOp::kMoveFrom:
        writer.Removed(span.op, old_text, span.old_begin, span.old_end);
        break;
      case EditOp::kAdd:
      case EditOp::kMoveTo:
        writer.Added(span.op, added);
        break;
    }
  }
  return writer.Finish();
}

std::string FormatUnifiedDiff(std::string_view old_text, std::string_view new_text,
                              std::string_view old_label, std::string_view new_label, int context,
                              const DiffOptions& options) {
  Tokenized old_tok = Tokenize(old_text);
  Tokenized new_tok = Tokenize(new_text);
  Vocabulary vocab;
  AssignIds(old_text, options, &vocab, &old_tok);
  AssignIds(new_text, options, &vocab, &new_tok);
  LineKeys keys;
  // Without an ignore option lines compare byte for byte, as in diff(1),
  // so that white space changes survive `patch` too.
  bool exact = !options.ignore_case && !options.ignore_punctuation;
  std::vector<int> old_keys = UnifiedKeys(old_text, old_tok, exact, &keys);
  std::vector<int> new_keys = UnifiedKeys(new_text, new_tok, exact, &keys);
  std::vector<UnifiedEntry> entries = UnifiedEntries(DiffIds(old_keys, new_keys));
  size_t ctx = context > 0 ? static_cast<size_t>(context) : 0;
  std::string out;
  size_t done = 0;  // entries before this one are written or left out
  for (size_t k = 0; k < entries.size();) {
    if (entries[k].op == EditOp::kKeep) {
      ++k;
      continue;
    }
    if (out.empty()) {
      out.append("--- ").append(old_label).append("\n+++ ").append(new_label).append("\n");
    }
    size_t begin = std::max(done, k >= ctx ? k - ctx : 0);
    size_t end = std::min(entries.size(), HunkChangesEnd(entries, k, ctx) + ctx);
    AppendHunk(entries, begin, end, old_text, old_tok, new_text, new_tok, &out);
    done = k = end;
  }
  return out;
}

}  // namespace newsarc
