#include "newsarc/minhash.h"

#include <algorithm>
#include <limits>

namespace newsarc {

uint64_t SplitMix64(uint64_t* state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

MinHasher::MinHasher(int num_perms, uint64_t seed) : mul_(num_perms), add_(num_perms) {
  uint64_t state = seed;
  for (int i = 0; i < num_perms; ++i) {
    mul_[i] = SplitMix64(&state) | 1;
    add_[i] = SplitMix64(&state);
  }
}

Signature MinHasher::Sign(const std::vector<uint64_t>& shingles) const {
  const size_t p = mul_.size();
  // 64-bit lanes so the inner loop vectorizes without a widening step.
  std::vector<uint64_t> mins(p, std::numeric_limits<uint32_t>::max());
  const uint64_t* mul = mul_.data();
  const uint64_t* add = add_.data();
  uint64_t* out = mins.data();
  for (uint64_t x : shingles) {
    for (size_t i = 0; i < p; ++i) {
      uint64_t h = (mul[i] * x + add[i]) >> 32;
      out[i] = h < out[i] ? h : out[i];
    }
  }
  return Signature(mins.begin(), mins.end());
}

double EstimateJaccard(const Signature& a, const Signature& b) {
  if (a.size() != b.size() || a.empty()) return 0.0;
  size_t equal = 0;
  for (size_t i = 0; i < a.size(); ++i) equal += a[i] == b[i];
  return static_cast<double>(equal) / static_cast<double>(a.size());
}

}  // namespace newsarc
