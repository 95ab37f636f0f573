// Fuzz target: The LMDB record decoders (src/records.h) on any bytes: a Status, never a
// crash or out-of-bounds read; what they accept encodes back to the same bytes.
// Invariants: tests/fuzz/invariants.h.
#include <cstddef>
#include <cstdint>

#include "fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return newsarc::fuzz::Enforce("records",
                                newsarc::fuzz::CheckRecords(newsarc::fuzz::Bytes(data, size)));
}
