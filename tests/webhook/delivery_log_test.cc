#include "webhook/delivery_log.h"

#include <gtest/gtest.h>

namespace qb::webhook {
namespace {

DeliveryAttempt AttemptOf(std::string event_id, uint32_t number) {
  DeliveryAttempt attempt;
  attempt.event_id = std::move(event_id);
  attempt.attempt = number;
  return attempt;
}

TEST(InMemoryDeliveryLogTest, KeepsTheLatestAttemptsInOrder) {
  InMemoryDeliveryLog log(3);
  log.Record(AttemptOf("a", 1));
  log.Record(AttemptOf("b", 1));
  log.Record(AttemptOf("a", 2));
  EXPECT_EQ(log.dropped(), 0u);
  log.Record(AttemptOf("a", 3));
  std::vector<DeliveryAttempt> attempts = log.Attempts();
  ASSERT_EQ(attempts.size(), 3u);
  EXPECT_EQ(attempts[0].event_id, "b");
  EXPECT_EQ(attempts[2].attempt, 3u);
  EXPECT_EQ(log.dropped(), 1u);
  std::vector<DeliveryAttempt> for_a = log.AttemptsFor("a");
  ASSERT_EQ(for_a.size(), 2u);
  EXPECT_EQ(for_a[0].attempt, 2u);
  EXPECT_EQ(for_a[1].attempt, 3u);
}

TEST(InMemoryDeliveryLogTest, OutcomeNamesAreStable) {
  EXPECT_EQ(DeliveryOutcomeName(DeliveryOutcome::kDelivered), "delivered");
  EXPECT_EQ(DeliveryOutcomeName(DeliveryOutcome::kRetryScheduled), "retry_scheduled");
  EXPECT_EQ(DeliveryOutcomeName(DeliveryOutcome::kFailed), "failed");
}

}  // namespace
}  // namespace qb::webhook
