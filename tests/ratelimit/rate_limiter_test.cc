#include "ratelimit/rate_limiter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "base/clock.h"

namespace qb::ratelimit {
namespace {

constexpr int64_t kSecondNs = 1'000'000'000;
constexpr int64_t kMinuteNs = 60 * kSecondNs;
constexpr int64_t kHourNs = 60 * kMinuteNs;
// An arbitrary epoch time, so that nothing relies on the clock starting at zero.
constexpr int64_t kStartNs = 1'700'000'000 * kSecondNs;

std::vector<RuleConfig> AuthRules(int64_t max_keys = 1000) {
  return {
      {"login_ip", 20, kMinuteNs, max_keys, TableFullPolicy::kRefuseNewKeys},
      {"login_account", 5, 15 * kMinuteNs, max_keys, TableFullPolicy::kRefuseNewKeys},
      {"otp_phone", 5, kHourNs, max_keys, TableFullPolicy::kRefuseNewKeys},
      {"otp_ip", 30, kHourNs, max_keys, TableFullPolicy::kRefuseNewKeys},
  };
}

std::unique_ptr<RateLimiter> MakeLimiter(std::vector<RuleConfig> rules, int32_t shard_count = 16) {
  std::unique_ptr<RateLimiter> limiter;
  const Status status =
      RateLimiter::Create(std::move(rules), {.shard_count = shard_count}, &limiter);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return limiter;
}

// A single-shard table of four keys makes eviction order observable.
std::unique_ptr<RateLimiter> TinyLimiter(TableFullPolicy policy) {
  return MakeLimiter({{"tiny", 10, 10 * kSecondNs, 4, policy}}, 1);
}

TEST(RateLimiterTest, BurstOfLimitThenDenied) {
  auto limiter = MakeLimiter(AuthRules());
  for (int64_t i = 0; i < 20; ++i) {
    const Decision decision = limiter->Check("login_ip", "203.0.113.7", kStartNs);
    ASSERT_TRUE(decision.allowed) << i;
    EXPECT_EQ(decision.verdict, Verdict::kAllowed);
    EXPECT_EQ(decision.retry_after_ns, 0);
    EXPECT_EQ(decision.remaining, 19 - i);
  }
  const Decision denied = limiter->Check("login_ip", "203.0.113.7", kStartNs);
  EXPECT_FALSE(denied.allowed);
  EXPECT_EQ(denied.verdict, Verdict::kOverLimit);
  EXPECT_EQ(denied.retry_after_ns, 3 * kSecondNs);  // one emission interval: 60 s / 20
  EXPECT_EQ(denied.remaining, 0);
}

TEST(RateLimiterTest, ExactCountsAtTheIntervalEdge) {
  auto limiter = MakeLimiter(AuthRules());
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(limiter->Check("login_account", "alice", kStartNs).allowed);
  const int64_t interval_ns = 3 * kMinuteNs;  // 15 min / 5
  const Decision early = limiter->Check("login_account", "alice", kStartNs + interval_ns - 1);
  EXPECT_FALSE(early.allowed);
  EXPECT_EQ(early.retry_after_ns, 1);
  EXPECT_TRUE(limiter->Check("login_account", "alice", kStartNs + interval_ns).allowed);
  EXPECT_FALSE(limiter->Check("login_account", "alice", kStartNs + interval_ns).allowed);
  // A full period after the burst's last unit was earned back, the whole burst is available.
  const int64_t refilled_ns = kStartNs + interval_ns + 15 * kMinuteNs;
  EXPECT_FALSE(limiter->Check("login_account", "alice", refilled_ns - 1, 5).allowed);
  const Decision full = limiter->Check("login_account", "alice", refilled_ns, 5);
  EXPECT_TRUE(full.allowed);
  EXPECT_EQ(full.remaining, 0);
}

TEST(RateLimiterTest, RollingWindowAdmitsBurstPlusRefill) {
  // One request a second for a minute against 20 per 60 s: the first 29 pass (the burst of 20
  // plus the 9 units earned back meanwhile), then one every 3 s. In total limit + floor(59 / 3).
  auto limiter = MakeLimiter(AuthRules());
  int64_t allowed = 0;
  for (int64_t second = 0; second < 60; ++second) {
    const bool ok =
        limiter->Check("login_ip", "198.51.100.1", kStartNs + second * kSecondNs).allowed;
    const bool expected = second <= 28 || second % 3 == 0;
    EXPECT_EQ(ok, expected) << second;
    allowed += ok;
  }
  EXPECT_EQ(allowed, 20 + 59 / 3);
}

TEST(RateLimiterTest, RetryAfterIsExactForEveryCost) {
  auto limiter = MakeLimiter(AuthRules());
  ASSERT_TRUE(limiter->Check("otp_phone", "13812345678", kStartNs, 4).allowed);
  // One unit left; a cost of 3 needs two more intervals of 12 minutes.
  const Decision denied = limiter->Check("otp_phone", "13812345678", kStartNs, 3);
  EXPECT_FALSE(denied.allowed);
  EXPECT_EQ(denied.remaining, 1);
  EXPECT_EQ(denied.retry_after_ns, 2 * 12 * kMinuteNs);
  const int64_t retry_ns = kStartNs + denied.retry_after_ns;
  EXPECT_FALSE(limiter->Check("otp_phone", "13812345678", retry_ns - 1, 3).allowed);
  const Decision allowed = limiter->Check("otp_phone", "13812345678", retry_ns, 3);
  EXPECT_TRUE(allowed.allowed);
  EXPECT_EQ(allowed.remaining, 0);
}

TEST(RateLimiterTest, CostAboveOne) {
  auto limiter = MakeLimiter(AuthRules());
  EXPECT_EQ(limiter->Check("otp_ip", "203.0.113.9", kStartNs, 10).remaining, 20);
  EXPECT_EQ(limiter->Check("otp_ip", "203.0.113.9", kStartNs, 10).remaining, 10);
  EXPECT_EQ(limiter->Check("otp_ip", "203.0.113.9", kStartNs, 10).remaining, 0);
  const Decision denied = limiter->Check("otp_ip", "203.0.113.9", kStartNs, 1);
  EXPECT_FALSE(denied.allowed);
  EXPECT_EQ(denied.retry_after_ns, 2 * kMinuteNs);  // 60 min / 30
}

TEST(RateLimiterTest, CostAboveLimitIsNeverAllowedAndTracksNothing) {
  auto limiter = MakeLimiter(AuthRules());
  const Decision decision = limiter->Check("otp_phone", "13812345678", kStartNs, 6);
  EXPECT_FALSE(decision.allowed);
  EXPECT_EQ(decision.verdict, Verdict::kCostAboveLimit);
  EXPECT_EQ(decision.retry_after_ns, RateLimiter::kNeverNs);
  EXPECT_EQ(decision.remaining, 5);
  EXPECT_EQ(limiter->Stats("otp_phone").keys, 0);
}

TEST(RateLimiterTest, RefillsOneUnitPerInterval) {
  auto limiter = MakeLimiter(AuthRules());
  ASSERT_TRUE(limiter->Check("otp_ip", "k", kStartNs, 30).allowed);
  for (int64_t minutes = 2; minutes <= 60; minutes += 2) {
    // Probe with a cost that is just too high: remaining reports what has been earned back.
    const Decision probe = limiter->Check("otp_ip", "k", kStartNs + minutes * kMinuteNs - 1, 30);
    EXPECT_EQ(probe.remaining, minutes / 2 - 1) << minutes;
  }
  const Decision later = limiter->Check("otp_ip", "k", kStartNs + 5 * kHourNs, 30);
  EXPECT_TRUE(later.allowed);  // the budget refills to the burst and no further
  EXPECT_FALSE(limiter->Check("otp_ip", "k", kStartNs + 5 * kHourNs).allowed);
}

TEST(RateLimiterTest, KeysAndRulesAreIndependent) {
  auto limiter = MakeLimiter(AuthRules());
  ASSERT_TRUE(limiter->Check("login_account", "alice", kStartNs, 5).allowed);
  EXPECT_FALSE(limiter->Check("login_account", "alice", kStartNs).allowed);
  EXPECT_TRUE(limiter->Check("login_account", "bob", kStartNs).allowed);
  EXPECT_TRUE(limiter->Check("otp_phone", "alice", kStartNs).allowed);
}

TEST(RateLimiterTest, ClockGoingBackwardsOnlyTightens) {
  auto limiter = MakeLimiter(AuthRules());
  ASSERT_TRUE(limiter->Check("login_account", "alice", kStartNs, 5).allowed);
  const Decision behind = limiter->Check("login_account", "alice", kStartNs - kMinuteNs);
  EXPECT_FALSE(behind.allowed);
  EXPECT_EQ(behind.remaining, 0);
  EXPECT_EQ(behind.retry_after_ns, 4 * kMinuteNs);
}

TEST(RateLimiterTest, DecayedKeysAreReplacedFirst) {
  auto limiter = TinyLimiter(TableFullPolicy::kRefuseNewKeys);  // interval 1 s, burst 10
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(limiter->Check("tiny", "k" + std::to_string(i), kStartNs, 2 + 2 * i).allowed);
  }
  // k0 owes 2 s; after that it has decayed and its slot goes to a newcomer without loss.
  EXPECT_EQ(limiter->Check("tiny", "new", kStartNs + 2 * kSecondNs - 1).verdict,
            Verdict::kTableFull);
  EXPECT_TRUE(limiter->Check("tiny", "new", kStartNs + 2 * kSecondNs).allowed);
  RuleStats stats = limiter->Stats("tiny");
  EXPECT_EQ(stats.keys, 4);
  EXPECT_EQ(stats.evicted_decayed, 1);
  EXPECT_EQ(stats.evicted_live, 0);
  EXPECT_EQ(stats.refused_table_full, 1);
  // The tracked keys kept their debts: k3 spent 8 of 10 two seconds ago.
  EXPECT_EQ(limiter->Check("tiny", "k3", kStartNs + 2 * kSecondNs, 5).remaining, 4);
}

TEST(RateLimiterTest, FailClosedRefusesNewKeysUntilTheSmallestDebtDecays) {
  auto limiter = TinyLimiter(TableFullPolicy::kRefuseNewKeys);
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(limiter->Check("tiny", "k" + std::to_string(i), kStartNs, 3 + i).allowed);
  }
  const Decision refused = limiter->Check("tiny", "newcomer", kStartNs + kSecondNs);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.verdict, Verdict::kTableFull);
  EXPECT_EQ(refused.remaining, 0);
  EXPECT_EQ(refused.retry_after_ns, 2 * kSecondNs);  // k0 owes 3 s from the start
  // Tracked keys carry on unaffected.
  EXPECT_TRUE(limiter->Check("tiny", "k3", kStartNs + kSecondNs).allowed);
  EXPECT_TRUE(
      limiter->Check("tiny", "newcomer", kStartNs + kSecondNs + refused.retry_after_ns).allowed);
  EXPECT_EQ(limiter->Stats("tiny").evicted_live, 0);
}

TEST(RateLimiterTest, EvictionForgetsTheSmallestDebt) {
  auto limiter = TinyLimiter(TableFullPolicy::kEvictSmallestDebt);
  // k1 has the smallest debt (1 s); k0 was used first but owes the most.
  ASSERT_TRUE(limiter->Check("tiny", "k0", kStartNs, 10).allowed);
  ASSERT_TRUE(limiter->Check("tiny", "k1", kStartNs, 1).allowed);
  ASSERT_TRUE(limiter->Check("tiny", "k2", kStartNs, 5).allowed);
  ASSERT_TRUE(limiter->Check("tiny", "k3", kStartNs, 6).allowed);
  EXPECT_TRUE(limiter->Check("tiny", "k4", kStartNs, 7).allowed);
  const RuleStats stats = limiter->Stats("tiny");
  EXPECT_EQ(stats.keys, 4);
  EXPECT_EQ(stats.evicted_live, 1);
  EXPECT_FALSE(limiter->Check("tiny", "k0", kStartNs).allowed);  // still remembered
  EXPECT_EQ(limiter->Check("tiny", "k2", kStartNs).remaining, 4);
  EXPECT_TRUE(limiter->Check("tiny", "k1", kStartNs, 10).allowed);  // forgotten: a full burst
}

TEST(RateLimiterTest, FloodOfFreshKeysDoesNotResetAnExhaustedKey) {
  auto limiter = TinyLimiter(TableFullPolicy::kEvictSmallestDebt);
  ASSERT_TRUE(limiter->Check("tiny", "attacker", kStartNs, 10).allowed);
  for (int i = 0; i < 10'000; ++i) {
    ASSERT_TRUE(limiter->Check("tiny", "flood" + std::to_string(i), kStartNs).allowed);
  }
  const Decision decision = limiter->Check("tiny", "attacker", kStartNs);
  EXPECT_FALSE(decision.allowed);
  EXPECT_EQ(decision.retry_after_ns, kSecondNs);
  EXPECT_EQ(limiter->Stats("tiny").keys, 4);
}

// Under kRefuseNewKeys every outcome is determined (which decayed key gets replaced does not
// matter: a decayed key behaves as an absent one), so a plain map of TATs with a linear scan for
// the smallest is an exact model of the heap-based table.
TEST(RateLimiterTest, MatchesASimpleModelOnRandomTraffic) {
  constexpr int64_t kLimit = 6;
  constexpr int64_t kIntervalNs = kSecondNs;
  constexpr size_t kMaxKeys = 8;
  auto limiter = MakeLimiter(
      {{"r", kLimit, kLimit * kIntervalNs, kMaxKeys, TableFullPolicy::kRefuseNewKeys}}, 1);
  std::map<int, int64_t> model_tat_ns;
  std::mt19937_64 random(20240601);
  int64_t now_ns = kStartNs;
  for (int step = 0; step < 200'000; ++step) {
    now_ns += static_cast<int64_t>(random() % (kIntervalNs / 2));
    const int key = static_cast<int>(random() % 20);
    const int64_t cost = 1 + static_cast<int64_t>(random() % 4);
    Decision expected{.allowed = true, .verdict = Verdict::kAllowed};
    auto found = model_tat_ns.find(key);
    if (found == model_tat_ns.end() && model_tat_ns.size() == kMaxKeys) {
      auto smallest = std::min_element(model_tat_ns.begin(), model_tat_ns.end(),
                                       [](auto& a, auto& b) { return a.second < b.second; });
      if (smallest->second > now_ns) {
        expected = {.retry_after_ns = smallest->second - now_ns, .verdict = Verdict::kTableFull};
      } else {
        model_tat_ns.erase(smallest);
      }
    }
    if (expected.allowed) {
      const int64_t start_ns =
          found == model_tat_ns.end() ? now_ns : std::max(found->second, now_ns);
      const int64_t available = (kLimit * kIntervalNs - (start_ns - now_ns)) / kIntervalNs;
      const int64_t new_tat_ns = start_ns + cost * kIntervalNs;
      expected.remaining = available - cost;
      if (new_tat_ns - now_ns > kLimit * kIntervalNs) {
        expected = {.retry_after_ns = new_tat_ns - kLimit * kIntervalNs - now_ns,
                    .remaining = available,
                    .verdict = Verdict::kOverLimit};
      } else {
        model_tat_ns[key] = new_tat_ns;
      }
    }
    const Decision actual = limiter->Check("r", "key" + std::to_string(key), now_ns, cost);
    ASSERT_EQ(actual.allowed, expected.allowed) << step;
    ASSERT_EQ(actual.verdict, expected.verdict) << step;
    ASSERT_EQ(actual.retry_after_ns, expected.retry_after_ns) << step;
    ASSERT_EQ(actual.remaining, expected.remaining) << step;
  }
  const RuleStats stats = limiter->Stats("r");
  EXPECT_GT(stats.refused_table_full, 0);
  EXPECT_GT(stats.evicted_decayed, 0);
}

TEST(RateLimiterTest, KeyCountNeverExceedsMaxKeys) {
  for (const TableFullPolicy policy :
       {TableFullPolicy::kRefuseNewKeys, TableFullPolicy::kEvictSmallestDebt}) {
    // 100 is not a multiple of 16: the shard capacities must still add up to exactly 100.
    auto limiter = MakeLimiter({{"ip", 20, kMinuteNs, 100, policy}});
    ManualClock clock(kStartNs);
    int64_t allowed = 0;
    for (int i = 0; i < 20'000; ++i) {
      allowed += limiter->Check("ip", "key" + std::to_string(i), clock.NowNs()).allowed;
      clock.Advance(kSecondNs / 1000);
      ASSERT_LE(limiter->Stats("ip").keys, 100) << i;
    }
    const RuleStats stats = limiter->Stats("ip");
    if (policy == TableFullPolicy::kEvictSmallestDebt) {
      EXPECT_EQ(stats.keys, 100);
      EXPECT_EQ(allowed, 20'000);
    } else {
      // Each key owes 3 s and a key arrives every millisecond: once the table is full, a slot
      // frees up only as a debt decays, so most newcomers are refused.
      EXPECT_GT(stats.refused_table_full, 0);
      EXPECT_GT(stats.evicted_decayed, 0);
      EXPECT_EQ(allowed + stats.refused_table_full, 20'000);
    }
  }
}

TEST(RateLimiterTest, ThreadsHammeringOneKeyGetExactlyTheLimit) {
  auto limiter = MakeLimiter(AuthRules());
  constexpr int kThreads = 8;
  constexpr int kAttemptsPerThread = 5'000;
  std::atomic<int64_t> allowed{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      while (!go.load()) std::this_thread::yield();
      for (int i = 0; i < kAttemptsPerThread; ++i) {
        if (limiter->Check("login_ip", "203.0.113.66", kStartNs).allowed) allowed++;
        // Unrelated keys on other shards at the same time.
        limiter->Check("otp_ip", "other" + std::to_string(i % 50), kStartNs);
      }
    });
  }
  go.store(true);
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(allowed.load(), 20);
  EXPECT_EQ(limiter->Stats("login_ip").keys, 1);
  EXPECT_EQ(limiter->Stats("otp_ip").keys, 50);
}

TEST(RateLimiterTest, ThreadsWithManyKeysRespectTheBound) {
  auto limiter = MakeLimiter({{"ip", 4, 4 * kSecondNs, 64, TableFullPolicy::kEvictSmallestDebt}});
  ManualClock clock(kStartNs);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20'000; ++i) {
        limiter->Check("ip", std::to_string(t) + ":" + std::to_string(i % 500), clock.NowNs());
        if (i % 100 == 0) clock.Advance(kSecondNs / 10);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(limiter->Stats("ip").keys, 64);
}

TEST(RateLimiterTest, CreateRejectsBadConfigurations) {
  std::unique_ptr<RateLimiter> limiter;
  auto create = [&](RuleConfig rule, int32_t shard_count = 16) {
    return RateLimiter::Create({std::move(rule)}, {.shard_count = shard_count}, &limiter).code();
  };
  constexpr auto kInvalid = Status::Code::kInvalidArgument;
  EXPECT_EQ(create({"", 5, kMinuteNs, 100}), kInvalid);
  EXPECT_EQ(create({"r", 0, kMinuteNs, 100}), kInvalid);
  EXPECT_EQ(create({"r", 7, kMinuteNs + 1, 100}), kInvalid);  // the interval would round
  EXPECT_EQ(create({"r", 5, 0, 100}), kInvalid);
  EXPECT_EQ(create({"r", 5, RateLimiter::kMaxPeriodNs + 5, 100}), kInvalid);
  EXPECT_EQ(create({"r", 5, kMinuteNs, 15}), kInvalid);  // fewer keys than shards
  EXPECT_EQ(create({"r", 5, kMinuteNs, RateLimiter::kMaxKeysPerRule + 1}), kInvalid);
  EXPECT_EQ(create({"r", 5, kMinuteNs, 100}, 0), kInvalid);
  EXPECT_EQ(create({"r", 5, kMinuteNs, 100}, 12), kInvalid);
  EXPECT_EQ(create({"r", 5, kMinuteNs, 100}, 512), kInvalid);
  EXPECT_EQ(create({"r", 5, kMinuteNs, 15}, 8), Status::Code::kOk);
  EXPECT_EQ(RateLimiter::Create({{"r", 5, kMinuteNs, 100}, {"r", 5, kMinuteNs, 100}}, {}, &limiter)
                .code(),
            kInvalid);
}

TEST(RateLimiterDeathTest, UnknownRuleIsAProgrammerError) {
  auto limiter = MakeLimiter(AuthRules());
  EXPECT_DEATH(limiter->Check("no_such_rule", "k", kStartNs), "configured");
  EXPECT_DEATH(limiter->Check("login_ip", "k", kStartNs, 0), "cost");
}

}  // namespace
}  // namespace qb::ratelimit
