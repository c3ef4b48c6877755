// Flash grab (秒杀, issue 6): many customers claim one small coupon stock at once over HTTP,
// through the real server, API, engine and journal on loopback. Exactly the stock is granted,
// every other claim is refused with the book's code, no customer holds more than the limit,
// and the engine holds exactly the stock. The throughput is printed, never asserted.
//
// Customers are registered through engine commands (the HTTP sign-up hashes passwords with
// argon2id, far too slow for thousands), with sessions the API loads when it starts.
// QB_FLASH_GRAB_REQUESTS sets how many claims are sent (default kDefaultRequests).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine/state_machine.h"
#include "identity/otp.h"
#include "wallet/api_test_util.h"

namespace qb::wallet::testing {
namespace {

constexpr int kCustomers = 2'000;
constexpr int64_t kStock = 10'000;
constexpr int kPerCustomerLimit = 10;  // 2,000 × 10 > the stock: the stock runs out first.
constexpr int64_t kDefaultRequests = 200'000;
constexpr int kClientThreads = 4;
constexpr int kConnectionsPerThread = 32;
constexpr auto kTimeBudget = std::chrono::seconds(120);

int64_t RequestCount() {
  const char* text = std::getenv("QB_FLASH_GRAB_REQUESTS");
  if (text == nullptr) return kDefaultRequests;
  const int64_t count = std::atoll(text);
  return count >= kStock ? count : kDefaultRequests;
}

class FlashGrabTest : public WalletApiTest {
 protected:
  // Submits every command at once and waits for all replies: the engine batches them.
  std::vector<engine::Reply> SubmitAll(std::vector<engine::Command> commands) {
    std::vector<engine::Reply> replies(commands.size());
    std::atomic<size_t> left{commands.size()};
    std::mutex mutex;
    std::condition_variable done;
    for (size_t i = 0; i < commands.size(); ++i) {
      engine_->Submit(std::move(commands[i]), [&, i](engine::Reply&& reply) {
        replies[i] = std::move(reply);
        if (left.fetch_sub(1) == 1) {
          std::lock_guard lock(mutex);
          done.notify_all();
        }
      });
    }
    std::unique_lock lock(mutex);
    done.wait(lock, [&] { return left.load() == 0; });
    return replies;
  }

  // kCustomers customers with a live session each; their tokens.
  std::vector<std::string> RegisterCustomers() {
    std::optional<std::string> password_hash = identity::HashPassword(kDefaultPassword);
    EXPECT_TRUE(password_hash.has_value());
    std::vector<std::string> phones;
    std::vector<engine::Command> otps;
    for (int i = 0; i < kCustomers; ++i) {
      std::string serial = std::to_string(10'000'000 + i);
      phones.push_back("139" + serial);
      otps.push_back(engine::IssueOtp{phones.back(), identity::OtpPurpose::kRegister,
                                      "flash-grab-otp-" + phones.back()});
    }
    for (const engine::Reply& reply : SubmitAll(std::move(otps))) {
      EXPECT_EQ(reply.status, engine::ReplyStatus::kOk);
      EXPECT_EQ(reply.results.at(0), 0);
    }
    std::vector<engine::Command> registrations;
    for (const std::string& phone : phones) {
      identity::Registration registration;
      registration.phone = phone;
      registration.otp_hash = "flash-grab-otp-" + phone;
      registration.password_hash = *password_hash;
      registrations.push_back(engine::RegisterCustomer{std::move(registration), ""});
    }
    std::vector<uint64_t> ids;
    for (const engine::Reply& reply : SubmitAll(std::move(registrations))) {
      EXPECT_EQ(reply.results.at(0), 0);
      ids.push_back(reply.value);
    }
    std::vector<std::string> tokens;
    std::vector<engine::Command> sessions;
    for (const uint64_t id : ids) {
      tokens.push_back(identity::GenerateSessionToken());
      sessions.push_back(engine::CreateSession{identity::HashSessionToken(tokens.back()), id, ""});
    }
    for (const engine::Reply& reply : SubmitAll(std::move(sessions))) {
      EXPECT_EQ(reply.results.at(0), 0);
    }
    return tokens;
  }
};

struct Tally {
  std::atomic<int64_t> granted{0};
  std::atomic<int64_t> out_of_stock{0};
  std::atomic<int64_t> over_limit{0};
  std::atomic<int64_t> other{0};
  std::mutex mutex;
  std::string first_other;  // The first unexpected answer, for the failure message.
};

TEST_F(FlashGrabTest, ExactlyTheStockIsGrantedUnderConcurrentClaims) {
  const std::string marketing = StaffToken("marketer", Roles({identity::StaffRole::kMarketing}));
  ApiResponse campaign =
      Post("/api/v1/staff/campaigns",
           R"({"name":"双十二秒杀","type":"threshold_coupon","reward":{"shape":"none"},)"
           R"("eligibility":{"starts_at":"2026-11-23T00:00:00Z","ends_at":"2026-12-31T00:00:00Z"},)"
           R"("caps":{"budget_total":100000000}})",
           marketing);
  ASSERT_EQ(campaign.status, 201) << Describe(campaign);
  const std::string campaign_id = campaign.String("id");
  ASSERT_EQ(
      Post("/api/v1/staff/campaigns/" + campaign_id + "/status", R"({"status":"live"})", marketing)
          .status,
      200);
  ApiResponse created =
      Post("/api/v1/staff/coupon-templates",
           R"({"campaign_id":")" + campaign_id +
               R"(","name":"满100减50","kind":"threshold","threshold":10000,"save":5000,"stock":)" +
               std::to_string(kStock) +
               R"(,"validity":{"kind":"days_after_claim","valid_days":7},)"
               R"("claim_starts_at":"2026-11-23T01:00:00Z","claim_ends_at":"2026-11-24T00:00:00Z",)"
               R"("per_customer_limit":)" +
               std::to_string(kPerCustomerLimit) + "}",
           marketing);
  ASSERT_EQ(created.status, 201) << Describe(created);
  const std::string template_id = created.String("id");

  const auto setup_start = std::chrono::steady_clock::now();
  const std::vector<std::string> tokens = RegisterCustomers();
  ASSERT_EQ(tokens.size(), static_cast<size_t>(kCustomers));
  // The API loads the engine's sessions when it starts.
  StopServer();
  StartServer();
  std::printf(
      "[flash grab] %d customers registered in %.1f s\n", kCustomers,
      std::chrono::duration<double>(std::chrono::steady_clock::now() - setup_start).count());

  const int64_t total = RequestCount();
  const std::string body = R"({"template_id":")" + template_id + R"("})";
  std::vector<std::string> requests;  // One ready-made request per customer.
  for (const std::string& token : tokens) {
    requests.push_back(
        "POST /api/v1/me/coupons HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Authorization: Bearer " +
        token + "\r\nContent-Type: application/json\r\nContent-Length: " +
        std::to_string(body.size()) + "\r\n\r\n" + body);
  }
  std::vector<std::atomic<int>> held(kCustomers);
  Tally tally;
  std::atomic<int64_t> next{0};
  std::atomic<int64_t> answered{0};
  const uint16_t port = server_->port();
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + kTimeBudget;

  auto client = [&](int thread) {
    std::vector<std::unique_ptr<test_support::TestConnection>> connections;
    for (int c = 0; c < kConnectionsPerThread; ++c) {
      connections.push_back(std::make_unique<test_support::TestConnection>(port, 20'000));
    }
    std::vector<int> customer_of(kConnectionsPerThread, -1);
    while (std::chrono::steady_clock::now() < deadline) {
      // One request in flight per connection (keep-alive): send on all, then read all.
      int sent = 0;
      for (int c = 0; c < kConnectionsPerThread; ++c) {
        const int64_t n = next.fetch_add(1);
        if (n >= total) break;
        // Spread customers across threads and time: a customer's claims race each other.
        const int customer = static_cast<int>((n * 7919 + thread) % kCustomers);
        customer_of[c] = customer;
        if (!connections[c]->Send(requests[customer])) {
          std::lock_guard lock(tally.mutex);
          if (tally.first_other.empty()) tally.first_other = "send failed";
          tally.other++;
          customer_of[c] = -1;
        }
        sent++;
      }
      if (sent == 0) break;
      for (int c = 0; c < sent; ++c) {
        if (customer_of[c] < 0) continue;
        std::optional<test_support::TestResponse> response = connections[c]->ReadResponse();
        answered++;
        if (response && response->status == 201) {
          tally.granted++;
          held[customer_of[c]]++;
        } else if (response && response->status == 409 &&
                   response->body.find("\"COUPON_OUT_OF_STOCK\"") != std::string::npos) {
          tally.out_of_stock++;
        } else if (response && response->status == 409 &&
                   response->body.find("\"COUPON_CLAIM_LIMIT\"") != std::string::npos) {
          tally.over_limit++;
        } else {
          tally.other++;
          std::lock_guard lock(tally.mutex);
          if (tally.first_other.empty()) {
            tally.first_other =
                response ? std::to_string(response->status) + " " + response->body : "no answer";
          }
        }
      }
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < kClientThreads; ++t) threads.emplace_back(client, t);
  for (std::thread& thread : threads) thread.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "[flash grab] %lld claims answered in %.1f s: %.0f requests/s over %d connections; "
      "%lld granted, %lld out of stock, %lld over the limit\n",
      static_cast<long long>(answered.load()), seconds, answered.load() / seconds,
      kClientThreads * kConnectionsPerThread, static_cast<long long>(tally.granted.load()),
      static_cast<long long>(tally.out_of_stock.load()),
      static_cast<long long>(tally.over_limit.load()));

  EXPECT_EQ(tally.other.load(), 0) << tally.first_other;
  EXPECT_GE(answered.load(), kStock);  // Enough claims to empty the stock, even if time ran out.
  EXPECT_EQ(tally.granted.load(), kStock);
  EXPECT_EQ(tally.granted + tally.out_of_stock + tally.over_limit, answered.load());
  for (int i = 0; i < kCustomers; ++i) EXPECT_LE(held[i].load(), kPerCustomerLimit) << i;

  // The engine agrees: exactly the stock exists, none beyond any customer's limit.
  struct Counted {
    int64_t coupons = 0;
    int64_t issued = 0;
    int max_held = 0;
  };
  auto counted = std::make_shared<Counted>();
  const uint64_t template_number = std::stoull(template_id);
  engine::Reply reply =
      engine_->Execute(engine::Query{[counted, template_number](const engine::StateMachine& state) {
        const marketing::CouponBook& coupons = state.campaigns().coupons();
        counted->coupons = static_cast<int64_t>(coupons.coupon_count());
        counted->issued = coupons.IssuedCount(template_number);
        for (uint64_t customer = 1; customer <= kCustomers; ++customer) {
          counted->max_held =
              std::max(counted->max_held, static_cast<int>(coupons.CouponsOf(customer).size()));
        }
      }});
  ASSERT_EQ(reply.status, engine::ReplyStatus::kOk);
  EXPECT_EQ(counted->coupons, kStock);
  EXPECT_EQ(counted->issued, kStock);
  EXPECT_LE(counted->max_held, kPerCustomerLimit);
}

}  // namespace
}  // namespace qb::wallet::testing
