// The wallet API test fixture: an in-process Engine on a temporary SQLite store, driven by a
// ManualClock, behind a WalletApi and an HttpServer on a free loopback port. SMS go to an
// OutboxSmsGateway the tests read codes from; the bank is a SimulatedBank with no latency.
//
//   TEST_F(WalletApiTest, Example) {
//     RegisteredCustomer alice = RegisterCustomer("13800138000");
//     ApiResponse me = Get("/api/v1/me", alice.token);
//     EXPECT_EQ(me.status, 200);
//     EXPECT_EQ(me.json.at("phone").as_string(), "13800138000");
//   }
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "bank/simulated_bank.h"
#include "base/clock.h"
#include "engine/engine.h"
#include "identity/card_vault.h"
#include "identity/identity_verifier.h"
#include "identity/password.h"
#include "identity/secret_key.h"
#include "identity/sms_gateway.h"
#include "identity/staff_book.h"
#include "invoice/local_invoice_provider.h"
#include "server/http_server.h"
#include "server/routes.h"
#include "server/test_http_client.h"
#include "store/sqlite/sqlite_store.h"
#include "support/temp_dir.h"
#include "wallet/services.h"

namespace qb::wallet::testing {

// 2026-11-23T01:00:00Z: a China-time morning, far from a day boundary.
inline constexpr int64_t kTestStartNs = int64_t{1'795'395'600} * 1'000'000'000;
inline constexpr int64_t kNsPerSecond = 1'000'000'000;
inline constexpr int64_t kNsPerMinute = 60 * kNsPerSecond;
inline constexpr char kDefaultPassword[] = "Secret123abc";

struct ApiResponse {
  int status = 0;                              // 0 when the server did not answer.
  std::map<std::string, std::string> headers;  // Names in lower case.
  std::string body;
  boost::json::value json;  // Null unless the body is JSON.

  // error.code of an error answer, or "" when there is none.
  std::string ErrorCode() const {
    if (!json.is_object()) return "";
    const boost::json::value* error = json.as_object().if_contains("error");
    if (error == nullptr || !error->is_object()) return "";
    const boost::json::value* code = error->as_object().if_contains("code");
    return code != nullptr && code->is_string() ? std::string(code->as_string()) : "";
  }
  // A top-level string member, or "" when absent or not a string.
  std::string String(std::string_view name) const {
    if (!json.is_object()) return "";
    const boost::json::value* value = json.as_object().if_contains(name);
    return value != nullptr && value->is_string() ? std::string(value->as_string()) : "";
  }
};

// A compact dump for assertion messages.
inline std::string Describe(const ApiResponse& response) {
  return std::to_string(response.status) + " " + response.body;
}

struct RequestOptions {
  std::string token;            // Sent as "Authorization: Bearer <token>" when not empty.
  std::string authorization;    // Sent as the whole Authorization header when not empty.
  std::string idempotency_key;  // Sent as Idempotency-Key when not empty.
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers = {};  // Any others, as given.
  // Like the web app, send the newest token a session was rotated to (X-Session-Token) in
  // place of `token`. Off to show that the old token is dead.
  bool follow_rotation = true;
};

struct RegisteredCustomer {
  std::string id;
  std::string phone;
  std::string password;
  std::string token;
};

class WalletApiTest : public ::testing::Test {
 protected:
  void SetUp() override { StartServer(); }
  void TearDown() override { StopServer(); }

  // Opens the store and engine and starts the API; a test may StopServer() and call this again
  // (the data directory stays), e.g. to check what survives a restart. Without
  // `console_outbox` the console cannot read the outbox (as with a real SMS provider); the
  // tests can still read it.
  void StartServer(WalletOptions options = WalletOptions(), bool console_outbox = true) {
    std::unique_ptr<Store> store;
    Status s = OpenSqliteStore(dir_.path(), &store);
    ASSERT_TRUE(s.ok()) << s.ToString();
    store_ = std::move(store);
    s = engine::Engine::Open(store_.get(), &clock_, engine::EngineOptions(), nullptr, &engine_);
    ASSERT_TRUE(s.ok()) << s.ToString();

    WalletServices services;
    services.engine = engine_.get();
    services.store = store_.get();
    services.clock = &clock_;
    services.vault = &vault_;
    services.sms = outbox_.get();
    services.verifier = &verifier_;
    services.bank = bank_override_ != nullptr ? bank_override_ : &bank_;
    services.otp_pepper = &pepper_;
    services.qr_key = &qr_key_;
    services.qr_keys = &qr_keys_;
    services.webhook_key = &webhook_key_;
    if (!invoices_) {
      invoice::LocalInvoiceProviderOptions invoice_options;
      invoice_options.directory = dir_.path() + "/invoices";
      Status opened = invoice::LocalInvoiceProvider::Open(invoice_options, &invoices_);
      ASSERT_TRUE(opened.ok()) << opened.ToString();
    }
    services.invoices = invoices_override_ != nullptr ? invoices_override_ : invoices_.get();
    services.nfc_issuer_key = &nfc_issuer_key_;
    options.sms_outbox = console_outbox ? outbox_.get() : nullptr;
    services.options = options;
    router_ = std::make_unique<Router>();
    api_ = std::make_unique<WalletApi>(services, *router_);

    HttpServerOptions http;
    http.listen_port = 0;
    http.io_threads = 2;
    server_ = std::make_unique<HttpServer>(http, router_->AsHandler());
    const std::string error = server_->Start();
    ASSERT_EQ(error, "");
  }

  void StopServer() {
    // The engine stops before the API goes, so no engine callback outlives the API's state.
    if (server_) server_->Stop();
    if (engine_) engine_->Stop();
    server_.reset();
    api_.reset();
    engine_.reset();
    router_.reset();
    store_.reset();
  }

  // --- HTTP ---

  // `source_address`: the IPv4 address to connect from (e.g. "127.0.0.2"); empty: 127.0.0.1.
  ApiResponse Request(std::string_view method, std::string_view target, std::string_view body,
                      const RequestOptions& options, std::string_view source_address = "") {
    std::string raw =
        std::string(method) + " " + std::string(target) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    const std::string token =
        options.follow_rotation ? NewestToken(options.token) : std::string(options.token);
    if (!options.authorization.empty()) {
      raw += "Authorization: " + options.authorization + "\r\n";
    } else if (!token.empty()) {
      raw += "Authorization: Bearer " + token + "\r\n";
    }
    if (!options.idempotency_key.empty()) {
      raw += "Idempotency-Key: " + options.idempotency_key + "\r\n";
    }
    for (const auto& [name, value] : options.headers) raw += name + ": " + value + "\r\n";
    if (!body.empty() || method == "POST") {
      raw += "Content-Type: " + options.content_type + "\r\n";
      raw += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    }
    raw += "\r\n";
    raw += body;
    // Several seconds: a log-in hashes with argon2id, slowly under the sanitizers.
    const std::string source(source_address);
    test_support::TestConnection connection(server_->port(), 20000,
                                            source.empty() ? nullptr : source.c_str());
    ApiResponse result;
    std::optional<test_support::TestResponse> response = connection.Request(raw);
    if (!response) return result;
    result.status = response->status;
    result.headers = std::move(response->headers);
    if (auto rotated = result.headers.find("x-session-token");
        rotated != result.headers.end() && !token.empty()) {
      rotated_tokens_[token] = rotated->second;
    }
    result.body = std::move(response->body);
    boost::system::error_code ec;
    boost::json::value parsed = boost::json::parse(result.body, ec);
    if (!ec) result.json = std::move(parsed);
    return result;
  }

  // The token a session presented as `token` now goes by, after any rotations.
  std::string NewestToken(std::string_view token) const {
    std::string newest(token);
    for (auto it = rotated_tokens_.find(newest); it != rotated_tokens_.end();
         it = rotated_tokens_.find(newest)) {
      newest = it->second;
    }
    return newest;
  }

  ApiResponse Post(std::string_view target, std::string_view body, std::string_view token = "",
                   std::string_view idempotency_key = "") {
    RequestOptions options;
    options.token = std::string(token);
    options.idempotency_key = std::string(idempotency_key);
    return Request("POST", target, body, options);
  }
  ApiResponse Get(std::string_view target, std::string_view token = "") {
    RequestOptions options;
    options.token = std::string(token);
    return Request("GET", target, "", options);
  }
  ApiResponse Delete(std::string_view target, std::string_view token = "") {
    RequestOptions options;
    options.token = std::string(token);
    return Request("DELETE", target, "", options);
  }
  ApiResponse Put(std::string_view target, std::string_view body, std::string_view token) {
    RequestOptions options;
    options.token = std::string(token);
    return Request("PUT", target, body, options);
  }

  // --- Customers ---

  // The code of the newest SMS sent to `phone`, or "" when there is none.
  std::string LatestOtp(std::string_view phone) const {
    auto messages = outbox_->List(std::string(phone), 1);
    if (messages.empty()) return "";
    auto code = messages.front().params.find("code");
    return code == messages.front().params.end() ? "" : code->second;
  }
  size_t SmsCount(std::string_view phone) const {
    return outbox_->List(std::string(phone), identity::OutboxSmsGateway::kMaxCapacity).size();
  }

  // Asks for a code (purpose "register" unless told) and returns it from the outbox.
  std::string RequestOtp(std::string_view phone, std::string_view purpose = "register") {
    ApiResponse response =
        Post("/api/v1/otp", R"({"phone":")" + std::string(phone) + R"(","purpose":")" +
                                std::string(purpose) + R"("})");
    EXPECT_EQ(response.status, 202) << Describe(response);
    return LatestOtp(phone);
  }

  // Registers (OTP through the outbox) and returns the logged-in customer. Each phone can get
  // one code a minute, so use a new phone per call.
  RegisteredCustomer RegisterCustomer(std::string_view phone,
                                      std::string_view password = kDefaultPassword) {
    RegisteredCustomer customer;
    customer.phone = std::string(phone);
    customer.password = std::string(password);
    const std::string code = RequestOtp(phone);
    EXPECT_EQ(code.size(), 6u);
    ApiResponse response =
        Post("/api/v1/customers", R"({"phone":")" + customer.phone + R"(","otp":")" + code +
                                      R"(","password":")" + customer.password + R"("})");
    EXPECT_EQ(response.status, 201) << Describe(response);
    customer.token = response.String("token");
    if (response.json.is_object() && response.json.as_object().contains("customer")) {
      const boost::json::value& id = response.json.at("customer").at("id");
      if (id.is_string()) customer.id = std::string(id.as_string());
    }
    return customer;
  }

  ApiResponse LogIn(std::string_view phone, std::string_view password) {
    return Post("/api/v1/sessions", R"({"phone":")" + std::string(phone) + R"(","password":")" +
                                        std::string(password) + R"("})");
  }

  // --- Staff ---

  // Creates a staff member directly through the engine (as `qianbao admin create` does) and
  // returns the id; 0 on failure. Roles are identity::StaffRole bits.
  uint64_t CreateStaff(std::string_view username, uint32_t roles,
                       std::string_view password = kDefaultPassword) {
    engine::CreateStaff command;
    command.staff.username = std::string(username);
    command.staff.display_name = std::string(username);
    std::optional<std::string> hash = identity::HashPassword(password);
    EXPECT_TRUE(hash.has_value());
    if (!hash) return 0;
    command.staff.password_hash = std::move(*hash);
    command.staff.roles = roles;
    engine::Reply reply = engine_->Execute(command);
    EXPECT_EQ(reply.status, engine::ReplyStatus::kOk);
    EXPECT_EQ(reply.results.size(), 1u);
    if (reply.results.empty() || reply.results[0] != 0) return 0;
    return reply.value;
  }

  ApiResponse StaffLogIn(std::string_view username, std::string_view password) {
    return Post("/api/v1/staff/sessions", R"({"username":")" + std::string(username) +
                                              R"(","password":")" + std::string(password) +
                                              R"("})");
  }

  // Creates a staff member with `roles` and returns a session token for them.
  std::string StaffToken(std::string_view username, uint32_t roles) {
    if (CreateStaff(username, roles) == 0) return "";
    ApiResponse response = StaffLogIn(username, kDefaultPassword);
    EXPECT_EQ(response.status, 201) << Describe(response);
    return response.String("token");
  }

  static uint32_t Roles(std::initializer_list<identity::StaffRole> roles) {
    uint32_t bits = 0;
    for (identity::StaffRole role : roles) bits |= static_cast<uint32_t>(role);
    return bits;
  }

  // --- Time ---

  void AdvanceClock(int64_t delta_ns) { clock_.Advance(delta_ns); }

  // Waits until the read models hold everything the engine has made durable (staff search and
  // history read them), at most a few seconds.
  void WaitForReadModels() {
    for (int i = 0; i < 500; i++) {
      engine::EngineStats stats = engine_->stats();
      if (stats.projected_seq >= stats.durable_seq) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << "read models did not catch up";
  }

  qb::testing::TempDir dir_{"qb-wallet"};
  ManualClock clock_{kTestStartNs};
  std::unique_ptr<identity::OutboxSmsGateway> outbox_ = [this] {
    std::unique_ptr<identity::OutboxSmsGateway> outbox;
    Status s = identity::OutboxSmsGateway::Create(identity::Deployment::kDevelopment,
                                                  identity::OutboxSmsGateway::kDefaultCapacity,
                                                  &outbox, &clock_);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return outbox;
  }();
  identity::CardVault vault_ = *identity::CardVault::FromKeys(identity::GenerateDevelopmentKeys());
  identity::SecretKey pepper_ = identity::SecretKey::Random();
  paytoken::QrSigningKey qr_key_{7, identity::SecretKey::Random()};
  identity::SecretKey webhook_key_ = identity::SecretKey::Random();
  std::unique_ptr<invoice::LocalInvoiceProvider> invoices_;
  identity::SecretKey nfc_issuer_key_ = identity::SecretKey::Random();
  paytoken::QrKeyRing qr_keys_ = [this] {
    paytoken::QrKeyRing ring;
    ring.Add(qr_key_.key_id(), qr_key_.public_key());
    return ring;
  }();
  identity::LocalIdentityVerifier verifier_{
      identity::LocalIdentityVerifierOptions{identity::CalendarDate{2026, 11, 23}, {}}};
  bank::SimulatedBank bank_{bank::SimulatedBankOptions{}};
  // When set before StartServer, the API talks to this bank instead of bank_.
  bank::BankGateway* bank_override_ = nullptr;
  invoice::InvoiceProvider* invoices_override_ = nullptr;  // Wraps or replaces invoices_.

  std::unique_ptr<Store> store_;
  std::unique_ptr<engine::Engine> engine_;
  std::unique_ptr<Router> router_;
  std::unique_ptr<WalletApi> api_;
  std::unique_ptr<HttpServer> server_;
  // Session rotations seen in answers: the token presented → the one the server gave back.
  std::map<std::string, std::string> rotated_tokens_;
};

}  // namespace qb::wallet::testing
