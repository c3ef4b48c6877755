// An allocator for the engine's large tables. Big blocks are mapped directly and marked for
// transparent huge pages: a table of millions of entries then costs a few hundred page faults
// instead of hundreds of thousands, which matters on virtual machines where a fault is slow.
// The pages are also faulted in at allocation, so the writer does not pay for them later.
// Small blocks come from the ordinary heap.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <new>

namespace qb {

inline constexpr size_t kHugePageBytes = 2 << 20;

template <typename T>
class HugePageAllocator {
 public:
  using value_type = T;

  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) {}

  T* allocate(size_t n) {
    const size_t bytes = n * sizeof(T);
    if (bytes < kHugePageBytes) return static_cast<T*>(::operator new(bytes));
    void* p =
        ::mmap(nullptr, RoundUp(bytes), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    ::madvise(p, RoundUp(bytes), MADV_HUGEPAGE);  // Advice only: fine if refused.
    // Fault it all in now: a table is sized (reserved or grown) just before it fills, and a
    // fault taken here costs the writer nothing later (MADV_POPULATE_WRITE: Linux 5.14).
    ::madvise(p, RoundUp(bytes), MADV_POPULATE_WRITE);  // Fine if refused too.
    return static_cast<T*>(p);
  }

  void deallocate(T* p, size_t n) {
    const size_t bytes = n * sizeof(T);
    if (bytes < kHugePageBytes) {
      ::operator delete(p);
    } else {
      ::munmap(p, RoundUp(bytes));
    }
  }

  template <typename U>
  bool operator==(const HugePageAllocator<U>&) const {
    return true;
  }

 private:
  static size_t RoundUp(size_t bytes) {
    return (bytes + kHugePageBytes - 1) & ~(kHugePageBytes - 1);
  }
};

}  // namespace qb
