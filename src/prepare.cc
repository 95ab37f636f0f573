#include "newsarc/prepare.h"

#include <xxhash.h>

#include "codec.h"
#include "newsarc/input.h"
#include "newsarc/lsh.h"
#include "newsarc/normalize.h"
#include "newsarc/shingle.h"

namespace newsarc {

Status ArchiveParams::Finalize() {
  if (shingle_size < 1 || shingle_size > 64)
    return Status::InvalidInput("shingle size must be 1..64");
  if (num_perms < 16 || num_perms > 1024) {
    return Status::InvalidInput("permutations must be 16..1024");
  }
  if (!(version_threshold > 0 && version_threshold <= near_duplicate_threshold &&
        near_duplicate_threshold <= 1)) {
    return Status::InvalidInput("thresholds must satisfy 0 < version <= near-duplicate <= 1");
  }
  if (bands.bands == 0) bands = ChooseBandLayout(num_perms, version_threshold);
  if (bands.bands < 1 || bands.rows < 1 || int64_t{bands.bands} * bands.rows > num_perms) {
    return Status::InvalidInput("bands x rows must fit in the permutations");
  }
  return Status::Ok();
}

std::vector<uint64_t> BodyShingles(std::string_view text, int shingle_size) {
  std::string normalized = NormalizeText(text.substr(DateHeaderLength(text)));
  std::vector<std::string_view> words;
  SplitWords(normalized, &words);
  return ShingleHashes(words, shingle_size);
}

Preparer::Preparer(const ArchiveParams& params)
    : params_(params), hasher_(params.num_perms, params.seed) {}

Signature Preparer::SignNormalized(const std::string& normalized) const {
  std::vector<std::string_view> words;
  SplitWords(normalized, &words);
  return hasher_.Sign(ShingleSequence(words, params_.shingle_size));
}

Result<PreparedArticle> Preparer::Prepare(Article article) const {
  NEWSARC_RETURN_IF_ERROR(ValidateUtf8(article.text));
  std::string normalized = NormalizeText(article.body());
  if (normalized.empty()) return Status::InvalidInput("empty or white-space-only article");

  std::vector<std::string_view> words;
  SplitWords(normalized, &words);
  if (words.empty()) return Status::InvalidInput("article has no words");

  PreparedArticle out;
  XXH128_hash_t exact = XXH3_128bits(normalized.data(), normalized.size());
  out.exact_key = {exact.high64, exact.low64};
  out.signature = hasher_.Sign(ShingleSequence(words, params_.shingle_size));
  out.band_keys = BandKeys(out.signature, params_.bands);
  out.word_count = static_cast<uint32_t>(words.size());
  out.checksum = XXH3_64bits(article.text.data(), article.text.size());
  out.compressed = CompressText(article.text, dict_.get());
  out.with_dictionary = dict_ != nullptr;
  out.article = std::move(article);
  return out;
}

}  // namespace newsarc
