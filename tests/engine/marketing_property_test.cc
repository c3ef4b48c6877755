// A property test of marketing in the engine's state machine: thousands of seeded random
// payments, refunds, claims, issues, top-ups, lifecycle moves and held-cashback releases over
// random campaigns, some co-funded by merchants. After
// every step the ledger sums to zero and every budget account holds exactly what its campaign
// has left (so none is ever negative; an ended one nothing, and a co-funded one's returns keep
// every merchant within its share); every few steps the book's spend is checked against the
// budget accounts' transfers and no coupon is held by two payments. At the end, replaying the
// same commands gives the same state hash, and the checkpoint bytes load back to it.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "engine/state_machine.h"
#include "marketing_fixture.h"

namespace qb::engine::testing {
namespace {

using marketing::AmountShape;
using marketing::CampaignStatus;
using marketing::CampaignType;

constexpr int kSteps = 5'000;
constexpr int kCustomers = 24;
constexpr int kMerchants = 4;

class MarketingProperty {
 public:
  explicit MarketingProperty(uint64_t seed) : rng_(seed) {}

  Reply Run(Command command) {
    time_ns_ += (setting_up_ ? 1 : Between(1, 900)) * kSecond;
    log_.emplace_back(time_ns_, command);
    machine_.BeginBatch(time_ns_, nullptr);
    Reply reply = machine_.Apply(command);
    machine_.EndBatch();
    return reply;
  }

  int64_t Between(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng_);
  }
  bool Chance(int percent) { return Between(1, 100) <= percent; }

  void SetUp() {
    staff_ = Run(CreateStaff{{"ops", "Ops", "argon2", identity::kAllStaffRoles}}).value;
    ledger::Account clearing;
    clearing.id = kBankClearingAccountId;
    clearing.ledger = ledger::kLedgerCny;
    clearing.kind = static_cast<uint16_t>(ledger::AccountKind::kBankClearing);
    Run(CreateAccounts{{clearing}});
    for (int i = 0; i < kCustomers; i++) {
      const std::string phone = "1380013" + std::to_string(8000 + i);
      Run(IssueOtp{phone, identity::OtpPurpose::kRegister, "h" + phone});
      const uint64_t id = Run(RegisterCustomer{{phone, "h" + phone, "argon2", "campus", ""}}).value;
      ASSERT_NE(id, 0u);
      customers_.push_back(id);
      ledger::Transfer top_up;
      top_up.id = next_id_++;
      top_up.debit_account_id = kBankClearingAccountId;
      top_up.credit_account_id = kCustomerWalletAccountBase + id;
      top_up.amount = 5'000 * kYuan;
      top_up.ledger = ledger::kLedgerCny;
      top_up.code = ledger::transfer_codes::kTopUp;
      ASSERT_EQ(Run(CreateTransfers{{top_up}}).results[0], 0);
    }
    for (int i = 0; i < kMerchants; i++) {
      payments::MerchantProfile profile;
      profile.legal_name = "shop " + std::to_string(i);
      profile.credit_code = "91350100M000100Y43";
      profile.category = "catering";
      profile.fee_bps = static_cast<uint32_t>(Between(0, 100));
      const std::string user = "shop" + std::to_string(i);
      merchants_.push_back(
          Run(ApplyMerchant{profile, {user, user, "argon2", 0}, staff_, true}).value);
    }
    for (int i = 0; i < 5; i++) NewCampaign();
    setting_up_ = false;
  }

  marketing::Campaign RandomCampaign() {
    const auto type = static_cast<CampaignType>(Between(1, 5));
    marketing::Campaign c = MakeCampaign(type, Between(300, 30'000));
    marketing::RewardRule& rule = c.rule;
    if (type == CampaignType::kInstantDiscount) {
      switch (Between(0, 3)) {
        case 0:
          rule.shape = AmountShape::kFixed;
          rule.fixed_fen = Between(1, 800);
          break;
        case 1:
          rule.shape = AmountShape::kPercent;
          rule.percent_bps = static_cast<int32_t>(Between(100, 3'000));
          rule.percent_cap_fen = Chance(50) ? Between(1, 2'000) : 0;
          break;
        case 2:
          rule.shape = AmountShape::kRandomRange;
          rule.random_lo_fen = Between(1, 100);
          rule.random_hi_fen = rule.random_lo_fen + Between(0, 500);
          break;
        default:
          rule.shape = AmountShape::kThreshold;
          rule.threshold_fen = Between(0, 5'000);
          rule.save_fen = Between(1, 1'000);
          break;
      }
    } else if (type == CampaignType::kFirstOrder) {
      rule.fixed_fen = Between(100, 1'000);
      rule.first_order_scope =
          Chance(50) ? marketing::FirstOrderScope::kEver : marketing::FirstOrderScope::kAtMerchant;
    } else if (type == CampaignType::kCashback) {
      rule.percent_bps = static_cast<int32_t>(Between(50, 1'000));
      rule.percent_cap_fen = Chance(50) ? Between(1, 500) : 0;
      // Held for 10 minutes to 2 hours: steps are up to 15 minutes apart, so refunds come
      // both during holds and after their release time, before and after a sweep.
      if (Chance(50)) rule.hold_seconds = Between(600, 7'200);
    }
    if (Chance(30)) c.caps.budget_daily_fen = Between(100, 5'000);
    if (Chance(30)) c.caps.customer_count_daily = Between(1, 3);
    if (Chance(30)) c.caps.customer_amount_lifetime_fen = Between(100, 3'000);
    if (Chance(20)) c.eligibility.min_amount_fen = Between(100, 3'000);
    if (Chance(30)) c.eligibility.merchant_ids = {merchants_[Between(0, kMerchants - 1)]};
    if (Chance(30) && !c.eligibility.merchant_ids.empty()) {
      const uint64_t other = merchants_[Between(0, kMerchants - 1)];
      if (other != c.eligibility.merchant_ids[0]) c.eligibility.merchant_ids.push_back(other);
    }
    if (Chance(20)) c.eligibility.holdout_percent = static_cast<int32_t>(Between(1, 30));
    c.exclusive_group = static_cast<uint32_t>(Between(0, 2));
    c.priority = static_cast<int32_t>(Between(-2, 2));
    return c;
  }

  void NewCampaign() {
    const marketing::Campaign config = RandomCampaign();
    const Reply created = Run(CreateCampaign{staff_, config});
    ASSERT_EQ(created.results[0], static_cast<uint8_t>(MarketingResult::kOk)) << created.text;
    const uint64_t id = created.value;
    if (Chance(90)) Run(TransitionCampaign{staff_, id, CampaignStatus::kLive});
    if (config.type == CampaignType::kThresholdCoupon ||
        config.type == CampaignType::kDiscountCoupon) {
      marketing::CouponTemplate t =
          MakeThresholdTemplate(id, Between(0, 5'000), Between(50, 1'000), Between(5, 60));
      t.valid_until_s = kStartS + 400 * kDaySeconds;
      t.claim_end_s = t.valid_until_s;
      if (config.type == CampaignType::kDiscountCoupon) {
        t.kind = marketing::CouponKind::kPercent;
        t.save_fen = 0;
        t.discount_bps = static_cast<int32_t>(Between(500, 3'000));
        t.discount_cap_fen = Chance(50) ? Between(100, 1'500) : 0;
      }
      t.per_customer_limit = static_cast<int32_t>(Between(0, 3));
      const Reply made = Run(CreateCouponTemplate{staff_, t});
      ASSERT_EQ(made.results[0], static_cast<uint8_t>(MarketingResult::kOk)) << made.text;
      templates_.push_back(made.value);
    }
  }

  void Step() {
    const int64_t roll = Between(1, 100);
    if (roll <= 55) {
      PayOnce();
    } else if (roll <= 75) {
      RefundOnce();
    } else if (roll <= 87 && !templates_.empty()) {
      const uint64_t t = templates_[Between(0, templates_.size() - 1)];
      if (Run(ClaimCoupon{RandomCustomer(), t}).results[0] == 0) claims_++;
    } else if (roll <= 90 && !templates_.empty()) {
      const uint64_t t = templates_[Between(0, templates_.size() - 1)];
      Run(IssueCoupons{staff_, t, {RandomCustomer(), RandomCustomer()}});
    } else if (roll <= 94) {
      // A merchant co-funds only a campaign that applies at it; now and then one tries anyway.
      const uint64_t campaign = RandomCampaignId();
      const std::vector<uint64_t>& targeted =
          machine_.campaigns().FindCampaign(campaign)->campaign.eligibility.merchant_ids;
      uint64_t merchant = 0;
      if (!targeted.empty() && Chance(70)) {
        merchant = targeted[Between(0, targeted.size() - 1)];
      } else if (Chance(10)) {
        merchant = merchants_[Between(0, kMerchants - 1)];
      }
      Run(FundCampaign{next_id_++, staff_, campaign, merchant, Between(1, 5'000)});
    } else if (roll <= 96) {
      releases_ += static_cast<int>(Run(ReleaseCashback{}).value);
    } else if (roll <= 98) {
      const auto to = static_cast<CampaignStatus>(Chance(70) ? Between(2, 4) : 5);
      Run(TransitionCampaign{staff_, RandomCampaignId(), to});
    } else {
      NewCampaign();
    }
  }

  uint64_t RandomCustomer() { return customers_[Between(0, kCustomers - 1)]; }
  uint64_t RandomCampaignId() {
    return static_cast<uint64_t>(
        Between(1, static_cast<int64_t>(machine_.campaigns().campaigns().size())));
  }

  void PayOnce() {
    const uint64_t customer = RandomCustomer();
    Pay pay;
    pay.payment_id = next_id_++;
    pay.customer_id = customer;
    pay.merchant_id = merchants_[Between(0, kMerchants - 1)];
    pay.amount_fen = Between(1, 6'000);
    pay.channel = payments::PaymentChannel::kStaticQr;
    pay.auth.strength = identity::AuthStrength::kDeviceSignature;
    const std::vector<uint64_t> wallet = machine_.campaigns().coupons().CouponsOf(customer);
    if (!wallet.empty() && Chance(60)) pay.coupon_id = wallet[Between(0, wallet.size() - 1)];
    if (Chance(3)) pay.coupon_id = Between(1, 200);  // Perhaps someone else's.
    const Reply reply = Run(pay);
    if (reply.results[0] != 0) return;
    paid_.push_back(pay.payment_id);
    if (const PaymentMarketing* m = machine_.FindPaymentMarketing(pay.payment_id)) {
      if (m->discount_fen > 0) discounted_++;
      if (m->coupon_id != 0) coupons_used_++;
    }
  }

  void RefundOnce() {
    if (paid_.empty()) return;
    const uint64_t id = paid_[Between(0, paid_.size() - 1)];
    const payments::Payment& payment = *machine_.payments().FindPayment(id);
    const PaymentMarketing* m = machine_.FindPaymentMarketing(id);
    const int64_t left = payment.amount_fen - (m ? m->discount_fen : 0) - payment.refunded_fen;
    if (left == 0) return;
    const int64_t amount = Chance(40) ? left : Between(1, left);
    const auto r = static_cast<PaymentResult>(
        Run(Refund{next_id_++, payment.merchant_id, id, amount}).results[0]);
    // A merchant that co-funded a campaign may lack the money; nothing else may go wrong.
    ASSERT_TRUE(r == PaymentResult::kOk || r == PaymentResult::kMerchantInsufficientFunds)
        << PaymentResultName(r);
    if (r == PaymentResult::kOk) refunds_++;
  }

  // Every step: the ledger balances, and each budget account holds budget − spent.
  void CheckCheap() {
    const std::optional<std::string> problem = machine_.ledger().CheckInvariants();
    ASSERT_FALSE(problem.has_value()) << *problem;
    for (const marketing::CampaignState& state : machine_.campaigns().campaigns()) {
      const ledger::Account& budget =
          *machine_.ledger().FindAccount(kCampaignBudgetAccountBase + state.campaign.id);
      // Held cashback is a pending debit: spent for the book, not yet moved.
      const int64_t left = budget.CreditBalance() - budget.debits_pending;
      ASSERT_GE(left, 0);
      ASSERT_EQ(left, state.campaign.caps.budget_total_fen - state.spend.spent_total_fen)
          << "campaign " << state.campaign.id;
      // An ended campaign keeps nothing: refunds after the end go on to its funders.
      const bool ended = state.campaign.status == CampaignStatus::kEnded;
      if (ended) {
        ASSERT_EQ(left, 0) << "campaign " << state.campaign.id;
      }
      // Co-funded: what was put in less what came back is what was spent, and no merchant got
      // back more than its share.
      const marketing::CoFunding* funding = machine_.co_funding().Find(state.campaign.id);
      if (funding == nullptr) continue;
      co_funded_ = true;
      if (ended) {
        ASSERT_EQ(funding->total_fen - funding->returned_fen, state.spend.spent_total_fen);
      } else {
        ASSERT_EQ(funding->returned_fen, 0);
        ASSERT_EQ(funding->total_fen, state.campaign.caps.budget_total_fen);
      }
      int64_t to_merchants = 0;
      for (const marketing::CoFunder& m : funding->merchants) {
        ASSERT_LE(m.returned_fen,
                  marketing::OwedBack(m.funded_fen, funding->returned_fen, funding->total_fen));
        to_merchants += m.returned_fen;
      }
      ASSERT_LE(to_merchants, funding->returned_fen);
    }
  }

  // Every few steps: spend equals the budget accounts' net rewards, and coupons are held once.
  void CheckThorough() {
    std::map<uint64_t, int64_t> rewarded;
    machine_.ledger().ForEachTransfer([&](const ledger::Transfer& t) {
      namespace codes = ledger::transfer_codes;
      namespace flags = ledger::transfer_flags;
      if (t.code == codes::kCashback && (t.flags & flags::kPostPending) != 0) {
        return;  // Releasing a hold counted when it was made.
      }
      if (t.code == codes::kCashback && (t.flags & flags::kVoidPending) != 0) {
        rewarded[t.debit_account_id - kCampaignBudgetAccountBase] -= t.amount;
      } else if (t.code == codes::kCampaignDiscount || t.code == codes::kCashback) {
        rewarded[t.debit_account_id - kCampaignBudgetAccountBase] += t.amount;
      } else if (t.code == codes::kDiscountReversal || t.code == codes::kCashbackReversal) {
        rewarded[t.credit_account_id - kCampaignBudgetAccountBase] -= t.amount;
      }
    });
    for (const marketing::CampaignState& state : machine_.campaigns().campaigns()) {
      ASSERT_EQ(rewarded[state.campaign.id], state.spend.spent_total_fen);
    }
    std::map<uint64_t, int> holders;
    machine_.payments().ForEachPayment([&](const payments::Payment& p) {
      const PaymentMarketing* m = machine_.FindPaymentMarketing(p.id);
      if (m == nullptr || m->coupon_id == 0) return;
      if (p.refunded_fen < p.amount_fen - m->discount_fen) holders[m->coupon_id]++;
    });
    const marketing::CouponBook& coupons = machine_.campaigns().coupons();
    for (const auto& [coupon_id, count] : holders) {
      ASSERT_EQ(count, 1) << "coupon " << coupon_id;
      ASSERT_EQ(coupons.FindCoupon(coupon_id)->state, marketing::CouponState::kRedeemed);
    }
    for (uint64_t id = 1; id <= coupons.coupon_count(); id++) {
      const marketing::Coupon& coupon = *coupons.FindCoupon(id);
      if (coupon.state == marketing::CouponState::kRedeemed) {
        ASSERT_EQ(holders[id], 1) << "coupon " << id;
        ASSERT_EQ(machine_.FindPaymentMarketing(coupon.redeemed_by_payment)->coupon_id, id);
      }
    }
  }

  StateMachine machine_;
  std::vector<std::pair<int64_t, Command>> log_;
  std::mt19937_64 rng_;
  int64_t time_ns_ = kStartNs;
  bool setting_up_ = true;
  uint64_t staff_ = 0;
  uint64_t next_id_ = 1'000;
  std::vector<uint64_t> customers_;
  std::vector<uint64_t> merchants_;
  std::vector<uint64_t> templates_;
  std::vector<uint64_t> paid_;
  int discounted_ = 0;
  int coupons_used_ = 0;
  int refunds_ = 0;
  int claims_ = 0;
  int releases_ = 0;
  bool co_funded_ = false;
};

TEST(MarketingPropertyTest, RandomPaymentsRefundsAndClaimsKeepLedgerAndBookInStep) {
  for (const uint64_t seed : {7u, 2026u, 11'11u}) {
    SCOPED_TRACE(seed);
    MarketingProperty p(seed);
    p.SetUp();
    ASSERT_FALSE(::testing::Test::HasFatalFailure());
    for (int step = 0; step < kSteps; step++) {
      p.Step();
      ASSERT_FALSE(::testing::Test::HasFatalFailure()) << "step " << step;
      p.CheckCheap();
      ASSERT_FALSE(::testing::Test::HasFatalFailure()) << "step " << step;
      if (step % 20 == 0) p.CheckThorough();
      ASSERT_FALSE(::testing::Test::HasFatalFailure()) << "step " << step;
    }
    p.CheckThorough();
    // The run exercised what it is about.
    std::printf(
        "seed %llu: %d discounted payments, %d coupons used, %d refunds, %d claims, %d held "
        "cashbacks released\n",
        static_cast<unsigned long long>(seed), p.discounted_, p.coupons_used_, p.refunds_,
        p.claims_, p.releases_);
    EXPECT_GT(p.discounted_, 100);
    EXPECT_GT(p.coupons_used_, 10);
    EXPECT_GT(p.refunds_, 200);
    EXPECT_GT(p.claims_, 20);
    EXPECT_GT(p.releases_, 10);
    EXPECT_TRUE(p.co_funded_);

    StateMachine replayed;
    for (const auto& [time_ns, command] : p.log_) {
      replayed.BeginBatch(time_ns, nullptr);
      replayed.Apply(command);
      replayed.EndBatch();
    }
    EXPECT_EQ(replayed.StateHash(), p.machine_.StateHash());
    std::string bytes;
    p.machine_.Serialize(&bytes);
    StateMachine loaded;
    ASSERT_TRUE(loaded.Deserialize(bytes));
    EXPECT_EQ(loaded.StateHash(), p.machine_.StateHash());
  }
}

}  // namespace
}  // namespace qb::engine::testing
