#include "newsarc/lsh.h"

#include <xxhash.h>

#include <cmath>

namespace newsarc {

double CandidateProbability(BandLayout layout, double s) {
  return 1.0 - std::pow(1.0 - std::pow(s, layout.rows), layout.bands);
}

BandLayout ChooseBandLayout(int num_perms, double threshold, double min_recall) {
  BandLayout best{num_perms, 1};
  for (int rows = 1; rows <= num_perms; ++rows) {
    BandLayout layout{num_perms / rows, rows};
    if (CandidateProbability(layout, threshold) >= min_recall) best = layout;
  }
  return best;
}

std::vector<uint64_t> BandKeys(const Signature& signature, BandLayout layout) {
  std::vector<uint64_t> keys(layout.bands);
  for (int band = 0; band < layout.bands; ++band) {
    uint64_t h = XXH3_64bits_withSeed(&signature[static_cast<size_t>(band) * layout.rows],
                                      layout.rows * sizeof(signature[0]), band);
    keys[band] = uint64_t{static_cast<uint32_t>(band)} << 32 | static_cast<uint32_t>(h);
  }
  return keys;
}

}  // namespace newsarc
