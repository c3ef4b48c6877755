// Property test: random campaign configurations and a random stream of payments, partial and
// full refunds, coupon claims and issues, top-ups, pauses and checkpoint round trips, checked
// after every step against an independent model that keeps its own books:
//   - no campaign ever spends past its total or daily budget, or any per-customer, per-device
//     or per-identity cap;
//   - no coupon is held by two unrefunded payments;
//   - rewards minus reversals equal the book's spent counters, and each reversal is exactly
//     the remaining-amount share of the refund;
//   - after refunding everything every counter and budget is back where it started;
//   - a serialize → deserialize round trip at random points gives an equal book, and the run
//     continues on the decoded copy;
//   - the same seed replayed gives the same state hash.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "marketing/campaign_book.h"
#include "marketing_test_util.h"
#include "random_config.h"

namespace qb::marketing {
namespace {

using testing::kDay;
using testing::kT0;
using testing::Random;
using testing::RandomCampaign;
using testing::RandomTemplate;

constexpr uint64_t kSeeds[] = {1, 2, 3, 5, 8, 13, 21, 34, 55, 89};
constexpr int kStepsPerSeed = 5'000;
constexpr uint64_t kCustomers = 200;

// The independent model: its own counters, kept from the plans and reversals the book returns.
class Model {
 public:
  struct Use {
    int64_t count = 0;
    int64_t amount_fen = 0;
  };
  struct OpenPayment {
    Plan plan;
    int64_t day = 0;
    int64_t refunded_fen = 0;
    std::vector<int64_t> reversed_fen;
  };

  void AddCampaign(const Campaign& campaign) {
    budget_[campaign.id] = campaign.caps.budget_total_fen;
  }
  void TopUp(uint64_t campaign_id, int64_t amount_fen) { budget_[campaign_id] += amount_fen; }

  // Checks a plan the book is about to commit, before the book changes.
  void CheckPlan(const CampaignBook& book, const Plan& plan) const {
    const PaymentContext& c = plan.context;
    int64_t discount = 0;
    int64_t cashback = 0;
    int coupons = 0;
    std::set<uint64_t> campaigns;
    std::set<uint32_t> groups;
    int last_step = 0;
    for (const Reward& reward : plan.rewards) {
      ASSERT_GE(reward.amount_fen, 1);
      ASSERT_TRUE(campaigns.insert(reward.campaign_id).second) << "a campaign twice";
      const Campaign& campaign = book.FindCampaign(reward.campaign_id)->campaign;
      ASSERT_TRUE(campaign.status == CampaignStatus::kLive ||
                  campaign.status == CampaignStatus::kScheduled);
      ASSERT_GE(c.time_s, campaign.eligibility.window_start_s);
      ASSERT_LT(c.time_s, campaign.eligibility.window_end_s);
      ASSERT_GE(HoldoutBucket(campaign.id, c.customer_id), campaign.eligibility.holdout_percent);
      if (campaign.exclusive_group != 0) {
        ASSERT_TRUE(groups.insert(campaign.exclusive_group).second) << "exclusive group twice";
      }
      const int step = reward.kind == RewardKind::kDiscount ? 0
                       : reward.kind == RewardKind::kCoupon ? 1
                                                            : 2;
      ASSERT_GE(step, last_step) << "stacking order";
      last_step = step;
      switch (reward.kind) {
        case RewardKind::kDiscount:
          ASSERT_TRUE(campaign.type == CampaignType::kInstantDiscount ||
                      campaign.type == CampaignType::kFirstOrder);
          discount += reward.amount_fen;
          break;
        case RewardKind::kCoupon: {
          ++coupons;
          ASSERT_EQ(reward.coupon_id, c.coupon_id);
          const Coupon* coupon = book.coupons().FindCoupon(reward.coupon_id);
          ASSERT_NE(coupon, nullptr);
          ASSERT_EQ(coupon->customer_id, c.customer_id);
          ASSERT_EQ(coupon->state, CouponState::kAvailable);
          ASSERT_TRUE(coupon->ValidAt(c.time_s));
          ASSERT_FALSE(coupon_holder_.contains(reward.coupon_id)) << "coupon redeemed twice";
          ASSERT_EQ(book.coupons().FindTemplate(coupon->template_id)->campaign_id, campaign.id);
          discount += reward.amount_fen;
          break;
        }
        case RewardKind::kCashbackNow:
        case RewardKind::kCashbackHeld:
          ASSERT_EQ(campaign.type, CampaignType::kCashback);
          ASSERT_EQ(reward.kind == RewardKind::kCashbackHeld, campaign.rule.hold_seconds != 0);
          cashback += reward.amount_fen;
          break;
      }
    }
    ASSERT_LE(coupons, 1);
    ASSERT_EQ(plan.discount_fen, discount);
    ASSERT_EQ(plan.cashback_fen, cashback);
    ASSERT_EQ(plan.customer_pays_fen, c.amount_fen - discount);
    ASSERT_GE(plan.customer_pays_fen, 1);
    ASSERT_LE(cashback, plan.customer_pays_fen);
  }

  void Commit(const CampaignBook& book, uint64_t payment_id, const Plan& plan) {
    if (plan.rewards.empty()) return;
    const PaymentContext& c = plan.context;
    const int64_t day = ChinaDay(c.time_s);
    for (const Reward& reward : plan.rewards) {
      const uint64_t id = reward.campaign_id;
      spent_[id] += reward.amount_fen;
      spent_by_day_[{id, day}] += reward.amount_fen;
      Add(&customer_life_[{id, c.customer_id}], 1, reward.amount_fen);
      Add(&customer_day_[{id, c.customer_id, day}], 1, reward.amount_fen);
      device_[{id, c.device_hash}] += 1;
      identity_[{id, c.identity_hash}] += 1;
      if (reward.kind == RewardKind::kCoupon) coupon_holder_[reward.coupon_id] = payment_id;
      CheckCaps(book.FindCampaign(id)->campaign, c, day);
    }
    open_[payment_id] = OpenPayment{plan, day, 0, std::vector<int64_t>(plan.rewards.size(), 0)};
  }

  // Applies a refund's reversals, checking each against the remaining-amount rule.
  void Refund(uint64_t payment_id, int64_t refund_fen, const RefundResult& result) {
    OpenPayment& open = open_.at(payment_id);
    const Plan& plan = open.plan;
    const PaymentContext& c = plan.context;
    open.refunded_fen += refund_fen;
    const int64_t paid = plan.customer_pays_fen;
    const bool fully = open.refunded_fen == paid;
    ASSERT_EQ(result.fully_refunded, fully);
    size_t next = 0;
    for (size_t i = 0; i < plan.rewards.size(); ++i) {
      const Reward& reward = plan.rewards[i];
      // What the reward keeps after refunds totalling R of P: floor(A * (P - R) / P).
      const int64_t keep = static_cast<int64_t>(static_cast<__int128>(reward.amount_fen) *
                                                (paid - open.refunded_fen) / paid);
      const int64_t expected = reward.amount_fen - open.reversed_fen[i] - keep;
      ASSERT_GE(expected, 0);
      const uint64_t id = reward.campaign_id;
      if (fully) {  // the payment no longer counts, even if this reward was already all reversed
        Add(&customer_life_[{id, c.customer_id}], -1, 0);
        Add(&customer_day_[{id, c.customer_id, open.day}], -1, 0);
      }
      if (expected == 0) continue;
      ASSERT_LT(next, result.reversals.size());
      const Reversal& reversal = result.reversals[next++];
      ASSERT_EQ(reversal.campaign_id, reward.campaign_id);
      ASSERT_EQ(reversal.kind, reward.kind);
      ASSERT_EQ(reversal.amount_fen, expected);
      open.reversed_fen[i] += expected;
      spent_[id] -= expected;
      spent_by_day_[{id, open.day}] -= expected;
      Add(&customer_life_[{id, c.customer_id}], 0, -expected);
      Add(&customer_day_[{id, c.customer_id, open.day}], 0, -expected);
    }
    ASSERT_EQ(next, result.reversals.size());
    if (!fully) return;
    for (size_t i = 0; i < plan.rewards.size(); ++i) {
      ASSERT_EQ(open.reversed_fen[i], plan.rewards[i].amount_fen) << "a full refund reverses all";
    }
    for (const Reward& reward : plan.rewards) {
      device_[{reward.campaign_id, c.device_hash}] -= 1;
      identity_[{reward.campaign_id, c.identity_hash}] -= 1;
      if (reward.kind == RewardKind::kCoupon) coupon_holder_.erase(reward.coupon_id);
    }
    open_.erase(payment_id);
  }

  // Compares the book's counters with the model's and checks every cap.
  void CheckBook(const CampaignBook& book) const {
    for (const CampaignState& state : book.campaigns()) {
      const uint64_t id = state.campaign.id;
      const int64_t spent = Get(spent_, id);
      ASSERT_EQ(state.spend.spent_total_fen, spent) << "campaign " << id;
      ASSERT_LE(spent, state.campaign.caps.budget_total_fen);
      if (state.campaign.status != CampaignStatus::kEnded) {
        ASSERT_EQ(state.campaign.caps.budget_total_fen, budget_.at(id));
      }
      if (state.spend.day != 0) {
        ASSERT_EQ(state.spend.spent_day_fen, Get(spent_by_day_, std::pair(id, state.spend.day)));
      }
    }
    for (const auto& [key, holder] : coupon_holder_) {
      const Coupon* coupon = book.coupons().FindCoupon(key);
      ASSERT_EQ(coupon->state, CouponState::kRedeemed);
      ASSERT_EQ(coupon->redeemed_by_payment, holder);
    }
    for (size_t id = 1; id <= book.coupons().coupon_count(); ++id) {
      const Coupon* coupon = book.coupons().FindCoupon(id);
      ASSERT_EQ(coupon->state == CouponState::kRedeemed, coupon_holder_.contains(id));
    }
    ASSERT_EQ(book.payment_count(), open_.size());
    for (const auto& [key, use] : customer_life_) {
      const Caps& caps = book.FindCampaign(key.first)->campaign.caps;
      if (!caps.HasCustomerCaps()) continue;
      const CustomerUsage* usage = book.usage().FindCustomer(key.first, key.second);
      if (use.count == 0 && use.amount_fen == 0) {
        ASSERT_EQ(usage, nullptr);
        continue;
      }
      ASSERT_NE(usage, nullptr);
      ASSERT_EQ(usage->count_lifetime, use.count);
      ASSERT_EQ(usage->amount_lifetime_fen, use.amount_fen);
      const Use today = Get(customer_day_, std::tuple(key.first, key.second, usage->day));
      ASSERT_EQ(usage->count_day, today.count);
      ASSERT_EQ(usage->amount_day_fen, today.amount_fen);
    }
    for (const auto& [key, count] : device_) {
      if (book.FindCampaign(key.first)->campaign.caps.device_count_lifetime == 0) continue;
      ASSERT_EQ(book.usage().DeviceCount(key.first, key.second), count);
    }
    for (const auto& [key, count] : identity_) {
      if (book.FindCampaign(key.first)->campaign.caps.identity_count_lifetime == 0) continue;
      ASSERT_EQ(book.usage().IdentityCount(key.first, key.second), count);
    }
  }

  const std::map<uint64_t, OpenPayment>& open() const { return open_; }
  int64_t budget(uint64_t campaign_id) const { return budget_.at(campaign_id); }

 private:
  static void Add(Use* use, int64_t count, int64_t amount_fen) {
    use->count += count;
    use->amount_fen += amount_fen;
  }
  template <typename Map, typename Key>
  static typename Map::mapped_type Get(const Map& map, const Key& key) {
    const auto it = map.find(key);
    return it == map.end() ? typename Map::mapped_type{} : it->second;
  }

  // Every cap of `campaign` holds for this payment's subjects.
  void CheckCaps(const Campaign& campaign, const PaymentContext& c, int64_t day) const {
    const uint64_t id = campaign.id;
    const Caps& caps = campaign.caps;
    auto within = [](int64_t cap, int64_t value) { return cap == 0 || value <= cap; };
    ASSERT_LE(Get(spent_, id), budget_.at(id));
    ASSERT_TRUE(within(caps.budget_daily_fen, Get(spent_by_day_, std::pair(id, day))));
    const Use life = Get(customer_life_, std::pair(id, c.customer_id));
    const Use today = Get(customer_day_, std::tuple(id, c.customer_id, day));
    ASSERT_TRUE(within(caps.customer_count_lifetime, life.count));
    ASSERT_TRUE(within(caps.customer_amount_lifetime_fen, life.amount_fen));
    ASSERT_TRUE(within(caps.customer_count_daily, today.count));
    ASSERT_TRUE(within(caps.customer_amount_daily_fen, today.amount_fen));
    if (caps.device_count_lifetime != 0) {
      ASSERT_NE(c.device_hash, 0u);
      ASSERT_LE(Get(device_, std::pair(id, c.device_hash)), caps.device_count_lifetime);
    }
    if (caps.identity_count_lifetime != 0) {
      ASSERT_NE(c.identity_hash, 0u);
      ASSERT_LE(Get(identity_, std::pair(id, c.identity_hash)), caps.identity_count_lifetime);
    }
  }

  std::map<uint64_t, int64_t> budget_;
  std::map<uint64_t, int64_t> spent_;
  std::map<std::pair<uint64_t, int64_t>, int64_t> spent_by_day_;
  std::map<std::pair<uint64_t, uint64_t>, Use> customer_life_;
  std::map<std::tuple<uint64_t, uint64_t, int64_t>, Use> customer_day_;
  std::map<std::pair<uint64_t, uint64_t>, int64_t> device_;
  std::map<std::pair<uint64_t, uint64_t>, int64_t> identity_;
  std::map<uint64_t, uint64_t> coupon_holder_;  // coupon id → unrefunded payment holding it
  std::map<uint64_t, OpenPayment> open_;
};

class Simulation {
 public:
  explicit Simulation(uint64_t seed) : random_(seed) {}

  void Setup() {
    const int64_t campaign_count = random_.Between(3, 8);
    for (int64_t i = 0; i < campaign_count; ++i) {
      uint64_t id = 0;
      const Error error = book_.CreateCampaign(RandomCampaign(random_), &id);
      ASSERT_TRUE(error.ok()) << error.code << " " << error.field;
      const Campaign& campaign = book_.FindCampaign(id)->campaign;
      model_.AddCampaign(campaign);
      const int64_t status = random_.Between(0, 9);
      if (status < 7) {
        ASSERT_TRUE(book_.TransitionCampaign(id, CampaignStatus::kLive).ok());
      }
      if (status >= 7 && status < 9) {
        ASSERT_TRUE(book_.TransitionCampaign(id, CampaignStatus::kScheduled).ok());
      }
      const bool coupons = campaign.type == CampaignType::kThresholdCoupon ||
                           campaign.type == CampaignType::kDiscountCoupon;
      for (int64_t t = 0; coupons && t < random_.Between(1, 2); ++t) {
        uint64_t template_id = 0;
        const Error made =
            book_.CreateCouponTemplate(RandomTemplate(random_, campaign), &template_id);
        ASSERT_TRUE(made.ok()) << made.code << " " << made.field;
        templates_.push_back(template_id);
      }
    }
  }

  void Step() {
    now_s_ += random_.Between(0, 15 * 60);
    const int64_t pick = random_.Between(0, 99);
    if (pick < 50) return Payment();
    if (pick < 70) return RefundSome();
    if (pick < 82) return Claim();
    if (pick < 85) return Issue();
    if (pick < 88) return TopUp();
    if (pick < 91) return Toggle();
    if (pick < 95) return StaleCommit();
    return RoundTrip();
  }

  // Refunds every open payment in full; afterwards all counters must be back at zero.
  void RefundEverything() {
    while (!model_.open().empty()) {
      const uint64_t payment_id = model_.open().begin()->first;
      const auto& open = model_.open().begin()->second;
      Refund(payment_id, open.plan.customer_pays_fen - open.refunded_fen);
      if (::testing::Test::HasFatalFailure()) return;
    }
    ASSERT_EQ(book_.payment_count(), 0u);
    ASSERT_TRUE(book_.usage().empty());
    for (const CampaignState& state : book_.campaigns()) {
      ASSERT_EQ(state.spend.spent_total_fen, 0);
      ASSERT_EQ(state.spend.SpentOn(state.spend.day), 0);
      ASSERT_EQ(state.campaign.caps.budget_total_fen, model_.budget(state.campaign.id));
      ASSERT_EQ(book_.UnspentFen(state.campaign.id), model_.budget(state.campaign.id));
    }
    for (size_t id = 1; id <= book_.coupons().coupon_count(); ++id) {
      ASSERT_NE(book_.coupons().FindCoupon(id)->state, CouponState::kRedeemed);
    }
  }

  const CampaignBook& book() const { return book_; }
  const Model& model() const { return model_; }
  int64_t commits() const { return commits_; }
  int64_t rewarded() const { return rewarded_; }
  int64_t refunds() const { return refunds_; }
  int64_t coupons_redeemed() const { return coupons_redeemed_; }
  int64_t budgets_drained() const { return budgets_drained_; }

 private:
  PaymentContext RandomPayment() {
    PaymentContext c;
    c.customer_id = static_cast<uint64_t>(random_.Between(1, kCustomers));
    c.device_hash = random_.Chance(10) ? 0 : c.customer_id % 60 + 1;
    c.identity_hash = random_.Chance(5) ? 0 : c.customer_id % 90 + 1;
    c.merchant_id = static_cast<uint64_t>(random_.Between(1, 6));
    c.merchant_category = static_cast<uint32_t>(random_.Between(1, 3));
    c.region = random_.Chance(50) ? 10 : 20;
    c.channel = static_cast<Channel>(random_.Between(0, 3));
    c.amount_fen = random_.Chance(10) ? random_.Between(1, 10) : random_.Between(1, 30'000);
    c.time_s = now_s_;
    c.first_payment_ever = random_.Chance(15);
    c.first_at_merchant = random_.Chance(25);
    c.segment_bits = static_cast<uint64_t>(random_.Between(0, 15));
    c.seed = random_.Bits();
    const std::vector<uint64_t> mine = book_.coupons().CouponsOf(c.customer_id);
    if (!mine.empty() && random_.Chance(70)) {
      c.coupon_id =
          mine[static_cast<size_t>(random_.Between(0, static_cast<int64_t>(mine.size()) - 1))];
    } else if (book_.coupons().coupon_count() > 0 && random_.Chance(5)) {
      c.coupon_id = static_cast<uint64_t>(
          random_.Between(1, static_cast<int64_t>(book_.coupons().coupon_count())));
    }
    return c;
  }

  void Commit(const Plan& plan) {
    const uint64_t payment_id = next_payment_id_++;
    model_.CheckPlan(book_, plan);
    if (::testing::Test::HasFatalFailure()) return;
    const Error error = book_.Commit(payment_id, plan);
    ASSERT_TRUE(error.ok()) << error.code;
    model_.Commit(book_, payment_id, plan);
    ++commits_;
    rewarded_ += plan.rewards.empty() ? 0 : 1;
    for (const Reward& reward : plan.rewards) {
      coupons_redeemed_ += reward.kind == RewardKind::kCoupon;
      const CampaignState& state = *book_.FindCampaign(reward.campaign_id);
      budgets_drained_ += state.spend.spent_total_fen == state.campaign.caps.budget_total_fen;
    }
    model_.CheckBook(book_);
  }

  void Payment() { Commit(book_.Quote(RandomPayment())); }

  // Quotes, lets another payment happen, then commits the first quote: accepted exactly when a
  // fresh quote still gives the same plan, and refused without any change otherwise.
  void StaleCommit() {
    const Plan early = book_.Quote(RandomPayment());
    Payment();
    if (::testing::Test::HasFatalFailure()) return;
    if (book_.Quote(early.context) == early) return Commit(early);
    const Digest before = book_.StateHash();
    ASSERT_EQ(book_.Commit(next_payment_id_++, early).code, "MARKETING_PLAN_STALE");
    ASSERT_EQ(book_.StateHash(), before);
  }

  void Refund(uint64_t payment_id, int64_t refund_fen) {
    RefundResult result;
    const Error error = book_.Refund(payment_id, refund_fen, now_s_, &result);
    ASSERT_TRUE(error.ok()) << error.code;
    model_.Refund(payment_id, refund_fen, result);
    ++refunds_;
    model_.CheckBook(book_);
  }

  void RefundSome() {
    const auto& open = model_.open();
    if (open.empty()) return;
    auto it = open.begin();
    std::advance(it, random_.Between(0, static_cast<int64_t>(open.size()) - 1));
    const int64_t left = it->second.plan.customer_pays_fen - it->second.refunded_fen;
    const int64_t refund = random_.Chance(40) ? left : random_.Between(1, left);
    // Over-refunding is refused and changes nothing.
    RefundResult result;
    if (random_.Chance(5)) {
      const Digest before = book_.StateHash();
      ASSERT_EQ(book_.Refund(it->first, left + 1, now_s_, &result).code,
                "MARKETING_INVALID_REFUND");
      ASSERT_EQ(book_.StateHash(), before);
    }
    Refund(it->first, refund);
  }

  void Claim() {
    if (templates_.empty()) return;
    const uint64_t template_id = templates_[static_cast<size_t>(
        random_.Between(0, static_cast<int64_t>(templates_.size()) - 1))];
    uint64_t coupon_id = 0;
    const uint64_t customer = static_cast<uint64_t>(random_.Between(1, kCustomers));
    const Digest before = book_.StateHash();
    if (!book_.ClaimCoupon(template_id, customer, now_s_, &coupon_id).ok()) {
      ASSERT_EQ(book_.StateHash(), before);
    }
    const CouponTemplate& t = *book_.coupons().FindTemplate(template_id);
    ASSERT_LE(book_.coupons().IssuedCount(template_id), t.stock);
  }

  void Issue() {
    if (templates_.empty()) return;
    const uint64_t template_id = templates_[static_cast<size_t>(
        random_.Between(0, static_cast<int64_t>(templates_.size()) - 1))];
    std::vector<uint64_t> customers(static_cast<size_t>(random_.Between(1, 4)));
    for (uint64_t& customer : customers)
      customer = static_cast<uint64_t>(random_.Between(1, kCustomers));
    uint64_t first = 0;
    const Digest before = book_.StateHash();
    if (!book_.IssueCoupons(template_id, customers, now_s_, &first).ok()) {
      ASSERT_EQ(book_.StateHash(), before);
    }
    ASSERT_LE(book_.coupons().IssuedCount(template_id),
              book_.coupons().FindTemplate(template_id)->stock);
  }

  void TopUp() {
    const uint64_t id =
        static_cast<uint64_t>(random_.Between(1, static_cast<int64_t>(book_.campaigns().size())));
    const int64_t amount = random_.Between(1, 5'000);
    ASSERT_TRUE(book_.TopUp(id, amount).ok());
    model_.TopUp(id, amount);
    model_.CheckBook(book_);
  }

  void Toggle() {
    const uint64_t id =
        static_cast<uint64_t>(random_.Between(1, static_cast<int64_t>(book_.campaigns().size())));
    const CampaignStatus status = book_.FindCampaign(id)->campaign.status;
    // Pauses are brief: most of the time most campaigns are live.
    const CampaignStatus to = status == CampaignStatus::kLive && random_.Chance(40)
                                  ? CampaignStatus::kPaused
                                  : CampaignStatus::kLive;
    const Error error = book_.TransitionCampaign(id, to);
    ASSERT_EQ(error.ok(), IsTransitionAllowed(status, to));
  }

  void RoundTrip() {
    std::string bytes;
    book_.Serialize(&bytes);
    CampaignBook copy;
    ASSERT_TRUE(copy.Deserialize(bytes));
    ASSERT_TRUE(copy == book_);
    ASSERT_EQ(copy.StateHash(), book_.StateHash());
    book_ = std::move(copy);  // carry on with the decoded book
    model_.CheckBook(book_);
  }

  Random random_;
  CampaignBook book_;
  Model model_;
  std::vector<uint64_t> templates_;
  int64_t now_s_ = kT0;
  uint64_t next_payment_id_ = 1;
  int64_t commits_ = 0;
  int64_t rewarded_ = 0;
  int64_t refunds_ = 0;
  int64_t coupons_redeemed_ = 0;
  int64_t budgets_drained_ = 0;
};

// Runs one seed; returns the state hash before the final refunds (for the replay check).
Digest RunSeed(uint64_t seed, Simulation* simulation) {
  simulation->Setup();
  for (int step = 0; step < kStepsPerSeed && !::testing::Test::HasFatalFailure(); ++step) {
    simulation->Step();
    if (::testing::Test::HasFatalFailure()) ADD_FAILURE() << "seed " << seed << " step " << step;
  }
  return simulation->book().StateHash();
}

TEST(MarketingPropertyTest, RandomStreamsKeepEveryCapAndRefundExactly) {
  int64_t commits = 0;
  int64_t rewarded = 0;
  int64_t refunds = 0;
  int64_t coupons = 0;
  int64_t drained = 0;
  for (const uint64_t seed : kSeeds) {
    SCOPED_TRACE(::testing::Message() << "seed " << seed);
    Simulation simulation(seed);
    RunSeed(seed, &simulation);
    ASSERT_FALSE(::testing::Test::HasFatalFailure());
    simulation.RefundEverything();
    ASSERT_FALSE(::testing::Test::HasFatalFailure());
    commits += simulation.commits();
    rewarded += simulation.rewarded();
    refunds += simulation.refunds();
    coupons += simulation.coupons_redeemed();
    drained += simulation.budgets_drained();
  }
  // The streams must actually exercise the book, not just pass trivially.
  EXPECT_GT(commits, 10'000);
  EXPECT_GT(rewarded, 3'000);
  EXPECT_GT(refunds, 5'000);
  EXPECT_GT(coupons, 100);
  EXPECT_GT(drained, 10);  // rewards cut to the last fen of a budget
  std::printf(
      "commits %lld, rewarded %lld, refunds %lld, coupons redeemed %lld, budgets drained %lld\n",
      static_cast<long long>(commits), static_cast<long long>(rewarded),
      static_cast<long long>(refunds), static_cast<long long>(coupons),
      static_cast<long long>(drained));
}

TEST(MarketingPropertyTest, SameSeedSameStateHash) {
  Simulation first(kSeeds[0]);
  Simulation second(kSeeds[0]);
  const Digest a = RunSeed(kSeeds[0], &first);
  const Digest b = RunSeed(kSeeds[0], &second);
  EXPECT_EQ(a, b);
}

}  // namespace
}  // namespace qb::marketing
