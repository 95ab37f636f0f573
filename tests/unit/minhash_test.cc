#include "newsarc/minhash.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "newsarc/shingle.h"

using namespace newsarc;

namespace {

// Two random shingle sets of union size `n` with exact Jaccard `j`.
std::pair<std::vector<uint64_t>, std::vector<uint64_t>> PairWithJaccard(double j, size_t n,
                                                                        std::mt19937_64& rng) {
  size_t common = static_cast<size_t>(std::lround(j * n));
  size_t only_a = (n - common) / 2, only_b = n - common - only_a;
  std::vector<uint64_t> a, b;
  for (size_t i = 0; i < common; ++i) {
    uint64_t x = rng();
    a.push_back(x), b.push_back(x);
  }
  for (size_t i = 0; i < only_a; ++i) a.push_back(rng());
  for (size_t i = 0; i < only_b; ++i) b.push_back(rng());
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return {a, b};
}

}  // namespace

TEST_CASE("MinHash: identical sets give identical signatures", "[minhash]") {
  MinHasher h(128, 42);
  std::vector<uint64_t> s{5, 1, 9, 1000};
  CHECK(h.Sign(s) == h.Sign({1000, 9, 5, 1, 5}));
  CHECK(EstimateJaccard(h.Sign(s), h.Sign(s)) == 1.0);
}

TEST_CASE("MinHash: the seed decides the permutations", "[minhash]") {
  std::vector<uint64_t> s{1, 2, 3};
  CHECK(MinHasher(128, 1).Sign(s) == MinHasher(128, 1).Sign(s));
  CHECK(MinHasher(128, 1).Sign(s) != MinHasher(128, 2).Sign(s));
  CHECK(MinHasher(64, 1).Sign(s).size() == 64);
}

TEST_CASE("MinHash: disjoint sets rarely agree", "[minhash]") {
  MinHasher h(128, 7);
  std::mt19937_64 rng(1);
  auto [a, b] = PairWithJaccard(0.0, 400, rng);
  CHECK(EstimateJaccard(h.Sign(a), h.Sign(b)) < 0.05);
}

// The estimate must be unbiased across the range, with the spread the
// binomial model predicts: sd = sqrt(J(1-J)/P).
TEST_CASE("MinHash: estimate is unbiased against exact Jaccard", "[minhash]") {
  const int kPerms = 128, kPairs = 300;
  MinHasher h(kPerms, 0x6e65777361726331ULL);
  std::mt19937_64 rng(2024);
  for (double j : {0.1, 0.3, 0.5, 0.7, 0.8, 0.95}) {
    double sum = 0, sum_sq = 0;
    for (int i = 0; i < kPairs; ++i) {
      auto [a, b] = PairWithJaccard(j, 300, rng);
      double exact = ExactJaccard(a, b);
      double err = EstimateJaccard(h.Sign(a), h.Sign(b)) - exact;
      sum += err;
      sum_sq += err * err;
    }
    double mean = sum / kPairs;
    double sd = std::sqrt(sum_sq / kPairs - mean * mean);
    double expected_sd = std::sqrt(j * (1 - j) / kPerms);
    INFO("J=" << j << " mean error=" << mean << " sd=" << sd << " expected sd=" << expected_sd);
    // Standard error of the mean is expected_sd / sqrt(300): allow 4 of them.
    CHECK(std::abs(mean) < 4 * expected_sd / std::sqrt(kPairs) + 0.002);
    CHECK(sd < expected_sd * 1.25);
    CHECK(sd > expected_sd * 0.75);
  }
}
