#include "base/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <thread>
#include <vector>

namespace qb::metrics {
namespace {

TEST(MetricsTest, RendersCounterFamily) {
  Registry registry;
  registry.GetCounter("jobs_total", "Jobs done.").Add(3);
  EXPECT_EQ(registry.RenderPrometheus(),
            "# HELP jobs_total Jobs done.\n"
            "# TYPE jobs_total counter\n"
            "jobs_total 3\n");
}

TEST(MetricsTest, SameNameAndLabelsGiveSameObjectWhateverTheLabelOrder) {
  Registry registry;
  Counter& first = registry.GetCounter("c_total", "C.", {{"a", "1"}, {"b", "2"}});
  Counter& second = registry.GetCounter("c_total", "C.", {{"b", "2"}, {"a", "1"}});
  Counter& other = registry.GetCounter("c_total", "C.", {{"a", "1"}, {"b", "3"}});
  EXPECT_EQ(&first, &second);
  EXPECT_NE(&first, &other);
}

TEST(MetricsTest, RendersGaugesWithLabelsSortedInOneFamily) {
  Registry registry;
  registry.GetGauge("queue_depth", "Commands waiting.", {{"queue", "engine"}}).Set(7);
  Gauge& journal = registry.GetGauge("queue_depth", "Ignored help.", {{"queue", "journal"}});
  journal.Set(5);
  journal.Add(-7);
  EXPECT_EQ(journal.Value(), -2);
  EXPECT_EQ(registry.RenderPrometheus(),
            "# HELP queue_depth Commands waiting.\n"
            "# TYPE queue_depth gauge\n"
            "queue_depth{queue=\"engine\"} 7\n"
            "queue_depth{queue=\"journal\"} -2\n");
}

TEST(MetricsTest, RendersHistogramBucketsCumulativelyWithInf) {
  Registry registry;
  Histogram& histogram =
      registry.GetHistogram("latency_seconds", "Latency.", {0.5, 1, 2.5}, {{"path", "/x"}});
  for (double value : {0.25, 0.5, 0.75, 3.0, 100.0}) histogram.Observe(value);
  EXPECT_EQ(registry.RenderPrometheus(),
            "# HELP latency_seconds Latency.\n"
            "# TYPE latency_seconds histogram\n"
            "latency_seconds_bucket{path=\"/x\",le=\"0.5\"} 2\n"
            "latency_seconds_bucket{path=\"/x\",le=\"1\"} 3\n"
            "latency_seconds_bucket{path=\"/x\",le=\"2.5\"} 3\n"
            "latency_seconds_bucket{path=\"/x\",le=\"+Inf\"} 5\n"
            "latency_seconds_sum{path=\"/x\"} 104.5\n"
            "latency_seconds_count{path=\"/x\"} 5\n");
}

TEST(MetricsTest, HistogramSendsNanToInfOnly) {
  Histogram histogram({1.0});
  histogram.Observe(std::nan(""));
  Histogram::Snapshot snapshot = histogram.Read();
  EXPECT_EQ(snapshot.bucket_counts, (std::vector<uint64_t>{0, 1}));
  EXPECT_EQ(snapshot.count, 1u);
}

TEST(MetricsTest, EscapesLabelValuesAndHelp) {
  Registry registry;
  registry.GetCounter("odd_total", "Back\\slash and\nnewline \"kept\".", {{"v", "a\"b\\c\nd"}})
      .Add();
  EXPECT_EQ(registry.RenderPrometheus(),
            "# HELP odd_total Back\\\\slash and\\nnewline \"kept\".\n"
            "# TYPE odd_total counter\n"
            "odd_total{v=\"a\\\"b\\\\c\\nd\"} 1\n");
}

TEST(MetricsTest, SortsFamiliesByName) {
  Registry registry;
  registry.GetGauge("b", "B.");
  registry.GetCounter("a_total", "A.");
  std::string text = registry.RenderPrometheus();
  EXPECT_LT(text.find("# HELP a_total"), text.find("# HELP b"));
}

TEST(MetricsTest, CollectorsRunAtTheStartOfEachRender) {
  Registry registry;
  int depth = 0;
  registry.AddCollector(
      [&depth](Registry& r) { r.GetGauge("depth", "Sampled at render.").Set(++depth); });
  EXPECT_NE(registry.RenderPrometheus().find("depth 1\n"), std::string::npos);
  EXPECT_NE(registry.RenderPrometheus().find("depth 2\n"), std::string::npos);
}

TEST(MetricsTest, ConcurrentUpdatesAreAllCounted) {
  Registry registry;
  Counter& counter = registry.GetCounter("hits_total", "Hits.");
  Histogram& histogram = registry.GetHistogram("sizes", "Sizes.", {10});
  constexpr int kThreads = 4;
  constexpr int kPerThread = 100000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) {
        counter.Add();
        histogram.Observe(1);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(counter.Value(), uint64_t{kThreads} * kPerThread);
  EXPECT_EQ(histogram.Read().count, uint64_t{kThreads} * kPerThread);
  EXPECT_EQ(histogram.Read().sum, double{kThreads} * kPerThread);
}

TEST(MetricsDeathTest, ReusingANameWithAnotherTypeIsAProgrammerError) {
  Registry registry;
  registry.GetCounter("x", "X.");
  EXPECT_DEATH(registry.GetGauge("x", "X."), "assertion failed");
}

TEST(MetricsDeathTest, InvalidNamesAreProgrammerErrors) {
  Registry registry;
  EXPECT_DEATH(registry.GetCounter("9lives", "Bad."), "assertion failed");
  EXPECT_DEATH(registry.GetCounter("ok", "Bad.", {{"bad-label", "v"}}), "assertion failed");
  EXPECT_DEATH(registry.GetHistogram("h", "Bad.", {1}, {{"le", "v"}}), "assertion failed");
}

}  // namespace
}  // namespace qb::metrics
