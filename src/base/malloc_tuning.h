// glibc malloc settings for a process that runs the engine. The engine thread allocates and
// frees per batch (replies, journal payloads, projections), much of it freed on the journal
// thread; with the defaults its arena's heap is trimmed when the frees come back and grown again
// by the next batch, an mprotect system call each way, which on a virtual machine costs tens of
// microseconds. The engine holds its state in memory for the life of the process anyway (it
// sizes its big tables up front), so memory freed is kept for reuse instead.
#pragma once

#include <malloc.h>

namespace qb {

inline void TuneMallocForEngine() {
  ::mallopt(M_TRIM_THRESHOLD, 512 << 20);  // keep up to 512 MiB of freed memory
  ::mallopt(M_TOP_PAD, 64 << 20);          // grow a heap 64 MiB at a time
}

}  // namespace qb
