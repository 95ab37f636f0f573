#include "classify.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

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

// The first stored entry (lowest sequence) with the article's normalized
// text. Equal texts have equal signatures: such an entry shares every band
// key with the article, so it is among the candidates, estimated at 1.0.
// The exact keys tell it from a different text with the same signature.
Result<std::optional<EntryRef>> FirstExact(const PreparedArticle& article,
                                           const std::vector<Match>& candidates,
                                           ArchiveIndex& index) {
  std::optional<EntryRef> first;
  uint64_t first_seq = UINT64_MAX;
  for (const Match& m : candidates) {
    if (m.similarity != 1.0) continue;
    Result<EntryInfo> e = index.EntryOf(m.entry);
    if (!e.ok()) return e.status();
    if (e->exact_key == article.exact_key && e->seq < first_seq) {
      first = m.entry;
      first_seq = e->seq;
    }
  }
  return first;
}

Result<Decision> ClassifyKnownKey(const PreparedArticle& article, const KeyRecord& known,
                                  const std::optional<EntryRef>& exact, ArchiveIndex& index) {
  // An earlier text of the same story seen again (a re-run of an old scrape,
  // or a revert) is not a new version: it is stored already.
  if (exact && exact->story == known.entry.story) {
    return Decision{Verdict::kDuplicate, *exact, 1.0};
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
  std::optional<KeyRecord> known;
  if (!key.empty()) {
    Result<std::optional<KeyRecord>> found = index.FindKey(key);
    if (!found.ok()) return found.status();
    known = found.value();
    if (known && known->exact_key == article.exact_key) {
      return Decision{Verdict::kDuplicate, known->entry, 1.0};
    }
  }
  Result<std::vector<Match>> candidates = index.Candidates(article);
  if (!candidates.ok()) return candidates.status();
  Result<std::optional<EntryRef>> exact = FirstExact(article, candidates.value(), index);
  if (!exact.ok()) return exact.status();
  if (known) return ClassifyKnownKey(article, *known, exact.value(), index);
  if (exact.value()) return Decision{Verdict::kDuplicate, *exact.value(), 1.0};
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
