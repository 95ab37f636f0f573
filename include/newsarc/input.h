// Input readers: turn paths into a stream of articles or rejections.
//
// A path is a plain-text article file, a directory (walked recursively in
// sorted order, hidden entries skipped, symbolic links to directories not
// followed), a .jsonl file (one JSON object per line: `text` and optional
// `key`, `id`, `url`, `title`, `date`, `source`), or "-" for JSON Lines on standard
// input. Inputs are read lazily, one article at a time; a bad input becomes
// a rejection naming it ("path" or "path:line") and reading goes on.
#pragma once

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "newsarc/article.h"
#include "newsarc/status.h"

namespace newsarc {

struct InputOptions {
  // Use the path relative to the directory named on the command line as the
  // key of plain-text articles (they have no key otherwise).
  bool key_from_path = false;
  // Articles (and JSON lines) longer than this are rejected unread.
  size_t max_article_bytes = 16u << 20;
  // Source recorded for articles whose input does not name one.
  std::string default_source;
};

// Parses a plain-text article: optional white space, "date", a date
// YYYY-MM or YYYY-MM-DD, then the text; a short first line without final
// punctuation followed by more text is the title. Fills `article->text`,
// `body_offset` and `meta`.
void ParseTextArticle(std::string raw, Article* article);

// Length of a leading "date YYYY-MM[-DD]" header (with the white space
// after it), or 0: where the compared body of an article text starts.
size_t DateHeaderLength(std::string_view text);

// Parses one JSON Lines record into `article` (text, meta, key = `key`, else
// `url`, else `id`). A text that starts with a "date YYYY-MM[-DD]" line has
// that line as header, as in a plain-text article.
// Errors name the reason only; callers add the input position.
Status ParseJsonArticle(std::string_view line, Article* article);

// What a reader yields: an article, or the input that was rejected and why.
struct InputItem {
  bool ok() const { return error.ok(); }
  Article article;  // valid when ok(); `article.input` names the input always
  Status error;
};

class ArticleReader {
 public:
  ArticleReader(std::vector<std::string> paths, InputOptions options);
  ~ArticleReader();
  ArticleReader(const ArticleReader&) = delete;
  ArticleReader& operator=(const ArticleReader&) = delete;

  // Fills `item` with the next article or rejection; false at the end.
  bool Next(InputItem* item);

  // Input bytes consumed so far: whole files, and JSON lines with their
  // newlines; comparable with TotalBytes().
  uint64_t bytes_read() const { return bytes_read_; }

  // The bytes of all regular files the paths name (directories walked as
  // Next() walks them), or nullopt when one of them is standard input.
  static std::optional<uint64_t> TotalBytes(const std::vector<std::string>& paths);

 private:
  struct Source;
  class LineReader;
  bool NextFromSources(InputItem* item);
  static std::vector<Source> SourcesOf(const std::string& path);

  std::vector<std::string> paths_;
  size_t next_path_ = 0;
  InputOptions options_;
  std::vector<Source> sources_;  // pending files of the current path
  size_t next_source_ = 0;
  std::unique_ptr<LineReader> lines_;  // open JSON Lines file, if any
  uint64_t bytes_read_ = 0;
};

}  // namespace newsarc
