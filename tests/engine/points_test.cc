// The points programme through the engine (command 68 and Pay::points): earning on what is
// paid in cash, multipliers, paying with points in the payment's one linked chain, refunds
// reversing exactly, forfeit at closure, and the same state after a restart.
#include <gtest/gtest.h>

#include "engine/state_machine_internal.h"
#include "marketing/segments.h"
#include "marketing_fixture.h"
#include "points/program.h"

namespace qb::engine::testing {
namespace {

using marketing::CampaignType;

points::MultiplierRule Rule(std::string name, int32_t multiplier) {
  points::MultiplierRule rule;
  rule.name = std::move(name);
  rule.multiplier = multiplier;
  return rule;
}

class PointsTest : public MarketingTest {
 protected:
  // 1 point a yuan; 100 points make ¥1; points pay at most half a payment.
  static points::Program Program() {
    points::Program program;
    program.enabled = true;
    program.earn_per_yuan = 1;
    program.redeem_points_per_yuan = 100;
    program.redeem_max_bps = 5'000;
    return program;
  }
  uint8_t SetProgram(const points::Program& program) {
    return Marketing(SetPointsProgram{staff_, program});
  }
  int64_t Points(uint64_t customer) {
    int64_t balance = 0;
    Query([&](const StateMachine& s) { balance = s.PointsBalance(customer); });
    return balance;
  }
  int64_t Pool() {
    std::optional<ledger::Account> pool = FindAccount(kPointsPoolAccountId);
    return pool ? pool->CreditBalance() : 0;
  }
  points::PaymentPoints RecordOf(uint64_t payment_id) {
    points::PaymentPoints copy;
    Query([&](const StateMachine& s) {
      if (const points::PaymentPoints* r = s.points().FindPayment(payment_id)) copy = *r;
    });
    return copy;
  }
  Pay PayWithPoints(uint64_t id, uint64_t customer, uint64_t merchant, int64_t amount,
                    int64_t points) {
    Pay pay = ScanPay(id, customer, merchant, amount);
    pay.points = points;
    return pay;
  }
};

TEST_F(PointsTest, TheProgrammeIsAStaffCommandValidatedByTheEngine) {
  EXPECT_EQ(Marketing(SetPointsProgram{staff_ + 99, Program()}),
            Code(PaymentResult::kStaffNotFound));
  points::Program bad = Program();
  bad.multipliers.push_back(Rule("x", 11));
  EXPECT_EQ(SetProgram(bad), Code(PaymentResult::kInvalid));
  EXPECT_EQ(last_text_, "POINTS_INVALID_PROGRAM:multipliers[0].multiplier");
  bad = Program();
  bad.redeem_max_bps = 10'001;
  EXPECT_EQ(SetProgram(bad), Code(PaymentResult::kInvalid));
  EXPECT_EQ(last_text_, "POINTS_INVALID_PROGRAM:redeem_max_bps");
  // Nothing set yet: no points state at all.
  Query([&](const StateMachine& s) { EXPECT_FALSE(s.points().on()); });

  ASSERT_EQ(SetProgram(Program()), Code(PaymentResult::kOk));
  EXPECT_EQ(last_value_, 1u);
  points::Program second = Program();
  second.earn_per_yuan = 2;
  ASSERT_EQ(SetProgram(second), Code(PaymentResult::kOk));
  EXPECT_EQ(last_value_, 2u);
  Query([&](const StateMachine& s) {
    EXPECT_EQ(s.points().program().earn_per_yuan, 2);
    EXPECT_EQ(s.points().version(), 2u);
  });
  ExpectSameAfterRestart();
}

TEST_F(PointsTest, APaymentEarnsOnWhatWasPaidInCashWithTheBestMultiplier) {
  const uint64_t alice = SignUp("13800138001");
  Fund(alice, 900 * kYuan);
  const uint64_t shop = Onboard("shop", 100);
  // Before any programme a payment earns nothing and the ledger has no points accounts.
  ASSERT_EQ(Result(ScanPay(1, alice, shop, 10 * kYuan)), Code(PaymentResult::kOk));
  EXPECT_FALSE(FindAccount(kPointsPoolAccountId).has_value());

  points::Program program = Program();
  const int32_t today = points::ChinaWeekday(kStartS);
  program.multipliers = {Rule("today x3", 3), Rule("tomorrow x5", 5), Rule("tier i x8", 8)};
  program.multipliers[0].weekday_mask = static_cast<uint8_t>(1u << today);
  program.multipliers[1].weekday_mask = static_cast<uint8_t>(1u << ((today + 1) % 7));
  // A tier I customer only: Alice is tier IV.
  program.multipliers[2].segment_mask = marketing::SegmentBit(marketing::Segment::kTierI);
  ASSERT_EQ(SetProgram(program), Code(PaymentResult::kOk));

  // ¥123.45 paid: 123 whole yuan × 1 × 3 (today's rule; not tomorrow's, not tier I's).
  ASSERT_EQ(Result(ScanPay(2, alice, shop, 12'345)), Code(PaymentResult::kOk));
  EXPECT_EQ(Points(alice), 369);
  EXPECT_EQ(Pool(), -369);
  EXPECT_EQ(RecordOf(2).earned, 369);
  EXPECT_EQ(Balance(alice), 900 * kYuan - 10 * kYuan - 12'345);
  // The earn rides in the payment's linked chain, before the fee.
  Query([&](const StateMachine& s) {
    const ledger::Transfer* earn = s.ledger().FindTransfer(internal::DerivedId(2, "points-earn"));
    ASSERT_NE(earn, nullptr);
    EXPECT_EQ(earn->ledger, ledger::kLedgerPoints);
    EXPECT_EQ(earn->code, ledger::transfer_codes::kPointsEarn);
    EXPECT_EQ(earn->credit_account_id, kPointsAccountBase + alice);
    EXPECT_NE(earn->flags & ledger::transfer_flags::kLinked, 0);
    EXPECT_NE(s.ledger().FindTransfer(2)->flags & ledger::transfer_flags::kLinked, 0);
  });

  // A day later tomorrow's ×5 applies. Under ¥1 earns nothing.
  clock_.Advance(86'400 * kSecond);
  ASSERT_EQ(Result(ScanPay(3, alice, shop, 10 * kYuan)), Code(PaymentResult::kOk));
  EXPECT_EQ(RecordOf(3).earned, 50);
  ASSERT_EQ(Result(ScanPay(4, alice, shop, 99)), Code(PaymentResult::kOk));
  EXPECT_EQ(RecordOf(4).earned, 0);
  EXPECT_EQ(Points(alice), 419);

  // Switched off: nothing more is earned, what is held stays.
  program.enabled = false;
  ASSERT_EQ(SetProgram(program), Code(PaymentResult::kOk));
  ASSERT_EQ(Result(ScanPay(5, alice, shop, 10 * kYuan)), Code(PaymentResult::kOk));
  EXPECT_EQ(Points(alice), 419);
  ExpectLedgerSound();
  ExpectSameAfterRestart();
}

TEST_F(PointsTest, PointsPayPartOfAPaymentAndTheBankPaysTheMerchantTheirWorth) {
  const uint64_t instant = StartCampaign(MakeCampaign(CampaignType::kInstantDiscount, 10'000));
  const uint64_t alice = SignUp("13800138001");
  Fund(alice, 900 * kYuan);
  const uint64_t shop = Onboard("shop", 100);
  ASSERT_EQ(SetProgram(Program()), Code(PaymentResult::kOk));
  // ¥300 with the ¥5 discount: 295 points.
  ASSERT_EQ(Result(ScanPay(1, alice, shop, 300 * kYuan)), Code(PaymentResult::kOk));
  ASSERT_EQ(Points(alice), 295);
  const int64_t balance = Balance(alice);
  const int64_t merchant = MerchantBalance(shop);
  const int64_t expense = Expense();

  // More than she holds, and with redemption off: refused, nothing moves.
  EXPECT_EQ(Result(PayWithPoints(2, alice, shop, 100 * kYuan, 296)),
            Code(PaymentResult::kPointsInsufficient));
  points::Program no_redeem = Program();
  no_redeem.redeem_points_per_yuan = 0;
  ASSERT_EQ(SetProgram(no_redeem), Code(PaymentResult::kOk));
  EXPECT_EQ(Result(PayWithPoints(2, alice, shop, 100 * kYuan, 100)),
            Code(PaymentResult::kPointsNotAccepted));
  EXPECT_EQ(Balance(alice), balance);
  EXPECT_EQ(Points(alice), 295);
  ASSERT_EQ(SetProgram(Program()), Code(PaymentResult::kOk));

  // ¥4 with all 295 points: at most half (¥2) is taken, so 200 points pay ¥2. The campaign's
  // ¥5 off does not apply (points do not combine with offers); ¥2 cash earns 2 points.
  ASSERT_EQ(Result(PayWithPoints(2, alice, shop, 4 * kYuan, 295)), Code(PaymentResult::kOk));
  const points::PaymentPoints record = RecordOf(2);
  EXPECT_EQ(record.redeemed, 200);
  EXPECT_EQ(record.discount_fen, 200);
  EXPECT_EQ(record.paid_fen, 200);
  EXPECT_EQ(record.earned, 2);
  EXPECT_EQ(Points(alice), 295 - 200 + 2);
  EXPECT_EQ(Balance(alice), balance - 200);
  EXPECT_EQ(MarketingOf(2).discount_fen, 0);
  EXPECT_EQ(Budget(instant), 10'000 - 500);
  // The merchant gets the full amount less the fee; the bank's marketing expense pays ¥2.
  EXPECT_EQ(MerchantBalance(shop), merchant + 4 * kYuan - 4);
  EXPECT_EQ(Expense(), expense - 200);
  Query([&](const StateMachine& s) {
    const ledger::Transfer* redeem =
        s.ledger().FindTransfer(internal::DerivedId(2, "points-redeem"));
    const ledger::Transfer* worth =
        s.ledger().FindTransfer(internal::DerivedId(2, "points-discount"));
    ASSERT_NE(redeem, nullptr);
    ASSERT_NE(worth, nullptr);
    EXPECT_EQ(redeem->amount, 200);
    EXPECT_EQ(redeem->credit_account_id, kPointsPoolAccountId);
    EXPECT_EQ(worth->debit_account_id, kMarketingExpenseAccountId);
    EXPECT_EQ(worth->ledger, ledger::kLedgerCny);
    EXPECT_NE(worth->flags & ledger::transfer_flags::kLinked, 0);
  });
  // 350 points at 150 a yuan buy ¥2.33 of a ¥10 payment, for 350 points (349.5 rounded up).
  points::Program dear = Program();
  dear.redeem_points_per_yuan = 150;
  ASSERT_EQ(SetProgram(dear), Code(PaymentResult::kOk));
  ASSERT_EQ(Result(ScanPay(3, alice, shop, 300 * kYuan)), Code(PaymentResult::kOk));
  ASSERT_GE(Points(alice), 350);
  ASSERT_EQ(Result(PayWithPoints(4, alice, shop, 10 * kYuan, 350)), Code(PaymentResult::kOk));
  EXPECT_EQ(RecordOf(4).discount_fen, 233);
  EXPECT_EQ(RecordOf(4).redeemed, 350);
  ExpectLedgerSound();
  ExpectSameAfterRestart();
}

TEST_F(PointsTest, RefundsReverseEarnedAndRedeemedPointsExactly) {
  const uint64_t alice = SignUp("13800138001");
  Fund(alice, 900 * kYuan);
  const uint64_t shop = Onboard("shop", 100);
  ASSERT_EQ(SetProgram(Program()), Code(PaymentResult::kOk));
  ASSERT_EQ(Result(ScanPay(1, alice, shop, 500 * kYuan)), Code(PaymentResult::kOk));
  ASSERT_EQ(Points(alice), 500);
  // ¥10 with 500 points: ¥5 in points, ¥5 in cash, earning 5.
  ASSERT_EQ(Result(PayWithPoints(2, alice, shop, 10 * kYuan, 500)), Code(PaymentResult::kOk));
  ASSERT_EQ(Points(alice), 5);
  const int64_t balance = Balance(alice);
  const int64_t merchant = MerchantBalance(shop);
  const int64_t expense = Expense();

  // The customer paid ¥5 in cash: that is what can be refunded.
  EXPECT_EQ(Result(Refund{50, shop, 2, 501}), Code(PaymentResult::kRefundExceedsPayment));
  // A third (¥1.67 of ¥5): floor-kept shares go back — 167 of 500 points, 2 of 5 earned, 167
  // fen of the worth from the merchant to the bank.
  ASSERT_EQ(Result(Refund{50, shop, 2, 167}), Code(PaymentResult::kOk));
  EXPECT_EQ(Points(alice), 5 + 167 - 2);
  EXPECT_EQ(Balance(alice), balance + 167);
  EXPECT_EQ(Expense(), expense + 167);
  EXPECT_EQ(MerchantBalance(shop), merchant - 167 - 167 + 3);  // Fee share 3 comes back.
  ExpectLedgerSound();
  // The rest: everything of this payment is back.
  ASSERT_EQ(Result(Refund{51, shop, 2, 333}), Code(PaymentResult::kOk));
  EXPECT_EQ(Points(alice), 500);
  EXPECT_EQ(Balance(alice), balance + 500);
  EXPECT_EQ(Expense(), expense + 500);
  const points::PaymentPoints record = RecordOf(2);
  EXPECT_EQ(record.redeemed_restored, 500);
  EXPECT_EQ(record.earned_reversed, 5);
  EXPECT_EQ(record.discount_returned_fen, 500);

  // Points already spent are not clawed back beyond the balance: she spends the 500 from
  // payment 1, which is then refunded in full.
  ASSERT_EQ(Result(PayWithPoints(3, alice, shop, 20 * kYuan, 500)), Code(PaymentResult::kOk));
  ASSERT_EQ(Points(alice), 15);  // ¥15 cash earns 15.
  ASSERT_EQ(Result(Refund{52, shop, 1, 500 * kYuan}), Code(PaymentResult::kOk));
  EXPECT_EQ(Points(alice), 0);
  EXPECT_EQ(RecordOf(1).earned_reversed, 15);
  EXPECT_EQ(Pool(), 0);
  ExpectLedgerSound();
  ExpectSameAfterRestart();
}

TEST_F(PointsTest, AHeldPaymentRedeemsItsPointsWhenConfirmedAndNotWhenCancelled) {
  const uint64_t alice = SignUp("13800138001");
  Fund(alice, 900 * kYuan);
  const uint64_t shop = Onboard("shop", 0);
  ASSERT_EQ(SetProgram(Program()), Code(PaymentResult::kOk));
  ASSERT_EQ(Result(ScanPay(1, alice, shop, 200 * kYuan)), Code(PaymentResult::kOk));
  ASSERT_EQ(Points(alice), 200);
  // A payment-code payment above the small-payment limit waits for the customer.
  ASSERT_EQ(Result(RegisterPaymentDevice{alice, 5, "sealed"}), Code(PaymentResult::kOk));
  Pay held = CodePay(2, 5, CurrentStep(), shop, 100 * kYuan);
  held.points = 150;
  ASSERT_EQ(Result(held), Code(PaymentResult::kOk));
  ASSERT_EQ(PaymentOf(2).state, payments::PaymentState::kAwaitingConfirmation);
  EXPECT_EQ(Points(alice), 200);
  ASSERT_EQ(Result(ConfirmPayment{alice, 2, true, {}}), Code(PaymentResult::kOk));
  EXPECT_EQ(RecordOf(2).redeemed, 150);
  EXPECT_EQ(Points(alice), 50 + 98);  // ¥98.50 cash earns 98.
  EXPECT_EQ(Balance(alice), 900 * kYuan - 200 * kYuan - 9'850);

  clock_.Advance(kStepSeconds * kSecond);  // A payment code is used once.
  Pay cancelled = CodePay(3, 5, CurrentStep(), shop, 100 * kYuan);
  cancelled.points = 100;
  ASSERT_EQ(Result(cancelled), Code(PaymentResult::kOk));
  Query([&](const StateMachine& s) { EXPECT_EQ(s.points().PendingRedeem(3), 100); });
  ASSERT_EQ(Result(ConfirmPayment{alice, 3, false, {}}), Code(PaymentResult::kOk));
  EXPECT_EQ(Points(alice), 148);
  Query([&](const StateMachine& s) { EXPECT_EQ(s.points().PendingRedeem(3), 0); });
  ExpectLedgerSound();
  ExpectSameAfterRestart();
}

TEST_F(PointsTest, ClosingTheWalletForfeitsThePoints) {
  const uint64_t alice = SignUp("13800138001");
  Fund(alice, 100 * kYuan);
  const uint64_t shop = Onboard("shop", 0);
  ASSERT_EQ(SetProgram(Program()), Code(PaymentResult::kOk));
  ASSERT_EQ(Result(ScanPay(1, alice, shop, 100 * kYuan)), Code(PaymentResult::kOk));
  ASSERT_EQ(Points(alice), 100);
  clock_.Advance(61 * kSecond);
  ASSERT_EQ(Result(IssueOtp{"13800138001", identity::OtpPurpose::kCloseAccount, "close"}),
            Code(identity::IdentityResult::kOk));
  ASSERT_EQ(Result(CloseCustomer{alice, "close"}), Code(identity::IdentityResult::kOk));
  EXPECT_EQ(Points(alice), 0);
  EXPECT_EQ(Pool(), 0);
  // A refund afterwards takes no points back from the closed account and gives none.
  ASSERT_EQ(Result(Refund{50, shop, 1, 100 * kYuan}), Code(PaymentResult::kOk));
  EXPECT_EQ(Points(alice), 0);
  ExpectLedgerSound();
  ExpectSameAfterRestart();
}

}  // namespace
}  // namespace qb::engine::testing
