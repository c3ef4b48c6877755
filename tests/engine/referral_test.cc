// Friend referral through the engine (command 69, registrations with an invite code and the
// invitee's qualifying payment): both sides rewarded once, in cash from the programme's funded
// budget or in points; self-referral refused by device and by identity, with the risk engine
// off and on; the inviter's monthly cap; the budget; the deadline; the clawback on refund; and
// the same state after a restart.
#include <gtest/gtest.h>

#include "engine/state_machine_internal.h"
#include "marketing_fixture.h"
#include "referral/invite_code.h"
#include "risk/default_rules.h"

namespace qb::engine::testing {
namespace {

using referral::Reason;
using referral::RewardKind;
using referral::Status;

// Keyed device hashes as the API makes them (hex); the risk engine keys them by the first 16.
const std::string kPhoneA = std::string(64, 'a');
const std::string kPhoneB = std::string(64, 'b');
const std::string kPhoneC = std::string(64, 'c');
const std::string kPhoneD = std::string(64, 'd');

class ReferralTest : public MarketingTest {
 protected:
  // Inviter ¥10 cash, invitee 500 points, on a first payment of ¥10 or more within 30 days.
  static referral::Program Program() {
    referral::Program program;
    program.enabled = true;
    program.qualify_days = 30;
    program.min_payment_fen = 10 * kYuan;
    program.inviter = {RewardKind::kCash, 10 * kYuan};
    program.invitee = {RewardKind::kPoints, 500};
    program.inviter_monthly_cap = 10;
    program.budget_fen = 1'000 * kYuan;
    return program;
  }
  uint8_t SetProgram(const referral::Program& program) {
    return Marketing(SetReferralProgram{staff_, program});
  }
  // Signs up on `device` (a session on it, as the API opens after sign-up) with `code`, and
  // verifies a real-name identity of its own unless told not to.
  uint64_t Join(const std::string& phone, const std::string& device, const std::string& code = "",
                bool verify = true) {
    EXPECT_EQ(Result(IssueOtp{phone, identity::OtpPurpose::kRegister, "h" + phone}),
              Code(identity::IdentityResult::kOk));
    EXPECT_EQ(Result(RegisterCustomer{{phone, "h" + phone, "argon2", "organic", code}, device, ""}),
              Code(identity::IdentityResult::kOk));
    const uint64_t id = last_value_;
    EXPECT_EQ(Result(CreateSession{"session-" + phone, id, device}),
              Code(identity::IdentityResult::kOk));
    if (verify) Verify(id, "lookup-" + phone);
    return id;
  }
  Pay PayOn(uint64_t id, uint64_t customer, uint64_t merchant, int64_t amount,
            const std::string& device) {
    Pay pay = ScanPay(id, customer, merchant, amount);
    pay.auth.device_hash = device;
    return pay;
  }
  referral::Referral Of(uint64_t invitee) {
    referral::Referral copy;
    Query([&](const StateMachine& s) {
      if (const referral::Referral* r = s.referrals().Find(invitee)) copy = *r;
    });
    return copy;
  }
  void Verify(uint64_t customer, const std::string& lookup) {
    identity::VerifiedIdentity verified{"张三", lookup, "sealed", "1101**********002X", 0};
    ASSERT_EQ(Result(VerifyIdentity{customer, verified}), Code(identity::IdentityResult::kOk));
  }
  int64_t Points(uint64_t customer) {
    int64_t balance = 0;
    Query([&](const StateMachine& s) { balance = s.PointsBalance(customer); });
    return balance;
  }
  int64_t Spent() {
    int64_t spent = 0;
    Query([&](const StateMachine& s) { spent = s.referrals().spent_fen(); });
    return spent;
  }
  int64_t BudgetLeft() {
    std::optional<ledger::Account> budget = FindAccount(kReferralBudgetAccountId);
    return budget ? budget->CreditBalance() : 0;
  }
  // The budget account holds exactly what the book says is left.
  void ExpectBudgetAgrees() {
    referral::Program program;
    Query([&](const StateMachine& s) { program = s.referrals().program(); });
    EXPECT_EQ(BudgetLeft(), program.budget_fen - Spent());
  }
  void InstallDefaultRules() {
    ASSERT_EQ(Result(SetRiskRules{staff_, false, risk::DefaultRuleSet()}),
              static_cast<uint8_t>(RiskResult::kOk));
  }
};

TEST_F(ReferralTest, InviteCodesNameCustomersBothWays) {
  for (uint64_t id :
       {uint64_t{1}, uint64_t{2}, uint64_t{999'999}, referral::kMaxInviteCustomerId}) {
    const std::string code = referral::InviteCode(id);
    ASSERT_EQ(code.size(), referral::kInviteCodeChars);
    EXPECT_EQ(referral::ParseInviteCode(code), id);
  }
  // Neighbours get unrelated codes; one wrong character is caught.
  EXPECT_NE(referral::InviteCode(1).substr(0, 4), referral::InviteCode(2).substr(0, 4));
  std::string code = referral::InviteCode(42);
  code[3] = code[3] == 'Z' ? 'Y' : 'Z';
  EXPECT_FALSE(referral::ParseInviteCode(code).has_value());
}

TEST_F(ReferralTest, TheProgrammeFundsAndReturnsItsBudget) {
  EXPECT_EQ(Marketing(SetReferralProgram{staff_ + 99, Program()}),
            Code(PaymentResult::kStaffNotFound));
  referral::Program bad = Program();
  bad.invitee.amount = 0;
  EXPECT_EQ(SetProgram(bad), Code(PaymentResult::kInvalid));
  EXPECT_EQ(last_text_, "REFERRAL_INVALID_PROGRAM:invitee.amount");
  bad = Program();
  bad.qualify_days = 91;
  EXPECT_EQ(SetProgram(bad), Code(PaymentResult::kInvalid));
  EXPECT_EQ(last_text_, "REFERRAL_INVALID_PROGRAM:qualify_days");
  Query([&](const StateMachine& s) { EXPECT_FALSE(s.referrals().on()); });
  EXPECT_FALSE(FindAccount(kReferralBudgetAccountId).has_value());

  ASSERT_EQ(SetProgram(Program()), Code(PaymentResult::kOk));
  EXPECT_EQ(last_value_, 1u);
  EXPECT_EQ(BudgetLeft(), 1'000 * kYuan);
  EXPECT_EQ(Expense(), -1'000 * kYuan);
  referral::Program lower = Program();
  lower.budget_fen = 300 * kYuan;
  ASSERT_EQ(SetProgram(lower), Code(PaymentResult::kOk));
  EXPECT_EQ(BudgetLeft(), 300 * kYuan);
  EXPECT_EQ(Expense(), -300 * kYuan);
  ExpectLedgerSound();
  ExpectSameAfterRestart();
}

TEST_F(ReferralTest, TheFirstQualifyingPaymentRewardsBothSidesOnce) {
  ASSERT_EQ(SetProgram(Program()), Code(PaymentResult::kOk));
  const uint64_t shop = Onboard("shop", 0);
  const uint64_t alice = Join("13800138001", kPhoneA);
  const uint64_t bob = Join("13800138002", kPhoneB, referral::InviteCode(alice));
  EXPECT_EQ(Of(bob).inviter_id, alice);
  EXPECT_EQ(Of(bob).status, Status::kPending);
  EXPECT_EQ(Of(bob).deadline_s, kStartS + 30 * kDaySeconds);
  Fund(bob, 100 * kYuan);

  // Below the minimum: still pending.
  ASSERT_EQ(Result(PayOn(1, bob, shop, 5 * kYuan, kPhoneB)), Code(PaymentResult::kOk));
  EXPECT_EQ(Of(bob).status, Status::kPending);
  ASSERT_EQ(Result(PayOn(2, bob, shop, 20 * kYuan, kPhoneB)), Code(PaymentResult::kOk));
  const referral::Referral done = Of(bob);
  EXPECT_EQ(done.status, Status::kRewarded);
  EXPECT_EQ(done.payment_id, 2u);
  EXPECT_EQ(done.inviter_reward, (referral::Reward{RewardKind::kCash, 10 * kYuan}));
  EXPECT_EQ(done.invitee_reward, (referral::Reward{RewardKind::kPoints, 500}));
  EXPECT_EQ(Balance(alice), 10 * kYuan);
  EXPECT_EQ(Points(bob), 500);
  EXPECT_EQ(Balance(bob), 75 * kYuan);
  EXPECT_EQ(Spent(), 10 * kYuan);
  ExpectBudgetAgrees();
  Query([&](const StateMachine& s) {
    const ledger::Transfer* cash =
        s.ledger().FindTransfer(internal::DerivedId(2, "referral-inviter"));
    ASSERT_NE(cash, nullptr);
    EXPECT_EQ(cash->code, ledger::transfer_codes::kReferralCash);
    EXPECT_EQ(cash->debit_account_id, kReferralBudgetAccountId);
    EXPECT_NE(cash->flags & ledger::transfer_flags::kLinked, 0);  // with the invitee's points
  });
  // Once only.
  ASSERT_EQ(Result(PayOn(3, bob, shop, 20 * kYuan, kPhoneB)), Code(PaymentResult::kOk));
  EXPECT_EQ(Balance(alice), 10 * kYuan);
  EXPECT_EQ(Points(bob), 500);
  ExpectLedgerSound();
  ExpectSameAfterRestart();
  EXPECT_EQ(Of(bob).status, Status::kRewarded);
}

TEST_F(ReferralTest, ACodeThatNamesNobodyMakesNoReferral) {
  ASSERT_EQ(SetProgram(Program()), Code(PaymentResult::kOk));
  const uint64_t carol = Join("13800138003", kPhoneC, "ZZZZZZZZ");
  const uint64_t dave = Join("13800138004", kPhoneD, referral::InviteCode(77));
  Query([&](const StateMachine& s) {
    EXPECT_EQ(s.referrals().Find(carol), nullptr);
    EXPECT_EQ(s.referrals().Find(dave), nullptr);
    EXPECT_EQ(s.customers().FindById(carol)->invite_code, "ZZZZZZZZ");
  });
}

TEST_F(ReferralTest, SelfReferralOnTheInvitersDeviceIsRefusedWithoutTheRiskEngine) {
  ASSERT_EQ(SetProgram(Program()), Code(PaymentResult::kOk));
  const uint64_t shop = Onboard("shop", 0);
  const uint64_t alice = Join("13800138001", kPhoneA);
  const std::string code = referral::InviteCode(alice);
  // A second account signed up on Alice's own phone.
  const uint64_t sock = Join("13800138002", kPhoneA, code);
  EXPECT_EQ(Of(sock).status, Status::kRefused);
  EXPECT_EQ(Of(sock).reason, Reason::kSameDevice);
  Fund(sock, 100 * kYuan);
  ASSERT_EQ(Result(PayOn(1, sock, shop, 20 * kYuan, kPhoneA)), Code(PaymentResult::kOk));
  EXPECT_EQ(Balance(alice), 0);
  EXPECT_EQ(Points(sock), 0);

  // Signed up on another phone, but paying on Alice's.
  const uint64_t sock2 = Join("13800138003", kPhoneC, code);
  EXPECT_EQ(Of(sock2).status, Status::kPending);
  Fund(sock2, 100 * kYuan);
  ASSERT_EQ(Result(PayOn(2, sock2, shop, 20 * kYuan, kPhoneA)), Code(PaymentResult::kOk));
  EXPECT_EQ(Of(sock2).status, Status::kRefused);
  EXPECT_EQ(Of(sock2).reason, Reason::kSameDevice);
  EXPECT_EQ(Of(sock2).payment_id, 2u);

  // Another phone throughout, but the same person: an invitee qualifies only once verified
  // by real name, and a resident ID verifies one wallet only, so Alice's cannot verify it.
  const uint64_t sock3 = Join("13800138004", kPhoneD, code, false);
  Fund(sock3, 100 * kYuan);
  ASSERT_EQ(Result(PayOn(3, sock3, shop, 20 * kYuan, kPhoneD)), Code(PaymentResult::kOk));
  EXPECT_EQ(Of(sock3).status, Status::kPending);  // not verified yet
  identity::VerifiedIdentity same{"张三", "lookup-13800138001", "sealed", "1101**********002X", 0};
  EXPECT_EQ(Result(VerifyIdentity{sock3, same}), Code(identity::IdentityResult::kIdentityTaken));
  ASSERT_EQ(Result(PayOn(4, sock3, shop, 20 * kYuan, kPhoneD)), Code(PaymentResult::kOk));
  EXPECT_EQ(Of(sock3).status, Status::kPending);
  EXPECT_EQ(Balance(alice), 0);
  EXPECT_EQ(Spent(), 0);
  ExpectBudgetAgrees();
  ExpectLedgerSound();
  ExpectSameAfterRestart();
}

TEST_F(ReferralTest, TheRiskEngineRefusesRingsAndRewardFarms) {
  InstallDefaultRules();
  ASSERT_EQ(SetProgram(Program()), Code(PaymentResult::kOk));
  const uint64_t shop = Onboard("shop", 0);
  // Alice signs up on phone A but never opens a session there: only the risk engine saw it.
  EXPECT_EQ(Result(IssueOtp{"13800138001", identity::OtpPurpose::kRegister, "h13800138001"}),
            Code(identity::IdentityResult::kOk));
  ASSERT_EQ(Result(RegisterCustomer{
                {"13800138001", "h13800138001", "argon2", "organic", ""}, kPhoneA, ""}),
            Code(identity::IdentityResult::kOk));
  const uint64_t alice = last_value_;
  // Bob, invited on his own phone B, qualifies honestly.
  clock_.Advance(3 * kDaySeconds * kSecond);
  const uint64_t bob = Join("13800138002", kPhoneB, referral::InviteCode(alice));
  EXPECT_EQ(Of(bob).status, Status::kPending);
  Fund(bob, 100 * kYuan);
  ASSERT_EQ(Result(PayOn(1, bob, shop, 20 * kYuan, kPhoneB)), Code(PaymentResult::kOk));
  EXPECT_EQ(Of(bob).status, Status::kRewarded);
  EXPECT_EQ(Balance(alice), 10 * kYuan);

  // An account made on Alice's phone with her code: the risk engine knows phone A is hers.
  clock_.Advance(3 * kDaySeconds * kSecond);
  const uint64_t sock = Join("13800138003", kPhoneA, referral::InviteCode(alice));
  EXPECT_EQ(Of(sock).reason, Reason::kSameDevice);
  // A ring: Bob invites an account on Alice's phone (A invites B invites A's phone). The rule
  // referral_ring_registration holds it for review: the sign-up goes through, the referral not.
  clock_.Advance(3 * kDaySeconds * kSecond);
  const uint64_t ring = Join("13800138004", kPhoneA, referral::InviteCode(bob));
  EXPECT_EQ(Of(ring).status, Status::kRefused);
  EXPECT_EQ(Of(ring).reason, Reason::kRisk);
  Fund(ring, 100 * kYuan);
  ASSERT_EQ(Result(PayOn(2, ring, shop, 20 * kYuan, kPhoneD)), Code(PaymentResult::kOk));
  EXPECT_EQ(Balance(bob), 80 * kYuan);  // nothing for Bob

  // An invitee paying from a phone that already carries three accounts: shared_device_reward
  // denies the rewards at the payment.
  clock_.Advance(3 * kDaySeconds * kSecond);
  const uint64_t farm = Join("13800138005", kPhoneC, referral::InviteCode(bob));
  EXPECT_EQ(Of(farm).status, Status::kPending);
  Fund(farm, 100 * kYuan);
  ASSERT_EQ(Result(PayOn(3, farm, shop, 20 * kYuan, kPhoneA)), Code(PaymentResult::kOk));
  EXPECT_EQ(Of(farm).status, Status::kRefused);
  EXPECT_EQ(Of(farm).reason, Reason::kRisk);
  EXPECT_EQ(Points(farm), 0);
  EXPECT_EQ(Spent(), 10 * kYuan);
  ExpectBudgetAgrees();
  ExpectLedgerSound();
  ExpectSameAfterRestart();
}

TEST_F(ReferralTest, TheInvitersMonthlyCapAndTheBudgetBound) {
  referral::Program program = Program();
  program.inviter_monthly_cap = 1;
  program.qualify_days = 90;
  program.invitee = {RewardKind::kCash, 5 * kYuan};
  program.budget_fen = 25 * kYuan;
  ASSERT_EQ(SetProgram(program), Code(PaymentResult::kOk));
  const uint64_t shop = Onboard("shop", 0);
  const uint64_t alice = Join("13800138001", kPhoneA);
  const std::string code = referral::InviteCode(alice);
  const uint64_t bob = Join("13800138002", kPhoneB, code);
  const uint64_t carol = Join("13800138003", kPhoneC, code);
  const uint64_t dave = Join("13800138004", kPhoneD, code);
  for (uint64_t c : {bob, carol, dave}) Fund(c, 100 * kYuan);
  ASSERT_EQ(Result(PayOn(1, bob, shop, 10 * kYuan, kPhoneB)), Code(PaymentResult::kOk));
  EXPECT_EQ(Balance(alice), 10 * kYuan);
  EXPECT_EQ(Balance(bob), 95 * kYuan);
  // Alice's cap for the month is reached: Carol still gets hers.
  ASSERT_EQ(Result(PayOn(2, carol, shop, 10 * kYuan, kPhoneC)), Code(PaymentResult::kOk));
  EXPECT_EQ(Of(carol).status, Status::kRewarded);
  EXPECT_TRUE(Of(carol).inviter_capped);
  EXPECT_EQ(Of(carol).inviter_reward.kind, RewardKind::kNone);
  EXPECT_EQ(Balance(alice), 10 * kYuan);
  EXPECT_EQ(Balance(carol), 95 * kYuan);
  EXPECT_EQ(Spent(), 20 * kYuan);
  // Next month the cap is fresh, but ¥5 is left of the budget for ¥15 of rewards: neither.
  clock_.Advance(32 * kDaySeconds * kSecond);
  ASSERT_EQ(Result(PayOn(3, dave, shop, 10 * kYuan, kPhoneD)), Code(PaymentResult::kOk));
  EXPECT_EQ(Of(dave).status, Status::kRefused);
  EXPECT_EQ(Of(dave).reason, Reason::kBudget);
  EXPECT_EQ(Balance(dave), 90 * kYuan);
  // The budget cannot go below what was spent.
  program.budget_fen = 19 * kYuan;
  EXPECT_EQ(SetProgram(program), Code(PaymentResult::kInvalid));
  EXPECT_EQ(last_text_, "REFERRAL_INVALID_PROGRAM:budget_fen");
  ExpectBudgetAgrees();
  ExpectLedgerSound();
  ExpectSameAfterRestart();
}

TEST_F(ReferralTest, AfterTheDeadlineNothingQualifies) {
  ASSERT_EQ(SetProgram(Program()), Code(PaymentResult::kOk));
  const uint64_t shop = Onboard("shop", 0);
  const uint64_t alice = Join("13800138001", kPhoneA);
  const uint64_t bob = Join("13800138002", kPhoneB, referral::InviteCode(alice));
  Fund(bob, 100 * kYuan);
  clock_.Advance(30 * kDaySeconds * kSecond);
  ASSERT_EQ(Result(PayOn(1, bob, shop, 20 * kYuan, kPhoneB)), Code(PaymentResult::kOk));
  EXPECT_EQ(Of(bob).status, Status::kPending);
  EXPECT_EQ(referral::StatusName(Of(bob), clock_.NowNs() / kSecond), "expired");
  EXPECT_EQ(Balance(alice), 0);
  // A paused programme rewards nothing either.
  const uint64_t carol = Join("13800138003", kPhoneC, referral::InviteCode(alice));
  referral::Program paused = Program();
  paused.enabled = false;
  ASSERT_EQ(SetProgram(paused), Code(PaymentResult::kOk));
  Fund(carol, 100 * kYuan);
  ASSERT_EQ(Result(PayOn(2, carol, shop, 20 * kYuan, kPhoneC)), Code(PaymentResult::kOk));
  EXPECT_EQ(Of(carol).status, Status::kPending);
  EXPECT_EQ(Balance(alice), 0);
}

TEST_F(ReferralTest, ARefundBelowTheMinimumClawsTheRewardsBackAsFarAsTheyAreHeld) {
  ASSERT_EQ(SetProgram(Program()), Code(PaymentResult::kOk));
  const uint64_t shop = Onboard("shop", 0);
  const uint64_t other = Onboard("other", 0);
  const uint64_t alice = Join("13800138001", kPhoneA);
  const uint64_t bob = Join("13800138002", kPhoneB, referral::InviteCode(alice));
  Fund(bob, 100 * kYuan);
  ASSERT_EQ(Result(PayOn(1, bob, shop, 30 * kYuan, kPhoneB)), Code(PaymentResult::kOk));
  EXPECT_EQ(Balance(alice), 10 * kYuan);
  // Alice spends ¥6 of her ¥10 before the refund.
  ASSERT_EQ(Result(PayOn(2, alice, other, 6 * kYuan, kPhoneA)), Code(PaymentResult::kOk));
  // ¥15 back leaves ¥15, still above the minimum: the rewards stay.
  ASSERT_EQ(Result(Refund{10, shop, 1, 15 * kYuan}), Code(PaymentResult::kOk));
  EXPECT_EQ(Of(bob).status, Status::kRewarded);
  // ¥10 more leaves ¥5: both rewards go back, Alice's as far as her ¥4 goes.
  ASSERT_EQ(Result(Refund{11, shop, 1, 10 * kYuan}), Code(PaymentResult::kOk));
  const referral::Referral back = Of(bob);
  EXPECT_EQ(back.status, Status::kClawedBack);
  EXPECT_EQ(back.clawed_back_fen, 4 * kYuan);
  EXPECT_EQ(back.clawed_back_points, 500);
  EXPECT_EQ(Balance(alice), 0);
  EXPECT_EQ(Points(bob), 0);
  EXPECT_EQ(Spent(), 6 * kYuan);
  ExpectBudgetAgrees();
  // The last refund takes nothing more.
  ASSERT_EQ(Result(Refund{12, shop, 1, 5 * kYuan}), Code(PaymentResult::kOk));
  EXPECT_EQ(Spent(), 6 * kYuan);
  ExpectLedgerSound();
  ExpectSameAfterRestart();
}

}  // namespace
}  // namespace qb::engine::testing
