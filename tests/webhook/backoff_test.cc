#include "webhook/backoff.h"

#include <gtest/gtest.h>

#include <vector>

namespace qb::webhook {
namespace {

constexpr int64_t kSecond = kNanosPerSecond;

TEST(Fnv1a64Test, KnownAnswers) {
  EXPECT_EQ(Fnv1a64(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(Fnv1a64("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(Fnv1a64("foobar"), 0x85944171f73967e8ULL);
}

TEST(RetryDelayTest, DoublesUpToTheCapWithoutJitter) {
  RetryPolicy policy;
  policy.jitter_percent = 0;
  const std::vector<int64_t> expected_s = {5,   10,  20,   40,   80,   160,
                                           320, 640, 1280, 2560, 3600, 3600};
  for (uint32_t attempt = 1; attempt <= expected_s.size(); ++attempt) {
    EXPECT_EQ(RetryDelayNs(attempt, "evt_01", policy), expected_s[attempt - 1] * kSecond)
        << attempt;
  }
}

// Values computed independently (Python): exponential - FNV-1a("evt_01:<n>") % (spread + 1).
TEST(RetryDelayTest, DefaultPolicyWithJitterExactly) {
  const RetryPolicy policy;
  const std::vector<int64_t> expected_ns = {
      4'551'320'623,     9'966'786'369,     19'895'452'557,    36'557'459'524,
      72'155'904'087,    154'245'824'764,   302'511'714'815,   628'842'332'943,
      1'257'275'084'246, 2'464'548'275'341, 3'556'053'959'369,
  };
  for (uint32_t attempt = 1; attempt <= expected_ns.size(); ++attempt) {
    EXPECT_EQ(RetryDelayNs(attempt, "evt_01", policy), expected_ns[attempt - 1]) << attempt;
  }
}

TEST(RetryDelayTest, JitterStaysWithinItsBandAndDependsOnTheEvent) {
  const RetryPolicy policy;
  int64_t previous = -1;
  bool differs = false;
  for (int i = 0; i < 200; ++i) {
    int64_t delay = RetryDelayNs(3, "evt_" + std::to_string(i), policy);
    EXPECT_LE(delay, 20 * kSecond);
    EXPECT_GE(delay, 18 * kSecond);
    differs = differs || (previous >= 0 && delay != previous);
    previous = delay;
  }
  EXPECT_TRUE(differs);
}

TEST(RetryDelayTest, HugeAttemptNumbersStayAtTheCap) {
  RetryPolicy policy;
  policy.jitter_percent = 0;
  EXPECT_EQ(RetryDelayNs(64, "e", policy), 3600 * kSecond);
  EXPECT_EQ(RetryDelayNs(4'000'000'000u, "e", policy), 3600 * kSecond);
  policy.max_delay_ns = 7 * 24 * 3600 * kSecond;
  policy.base_delay_ns = 1;
  policy.jitter_percent = 100;
  EXPECT_LE(RetryDelayNs(100, "e", policy), policy.max_delay_ns);
  EXPECT_GE(RetryDelayNs(100, "e", policy), 0);
}

TEST(RetryPolicyTest, Validation) {
  EXPECT_TRUE(ValidateRetryPolicy(RetryPolicy{}).ok());
  RetryPolicy policy;
  policy.base_delay_ns = 0;
  EXPECT_EQ(ValidateRetryPolicy(policy).code(), Status::Code::kInvalidArgument);
  policy = RetryPolicy{};
  policy.max_delay_ns = policy.base_delay_ns - 1;
  EXPECT_EQ(ValidateRetryPolicy(policy).code(), Status::Code::kInvalidArgument);
  policy = RetryPolicy{};
  policy.max_delay_ns = 8 * 24 * 3600 * kSecond;
  EXPECT_EQ(ValidateRetryPolicy(policy).code(), Status::Code::kInvalidArgument);
  policy = RetryPolicy{};
  policy.max_attempts = 0;
  EXPECT_EQ(ValidateRetryPolicy(policy).code(), Status::Code::kInvalidArgument);
  policy.max_attempts = kMaxAttemptsLimit + 1;
  EXPECT_EQ(ValidateRetryPolicy(policy).code(), Status::Code::kInvalidArgument);
  policy = RetryPolicy{};
  policy.jitter_percent = 101;
  EXPECT_EQ(ValidateRetryPolicy(policy).code(), Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace qb::webhook
