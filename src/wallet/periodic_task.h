// A job the wallet runs on its own thread every so often: the webhook outbox sweep, the daily
// settlement run. The first run is at once; a run that takes longer than the interval delays
// the next, never overlaps it. Stop() (and the destructor) wakes the thread and joins it after
// the run under way, if any, returns. Thread-safe.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

namespace qb::wallet {

class PeriodicTask {
 public:
  // interval_ns > 0, measured on the steady clock (not the wallet's Clock, which tests move).
  PeriodicTask(int64_t interval_ns, std::function<void()> run);
  ~PeriodicTask();
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

  // Runs the job again now (after the run under way, if any), then keeps the interval.
  void Poke();
  void Stop();

 private:
  void Loop();

  const int64_t interval_ns_;
  const std::function<void()> run_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mutex_
  bool poked_ = false;     // guarded by mutex_
  std::thread thread_;
};

}  // namespace qb::wallet
