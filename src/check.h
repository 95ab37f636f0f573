// Check: the consistency walk behind `newsarc check`.
//
// Reads every table in one read transaction: each story's entries, each
// entry's text (decompressed through its delta chain and checked against
// its checksum and size), signature and band index entries, and every
// cross-reference (key index entries, delta references).
// Damage is reported, never repaired, and never crashes the walk.
#pragma once

#include "newsarc/archive.h"
#include "newsarc/params.h"
#include "store.h"

namespace newsarc {

Result<CheckReport> CheckArchive(Txn* txn, const ArchiveParams& params);

}  // namespace newsarc
