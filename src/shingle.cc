#include "newsarc/shingle.h"

#include <xxhash.h>

#include <algorithm>

namespace newsarc {

std::vector<uint64_t> ShingleSequence(const std::vector<std::string_view>& words, int k) {
  std::vector<uint64_t> word_hashes;
  word_hashes.reserve(words.size());
  for (std::string_view w : words) word_hashes.push_back(XXH3_64bits(w.data(), w.size()));

  std::vector<uint64_t> shingles;
  if (word_hashes.empty()) return shingles;
  size_t width = std::min(word_hashes.size(), static_cast<size_t>(k));
  shingles.reserve(word_hashes.size() - width + 1);
  for (size_t i = 0; i + width <= word_hashes.size(); ++i) {
    shingles.push_back(XXH3_64bits(&word_hashes[i], width * sizeof(uint64_t)));
  }
  return shingles;
}

std::vector<uint64_t> ShingleHashes(const std::vector<std::string_view>& words, int k) {
  std::vector<uint64_t> shingles = ShingleSequence(words, k);
  std::sort(shingles.begin(), shingles.end());
  shingles.erase(std::unique(shingles.begin(), shingles.end()), shingles.end());
  return shingles;
}

double ExactJaccard(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  if (a.empty() && b.empty()) return 1.0;
  size_t i = 0, j = 0, common = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] == b[j]) {
      ++common, ++i, ++j;
    } else if (a[i] < b[j]) {
      ++i;
    } else {
      ++j;
    }
  }
  return static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
}

}  // namespace newsarc
