// Article: one incoming text with its metadata, as read from an input.
//
// `text` holds the bytes exactly as they came in (a whole .txt file, or the
// unescaped `text` of a JSON line); the archive stores and returns exactly
// these bytes. `body_offset` marks where the text to compare starts, after
// a leading "date YYYY-MM[-DD]" header of a plain-text article.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace newsarc {

struct ArticleMeta {
  std::string id;
  std::string url;
  std::string title;
  std::string date;    // as given: YYYY-MM, YYYY-MM-DD or an ISO timestamp
  std::string source;  // who published or scraped it
};

struct Article {
  std::string input;  // where it came from, for messages: "path" or "path:line"
  std::string key;    // identity across scrapes (url, else id); empty: none
  std::string text;   // exact bytes as ingested
  size_t body_offset = 0;
  ArticleMeta meta;

  std::string_view body() const { return std::string_view(text).substr(body_offset); }
};

}  // namespace newsarc
