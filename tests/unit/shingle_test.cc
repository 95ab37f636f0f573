#include "newsarc/shingle.h"

#include <algorithm>
#include <catch2/catch.hpp>

#include "newsarc/minhash.h"

using newsarc::ExactJaccard;
using newsarc::ShingleHashes;

namespace {
std::vector<std::string_view> W(std::initializer_list<const char*> words) {
  return {words.begin(), words.end()};
}
}  // namespace

TEST_CASE("Shingle: n words give n-k+1 distinct k-grams", "[shingle]") {
  auto s = ShingleHashes(W({"a", "b", "c", "d", "e", "f", "g"}), 5);
  CHECK(s.size() == 3);
  CHECK(std::is_sorted(s.begin(), s.end()));
}

TEST_CASE("Shingle: fewer than k words still give one shingle", "[shingle]") {
  CHECK(ShingleHashes(W({"nato", "gipfel"}), 5).size() == 1);
  CHECK(ShingleHashes(W({}), 5).empty());
  CHECK(ShingleHashes(W({"nato", "gipfel"}), 5) != ShingleHashes(W({"gipfel", "nato"}), 5));
}

TEST_CASE("Shingle: repeated k-grams are kept once, order matters", "[shingle]") {
  CHECK(ShingleHashes(W({"a", "b", "a", "b", "a", "b"}), 2).size() == 2);
  CHECK(ShingleHashes(W({"a", "b", "c"}), 3) != ShingleHashes(W({"c", "b", "a"}), 3));
}

TEST_CASE("Shingle: word boundaries are part of the hash", "[shingle]") {
  CHECK(ShingleHashes(W({"ab", "c"}), 2) != ShingleHashes(W({"a", "bc"}), 2));
}

TEST_CASE("ExactJaccard: counts intersection over union", "[shingle]") {
  std::vector<uint64_t> a{1, 2, 3, 4}, b{3, 4, 5, 6};
  CHECK(ExactJaccard(a, b) == Approx(2.0 / 6.0));
  CHECK(ExactJaccard(a, a) == 1.0);
  CHECK(ExactJaccard(a, {}) == 0.0);
  CHECK(ExactJaccard({}, {}) == 1.0);
}

TEST_CASE("Shingle: the sequence holds the set's hashes, in text order with repeats", "[shingle]") {
  auto words = W({"a", "b", "a", "b", "a", "b", "c"});
  auto seq = newsarc::ShingleSequence(words, 2);
  CHECK(seq.size() == 6);
  CHECK(seq[0] == seq[2]);  // "a b" twice
  std::vector<uint64_t> set = seq;
  std::sort(set.begin(), set.end());
  set.erase(std::unique(set.begin(), set.end()), set.end());
  CHECK(set == ShingleHashes(words, 2));
  // MinHash minima ignore order and repeats: the signatures agree.
  newsarc::MinHasher hasher(64, 11);
  CHECK(hasher.Sign(seq) == hasher.Sign(set));
}
