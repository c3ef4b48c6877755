// Waiting for the signals that ask the server to stop.
#pragma once

namespace qb {

// Blocks SIGINT and SIGTERM in the calling thread. Call it in main before any thread starts,
// so every thread inherits the mask and the signals queue up for WaitForStopSignal instead of
// killing the process mid-write.
void BlockStopSignals();

// Sleeps until SIGINT or SIGTERM arrives and returns its number.
int WaitForStopSignal();

}  // namespace qb
