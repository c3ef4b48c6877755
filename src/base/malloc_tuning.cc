#include "base/malloc_tuning.h"

#if defined(QB_JEMALLOC)
#include <jemalloc/jemalloc.h>

// Read by jemalloc when the process starts (a weak symbol of the library, defined here).
// thp:always: every extent jemalloc maps is advised for transparent huge pages, so the kernel
// backs the engine's tables with 2 MiB pages where it can; metadata_thp: its own tables too.
extern "C" {
const char* malloc_conf = "thp:always,metadata_thp:always";
}
#else
#include <malloc.h>
#endif

namespace qb {

void TuneMallocForEngine() {
#if !defined(QB_JEMALLOC)
  ::mallopt(M_TRIM_THRESHOLD, 512 << 20);  // keep up to 512 MiB of freed memory
  ::mallopt(M_TOP_PAD, 64 << 20);          // grow a heap 64 MiB at a time
#endif
}

std::string MallocDescription() {
#if defined(QB_JEMALLOC)
  const char* version = nullptr;
  size_t size = sizeof(version);
  if (::mallctl("version", &version, &size, nullptr, 0) != 0) return "jemalloc (not active)";
  const char* thp = nullptr;
  size = sizeof(thp);
  std::string description = std::string("jemalloc ") + version;
  if (::mallctl("opt.thp", &thp, &size, nullptr, 0) == 0) {
    description += std::string(" (thp:") + thp + ")";
  }
  return description;
#else
  return "glibc malloc";
#endif
}

}  // namespace qb
