#include "band_overlay.h"

#include <algorithm>

#include "newsarc/minhash.h"

namespace newsarc {

BandOverlay::Slot& BandOverlay::SlotFor(uint64_t key) {
  size_t mask = slots_.size() - 1;
  for (size_t i = key & mask;; i = (i + 1) & mask) {
    Slot& s = slots_[i];
    if (!s.used) {
      s.used = true;
      s.key = key;
      s.head = kNone;
      return s;
    }
    if (s.key == key) return s;
  }
}

const BandOverlay::Slot* BandOverlay::FindSlot(uint64_t key) const {
  if (slots_.empty()) return nullptr;
  size_t mask = slots_.size() - 1;
  for (size_t i = key & mask;; i = (i + 1) & mask) {
    const Slot& s = slots_[i];
    if (!s.used) return nullptr;
    if (s.key == key) return &s;
  }
}

void BandOverlay::Index(uint32_t entry) {
  // Keep the table at most half full: on growth, entries before this one
  // are indexed again.
  size_t need = (nodes_.size() + entries_[entry].band_keys.size()) * 2;
  if (need > slots_.size()) {
    size_t size = std::max<size_t>(1024, slots_.size() * 2);
    while (size < need) size *= 2;
    slots_.assign(size, Slot());
    nodes_.clear();
    for (uint32_t e = 0; e < entry; ++e) Insert(e);
  }
  Insert(entry);
}

void BandOverlay::Insert(uint32_t entry) {
  for (uint64_t band : entries_[entry].band_keys) {
    Slot& slot = SlotFor(band);
    nodes_.push_back({entry, slot.head});
    slot.head = static_cast<uint32_t>(nodes_.size() - 1);
  }
}

void BandOverlay::Rebuild() {
  slots_.clear();
  nodes_.clear();
  for (uint32_t e = 0; e < entries_.size(); ++e) Index(e);
}

void BandOverlay::Add(uint64_t seq, EntryRef ref, const Signature& signature,
                      const std::vector<uint64_t>& band_keys) {
  entries_.push_back({seq, ref, signature, band_keys});
  Index(static_cast<uint32_t>(entries_.size() - 1));
}

void BandOverlay::Matches(const Signature& signature, const std::vector<uint64_t>& band_keys,
                          uint64_t after, std::vector<Match>* out) const {
  std::vector<uint32_t> found;
  for (uint64_t band : band_keys) {
    const Slot* slot = FindSlot(band);
    for (uint32_t n = slot ? slot->head : kNone; n != kNone; n = nodes_[n].next) {
      if (entries_[nodes_[n].entry].seq > after) found.push_back(nodes_[n].entry);
    }
  }
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  for (uint32_t e : found) {
    out->push_back({entries_[e].ref, EstimateJaccard(signature, entries_[e].signature)});
  }
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
