// Codec: zstd frames for stored article texts (the one file that speaks zstd).
//
// A text is stored either alone or as a delta: a frame compressed with an
// earlier version of the same story as its reference prefix (the mechanism
// behind `zstd --patch-from`), so that matches reach back into the earlier
// text and a small edit costs a few bytes.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "newsarc/status.h"

struct ZSTD_CDict_s;
struct ZSTD_DDict_s;

namespace newsarc {

// A zstd dictionary trained on an archive's first articles. An article of
// a few hundred words has little to match within itself; with the
// dictionary, Reuters articles compress about 25% smaller and 40% faster
// (docs/benchmarks.md). An archive has at most one, stored with it, so
// every text compressed with it stays readable.
class TextDictionary {
 public:
  // Trains a dictionary on `samples`; none when they are too few or too
  // small to be worth one. Deterministic: the same samples give the same
  // dictionary.
  static std::optional<std::string> Train(const std::vector<std::string_view>& samples);
  // The dictionary `bytes` (from Train); Corruption when they are not one.
  static Result<std::shared_ptr<const TextDictionary>> Load(std::string bytes);

  explicit TextDictionary(std::string bytes) : bytes_(std::move(bytes)) {}
  ~TextDictionary();
  TextDictionary(const TextDictionary&) = delete;
  TextDictionary& operator=(const TextDictionary&) = delete;

  const std::string& bytes() const { return bytes_; }
  // Digested for compression (made on first use: readers never need it)
  // and for decompression.
  ZSTD_CDict_s* cdict() const;
  ZSTD_DDict_s* ddict() const { return ddict_; }

 private:
  std::string bytes_;
  ZSTD_DDict_s* ddict_ = nullptr;
  mutable std::once_flag cdict_once_;
  mutable ZSTD_CDict_s* cdict_ = nullptr;
};

// Frames are stored without zstd's 4-byte magic number and without the
// content size (the text record holds the size): 5 bytes less per text,
// which matters for deltas of a few dozen bytes. The magic is put back
// before decoding, so the frames stay standard zstd frames.

// Compresses `raw` into one zstd frame, with `dict` if given. Thread-safe
// (per-thread contexts).
std::string CompressText(std::string_view raw, const TextDictionary* dict = nullptr);

// Compresses `raw` with `reference` as its prefix; decompressing needs the
// same reference. Thread-safe.
std::string CompressDelta(std::string_view raw, std::string_view reference);

// Decompresses a frame that must yield exactly `raw_size` bytes; `reference`
// must be the prefix it was compressed with (empty for a frame on its own).
// `has_magic`: a complete zstd frame (format 1 archives) rather than one
// stored without its magic number. `dict`: the dictionary a frame was
// compressed with (never together with a reference).
Result<std::string> DecompressText(std::string_view frame, size_t raw_size,
                                   std::string_view reference = {}, bool has_magic = false,
                                   const TextDictionary* dict = nullptr);

}  // namespace newsarc
