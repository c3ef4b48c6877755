// The simulation's only source of randomness: SplitMix64, seeded. It is written out here rather
// than taken from <random> because the standard distributions are implementation-defined, and a
// seed must reproduce the same run on every compiler and library.
#pragma once

#include <cstdint>

namespace qb::sim {

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}

  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

  // Uniform in [0, n); n must be positive. The modulo bias is irrelevant for test workloads.
  uint64_t Below(uint64_t n) { return Next() % n; }

  // Uniform in [low, high], inclusive.
  int64_t Between(int64_t low, int64_t high) {
    return low + static_cast<int64_t>(Below(static_cast<uint64_t>(high - low) + 1));
  }

  bool Percent(uint64_t percent) { return Below(100) < percent; }
  bool PerMille(uint64_t per_mille) { return Below(1000) < per_mille; }

  // A generator for a sub-stream, so that adding draws to one part of the simulation does not
  // shift every later draw of another part.
  Rng Fork() { return Rng(Next()); }

 private:
  uint64_t state_;
};

}  // namespace qb::sim
