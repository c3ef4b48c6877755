// Always-on invariant checks. A failed QB_ASSERT is a programmer error, never the result of
// user input: it prints where and why and aborts, because a crash is better than a wrong balance.
#pragma once

#include <cstdio>
#include <cstdlib>

namespace qb {

[[noreturn]] inline void AssertFailed(const char* expression, const char* file, int line) {
  std::fprintf(stderr, "assertion failed: %s at %s:%d\n", expression, file, line);
  std::fflush(stderr);
  std::abort();
}

}  // namespace qb

#define QB_ASSERT(condition) \
  ((condition) ? static_cast<void>(0) : ::qb::AssertFailed(#condition, __FILE__, __LINE__))
