// Fuzz target: DecodeUtf8 at every offset of any bytes; for valid UTF-8, NormalizeText is
// idempotent and well formed, and SplitWords gives non-empty maximal words.
// Invariants: tests/fuzz/invariants.h.
#include <cstddef>
#include <cstdint>

#include "fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return newsarc::fuzz::Enforce("normalize",
                                newsarc::fuzz::CheckNormalize(newsarc::fuzz::Bytes(data, size)));
}
