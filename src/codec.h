// Codec: zstd frames for stored article texts (the one file that speaks zstd).
#pragma once

#include <string>
#include <string_view>

#include "newsarc/status.h"

namespace newsarc {

// Compresses `raw` into one zstd frame. Thread-safe (per-thread contexts).
std::string CompressText(std::string_view raw);

// Decompresses a frame that must yield exactly `raw_size` bytes.
Result<std::string> DecompressText(std::string_view frame, size_t raw_size);

}  // namespace newsarc
