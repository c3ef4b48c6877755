// A tiny Prometheus metrics library: counters, gauges and histograms kept in a Registry and
// rendered in the text exposition format 0.0.4.
//
// Thread safety: updating a metric (Add, Set, Observe) is a relaxed atomic operation with no
// lock, so it is cheap enough for the request path and the engine thread. Looking a metric up
// in the Registry takes a mutex: look it up once and keep the reference, which stays valid for
// the registry's lifetime.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace qb::metrics {

// Label name/value pairs. Their order does not matter: {a, b} and {b, a} name the same series.
using Labels = std::vector<std::pair<std::string, std::string>>;

// A value that only goes up, such as requests served.
class Counter {
 public:
  void Add(uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

// A value that goes up and down, such as connections open or queue depth.
class Gauge {
 public:
  void Set(int64_t value) { value_.store(value, std::memory_order_relaxed); }
  void Add(int64_t delta) { value_.fetch_add(delta, std::memory_order_relaxed); }
  int64_t Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> value_{0};
};

// Counts observations into buckets with fixed upper bounds (inclusive, as Prometheus' `le`).
// A value above every bound, or NaN, lands only in the implicit +Inf bucket.
class Histogram {
 public:
  // The bounds must be finite and strictly increasing; +Inf is added implicitly.
  explicit Histogram(std::vector<double> upper_bounds);

  void Observe(double value);

  // A copy of the state. Taken without a lock, so under concurrent updates the buckets, sum
  // and count may be off by the observations in flight; each is still a value it really had.
  struct Snapshot {
    std::vector<uint64_t> bucket_counts;  // Per bucket, not cumulative; the last is +Inf.
    double sum = 0;
    uint64_t count = 0;
  };
  Snapshot Read() const;
  const std::vector<double>& upper_bounds() const { return upper_bounds_; }

 private:
  std::vector<double> upper_bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> bucket_counts_;  // upper_bounds_.size() + 1.
  std::atomic<double> sum_{0};
  std::atomic<uint64_t> count_{0};
};

// Owns metrics by name and labels and renders them. Names and label names must be valid
// Prometheus identifiers, and a name keeps one type (and, for histograms, one set of bounds):
// breaking either is a programmer error and fails an assertion.
class Registry {
 public:
  Registry();
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Returns the metric for name + labels, creating it on first use. The help text of the
  // first call is kept.
  Counter& GetCounter(std::string_view name, std::string_view help, Labels labels = {});
  Gauge& GetGauge(std::string_view name, std::string_view help, Labels labels = {});
  Histogram& GetHistogram(std::string_view name, std::string_view help,
                          const std::vector<double>& upper_bounds, Labels labels = {});

  // Registers a callback run at the start of every render, before any metric is read, so
  // values that are costly to track on every change (queue depth, cache size) can be sampled
  // then. Callbacks may call the Get* methods but not AddCollector.
  void AddCollector(std::function<void(Registry&)> collector);

  // The text exposition format 0.0.4: families sorted by name, one HELP and TYPE each.
  std::string RenderPrometheus() const;

 private:
  enum class Type : uint8_t { kCounter, kGauge, kHistogram };
  struct Series;
  struct Family;

  // Returns the series for name + labels, creating family and series as needed. Called with
  // mutex_ held.
  Series& FindSeries(std::string_view name, std::string_view help, Type type,
                     const std::vector<double>* upper_bounds, Labels labels);

  // Everything is mutable so that RenderPrometheus, which is const to its callers, can hand
  // the collectors a Registry& to update: all state is guarded by the mutexes below.
  mutable std::mutex mutex_;
  mutable std::map<std::string, std::unique_ptr<Family>, std::less<>> families_;
  mutable std::mutex collectors_mutex_;
  std::vector<std::function<void(Registry&)>> collectors_;
};

// Bounds for latencies in seconds, from 100 us to 10 s.
std::vector<double> LatencyBoundsSeconds();

}  // namespace qb::metrics
