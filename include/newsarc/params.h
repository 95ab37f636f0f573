// ArchiveParams: the settings fixed when an archive is created.
//
// Shingle size, permutation count, hash seed, thresholds and band layout
// decide what a signature means; they are stored in the archive at `init`
// and read back on every open, never silently changed afterwards.
#pragma once

#include <cstdint>

#include "newsarc/lsh.h"
#include "newsarc/status.h"

namespace newsarc {

struct ArchiveParams {
  int shingle_size = 5;                   // words per shingle (k)
  int num_perms = 128;                    // MinHash signature length (P)
  uint64_t seed = 0x6e65777361726331ULL;  // "newsarc1"
  double near_duplicate_threshold = 0.8;  // joins a story as a copy
  double version_threshold = 0.5;         // keyless: a version of a story
  BandLayout bands;                       // {0, 0}: chosen from the above

  // Fills `bands` when unset (ChooseBandLayout at the version threshold) and
  // checks ranges: 1 <= k <= 64, 16 <= P <= 1024, 0 < version <= near <= 1,
  // bands * rows <= P.
  Status Finalize();
};

}  // namespace newsarc
