#include "newsarc/normalize.h"

#include <utf8proc.h>

#include <cstdlib>
#include <memory>

namespace newsarc {
namespace {

bool IsAscii(std::string_view s) {
  for (unsigned char c : s) {
    if (c >= 0x80) return false;
  }
  return true;
}

// Decodes one code point of valid UTF-8 at s[i]; advances i.
char32_t DecodeValid(std::string_view s, size_t* i) {
  unsigned char c = s[*i];
  int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
  for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[*i + k]) & 0x3F);
  *i += len;
  return cp;
}

void AppendUtf8(char32_t cp, std::string* out) {
  utf8proc_uint8_t buf[4];
  utf8proc_ssize_t n = utf8proc_encode_char(static_cast<utf8proc_int32_t>(cp), buf);
  out->append(reinterpret_cast<const char*>(buf), static_cast<size_t>(n));
}

bool IsDoubleQuote(char32_t cp) {
  switch (cp) {
    case U'"':
    case U'\u201C':
    case U'\u201D':
    case U'\u201E':
    case U'\u201F':
    case U'\u00AB':
    case U'\u00BB':
    case U'\u301D':
    case U'\u301E':
    case U'\u301F':
      return true;
    default:
      return false;
  }
}

bool IsSingleQuote(char32_t cp) {
  switch (cp) {
    case U'\'':
    case U'\u2018':
    case U'\u2019':
    case U'\u201A':
    case U'\u201B':
    case U'\u2039':
    case U'\u203A':
      return true;
    default:
      return false;
  }
}

bool IsDash(char32_t cp) {
  return (cp >= U'\u2010' && cp <= U'\u2015') || cp == U'\u2212' || cp == U'\uFE58' ||
         cp == U'\uFE63' || cp == U'\u2E3A' || cp == U'\u2E3B';
}

// Collapses white space and maps quotes and dashes; `in` is NFKC + case folded.
class SpaceCollapser {
 public:
  explicit SpaceCollapser(std::string* out) : out_(out) {}
  void Space() { pending_space_ = !out_->empty(); }
  void Char(char c) {
    Flush();
    out_->push_back(c);
  }
  void CodePoint(char32_t cp) {
    Flush();
    AppendUtf8(cp, out_);
  }

 private:
  void Flush() {
    if (pending_space_) out_->push_back(' ');
    pending_space_ = false;
  }
  std::string* out_;
  bool pending_space_ = false;
};

std::string NormalizeAscii(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  SpaceCollapser sink(&out);
  for (unsigned char c : text) {
    if (c <= 0x20 || c == 0x7F) {
      sink.Space();
    } else {
      sink.Char(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
    }
  }
  return out;
}

std::string MapFolded(std::string_view folded) {
  std::string out;
  out.reserve(folded.size());
  SpaceCollapser sink(&out);
  for (size_t i = 0; i < folded.size();) {
    char32_t cp = DecodeValid(folded, &i);
    if (IsSpaceCodePoint(cp)) {
      sink.Space();
    } else if (IsDoubleQuote(cp)) {
      sink.Char('"');
    } else if (IsSingleQuote(cp)) {
      sink.Char('\'');
    } else if (IsDash(cp)) {
      sink.Char('-');
    } else {
      sink.CodePoint(cp);
    }
  }
  return out;
}

}  // namespace

Utf8Char DecodeUtf8(std::string_view s, size_t i) {
  unsigned char c = s[i];
  if (c < 0x80) return {c, 1, nullptr};
  size_t len;
  char32_t min;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2, min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3, min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4, min = 0x10000;
  } else {
    return {c, 1, c == 0xC0 || c == 0xC1 ? "overlong form" : "invalid lead byte"};
  }
  if (i + len > s.size()) return {c, 1, "truncated sequence"};
  char32_t cp = c & (0x7F >> len);
  for (size_t k = 1; k < len; ++k) {
    unsigned char cc = s[i + k];
    if ((cc & 0xC0) != 0x80) return {c, 1, "truncated sequence"};
    cp = (cp << 6) | (cc & 0x3F);
  }
  if (cp < min) return {c, 1, "overlong form"};
  if (cp >= 0xD800 && cp <= 0xDFFF) return {c, 1, "surrogate code point"};
  if (cp > 0x10FFFF) return {c, 1, "code point above U+10FFFF"};
  return {cp, len, nullptr};
}

Status ValidateUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    if (c == 0) return Status::InvalidInput("NUL byte at byte " + std::to_string(i) + " (binary?)");
    if (c < 0x80) {
      ++i;
      continue;
    }
    Utf8Char u = DecodeUtf8(s, i);
    if (u.error) {
      return Status::InvalidInput("invalid UTF-8 at byte " + std::to_string(i) + " (" + u.error +
                                  ")");
    }
    i += u.len;
  }
  return Status::Ok();
}

std::string NormalizeText(std::string_view text) {
  if (IsAscii(text)) return NormalizeAscii(text);
  utf8proc_uint8_t* folded = nullptr;
  auto options = static_cast<utf8proc_option_t>(
      UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);
  utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                                    static_cast<utf8proc_ssize_t>(text.size()), &folded, options);
  if (n < 0) return NormalizeAscii(text);  // unreachable for validated input
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> holder(folded, &std::free);
  return MapFolded(std::string_view(reinterpret_cast<const char*>(folded), n));
}

void SplitWords(std::string_view s, std::vector<std::string_view>* words) {
  size_t start = std::string_view::npos;
  for (size_t i = 0; i < s.size();) {
    size_t at = i;
    bool word = static_cast<unsigned char>(s[i]) < 0x80 ? IsWordCodePoint(s[i++])
                                                        : IsWordCodePoint(DecodeValid(s, &i));
    if (word && start == std::string_view::npos) start = at;
    if (!word && start != std::string_view::npos) {
      words->push_back(s.substr(start, at - start));
      start = std::string_view::npos;
    }
  }
  if (start != std::string_view::npos) words->push_back(s.substr(start));
}

bool IsSpaceCodePoint(char32_t cp) {
  if (cp < 0x80) return cp <= 0x20 || cp == 0x7F;  // controls count as space
  if (cp == 0x85) return true;
  auto cat = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
  return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL ||
         cat == UTF8PROC_CATEGORY_ZP || cat == UTF8PROC_CATEGORY_CC;
}

bool IsWordCodePoint(char32_t cp) {
  if (cp < 0x80) {
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') ||
           cp == '_';
  }
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(cp))) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
      return true;
    default:
      return false;
  }
}

}  // namespace newsarc
