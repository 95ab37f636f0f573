// Glue between libFuzzer and the invariants: a failed invariant aborts, so
// that libFuzzer saves the input as a crash.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "invariants.h"

namespace newsarc::fuzz {

inline std::string_view Bytes(const uint8_t* data, size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

inline int Enforce(const char* target, const std::string& failure) {
  if (failure.empty()) return 0;
  std::fprintf(stderr, "\n%s: invariant failed: %s\n", target, failure.c_str());
  std::abort();
}

}  // namespace newsarc::fuzz
