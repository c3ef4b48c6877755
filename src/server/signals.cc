#include "server/signals.h"

#include <signal.h>

#include "base/assert.h"

namespace qb {
namespace {

sigset_t StopSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  return signals;
}

}  // namespace

void BlockStopSignals() {
  sigset_t signals = StopSignals();
  QB_ASSERT(pthread_sigmask(SIG_BLOCK, &signals, nullptr) == 0);
}

int WaitForStopSignal() {
  sigset_t signals = StopSignals();
  int signal_number = 0;
  QB_ASSERT(sigwait(&signals, &signal_number) == 0);
  return signal_number;
}

}  // namespace qb
