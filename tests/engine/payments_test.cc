// Merchants and payments in the engine: onboarding and review, the payment chain with its fee,
// orders, payment codes (single use, expiry), payments awaiting confirmation, small-payment
// caps, refunds in parts. Every test ends by checking the ledger invariants and restarting the
// engine (journal replay and checkpoint) to the same state hash.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "payments_fixture.h"

namespace qb::engine {
namespace {

using identity::IdentityResult;
using payments::MerchantStatus;
using payments::PaymentChannel;
using payments::PaymentState;
using testing::kSecond;
using testing::kStepSeconds;
using testing::kYuan;
using testing::PaymentsTest;

TEST_F(PaymentsTest, OnboardingReviewAndStatusGateWhoMayTakeMoney) {
  const uint64_t alice = SignUp("13800138001");
  Fund(alice, 500 * kYuan);
  const uint64_t shop = Onboard("shop", 60, /*activate=*/false);
  EXPECT_EQ(MerchantOf(shop).status, MerchantStatus::kPendingReview);
  EXPECT_EQ(Result(ScanPay(1, alice, shop, 10 * kYuan)), Code(PaymentResult::kMerchantNotActive));
  // The owner's username is taken for good; self-service cannot skip review.
  payments::MerchantProfile profile = MerchantOf(shop).profile;
  EXPECT_EQ(Result(ApplyMerchant{profile, {"shop", "x", "argon2", 0}, 0, false}),
            Code(PaymentResult::kUserTaken));
  EXPECT_EQ(Result(ApplyMerchant{profile, {"self", "x", "argon2", 0}, 0, true}),
            Code(PaymentResult::kInvalid));
  EXPECT_EQ(Result(ReviewMerchant{shop, staff_ + 9, MerchantStatus::kActive}),
            Code(PaymentResult::kStaffNotFound));
  EXPECT_EQ(Result(ReviewMerchant{shop, staff_, MerchantStatus::kActive}),
            Code(PaymentResult::kOk));
  EXPECT_EQ(Result(ScanPay(1, alice, shop, 10 * kYuan)), Code(PaymentResult::kOk));
  EXPECT_EQ(Result(ReviewMerchant{shop, staff_, MerchantStatus::kSuspended}),
            Code(PaymentResult::kOk));
  const int64_t before = Balance(alice);
  EXPECT_EQ(Result(ScanPay(2, alice, shop, 10 * kYuan)), Code(PaymentResult::kMerchantNotActive));
  EXPECT_EQ(Balance(alice), before);
  // A suspended merchant still refunds.
  EXPECT_EQ(Result(Refund{3, shop, 1, 10 * kYuan}), Code(PaymentResult::kOk));
  EXPECT_EQ(Balance(alice), 500 * kYuan);
  ExpectSameAfterRestart();
  EXPECT_EQ(MerchantOf(shop).status, MerchantStatus::kSuspended);
}

TEST_F(PaymentsTest, APaymentIsOneChainWithItsFeeAndRefundsReturnExactlyWhatItDid) {
  const uint64_t alice = SignUp("13800138001");
  Fund(alice, 900 * kYuan);
  const uint64_t shop = Onboard("shop", 60);  // 0.6 %
  EXPECT_EQ(Result(ScanPay(1, alice, shop, 333 * kYuan)), Code(PaymentResult::kOk));
  EXPECT_EQ(last_value_, alice);
  EXPECT_EQ(Balance(alice), 567 * kYuan);
  EXPECT_EQ(PaymentOf(1).fee_fen, 200);  // 33,300 × 0.006 = 199.8 → 200 fen
  EXPECT_EQ(MerchantBalance(shop), 333 * kYuan - 200);
  EXPECT_EQ(FeeIncome(), 200);
  // The same id again moves nothing.
  EXPECT_EQ(Result(ScanPay(1, alice, shop, 333 * kYuan)), Code(PaymentResult::kDuplicate));
  EXPECT_EQ(Balance(alice), 567 * kYuan);

  // Refunds in three parts, the last one taking the remainder of the fee.
  EXPECT_EQ(Result(Refund{10, shop, 1, 100 * kYuan}), Code(PaymentResult::kOk));
  EXPECT_EQ(last_value_, 100u * kYuan);
  EXPECT_EQ(Result(Refund{10, shop, 1, 100 * kYuan}), Code(PaymentResult::kDuplicate));
  EXPECT_EQ(Result(Refund{11, shop, 1, 233 * kYuan + 1}),
            Code(PaymentResult::kRefundExceedsPayment));
  EXPECT_EQ(Result(Refund{11, shop, 1, 200 * kYuan}), Code(PaymentResult::kOk));
  EXPECT_EQ(Result(Refund{12, shop, 1, 33 * kYuan}), Code(PaymentResult::kOk));
  EXPECT_EQ(Result(Refund{13, shop, 1, 1}), Code(PaymentResult::kRefundExceedsPayment));
  EXPECT_EQ(Balance(alice), 900 * kYuan);
  EXPECT_EQ(MerchantBalance(shop), 0);
  EXPECT_EQ(FeeIncome(), 0);
  EXPECT_EQ(PaymentOf(1).fee_refunded_fen, 200);
  // Another merchant cannot refund it.
  const uint64_t other = Onboard("other", 0);
  EXPECT_EQ(Result(Refund{14, other, 1, 1}), Code(PaymentResult::kPaymentNotFound));
  ExpectSameAfterRestart();
}

TEST_F(PaymentsTest, RefundsAreLimitedByWhatTheMerchantHolds) {
  const uint64_t alice = SignUp("13800138001");
  Fund(alice, 100 * kYuan);
  const uint64_t shop = Onboard("shop", 0);
  ASSERT_EQ(Result(ScanPay(1, alice, shop, 100 * kYuan)), Code(PaymentResult::kOk));
  // The merchant's money leaves (as a settlement would).
  CreateTransfers out;
  ledger::Transfer t;
  t.id = 77;
  t.debit_account_id = kMerchantAccountBase + shop;
  t.credit_account_id = kBankClearingAccountId;
  t.amount = 90 * kYuan;
  t.ledger = ledger::kLedgerCny;
  t.code = ledger::transfer_codes::kWithdrawal;
  out.transfers.push_back(t);
  ASSERT_EQ(engine_->Execute(std::move(out)).results[0], 0);
  EXPECT_EQ(Result(Refund{2, shop, 1, 20 * kYuan}),
            Code(PaymentResult::kMerchantInsufficientFunds));
  EXPECT_EQ(PaymentOf(1).refunded_fen, 0);
  EXPECT_EQ(Result(Refund{2, shop, 1, 10 * kYuan}), Code(PaymentResult::kOk));
  ExpectSameAfterRestart();
}

TEST_F(PaymentsTest, TierLimitsAndFundsApplyToPayments) {
  const uint64_t alice = SignUp("13800138001");
  Fund(alice, 900 * kYuan);
  const uint64_t shop = Onboard("shop", 0);
  // Tier IV: ¥500 a payment.
  EXPECT_EQ(Result(ScanPay(1, alice, shop, 501 * kYuan)), Code(PaymentResult::kExceedsPerPayment));
  EXPECT_EQ(Result(ScanPay(1, alice, shop, 500 * kYuan)), Code(PaymentResult::kOk));
  EXPECT_EQ(Result(ScanPay(2, alice, shop, 400 * kYuan)), Code(PaymentResult::kOk));
  // ¥1,000 a day.
  Fund(alice, 200 * kYuan);
  EXPECT_EQ(Result(ScanPay(3, alice, shop, 101 * kYuan)), Code(PaymentResult::kExceedsDaily));
  const uint64_t bob = SignUp("13800138002");
  EXPECT_EQ(Result(ScanPay(4, bob, shop, 1 * kYuan)), Code(PaymentResult::kInsufficientFunds));
  EXPECT_EQ(Result(ScanPay(5, bob + 5, shop, 1 * kYuan)), Code(PaymentResult::kCustomerNotFound));
  EXPECT_EQ(Result(ScanPay(6, bob, shop + 5, 1 * kYuan)), Code(PaymentResult::kMerchantNotFound));
  ExpectSameAfterRestart();
}

TEST_F(PaymentsTest, OrdersArePaidOnceForTheirAmountBeforeTheyExpire) {
  const uint64_t alice = SignUp("13800138001");
  Fund(alice, 900 * kYuan);
  const uint64_t shop = Onboard("shop", 0);
  const int64_t expires = clock_.NowNs() + 600 * kSecond;
  ASSERT_EQ(Result(CreateOrder{shop, "A-1", 88 * kYuan, expires, "午餐", "", ""}),
            Code(PaymentResult::kOk));
  const uint64_t order = last_value_;
  // The same merchant order number: the same order, or a conflict.
  EXPECT_EQ(Result(CreateOrder{shop, "A-1", 88 * kYuan, expires, "午餐", "", ""}),
            Code(PaymentResult::kDuplicate));
  EXPECT_EQ(last_value_, order);
  EXPECT_EQ(Result(CreateOrder{shop, "A-1", 89 * kYuan, expires, "午餐", "", ""}),
            Code(PaymentResult::kOrderExists));

  Pay pay = ScanPay(1, alice, shop, 87 * kYuan);
  pay.channel = PaymentChannel::kDynamicQr;
  pay.order_id = order;
  EXPECT_EQ(Result(pay), Code(PaymentResult::kAmountMismatch));
  pay.amount_fen = 88 * kYuan;
  EXPECT_EQ(Result(pay), Code(PaymentResult::kOk));
  pay.payment_id = 2;
  EXPECT_EQ(Result(pay), Code(PaymentResult::kOrderNotOpen));
  EXPECT_EQ(Balance(alice), 812 * kYuan);
  EXPECT_EQ(Result(CloseOrder{shop, order}), Code(PaymentResult::kOrderNotOpen));

  // Closed and expired orders take nothing.
  ASSERT_EQ(Result(CreateOrder{shop, "A-2", 10 * kYuan, expires, "", "", ""}),
            Code(PaymentResult::kOk));
  const uint64_t closed = last_value_;
  EXPECT_EQ(Result(CloseOrder{shop, closed}), Code(PaymentResult::kOk));
  pay.order_id = closed;
  pay.amount_fen = 10 * kYuan;
  EXPECT_EQ(Result(pay), Code(PaymentResult::kOrderNotOpen));
  ASSERT_EQ(Result(CreateOrder{shop, "A-3", 10 * kYuan, clock_.NowNs() + 5 * kSecond, "", "", ""}),
            Code(PaymentResult::kOk));
  pay.order_id = last_value_;
  clock_.Advance(6 * kSecond);
  EXPECT_EQ(Result(pay), Code(PaymentResult::kOrderExpired));
  EXPECT_EQ(Balance(alice), 812 * kYuan);
  ExpectSameAfterRestart();
}

TEST_F(PaymentsTest, APaymentCodeIsSingleUseAndExpires) {
  const uint64_t alice = SignUp("13800138001");
  Fund(alice, 900 * kYuan);
  const uint64_t shop = Onboard("shop", 0);
  ASSERT_EQ(Result(RegisterPaymentDevice{alice, 4242, "sealed-secret"}), Code(PaymentResult::kOk));
  ASSERT_EQ(Result(SetSmallPayments{alice, true, 200 * kYuan, 1'000 * kYuan}),
            Code(PaymentResult::kOk));
  const uint64_t bob = SignUp("13800138002");
  EXPECT_EQ(Result(RegisterPaymentDevice{bob, 4242, "x"}), Code(PaymentResult::kSlotTaken));

  const int64_t step = CurrentStep();
  EXPECT_EQ(Result(CodePay(1, 4243, step, shop, 10 * kYuan)), Code(PaymentResult::kDeviceNotFound));
  EXPECT_EQ(Result(CodePay(1, 4242, step, shop, 10 * kYuan)), Code(PaymentResult::kOk));
  EXPECT_EQ(last_value_, alice);
  EXPECT_EQ(Balance(alice), 890 * kYuan);
  // The same code again, or an older one: a replay.
  EXPECT_EQ(Result(CodePay(2, 4242, step, shop, 10 * kYuan)), Code(PaymentResult::kCodeReused));
  EXPECT_EQ(Result(CodePay(2, 4242, step - 1, shop, 10 * kYuan)), Code(PaymentResult::kCodeReused));
  // A code from long ago is expired, even if never used.
  clock_.Advance(10 * kStepSeconds * kSecond);
  EXPECT_EQ(Result(CodePay(2, 4242, step + 2, shop, 10 * kYuan)),
            Code(PaymentResult::kCodeExpired));
  EXPECT_EQ(Result(CodePay(2, 4242, CurrentStep() + 5, shop, 10 * kYuan)),
            Code(PaymentResult::kInvalid));
  EXPECT_EQ(Balance(alice), 890 * kYuan);
  // A new device replaces the old one: the old slot's codes stop working.
  ASSERT_EQ(Result(RegisterPaymentDevice{alice, 777, "sealed-2"}), Code(PaymentResult::kOk));
  EXPECT_EQ(Result(CodePay(2, 4242, CurrentStep(), shop, 10 * kYuan)),
            Code(PaymentResult::kDeviceNotFound));
  EXPECT_EQ(Result(CodePay(2, 777, CurrentStep(), shop, 10 * kYuan)), Code(PaymentResult::kOk));
  ExpectSameAfterRestart();
}

TEST_F(PaymentsTest, CodePaymentsBeyondTheSmallPaymentCapsWaitForTheCustomer) {
  const uint64_t alice = SignUp("13800138001");
  Fund(alice, 900 * kYuan);
  const uint64_t shop = Onboard("shop", 100);  // 1 %
  ASSERT_EQ(Result(RegisterPaymentDevice{alice, 5, "sealed"}), Code(PaymentResult::kOk));
  // Off by default: every code payment waits for confirmation, as a hold.
  EXPECT_EQ(Result(CodePay(1, 5, CurrentStep(), shop, 50 * kYuan)), Code(PaymentResult::kOk));
  EXPECT_EQ(PaymentOf(1).state, PaymentState::kAwaitingConfirmation);
  EXPECT_EQ(Balance(alice), 900 * kYuan);
  EXPECT_EQ(FindAccount(kCustomerWalletAccountBase + alice)->debits_pending, 50 * kYuan);
  EXPECT_EQ(Result(Refund{9, shop, 1, 1 * kYuan}), Code(PaymentResult::kPaymentNotCompleted));
  EXPECT_EQ(Result(ConfirmPayment{alice + 1, 1, true, {}}), Code(PaymentResult::kPaymentNotFound));
  EXPECT_EQ(Result(ConfirmPayment{alice, 1, true, {}}), Code(PaymentResult::kOk));
  EXPECT_EQ(PaymentOf(1).state, PaymentState::kCompleted);
  EXPECT_EQ(Balance(alice), 850 * kYuan);
  EXPECT_EQ(MerchantBalance(shop), 50 * kYuan - 50);
  EXPECT_EQ(Result(ConfirmPayment{alice, 1, true, {}}),
            Code(PaymentResult::kNotAwaitingConfirmation));

  // Declined: the hold is released.
  clock_.Advance(kStepSeconds * kSecond);
  EXPECT_EQ(Result(CodePay(2, 5, CurrentStep(), shop, 20 * kYuan)), Code(PaymentResult::kOk));
  EXPECT_EQ(Result(ConfirmPayment{alice, 2, false, {}}), Code(PaymentResult::kOk));
  EXPECT_EQ(PaymentOf(2).state, PaymentState::kCancelled);
  EXPECT_EQ(Balance(alice), 850 * kYuan);
  EXPECT_EQ(FindAccount(kCustomerWalletAccountBase + alice)->debits_pending, 0);

  // Never answered: the hold times out and the payment is cancelled.
  clock_.Advance(kStepSeconds * kSecond);
  EXPECT_EQ(Result(CodePay(3, 5, CurrentStep(), shop, 20 * kYuan)), Code(PaymentResult::kOk));
  clock_.Advance((kConfirmationTimeoutS + 1) * kSecond);
  EXPECT_EQ(Result(ConfirmPayment{alice, 3, true, {}}),
            Code(PaymentResult::kNotAwaitingConfirmation));
  EXPECT_EQ(PaymentOf(3).state, PaymentState::kCancelled);
  EXPECT_EQ(FindAccount(kCustomerWalletAccountBase + alice)->debits_pending, 0);

  // Enabled with caps ¥30 a payment and ¥50 a day.
  EXPECT_EQ(Result(SetSmallPayments{alice, true, 30 * kYuan, 20 * kYuan}),
            Code(PaymentResult::kInvalid));
  ASSERT_EQ(Result(SetSmallPayments{alice, true, 30 * kYuan, 50 * kYuan}),
            Code(PaymentResult::kOk));
  clock_.Advance(kStepSeconds * kSecond);
  EXPECT_EQ(Result(CodePay(4, 5, CurrentStep(), shop, 30 * kYuan)), Code(PaymentResult::kOk));
  EXPECT_EQ(PaymentOf(4).state, PaymentState::kCompleted);
  clock_.Advance(kStepSeconds * kSecond);
  EXPECT_EQ(Result(CodePay(5, 5, CurrentStep(), shop, 31 * kYuan)), Code(PaymentResult::kOk));
  EXPECT_EQ(PaymentOf(5).state, PaymentState::kAwaitingConfirmation);
  clock_.Advance(kStepSeconds * kSecond);
  EXPECT_EQ(Result(CodePay(6, 5, CurrentStep(), shop, 20 * kYuan)), Code(PaymentResult::kOk));
  EXPECT_EQ(PaymentOf(6).state, PaymentState::kCompleted);  // ¥50 today now.
  clock_.Advance(kStepSeconds * kSecond);
  EXPECT_EQ(Result(CodePay(7, 5, CurrentStep(), shop, 1)), Code(PaymentResult::kOk));
  EXPECT_EQ(PaymentOf(7).state, PaymentState::kAwaitingConfirmation);
  ExpectSameAfterRestart();
  EXPECT_EQ(PaymentOf(5).state, PaymentState::kAwaitingConfirmation);
}

TEST_F(PaymentsTest, MerchantLoginsSessionsAndApiKeys) {
  const uint64_t shop = Onboard("shop", 0);
  uint64_t user = 0;
  Query([&](const StateMachine& s) {
    user = s.payments().users().FindByUsername("shop")->id;
    EXPECT_EQ(s.payments().MerchantOfUser(user), shop);
  });
  for (int i = 0; i < 4; i++) {
    EXPECT_EQ(Result(RecordMerchantLogin{user, false}), Code(PaymentResult::kOk));
  }
  EXPECT_EQ(Result(RecordMerchantLogin{user, false}), Code(PaymentResult::kLoginLocked));
  EXPECT_EQ(Result(RecordMerchantLogin{user, true}), Code(PaymentResult::kLoginLocked));
  EXPECT_EQ(Result(CreateMerchantSession{"tok", user}), Code(PaymentResult::kOk));
  EXPECT_EQ(Result(CreateMerchantSession{"tok", user}), Code(PaymentResult::kSessionExists));
  EXPECT_EQ(Result(RevokeSession{"tok"}), Code(IdentityResult::kOk));
  EXPECT_EQ(Result(RevokeSession{"tok"}), Code(IdentityResult::kSessionNotFound));

  for (int i = 0; i < 5; i++) {
    EXPECT_EQ(Result(IssueApiKey{shop, {"mk_" + std::to_string(i), "sealed", 0, false}}),
              Code(PaymentResult::kOk));
  }
  EXPECT_EQ(Result(IssueApiKey{shop, {"mk_9", "sealed", 0, false}}),
            Code(PaymentResult::kApiKeyRefused));
  EXPECT_EQ(Result(RevokeApiKey{shop, "mk_0"}), Code(PaymentResult::kOk));
  EXPECT_EQ(Result(RevokeApiKey{shop, "mk_0"}), Code(PaymentResult::kApiKeyNotFound));
  EXPECT_EQ(Result(IssueApiKey{shop, {"mk_1", "sealed", 0, false}}),
            Code(PaymentResult::kApiKeyRefused));  // The id is taken, revoked or not.
  EXPECT_EQ(Result(IssueApiKey{shop, {"mk_9", "sealed", 0, false}}), Code(PaymentResult::kOk));
  ExpectSameAfterRestart();
  Query([&](const StateMachine& s) {
    EXPECT_EQ(s.payments().FindMerchantByKeyId("mk_9")->id, shop);
    EXPECT_EQ(s.payments().FindMerchantByKeyId("nope"), nullptr);
  });
}

TEST_F(PaymentsTest, SettlementPaysYesterdaysTakingsOnceAndAFailedOneAgain) {
  const uint64_t alice = SignUp("13800138001");
  Fund(alice, 900 * kYuan);
  const uint64_t shop = Onboard("shop", 100);  // 1 %
  const int64_t kDay = 86'400 * kSecond;
  auto today = [&] { return (clock_.NowNs() + 8 * 3'600 * kSecond) / kDay; };
  const int64_t day1 = today();
  ASSERT_EQ(Result(ScanPay(1, alice, shop, 100 * kYuan)), Code(PaymentResult::kOk));
  // Not before the day is over (T+1).
  EXPECT_EQ(Result(StartSettlement{50, shop, day1}), Code(PaymentResult::kInvalid));
  clock_.Advance(kDay);
  // Today's takings wait for tomorrow's run.
  ASSERT_EQ(Result(ScanPay(2, alice, shop, 50 * kYuan)), Code(PaymentResult::kOk));
  EXPECT_EQ(Result(StartSettlement{50, shop, day1}), Code(PaymentResult::kOk));
  EXPECT_EQ(last_value_, static_cast<uint64_t>(99 * kYuan));
  EXPECT_EQ(FindAccount(kMerchantAccountBase + shop)->debits_pending, 99 * kYuan);
  EXPECT_EQ(Result(StartSettlement{51, shop, day1}), Code(PaymentResult::kDuplicate));
  EXPECT_EQ(last_value_, 50u);
  // The bank refused: the money is back to settle, with its day.
  EXPECT_EQ(Result(FinishSettlement{50, false}), Code(PaymentResult::kOk));
  EXPECT_EQ(Result(FinishSettlement{50, true}), Code(PaymentResult::kSettlementFinished));
  EXPECT_EQ(Result(FinishSettlement{99, true}), Code(PaymentResult::kSettlementNotFound));
  EXPECT_EQ(MerchantBalance(shop), 148'50);
  clock_.Advance(kDay);
  // The next run covers both days.
  EXPECT_EQ(Result(StartSettlement{60, shop, day1 + 1}), Code(PaymentResult::kOk));
  EXPECT_EQ(last_value_, static_cast<uint64_t>(148'50));
  EXPECT_EQ(Result(FinishSettlement{60, true}), Code(PaymentResult::kOk));
  EXPECT_EQ(MerchantBalance(shop), 0);
  EXPECT_EQ(FindAccount(kBankClearingAccountId)->CreditBalance(), -900 * kYuan + 148'50);
  EXPECT_EQ(Result(StartSettlement{61, shop, day1 + 1 - 2}), Code(PaymentResult::kNothingToSettle));
  // After payout, a refund needs new takings to cover it.
  EXPECT_EQ(Result(Refund{70, shop, 1, 10 * kYuan}),
            Code(PaymentResult::kMerchantInsufficientFunds));
  ASSERT_EQ(Result(ScanPay(3, alice, shop, 20 * kYuan)), Code(PaymentResult::kOk));
  EXPECT_EQ(Result(Refund{70, shop, 1, 10 * kYuan}), Code(PaymentResult::kOk));
  // Today's net is 19.80 - 9.90 = 9.90, tomorrow's run pays exactly that.
  clock_.Advance(kDay);
  EXPECT_EQ(Result(StartSettlement{80, shop, today() - 1}), Code(PaymentResult::kOk));
  EXPECT_EQ(last_value_, static_cast<uint64_t>(9'90));
  EXPECT_EQ(Result(ReviewMerchant{shop, staff_, MerchantStatus::kSuspended}),
            Code(PaymentResult::kOk));
  ExpectSameAfterRestart();
}

// Settlement runs leave a system entry each (started, finished) in the audit chain; refused ones
// leave none; and the rows the projector wrote still verify against the engine's head (what
// `qianbao audit verify` checks).
TEST_F(PaymentsTest, SettlementRunsAreAudited) {
  const uint64_t alice = SignUp("13800138001");
  Fund(alice, 900 * kYuan);
  const uint64_t shop = Onboard("shop", 100);
  const int64_t kDay = 86'400 * kSecond;
  const int64_t day1 = (clock_.NowNs() + 8 * 3'600 * kSecond) / kDay;
  ASSERT_EQ(Result(ScanPay(1, alice, shop, 100 * kYuan)), Code(PaymentResult::kOk));
  EXPECT_EQ(Result(StartSettlement{50, shop, day1}), Code(PaymentResult::kInvalid));
  clock_.Advance(kDay);
  ASSERT_EQ(Result(StartSettlement{50, shop, day1}), Code(PaymentResult::kOk));
  EXPECT_EQ(Result(StartSettlement{51, shop, day1}), Code(PaymentResult::kDuplicate));
  ASSERT_EQ(Result(FinishSettlement{50, true}), Code(PaymentResult::kOk));
  EXPECT_EQ(Result(FinishSettlement{50, true}), Code(PaymentResult::kSettlementFinished));

  audit::AuditChain head;
  Query([&](const StateMachine& s) { head = s.audit_chain(); });
  uint64_t last = 0, projected = 0;
  ASSERT_TRUE(store_->inner()->LastJournalSeq(&last).ok());
  for (int i = 0; i < 500 && projected < last; i++) {
    ASSERT_TRUE(store_->inner()->ProjectedSeq(&projected).ok());
    if (projected < last) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::vector<audit::AuditEntry> rows;
  ASSERT_TRUE(store_->inner()->ReadAuditEntries(1, 1'000, &rows).ok());
  const audit::AuditVerifyResult verified = audit::VerifyAuditChain(rows, 0, Digest{}, head.head());
  EXPECT_TRUE(verified.ok) << verified.problem;
  std::vector<audit::AuditEntry> settlement;
  for (const audit::AuditEntry& row : rows) {
    if (row.event.action.starts_with("settlement.")) settlement.push_back(row);
  }
  ASSERT_EQ(settlement.size(), 2u);
  EXPECT_EQ(settlement[0].event.action, "settlement.start");
  EXPECT_EQ(settlement[0].event.actor_kind, audit::ActorKind::kSystem);
  EXPECT_EQ(settlement[0].event.target, "settlement:50");
  EXPECT_EQ(settlement[0].event.detail, "{\"merchant_id\":" + std::to_string(shop) +
                                            ",\"business_day\":" + std::to_string(day1) +
                                            ",\"amount_fen\":9900}");
  EXPECT_EQ(settlement[1].event.action, "settlement.finish");
  EXPECT_EQ(settlement[1].event.detail,
            "{\"merchant_id\":" + std::to_string(shop) + ",\"amount_fen\":9900,\"paid\":true}");
  ExpectSameAfterRestart();
}

TEST_F(PaymentsTest, NfcTapsMustRaiseTheCounterWithinTheKeys) {
  const uint64_t alice = SignUp("13800138001");
  Fund(alice, 900 * kYuan);
  const uint64_t shop = Onboard("shop", 0);
  ASSERT_EQ(Result(SetSmallPayments{alice, true, 200 * kYuan, 1'000 * kYuan}),
            Code(PaymentResult::kOk));
  const std::string token = *paytoken::MakeTokenNumber("900000000000001");
  EXPECT_EQ(Result(IssueNfcToken{alice, "1234", 2, 1}), Code(PaymentResult::kInvalid));
  ASSERT_EQ(Result(IssueNfcToken{alice, token, 2, 1}), Code(PaymentResult::kOk));
  EXPECT_EQ(Result(IssueNfcToken{alice, token, 2, 1}), Code(PaymentResult::kNfcTokenTaken));
  auto tap = [&](uint64_t id, uint32_t atc, const std::string& number = "") {
    Pay pay;
    pay.payment_id = id;
    pay.merchant_id = shop;
    pay.amount_fen = 10 * kYuan;
    pay.channel = PaymentChannel::kNfc;
    pay.nfc_token = number.empty() ? token : number;
    pay.nfc_atc = atc;
    return Result(pay);
  };
  EXPECT_EQ(tap(1, 1), Code(PaymentResult::kOk));
  EXPECT_EQ(last_value_, alice);
  EXPECT_EQ(tap(2, 1), Code(PaymentResult::kNfcReplayed));
  EXPECT_EQ(tap(2, 3), Code(PaymentResult::kNfcKeysExhausted));  // Keys for ATC 1 and 2 only.
  EXPECT_EQ(tap(2, 2), Code(PaymentResult::kOk));
  EXPECT_EQ(tap(3, 3), Code(PaymentResult::kNfcKeysExhausted));
  ASSERT_EQ(Result(RefreshNfcToken{alice, 2, 1}), Code(PaymentResult::kOk));
  EXPECT_EQ(last_value_, 1u);
  EXPECT_EQ(tap(3, 3), Code(PaymentResult::kOk));
  EXPECT_EQ(Balance(alice), 870 * kYuan);
  // A new token: the old one stops working.
  const std::string second = *paytoken::MakeTokenNumber("900000000000002");
  ASSERT_EQ(Result(IssueNfcToken{alice, second, 2, 1}), Code(PaymentResult::kOk));
  EXPECT_EQ(tap(4, 4), Code(PaymentResult::kNfcTokenNotFound));
  EXPECT_EQ(tap(4, 1, second), Code(PaymentResult::kOk));
  ExpectSameAfterRestart();
  EXPECT_EQ(tap(5, 1, second), Code(PaymentResult::kNfcReplayed));
}

}  // namespace
}  // namespace qb::engine
