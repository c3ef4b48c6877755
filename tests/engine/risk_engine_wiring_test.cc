// The risk engine wired into the engine (issue 7): rule sets, lists and reviews as journaled
// commands, and the verdicts on Pay (allow, challenge held as a step-up, review held as
// kUnderReview until an analyst decides or the hold expires, deny), sign-up and P2P. Every test
// checks the ledger invariants, and that replaying the journal and loading a checkpoint both
// reach the same state hash.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/checkpoint.h"
#include "engine/command_codec.h"
#include "marketing_fixture.h"
#include "risk/default_rules.h"

namespace qb::engine {
namespace {

using identity::AuthStrength;
using identity::IdentityResult;
using payments::PaymentState;
using testing::kSecond;
using testing::kYuan;

EngineOptions ReplayOnly() {
  EngineOptions options;
  options.checkpoint_on_stop = false;
  options.checkpoint_every_commands = 0;
  return options;
}

// Review ¥500 and up, a second factor from ¥200, deny from ¥9,000 (the tier allows ¥50,000).
risk::RuleSetSpec TestRules() {
  risk::RuleSetSpec spec;
  spec.rules.push_back({.id = 1,
                        .name = "big_payment",
                        .expression = "event == \"payment\" and amount >= 50_000 and "
                                      "amount < 900_000",
                        .score = 70,
                        .action = risk::Action::kReview});
  spec.rules.push_back({.id = 2,
                        .name = "mid_payment",
                        .expression = "event == \"payment\" and amount >= 20_000 and "
                                      "amount < 50_000",
                        .action = risk::Action::kChallenge});
  spec.rules.push_back(
      {.id = 3, .name = "huge", .expression = "amount >= 900_000", .action = risk::Action::kDeny});
  spec.rules.push_back({.id = 4,
                        .name = "big_transfer",
                        .expression = "event == \"transfer\" and amount >= 20_000",
                        .action = risk::Action::kChallenge});
  return spec;
}

const std::string kPhoneA = std::string(64, 'a');
const std::string kPhoneB = std::string(64, 'b');

class RiskWiringTest : public testing::MarketingTest {
 protected:
  void SetUp() override {
    testing::MarketingTest::SetUp();
    // Only the journal from here on: a restart replays every risk command.
    Restart(ReplayOnly());
  }

  uint64_t TierOne(const std::string& phone, int64_t funds) {
    const uint64_t customer = SignUp(phone);
    identity::VerifiedIdentity verified{"张三", "lookup-" + phone, "sealed", "1101**********002X",
                                        0};
    EXPECT_EQ(Result(VerifyIdentity{customer, verified}), Code(IdentityResult::kOk));
    EXPECT_EQ(Result(GrantTier{customer, identity::WalletTier::kI, staff_}),
              Code(IdentityResult::kOk));
    if (funds > 0) Fund(customer, funds);
    return customer;
  }
  Pay PayFrom(uint64_t id, uint64_t customer, uint64_t merchant, int64_t amount,
              const std::string& device = kPhoneA,
              AuthStrength strength = AuthStrength::kOneFactor) {
    Pay pay = ScanPay(id, customer, merchant, amount);
    pay.auth.strength = strength;
    pay.auth.device_hash = device;
    return pay;
  }
  uint8_t RiskCode(RiskResult r) { return static_cast<uint8_t>(r); }
  void InstallRules(risk::RuleSetSpec spec = TestRules()) {
    ASSERT_EQ(Result(SetRiskRules{staff_, false, std::move(spec)}), RiskCode(RiskResult::kOk));
  }
  RiskState RiskCopy() {
    std::string bytes;
    Query([&](const StateMachine& s) { s.risk().Serialize(&bytes); });
    RiskState copy;
    EXPECT_TRUE(copy.Deserialize(bytes));
    return copy;
  }

  // Ledger invariants; then the same state hash after a journal replay and from a checkpoint
  // encoded now.
  void ExpectSameAfterReplayAndCheckpoint() {
    std::optional<std::string> problem;
    std::string checkpoint;
    Query([&](const StateMachine& s) {
      problem = s.ledger().CheckInvariants();
      EncodeCheckpoint(s, journal::ChainPosition{}, &checkpoint);
    });
    EXPECT_FALSE(problem.has_value()) << *problem;
    const Digest before = Hash();
    StateMachine restored;
    journal::ChainPosition position;
    Digest restored_hash{};
    const Status decoded = DecodeCheckpoint(checkpoint, &restored, &position, &restored_hash);
    ASSERT_TRUE(decoded.ok()) << decoded.ToString();
    EXPECT_EQ(restored_hash, before);
    EXPECT_EQ(restored.StateHash(), before);
    Restart(ReplayOnly());
    EXPECT_EQ(Hash(), before);
  }
};

TEST_F(RiskWiringTest, WithoutRulesEverythingIsAllowedAndTheStateHasNoRiskPart) {
  const uint64_t alice = TierOne("13800138001", 20'000 * kYuan);
  const uint64_t shop = Onboard("shop", 0);
  ASSERT_EQ(Result(PayFrom(1, alice, shop, 600 * kYuan)), Code(PaymentResult::kOk));
  EXPECT_EQ(PaymentOf(1).state, PaymentState::kCompleted);
  bool on = true;
  Query([&](const StateMachine& s) { on = s.risk().on(); });
  EXPECT_FALSE(on);
  ExpectSameAfterReplayAndCheckpoint();
}

TEST_F(RiskWiringTest, RuleSetsGetEngineVersionsAndABadOneChangesNothing) {
  auto audited = [this] {
    uint64_t seq = 0;
    Query([&](const StateMachine& s) { seq = s.audit_chain().seq(); });
    return seq;
  };
  const uint64_t audit_before = audited();
  InstallRules();
  EXPECT_EQ(last_value_, 1u);
  EXPECT_EQ(audited(), audit_before + 1);  // risk.rules
  risk::RuleSetSpec bad;
  bad.rules.push_back(
      {.id = 9, .name = "typo", .expression = "amount_fen >= 1", .action = risk::Action::kReview});
  const Reply reply = engine_->Execute(SetRiskRules{staff_, false, bad});
  ASSERT_EQ(reply.results.at(0), RiskCode(RiskResult::kRulesInvalid));
  EXPECT_NE(reply.text.find("amount_fen"), std::string::npos) << reply.text;
  EXPECT_EQ(Result(SetRiskRules{staff_ + 100, false, TestRules()}),
            RiskCode(RiskResult::kStaffNotFound));
  EXPECT_EQ(audited(), audit_before + 1);  // Refusals are not audited.
  // A shadow set gets the next version; the active one stays.
  ASSERT_EQ(Result(SetRiskRules{staff_, true, TestRules()}), RiskCode(RiskResult::kOk));
  EXPECT_EQ(last_value_, 2u);
  RiskState risk = RiskCopy();
  EXPECT_EQ(risk.version(), 2u);
  ASSERT_TRUE(risk.active().has_value());
  EXPECT_EQ(risk.active()->version, 1u);
  EXPECT_EQ(risk.active()->rules.size(), 4u);
  ASSERT_TRUE(risk.shadow().has_value());
  EXPECT_EQ(risk.shadow()->version, 2u);
  ExpectSameAfterReplayAndCheckpoint();
}

TEST_F(RiskWiringTest, EachVerdictOnPay) {
  InstallRules();
  const uint64_t alice = TierOne("13800138001", 20'000 * kYuan);
  const uint64_t shop = Onboard("shop", 0);

  // Allow.
  ASSERT_EQ(Result(PayFrom(1, alice, shop, 100 * kYuan)), Code(PaymentResult::kOk));
  EXPECT_EQ(PaymentOf(1).state, PaymentState::kCompleted);

  // Challenge: held like a step-up, above the one factor presented.
  const Reply held = engine_->Execute(PayFrom(2, alice, shop, 300 * kYuan));
  ASSERT_EQ(held.results.at(0), Code(PaymentResult::kOk));
  EXPECT_EQ(held.text, "challenge_required");
  EXPECT_EQ(PaymentOf(2).state, PaymentState::kAwaitingConfirmation);
  EXPECT_EQ(PaymentOf(2).step_up, static_cast<uint8_t>(AuthStrength::kTwoFactors));
  ConfirmPayment confirm{alice, 2, true, {}};
  confirm.auth.strength = AuthStrength::kOneFactor;
  EXPECT_EQ(Result(confirm), Code(PaymentResult::kChallengeRequired));
  confirm.auth.strength = AuthStrength::kTwoFactors;
  ASSERT_EQ(Result(confirm), Code(PaymentResult::kOk));
  EXPECT_EQ(PaymentOf(2).state, PaymentState::kCompleted);

  // Review: held, not confirmable by the customer, with the reasons kept for the analyst.
  const Reply review = engine_->Execute(PayFrom(3, alice, shop, 600 * kYuan));
  ASSERT_EQ(review.results.at(0), Code(PaymentResult::kOk));
  EXPECT_EQ(review.text, "under_review");
  EXPECT_EQ(PaymentOf(3).state, PaymentState::kUnderReview);
  EXPECT_EQ(PendingStatus(3), ledger::PendingStatus::kPending);
  EXPECT_EQ(MerchantBalance(shop), 400 * kYuan);
  confirm.payment_id = 3;
  confirm.auth.strength = AuthStrength::kDeviceSignature;
  EXPECT_EQ(Result(confirm), Code(PaymentResult::kNotAwaitingConfirmation));
  {
    RiskState risk = RiskCopy();
    const RiskReview* open = risk.FindReview(3);
    ASSERT_NE(open, nullptr);
    EXPECT_EQ(open->customer_id, alice);
    EXPECT_EQ(open->amount_fen, 600 * kYuan);
    EXPECT_EQ(open->score, 70);
    ASSERT_EQ(open->rules.size(), 1u);
    EXPECT_EQ(open->rules[0].name, "big_payment");
    EXPECT_EQ(open->device_hash, kPhoneA);
    EXPECT_NE(open->explanation.find("big_payment"), std::string::npos) << open->explanation;
    bool amount_read = false;
    for (const risk::FeatureValue& v : open->features) {
      if (v.slot == static_cast<uint32_t>(risk::Feature::kAmount)) {
        amount_read = v.value == 600 * kYuan;
      }
    }
    EXPECT_TRUE(amount_read);
  }
  ExpectSameAfterReplayAndCheckpoint();  // The open review survives both.

  // Deny: nothing moves.
  EXPECT_EQ(Result(PayFrom(4, alice, shop, 9'500 * kYuan, kPhoneA, AuthStrength::kDeviceSignature)),
            Code(PaymentResult::kRiskDenied));
  EXPECT_EQ(Balance(alice), (20'000 - 400) * kYuan);  // ¥600 of it held.

  // The analyst approves: posted like a confirmed payment; the review closes with its label.
  ASSERT_EQ(Result(ReviewPayment{staff_, 3, true, ReviewLabel::kLegit, false}),
            RiskCode(RiskResult::kOk));
  EXPECT_EQ(PaymentOf(3).state, PaymentState::kCompleted);
  EXPECT_EQ(MerchantBalance(shop), 1'000 * kYuan);
  EXPECT_EQ(Result(ReviewPayment{staff_, 3, false, ReviewLabel::kFraud, false}),
            RiskCode(RiskResult::kReviewClosed));
  EXPECT_EQ(Result(ReviewPayment{staff_, 99, true, ReviewLabel::kLegit, false}),
            RiskCode(RiskResult::kReviewNotFound));
  RiskState risk = RiskCopy();
  EXPECT_EQ(risk.FindReview(3), nullptr);
  ASSERT_NE(risk.FindOutcome(3), nullptr);
  EXPECT_EQ(risk.FindOutcome(3)->state, ReviewState::kApproved);
  EXPECT_EQ(risk.FindOutcome(3)->label, ReviewLabel::kLegit);
  ExpectSameAfterReplayAndCheckpoint();
}

TEST_F(RiskWiringTest, AnApprovalLeavesTheCustomersStepUpToThem) {
  InstallRules();
  const uint64_t alice = TierOne("13800138001", 20'000 * kYuan);
  const uint64_t shop = Onboard("shop", 0);
  // ¥1,200 with one factor: held for review, and past the ¥1,000 a day one factor may pay.
  ASSERT_EQ(Result(PayFrom(1, alice, shop, 1'200 * kYuan)), Code(PaymentResult::kOk));
  EXPECT_EQ(PaymentOf(1).state, PaymentState::kUnderReview);
  EXPECT_EQ(PaymentOf(1).step_up, 0);
  ExpectSameAfterReplayAndCheckpoint();
  ASSERT_EQ(Result(ReviewPayment{staff_, 1, true, ReviewLabel::kLegit, false}),
            RiskCode(RiskResult::kOk));
  // Approved, yet the customer's second factor is still owed: nothing moved so far.
  EXPECT_EQ(PaymentOf(1).state, PaymentState::kAwaitingConfirmation);
  EXPECT_EQ(PaymentOf(1).step_up, static_cast<uint8_t>(AuthStrength::kTwoFactors));
  EXPECT_EQ(MerchantBalance(shop), 0);
  ConfirmPayment confirm{alice, 1, true, {}};
  confirm.auth.strength = AuthStrength::kOneFactor;
  EXPECT_EQ(Result(confirm), Code(PaymentResult::kChallengeRequired));
  confirm.auth.strength = AuthStrength::kTwoFactors;
  ASSERT_EQ(Result(confirm), Code(PaymentResult::kOk));
  EXPECT_EQ(PaymentOf(1).state, PaymentState::kCompleted);
  EXPECT_EQ(MerchantBalance(shop), 1'200 * kYuan);
  ExpectSameAfterReplayAndCheckpoint();
}

TEST_F(RiskWiringTest, ARejectedReviewVoidsTheHoldAndCanBlockTheDevice) {
  InstallRules();
  const uint64_t alice = TierOne("13800138001", 20'000 * kYuan);
  const uint64_t shop = Onboard("shop", 0);
  ASSERT_EQ(Result(PayFrom(1, alice, shop, 700 * kYuan, kPhoneB)), Code(PaymentResult::kOk));
  EXPECT_EQ(PaymentOf(1).state, PaymentState::kUnderReview);
  ASSERT_EQ(Result(ReviewPayment{staff_, 1, false, ReviewLabel::kFraud, true}),
            RiskCode(RiskResult::kOk));
  EXPECT_EQ(PaymentOf(1).state, PaymentState::kCancelled);
  EXPECT_EQ(PendingStatus(1), ledger::PendingStatus::kVoided);
  EXPECT_EQ(Balance(alice), 20'000 * kYuan);
  EXPECT_EQ(MerchantBalance(shop), 0);
  // The device is blocked now, whatever the amount; another device still pays.
  EXPECT_EQ(Result(PayFrom(2, alice, shop, 10 * kYuan, kPhoneB)), Code(PaymentResult::kRiskDenied));
  ASSERT_EQ(Result(PayFrom(3, alice, shop, 10 * kYuan, kPhoneA)), Code(PaymentResult::kOk));
  EXPECT_EQ(PaymentOf(3).state, PaymentState::kCompleted);
  RiskState risk = RiskCopy();
  EXPECT_TRUE(risk.engine().lists().IsBlocked(risk::EntityKind::kDevice, RiskDeviceId(kPhoneB),
                                              clock_.NowNs() / kSecond));
  EXPECT_EQ(risk.FindOutcome(1)->state, ReviewState::kRejected);
  EXPECT_EQ(risk.FindOutcome(1)->label, ReviewLabel::kFraud);
  ExpectSameAfterReplayAndCheckpoint();
}

TEST_F(RiskWiringTest, AReviewNobodyDecidesExpiresAfterADay) {
  InstallRules();
  const uint64_t alice = TierOne("13800138001", 20'000 * kYuan);
  const uint64_t shop = Onboard("shop", 0);
  ASSERT_EQ(Result(PayFrom(1, alice, shop, 800 * kYuan)), Code(PaymentResult::kOk));
  clock_.Advance(23 * 3'600 * kSecond);
  Query([](const StateMachine&) {});
  EXPECT_EQ(PaymentOf(1).state, PaymentState::kUnderReview);
  clock_.Advance(3'601 * kSecond);
  EXPECT_EQ(Result(ReviewPayment{staff_, 1, true, ReviewLabel::kLegit, false}),
            RiskCode(RiskResult::kReviewClosed));
  EXPECT_EQ(PaymentOf(1).state, PaymentState::kCancelled);
  EXPECT_EQ(PendingStatus(1), ledger::PendingStatus::kExpired);
  EXPECT_EQ(Balance(alice), 20'000 * kYuan);
  EXPECT_EQ(RiskCopy().FindOutcome(1)->state, ReviewState::kExpired);
  ExpectSameAfterReplayAndCheckpoint();
}

TEST_F(RiskWiringTest, ABlockedDeviceCannotRegisterAndTransfersAreChecked) {
  InstallRules();
  ASSERT_EQ(Result(SetRiskListEntry{staff_, risk::EntityKind::kDevice, RiskDeviceId(kPhoneB),
                                    risk::ListType::kBlock, 0, "fraud ring", false}),
            RiskCode(RiskResult::kOk));
  EXPECT_EQ(Result(SetRiskListEntry{staff_, risk::EntityKind::kDevice, 7, risk::ListType::kAllow, 0,
                                    "", true}),
            RiskCode(RiskResult::kNotListed));
  ASSERT_EQ(Result(IssueOtp{"13800138009", identity::OtpPurpose::kRegister, "h9"}),
            Code(IdentityResult::kOk));
  RegisterCustomer blocked{{"13800138009", "h9", "argon2", "campus", ""}, kPhoneB};
  EXPECT_EQ(Result(blocked), Code(IdentityResult::kRiskDenied));
  blocked.device_hash = kPhoneA;  // The same person on another phone: fine.
  ASSERT_EQ(Result(blocked), Code(IdentityResult::kOk));

  const uint64_t alice = TierOne("13800138001", 20'000 * kYuan);
  TierOne("13800138002", 0);
  P2PTransfer send{1, alice, "13800138002", 300 * kYuan, "", {}};
  send.auth.strength = AuthStrength::kOneFactor;
  send.auth.device_hash = kPhoneA;
  EXPECT_EQ(Result(send), Code(MoneyResult::kChallengeRequired));
  EXPECT_EQ(last_value_, static_cast<uint64_t>(AuthStrength::kTwoFactors));
  send.auth.strength = AuthStrength::kTwoFactors;
  ASSERT_EQ(Result(send), Code(MoneyResult::kOk));
  send.transfer_id = 2;
  send.auth.device_hash = kPhoneB;
  EXPECT_EQ(Result(send), Code(MoneyResult::kRiskDenied));
  EXPECT_EQ(Balance(alice), 19'700 * kYuan);
  // Off the list again: the device may pay.
  ASSERT_EQ(Result(SetRiskListEntry{staff_, risk::EntityKind::kDevice, RiskDeviceId(kPhoneB),
                                    risk::ListType::kBlock, 0, "", true}),
            RiskCode(RiskResult::kOk));
  ASSERT_EQ(Result(send), Code(MoneyResult::kOk));
  ExpectSameAfterReplayAndCheckpoint();
}

TEST_F(RiskWiringTest, TheDefaultRulesInstallAndJudge) {
  ASSERT_EQ(Result(SetRiskRules{0, false, risk::DefaultRuleSet()}), RiskCode(RiskResult::kOk));
  const uint64_t alice = TierOne("13800138001", 20'000 * kYuan);
  const uint64_t shop = Onboard("shop", 0);
  ASSERT_EQ(Result(PayFrom(1, alice, shop, 50 * kYuan)), Code(PaymentResult::kOk));
  EXPECT_EQ(PaymentOf(1).state, PaymentState::kCompleted);
  ExpectSameAfterReplayAndCheckpoint();
}

TEST_F(RiskWiringTest, ADeniedRewardLetsThePaymentThroughWithoutIt) {
  risk::RuleSetSpec spec;
  spec.rules.push_back({.id = 1,
                        .name = "no_reward_over_100",
                        .expression = "reward.present and amount >= 10_000",
                        .action = risk::Action::kDenyReward});
  InstallRules(std::move(spec));
  const uint64_t alice = TierOne("13800138001", 5'000 * kYuan);
  const uint64_t shop = Onboard("shop", 0);
  const uint64_t campaign =
      StartCampaign(testing::MakeCampaign(marketing::CampaignType::kCashback, 1'000 * kYuan));
  const int64_t budget = Budget(campaign);
  ASSERT_EQ(Result(PayFrom(1, alice, shop, 200 * kYuan)), Code(PaymentResult::kOk));
  EXPECT_EQ(PaymentOf(1).state, PaymentState::kCompleted);
  EXPECT_EQ(MarketingOf(1), PaymentMarketing{});
  EXPECT_EQ(Budget(campaign), budget);
  EXPECT_EQ(MerchantBalance(shop), 200 * kYuan);
  // Below the rule's amount the cashback is paid as usual.
  ASSERT_EQ(Result(PayFrom(2, alice, shop, 50 * kYuan)), Code(PaymentResult::kOk));
  EXPECT_GT(MarketingOf(2).cashback_fen, 0);
  EXPECT_LT(Budget(campaign), budget);
  ExpectSameAfterReplayAndCheckpoint();
}

TEST_F(RiskWiringTest, ADeniedRewardStaysDeniedWhenAHeldPaymentCompletes) {
  // Every payment with a reward loses it; ¥300 and up is challenged, ¥600 and up reviewed.
  risk::RuleSetSpec spec = TestRules();
  spec.rules.push_back({.id = 9,
                        .name = "no_rewards",
                        .expression = "event == \"payment\" and amount >= 30_000",
                        .action = risk::Action::kDenyReward});
  InstallRules(std::move(spec));
  points::Program points;
  points.enabled = true;
  points.earn_per_yuan = 1;
  ASSERT_EQ(Result(SetPointsProgram{staff_, points}), Code(PaymentResult::kOk));
  const uint64_t alice = TierOne("13800138001", 5'000 * kYuan);
  const uint64_t shop = Onboard("shop", 0);
  const uint64_t campaign =
      StartCampaign(testing::MakeCampaign(marketing::CampaignType::kCashback, 1'000 * kYuan));
  const int64_t budget = Budget(campaign);
  auto points_of = [&] {
    int64_t balance = 0;
    Query([&](const StateMachine& s) { balance = s.PointsBalance(alice); });
    return balance;
  };

  // Challenged, then confirmed with two factors: paid, with no cashback and no points.
  ASSERT_EQ(Result(PayFrom(1, alice, shop, 300 * kYuan)), Code(PaymentResult::kOk));
  EXPECT_EQ(PaymentOf(1).state, PaymentState::kAwaitingConfirmation);
  EXPECT_TRUE(PaymentOf(1).rewards_denied);
  ExpectSameAfterReplayAndCheckpoint();  // the verdict survives both with the hold
  EXPECT_TRUE(PaymentOf(1).rewards_denied);
  ConfirmPayment confirm{alice, 1, true, {}};
  confirm.auth.strength = AuthStrength::kTwoFactors;
  ASSERT_EQ(Result(confirm), Code(PaymentResult::kOk));
  EXPECT_EQ(PaymentOf(1).state, PaymentState::kCompleted);
  EXPECT_FALSE(PaymentOf(1).rewards_denied);
  EXPECT_EQ(MarketingOf(1), PaymentMarketing{});
  EXPECT_EQ(Budget(campaign), budget);
  EXPECT_EQ(points_of(), 0);
  EXPECT_EQ(MerchantBalance(shop), 300 * kYuan);

  // Reviewed, then approved by an analyst: the same.
  ASSERT_EQ(Result(PayFrom(2, alice, shop, 700 * kYuan, kPhoneA, AuthStrength::kTwoFactors)),
            Code(PaymentResult::kOk));
  EXPECT_EQ(PaymentOf(2).state, PaymentState::kUnderReview);
  EXPECT_TRUE(PaymentOf(2).rewards_denied);
  ExpectSameAfterReplayAndCheckpoint();
  ASSERT_EQ(Result(ReviewPayment{staff_, 2, true, ReviewLabel::kLegit, false}),
            RiskCode(RiskResult::kOk));
  EXPECT_EQ(PaymentOf(2).state, PaymentState::kCompleted);
  EXPECT_EQ(Budget(campaign), budget);
  EXPECT_EQ(points_of(), 0);
  EXPECT_EQ(MerchantBalance(shop), 1'000 * kYuan);

  // A small payment, not denied, still earns both (two factors: ¥1,000 paid today already).
  ASSERT_EQ(Result(PayFrom(3, alice, shop, 50 * kYuan, kPhoneA, AuthStrength::kTwoFactors)),
            Code(PaymentResult::kOk));
  EXPECT_EQ(PaymentOf(3).state, PaymentState::kCompleted);
  EXPECT_GT(MarketingOf(3).cashback_fen, 0);
  EXPECT_EQ(points_of(), 50);
  ExpectSameAfterReplayAndCheckpoint();
}

TEST_F(RiskWiringTest, RiskCommandsRoundTripThroughTheJournalCodec) {
  std::vector<Command> commands;
  commands.push_back(SetRiskRules{3, true, TestRules()});
  commands.push_back(SetRiskListEntry{3, risk::EntityKind::kPayee, 42, risk::ListType::kAllow,
                                      1'700'000'000, "payroll", true});
  commands.push_back(ReviewPayment{3, 77, true, ReviewLabel::kFraud, true});
  commands.push_back(RegisterCustomer{{"13800138001", "h", "p", "campus", ""}, kPhoneA});
  commands.push_back(RegisterCustomer{{"13800138001", "h", "p", "campus", ""}, ""});
  std::string payload;
  for (const Command& c : commands) EncodeCommand(c, &payload);
  std::vector<Command> decoded;
  ASSERT_TRUE(DecodeCommands(payload, static_cast<uint32_t>(commands.size()), &decoded));
  const auto& rules = std::get<SetRiskRules>(decoded[0]);
  EXPECT_TRUE(rules.shadow);
  ASSERT_EQ(rules.spec.rules.size(), 4u);
  EXPECT_EQ(rules.spec.rules[0].expression, TestRules().rules[0].expression);
  EXPECT_EQ(rules.spec.rules[0].score, 70);
  EXPECT_EQ(rules.spec.rules[0].action, risk::Action::kReview);
  const auto& entry = std::get<SetRiskListEntry>(decoded[1]);
  EXPECT_EQ(entry.kind, risk::EntityKind::kPayee);
  EXPECT_EQ(entry.entity_id, 42u);
  EXPECT_EQ(entry.list, risk::ListType::kAllow);
  EXPECT_EQ(entry.expires_at_s, 1'700'000'000);
  EXPECT_EQ(entry.reason, "payroll");
  EXPECT_TRUE(entry.remove);
  const auto& review = std::get<ReviewPayment>(decoded[2]);
  EXPECT_EQ(review.payment_id, 77u);
  EXPECT_EQ(review.label, ReviewLabel::kFraud);
  EXPECT_TRUE(review.approve && review.block_device);
  EXPECT_EQ(std::get<RegisterCustomer>(decoded[3]).device_hash, kPhoneA);
  EXPECT_EQ(std::get<RegisterCustomer>(decoded[4]).device_hash, "");
}

}  // namespace
}  // namespace qb::engine
