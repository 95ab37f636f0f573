#include "newsarc/input.h"

#include <simdjson.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace newsarc {
namespace fs = std::filesystem;

namespace {

bool IsDigits(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) return false;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Length of a "YYYY-MM" or "YYYY-MM-DD" date at s[pos], or 0.
size_t DateLength(std::string_view s, size_t pos) {
  if (!IsDigits(s, pos, 4) || pos + 4 >= s.size() || s[pos + 4] != '-' ||
      !IsDigits(s, pos + 5, 2)) {
    return 0;
  }
  size_t len = 7;
  if (pos + 7 < s.size() && s[pos + 7] == '-' && IsDigits(s, pos + 8, 2)) len = 10;
  if (pos + len < s.size() && !IsBlank(s[pos + len])) return 0;
  return len;
}

// Reads a "date YYYY-MM[-DD]" header; returns the body offset or 0.
size_t ParseDateHeader(std::string_view s, std::string* date) {
  size_t i = 0;
  while (i < s.size() && IsBlank(s[i])) ++i;
  if (s.compare(i, 4, "date") != 0 || i + 4 >= s.size() || !IsBlank(s[i + 4])) return 0;
  i += 4;
  while (i < s.size() && IsBlank(s[i])) ++i;
  size_t len = DateLength(s, i);
  if (len == 0) return 0;
  *date = std::string(s.substr(i, len));
  i += len;
  while (i < s.size() && IsBlank(s[i])) ++i;
  return i;
}

bool EndsWithPunctuation(std::string_view line) {
  static constexpr std::string_view kFinal[] = {".", "!", "?", ":", ";", ",", "\"",
                                                "'", "…", "“", "”", "»", "«", "’"};
  for (std::string_view p : kFinal) {
    if (line.size() >= p.size() && line.substr(line.size() - p.size()) == p) return true;
  }
  return false;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsBlank(s.back())) s.remove_suffix(1);
  return s;
}

// A short first line without final punctuation, followed by more text.
std::string FindTitle(std::string_view body) {
  constexpr size_t kMaxTitleBytes = 200;
  size_t eol = body.find('\n');
  if (eol == std::string_view::npos) return {};
  std::string_view line = Trim(body.substr(0, eol));
  if (line.empty() || line.size() > kMaxTitleBytes || EndsWithPunctuation(line)) return {};
  if (Trim(body.substr(eol)).empty()) return {};
  return std::string(line);
}

Status TooLarge(size_t limit) {
  return Status::InvalidInput("article larger than the limit of " + std::to_string(limit) +
                              " bytes");
}

std::string StringField(const simdjson::dom::object& obj, const char* name) {
  std::string_view value;
  if (obj[name].get_string().get(value) == simdjson::SUCCESS) return std::string(value);
  int64_t number;
  if (obj[name].get_int64().get(number) == simdjson::SUCCESS) return std::to_string(number);
  return {};
}

}  // namespace

size_t DateHeaderLength(std::string_view text) {
  std::string date;
  return ParseDateHeader(text, &date);
}

void ParseTextArticle(std::string raw, Article* article) {
  article->text = std::move(raw);
  article->meta.date.clear();
  article->body_offset = ParseDateHeader(article->text, &article->meta.date);
  article->meta.title = FindTitle(article->body());
}

Status ParseJsonArticle(std::string_view line, Article* article) {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (auto err = parser.parse(line.data(), line.size()).get(doc)) {
    return Status::InvalidInput(std::string("malformed JSON: ") + simdjson::error_message(err));
  }
  simdjson::dom::object obj;
  if (doc.get_object().get(obj)) return Status::InvalidInput("JSON line is not an object");
  simdjson::dom::element text;
  if (obj["text"].get(text)) return Status::InvalidInput("JSON object has no \"text\" field");
  std::string_view text_value;
  if (text.get_string().get(text_value)) {
    return Status::InvalidInput("\"text\" is not a string");
  }
  article->text = std::string(text_value);
  // The same header rule as for plain-text files, so that an exported
  // plain-text article compares the same when it is ingested again.
  std::string header_date;
  article->body_offset = ParseDateHeader(article->text, &header_date);
  article->meta.id = StringField(obj, "id");
  article->meta.url = StringField(obj, "url");
  article->meta.title = StringField(obj, "title");
  article->meta.date = StringField(obj, "date");
  if (article->meta.date.empty()) article->meta.date = header_date;
  article->meta.source = StringField(obj, "source");
  article->key = StringField(obj, "key");
  if (article->key.empty()) article->key = article->meta.url;
  if (article->key.empty()) article->key = article->meta.id;
  return Status::Ok();
}

// Reads lines of bounded length from a file; longer lines are skipped, not
// buffered, so a hostile multi-gigabyte line costs no memory.
class ArticleReader::LineReader {
 public:
  LineReader(FILE* file, bool owned, std::string name, size_t max_line)
      : file_(file), owned_(owned), name_(std::move(name)), max_line_(max_line) {}
  ~LineReader() {
    if (owned_) std::fclose(file_);
  }
  const std::string& name() const { return name_; }
  size_t line_number() const { return line_number_; }
  uint64_t consumed() const { return consumed_; }  // bytes, newlines included
  size_t max_line() const { return max_line_; }

  // Next line into `line` (without the newline). Sets *too_long for a line
  // over the limit (its content then is empty). False at end of file.
  bool Next(std::string* line, bool* too_long) {
    line->clear();
    *too_long = false;
    bool any = false;
    for (;;) {
      if (pos_ == end_ && !Fill()) break;
      any = true;
      const char* start = buffer_.data() + pos_;
      const char* newline = static_cast<const char*>(std::memchr(start, '\n', end_ - pos_));
      size_t n = newline ? static_cast<size_t>(newline - start) : end_ - pos_;
      // Past the limit the rest of the line is read over, never stored.
      if (!*too_long && line->size() + n > max_line_) {
        *too_long = true;
        line->clear();
      }
      if (!*too_long) line->append(start, n);
      pos_ += n + (newline ? 1 : 0);
      consumed_ += n + (newline ? 1 : 0);
      if (newline) break;
    }
    if (!any) return false;
    ++line_number_;
    if (!line->empty() && line->back() == '\r') line->pop_back();
    return true;
  }
  bool failed() const { return std::ferror(file_) != 0; }

 private:
  FILE* file_;
  bool owned_;
  std::string name_;
  size_t max_line_;
  size_t line_number_ = 0;
  uint64_t consumed_ = 0;

  // Reads the next block; false at the end of the file (or on an error).
  bool Fill() {
    if (buffer_.empty()) buffer_.resize(1 << 16);
    pos_ = 0;
    end_ = std::fread(buffer_.data(), 1, buffer_.size(), file_);
    return end_ > 0;
  }
  std::vector<char> buffer_;
  size_t pos_ = 0, end_ = 0;
};

struct ArticleReader::Source {
  std::string path;
  std::string key;  // for plain-text articles with key_from_path
  bool jsonl = false;
  Status error;  // set when the path itself cannot be read
};

ArticleReader::ArticleReader(std::vector<std::string> paths, InputOptions options)
    : paths_(std::move(paths)), options_(std::move(options)) {}

ArticleReader::~ArticleReader() = default;

namespace {

bool IsJsonLines(const fs::path& p) { return p.extension() == ".jsonl"; }

bool IsHidden(const fs::path& p) {
  std::string name = p.filename().string();
  return !name.empty() && name[0] == '.';
}

}  // namespace

std::vector<ArticleReader::Source> ArticleReader::SourcesOf(const std::string& path) {
  if (path == "-") return {{path, "", true, Status::Ok()}};
  std::error_code ec;
  fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st)) {
    std::string why = ec ? ec.message() : "no such file or directory";
    return {{path, "", false, Status::NotFound(why)}};
  }
  if (!fs::is_directory(st)) {
    std::string key = fs::path(path).filename().string();
    return {{path, key, IsJsonLines(path), Status::Ok()}};
  }
  std::vector<Source> found;
  auto opts = fs::directory_options::skip_permission_denied;
  for (auto it = fs::recursive_directory_iterator(path, opts, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const fs::path& p = it->path();
    if (IsHidden(p)) {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    std::error_code fec;
    if (it->is_directory(fec)) {
      // The walk skips what it may not enter; say so instead of silently
      // archiving less than asked.
      if (access(p.c_str(), R_OK | X_OK) != 0) {
        found.push_back({p.string(), "", false, Status::IOError(std::strerror(errno))});
        it.disable_recursion_pending();
      }
      continue;
    }
    std::string key = p.lexically_relative(path).generic_string();
    if (fec || !it->is_regular_file(fec)) {
      Status why = Status::InvalidInput(fec ? fec.message() : "not a regular file");
      found.push_back({p.string(), key, false, why});
      continue;
    }
    found.push_back({p.string(), key, IsJsonLines(p), Status::Ok()});
  }
  if (ec) found.push_back({path, "", false, Status::IOError(ec.message())});
  std::sort(found.begin(), found.end(),
            [](const Source& a, const Source& b) { return a.path < b.path; });
  return found;
}

std::optional<uint64_t> ArticleReader::TotalBytes(const std::vector<std::string>& paths) {
  uint64_t total = 0;
  for (const std::string& path : paths) {
    for (const Source& src : SourcesOf(path)) {
      if (src.path == "-") return std::nullopt;
      std::error_code ec;
      uint64_t size = src.error.ok() ? fs::file_size(src.path, ec) : 0;
      if (!ec) total += size;
    }
  }
  return total;
}

namespace {

Status ReadWholeFile(const std::string& path, size_t limit, std::string* out) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return Status::IOError(std::strerror(errno));
  out->clear();
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
    if (out->size() + n > limit) {
      std::fclose(f);
      return TooLarge(limit);
    }
    out->append(buf, n);
  }
  bool failed = std::ferror(f) != 0;
  std::fclose(f);
  return failed ? Status::IOError("read error") : Status::Ok();
}

}  // namespace

bool ArticleReader::Next(InputItem* item) {
  for (;;) {
    if (NextFromSources(item)) return true;
    if (next_path_ >= paths_.size()) return false;
    sources_ = SourcesOf(paths_[next_path_++]);
    next_source_ = 0;
  }
}

bool ArticleReader::NextFromSources(InputItem* item) {
  item->article = Article();
  item->error = Status::Ok();
  while (lines_) {
    std::string line;
    bool too_long;
    uint64_t before = lines_->consumed();
    bool got = lines_->Next(&line, &too_long);
    bytes_read_ += lines_->consumed() - before;
    if (!got) {
      bool failed = lines_->failed();
      std::string name = lines_->name();
      lines_.reset();
      if (failed) {
        item->article.input = name;
        item->error = Status::IOError("read error");
        return true;
      }
      break;
    }
    item->article.input = lines_->name() + ":" + std::to_string(lines_->line_number());
    if (too_long) {
      item->error = Status::InvalidInput(
          "JSON line longer than " + std::to_string(lines_->max_line()) +
          " bytes (twice --max-size " + std::to_string(options_.max_article_bytes) +
          " plus 64 KiB); skipped unread");
      return true;
    }
    if (Trim(line).empty()) continue;
    item->error = ParseJsonArticle(line, &item->article);
    if (item->ok() && item->article.text.size() > options_.max_article_bytes) {
      item->error = TooLarge(options_.max_article_bytes);
    }
    if (item->ok() && item->article.meta.source.empty()) {
      item->article.meta.source = options_.default_source;
    }
    return true;
  }
  if (next_source_ >= sources_.size()) return false;
  const Source& src = sources_[next_source_++];
  item->article.input = src.path;
  if (!src.error.ok()) {
    item->error = src.error;
    return true;
  }
  if (src.jsonl) {
    bool is_stdin = src.path == "-";
    FILE* f = is_stdin ? stdin : std::fopen(src.path.c_str(), "rb");
    if (f == nullptr) {
      item->error = Status::IOError(std::strerror(errno));
      return true;
    }
    // A JSON line carries escapes and metadata around the text: allow some slack.
    size_t max_line = options_.max_article_bytes * 2 + 65536;
    lines_ = std::make_unique<LineReader>(f, !is_stdin, is_stdin ? "<stdin>" : src.path, max_line);
    return NextFromSources(item);
  }
  std::string raw;
  std::error_code size_error;
  uint64_t size = fs::file_size(src.path, size_error);
  bytes_read_ += size_error ? 0 : size;
  item->error = ReadWholeFile(src.path, options_.max_article_bytes, &raw);
  if (!item->ok()) return true;
  ParseTextArticle(std::move(raw), &item->article);
  item->article.meta.source = options_.default_source;
  if (options_.key_from_path) item->article.key = src.key;
  return true;
}

}  // namespace newsarc
