#include "classify.h"

#include <algorithm>
#include <cmath>

#include "newsarc/shingle.h"

namespace newsarc {

std::optional<Match> BestMatch(const std::vector<Match>& matches) {
  std::optional<Match> best;
  for (const Match& m : matches) {
    if (!best || m.similarity > best->similarity ||
        (m.similarity == best->similarity &&
         (m.entry.story < best->entry.story ||
          (m.entry.story == best->entry.story && m.entry.version < best->entry.version)))) {
      best = m;
    }
  }
  return best;
}

Status VerifyNear(const std::vector<uint64_t>& shingles, double threshold, ArchiveIndex& index,
                  std::vector<Match>* matches) {
  for (Match& m : *matches) {
    if (std::abs(m.similarity - threshold) > kExactMargin) continue;
    Result<std::vector<uint64_t>> stored = index.ShinglesOf(m.entry);
    if (!stored.ok()) return stored.status();
    m.similarity = ExactJaccard(shingles, stored.value());
  }
  return Status::Ok();
}

namespace {

Result<Decision> ClassifyKnownKey(const PreparedArticle& article, const KeyRecord& known,
                                  ArchiveIndex& index) {
  if (known.exact_key == article.exact_key) return Decision{Verdict::kDuplicate, known.entry, 1.0};
  // An earlier text of the same story seen again (a re-run of an old scrape,
  // or a revert) is not a new version: it is stored already.
  Result<std::optional<EntryRef>> exact = index.FindExact(article.exact_key);
  if (!exact.ok()) return exact.status();
  if (exact.value() && exact.value()->story == known.entry.story) {
    return Decision{Verdict::kDuplicate, *exact.value(), 1.0};
  }
  Result<Signature> previous = index.SignatureOf(known.entry);
  if (!previous.ok()) return previous.status();
  return Decision{Verdict::kVersion, known.entry,
                  EstimateJaccard(previous.value(), article.signature)};
}

}  // namespace

Result<Decision> Classify(const PreparedArticle& article, const ArchiveParams& params,
                          ArchiveIndex& index) {
  const std::string& key = article.article.key;
  if (!key.empty()) {
    Result<std::optional<KeyRecord>> known = index.FindKey(key);
    if (!known.ok()) return known.status();
    if (known.value()) return ClassifyKnownKey(article, *known.value(), index);
  }
  Result<std::optional<EntryRef>> exact = index.FindExact(article.exact_key);
  if (!exact.ok()) return exact.status();
  if (exact.value()) return Decision{Verdict::kDuplicate, *exact.value(), 1.0};

  Result<std::vector<Match>> candidates = index.Candidates(article);
  if (!candidates.ok()) return candidates.status();
  bool near = std::any_of(candidates->begin(), candidates->end(), [&](const Match& m) {
    return std::abs(m.similarity - params.near_duplicate_threshold) <= kExactMargin;
  });
  if (near) {
    std::vector<uint64_t> computed;
    if (article.shingles.empty())
      computed = BodyShingles(article.article.text, params.shingle_size);
    NEWSARC_RETURN_IF_ERROR(VerifyNear(article.shingles.empty() ? computed : article.shingles,
                                       params.near_duplicate_threshold, index,
                                       &candidates.value()));
  }
  std::optional<Match> best = BestMatch(candidates.value());
  if (best && best->similarity >= params.near_duplicate_threshold) {
    return Decision{Verdict::kNearDuplicate, best->entry, best->similarity};
  }
  if (best && key.empty() && best->similarity >= params.version_threshold) {
    return Decision{Verdict::kVersion, best->entry, best->similarity};
  }
  return Decision{};
}

}  // namespace newsarc
