// A fixed set of threads running queued jobs: where the wallet API does work that would block
// an I/O thread (argon2id, the bank, the identity verifier, SMS, SQL reads).
//
// The queue is bounded: TrySubmit refuses a job when it is full, so an overload turns into a
// quick 503 instead of a growing backlog. Stop() refuses new jobs, runs those already queued
// and joins the threads; the destructor calls it. Thread-safe.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace qb::wallet {

class WorkerPool {
 public:
  // threads >= 1 and queue_capacity >= 1.
  WorkerPool(uint32_t threads, size_t queue_capacity);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `job`; false (and `job` not run) when the queue is full or the pool is stopping.
  bool TrySubmit(std::function<void()> job);

  // Refuses new jobs, runs the queued ones and joins the threads. Idempotent. Must not be
  // called from a job.
  void Stop();

  size_t queue_depth() const;

 private:
  void Run();

  const size_t queue_capacity_;
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> queue_;  // Guarded by mutex_.
  bool stopping_ = false;                    // Guarded by mutex_.
  std::vector<std::thread> threads_;
  std::once_flag stop_once_;
};

}  // namespace qb::wallet
