// The fixture of the engine's payment tests: a staff admin, customers signed up and funded
// straight from bank clearing, merchants onboarded, payments by scan and by payment code, and a
// restart check (ledger invariants, same state hash after journal replay or checkpoint).
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "engine_test_util.h"

namespace qb::engine::testing {

constexpr int64_t kSecond = 1'000'000'000;
constexpr int64_t kYuan = 100;
constexpr int64_t kStepSeconds = 30;

class PaymentsTest : public CustomerEngineTest {
 protected:
  static uint8_t Code(PaymentResult r) { return static_cast<uint8_t>(r); }
  using CustomerEngineTest::Code;

  void SetUp() override {
    CustomerEngineTest::SetUp();
    OpenEngine();
    ASSERT_EQ(Result(CreateStaff{{"admin", "Admin", "argon2", identity::kAllStaffRoles}}),
              Code(identity::IdentityResult::kOk));
    staff_ = last_value_;
  }

  uint64_t SignUp(const std::string& phone) {
    EXPECT_EQ(Result(IssueOtp{phone, identity::OtpPurpose::kRegister, "h" + phone}),
              Code(identity::IdentityResult::kOk));
    EXPECT_EQ(Result(RegisterCustomer{{phone, "h" + phone, "argon2", "campus", ""}}),
              Code(identity::IdentityResult::kOk));
    return last_value_;
  }

  // Money into a wallet straight from the bank clearing account (the top-up path is tested
  // elsewhere); tier IV allows a balance of ¥1,000.
  void Fund(uint64_t customer, int64_t amount_fen) {
    CreateTransfers t;
    ledger::Transfer transfer;
    transfer.id = next_id_++;
    transfer.debit_account_id = kBankClearingAccountId;
    transfer.credit_account_id = kCustomerWalletAccountBase + customer;
    transfer.amount = amount_fen;
    transfer.ledger = ledger::kLedgerCny;
    transfer.code = ledger::transfer_codes::kTopUp;
    t.transfers.push_back(transfer);
    if (!FindAccount(kBankClearingAccountId)) {
      ledger::Account clearing;
      clearing.id = kBankClearingAccountId;
      clearing.ledger = ledger::kLedgerCny;
      clearing.kind = static_cast<uint16_t>(ledger::AccountKind::kBankClearing);
      Reply r = engine_->Execute(CreateAccounts{{clearing}});
      ASSERT_EQ(r.results[0], 0);
    }
    Reply reply = engine_->Execute(std::move(t));
    ASSERT_EQ(reply.results[0], 0);
  }

  uint64_t Onboard(const std::string& username, uint32_t fee_bps, bool activate = true) {
    payments::MerchantProfile profile;
    profile.legal_name = "小店 " + username;
    profile.credit_code = "91350100M000100Y43";
    profile.category = "catering";
    profile.fee_bps = fee_bps;
    profile.settlement_bank_code = "ICBC";
    profile.settlement_account_sealed = "sealed";
    profile.settlement_account_last4 = "1234";
    EXPECT_EQ(Result(ApplyMerchant{profile, {username, username, "argon2", 0}, staff_, activate}),
              Code(PaymentResult::kOk));
    return last_value_;
  }

  int64_t MerchantBalance(uint64_t merchant) {
    return FindAccount(kMerchantAccountBase + merchant)->CreditBalance();
  }
  int64_t FeeIncome() {
    std::optional<ledger::Account> fees = FindAccount(kFeeIncomeAccountId);
    return fees ? fees->CreditBalance() : 0;
  }
  payments::Payment PaymentOf(uint64_t id) {
    payments::Payment copy;
    Query([&](const StateMachine& s) { copy = *s.payments().FindPayment(id); });
    return copy;
  }
  payments::Merchant MerchantOf(uint64_t id) {
    payments::Merchant copy;
    Query([&](const StateMachine& s) { copy = *s.payments().FindMerchant(id); });
    return copy;
  }
  Pay ScanPay(uint64_t id, uint64_t customer, uint64_t merchant, int64_t amount) {
    Pay pay;
    pay.payment_id = id;
    pay.customer_id = customer;
    pay.merchant_id = merchant;
    pay.amount_fen = amount;
    pay.channel = payments::PaymentChannel::kStaticQr;
    return pay;
  }
  Pay CodePay(uint64_t id, uint32_t slot, int64_t step, uint64_t merchant, int64_t amount) {
    Pay pay;
    pay.payment_id = id;
    pay.merchant_id = merchant;
    pay.amount_fen = amount;
    pay.channel = payments::PaymentChannel::kPaymentCode;
    pay.device_slot = slot;
    pay.code_step = step;
    pay.code_step_seconds = kStepSeconds;
    pay.code_window_steps = 1;
    return pay;
  }
  int64_t CurrentStep() { return clock_.NowNs() / kSecond / kStepSeconds; }

  void ExpectSameAfterRestart() {
    std::optional<std::string> problem;
    Query([&](const StateMachine& s) { problem = s.ledger().CheckInvariants(); });
    EXPECT_FALSE(problem.has_value()) << *problem;
    const Digest before = Hash();
    Restart();
    EXPECT_EQ(Hash(), before);
  }

  uint64_t staff_ = 0;
  uint64_t next_id_ = 1'000;
};

}  // namespace qb::engine::testing
