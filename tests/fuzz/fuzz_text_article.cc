// Fuzz target: ParseTextArticle on a plain-text file: the text is kept byte for byte,
// body_offset <= text.size(), header date and title are well formed.
// Invariants: tests/fuzz/invariants.h.
#include <cstddef>
#include <cstdint>

#include "fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return newsarc::fuzz::Enforce("text_article",
                                newsarc::fuzz::CheckTextArticle(newsarc::fuzz::Bytes(data, size)));
}
