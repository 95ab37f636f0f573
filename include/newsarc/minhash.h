// MinHash: a fixed-size signature whose agreement estimates Jaccard similarity.
//
// Each of P permutations is h_i(x) = high 32 bits of (a_i * x + b_i) mod 2^64
// (multiply-shift hashing, a_i odd), applied to the 64-bit shingle hashes;
// the signature keeps the minimum per permutation. a_i, b_i come from a
// seed stored in the archive, so signatures stay comparable forever. The
// share of equal positions in two signatures is an unbiased estimate of the
// Jaccard similarity of the two shingle sets (tested in minhash_test.cc).
// Only the low 16 bits of each minimum are kept (b-bit MinHash, b = 16):
// that halves the stored signature, and two different minima agree in 16
// bits with probability 2^-16, which shifts an estimate by less than 2e-5.
#pragma once

#include <cstdint>
#include <vector>

namespace newsarc {

using Signature = std::vector<uint16_t>;

class MinHasher {
 public:
  MinHasher(int num_perms, uint64_t seed);

  // Signature of a shingle set (any order, duplicates allowed). An empty set
  // gives a signature of all 0xFFFF.
  Signature Sign(const std::vector<uint64_t>& shingles) const;

  int num_perms() const { return static_cast<int>(mul_.size()); }

 private:
  std::vector<uint64_t> mul_;
  std::vector<uint64_t> add_;
};

// Share of positions where `a` and `b` agree; 0 when the sizes differ.
double EstimateJaccard(const Signature& a, const Signature& b);

// splitmix64: the seed expander used for every derived constant.
uint64_t SplitMix64(uint64_t* state);

}  // namespace newsarc
