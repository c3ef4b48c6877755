#include "wallet/periodic_task.h"

#include <chrono>
#include <utility>

#include "base/assert.h"

namespace qb::wallet {

PeriodicTask::PeriodicTask(int64_t interval_ns, std::function<void()> run)
    : interval_ns_(interval_ns), run_(std::move(run)) {
  QB_ASSERT(interval_ns_ > 0 && run_);
  thread_ = std::thread([this] { Loop(); });
}

PeriodicTask::~PeriodicTask() { Stop(); }

void PeriodicTask::Poke() {
  std::lock_guard lock(mutex_);
  poked_ = true;
  wake_.notify_one();
}

void PeriodicTask::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    wake_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
}

void PeriodicTask::Loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    poked_ = false;
    lock.unlock();
    run_();
    lock.lock();
    wake_.wait_for(lock, std::chrono::nanoseconds(interval_ns_),
                   [this] { return stopping_ || poked_; });
  }
}

}  // namespace qb::wallet
