#include "webhook/dispatcher.h"

#include <algorithm>
#include <chrono>
#include <span>

#include "base/assert.h"
#include "webhook/http_post_internal.h"
#include "webhook/webhook_signature.h"

namespace qb::webhook {
namespace {

constexpr int64_t kMinAttemptTimeoutNs = 1'000'000;
constexpr int64_t kMaxAttemptTimeoutNs = 60 * kNanosPerSecond;
constexpr size_t kMaxPendingLimit = 1'000'000;
// A worker waiting for a retry wakes at least this often, so a clock that jumps (or a test's
// ManualClock) is noticed without anyone having to signal.
constexpr int64_t kMaxWaitNs = kNanosPerSecond;
// Unix seconds stay below 10^12 in the signature; anything past that is a broken clock.
constexpr int64_t kMaxSignatureSeconds = 999'999'999'999;

bool IsEventIdCharacter(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

Status ValidateOptions(const DispatcherOptions& options) {
  Status status = ValidateRetryPolicy(options.retry);
  if (!status.ok()) return status;
  if (options.attempt_timeout_ns < kMinAttemptTimeoutNs ||
      options.attempt_timeout_ns > kMaxAttemptTimeoutNs) {
    return Status::InvalidArgument("attempt_timeout_ns must be 1 ms .. 60 s");
  }
  if (options.workers < 1 || options.workers > kMaxWorkers) {
    return Status::InvalidArgument("workers must be 1.." + std::to_string(kMaxWorkers));
  }
  if (options.max_pending < 1 || options.max_pending > kMaxPendingLimit ||
      options.max_finished > kMaxPendingLimit) {
    return Status::InvalidArgument("max_pending must be 1..10^6 and max_finished 0..10^6");
  }
  return Status::Ok();
}

Status ValidateEvent(const WebhookEvent& event) {
  if (event.event_id.empty() || event.event_id.size() > kMaxEventIdBytes ||
      !std::all_of(event.event_id.begin(), event.event_id.end(), IsEventIdCharacter)) {
    return Status::InvalidArgument("event id must be 1-64 characters of [A-Za-z0-9_-]");
  }
  if (event.secret.empty() || event.secret.size() > kMaxSecretBytes) {
    return Status::InvalidArgument("webhook secret must be 1-256 bytes");
  }
  if (event.previous_secret.size() > kMaxSecretBytes) {
    return Status::InvalidArgument("previous webhook secret must be 0-256 bytes");
  }
  if (event.body.size() > kMaxBodyBytes) return Status::InvalidArgument("webhook body too large");
  if (event.attempts_made >= kMaxAttemptsMade) {
    return Status::InvalidArgument("webhook attempts_made out of range");
  }
  return Status::Ok();
}

}  // namespace

std::string_view DeliveryStateName(DeliveryState state) {
  switch (state) {
    case DeliveryState::kPending:
      return "pending";
    case DeliveryState::kDelivered:
      return "delivered";
    case DeliveryState::kFailed:
      return "failed";
  }
  return "unknown";
}

Status WebhookDispatcher::Create(DispatcherOptions options, const Clock* clock, DeliveryLog* log,
                                 std::unique_ptr<WebhookDispatcher>* out) {
  QB_ASSERT(clock != nullptr && log != nullptr && out != nullptr);
  Status status = ValidateOptions(options);
  if (!status.ok()) return status;
  out->reset(new WebhookDispatcher(std::move(options), clock, log));
  return Status::Ok();
}

WebhookDispatcher::WebhookDispatcher(DispatcherOptions options, const Clock* clock,
                                     DeliveryLog* log)
    : options_(std::move(options)), clock_(clock), log_(log) {
  // Every member is initialised by now, so the workers may start using them.
  workers_.reserve(options_.workers);
  for (uint32_t i = 0; i < options_.workers; ++i) workers_.emplace_back([this] { WorkerLoop(); });
}

WebhookDispatcher::~WebhookDispatcher() { Stop(); }

void WebhookDispatcher::Stop() {
  // call_once also makes a second, concurrent caller wait until the workers have exited.
  std::call_once(stop_once_, [this] {
    {
      std::lock_guard lock(mutex_);
      stopping_.store(true, std::memory_order_release);
    }
    wake_.notify_all();
    for (std::thread& worker : workers_) worker.join();
  });
}

Status WebhookDispatcher::Enqueue(WebhookEvent event) {
  Status status = ValidateEvent(event);
  if (!status.ok()) return status;
  WebhookUrl url;
  status = ParseWebhookUrl(event.url, &url);
  if (!status.ok()) return status;
  // Refused here so the merchant hears about it when saving the URL, not an attempt later.
  if (url.host_is_literal && !options_.allow_private_networks && !IsPublicAddress(url.host)) {
    return Status::InvalidArgument("webhook url points to a non-public address");
  }

  std::lock_guard lock(mutex_);
  if (stopping_.load(std::memory_order_relaxed)) {
    return Status::IoError("webhook dispatcher stopped");
  }
  if (deliveries_.contains(event.event_id)) {
    return Status::InvalidArgument("webhook event id already known: " + event.event_id);
  }
  if (PendingCountLocked() >= options_.max_pending) {
    return Status::IoError("webhook queue full: " + std::to_string(options_.max_pending) +
                           " deliveries pending");
  }
  std::string event_id = event.event_id;
  Delivery delivery;
  delivery.event = std::move(event);
  delivery.url = std::move(url);
  delivery.attempts = delivery.event.attempts_made;
  delivery.attempt_limit = delivery.event.single_attempt
                               ? delivery.attempts + 1
                               : std::max(options_.retry.max_attempts, delivery.attempts + 1);
  const int64_t at_ns = std::max(clock_->NowNs(), delivery.event.next_attempt_ns);
  auto [it, inserted] = deliveries_.emplace(event_id, std::move(delivery));
  QB_ASSERT(inserted);
  ScheduleLocked(event_id, it->second, at_ns);
  wake_.notify_one();
  return Status::Ok();
}

Status WebhookDispatcher::Resend(std::string_view event_id) {
  std::lock_guard lock(mutex_);
  if (stopping_.load(std::memory_order_relaxed)) {
    return Status::IoError("webhook dispatcher stopped");
  }
  auto it = deliveries_.find(event_id);
  if (it == deliveries_.end()) {
    return Status::NotFound("webhook event unknown or forgotten: " + std::string(event_id));
  }
  Delivery& delivery = it->second;
  const int64_t now_ns = clock_->NowNs();
  if (delivery.state == DeliveryState::kPending) {
    // Under way already: the attempt in flight is the re-send.
    if (delivery.in_flight) return Status::Ok();
    schedule_.erase({delivery.next_attempt_ns, it->first});
    ScheduleLocked(it->first, delivery, now_ns);
    wake_.notify_one();
    return Status::Ok();
  }
  if (PendingCountLocked() >= options_.max_pending) {
    return Status::IoError("webhook queue full: " + std::to_string(options_.max_pending) +
                           " deliveries pending");
  }
  const size_t unfinished = finished_.erase({delivery.finished_seq, it->first});
  QB_ASSERT(unfinished == 1);
  delivery.state = DeliveryState::kPending;
  delivery.finished_seq = 0;
  delivery.attempt_limit = delivery.attempts + 1;
  ScheduleLocked(it->first, delivery, now_ns);
  wake_.notify_one();
  return Status::Ok();
}

size_t WebhookDispatcher::UpdateSecrets(uint64_t merchant_id, const std::string& secret,
                                        const std::string& previous_secret,
                                        int64_t previous_valid_until_ns) {
  QB_ASSERT(!secret.empty() && secret.size() <= kMaxSecretBytes &&
            previous_secret.size() <= kMaxSecretBytes);
  std::lock_guard lock(mutex_);
  // Bounded by max_pending + max_finished; a rotation is rare.
  size_t updated = 0;
  for (auto& [event_id, delivery] : deliveries_) {
    WebhookEvent& event = delivery.event;
    if (event.merchant_id != merchant_id) continue;
    event.secret = secret;
    event.previous_secret = previous_secret;
    event.previous_valid_until_ns = previous_valid_until_ns;
    updated++;
  }
  return updated;
}

std::optional<DeliveryStatus> WebhookDispatcher::Find(std::string_view event_id) const {
  std::lock_guard lock(mutex_);
  auto it = deliveries_.find(event_id);
  if (it == deliveries_.end()) return std::nullopt;
  return StatusOf(it->first, it->second);
}

std::vector<DeliveryStatus> WebhookDispatcher::Snapshot() const {
  std::lock_guard lock(mutex_);
  std::vector<DeliveryStatus> result;
  result.reserve(deliveries_.size());
  for (const auto& [event_id, delivery] : deliveries_)
    result.push_back(StatusOf(event_id, delivery));
  return result;
}

DeliveryStatus WebhookDispatcher::StatusOf(const std::string& event_id, const Delivery& delivery) {
  DeliveryStatus status;
  status.event_id = event_id;
  status.merchant_id = delivery.event.merchant_id;
  status.url = delivery.event.url;
  status.state = delivery.state;
  status.attempts = delivery.attempts;
  status.last_http_status = delivery.last_http_status;
  status.last_error = delivery.last_error;
  status.next_attempt_ns = delivery.state == DeliveryState::kPending ? delivery.next_attempt_ns : 0;
  return status;
}

void WebhookDispatcher::ScheduleLocked(const std::string& event_id, Delivery& delivery,
                                       int64_t at_ns) {
  QB_ASSERT(delivery.state == DeliveryState::kPending && !delivery.in_flight);
  delivery.next_attempt_ns = at_ns;
  const bool scheduled = schedule_.emplace(at_ns, event_id).second;
  QB_ASSERT(scheduled);
}

void WebhookDispatcher::FinishLocked(const std::string& event_id, Delivery& delivery,
                                     DeliveryState state) {
  QB_ASSERT(state != DeliveryState::kPending && !delivery.in_flight);
  delivery.state = state;
  delivery.next_attempt_ns = 0;
  delivery.finished_seq = next_finished_seq_++;
  const bool recorded = finished_.emplace(delivery.finished_seq, event_id).second;
  QB_ASSERT(recorded);
  // Runs at most once per call: finished_ grew by one and was within bounds before.
  while (finished_.size() > options_.max_finished) ForgetOldestFinishedLocked();
}

void WebhookDispatcher::ForgetOldestFinishedLocked() {
  auto oldest = finished_.begin();
  QB_ASSERT(oldest != finished_.end());
  const size_t forgotten = deliveries_.erase(oldest->second);
  QB_ASSERT(forgotten == 1);
  finished_.erase(oldest);
}

void WebhookDispatcher::WorkerLoop() {
  std::unique_lock lock(mutex_);
  // Runs until Stop; every wait is bounded by kMaxWaitNs or ends with a notification.
  while (!stopping_.load(std::memory_order_relaxed)) {
    if (schedule_.empty()) {
      wake_.wait_for(lock, std::chrono::nanoseconds(kMaxWaitNs));
      continue;
    }
    const int64_t due_ns = schedule_.begin()->first;
    const int64_t now_ns = clock_->NowNs();
    if (due_ns > now_ns) {
      wake_.wait_for(lock, std::chrono::nanoseconds(std::min(due_ns - now_ns, kMaxWaitNs)));
      continue;
    }
    const std::string event_id = schedule_.begin()->second;
    schedule_.erase(schedule_.begin());
    deliveries_.at(event_id).in_flight = true;
    lock.unlock();
    Attempt(event_id);
    lock.lock();
  }
}

WebhookDispatcher::AttemptInput WebhookDispatcher::CopyAttemptInput(const std::string& event_id) {
  std::lock_guard lock(mutex_);
  const Delivery& delivery = deliveries_.at(event_id);
  QB_ASSERT(delivery.in_flight && delivery.state == DeliveryState::kPending);
  AttemptInput input;
  input.url = delivery.url;
  input.secret = delivery.event.secret;
  input.previous_secret = delivery.event.previous_secret;
  input.previous_valid_until_ns = delivery.event.previous_valid_until_ns;
  input.body = delivery.event.body;
  input.merchant_id = delivery.event.merchant_id;
  input.attempt_number = delivery.attempts + 1;
  input.attempt_limit = delivery.attempt_limit;
  return input;
}

internal::PostResult WebhookDispatcher::Post(const std::string& event_id, const AttemptInput& input,
                                             int64_t started_ns) {
  const int64_t unix_s = std::clamp<int64_t>(started_ns / kNanosPerSecond, 0, kMaxSignatureSeconds);
  const std::string_view secrets[] = {input.secret, input.previous_secret};
  const bool overlap = !input.previous_secret.empty() && started_ns < input.previous_valid_until_ns;
  internal::PostRequest request;
  request.url = &input.url;
  request.headers = {{std::string(kWebhookIdHeader), event_id},
                     {std::string(kSignatureHeader),
                      SignWebhook(std::span(secrets, overlap ? 2 : 1), unix_s, input.body)}};
  request.body = input.body;
  request.timeout_ns = options_.attempt_timeout_ns;
  request.allow_private_networks = options_.allow_private_networks;
  request.stop = &stopping_;
  return internal::PostWebhook(request);
}

void WebhookDispatcher::Attempt(const std::string& event_id) {
  // Copied so the lock is not held over the network. While the entry is in flight no other
  // thread changes it, and it cannot be forgotten (it is pending).
  const AttemptInput input = CopyAttemptInput(event_id);
  const int64_t started_ns = clock_->NowNs();
  const int64_t started_monotonic_ns = MonotonicNowNs();
  internal::PostResult result = Post(event_id, input, started_ns);

  if (result.abandoned) {
    // Stopping: the attempt never finished, so it is neither counted nor logged.
    std::lock_guard lock(mutex_);
    Delivery& delivery = deliveries_.at(event_id);
    delivery.in_flight = false;
    ScheduleLocked(event_id, delivery, started_ns);
    return;
  }

  DeliveryAttempt record;
  record.event_id = event_id;
  record.merchant_id = input.merchant_id;
  record.attempt = input.attempt_number;
  record.started_ns = started_ns;
  record.duration_ns = MonotonicNowNs() - started_monotonic_ns;
  record.http_status = result.http_status;
  record.error = result.error;
  if (result.error.empty()) {
    record.outcome = DeliveryOutcome::kDelivered;
  } else if (input.attempt_number >= input.attempt_limit) {
    record.outcome = DeliveryOutcome::kFailed;
  } else {
    record.outcome = DeliveryOutcome::kRetryScheduled;
    record.next_attempt_ns =
        clock_->NowNs() + RetryDelayNs(input.attempt_number, event_id, options_.retry);
  }
  // Logged before the entry leaves flight, so no later attempt of this event can be logged
  // ahead of this one.
  log_->Record(record);
  Complete(record, std::move(result.error));
}

void WebhookDispatcher::Complete(const DeliveryAttempt& record, std::string error) {
  std::lock_guard lock(mutex_);
  Delivery& delivery = deliveries_.at(record.event_id);
  delivery.in_flight = false;
  delivery.attempts = record.attempt;
  delivery.last_http_status = record.http_status;
  delivery.last_error = std::move(error);
  switch (record.outcome) {
    case DeliveryOutcome::kDelivered:
      FinishLocked(record.event_id, delivery, DeliveryState::kDelivered);
      break;
    case DeliveryOutcome::kFailed:
      FinishLocked(record.event_id, delivery, DeliveryState::kFailed);
      break;
    case DeliveryOutcome::kRetryScheduled:
      ScheduleLocked(record.event_id, delivery, record.next_attempt_ns);
      // Another worker may be asleep until a later attempt; this one may now be the earliest.
      wake_.notify_one();
      break;
  }
}

}  // namespace qb::webhook
