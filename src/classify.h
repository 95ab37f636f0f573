// Classify: decides what an incoming article is, given what the archive holds.
//
// The rules (docs/design.md):
//  1. A key already in the archive: the same normalized text as the entry
//     last ingested under that key is a duplicate; any other text is a
//     version of that key's story, whatever its similarity.
//  2. Otherwise by content: the same normalized text as any entry is a
//     duplicate; a best match >= the near-duplicate threshold (decided on
//     exact similarity near it) is a near-duplicate copy in that story; with no key, a best match
//     >= the version threshold is a version of that story; anything else is new.
// The archive is reached only through ArchiveIndex, so the rules can be
// tested against an in-memory index.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "newsarc/archive.h"
#include "records.h"

namespace newsarc {

class ArchiveIndex {
 public:
  virtual ~ArchiveIndex() = default;
  virtual Result<std::optional<KeyRecord>> FindKey(std::string_view key) = 0;
  // A stored entry's record (its exact key and sequence, among others).
  virtual Result<EntryInfo> EntryOf(EntryRef entry) = 0;
  virtual Result<Signature> SignatureOf(EntryRef entry) = 0;
  // Every stored entry sharing a band with `article`, with its estimated
  // similarity (unfiltered, any order).
  virtual Result<std::vector<Match>> Candidates(const PreparedArticle& article) = 0;
  // The shingle hashes of a stored entry's text (BodyShingles).
  virtual Result<std::vector<uint64_t>> ShinglesOf(EntryRef entry) = 0;
};

// MinHash estimates from P = 128 values have a standard deviation of about
// 0.035 near 0.8, enough to put a pair on the wrong side of a threshold.
// Matches whose estimate is within this margin of `threshold` get their
// exact Jaccard index instead, from the stored text's shingles.
constexpr double kExactMargin = 0.1;
Status VerifyNear(const std::vector<uint64_t>& shingles, double threshold, ArchiveIndex& index,
                  std::vector<Match>* matches);

struct Decision {
  Verdict verdict = Verdict::kNew;
  EntryRef of;  // the matched entry; for a version or copy, `of.story` is its story
  double similarity = 0;
};

Result<Decision> Classify(const PreparedArticle& article, const ArchiveParams& params,
                          ArchiveIndex& index);

// The best of `matches` (highest similarity, then lowest story, then lowest
// version, so the choice does not depend on candidate order).
std::optional<Match> BestMatch(const std::vector<Match>& matches);

}  // namespace newsarc
