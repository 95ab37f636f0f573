// Prepare: the pure per-article work before anything touches the archive.
//
// Validation, normalization, shingling, signing, band keys, the exact-text
// key and compression depend only on the article and the archive's
// parameters, so they can run on any thread; only classification and the
// write need the archive (see archive.h).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "newsarc/article.h"
#include "newsarc/minhash.h"
#include "newsarc/params.h"
#include "newsarc/status.h"

namespace newsarc {

struct Hash128 {
  uint64_t high = 0;
  uint64_t low = 0;
  bool operator==(const Hash128&) const = default;
};

struct PreparedArticle {
  Article article;
  Hash128 exact_key;    // XXH3-128 of the normalized body
  Signature signature;  // MinHash of the body's shingles
  // The body's shingle hashes, for exact similarities where the MinHash
  // estimate is too close to a threshold to decide. Empty until needed
  // (rarely): then BodyShingles(article.text) computes them, so that a batch
  // in flight does not hold every article's shingles.
  std::vector<uint64_t> shingles;
  std::vector<uint64_t> band_keys;
  uint32_t word_count = 0;
  uint64_t checksum = 0;         // XXH3-64 of article.text
  std::string compressed;        // zstd frame of article.text
  bool with_dictionary = false;  // `compressed` needs the archive's text dictionary
};

class TextDictionary;  // src/codec.h

// The shingle hashes of a stored text's body, exactly as Prepare computes
// them for the article it came from. Requires valid UTF-8.
std::vector<uint64_t> BodyShingles(std::string_view text, int shingle_size);

class Preparer {
 public:
  explicit Preparer(const ArchiveParams& params);

  // Prepares one article. Rejects (InvalidInput) invalid UTF-8, NUL bytes,
  // an empty or white-space-only article, and one without any word.
  // Thread-safe.
  Result<PreparedArticle> Prepare(Article article) const;

  // The signature of a normalized text, for queries about outside files.
  Signature SignNormalized(const std::string& normalized) const;

  // Compress texts with the archive's dictionary (Archive::TextDictionary)
  // from now on. Not thread-safe: call between Prepare calls.
  void set_dictionary(std::shared_ptr<const TextDictionary> dict) { dict_ = std::move(dict); }

 private:
  ArchiveParams params_;
  MinHasher hasher_;
  std::shared_ptr<const TextDictionary> dict_;
};

}  // namespace newsarc
