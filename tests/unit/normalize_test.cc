#include "newsarc/normalize.h"

#include <catch2/catch.hpp>
#include <random>

using newsarc::NormalizeText;
using newsarc::SplitWords;
using newsarc::ValidateUtf8;

namespace {
std::vector<std::string> Words(const std::string& text) {
  std::string n = NormalizeText(text);
  std::vector<std::string_view> views;
  SplitWords(n, &views);
  return {views.begin(), views.end()};
}
}  // namespace

TEST_CASE("Normalize: case and typographic quotes compare equal", "[normalize]") {
  CHECK(NormalizeText("NATO") == NormalizeText("Nato"));
  CHECK(NormalizeText("\xE2\x80\x9E"
                      "Die Ukraine\xE2\x80\x9C") == NormalizeText("\"Die Ukraine\""));
  CHECK(NormalizeText("\xC2\xAB"
                      "Die\xC2\xBB") == NormalizeText("\"die\""));
  CHECK(NormalizeText("it\xE2\x80\x99s") == NormalizeText("it's"));
  CHECK(NormalizeText("\xE2\x80\x9A"
                      "ja\xE2\x80\x98") == NormalizeText("'ja'"));
}

TEST_CASE("Normalize: dashes, soft hyphens and zero-width characters", "[normalize]") {
  CHECK(NormalizeText("1990\xE2\x80\x93"
                      "2000") == "1990-2000");                                 // en dash
  CHECK(NormalizeText("a \xE2\x80\x94 b") == "a - b");                         // em dash
  CHECK(NormalizeText("Mili\xC2\xADt\xC3\xA4r") == NormalizeText("Militär"));  // soft hyphen
  CHECK(NormalizeText("Kiew\xE2\x80\x8B") == "kiew");                          // zero-width space
}

TEST_CASE("Normalize: white space runs collapse, ends are trimmed", "[normalize]") {
  CHECK(NormalizeText("  a\t\tb \n\n c  ") == "a b c");
  CHECK(NormalizeText("a\xC2\xA0"
                      "b") == "a b");  // no-break space
  CHECK(NormalizeText(" \n\t ").empty());
}

TEST_CASE("Normalize: NFKC and case folding of German text", "[normalize]") {
  // Decomposed "a" + combining diaeresis composes to "ä".
  CHECK(NormalizeText("Ma\xCC\x88rz") == NormalizeText("März"));
  CHECK(NormalizeText("STRASSE") == NormalizeText("Straße"));
  CHECK(NormalizeText("\xEF\xAC\x81nden") == "finden");  // the "fi" ligature
  CHECK(NormalizeText("ÄÖÜ") == "äöü");
}

TEST_CASE("SplitWords: letters and digits, hyphens and punctuation split", "[normalize]") {
  CHECK(Words("Nato-Mitglied") == std::vector<std::string>{"nato", "mitglied"});
  CHECK(Words("„Die Ukraine wird 2024 Mitglied.“") ==
        std::vector<std::string>{"die", "ukraine", "wird", "2024", "mitglied"});
  CHECK(Words("Dmytro Kuleba, Šimonytė!") ==
        std::vector<std::string>{"dmytro", "kuleba", "šimonytė"});
  CHECK(Words("... !!! ---").empty());
}

TEST_CASE("ValidateUtf8: accepts valid text, names the byte of invalid text", "[normalize]") {
  CHECK(ValidateUtf8("Brüssel \xF0\x9F\x93\xB0").ok());
  auto bad = ValidateUtf8(std::string("ab\xC3x", 4));
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.message().find("byte 2") != std::string::npos);
  CHECK(ValidateUtf8("\xC0\xAF").message().find("overlong") != std::string::npos);
  CHECK(ValidateUtf8("\xE0\x80\xAF").message().find("overlong") != std::string::npos);
  CHECK(ValidateUtf8("\xED\xA0\x80").message().find("surrogate") != std::string::npos);
  CHECK(ValidateUtf8("\xF4\x90\x80\x80").message().find("above") != std::string::npos);
  CHECK(ValidateUtf8("\xE2\x82").message().find("truncated") != std::string::npos);
  CHECK(ValidateUtf8("\xFF").message().find("invalid lead") != std::string::npos);
  CHECK(ValidateUtf8(std::string("a\0b", 3)).message().find("NUL") != std::string::npos);
}

TEST_CASE("Normalize: primes are not quotes", "[normalize]") {
  CHECK(NormalizeText("5\xE2\x80\xB2") != NormalizeText("5'"));  // U+2032 PRIME
}

TEST_CASE("Normalize: the ASCII fast path agrees with the Unicode path", "[normalize]") {
  // Appending a non-ASCII word sends the same text down the utf8proc path;
  // both must normalize the ASCII part alike, and split it alike.
  std::mt19937 rng(5);
  const std::string alphabet =
      "aZ9_ -.,'\"\t\n\r\x01\x7f"
      "Mx";
  for (int round = 0; round < 500; ++round) {
    std::string ascii;
    for (int i = rng() % 60; i > 0; --i) ascii += alphabet[rng() % alphabet.size()];
    std::string fast = NormalizeText(ascii);
    std::string slow = NormalizeText(ascii + " \xc3\xa9");  // " é"
    INFO("input: " << ascii);
    CHECK(slow == (fast.empty() ? "" : fast + " ") + "\xc3\xa9");
    std::vector<std::string> words = Words(ascii), more = Words(ascii + " \xc3\xa9");
    words.push_back("\xc3\xa9");
    CHECK(more == words);
  }
}
