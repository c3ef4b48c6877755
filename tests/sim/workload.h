// Seeded random command streams for the simulation tests.
//
// The stream is generated up front from the seed alone, independent of how the commands fare,
// so the single-threaded simulator and the real threaded engine can run exactly the same one.
// It mixes well-formed traffic (accounts, top-ups, payments, linked payment chains, two-phase
// holds with timeouts, posts and voids, closes) with the failures the ledger must reject
// cleanly: duplicate and conflicting ids, invalid fields, unknown accounts, overdrafts, chains
// that fail part-way or are left open, and amounts near INT64_MAX that overflow balances.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/command.h"

namespace qb::sim {

std::vector<engine::Command> GenerateWorkload(uint64_t seed, size_t command_count);

}  // namespace qb::sim
