// LSH banding: which stored signatures are worth comparing with a new one.
//
// A signature of P values is cut into b bands of r rows; two articles become
// candidates when any band hashes alike, which happens with probability
// 1 - (1 - s^r)^b for Jaccard similarity s. One layout serves both the
// version and the near-duplicate threshold, so it is tuned for the lower
// one and for recall: candidates are verified by their estimated Jaccard
// afterwards, which removes the false positives banding lets through.
#pragma once

#include <cstdint>
#include <vector>

#include "newsarc/minhash.h"

namespace newsarc {

struct BandLayout {
  int bands = 0;
  int rows = 0;
};

// Probability 1 - (1 - s^r)^b that a pair of similarity s becomes a candidate.
double CandidateProbability(BandLayout layout, double s);

// The layout with the most rows per band (fewest false candidates) whose
// candidate probability at `threshold` is at least `min_recall`, using
// b = floor(num_perms / r) bands. For P = 128 and threshold 0.5: 42 x 3.
BandLayout ChooseBandLayout(int num_perms, double threshold, double min_recall = 0.99);

// One key per band: the band number in the high 32 bits, the low 32 bits of
// XXH3-64 of the band's rows (seeded with the band number) in the low ones,
// so equal rows in different bands never collide by construction. 32 bits
// of hash are plenty: a chance collision only adds a candidate, which its
// signature then rules out.
std::vector<uint64_t> BandKeys(const Signature& signature, BandLayout layout);

}  // namespace newsarc
