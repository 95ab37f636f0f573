// Codec: zstd frames for stored article texts (the one file that speaks zstd).
//
// A text is stored either alone or as a delta: a frame compressed with an
// earlier version of the same story as its reference prefix (the mechanism
// behind `zstd --patch-from`), so that matches reach back into the earlier
// text and a small edit costs a few bytes.
#pragma once

#include <string>
#include <string_view>

#include "newsarc/status.h"

namespace newsarc {

// Frames are stored without zstd's 4-byte magic number and without the
// content size (the text record holds the size): 5 bytes less per text,
// which matters for deltas of a few dozen bytes. The magic is put back
// before decoding, so the frames stay standard zstd frames.

// Compresses `raw` into one zstd frame. Thread-safe (per-thread contexts).
std::string CompressText(std::string_view raw);

// Compresses `raw` with `reference` as its prefix; decompressing needs the
// same reference. Thread-safe.
std::string CompressDelta(std::string_view raw, std::string_view reference);

// Decompresses a frame that must yield exactly `raw_size` bytes; `reference`
// must be the prefix it was compressed with (empty for a frame on its own).
// `has_magic`: a complete zstd frame (format 1 archives) rather than one
// stored without its magic number.
Result<std::string> DecompressText(std::string_view frame, size_t raw_size,
                                   std::string_view reference = {}, bool has_magic = false);

}  // namespace newsarc
