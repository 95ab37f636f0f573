#include "newsarc/input.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "test_dir.h"

using namespace newsarc;
namespace fs = std::filesystem;

namespace {

std::vector<InputItem> ReadAll(std::vector<std::string> paths, InputOptions opts = {}) {
  ArticleReader reader(std::move(paths), std::move(opts));
  std::vector<InputItem> items;
  InputItem item;
  while (reader.Next(&item)) items.push_back(item);
  return items;
}

fs::path TempDir(const char* name) {
  fs::path dir = testing::FreshDir("input_test", name);
  fs::create_directories(dir);
  return dir;
}

void Write(const fs::path& p, const std::string& content) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << content;
}

}  // namespace

TEST_CASE("ParseTextArticle: date header with text on the same line", "[input]") {
  Article a;
  ParseTextArticle(" date 2024-04 Seit Jahren möchte die Ukraine beitreten.\n\nMehr.", &a);
  CHECK(a.meta.date == "2024-04");
  CHECK(a.body().substr(0, 5) == "Seit ");
  CHECK(a.meta.title.empty());             // the first line ends with a full stop
  CHECK(a.text.substr(0, 6) == " date ");  // bytes are kept as they came
}

TEST_CASE("ParseTextArticle: a short unpunctuated first line is the title", "[input]") {
  Article a;
  ParseTextArticle("NATO-Chef Rutte: Konzentration auf Militärhilfe\nDie NATO-Verbündeten...", &a);
  CHECK(a.meta.title == "NATO-Chef Rutte: Konzentration auf Militärhilfe");
  CHECK(a.meta.date.empty());
  Article b;
  ParseTextArticle(" date 2024-05-08 Stoltenberg: Kiew hat nicht gebeten\n\nText.", &b);
  CHECK(b.meta.date == "2024-05-08");
  CHECK(b.meta.title == "Stoltenberg: Kiew hat nicht gebeten");
  Article c;
  ParseTextArticle("Nur eine Zeile ohne Punkt", &c);
  CHECK(c.meta.title.empty());  // nothing follows it
}

TEST_CASE("ParseTextArticle: 'date' that is not a header stays text", "[input]") {
  Article a;
  ParseTextArticle("date night in Brussels\n", &a);
  CHECK(a.body_offset == 0);
  CHECK(a.meta.date.empty());
}

TEST_CASE("ParseJsonArticle: fields, key from url else id", "[input]") {
  Article a;
  REQUIRE(ParseJsonArticle(R"({"id":"x1","url":"https://e/1","title":"T","date":"2024-01-02",)"
                           R"("source":"s","text":"Hallo \u201eWelt\u201c\n"})",
                           &a)
              .ok());
  CHECK(a.text == "Hallo „Welt“\n");
  CHECK(a.key == "https://e/1");
  CHECK(a.meta.source == "s");
  Article b;
  REQUIRE(ParseJsonArticle(R"({"id":17,"url":null,"text":"t"})", &b).ok());
  CHECK(b.key == "17");
}

TEST_CASE("ParseJsonArticle: rejects with a reason", "[input]") {
  Article a;
  CHECK(ParseJsonArticle(R"({"text": "unterminated)", &a).message().find("malformed") !=
        std::string::npos);
  CHECK(ParseJsonArticle(R"({"id":"1"})", &a).message().find("no \"text\"") != std::string::npos);
  CHECK(ParseJsonArticle(R"({"text":5})", &a).message().find("not a string") != std::string::npos);
  CHECK(ParseJsonArticle(R"([1,2])", &a).message().find("not an object") != std::string::npos);
  CHECK_FALSE(ParseJsonArticle(std::string(5000, '[') + std::string(5000, ']'), &a).ok());
}

TEST_CASE("ArticleReader: directories in sorted order, hidden skipped, keys by path", "[input]") {
  fs::path dir = TempDir("dir");
  Write(dir / "b.txt", "Zweiter Artikel.");
  Write(dir / "a" / "z.txt", "Erster Artikel.");
  Write(dir / ".hidden.txt", "versteckt");
  Write(dir / "feed.jsonl", "{\"text\":\"eins\",\"id\":\"j1\"}\n\n{\"text\":\"zwei\"}\n");
  InputOptions opts;
  opts.key_from_path = true;
  auto items = ReadAll({dir.string()}, opts);
  REQUIRE(items.size() == 4);
  CHECK(items[0].article.key == "a/z.txt");
  CHECK(items[1].article.key == "b.txt");
  CHECK(items[2].article.input == (dir / "feed.jsonl").string() + ":1");
  CHECK(items[2].article.key == "j1");
  CHECK(items[3].article.input == (dir / "feed.jsonl").string() + ":3");  // blank line skipped
}

TEST_CASE("ArticleReader: missing paths and oversized inputs are rejections", "[input]") {
  fs::path dir = TempDir("bad");
  Write(dir / "big.txt", std::string(2000, 'x'));
  Write(dir / "big.jsonl", "{\"text\":\"" + std::string(20000, 'y') + "\"}\n{\"text\":\"ok\"}\n");
  InputOptions opts;
  opts.max_article_bytes = 1000;
  auto items = ReadAll(
      {(dir / "nope.txt").string(), (dir / "big.txt").string(), (dir / "big.jsonl").string()},
      opts);
  REQUIRE(items.size() == 4);
  CHECK(items[0].error.message().find("No such file") != std::string::npos);
  CHECK(items[1].error.message().find("limit") != std::string::npos);
  CHECK(items[2].error.message().find("limit") != std::string::npos);
  CHECK(items[2].article.input == (dir / "big.jsonl").string() + ":1");
  CHECK(items[3].ok());  // reading goes on after the long line
  CHECK(items[3].article.text == "ok");
}
