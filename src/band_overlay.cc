#include "band_overlay.h"

#include <algorithm>

namespace newsarc {

uint64_t BandOverlay::KeyOf(uint32_t node) const {
  uint32_t eb = nodes_[node].entry_band;
  return entries_[eb >> kBandBits].band_keys[eb & ((1u << kBandBits) - 1)];
}

uint32_t* BandOverlay::SlotFor(uint64_t key) {
  size_t mask = slots_.size() - 1;
  for (size_t i = key & mask;; i = (i + 1) & mask) {
    if (slots_[i] == kNone || KeyOf(slots_[i]) == key) return &slots_[i];
  }
}

const uint32_t* BandOverlay::FindSlot(uint64_t key) const {
  if (slots_.empty()) return nullptr;
  size_t mask = slots_.size() - 1;
  for (size_t i = key & mask;; i = (i + 1) & mask) {
    if (slots_[i] == kNone) return nullptr;
    if (KeyOf(slots_[i]) == key) return &slots_[i];
  }
}

void BandOverlay::Index(uint32_t entry) {
  // Keep the table at most half full: on growth, entries before this one
  // are indexed again.
  size_t need = (nodes_.size() + entries_[entry].band_keys.size()) * 2;
  if (need > slots_.size()) {
    size_t size = std::max<size_t>(1024, slots_.size() * 2);
    while (size < need) size *= 2;
    slots_.assign(size, kNone);
    nodes_.clear();
    for (uint32_t e = 0; e < entry; ++e) Insert(e);
  }
  Insert(entry);
}

void BandOverlay::Insert(uint32_t entry) {
  const std::vector<uint64_t>& keys = entries_[entry].band_keys;
  for (uint32_t b = 0; b < keys.size(); ++b) {
    uint32_t* slot = SlotFor(keys[b]);
    nodes_.push_back({entry << kBandBits | b, *slot});
    *slot = static_cast<uint32_t>(nodes_.size() - 1);
  }
}

void BandOverlay::Rebuild() {
  slots_.clear();
  nodes_.clear();
  for (uint32_t e = 0; e < entries_.size(); ++e) Index(e);
}

void BandOverlay::Add(uint64_t seq, EntryRef ref, const std::vector<uint64_t>& band_keys) {
  entries_.push_back({seq, ref, band_keys});
  Index(static_cast<uint32_t>(entries_.size() - 1));
}

void BandOverlay::Matches(const std::vector<uint64_t>& band_keys, uint64_t after,
                          std::vector<EntryRef>* out) const {
  std::vector<uint32_t> found;
  for (uint64_t band : band_keys) {
    const uint32_t* slot = FindSlot(band);
    for (uint32_t n = slot ? *slot : kNone; n != kNone; n = nodes_[n].next) {
      uint32_t entry = nodes_[n].entry_band >> kBandBits;
      if (entries_[entry].seq > after) found.push_back(entry);
    }
  }
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  for (uint32_t e : found) out->push_back(entries_[e].ref);
}

uint64_t BandOverlay::CountAfter(uint64_t after) const {
  auto it = std::upper_bound(entries_.begin(), entries_.end(), after,
                             [](uint64_t s, const Entry& e) { return s < e.seq; });
  return static_cast<uint64_t>(entries_.end() - it);
}

void BandOverlay::DropUpTo(uint64_t seq) {
  auto keep = std::upper_bound(entries_.begin(), entries_.end(), seq,
                               [](uint64_t s, const Entry& e) { return s < e.seq; });
  if (keep == entries_.begin()) return;
  entries_.erase(entries_.begin(), keep);
  Rebuild();
}

void BandOverlay::Append(BandOverlay&& other) {
  for (Entry& e : other.entries_) {
    entries_.push_back(std::move(e));
    Index(static_cast<uint32_t>(entries_.size() - 1));
  }
  other = BandOverlay();
}

}  // namespace newsarc
