// The allocator of a process that runs the engine.
//
// The release build links jemalloc into qianbaod and the qianbao tool (malloc_tuning.cc), with
// transparent huge pages for all of its memory. The engine keeps its state in hash tables of
// hundreds of megabytes reached at random, so nearly every look-up misses the TLB; on 4 KiB
// pages each miss walks the page tables (twice over in a virtual machine), and on 2 MiB pages
// most of them do not happen. The Double-11 bench measured 85,000–98,000 payments/s with huge
// pages against 57,000–68,000/s without (docs/BENCHMARKS.md, 2026-11-25). glibc's malloc would
// ask for huge pages only through an environment variable read at process start.
//
// The sanitizer build keeps glibc's malloc (AddressSanitizer replaces it anyway), tuned by
// TuneMallocForEngine so that freed memory is kept rather than trimmed and grown again each
// batch: an mprotect system call each way, which on a virtual machine costs tens of
// microseconds. jemalloc keeps freed memory for a while by itself.
#pragma once

#include <string>

namespace qb {

void TuneMallocForEngine();

// "jemalloc 5.3.0 (thp:always)" or "glibc malloc": for the benches' reports and the server log.
std::string MallocDescription();

}  // namespace qb
