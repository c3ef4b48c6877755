// The generator behind GenerateFraudDataset (fraud_sim.h), shared by fraud_sim.cc (normal life
// and its hard negatives) and fraud_sim_fraud.cc (the injected fraud). Not a public interface.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <deque>
#include <utility>
#include <vector>

#include "risk/fraud_sim.h"

namespace qb::risk::sim_internal {

constexpr int64_t kMinuteS = 60;
constexpr int64_t kHourS = 3600;
constexpr int64_t kDayS = 24 * kHourS;
constexpr int64_t kYuan = 100;  // fen

// xoshiro256** seeded through splitmix64: small, fast, and the same on every platform.
class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (uint64_t& word : state_) {
      seed += 0x9E3779B97F4A7C15ULL;
      uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
      word = z ^ (z >> 31);
    }
  }

  uint64_t Next() {
    const uint64_t result = Rotl(state_[1] * 5, 7) * 9;
    const uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = Rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, n); n >= 1. The modulo bias (< n / 2^64) is irrelevant here.
  uint64_t Below(uint64_t n) { return Next() % n; }
  // Uniform in [lo, hi].
  int64_t Between(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo) + 1));
  }
  // Uniform in [0, 1): 53 random bits, exact in a double.
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Chance(double p) { return Unit() < p; }
  // In [lo, hi], skewed towards lo (density falling like u^power): many small amounts, a few
  // large. Only multiplication, so no libm and the same result everywhere.
  int64_t Skewed(int64_t lo, int64_t hi, int power) {
    double u = Unit();
    double x = 1;
    for (int i = 0; i < power; ++i) x *= u;
    return lo + static_cast<int64_t>(x * static_cast<double>(hi - lo));
  }
  // A fresh opaque id (a device, IP, card hash...).
  uint64_t Id() { return Next() | 1; }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<uint64_t, 4> state_{};
};

struct TierLimits {
  int64_t per_payment_fen;
  int64_t per_day_fen;
};

// Index = tier (1..4).
constexpr TierLimits kTierLimits[5] = {{0, 0},
                                       {50'000 * kYuan, 100'000 * kYuan},
                                       {5'000 * kYuan, 10'000 * kYuan},
                                       {2'000 * kYuan, 2'000 * kYuan},
                                       {500 * kYuan, 1'000 * kYuan}};

struct CustomerPlan {
  uint64_t id = 0;
  uint64_t device = 0;
  uint64_t ip = 0;
  uint64_t phone = 0;
  uint64_t identity = 0;
  std::array<uint64_t, 2> cards{};
  uint8_t tier = 4;
  int64_t registered_s = 0;
  uint64_t inviter = 0;
  double payments_per_day = 1;
  int64_t scale_fen = 3000;  // a typical payment
  std::vector<uint64_t> favourite_merchants;
  std::vector<uint32_t> friends;  // indices into the plans
  bool dormant = false;           // last active long before the window
  int64_t wake_s = 0;             // dormant: when (if ever) the customer comes back; 0 never
  int64_t new_phone_s = 0;        // a new phone from this time on; 0 never
  uint64_t new_device = 0;
  // One-off legitimate events placed into the customer's day (hard negatives).
  std::vector<LabelledEvent> extras;
  // Money out over the last 26 hours, to stay inside the tier's daily limit.
  std::deque<std::pair<int64_t, int64_t>> recent_out;
  int64_t recent_out_fen = 0;
};

class Generator {
 public:
  explicit Generator(const FraudSimOptions& options)
      : options_(options),
        rng_(options.seed),
        start_s_(kFraudSimStartS),
        end_s_(kFraudSimStartS + int64_t{options.days} * kDayS),
        warmup_s_(kFraudSimStartS - int64_t{options.warmup_days} * kDayS),
        incidents_(options.incidents_per_pattern != 0
                       ? options.incidents_per_pattern
                       : std::max<uint32_t>(10, options.customers / 500)) {}

  std::vector<LabelledEvent> Run();

 private:
  void MakeMerchants();
  void MakeCustomers();
  void NormalLife(CustomerPlan& plan);
  void NormalDay(CustomerPlan& plan, int64_t day_s, uint64_t device);
  void HistoryBurst(CustomerPlan& plan, int64_t from_s);
  void Families();
  void HardNegatives();
  void Outreach();

  void VelocityBurst();
  void ScamTransfer();
  void NewDeviceLarge();
  void DeviceFarm();
  void ReferralRing();
  void CouponFarm();
  void CardTesting();
  void CashOut();
  void DormantWithdrawal();

  void Emit(int64_t time_s, RiskEvent event, FraudPattern label = FraudPattern::kNone,
            bool scored = true, bool bank_declines = false) {
    LabelledEvent labelled;
    labelled.time_s = time_s;
    labelled.event = event;
    labelled.label = label;
    labelled.scored = scored && time_s >= start_s_ && time_s < end_s_;
    labelled.bank_declines = bank_declines;
    events_.push_back(labelled);
  }

  // A time of day weighted towards meals and evenings, seconds after midnight.
  int64_t DayTime() {
    static constexpr int kHourWeights[24] = {1,  0, 0, 0, 0, 1, 2,  5,  8, 6, 5, 8,
                                             12, 9, 5, 5, 6, 8, 12, 11, 9, 7, 4, 2};
    int total = 0;
    for (const int w : kHourWeights) total += w;
    int pick = static_cast<int>(rng_.Below(static_cast<uint64_t>(total)));
    int hour = 0;
    while (pick >= kHourWeights[hour]) pick -= kHourWeights[hour++];
    return hour * kHourS + rng_.Between(0, kHourS - 1);
  }
  int64_t WindowTime() { return start_s_ + rng_.Between(0, end_s_ - start_s_ - 12 * kHourS); }
  uint64_t Merchant() {
    // Popular merchants first: index ~ n * u^2.
    const double u = rng_.Unit();
    return merchants_[static_cast<size_t>(u * u * static_cast<double>(merchants_.size()))];
  }
  uint64_t Phone() { return 13'000'000'000ULL + rng_.Below(7'000'000'000ULL); }
  uint64_t HomeIp() { return home_ips_[rng_.Below(home_ips_.size())]; }
  uint64_t AnyIp(const CustomerPlan& plan) {
    return rng_.Chance(0.3) ? carrier_ips_[rng_.Below(carrier_ips_.size())] : plan.ip;
  }
  AuthStrength Auth(const CustomerPlan& plan, int64_t amount_fen) {
    if (amount_fen <= 200 * kYuan && plan.recent_out_fen + amount_fen <= 800 * kYuan &&
        rng_.Chance(0.04)) {
      return AuthStrength::kOneFactor;
    }
    if (plan.recent_out_fen + amount_fen <= 4'000 * kYuan && rng_.Chance(0.4)) {
      return AuthStrength::kTwoFactors;
    }
    return AuthStrength::kDeviceKey;
  }
  // Whether `amount_fen` fits the tier's limits at `time_s` (and books it if so): a wallet
  // refuses the rest before any risk check, so normal customers never send them.
  bool Spend(CustomerPlan& plan, int64_t time_s, int64_t amount_fen) {
    // 26 hours: the risk engine's 24-hour window may run one 2-hour bucket long (velocity.h),
    // and a customer right at the limit must not look over it.
    while (!plan.recent_out.empty() &&
           plan.recent_out.front().first <= time_s - kDayS - 2 * kHourS - 10) {
      plan.recent_out_fen -= plan.recent_out.front().second;
      plan.recent_out.pop_front();
    }
    const TierLimits& limits = kTierLimits[plan.tier];
    if (amount_fen > limits.per_payment_fen ||
        plan.recent_out_fen + amount_fen > limits.per_day_fen) {
      return false;
    }
    plan.recent_out.emplace_back(time_s, amount_fen);
    plan.recent_out_fen += amount_fen;
    return true;
  }
  // A customer registered before the stream who is not dormant (86% x 96% of them are, so the
  // bound is never reached in practice; past it, the first customer stands in).
  uint32_t OldCustomer() {
    for (int tries = 0; tries < 100'000; ++tries) {
      const auto index = static_cast<uint32_t>(rng_.Below(plans_.size()));
      if (plans_[index].registered_s < warmup_s_ && !plans_[index].dormant) return index;
    }
    return 0;
  }
  uint64_t DeviceAt(const CustomerPlan& plan, int64_t time_s) const {
    return plan.new_phone_s != 0 && time_s >= plan.new_phone_s ? plan.new_device : plan.device;
  }
  // A fraud-owned account registered at `time_s` (set-up: not scored).
  uint64_t FraudAccount(int64_t time_s, FraudPattern label, uint64_t device, uint64_t ip) {
    const uint64_t customer = next_fraud_customer_++;
    Emit(time_s, Registration{customer, device, ip, Phone(), 0, rng_.Id()}, label, false);
    return customer;
  }

  FraudSimOptions options_;
  Rng rng_;
  int64_t start_s_;
  int64_t end_s_;
  int64_t warmup_s_;
  uint32_t incidents_;
  std::vector<uint64_t> merchants_;
  std::vector<uint64_t> promo_merchants_;  // each with a promotion day
  std::vector<int64_t> promo_days_s_;
  std::vector<uint64_t> home_ips_;
  std::vector<uint64_t> carrier_ips_;
  std::vector<CustomerPlan> plans_;
  std::vector<uint32_t> dormant_victims_;
  std::vector<std::pair<uint32_t, uint32_t>> family_of_;  // (member, relative whose phone)
  std::vector<LabelledEvent> events_;
  uint64_t next_fraud_customer_ = 9'000'000'000;
  std::array<uint64_t, 5> campaigns_{11, 12, 13, 14, 15};
};

}  // namespace qb::risk::sim_internal
