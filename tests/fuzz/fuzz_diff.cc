// Fuzz target: DiffTexts on two texts (options from byte 0, texts split at the first NUL):
// the spans give both texts back; word and unified diffs are well formed.
// Invariants: tests/fuzz/invariants.h.
#include <cstddef>
#include <cstdint>

#include "fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return newsarc::fuzz::Enforce("diff",
                                newsarc::fuzz::CheckDiffInput(newsarc::fuzz::Bytes(data, size)));
}
