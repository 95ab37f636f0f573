// Fuzz target: ParseJsonArticle on one JSON line: accepted texts are valid UTF-8 (a \\u0000
// escape aside) and survive a JSON round trip unchanged.
// Invariants: tests/fuzz/invariants.h.
#include <cstddef>
#include <cstdint>

#include "fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return newsarc::fuzz::Enforce("json_article",
                                newsarc::fuzz::CheckJsonArticle(newsarc::fuzz::Bytes(data, size)));
}
