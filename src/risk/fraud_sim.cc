#include "risk/fraud_sim.h"

#include <algorithm>
#include <utility>

#include "base/assert.h"
#include "risk/fraud_sim_internal.h"

namespace qb::risk {
namespace sim_internal {

void Generator::MakeMerchants() {
  const size_t count = std::max<size_t>(100, options_.customers / 8);
  for (size_t i = 0; i < count; ++i) merchants_.push_back(5'000'000 + i);
  // Promotion days: a few merchants (popular and not) sell many times their usual for a day.
  for (size_t i = 0; i < std::max<size_t>(4, count / 50); ++i) {
    promo_merchants_.push_back(merchants_[rng_.Below(count)]);
    promo_days_s_.push_back(start_s_ + rng_.Between(0, options_.days - 1) * kDayS);
  }
  for (size_t i = 0; i < std::max<size_t>(8, options_.customers / 20); ++i) {
    home_ips_.push_back(rng_.Id());
  }
  for (size_t i = 0; i < 8; ++i) carrier_ips_.push_back(rng_.Id());
}

void Generator::MakeCustomers() {
  plans_.resize(options_.customers);
  for (uint32_t i = 0; i < options_.customers; ++i) {
    CustomerPlan& plan = plans_[i];
    plan.id = 1'000'000 + i;
    plan.device = rng_.Id();
    plan.ip = HomeIp();
    plan.phone = Phone();
    plan.identity = rng_.Chance(0.75) ? rng_.Id() : 0;
    plan.cards = {rng_.Id(), rng_.Chance(0.4) ? rng_.Id() : 0};
    const uint64_t tier_pick = rng_.Below(100);
    plan.tier = tier_pick < 25 ? 4 : tier_pick < 55 ? 3 : tier_pick < 95 ? 2 : 1;
    static constexpr double kRates[] = {0.3, 0.8, 1.5, 2.5, 4.0};
    plan.payments_per_day = kRates[rng_.Below(5)];
    plan.scale_fen = rng_.Between(8, 90) * kYuan;
    for (int m = 0; m < 6; ++m) plan.favourite_merchants.push_back(Merchant());
    // A few customers are the regulars of a small shop at the tail of the list.
    if (rng_.Chance(0.1)) {
      plan.favourite_merchants[0] = merchants_[merchants_.size() - 1 - rng_.Below(20)];
    }
    if (rng_.Chance(0.86)) {
      plan.registered_s = warmup_s_ - rng_.Between(1, 720) * kDayS + DayTime();
      plan.dormant = rng_.Chance(0.04);
      if (plan.dormant) plan.registered_s = warmup_s_ - rng_.Between(200, 720) * kDayS;
    } else {
      plan.registered_s =
          warmup_s_ + rng_.Between(0, options_.days + options_.warmup_days - 1) * kDayS + DayTime();
    }
  }
  for (uint32_t i = 0; i < options_.customers; ++i) {
    CustomerPlan& plan = plans_[i];
    // Friends are anyone registered before the stream, including those who rarely use the
    // wallet (so legitimate money goes to idle accounts too).
    for (int f = 0; f < 4; ++f) {
      uint32_t index = OldCustomer();
      if (rng_.Chance(0.05)) index = static_cast<uint32_t>(rng_.Below(plans_.size()));
      if (plans_[index].registered_s < warmup_s_) plan.friends.push_back(index);
    }
    if (plan.friends.empty()) plan.friends.push_back(OldCustomer());
    if (plan.registered_s >= warmup_s_ && rng_.Chance(0.33)) {
      plan.inviter = plans_[OldCustomer()].id;
      // Some invite friends the day they join themselves.
      for (int tries = 0; tries < 50 && rng_.Chance(0.1); ++tries) {
        const CustomerPlan& other = plans_[rng_.Below(plans_.size())];
        if (other.registered_s < plan.registered_s - 10 * kMinuteS &&
            other.registered_s > plan.registered_s - 3 * kDayS) {
          plan.inviter = other.id;
          break;
        }
      }
    }
  }
}

// Life before the stream begins (recorded, not scored), as an engine running for months would
// have seen it: the customer's cards and a few payments.
void Generator::HistoryBurst(CustomerPlan& plan, int64_t from_s) {
  Emit(from_s, TopUp{plan.id, plan.device, plan.cards[0], 500 * kYuan}, FraudPattern::kNone, false);
  if (plan.cards[1] != 0) {
    Emit(from_s + kHourS, TopUp{plan.id, plan.device, plan.cards[1], 200 * kYuan},
         FraudPattern::kNone, false);
  }
  for (int k = 0; k < 6; ++k) {
    const int64_t t = from_s + k * 2 * kDayS + DayTime();
    const int64_t amount = std::min(rng_.Skewed(kYuan, plan.scale_fen * 3, 2), 150 * kYuan);
    Emit(t,
         Payment{plan.id, plan.device, plan.ip, plan.favourite_merchants[k % 6], amount,
                 PaymentChannel::kQr, AuthStrength::kDeviceKey, plan.tier, false},
         FraudPattern::kNone, false);
  }
}

namespace {

// The money a legitimate event takes out of the wallet (what the tier limits count).
int64_t OutAmount(const RiskEvent& event) {
  if (const auto* payment = std::get_if<Payment>(&event)) return payment->amount_fen;
  if (const auto* transfer = std::get_if<Transfer>(&event)) return transfer->amount_fen;
  if (const auto* withdrawal = std::get_if<Withdrawal>(&event)) return withdrawal->amount_fen;
  return 0;
}

}  // namespace

void Generator::NormalDay(CustomerPlan& plan, int64_t day_s, uint64_t device) {
  std::vector<LabelledEvent> day;
  const auto add = [&](int64_t t, RiskEvent event, bool bank_declines = false) {
    LabelledEvent labelled;
    labelled.time_s = t;
    labelled.event = event;
    labelled.bank_declines = bank_declines;
    day.push_back(labelled);
  };
  if (rng_.Chance(0.6)) add(day_s + DayTime(), Login{plan.id, device, AnyIp(plan)});
  int payments = static_cast<int>(plan.payments_per_day);
  if (rng_.Chance(plan.payments_per_day - payments)) ++payments;
  static constexpr PaymentChannel kChannels[] = {PaymentChannel::kQr, PaymentChannel::kQr,
                                                 PaymentChannel::kPaymentCode,
                                                 PaymentChannel::kOnline, PaymentChannel::kNfc};
  for (int p = 0; p < payments; ++p) {
    const int64_t t = day_s + DayTime();
    uint64_t merchant = rng_.Chance(0.7) ? plan.favourite_merchants[rng_.Below(6)] : Merchant();
    for (size_t m = 0; m < promo_merchants_.size(); ++m) {
      if (promo_days_s_[m] == day_s && rng_.Chance(0.15)) merchant = promo_merchants_[m];
    }
    int64_t amount = rng_.Skewed(kYuan, plan.scale_fen * 4, 3);
    if (rng_.Chance(0.03)) amount = rng_.Between(500, 3'000) * kYuan;
    amount = std::min(amount, 500 * kYuan * (rng_.Chance(0.97) ? 1 : 6));
    // Now and then a food-court burst: three payments within a minute or two.
    const int burst = rng_.Chance(0.03) ? 3 : 1;
    for (int k = 0; k < burst; ++k) {
      add(t + k * rng_.Between(10, 40),
          Payment{plan.id, device, AnyIp(plan), merchant,
                  k == 0 ? amount : rng_.Skewed(5 * kYuan, 40 * kYuan, 1), kChannels[rng_.Below(5)],
                  AuthStrength::kDeviceKey, plan.tier, rng_.Chance(0.2)});
    }
  }
  if (rng_.Chance(0.07)) {
    const int64_t amount = rng_.Chance(0.1) ? rng_.Between(800, 3'000) * kYuan
                                            : rng_.Skewed(10 * kYuan, 500 * kYuan, 2);
    const CustomerPlan& to = plans_[plan.friends[rng_.Below(plan.friends.size())]];
    if (to.id != plan.id) {
      add(day_s + DayTime(), Transfer{plan.id, to.id, device, AnyIp(plan), amount,
                                      AuthStrength::kDeviceKey, plan.tier});
    }
  }
  if (rng_.Chance(0.12)) {
    const int64_t t = day_s + DayTime();
    const uint64_t card = plan.cards[1] != 0 && rng_.Chance(0.3) ? plan.cards[1] : plan.cards[0];
    const int64_t amount =
        rng_.Chance(0.1) ? rng_.Between(10, 50) * kYuan : rng_.Between(1, 20) * 100 * kYuan;
    const bool declined = rng_.Chance(0.03);
    add(t, TopUp{plan.id, device, card, amount}, declined);
    // Declined (no funds on the card, a typo): tried again a few minutes later.
    if (declined) add(t + rng_.Between(60, 600), TopUp{plan.id, device, card, amount});
  }
  if (rng_.Chance(0.02)) {
    add(day_s + DayTime(), Withdrawal{plan.id, device, AnyIp(plan), plan.cards[0],
                                      rng_.Skewed(100 * kYuan, 2'000 * kYuan, 2), plan.tier});
  }
  if (rng_.Chance(0.03)) {
    add(day_s + DayTime(), CouponClaim{plan.id, device, campaigns_[rng_.Below(5)]});
  }
  for (const LabelledEvent& extra : plan.extras) {
    if (extra.time_s >= day_s && extra.time_s < day_s + kDayS) day.push_back(extra);
  }
  std::stable_sort(day.begin(), day.end(), [](const LabelledEvent& a, const LabelledEvent& b) {
    return a.time_s < b.time_s;
  });
  // In time order, as the wallet would see them: what would break a tier limit never happens,
  // and the app asks for the strongest factor once the day's total needs it.
  for (LabelledEvent& event : day) {
    const int64_t amount = OutAmount(event.event);
    if (amount > 0 && !Spend(plan, event.time_s, amount)) continue;
    if (auto* payment = std::get_if<Payment>(&event.event)) payment->auth = Auth(plan, amount);
    if (auto* transfer = std::get_if<Transfer>(&event.event)) transfer->auth = Auth(plan, amount);
    Emit(event.time_s, event.event, FraudPattern::kNone, true, event.bank_declines);
  }
}

void Generator::NormalLife(CustomerPlan& plan) {
  const int64_t first_day_s = std::max(plan.registered_s, warmup_s_) / kDayS * kDayS;
  if (plan.registered_s >= warmup_s_) {
    // A new customer: the new-user bonus, and the inviter's referral bonus a day or so later.
    Emit(plan.registered_s + rng_.Between(300, 3600),
         Reward{plan.id, plan.device, campaigns_[0], 0, 10 * kYuan});
    if (plan.inviter != 0) {
      const CustomerPlan& inviter = plans_[plan.inviter - 1'000'000];
      const int64_t t = plan.registered_s + rng_.Between(kHourS, 2 * kDayS);
      Emit(t, Reward{inviter.id, DeviceAt(inviter, t), campaigns_[1], plan.id, 20 * kYuan});
    }
  }
  for (int64_t day_s = first_day_s; day_s < end_s_; day_s += kDayS) {
    if (plan.dormant && (plan.wake_s == 0 || day_s < plan.wake_s / kDayS * kDayS)) continue;
    const uint64_t device = DeviceAt(plan, day_s + kDayS / 2);
    if (plan.new_phone_s != 0 && day_s == plan.new_phone_s / kDayS * kDayS) {
      Emit(plan.new_phone_s, Login{plan.id, plan.new_device, AnyIp(plan)});
    }
    NormalDay(plan, day_s, device);
  }
}

// A family sharing one phone: the newcomer registers on (and may be invited from) a relative's
// phone and uses it from then on; both claim the same coupon.
void Generator::Families() {
  for (CustomerPlan& plan : plans_) {
    if (plan.registered_s < warmup_s_ || !rng_.Chance(0.05)) continue;
    const CustomerPlan& relative = plans_[OldCustomer()];
    plan.device = relative.device;
    plan.ip = relative.ip;
    if (rng_.Chance(0.5)) plan.inviter = relative.id;
    family_of_.emplace_back(static_cast<uint32_t>(&plan - plans_.data()),
                            static_cast<uint32_t>(&relative - plans_.data()));
  }
}

// The legitimate look-alikes of fraud, on top of everyday life.
void Generator::HardNegatives() {
  for (const auto& [member, relative] : family_of_) {
    const CustomerPlan& plan = plans_[member];
    const CustomerPlan& other = plans_[relative];
    const int64_t t = std::max(plan.registered_s, start_s_) + rng_.Between(kHourS, 5 * kDayS);
    Emit(t, CouponClaim{other.id, other.device, campaigns_[2]});
    Emit(t + rng_.Between(60, 3600), CouponClaim{plan.id, plan.device, campaigns_[2]});
  }
  for (uint32_t i = 0; i < plans_.size(); ++i) {
    CustomerPlan& plan = plans_[i];
    const bool shares_device =
        std::any_of(family_of_.begin(), family_of_.end(),
                    [i](const auto& pair) { return pair.first == i || pair.second == i; });
    // A new phone during the window; the first day it pays as usual, sometimes more.
    if (!plan.dormant && !shares_device && rng_.Chance(0.06)) {
      plan.new_phone_s = start_s_ + rng_.Between(1, options_.days - 2) * kDayS + DayTime();
      plan.new_device = rng_.Id();
      if (rng_.Chance(0.15)) {
        LabelledEvent extra;
        extra.time_s = plan.new_phone_s + rng_.Between(kHourS, 6 * kHourS);
        extra.event = Payment{plan.id,
                              plan.new_device,
                              plan.ip,
                              Merchant(),
                              rng_.Between(300, 1'500) * kYuan,
                              PaymentChannel::kOnline,
                              AuthStrength::kDeviceKey,
                              plan.tier,
                              false};
        plan.extras.push_back(extra);
      }
    }
    // Rent to a new landlord, a relative's hospital bill: once, large, to a new payee.
    if (plan.tier <= 2 && !plan.dormant && plan.registered_s < warmup_s_ && rng_.Chance(0.02)) {
      LabelledEvent extra;
      extra.time_s = start_s_ + rng_.Between(0, options_.days - 1) * kDayS + DayTime();
      uint64_t payee = plans_[OldCustomer()].id;
      if (rng_.Chance(0.1)) {  // someone who hardly uses the wallet
        const CustomerPlan& other = plans_[rng_.Below(plans_.size())];
        if (other.registered_s < warmup_s_) payee = other.id;
      } else if (rng_.Chance(0.15)) {  // a friend who just joined
        const CustomerPlan& other = plans_[rng_.Below(plans_.size())];
        if (other.registered_s < extra.time_s - kHourS) payee = other.id;
      }
      if (payee != plan.id) {
        extra.event = Transfer{plan.id,
                               payee,
                               DeviceAt(plan, extra.time_s),
                               plan.ip,
                               rng_.Between(30, plan.tier == 1 ? 300 : 50) * 100 * kYuan,
                               AuthStrength::kDeviceKey,
                               plan.tier};
        plan.extras.push_back(extra);
      }
    }
    // Back after months away: some withdraw what is left, now and then a larger sum.
    if (plan.dormant && rng_.Chance(0.5)) {
      plan.wake_s = start_s_ + rng_.Between(0, options_.days - 3) * kDayS + DayTime();
      LabelledEvent login;
      login.time_s = plan.wake_s;
      login.event = Login{plan.id, plan.device, plan.ip};
      plan.extras.push_back(login);
      LabelledEvent withdrawal;
      withdrawal.time_s = plan.wake_s + 120;
      withdrawal.event = Withdrawal{
          plan.id,
          plan.device,
          plan.ip,
          plan.cards[0],
          rng_.Chance(0.15) ? rng_.Between(2'000, 4'000) * kYuan : rng_.Between(50, 1'900) * kYuan,
          plan.tier};
      plan.extras.push_back(withdrawal);
    } else if (plan.dormant) {
      dormant_victims_.push_back(i);
    }
  }
}

// An outreach agent registers a dozen neighbours at a community centre, one network, one hour.
void Generator::Outreach() {
  const uint32_t events = std::max<uint32_t>(2, incidents_ / 4);
  for (uint32_t e = 0; e < events; ++e) {
    const uint64_t ip = rng_.Id();
    const int64_t t = WindowTime();
    const int count = static_cast<int>(rng_.Between(8, 16));
    for (int k = 0; k < count; ++k) {
      const uint64_t customer = next_fraud_customer_++ + 500'000'000;
      const uint64_t device = rng_.Id();
      const int64_t when = t + k * rng_.Between(120, 300);
      Emit(when, Registration{customer, device, ip, Phone(), 0, rng_.Id()});
      Emit(when + rng_.Between(300, 3600), Reward{customer, device, campaigns_[0], 0, 10 * kYuan});
      Emit(when + rng_.Between(600, 7200),
           Payment{customer, device, ip, Merchant(), rng_.Between(1, 50) * kYuan,
                   PaymentChannel::kQr, AuthStrength::kDeviceKey, 3, true});
    }
  }
}

std::vector<LabelledEvent> Generator::Run() {
  MakeMerchants();
  MakeCustomers();
  Families();
  for (CustomerPlan& plan : plans_) {
    Emit(plan.registered_s,
         Registration{plan.id, plan.device, plan.ip, plan.phone, plan.inviter, plan.identity});
    if (plan.dormant) {
      HistoryBurst(plan, plan.registered_s + kDayS);
    } else if (plan.registered_s < warmup_s_) {
      HistoryBurst(plan,
                   std::max(plan.registered_s + kHourS, warmup_s_ - rng_.Between(13, 40) * kDayS));
    }
  }
  HardNegatives();
  Outreach();
  for (CustomerPlan& plan : plans_) NormalLife(plan);
  VelocityBurst();
  ScamTransfer();
  NewDeviceLarge();
  DeviceFarm();
  ReferralRing();
  CouponFarm();
  CardTesting();
  CashOut();
  DormantWithdrawal();
  std::stable_sort(
      events_.begin(), events_.end(),
      [](const LabelledEvent& a, const LabelledEvent& b) { return a.time_s < b.time_s; });
  return std::move(events_);
}

}  // namespace sim_internal

std::vector<LabelledEvent> GenerateFraudDataset(const FraudSimOptions& options) {
  QB_ASSERT(options.customers >= 100 && options.days >= 3);
  sim_internal::Generator generator(options);
  return generator.Run();
}

}  // namespace qb::risk
