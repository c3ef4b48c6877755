// The fraud GenerateFraudDataset injects: one Generator method per pattern (fraud_sim.h).
#include <vector>

#include "risk/fraud_sim_internal.h"

namespace qb::risk::sim_internal {

// An account taken over: the fraudster's phone, ten to twenty-five quick payments and transfers.
void Generator::VelocityBurst() {
  constexpr FraudPattern kLabel = FraudPattern::kVelocityBurst;
  for (uint32_t n = 0; n < incidents_; ++n) {
    CustomerPlan& victim = plans_[OldCustomer()];
    const uint64_t device = rng_.Id();
    const uint64_t ip = rng_.Id();
    const uint64_t mule = FraudAccount(start_s_ - 5 * kDayS, kLabel, rng_.Id(), rng_.Id());
    int64_t t = WindowTime();
    Emit(t, Login{victim.id, device, ip}, kLabel, false);
    const int count = static_cast<int>(rng_.Between(10, 25));
    for (int k = 0; k < count; ++k) {
      t += rng_.Between(20, 150);
      const int64_t amount = rng_.Between(50, 480) * kYuan;
      if (rng_.Chance(0.2)) {
        Emit(t,
             Transfer{victim.id, mule, device, ip, amount, AuthStrength::kTwoFactors, victim.tier},
             kLabel);
      } else {
        Emit(t,
             Payment{victim.id, device, ip, Merchant(), amount, PaymentChannel::kOnline,
                     AuthStrength::kTwoFactors, victim.tier, false},
             kLabel);
      }
    }
  }
}

// Victims talked into sending large sums to a mule they never paid before.
void Generator::ScamTransfer() {
  constexpr FraudPattern kLabel = FraudPattern::kScamTransfer;
  for (uint32_t n = 0; n < incidents_; ++n) {
    const int64_t first_s = WindowTime();
    // Most mules are fresh accounts; some are old accounts bought from their owners, then
    // used for several victims the same day.
    const bool bought = rng_.Chance(0.25);
    const int64_t mule_age_s = bought ? rng_.Between(60, 300) * kDayS : rng_.Between(1, 25) * kDayS;
    const uint64_t mule = FraudAccount(first_s - mule_age_s, kLabel, rng_.Id(), rng_.Id());
    const int victims = static_cast<int>(rng_.Between(bought ? 3 : 1, 4));
    for (int v = 0; v < victims; ++v) {
      CustomerPlan* victim = nullptr;
      for (int tries = 0; tries < 100; ++tries) {
        CustomerPlan& candidate = plans_[OldCustomer()];
        if (candidate.tier <= 2) {
          victim = &candidate;
          break;
        }
      }
      if (victim == nullptr) continue;
      const int64_t t =
          first_s + (bought ? rng_.Between(0, 8 * kHourS) : rng_.Between(0, 5 * kDayS));
      const int64_t amount = rng_.Between(20, victim->tier == 1 ? 500 : 50) * 100 * kYuan;
      Emit(t,
           Transfer{victim->id, mule, DeviceAt(*victim, t), victim->ip, amount,
                    AuthStrength::kDeviceKey, victim->tier},
           kLabel);
    }
  }
}

// Stolen credentials used from the fraudster's phone for one to three large payments each.
void Generator::NewDeviceLarge() {
  constexpr FraudPattern kLabel = FraudPattern::kNewDeviceLarge;
  for (uint32_t n = 0; n < incidents_; ++n) {
    const uint64_t device = rng_.Id();
    const uint64_t ip = rng_.Id();
    int64_t t = WindowTime();
    const int victims = static_cast<int>(rng_.Between(1, 3));
    for (int v = 0; v < victims; ++v) {
      CustomerPlan* victim = nullptr;
      for (int tries = 0; tries < 100; ++tries) {
        CustomerPlan& candidate = plans_[OldCustomer()];
        if (candidate.tier <= 3) {
          victim = &candidate;
          break;
        }
      }
      if (victim == nullptr) continue;
      t += rng_.Between(10 * kMinuteS, 6 * kHourS);
      Emit(t, Login{victim->id, device, ip}, kLabel, false);
      const int payments = static_cast<int>(rng_.Between(1, 3));
      const int64_t limit = kTierLimits[victim->tier].per_payment_fen;
      for (int k = 0; k < payments; ++k) {
        t += rng_.Between(2 * kMinuteS, 90 * kMinuteS);
        const int64_t amount = rng_.Between(1'000 * kYuan, limit);
        if (rng_.Chance(0.7)) {
          Emit(t,
               Payment{victim->id, device, ip, Merchant(), amount, PaymentChannel::kOnline,
                       AuthStrength::kTwoFactors, victim->tier, false},
               kLabel);
        } else {
          Emit(t, Withdrawal{victim->id, device, ip, rng_.Id(), amount, victim->tier}, kLabel);
        }
      }
    }
  }
}

// One phone, one network, a block of sequential phone numbers: ten to thirty accounts in a few
// hours, each claiming the new-user coupon and bonus.
void Generator::DeviceFarm() {
  constexpr FraudPattern kLabel = FraudPattern::kDeviceFarm;
  for (uint32_t n = 0; n < incidents_; ++n) {
    const uint64_t device = rng_.Id();
    const uint64_t ip = rng_.Chance(0.5) ? rng_.Id() : carrier_ips_[rng_.Below(8)];
    uint64_t phone = Phone() / 100 * 100 + rng_.Below(20);
    int64_t t = WindowTime();
    const int count = static_cast<int>(rng_.Between(10, 30));
    for (int k = 0; k < count; ++k) {
      t += rng_.Between(3 * kMinuteS, 20 * kMinuteS);
      const uint64_t customer = next_fraud_customer_++;
      phone += rng_.Between(1, 3);
      Emit(t, Registration{customer, device, ip, phone, 0, rng_.Chance(0.5) ? rng_.Id() : 0},
           kLabel);
      Emit(t + rng_.Between(30, 300), CouponClaim{customer, device, campaigns_[0]}, kLabel);
      Emit(t + rng_.Between(300, 900), Reward{customer, device, campaigns_[0], 0, 10 * kYuan},
           kLabel);
    }
  }
}

// A chain of invitations grown on two or three phones: each new account invites the next; the
// bonuses arrive when each invitee makes its first (qualifying) payment a day or two later.
void Generator::ReferralRing() {
  constexpr FraudPattern kLabel = FraudPattern::kReferralRing;
  for (uint32_t n = 0; n < incidents_; ++n) {
    const int phones = static_cast<int>(rng_.Between(2, 3));
    std::vector<uint64_t> devices;
    for (int d = 0; d < phones; ++d) devices.push_back(rng_.Id());
    const uint64_t ip = rng_.Id();
    int64_t t = WindowTime();
    const uint64_t seed_device = devices[0];
    uint64_t inviter = FraudAccount(t - rng_.Between(30, 200) * kDayS, kLabel, seed_device, ip);
    uint64_t inviter_device = seed_device;
    const std::array<uint64_t, 2> identities = {rng_.Id(), rng_.Id()};
    const int count = static_cast<int>(rng_.Between(6, 15));
    for (int k = 1; k <= count; ++k) {
      t += rng_.Between(5 * kMinuteS, 40 * kMinuteS);
      const uint64_t customer = next_fraud_customer_++;
      const uint64_t device = devices[static_cast<size_t>(k % phones)];
      Emit(t, Registration{customer, device, ip, Phone(), inviter, identities[k % 2]}, kLabel);
      const int64_t paid_s = t + rng_.Between(6 * kHourS, 2 * kDayS);
      Emit(paid_s,
           Payment{customer, device, ip, Merchant(), rng_.Between(1, 20) * kYuan,
                   PaymentChannel::kQr, AuthStrength::kDeviceKey, 3, true},
           kLabel, false);
      Emit(paid_s + 60, Reward{customer, device, campaigns_[0], 0, 10 * kYuan}, kLabel);
      Emit(paid_s + 90, Reward{inviter, inviter_device, campaigns_[1], customer, 20 * kYuan},
           kLabel);
      inviter = customer;
      inviter_device = device;
    }
  }
}

// Bought, aged accounts logging in on one to three phones to claim a campaign's coupons, then
// collecting the coupon's value.
void Generator::CouponFarm() {
  constexpr FraudPattern kLabel = FraudPattern::kCouponFarm;
  for (uint32_t n = 0; n < incidents_; ++n) {
    const int phones = static_cast<int>(rng_.Between(1, 3));
    std::vector<uint64_t> devices;
    for (int d = 0; d < phones; ++d) devices.push_back(rng_.Id());
    const uint64_t ip = rng_.Id();
    const uint64_t campaign = campaigns_[rng_.Below(5)];
    int64_t t = WindowTime();
    const int count = static_cast<int>(rng_.Between(10, 30));
    for (int k = 0; k < count; ++k) {
      const uint64_t device = devices[static_cast<size_t>(k % phones)];
      const uint64_t account =
          FraudAccount(t - rng_.Between(30, 200) * kDayS, kLabel, rng_.Id(), rng_.Id());
      t += rng_.Between(60, 10 * kMinuteS);
      Emit(t, Login{account, device, ip}, kLabel, false);
      Emit(t + rng_.Between(20, 120), CouponClaim{account, device, campaign}, kLabel);
      Emit(t + rng_.Between(kHourS, kDayS), Reward{account, device, campaign, 0, 15 * kYuan},
           kLabel);
    }
  }
}

// Stolen card numbers bound to one wallet and tried with tiny top-ups; most are declined.
void Generator::CardTesting() {
  constexpr FraudPattern kLabel = FraudPattern::kCardTesting;
  for (uint32_t n = 0; n < incidents_; ++n) {
    const uint64_t device = rng_.Id();
    int64_t t = WindowTime();
    const uint64_t tester =
        FraudAccount(t - rng_.Between(0, 5) * kDayS - kHourS, kLabel, device, rng_.Id());
    const int count = static_cast<int>(rng_.Between(15, 40));
    uint64_t card = rng_.Id();
    for (int k = 0; k < count; ++k) {
      t += rng_.Between(30, 5 * kMinuteS);
      if (rng_.Chance(0.7)) card = rng_.Id();
      Emit(t, TopUp{tester, device, card, rng_.Between(1, 10) * kYuan}, kLabel, true,
           rng_.Chance(0.85));
    }
  }
}

// Fake purchases: a few accounts top up from credit cards and pay a colluding merchant almost
// the same sum, day after day.
void Generator::CashOut() {
  constexpr FraudPattern kLabel = FraudPattern::kCashOut;
  for (uint32_t n = 0; n < incidents_; ++n) {
    const uint64_t merchant = 7'000'000 + n;
    const int accounts = static_cast<int>(rng_.Between(4, 8));
    const int64_t first_day_s = start_s_ + rng_.Between(0, options_.days / 3) * kDayS;
    const int days = static_cast<int>(rng_.Between(8, std::max<int64_t>(9, options_.days / 2)));
    for (int a = 0; a < accounts; ++a) {
      const uint64_t device = rng_.Id();
      const uint64_t ip = rng_.Id();
      const uint64_t card = rng_.Id();
      const uint64_t account =
          FraudAccount(first_day_s - rng_.Between(10, 100) * kDayS, kLabel, device, ip);
      for (int d = 0; d < days; ++d) {
        if (!rng_.Chance(0.7)) continue;
        const int64_t t = first_day_s + d * kDayS + DayTime();
        const int64_t top_up = rng_.Between(10, 48) * 100 * kYuan;
        Emit(t, TopUp{account, device, card, top_up}, kLabel, false);
        Emit(t + rng_.Between(5 * kMinuteS, kHourS),
             Payment{account, device, ip, merchant, top_up - rng_.Between(0, 5) * 10 * kYuan,
                     PaymentChannel::kPaymentCode, AuthStrength::kDeviceKey, 2, false},
             kLabel);
      }
    }
  }
}

// A dormant account emptied: the fraudster's phone, a new card, one or two large withdrawals.
void Generator::DormantWithdrawal() {
  constexpr FraudPattern kLabel = FraudPattern::kDormantWithdrawal;
  for (uint32_t n = 0; n < incidents_ && n < dormant_victims_.size(); ++n) {
    CustomerPlan& victim = plans_[dormant_victims_[n]];
    const uint64_t device = rng_.Id();
    const uint64_t ip = rng_.Id();
    const uint64_t card = rng_.Id();
    int64_t t = WindowTime();
    Emit(t, Login{victim.id, device, ip}, kLabel, false);
    const int withdrawals = static_cast<int>(rng_.Between(1, 2));
    const int64_t limit = kTierLimits[victim.tier].per_payment_fen;
    for (int k = 0; k < withdrawals; ++k) {
      t += rng_.Between(2 * kMinuteS, 30 * kMinuteS);
      const int64_t amount = std::min(rng_.Between(2'000, 20'000) * kYuan, limit);
      Emit(t, Withdrawal{victim.id, device, ip, card, amount, victim.tier}, kLabel);
    }
  }
}

}  // namespace qb::risk::sim_internal
