// Normalization: the text form that hashing and shingling compare.
//
// Two articles that differ only in Unicode representation (NFKC), letter
// case, quote style („“”"‚‘’'«»), dash variants, soft hyphens or zero-width
// characters, or white space have the same normalized text. Normalization
// never touches what is stored: the archive keeps the bytes as ingested.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "newsarc/status.h"

namespace newsarc {

// One step of strict UTF-8 decoding at s[i] (i < s.size()): the code point
// and its length, or, for an invalid sequence, `error` (why) with len 1.
struct Utf8Char {
  char32_t cp = 0;
  size_t len = 1;
  const char* error = nullptr;  // "overlong form", "truncated sequence", ...
};
Utf8Char DecodeUtf8(std::string_view s, size_t i);

// Checks that `text` is strict UTF-8 (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF, no truncated sequence) and holds no
// NUL byte. On failure the message names the byte offset and the reason.
Status ValidateUtf8(std::string_view text);

// Returns the comparison form of `text`: NFKC, case folded, quotes mapped to
// ' and ", dashes to -, ignorable characters removed, every white space run
// collapsed to one space, no leading or trailing space.
// Requires: ValidateUtf8(text).ok().
std::string NormalizeText(std::string_view text);

// The character classes shared by normalization, word splitting and diffs:
// white space (Unicode Z* categories, control characters) and word
// characters (letters, combining marks, digits and other numbers, '_').
bool IsSpaceCodePoint(char32_t cp);
bool IsWordCodePoint(char32_t cp);

// Appends to `words` the words of a normalized text: maximal runs of Unicode
// letters, digits, combining marks and '_' ("nato-mitglied" gives two). The
// views point into `normalized`.
void SplitWords(std::string_view normalized, std::vector<std::string_view>* words);

}  // namespace newsarc
