// Shingling: an article's words become a set of hashed word k-grams.
//
// Each word is hashed with XXH3-64, and each window of k consecutive word
// hashes is hashed again, so a shingle is one 64-bit value. A text with
// fewer than k words still yields one shingle made of all its words, so
// that short briefs and headlines get a signature too.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace newsarc {

// Returns the sorted, de-duplicated shingle hashes of `words` for k >= 1.
// Empty when `words` is empty.
std::vector<uint64_t> ShingleHashes(const std::vector<std::string_view>& words, int k);
// The same hashes in text order, repeats kept: enough for MinHash, whose
// minima do not depend on order or repeats, and it saves the sort.
std::vector<uint64_t> ShingleSequence(const std::vector<std::string_view>& words, int k);

// Exact Jaccard similarity |a ∩ b| / |a ∪ b| of two sorted, de-duplicated
// sets; 1.0 when both are empty.
double ExactJaccard(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b);

}  // namespace newsarc
