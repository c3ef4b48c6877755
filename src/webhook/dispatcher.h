// Delivers signed webhooks to merchants: POST, then retry with exponential backoff until the
// merchant acknowledges with a 2xx, for at most RetryPolicy::max_attempts attempts.
//
// Each attempt is an HTTP/1.1 POST of the event's body (Content-Type application/json,
// User-Agent qianbao-webhook/1) with the QB-Webhook-Id and QB-Signature headers described in
// webhook_signature.h, signed with the time of the attempt. Acknowledged means a 2xx status;
// anything else (another status, a redirect, a timeout, a refused connection, an address the URL
// policy refuses) is a failed attempt. One deadline, attempt_timeout_ns, covers the whole
// attempt: resolve, connect, write and read. Response bodies are read up to 4 KiB and ignored.
// Every attempt is reported to the DeliveryLog.
//
// Delivery is at least once: a merchant that acknowledged too slowly sees the event again, and a
// re-send repeats it on purpose; merchants dedupe on QB-Webhook-Id.
//
// Security: merchant URLs must not let anyone probe our internal network (SSRF); see
// url_policy.h. Unless options.allow_private_networks is set, a URL whose host is a non-public
// IP literal is refused at Enqueue, and a host name is resolved before every attempt and refused
// if any of its addresses is non-public. Tests set the flag because their receiver listens on
// loopback; production leaves it off.
//
// State is in memory only: deliveries still pending when the dispatcher stops are lost. The
// caller keeps the durable outbox (the DeliveryLog sees every attempt) and enqueues again after
// a restart with the attempts already made (the event id makes that safe for merchants). Memory is
// bounded: at most max_pending deliveries not yet finished, plus the max_finished most recently
// finished ones, kept so they can be re-sent and shown.
//
// Thread-safety: every public method may be called from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "webhook/backoff.h"
#include "webhook/delivery_log.h"
#include "webhook/url_policy.h"

namespace qb::webhook::internal {
struct PostResult;
}  // namespace qb::webhook::internal

namespace qb::webhook {

// Event ids go into a header: 1-64 characters of [A-Za-z0-9_-].
inline constexpr size_t kMaxEventIdBytes = 64;
inline constexpr size_t kMaxSecretBytes = 256;
inline constexpr size_t kMaxBodyBytes = 64 * 1024;
inline constexpr uint32_t kMaxWorkers = 16;
inline constexpr uint32_t kMaxAttemptsMade = 1'000'000;  // WebhookEvent::attempts_made is below

struct WebhookEvent {
  std::string event_id;  // unique per event; the merchant's dedupe key
  uint64_t merchant_id = 0;
  std::string url;     // see url_policy.h for the grammar
  std::string secret;  // the merchant's webhook secret, 1-256 bytes
  std::string body;    // JSON, sent as is, at most kMaxBodyBytes

  // After the merchant rotated its secret: the one before, 0-256 bytes (empty: none). Every
  // attempt started before `previous_valid_until_ns` (Clock time) is signed with both, the
  // current secret first (see webhook_signature.h); later ones with `secret` alone.
  std::string previous_secret;
  int64_t previous_valid_until_ns = 0;

  // For a delivery begun before a restart (the caller's durable outbox says how far it got):
  // the attempts already made, so numbering continues and the retry limit counts them, and when
  // the next attempt is due (0, or a time past: now).
  uint32_t attempts_made = 0;
  int64_t next_attempt_ns = 0;
  // A manual re-send of a delivery the dispatcher no longer remembers: one attempt, no retries
  // (as Resend does for one it remembers).
  bool single_attempt = false;
};

struct DispatcherOptions {
  RetryPolicy retry;
  int64_t attempt_timeout_ns = 5 * kNanosPerSecond;  // 1 ms .. 60 s
  uint32_t workers = 2;                              // 1 .. kMaxWorkers concurrent attempts
  size_t max_pending = 1024;   // deliveries not yet delivered or failed, 1 .. 1'000'000
  size_t max_finished = 1024;  // finished deliveries remembered for Resend and Find
  bool allow_private_networks = false;
};

enum class DeliveryState : uint8_t { kPending = 0, kDelivered, kFailed };

// "pending", "delivered", "failed".
std::string_view DeliveryStateName(DeliveryState state);

// What the merchant portal shows for one event. Never includes the secret or the body.
struct DeliveryStatus {
  std::string event_id;
  uint64_t merchant_id = 0;
  std::string url;
  DeliveryState state = DeliveryState::kPending;
  uint32_t attempts = 0;         // made so far
  int32_t last_http_status = 0;  // of the latest attempt; 0 when none answered
  std::string last_error;        // of the latest attempt; empty when none failed
  int64_t next_attempt_ns = 0;   // Clock time; 0 unless pending
};

class WebhookDispatcher {
 public:
  // Validates the options and starts the workers. `clock` and `log` must outlive the
  // dispatcher. kInvalidArgument for options out of range.
  static Status Create(DispatcherOptions options, const Clock* clock, DeliveryLog* log,
                       std::unique_ptr<WebhookDispatcher>* out);

  // Stops the workers (see Stop).
  ~WebhookDispatcher();

  WebhookDispatcher(const WebhookDispatcher&) = delete;
  WebhookDispatcher& operator=(const WebhookDispatcher&) = delete;

  // Queues the first attempt (or, resuming, the next one; see WebhookEvent) for now.
  //   kInvalidArgument: a malformed event id, secret, body or URL (https included, for now), a
  //                     URL with a non-public IP literal under the default policy, or an event
  //                     id the dispatcher already knows (use Resend to deliver it again).
  //   kIoError:         max_pending deliveries are already pending ("queue full"), or the
  //                     dispatcher is stopped. Nothing was queued; the caller retries later.
  //                     (Status has no more specific code for "busy"; the message says which.)
  Status Enqueue(WebhookEvent event);

  // The manual re-send, for an event that is delivered or failed: one more attempt, now. The
  // attempt numbers continue from the earlier ones. If that attempt fails the event is failed
  // again, without automatic retries: a merchant fixing its endpoint presses the button again,
  // and a dead endpoint is not hammered by a fresh series of retries each time.
  // For a pending event, brings its next attempt forward to now (if one is not under way).
  //   kNotFound: the event is unknown, or finished so long ago that it was forgotten.
  //   kIoError:  the queue is full or the dispatcher is stopped.
  Status Resend(std::string_view event_id);

  // After a rotation: every remembered delivery for `merchant_id` signs its later attempts with
  // these (see WebhookEvent) instead of what it was queued with. An attempt already under way
  // keeps the secrets it started with. Returns how many deliveries changed.
  size_t UpdateSecrets(uint64_t merchant_id, const std::string& secret,
                       const std::string& previous_secret, int64_t previous_valid_until_ns);

  // The status of one event, or nullopt if unknown or forgotten.
  std::optional<DeliveryStatus> Find(std::string_view event_id) const;

  // Every event remembered: the pending ones and the most recent finished ones, by event id.
  std::vector<DeliveryStatus> Snapshot() const;

  // Stops promptly: waiting backoffs are abandoned and an attempt under way is cut short within
  // a few tens of milliseconds (it is neither counted nor logged). Idempotent; later Enqueue and
  // Resend calls fail. Blocks until the workers have exited, so it must not be called from
  // DeliveryLog::Record. One exception to "promptly": a host name whose DNS lookup is under way
  // holds Stop until the system resolver gives up (getaddrinfo cannot be cancelled).
  void Stop();

 private:
  struct Delivery {
    WebhookEvent event;
    WebhookUrl url;
    DeliveryState state = DeliveryState::kPending;
    uint32_t attempts = 0;
    uint32_t attempt_limit = 0;  // the event fails when attempts reaches it unacknowledged
    int64_t next_attempt_ns = 0;
    bool in_flight = false;     // a worker is making an attempt; it alone may change the entry
    uint64_t finished_seq = 0;  // position in finished_, when not pending
    int32_t last_http_status = 0;
    std::string last_error;
  };

  // What one attempt needs, copied out of its Delivery.
  struct AttemptInput {
    WebhookUrl url;
    std::string secret;
    std::string previous_secret;
    int64_t previous_valid_until_ns = 0;
    std::string body;
    uint64_t merchant_id = 0;
    uint32_t attempt_number = 0;
    uint32_t attempt_limit = 0;
  };

  WebhookDispatcher(DispatcherOptions options, const Clock* clock, DeliveryLog* log);

  void WorkerLoop();
  // Makes one attempt for `event_id`, which the caller has marked in flight, logs it, and
  // records its outcome. The lock is not held on entry.
  void Attempt(const std::string& event_id);
  AttemptInput CopyAttemptInput(const std::string& event_id);
  internal::PostResult Post(const std::string& event_id, const AttemptInput& input,
                            int64_t started_ns);
  // Takes the attempt out of flight and schedules the retry or finishes the delivery.
  void Complete(const DeliveryAttempt& record, std::string error);
  void ScheduleLocked(const std::string& event_id, Delivery& delivery, int64_t at_ns);
  void FinishLocked(const std::string& event_id, Delivery& delivery, DeliveryState state);
  void ForgetOldestFinishedLocked();
  size_t PendingCountLocked() const { return deliveries_.size() - finished_.size(); }
  static DeliveryStatus StatusOf(const std::string& event_id, const Delivery& delivery);

  const DispatcherOptions options_;
  const Clock* const clock_;
  DeliveryLog* const log_;
  std::atomic<bool> stopping_{false};  // also read, without the lock, by attempts under way
  std::once_flag stop_once_;
  std::vector<std::thread> workers_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;  // signalled on Enqueue, Resend, a new retry, and Stop
  // All remembered deliveries by event id. Guarded by mutex_.
  std::map<std::string, Delivery, std::less<>> deliveries_;
  // Pending deliveries not in flight, by (next attempt time, event id). Guarded by mutex_.
  std::set<std::pair<int64_t, std::string>> schedule_;
  // Finished deliveries by (finish order, event id), oldest first. Guarded by mutex_.
  std::set<std::pair<uint64_t, std::string>> finished_;
  uint64_t next_finished_seq_ = 1;  // guarded by mutex_
};

}  // namespace qb::webhook
