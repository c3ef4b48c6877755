// The risk backtest over the journal (engine/risk_backtest.h) and the monitor of the installed
// rule sets (engine/risk_monitor.h: per-rule hits, the shadow log), on a journal written by a
// real engine and store.
#include "engine/risk_backtest.h"

#include <gtest/gtest.h>

#include <string>

#include "engine/checkpoint.h"
#include "marketing_fixture.h"

namespace qb::engine {
namespace {

using identity::AuthStrength;
using identity::IdentityResult;
using testing::kSecond;
using testing::kYuan;

constexpr int64_t kHour = 3600 * kSecond;
constexpr size_t kPayment = 2;  // risk::Payment's index in risk::RiskEvent.

// The live rules: review ¥500 up to ¥9,000, deny above.
risk::RuleSetSpec LiveRules() {
  risk::RuleSetSpec spec;
  spec.rules.push_back({.id = 1,
                        .name = "big_payment",
                        .expression = "event == \"payment\" and amount >= 50_000 and "
                                      "amount < 900_000",
                        .score = 70,
                        .action = risk::Action::kReview});
  spec.rules.push_back(
      {.id = 2, .name = "huge", .expression = "amount >= 900_000", .action = risk::Action::kDeny});
  return spec;
}

// The candidate: review from ¥500, deny from ¥650, and two rules that only count.
risk::RuleSetSpec Candidate() {
  risk::RuleSetSpec spec;
  spec.rules.push_back({.id = 10,
                        .name = "over_500",
                        .expression = "event == \"payment\" and amount >= 50_000",
                        .action = risk::Action::kReview});
  spec.rules.push_back({.id = 11,
                        .name = "over_650",
                        .expression = "event == \"payment\" and amount >= 65_000",
                        .action = risk::Action::kDeny});
  spec.rules.push_back({.id = 12,
                        .name = "small",
                        .expression = "event == \"payment\" and amount < 20_000",
                        .score = 10});
  // Reads velocity: the candidate engine must have recorded the earlier payments.
  spec.rules.push_back(
      {.id = 13, .name = "busy", .expression = "event == \"payment\" and customer.count_24h >= 3"});
  // Never in force during the test.
  spec.rules.push_back({.id = 14,
                        .name = "later",
                        .expression = "event == \"payment\"",
                        .action = risk::Action::kDeny,
                        .active_from_s = int64_t{4'000'000'000}});
  return spec;
}

class RiskBacktestTest : public testing::MarketingTest {
 protected:
  void SetUp() override {
    testing::MarketingTest::SetUp();
    EngineOptions options;
    options.checkpoint_on_stop = false;
    options.checkpoint_every_commands = 0;
    Restart(options);
    alice_ = SignUp("13800138001");
    identity::VerifiedIdentity verified{"张三", "lookup-a", "sealed", "1101**********002X", 0};
    EXPECT_EQ(Result(VerifyIdentity{alice_, verified}), Code(IdentityResult::kOk));
    EXPECT_EQ(Result(GrantTier{alice_, identity::WalletTier::kI, staff_}),
              Code(IdentityResult::kOk));
    Fund(alice_, 20'000 * kYuan);
    shop_ = Onboard("shop", 0);
  }

  uint8_t RiskCode(RiskResult r) { return static_cast<uint8_t>(r); }

  void Install(risk::RuleSetSpec spec, bool shadow) {
    ASSERT_EQ(Result(SetRiskRules{staff_, shadow, std::move(spec)}), RiskCode(RiskResult::kOk));
  }

  // A payment an hour after the last; the text of the reply ("completed", "under_review"...).
  std::string PayHourly(uint64_t id, int64_t amount_fen) {
    clock_.Advance(kHour);
    Pay pay = ScanPay(id, alice_, shop_, amount_fen);
    pay.auth.strength = AuthStrength::kTwoFactors;
    pay.auth.device_hash = std::string(64, 'a');
    const Reply reply = engine_->Execute(std::move(pay));
    EXPECT_EQ(reply.results.at(0), Code(PaymentResult::kOk));
    return reply.text;
  }

  void Review(uint64_t payment_id, bool approve, ReviewLabel label) {
    ASSERT_EQ(Result(ReviewPayment{staff_, payment_id, approve, label, false}),
              RiskCode(RiskResult::kOk));
  }

  // Five payments under the live rules: ¥100, ¥600 (held, fraud), ¥700 (held, legit), ¥800
  // (held, approved without a label), ¥300. Returns the time of the ¥700 one.
  int64_t Traffic() {
    Install(LiveRules(), false);
    EXPECT_EQ(PayHourly(1, 100 * kYuan), "completed");
    EXPECT_EQ(PayHourly(2, 600 * kYuan), "under_review");
    const int64_t third_s = (clock_.NowNs() + kHour) / kSecond;
    EXPECT_EQ(PayHourly(3, 700 * kYuan), "under_review");
    EXPECT_EQ(PayHourly(4, 800 * kYuan), "under_review");
    EXPECT_EQ(PayHourly(5, 300 * kYuan), "completed");
    Review(2, false, ReviewLabel::kFraud);
    Review(3, true, ReviewLabel::kLegit);
    Review(4, true, ReviewLabel::kUnknown);
    return third_s;
  }

  RiskBacktestReport Backtest(int64_t from_s = 0, int64_t until_s = 0) {
    RiskBacktestOptions options;
    options.rules = Candidate();
    options.from_s = from_s;
    options.until_s = until_s;
    RiskBacktestReport report;
    const Status s = RunRiskBacktest(store_.get(), options, &report);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return report;
  }

  RiskState RiskCopy() {
    std::string bytes;
    Query([&](const StateMachine& s) { s.risk().Serialize(&bytes); });
    RiskState copy;
    EXPECT_TRUE(copy.Deserialize(bytes));
    return copy;
  }

  // The same state hash from a checkpoint encoded now and after a journal replay.
  void ExpectSameAfterReplayAndCheckpoint() {
    std::string checkpoint;
    Query(
        [&](const StateMachine& s) { EncodeCheckpoint(s, journal::ChainPosition{}, &checkpoint); });
    const Digest before = Hash();
    StateMachine restored;
    journal::ChainPosition position;
    Digest restored_hash{};
    const Status decoded = DecodeCheckpoint(checkpoint, &restored, &position, &restored_hash);
    ASSERT_TRUE(decoded.ok()) << decoded.ToString();
    EXPECT_EQ(restored.StateHash(), before);
    EngineOptions options;
    options.checkpoint_on_stop = false;
    options.checkpoint_every_commands = 0;
    Restart(options);
    EXPECT_EQ(Hash(), before);
  }

  uint64_t alice_ = 0;
  uint64_t shop_ = 0;
};

TEST_F(RiskBacktestTest, CountsEveryCandidateRuleAgainstTheLiveRulesAndTheLabels) {
  Traffic();
  const Digest live_hash = Hash();
  StopEngine();
  const RiskBacktestReport report = Backtest();

  EXPECT_EQ(report.events_by_kind[kPayment], 5u);
  EXPECT_EQ(report.candidate_payments, (VerdictCounts{2, 0, 1, 2}));
  EXPECT_EQ(report.live_payments, (VerdictCounts{2, 0, 3, 0}));
  EXPECT_EQ(report.labelled_fraud, 1u);
  EXPECT_EQ(report.labelled_legit, 1u);
  EXPECT_EQ(report.fraud_flagged_candidate, 1u);
  EXPECT_EQ(report.fraud_flagged_live, 1u);
  EXPECT_EQ(report.legit_flagged_candidate, 1u);
  EXPECT_EQ(report.legit_flagged_live, 1u);

  ASSERT_EQ(report.rules.size(), 5u);
  const RiskBacktestRule& over_500 = report.rules[0];
  EXPECT_EQ(over_500.id, 10u);
  EXPECT_EQ(over_500.name, "over_500");
  EXPECT_EQ(over_500.evaluated, report.events);
  EXPECT_EQ(over_500.hits, 3u);
  EXPECT_EQ(over_500.hit_amount_fen, (600 + 700 + 800) * kYuan);
  EXPECT_EQ(over_500.verdicts, (VerdictCounts{0, 0, 1, 2}));
  EXPECT_EQ(over_500.fraud_hits, 1u);
  EXPECT_EQ(over_500.legit_hits, 1u);

  const RiskBacktestRule& over_650 = report.rules[1];
  EXPECT_EQ(over_650.hits, 2u);
  EXPECT_EQ(over_650.hit_amount_fen, (700 + 800) * kYuan);
  EXPECT_EQ(over_650.verdicts, (VerdictCounts{0, 0, 0, 2}));
  EXPECT_EQ(over_650.fraud_hits, 0u);
  EXPECT_EQ(over_650.legit_hits, 1u);

  const RiskBacktestRule& small = report.rules[2];
  EXPECT_EQ(small.hits, 1u);
  EXPECT_EQ(small.hit_amount_fen, 100 * kYuan);
  EXPECT_EQ(small.verdicts, (VerdictCounts{1, 0, 0, 0}));

  // The 4th and 5th payments: three or more before them within 24 hours.
  const RiskBacktestRule& busy = report.rules[3];
  EXPECT_EQ(busy.hits, 2u);
  EXPECT_EQ(busy.hit_amount_fen, (800 + 300) * kYuan);
  EXPECT_EQ(busy.verdicts, (VerdictCounts{1, 0, 0, 1}));
  EXPECT_EQ(busy.legit_hits + busy.fraud_hits, 0u);  // Payment 4 carries no label.

  const RiskBacktestRule& later = report.rules[4];
  EXPECT_EQ(later.evaluated, 0u);
  EXPECT_EQ(later.hits, 0u);

  // The replay reached the live state: the tap changed nothing.
  EXPECT_EQ(report.state_hash, live_hash);
  EXPECT_GT(report.batches, 0u);
}

TEST_F(RiskBacktestTest, AWindowCountsOnlyItsEventsButKeepsTheHistoryBeforeIt) {
  const int64_t third_s = Traffic();
  StopEngine();
  // From the third payment on: payments 3, 4 and 5.
  const RiskBacktestReport report = Backtest(third_s, 0);
  EXPECT_EQ(report.events_by_kind[kPayment], 3u);
  EXPECT_EQ(report.first_event_s, third_s);
  EXPECT_EQ(report.candidate_payments, (VerdictCounts{1, 0, 0, 2}));
  EXPECT_EQ(report.live_payments, (VerdictCounts{1, 0, 2, 0}));
  EXPECT_EQ(report.labelled_fraud, 0u);  // Payment 2 is outside.
  EXPECT_EQ(report.labelled_legit, 1u);
  EXPECT_EQ(report.rules[0].hits, 2u);
  EXPECT_EQ(report.rules[0].fraud_hits, 0u);
  EXPECT_EQ(report.rules[0].legit_hits, 1u);
  EXPECT_EQ(report.rules[3].hits, 2u);  // Velocity saw payments 1 and 2.
  // Only the third payment.
  const RiskBacktestReport one = Backtest(third_s, third_s + 1);
  EXPECT_EQ(one.events_by_kind[kPayment], 1u);
  EXPECT_EQ(one.rules[1].hits, 1u);
  EXPECT_EQ(one.rules[1].hit_amount_fen, 700 * kYuan);
}

TEST_F(RiskBacktestTest, ACandidateThatDoesNotCompileIsRefused) {
  Traffic();
  StopEngine();
  RiskBacktestOptions options;
  options.rules.rules.push_back({.id = 1, .name = "typo", .expression = "amount_fen > 1"});
  RiskBacktestReport report;
  const Status s = RunRiskBacktest(store_.get(), options, &report);
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(s.message().find("amount_fen"), std::string::npos) << s.ToString();
}

TEST_F(RiskBacktestTest, TheMonitorCountsHitsAndLogsShadowDisagreements) {
  Install(LiveRules(), false);
  Install(Candidate(), true);
  EXPECT_EQ(PayHourly(1, 100 * kYuan), "completed");     // allow / allow (small fires)
  EXPECT_EQ(PayHourly(2, 600 * kYuan), "under_review");  // review / review
  EXPECT_EQ(PayHourly(3, 700 * kYuan), "under_review");  // review / deny: logged
  EXPECT_EQ(PayHourly(4, 300 * kYuan), "completed");     // allow / allow (busy fires)
  {
    const RiskState risk = RiskCopy();
    const RiskMonitor& m = risk.monitor();
    EXPECT_EQ(m.active().evaluated, 4u);
    EXPECT_EQ(m.active().verdicts, (VerdictCounts{2, 0, 2, 0}));
    EXPECT_EQ(m.active().hits, (std::vector<uint64_t>{2, 0}));
    EXPECT_EQ(m.shadow().evaluated, 4u);
    EXPECT_EQ(m.shadow().verdicts, (VerdictCounts{2, 0, 1, 1}));
    EXPECT_EQ(m.shadow().hits, (std::vector<uint64_t>{2, 1, 1, 1, 0}));
    ASSERT_EQ(m.log().size(), 1u);
    const ShadowLogEntry& e = m.log()[0];
    EXPECT_EQ(e.seq, 1u);
    EXPECT_EQ(e.event, kPayment);
    EXPECT_EQ(e.subject_id, 3u);
    EXPECT_EQ(e.customer_id, alice_);
    EXPECT_EQ(e.amount_fen, 700 * kYuan);
    EXPECT_EQ(e.active, risk::Verdict::kReview);
    EXPECT_EQ(e.shadow, risk::Verdict::kDeny);
    EXPECT_EQ(e.shadow_version, 2u);
    EXPECT_EQ(e.rule_ids, (std::vector<uint32_t>{10, 11}));
  }
  ExpectSameAfterReplayAndCheckpoint();
  // A new shadow version starts from zero, log included; the active counters stay.
  Install(Candidate(), true);
  {
    const RiskState risk = RiskCopy();
    EXPECT_EQ(risk.monitor().shadow().evaluated, 0u);
    EXPECT_EQ(risk.monitor().shadow().hits, (std::vector<uint64_t>(5, 0)));
    EXPECT_TRUE(risk.monitor().log().empty());
    EXPECT_EQ(risk.monitor().active().evaluated, 4u);
  }
  EXPECT_EQ(PayHourly(5, 800 * kYuan), "under_review");  // review / deny: logged
  {
    const RiskState risk = RiskCopy();
    ASSERT_EQ(risk.monitor().log().size(), 1u);
    EXPECT_EQ(risk.monitor().log()[0].seq, 2u);  // Sequence numbers never repeat.
    EXPECT_EQ(risk.monitor().log()[0].shadow_version, 3u);
  }
  // A new active version resets the active counters.
  Install(LiveRules(), false);
  EXPECT_EQ(RiskCopy().monitor().active().evaluated, 0u);
  // Removing the shadow empties its counters and the log.
  Install(risk::RuleSetSpec{}, true);
  EXPECT_TRUE(RiskCopy().monitor().log().empty());
  EXPECT_TRUE(RiskCopy().monitor().shadow().hits.empty());
  ExpectSameAfterReplayAndCheckpoint();
}

TEST_F(RiskBacktestTest, AStateWithoutMonitorTailLoadsAndReencodesTheSame) {
  Install(LiveRules(), false);
  // Nothing evaluated yet: the monitor is all zero and left out of the trailer.
  std::string before;
  Query([&](const StateMachine& s) { s.risk().Serialize(&before); });
  RiskState copy;
  ASSERT_TRUE(copy.Deserialize(before));
  std::string after;
  copy.Serialize(&after);
  EXPECT_EQ(after, before);
  EXPECT_EQ(copy.monitor().active().hits, (std::vector<uint64_t>(2, 0)));
  // Once a payment is counted the tail is there, and a truncated tail is refused.
  EXPECT_EQ(PayHourly(1, 100 * kYuan), "completed");
  std::string with_tail;
  Query([&](const StateMachine& s) { s.risk().Serialize(&with_tail); });
  ASSERT_GT(with_tail.size(), before.size());
  RiskState reloaded;
  ASSERT_TRUE(reloaded.Deserialize(with_tail));
  EXPECT_EQ(reloaded.monitor().active().evaluated, 1u);
  RiskState truncated;
  EXPECT_FALSE(truncated.Deserialize(std::string_view(with_tail).substr(0, with_tail.size() - 1)));
}

}  // namespace
}  // namespace qb::engine
