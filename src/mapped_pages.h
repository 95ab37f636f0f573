// Mapped pages: how much of this process's resident memory is file pages
// mapped into it, and handing one file's mapped pages back to the page cache.
//
// LMDB reads the archive through a shared read-only mapping, and the kernel
// maps up to 16 neighbouring pages on each page fault. A long ingest into a
// large archive therefore ends with most of the file counted in its resident
// set, although those pages are clean page cache the kernel could drop at any
// time. Unmapping them (MADV_DONTNEED on a file mapping) keeps them cached
// and leaves the contents unchanged; the next read maps them again.
#pragma once

#include <cstdint>

namespace newsarc {

// This process's resident memory (/proc/self/statm): in all, and the part
// that is file-backed or shared. Zeros when it cannot be read.
struct ResidentBytes {
  uint64_t total = 0;
  uint64_t file = 0;
};
ResidentBytes ResidentMemory();

// Unmaps the pages of every mapping of the file `fd` refers to in this
// process; returns the bytes of mappings advised. The caller makes sure no
// other thread remaps that file meanwhile.
uint64_t UnmapFilePages(int fd);

}  // namespace newsarc
