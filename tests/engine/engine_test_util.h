// The engine test fixture: a temporary data directory with a SQLite store behind a
// ControlledStore, a ManualClock, and helpers that build valid accounts and transfers and read
// engine state through Query commands.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "base/clock.h"
#include "base/digest.h"
#include "engine/engine.h"
#include "ledger/types.h"
#include "store/sqlite/sqlite_store.h"
#include "support/temp_dir.h"
#include "test_store.h"

namespace qb::engine::testing {

inline constexpr int64_t kNsPerMs = 1'000'000;
inline constexpr int64_t kStartNs = 1'700'000'000'000'000'000;

using qb::testing::TempDir;

// A clearing account may go negative (money from real bank cards); wallets may not.
inline ledger::Account Clearing(uint64_t id) {
  ledger::Account a;
  a.id = id;
  a.ledger = ledger::kLedgerCny;
  a.kind = static_cast<uint16_t>(ledger::AccountKind::kBankClearing);
  return a;
}

inline ledger::Account Wallet(uint64_t id) {
  ledger::Account a = Clearing(id);
  a.kind = static_cast<uint16_t>(ledger::AccountKind::kCustomerWallet);
  a.flags = ledger::account_flags::kDebitsMustNotExceedCredits;
  return a;
}

inline ledger::Transfer Move(uint64_t id, uint64_t debit, uint64_t credit, int64_t amount) {
  ledger::Transfer t;
  t.id = id;
  t.debit_account_id = debit;
  t.credit_account_id = credit;
  t.amount = amount;
  t.ledger = ledger::kLedgerCny;
  t.code = 1;
  return t;
}

inline ledger::Transfer Hold(uint64_t id, uint64_t debit, uint64_t credit, int64_t amount,
                             uint32_t timeout_s) {
  ledger::Transfer t = Move(id, debit, credit, amount);
  t.flags = ledger::transfer_flags::kPending;
  t.timeout_s = timeout_s;
  return t;
}

inline Command Accounts(std::initializer_list<ledger::Account> accounts) {
  return CreateAccounts{std::vector<ledger::Account>(accounts)};
}

inline Command Transfers(std::initializer_list<ledger::Transfer> transfers) {
  CreateTransfers c;
  c.transfers.assign(transfers.begin(), transfers.end());
  return c;
}

// Receives one reply on whatever thread delivers it; the test waits with a timeout, so a
// missing reply fails the test instead of hanging it.
class ReplySlot {
 public:
  ReplySlot() : state_(std::make_shared<State>()) {}
  ReplyCallback Callback() {
    return [state = state_](Reply&& reply) {
      state->delivered_on_thread = std::this_thread::get_id();
      state->promise.set_value(std::move(reply));
    };
  }
  bool Arrived(std::chrono::milliseconds wait = std::chrono::milliseconds(0)) {
    return state_->future.wait_for(wait) == std::future_status::ready;
  }
  Reply Get() {
    EXPECT_TRUE(Arrived(std::chrono::seconds(10))) << "no reply";
    return state_->future.get();
  }
  std::thread::id delivered_on_thread() const { return state_->delivered_on_thread; }

 private:
  struct State {
    std::promise<Reply> promise;
    std::future<Reply> future = promise.get_future();
    std::thread::id delivered_on_thread;
  };
  std::shared_ptr<State> state_;
};

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override { OpenStore(); }
  void TearDown() override {
    if (engine_) engine_->Stop();
    engine_.reset();
  }

  // (Re)opens the SQLite files behind a fresh ControlledStore; the engine must be closed.
  void OpenStore() {
    ASSERT_FALSE(engine_);
    store_.reset();
    std::unique_ptr<Store> sqlite;
    Status s = OpenSqliteStore(dir_.path(), &sqlite);
    ASSERT_TRUE(s.ok()) << s.ToString();
    store_ = std::make_unique<ControlledStore>(std::move(sqlite));
  }

  Status TryOpenEngine(const EngineOptions& options) {
    options_ = options;
    return Engine::Open(store_.get(), &clock_, options, nullptr, &engine_);
  }
  void OpenEngine(const EngineOptions& options = EngineOptions()) {
    Status s = TryOpenEngine(options);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  void StopEngine() {
    if (engine_) engine_->Stop();
    engine_.reset();
  }
  // Stops the engine, reopens the store files and starts a new engine with `options`.
  void Restart(const EngineOptions& options) {
    StopEngine();
    OpenStore();
    OpenEngine(options);
  }
  void Restart() { Restart(options_); }

  // Executes a journaled command that must succeed item by item.
  Reply ExecOk(Command command) {
    Reply reply = engine_->Execute(std::move(command));
    EXPECT_EQ(reply.status, ReplyStatus::kOk) << ReplyStatusName(reply.status);
    for (size_t i = 0; i < reply.results.size(); i++) {
      EXPECT_EQ(reply.results[i], 0) << "item " << i;
    }
    return reply;
  }

  template <typename Read>
  void Query(Read read) {
    Reply reply = engine_->Execute(engine::Query{[&](const StateMachine& s) { read(s); }});
    ASSERT_EQ(reply.status, ReplyStatus::kOk);
  }
  Digest Hash() {
    Digest hash{};
    Query([&](const StateMachine& s) { hash = s.StateHash(); });
    return hash;
  }
  std::optional<ledger::Account> FindAccount(uint64_t id) {
    std::optional<ledger::Account> account;
    Query([&](const StateMachine& s) {
      if (const ledger::Account* a = s.ledger().FindAccount(id)) account = *a;
    });
    return account;
  }
  std::optional<ledger::PendingStatus> PendingStatus(uint64_t id) {
    std::optional<ledger::PendingStatus> status;
    Query([&](const StateMachine& s) { status = s.ledger().FindPendingStatus(id); });
    return status;
  }
  uint64_t LastJournalSeq() {
    uint64_t seq = 0;
    EXPECT_TRUE(store_->inner()->LastJournalSeq(&seq).ok());
    return seq;
  }

  // A small ledger history: clearing account 1 funds wallets 2..4, which pay each other; one
  // hold stays pending and one overdraft is refused. Every Execute is its own batch, with the
  // clock moving between them. Returns the number of journal records written.
  uint64_t RunWorkload() {
    const uint64_t before = LastJournalSeq();
    ExecOk(Accounts({Clearing(1), Wallet(2), Wallet(3), Wallet(4)}));
    clock_.Advance(kNsPerMs);
    ExecOk(Transfers({Move(101, 1, 2, 10'000), Move(102, 1, 3, 5'000)}));
    clock_.Advance(kNsPerMs);
    ExecOk(Transfers({Move(103, 2, 3, 1'200)}));
    ExecOk(Transfers({Move(104, 3, 4, 700), Hold(105, 2, 4, 300, 0)}));
    clock_.Advance(kNsPerMs);
    Reply overdraft = engine_->Execute(Transfers({Move(106, 4, 2, 1'000'000)}));
    EXPECT_EQ(overdraft.status, ReplyStatus::kOk);
    EXPECT_EQ(overdraft.results[0],
              static_cast<uint8_t>(ledger::CreateTransferResult::kExceedsCredits));
    return LastJournalSeq() - before;
  }

  TempDir dir_;
  std::unique_ptr<ControlledStore> store_;
  ManualClock clock_{kStartNs};
  EngineOptions options_;
  std::unique_ptr<Engine> engine_;
};

// For commands that answer one result code (identity, cards, staff, money commands).
class CustomerEngineTest : public EngineTest {
 protected:
  // Executes `command` and returns its one result code; keeps Reply::value in last_value_.
  uint8_t Result(Command command) {
    Reply reply = engine_->Execute(std::move(command));
    EXPECT_EQ(reply.status, ReplyStatus::kOk);
    EXPECT_EQ(reply.results.size(), 1u);
    last_value_ = reply.value;
    return reply.results.empty() ? 255 : reply.results[0];
  }
  static uint8_t Code(identity::IdentityResult r) { return static_cast<uint8_t>(r); }
  static uint8_t Code(MoneyResult r) { return static_cast<uint8_t>(r); }
  int64_t Balance(uint64_t customer_id) {
    return FindAccount(kCustomerWalletAccountBase + customer_id)->CreditBalance();
  }

  uint64_t last_value_ = 0;
};

// Two merchants onboarded by staff: "shop" (owner_ and a cashier_) and "other" (other_owner_).
class MerchantEngineTest : public CustomerEngineTest {
 protected:
  static uint8_t Code(PaymentResult r) { return static_cast<uint8_t>(r); }
  using CustomerEngineTest::Code;

  void SetUp() override {
    CustomerEngineTest::SetUp();
    OpenEngine();
    ASSERT_EQ(Result(CreateStaff{{"admin", "Admin", "argon2", identity::kAllStaffRoles}}),
              Code(identity::IdentityResult::kOk));
    const uint64_t staff = last_value_;
    shop_ = Onboard("shop", staff);
    owner_ = UserId("shop");
    ASSERT_EQ(
        Result(CreateMerchantUser{shop_, {"till", "Till", "argon2", payments::kMerchantCashier}}),
        Code(PaymentResult::kOk));
    cashier_ = last_value_;
    other_shop_ = Onboard("other", staff);
    other_owner_ = UserId("other");
  }

  uint64_t Onboard(const std::string& username, uint64_t staff) {
    payments::MerchantProfile profile;
    profile.legal_name = "小店 " + username;
    profile.credit_code = "91350100M000100Y43";
    profile.category = "catering";
    profile.settlement_bank_code = "ICBC";
    profile.settlement_account_sealed = "sealed";
    profile.settlement_account_last4 = "1234";
    EXPECT_EQ(Result(ApplyMerchant{profile, {username, username, "argon2", 0}, staff, true}),
              Code(PaymentResult::kOk));
    return last_value_;
  }

  uint64_t UserId(const std::string& username) {
    uint64_t id = 0;
    Query([&](const StateMachine& s) { id = s.payments().users().FindByUsername(username)->id; });
    return id;
  }

  uint64_t shop_ = 0;
  uint64_t owner_ = 0;
  uint64_t cashier_ = 0;
  uint64_t other_shop_ = 0;
  uint64_t other_owner_ = 0;
};

}  // namespace qb::engine::testing
