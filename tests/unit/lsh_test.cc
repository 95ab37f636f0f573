#include "newsarc/lsh.h"

#include <catch2/catch.hpp>

using namespace newsarc;

TEST_CASE("LSH: candidate probability follows 1-(1-s^r)^b", "[lsh]") {
  CHECK(CandidateProbability({32, 4}, 0.5) == Approx(1 - std::pow(1 - 0.0625, 32)));
  CHECK(CandidateProbability({42, 3}, 0.0) == 0.0);
  CHECK(CandidateProbability({42, 3}, 1.0) == 1.0);
}

TEST_CASE("LSH: default layout favours recall at the version threshold", "[lsh]") {
  BandLayout l = ChooseBandLayout(128, 0.5);
  CHECK(l.bands == 42);
  CHECK(l.rows == 3);
  CHECK(CandidateProbability(l, 0.5) >= 0.99);
  CHECK(CandidateProbability(l, 0.8) > 0.9999);
  // One more row per band would miss more than 1% of pairs at 0.5.
  CHECK(CandidateProbability({128 / 4, 4}, 0.5) < 0.99);
}

TEST_CASE("LSH: a higher threshold allows longer bands", "[lsh]") {
  BandLayout l = ChooseBandLayout(128, 0.8);
  CHECK(l.rows > 3);
  CHECK(l.bands * l.rows <= 128);
  CHECK(CandidateProbability(l, 0.8) >= 0.99);
}

TEST_CASE("LSH: band keys differ per band and follow the rows", "[lsh]") {
  Signature sig(128, 7);  // every row equal
  auto keys = BandKeys(sig, {42, 3});
  REQUIRE(keys.size() == 42);
  CHECK(keys[0] != keys[1]);  // seeded by band number
  Signature other = sig;
  other[5] = 8;  // row 5 is in band 1
  auto other_keys = BandKeys(other, {42, 3});
  CHECK(other_keys[0] == keys[0]);
  CHECK(other_keys[1] != keys[1]);
  CHECK(other_keys[2] == keys[2]);
}
