#include "webhook/delivery_log.h"

#include "base/assert.h"

namespace qb::webhook {

std::string_view DeliveryOutcomeName(DeliveryOutcome outcome) {
  switch (outcome) {
    case DeliveryOutcome::kDelivered:
      return "delivered";
    case DeliveryOutcome::kRetryScheduled:
      return "retry_scheduled";
    case DeliveryOutcome::kFailed:
      return "failed";
  }
  return "unknown";
}

InMemoryDeliveryLog::InMemoryDeliveryLog(size_t capacity) : capacity_(capacity) {
  QB_ASSERT(capacity_ > 0);
}

void InMemoryDeliveryLog::Record(const DeliveryAttempt& attempt) {
  std::lock_guard lock(mutex_);
  if (attempts_.size() == capacity_) {
    attempts_.pop_front();
    ++dropped_;
  }
  attempts_.push_back(attempt);
  QB_ASSERT(attempts_.size() <= capacity_);
}

std::vector<DeliveryAttempt> InMemoryDeliveryLog::Attempts() const {
  std::lock_guard lock(mutex_);
  return {attempts_.begin(), attempts_.end()};
}

std::vector<DeliveryAttempt> InMemoryDeliveryLog::AttemptsFor(std::string_view event_id) const {
  std::vector<DeliveryAttempt> result;
  std::lock_guard lock(mutex_);
  for (const DeliveryAttempt& attempt : attempts_) {
    if (attempt.event_id == event_id) result.push_back(attempt);
  }
  return result;
}

uint64_t InMemoryDeliveryLog::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

}  // namespace qb::webhook
