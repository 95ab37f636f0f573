// Upgrade: turns an archive of an older format into the current one.
//
// Format 3 replaced the signatures table (32-bit values keyed by entry) and
// the band table (one B-tree key per entry and band) with 16-bit signatures
// keyed by sequence and the band runs of band_runs.h. The upgrade rebuilds
// both from the stored signatures, numbers format 1 entries (which carry no
// sequence) in ingest order, and drops the old tables, all in the caller's
// write transaction: it happens completely or not at all.
#pragma once

#include <cstdint>

#include "newsarc/params.h"
#include "newsarc/status.h"
#include "store.h"

namespace newsarc {

// The format of the archive `txn` reads (meta "format").
Result<uint32_t> ReadFormat(Txn* txn);

// Upgrades the archive to kFormatVersion; `format` is what ReadFormat said.
Status UpgradeArchive(Txn* txn, uint32_t format, const ArchiveParams& params);

}  // namespace newsarc
