#include "webhook/dispatcher.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "webhook/test_receiver.h"
#include "webhook/webhook_signature.h"

namespace qb::webhook {
namespace {

using testing::ReceivedRequest;
using testing::Reply;
using testing::TestReceiver;

constexpr int64_t kMillis = 1'000'000;
constexpr std::string_view kSecret = "whsec_merchant_42";
constexpr std::string_view kBody =
    R"({"type":"payment.succeeded","order_id":"o_1","amount_fen":1234})";

// Fast retries so a whole series of attempts takes a fraction of a second.
DispatcherOptions FastOptions() {
  DispatcherOptions options;
  options.retry.base_delay_ns = 20 * kMillis;
  options.retry.max_delay_ns = 80 * kMillis;
  options.retry.max_attempts = 3;
  options.attempt_timeout_ns = 1000 * kMillis;
  options.allow_private_networks = true;  // the receiver listens on loopback
  return options;
}

WebhookEvent EventFor(std::string event_id, std::string url) {
  WebhookEvent event;
  event.event_id = std::move(event_id);
  event.merchant_id = 42;
  event.url = std::move(url);
  event.secret = std::string(kSecret);
  event.body = std::string(kBody);
  return event;
}

// Polls `condition` until it holds or 10 s pass; every test stays bounded in time.
bool WaitFor(const std::function<bool()>& condition) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return condition();
}

// A port on loopback that nobody listens on: bound, then closed again.
uint16_t ClosedPort() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

class DispatcherTest : public ::testing::Test {
 protected:
  void Start(DispatcherOptions options) {
    Status status = WebhookDispatcher::Create(std::move(options), &clock_, &log_, &dispatcher_);
    ASSERT_TRUE(status.ok()) << status.ToString();
  }

  bool WaitForState(std::string_view event_id, DeliveryState state) {
    return WaitFor([&] {
      std::optional<DeliveryStatus> status = dispatcher_->Find(event_id);
      return status && status->state == state;
    });
  }

  // Waits until the log holds `count` attempts for the event.
  std::vector<DeliveryAttempt> WaitForAttempts(std::string_view event_id, size_t count) {
    WaitFor([&] { return log_.AttemptsFor(event_id).size() >= count; });
    return log_.AttemptsFor(event_id);
  }

  SystemClock clock_;
  InMemoryDeliveryLog log_{1000};
  std::unique_ptr<WebhookDispatcher> dispatcher_;
};

TEST_F(DispatcherTest, DeliversASignedRequestTheReceiverVerifies) {
  std::atomic<int> verify_result{-1};
  TestReceiver receiver([&](const ReceivedRequest& request) {
    const int64_t now_s = SystemClock().NowNs() / kNanosPerSecond;
    auto it = request.headers.find("qb-signature");
    WebhookVerifyResult result = it == request.headers.end()
                                     ? WebhookVerifyResult::kMalformed
                                     : VerifyWebhook(kSecret, it->second, request.body, now_s);
    verify_result = static_cast<int>(result);
    return Reply{result == WebhookVerifyResult::kOk ? 200 : 400, "thanks"};
  });
  Start(FastOptions());
  ASSERT_TRUE(dispatcher_->Enqueue(EventFor("evt_ok", receiver.Url("/hooks/qb?shop=7"))).ok());

  ASSERT_TRUE(WaitForState("evt_ok", DeliveryState::kDelivered));
  EXPECT_EQ(verify_result.load(), static_cast<int>(WebhookVerifyResult::kOk));
  std::vector<ReceivedRequest> requests = receiver.Requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/hooks/qb?shop=7");
  EXPECT_EQ(requests[0].body, kBody);
  EXPECT_EQ(requests[0].headers["qb-webhook-id"], "evt_ok");
  EXPECT_EQ(requests[0].headers["content-type"], "application/json");
  EXPECT_EQ(requests[0].headers["user-agent"], "qianbao-webhook/1");
  EXPECT_EQ(requests[0].headers["host"], "127.0.0.1:" + std::to_string(receiver.port()));

  std::vector<DeliveryAttempt> attempts = WaitForAttempts("evt_ok", 1);
  ASSERT_EQ(attempts.size(), 1u);
  EXPECT_EQ(attempts[0].attempt, 1u);
  EXPECT_EQ(attempts[0].merchant_id, 42u);
  EXPECT_EQ(attempts[0].http_status, 200);
  EXPECT_EQ(attempts[0].error, "");
  EXPECT_EQ(attempts[0].outcome, DeliveryOutcome::kDelivered);
  EXPECT_GT(attempts[0].started_ns, 0);
  EXPECT_GT(attempts[0].duration_ns, 0);

  std::optional<DeliveryStatus> status = dispatcher_->Find("evt_ok");
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(status->attempts, 1u);
  EXPECT_EQ(status->last_http_status, 200);
  EXPECT_EQ(status->next_attempt_ns, 0);
}

TEST_F(DispatcherTest, ServerErrorsAreRetriedUntilAcknowledged) {
  std::atomic<int> calls{0};
  TestReceiver receiver([&](const ReceivedRequest&) {
    return Reply{++calls <= 2 ? 500 : 200, "busy"};
  });
  DispatcherOptions options = FastOptions();
  options.retry.max_attempts = 5;
  Start(options);
  ASSERT_TRUE(dispatcher_->Enqueue(EventFor("evt_retry", receiver.Url())).ok());

  ASSERT_TRUE(WaitForState("evt_retry", DeliveryState::kDelivered));
  std::vector<DeliveryAttempt> attempts = WaitForAttempts("evt_retry", 3);
  ASSERT_EQ(attempts.size(), 3u);
  for (uint32_t i = 0; i < 2; ++i) {
    EXPECT_EQ(attempts[i].attempt, i + 1);
    EXPECT_EQ(attempts[i].http_status, 500);
    EXPECT_EQ(attempts[i].error, "HTTP 500");
    EXPECT_EQ(attempts[i].outcome, DeliveryOutcome::kRetryScheduled);
    EXPECT_GT(attempts[i].next_attempt_ns, attempts[i].started_ns);
    // The next attempt starts no earlier than scheduled.
    EXPECT_GE(attempts[i + 1].started_ns, attempts[i].next_attempt_ns);
  }
  EXPECT_EQ(attempts[2].attempt, 3u);
  EXPECT_EQ(attempts[2].http_status, 200);
  EXPECT_EQ(attempts[2].outcome, DeliveryOutcome::kDelivered);
  EXPECT_EQ(receiver.RequestCount(), 3u);
}

TEST_F(DispatcherTest, SilentReceiverTimesOutAndFailsAfterMaxAttempts) {
  TestReceiver receiver([](const ReceivedRequest&) { return Reply{0, ""}; });
  DispatcherOptions options = FastOptions();
  options.attempt_timeout_ns = 150 * kMillis;
  Start(options);
  ASSERT_TRUE(dispatcher_->Enqueue(EventFor("evt_silent", receiver.Url())).ok());

  ASSERT_TRUE(WaitForState("evt_silent", DeliveryState::kFailed));
  std::vector<DeliveryAttempt> attempts = WaitForAttempts("evt_silent", 3);
  ASSERT_EQ(attempts.size(), 3u);
  for (const DeliveryAttempt& attempt : attempts) {
    EXPECT_EQ(attempt.http_status, 0);
    EXPECT_EQ(attempt.error, "read timed out");
    EXPECT_GE(attempt.duration_ns, 140 * kMillis);
  }
  EXPECT_EQ(attempts[0].outcome, DeliveryOutcome::kRetryScheduled);
  EXPECT_EQ(attempts[1].outcome, DeliveryOutcome::kRetryScheduled);
  EXPECT_EQ(attempts[2].outcome, DeliveryOutcome::kFailed);
  EXPECT_EQ(attempts[2].next_attempt_ns, 0);
  EXPECT_EQ(receiver.RequestCount(), 3u);
}

TEST_F(DispatcherTest, RefusedConnectionIsRetriedThenFails) {
  Start(FastOptions());
  const std::string url = "http://127.0.0.1:" + std::to_string(ClosedPort()) + "/hook";
  ASSERT_TRUE(dispatcher_->Enqueue(EventFor("evt_refused", url)).ok());

  ASSERT_TRUE(WaitForState("evt_refused", DeliveryState::kFailed));
  std::vector<DeliveryAttempt> attempts = WaitForAttempts("evt_refused", 3);
  ASSERT_EQ(attempts.size(), 3u);
  for (const DeliveryAttempt& attempt : attempts) {
    EXPECT_EQ(attempt.http_status, 0);
    EXPECT_TRUE(attempt.error.starts_with("connect failed")) << attempt.error;
  }
  std::optional<DeliveryStatus> status = dispatcher_->Find("evt_refused");
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(status->attempts, 3u);
  EXPECT_TRUE(status->last_error.starts_with("connect failed"));
}

TEST_F(DispatcherTest, ManualResendOfAFailedEventDelivers) {
  std::atomic<bool> fixed{false};
  TestReceiver receiver([&](const ReceivedRequest&) { return Reply{fixed ? 204 : 503, ""}; });
  DispatcherOptions options = FastOptions();
  options.retry.max_attempts = 2;
  Start(options);
  ASSERT_TRUE(dispatcher_->Enqueue(EventFor("evt_resend", receiver.Url())).ok());
  ASSERT_TRUE(WaitForState("evt_resend", DeliveryState::kFailed));
  ASSERT_EQ(WaitForAttempts("evt_resend", 2).size(), 2u);

  // Still broken: one attempt, failed again, no automatic retries.
  ASSERT_TRUE(dispatcher_->Resend("evt_resend").ok());
  ASSERT_EQ(WaitForAttempts("evt_resend", 3).size(), 3u);
  ASSERT_TRUE(WaitForState("evt_resend", DeliveryState::kFailed));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // several retry delays
  EXPECT_EQ(log_.AttemptsFor("evt_resend").size(), 3u);

  fixed = true;
  ASSERT_TRUE(dispatcher_->Resend("evt_resend").ok());
  ASSERT_TRUE(WaitForState("evt_resend", DeliveryState::kDelivered));
  std::vector<DeliveryAttempt> attempts = WaitForAttempts("evt_resend", 4);
  ASSERT_EQ(attempts.size(), 4u);
  EXPECT_EQ(attempts[2].outcome, DeliveryOutcome::kFailed);
  EXPECT_EQ(attempts[3].attempt, 4u);
  EXPECT_EQ(attempts[3].http_status, 204);
  EXPECT_EQ(attempts[3].outcome, DeliveryOutcome::kDelivered);

  // A delivered event can be re-sent too; the merchant dedupes on QB-Webhook-Id.
  ASSERT_TRUE(dispatcher_->Resend("evt_resend").ok());
  ASSERT_EQ(WaitForAttempts("evt_resend", 5).size(), 5u);
  std::vector<ReceivedRequest> requests = receiver.Requests();
  ASSERT_EQ(requests.size(), 5u);
  EXPECT_EQ(requests[4].headers["qb-webhook-id"], "evt_resend");
}

TEST_F(DispatcherTest, AResumedDeliveryContinuesItsAttemptsAndKeepsItsLimit) {
  std::atomic<bool> fixed{false};
  TestReceiver receiver([&](const ReceivedRequest&) { return Reply{fixed ? 200 : 500, ""}; });
  Start(FastOptions());  // 3 attempts in all

  // Two attempts were made before a restart: one more, then failed.
  WebhookEvent resumed = EventFor("evt_resumed", receiver.Url());
  resumed.attempts_made = 2;
  ASSERT_TRUE(dispatcher_->Enqueue(resumed).ok());
  ASSERT_TRUE(WaitForState("evt_resumed", DeliveryState::kFailed));
  std::vector<DeliveryAttempt> attempts = WaitForAttempts("evt_resumed", 1);
  ASSERT_EQ(attempts.size(), 1u);
  EXPECT_EQ(attempts[0].attempt, 3u);
  EXPECT_EQ(attempts[0].outcome, DeliveryOutcome::kFailed);

  // Its retry was due a while after the restart: not before then.
  WebhookEvent later = EventFor("evt_later", receiver.Url());
  later.attempts_made = 1;
  later.next_attempt_ns = clock_.NowNs() + 150 * kMillis;
  const int64_t enqueued_ns = clock_.NowNs();
  ASSERT_TRUE(dispatcher_->Enqueue(later).ok());
  ASSERT_EQ(WaitForAttempts("evt_later", 1).size(), 1u);
  EXPECT_GE(log_.AttemptsFor("evt_later")[0].started_ns, later.next_attempt_ns);
  EXPECT_GE(log_.AttemptsFor("evt_later")[0].started_ns - enqueued_ns, 150 * kMillis);
  EXPECT_EQ(log_.AttemptsFor("evt_later")[0].attempt, 2u);

  // A manual re-send of one the dispatcher forgot: exactly one attempt, even past the limit.
  WebhookEvent again = EventFor("evt_again", receiver.Url());
  again.attempts_made = 7;
  again.single_attempt = true;
  ASSERT_TRUE(dispatcher_->Enqueue(again).ok());
  ASSERT_TRUE(WaitForState("evt_again", DeliveryState::kFailed));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // several retry delays
  ASSERT_EQ(log_.AttemptsFor("evt_again").size(), 1u);
  EXPECT_EQ(log_.AttemptsFor("evt_again")[0].attempt, 8u);

  fixed = true;
  WebhookEvent absurd = EventFor("evt_absurd", receiver.Url());
  absurd.attempts_made = kMaxAttemptsMade;
  EXPECT_EQ(dispatcher_->Enqueue(absurd).code(), Status::Code::kInvalidArgument);
}

// The v1 signatures of a QB-Signature header, in order.
std::vector<std::string> SignaturesIn(const std::string& header) {
  std::vector<std::string> signatures;
  for (size_t at = header.find(",v1="); at != std::string::npos; at = header.find(",v1=", at + 1)) {
    signatures.push_back(header.substr(at + 4, 64));
  }
  return signatures;
}

// Verifies one received request under `secret` at the system clock's now.
WebhookVerifyResult VerifyReceived(std::string_view secret, ReceivedRequest request) {
  const int64_t now_s = SystemClock().NowNs() / kNanosPerSecond;
  return VerifyWebhook(secret, request.headers["qb-signature"], request.body, now_s);
}

TEST_F(DispatcherTest, InsideTheOverlapEveryAttemptIsSignedWithBothSecrets) {
  constexpr std::string_view kOldSecret = "whsec_merchant_42_before";
  std::atomic<int> calls{0};
  TestReceiver receiver([&](const ReceivedRequest&) {
    return Reply{++calls == 1 ? 500 : 200, ""};
  });
  Start(FastOptions());
  WebhookEvent event = EventFor("evt_overlap", receiver.Url());
  event.previous_secret = std::string(kOldSecret);
  event.previous_valid_until_ns = clock_.NowNs() + 3600 * kNanosPerSecond;
  ASSERT_TRUE(dispatcher_->Enqueue(std::move(event)).ok());
  ASSERT_TRUE(WaitForState("evt_overlap", DeliveryState::kDelivered));

  std::vector<ReceivedRequest> requests = receiver.Requests();
  ASSERT_EQ(requests.size(), 2u);
  for (ReceivedRequest& request : requests) {
    // The new secret's signature first, then the old one's; either verifies.
    const std::string header = request.headers["qb-signature"];
    EXPECT_EQ(SignaturesIn(header).size(), 2u) << header;
    EXPECT_EQ(VerifyReceived(kSecret, request), WebhookVerifyResult::kOk);
    EXPECT_EQ(VerifyReceived(kOldSecret, request), WebhookVerifyResult::kOk);
    EXPECT_EQ(VerifyReceived("whsec_neither", request), WebhookVerifyResult::kBadSignature);
    const std::string t = header.substr(2, header.find(',') - 2);
    EXPECT_EQ(SignaturesIn(header).at(0),
              SignaturesIn(SignWebhook(kSecret, std::stoll(t), kBody)).at(0));
  }
}

TEST_F(DispatcherTest, AfterTheOverlapOnlyTheCurrentSecretSigns) {
  constexpr std::string_view kOldSecret = "whsec_merchant_42_before";
  TestReceiver receiver([](const ReceivedRequest&) { return Reply{200, ""}; });
  Start(FastOptions());
  WebhookEvent event = EventFor("evt_after", receiver.Url());
  event.previous_secret = std::string(kOldSecret);
  event.previous_valid_until_ns = clock_.NowNs() - 1;
  ASSERT_TRUE(dispatcher_->Enqueue(std::move(event)).ok());
  ASSERT_TRUE(WaitForState("evt_after", DeliveryState::kDelivered));
  std::vector<ReceivedRequest> requests = receiver.Requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(SignaturesIn(requests[0].headers["qb-signature"]).size(), 1u);
  EXPECT_EQ(VerifyReceived(kSecret, requests[0]), WebhookVerifyResult::kOk);
  EXPECT_EQ(VerifyReceived(kOldSecret, requests[0]), WebhookVerifyResult::kBadSignature);
}

TEST_F(DispatcherTest, ARotationReSignsTheLaterAttemptsOfQueuedDeliveries) {
  constexpr std::string_view kNewSecret = "whsec_merchant_42_after";
  std::atomic<int> calls{0};
  TestReceiver receiver([&](const ReceivedRequest&) {
    return Reply{++calls == 1 ? 500 : 200, ""};
  });
  DispatcherOptions options = FastOptions();
  options.retry.base_delay_ns = 60 * kNanosPerSecond;  // The retry waits for the re-send below.
  options.retry.max_delay_ns = 60 * kNanosPerSecond;
  Start(options);
  ASSERT_TRUE(dispatcher_->Enqueue(EventFor("evt_rotated", receiver.Url())).ok());
  WebhookEvent other = EventFor("evt_other_merchant", "http://127.0.0.1:1/hook");
  other.merchant_id = 43;
  other.next_attempt_ns = clock_.NowNs() + 3600 * kNanosPerSecond;
  ASSERT_TRUE(dispatcher_->Enqueue(std::move(other)).ok());
  ASSERT_EQ(WaitForAttempts("evt_rotated", 1).size(), 1u);

  EXPECT_EQ(dispatcher_->UpdateSecrets(42, std::string(kNewSecret), std::string(kSecret),
                                       clock_.NowNs() + 3600 * kNanosPerSecond),
            1u);
  ASSERT_TRUE(dispatcher_->Resend("evt_rotated").ok());
  ASSERT_TRUE(WaitForState("evt_rotated", DeliveryState::kDelivered));
  std::vector<ReceivedRequest> requests = receiver.Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(SignaturesIn(requests[0].headers["qb-signature"]).size(), 1u);
  EXPECT_EQ(VerifyReceived(kNewSecret, requests[0]), WebhookVerifyResult::kBadSignature);
  EXPECT_EQ(SignaturesIn(requests[1].headers["qb-signature"]).size(), 2u);
  EXPECT_EQ(VerifyReceived(kNewSecret, requests[1]), WebhookVerifyResult::kOk);
  EXPECT_EQ(VerifyReceived(kSecret, requests[1]), WebhookVerifyResult::kOk);
}

TEST_F(DispatcherTest, ResendOfAnUnknownEventIsNotFound) {
  Start(FastOptions());
  EXPECT_EQ(dispatcher_->Resend("evt_nobody").code(), Status::Code::kNotFound);
  EXPECT_FALSE(dispatcher_->Find("evt_nobody").has_value());
}

TEST_F(DispatcherTest, FullQueueRefusesNewEvents) {
  DispatcherOptions options = FastOptions();
  options.max_pending = 2;
  // The first attempt fails at once and the retry waits an hour: both stay pending.
  options.retry.base_delay_ns = 3600 * kNanosPerSecond;
  options.retry.max_delay_ns = 3600 * kNanosPerSecond;
  Start(options);
  const std::string url = "http://127.0.0.1:" + std::to_string(ClosedPort()) + "/hook";
  ASSERT_TRUE(dispatcher_->Enqueue(EventFor("evt_1", url)).ok());
  ASSERT_TRUE(dispatcher_->Enqueue(EventFor("evt_2", url)).ok());
  Status status = dispatcher_->Enqueue(EventFor("evt_3", url));
  EXPECT_EQ(status.code(), Status::Code::kIoError);
  EXPECT_NE(status.message().find("queue full"), std::string::npos) << status.ToString();
  EXPECT_FALSE(dispatcher_->Find("evt_3").has_value());

  std::vector<DeliveryStatus> snapshot = dispatcher_->Snapshot();
  ASSERT_EQ(snapshot.size(), 2u);
  EXPECT_EQ(snapshot[0].event_id, "evt_1");
  EXPECT_EQ(snapshot[0].state, DeliveryState::kPending);
  EXPECT_EQ(snapshot[1].event_id, "evt_2");
}

TEST_F(DispatcherTest, DuplicateEventIdIsRefused) {
  DispatcherOptions options = FastOptions();
  options.retry.base_delay_ns = 3600 * kNanosPerSecond;
  options.retry.max_delay_ns = 3600 * kNanosPerSecond;
  Start(options);
  const std::string url = "http://127.0.0.1:" + std::to_string(ClosedPort()) + "/hook";
  ASSERT_TRUE(dispatcher_->Enqueue(EventFor("evt_dup", url)).ok());
  EXPECT_EQ(dispatcher_->Enqueue(EventFor("evt_dup", url)).code(), Status::Code::kInvalidArgument);
}

TEST_F(DispatcherTest, BadEventsAreInvalidArgument) {
  Start(FastOptions());
  for (std::string_view url :
       {"ftp://127.0.0.1/hook", "https://shop.example.com/hook", "http:///hook", "http://:80/hook",
        "http://127.0.0.1:0/hook", "http://127.0.0.1:70000/hook", "http://127.0.0.1:8x/hook",
        "http://user@127.0.0.1/hook", "127.0.0.1/hook", ""}) {
    EXPECT_EQ(dispatcher_->Enqueue(EventFor("evt_url", std::string(url))).code(),
              Status::Code::kInvalidArgument)
        << url;
  }
  const std::string good_url = "http://127.0.0.1:1/hook";
  for (std::string_view event_id : {"", "evt with space", "evt:colon", "evt\r\nX-Injected: 1"}) {
    EXPECT_EQ(dispatcher_->Enqueue(EventFor(std::string(event_id), good_url)).code(),
              Status::Code::kInvalidArgument)
        << event_id;
  }
  EXPECT_EQ(dispatcher_->Enqueue(EventFor(std::string(kMaxEventIdBytes + 1, 'e'), good_url)).code(),
            Status::Code::kInvalidArgument);
  WebhookEvent no_secret = EventFor("evt_secret", good_url);
  no_secret.secret.clear();
  EXPECT_EQ(dispatcher_->Enqueue(no_secret).code(), Status::Code::kInvalidArgument);
  WebhookEvent big = EventFor("evt_big", good_url);
  big.body.assign(kMaxBodyBytes + 1, 'x');
  EXPECT_EQ(dispatcher_->Enqueue(big).code(), Status::Code::kInvalidArgument);
  WebhookEvent big_previous = EventFor("evt_previous", good_url);
  big_previous.previous_secret.assign(kMaxSecretBytes + 1, 's');
  EXPECT_EQ(dispatcher_->Enqueue(big_previous).code(), Status::Code::kInvalidArgument);
  EXPECT_TRUE(dispatcher_->Snapshot().empty());
}

TEST_F(DispatcherTest, DefaultPolicyRefusesPrivateAddresses) {
  TestReceiver receiver([](const ReceivedRequest&) { return Reply{200, "ok"}; });
  DispatcherOptions options = FastOptions();
  options.allow_private_networks = false;
  options.retry.max_attempts = 1;
  Start(options);
  const std::string port = std::to_string(receiver.port());
  for (std::string url :
       {"http://127.0.0.1:" + port + "/hook", std::string("http://10.1.2.3/hook"),
        std::string("http://169.254.169.254/latest/meta-data/"), "http://[::1]:" + port + "/",
        "http://[::ffff:127.0.0.1]:" + port + "/", "http://0.0.0.0:" + port + "/"}) {
    EXPECT_EQ(dispatcher_->Enqueue(EventFor("evt_private", url)).code(),
              Status::Code::kInvalidArgument)
        << url;
  }
  // A name is only known to be private once resolved: the attempt is refused before connecting.
  ASSERT_TRUE(
      dispatcher_->Enqueue(EventFor("evt_localhost", "http://localhost:" + port + "/")).ok());
  ASSERT_TRUE(WaitForState("evt_localhost", DeliveryState::kFailed));
  std::vector<DeliveryAttempt> attempts = WaitForAttempts("evt_localhost", 1);
  ASSERT_EQ(attempts.size(), 1u);
  EXPECT_EQ(attempts[0].error, "host has no allowed address");
  EXPECT_EQ(attempts[0].outcome, DeliveryOutcome::kFailed);
  EXPECT_EQ(receiver.RequestCount(), 0u);
}

TEST_F(DispatcherTest, RedirectsAreNotFollowed) {
  TestReceiver receiver([](const ReceivedRequest&) { return Reply{302, ""}; });
  DispatcherOptions options = FastOptions();
  options.retry.max_attempts = 1;
  Start(options);
  ASSERT_TRUE(dispatcher_->Enqueue(EventFor("evt_redirect", receiver.Url())).ok());
  ASSERT_TRUE(WaitForState("evt_redirect", DeliveryState::kFailed));
  std::vector<DeliveryAttempt> attempts = WaitForAttempts("evt_redirect", 1);
  ASSERT_EQ(attempts.size(), 1u);
  EXPECT_EQ(attempts[0].http_status, 302);
  EXPECT_EQ(receiver.RequestCount(), 1u);
}

TEST_F(DispatcherTest, OversizedResponseBodyStillAcknowledges) {
  TestReceiver receiver([](const ReceivedRequest&) {
    return Reply{200, std::string(100'000, 'z')};
  });
  Start(FastOptions());
  ASSERT_TRUE(dispatcher_->Enqueue(EventFor("evt_big_answer", receiver.Url())).ok());
  ASSERT_TRUE(WaitForState("evt_big_answer", DeliveryState::kDelivered));
  EXPECT_EQ(WaitForAttempts("evt_big_answer", 1).size(), 1u);
}

TEST_F(DispatcherTest, FinishedDeliveriesAreForgottenBeyondTheBound) {
  TestReceiver receiver([](const ReceivedRequest&) { return Reply{200, "ok"}; });
  DispatcherOptions options = FastOptions();
  options.max_finished = 1;
  Start(options);
  ASSERT_TRUE(dispatcher_->Enqueue(EventFor("evt_old", receiver.Url())).ok());
  ASSERT_TRUE(WaitForState("evt_old", DeliveryState::kDelivered));
  ASSERT_TRUE(dispatcher_->Enqueue(EventFor("evt_new", receiver.Url())).ok());
  ASSERT_TRUE(WaitForState("evt_new", DeliveryState::kDelivered));
  EXPECT_FALSE(dispatcher_->Find("evt_old").has_value());
  EXPECT_EQ(dispatcher_->Resend("evt_old").code(), Status::Code::kNotFound);
  EXPECT_EQ(dispatcher_->Snapshot().size(), 1u);
}

TEST_F(DispatcherTest, StopDuringALongBackoffIsPrompt) {
  TestReceiver receiver([](const ReceivedRequest&) { return Reply{500, ""}; });
  DispatcherOptions options = FastOptions();
  options.retry.base_delay_ns = 3600 * kNanosPerSecond;
  options.retry.max_delay_ns = 3600 * kNanosPerSecond;
  Start(options);
  ASSERT_TRUE(dispatcher_->Enqueue(EventFor("evt_wait", receiver.Url())).ok());
  ASSERT_EQ(WaitForAttempts("evt_wait", 1).size(), 1u);

  const auto start = std::chrono::steady_clock::now();
  dispatcher_->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  dispatcher_->Stop();  // a second Stop is harmless
  EXPECT_EQ(dispatcher_->Enqueue(EventFor("evt_late", receiver.Url())).code(),
            Status::Code::kIoError);
  EXPECT_EQ(dispatcher_->Resend("evt_wait").code(), Status::Code::kIoError);
  std::optional<DeliveryStatus> status = dispatcher_->Find("evt_wait");
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(status->state, DeliveryState::kPending);
}

TEST_F(DispatcherTest, StopDuringASilentAttemptIsPrompt) {
  TestReceiver receiver([](const ReceivedRequest&) { return Reply{0, ""}; });
  DispatcherOptions options = FastOptions();
  options.attempt_timeout_ns = 30 * kNanosPerSecond;
  Start(options);
  ASSERT_TRUE(dispatcher_->Enqueue(EventFor("evt_hang", receiver.Url())).ok());
  ASSERT_TRUE(WaitFor([&] { return receiver.RequestCount() == 1; }));

  const auto start = std::chrono::steady_clock::now();
  dispatcher_.reset();  // the destructor stops
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  // The attempt was cut short by the stop, not by the merchant: it is not logged.
  EXPECT_TRUE(log_.AttemptsFor("evt_hang").empty());
}

TEST_F(DispatcherTest, ManyEventsAllArrive) {
  // Every even-numbered event is refused once, so retries interleave with first attempts.
  std::mutex mutex;
  std::set<std::string> refused_once;
  TestReceiver receiver([&](const ReceivedRequest& request) {
    const std::string& event_id = request.headers.at("qb-webhook-id");
    const bool even = (event_id.back() - '0') % 2 == 0;
    std::lock_guard lock(mutex);
    if (even && refused_once.insert(event_id).second) return Reply{500, ""};
    return Reply{200, ""};
  });
  Start(FastOptions());
  constexpr int kEvents = 40;
  for (int i = 0; i < kEvents; ++i) {
    ASSERT_TRUE(
        dispatcher_->Enqueue(EventFor("evt_many_" + std::to_string(i), receiver.Url())).ok());
  }
  ASSERT_TRUE(WaitFor([&] { return log_.Attempts().size() == kEvents + kEvents / 2; }));
  ASSERT_TRUE(WaitFor([&] {
    std::vector<DeliveryStatus> snapshot = dispatcher_->Snapshot();
    return std::all_of(snapshot.begin(), snapshot.end(), [](const DeliveryStatus& status) {
      return status.state == DeliveryState::kDelivered;
    });
  }));
  EXPECT_EQ(dispatcher_->Snapshot().size(), static_cast<size_t>(kEvents));
  EXPECT_EQ(receiver.RequestCount(), static_cast<size_t>(kEvents + kEvents / 2));
}

TEST(DispatcherOptionsTest, OutOfRangeOptionsAreRefused) {
  SystemClock clock;
  InMemoryDeliveryLog log(10);
  std::unique_ptr<WebhookDispatcher> dispatcher;
  DispatcherOptions options;
  options.workers = 0;
  EXPECT_EQ(WebhookDispatcher::Create(options, &clock, &log, &dispatcher).code(),
            Status::Code::kInvalidArgument);
  options = DispatcherOptions{};
  options.attempt_timeout_ns = 0;
  EXPECT_EQ(WebhookDispatcher::Create(options, &clock, &log, &dispatcher).code(),
            Status::Code::kInvalidArgument);
  options = DispatcherOptions{};
  options.max_pending = 0;
  EXPECT_EQ(WebhookDispatcher::Create(options, &clock, &log, &dispatcher).code(),
            Status::Code::kInvalidArgument);
  options = DispatcherOptions{};
  options.retry.max_attempts = 0;
  EXPECT_EQ(WebhookDispatcher::Create(options, &clock, &log, &dispatcher).code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(dispatcher, nullptr);
  EXPECT_TRUE(WebhookDispatcher::Create(DispatcherOptions{}, &clock, &log, &dispatcher).ok());
  EXPECT_EQ(DeliveryStateName(DeliveryState::kPending), "pending");
  EXPECT_EQ(DeliveryStateName(DeliveryState::kDelivered), "delivered");
  EXPECT_EQ(DeliveryStateName(DeliveryState::kFailed), "failed");
}

}  // namespace
}  // namespace qb::webhook
