// The visible record of webhook deliveries: one DeliveryAttempt per HTTP attempt, for the
// merchant portal ("why didn't my server get the payment notice?") and for support.
//
// The dispatcher reports to a DeliveryLog the caller supplies; InMemoryDeliveryLog keeps the
// most recent attempts in a bounded ring, for tests and for the server until the log is kept in
// SQL.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace qb::webhook {

// Error texts are cut to this many bytes, so one attempt's record has a bounded size.
inline constexpr size_t kMaxErrorBytes = 256;

enum class DeliveryOutcome : uint8_t {
  kDelivered = 0,   // the merchant answered 2xx
  kRetryScheduled,  // not acknowledged; the next attempt is at next_attempt_ns
  kFailed,          // not acknowledged and no attempts left; only a manual re-send remains
};

// "delivered", "retry_scheduled", "failed". Stable: they may be stored.
std::string_view DeliveryOutcomeName(DeliveryOutcome outcome);

struct DeliveryAttempt {
  std::string event_id;
  uint64_t merchant_id = 0;
  uint32_t attempt = 0;     // 1-based, counted over the event's whole life (re-sends continue it)
  int64_t started_ns = 0;   // Clock time (Unix epoch) when the attempt began
  int64_t duration_ns = 0;  // measured on the monotonic clock
  int32_t http_status = 0;  // 0 when no response was read
  std::string error;        // empty when delivered; at most kMaxErrorBytes, never the body
  DeliveryOutcome outcome = DeliveryOutcome::kFailed;
  int64_t next_attempt_ns = 0;  // Clock time of the retry, for kRetryScheduled; 0 otherwise
};

class DeliveryLog {
 public:
  virtual ~DeliveryLog() = default;
  // Called once per attempt, in attempt order for any one event, from the dispatcher's worker
  // threads (several at once) and with no dispatcher lock held. Must be thread-safe and should
  // be quick: a worker does not start another attempt until it returns.
  virtual void Record(const DeliveryAttempt& attempt) = 0;
};

// Keeps the latest `capacity` attempts; older ones are dropped. Thread-safe.
class InMemoryDeliveryLog final : public DeliveryLog {
 public:
  // Precondition: capacity > 0.
  explicit InMemoryDeliveryLog(size_t capacity);

  void Record(const DeliveryAttempt& attempt) override;

  // The attempts kept, oldest first.
  std::vector<DeliveryAttempt> Attempts() const;
  // The attempts kept for one event, oldest first.
  std::vector<DeliveryAttempt> AttemptsFor(std::string_view event_id) const;
  // How many attempts were dropped to stay within capacity.
  uint64_t dropped() const;

 private:
  const size_t capacity_;
  mutable std::mutex mutex_;
  std::deque<DeliveryAttempt> attempts_;  // guarded by mutex_; size() <= capacity_
  uint64_t dropped_ = 0;                  // guarded by mutex_
};

}  // namespace qb::webhook
