// ns per RuleSet::Evaluate with ten realistic rules, beside the same rules hand-written as C++
// ifs, measured in the same run over the same feature vectors. The target is <= 2,000 ns per
// payment for the whole risk check; this is the rule part of it.
//
//   risk_bench [evaluations_per_run]      (default 2,000,000; best of 5 runs is reported)
//
// The benchmark reads the clock; the risk engine itself never does.
#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "risk/expression.h"
#include "risk/rule_set.h"

namespace qb::risk {
namespace {

enum Slot : uint32_t {
  kAmount,
  kCustomerCount1m,
  kCustomerCount1h,
  kCustomerAmount24h,
  kCustomerPayments30d,
  kCustomerAmountZ,
  kCustomerVerified,
  kCustomerBlocked,
  kDeviceAgeDays,
  kDeviceAccounts24h,
  kDeviceAccounts30d,
  kDeviceBlocked,
  kIpCustomers1h,
  kPayeeBlocked,
  kMerchantCategory,
  kRewardEligible,
  kChannel,
  kSlotCount,
};

struct Feature {
  const char* name;
  ValueType type;
};

constexpr Feature kFeatures[kSlotCount] = {
    {"amount", ValueType::kInt},
    {"customer.count_1m", ValueType::kInt},
    {"customer.count_1h", ValueType::kInt},
    {"customer.amount_24h", ValueType::kInt},
    {"customer.payments_30d", ValueType::kInt},
    {"customer.amount_z_milli", ValueType::kInt},
    {"customer.verified", ValueType::kBool},
    {"customer.blocked", ValueType::kBool},
    {"device.age_days", ValueType::kInt},
    {"device.accounts_24h", ValueType::kInt},
    {"device.accounts_30d", ValueType::kInt},
    {"device.blocked", ValueType::kBool},
    {"ip.customers_1h", ValueType::kInt},
    {"payee.blocked", ValueType::kBool},
    {"merchant.category", ValueType::kInt},
    {"reward.eligible", ValueType::kBool},
    {"channel", ValueType::kSymbol},
};

RuleSetSpec BenchRules() {
  RuleSetSpec spec;
  spec.version = 1;
  spec.rules = {
      {.id = 1, .name = "large_amount", .expression = "amount >= 200_000", .score = 20},
      {.id = 2,
       .name = "very_large_new_device",
       .expression = "amount >= 1_000_000 and device.age_days < 1",
       .action = Action::kReview},
      {.id = 3,
       .name = "burst_1m",
       .expression = "customer.count_1m >= 5",
       .score = 30,
       .action = Action::kChallenge},
      {.id = 4,
       .name = "velocity",
       .expression = "customer.count_1h >= 20 or customer.amount_24h + amount > 5_000_000",
       .score = 40},
      {.id = 5,
       .name = "device_farm",
       .expression = "device.accounts_24h > 3",
       .score = 30,
       .action = Action::kReview},
      {.id = 6,
       .name = "ip_spread",
       .expression = "ip.customers_1h > 10 and not customer.verified",
       .score = 25},
      {.id = 7,
       .name = "blocked",
       .expression = "customer.blocked or device.blocked or payee.blocked",
       .action = Action::kDeny},
      {.id = 8,
       .name = "risky_category",
       .expression = "merchant.category in [5933, 7995, 7994, 6051, 4829] and amount > 50_000",
       .score = 30},
      {.id = 9,
       .name = "amount_anomaly",
       .expression = "customer.amount_z_milli > 4000 and customer.payments_30d >= 10",
       .score = 35},
      {.id = 10,
       .name = "reward_farming",
       .expression = "device.accounts_30d > 2 and reward.eligible and channel in [\"QR\", \"NFC\"]",
       .action = Action::kDenyReward},
  };
  spec.thresholds = {.challenge_at = 30, .review_at = 60, .deny_at = 100};
  return spec;
}

struct Outcome {
  Verdict verdict;
  int64_t score;
  bool deny_reward;
  bool operator==(const Outcome&) const = default;
};

// The same ten rules as plain C++: what a hand-written risk check would cost.
Outcome HandWritten(const int64_t* f, int64_t qr, int64_t nfc) {
  int64_t score = 0;
  Verdict from_actions = Verdict::kAllow;
  bool deny_reward = false;
  if (f[kAmount] >= 200'000) score += 20;
  if (f[kAmount] >= 1'000'000 && f[kDeviceAgeDays] < 1) {
    from_actions = std::max(from_actions, Verdict::kReview);
  }
  if (f[kCustomerCount1m] >= 5) {
    score += 30;
    from_actions = std::max(from_actions, Verdict::kChallenge);
  }
  if (f[kCustomerCount1h] >= 20 || f[kCustomerAmount24h] + f[kAmount] > 5'000'000) score += 40;
  if (f[kDeviceAccounts24h] > 3) {
    score += 30;
    from_actions = std::max(from_actions, Verdict::kReview);
  }
  if (f[kIpCustomers1h] > 10 && f[kCustomerVerified] == 0) score += 25;
  if (f[kCustomerBlocked] != 0 || f[kDeviceBlocked] != 0 || f[kPayeeBlocked] != 0) {
    from_actions = Verdict::kDeny;
  }
  const int64_t category = f[kMerchantCategory];
  if ((category == 5933 || category == 7995 || category == 7994 || category == 6051 ||
       category == 4829) &&
      f[kAmount] > 50'000) {
    score += 30;
  }
  if (f[kCustomerAmountZ] > 4000 && f[kCustomerPayments30d] >= 10) score += 35;
  if (f[kDeviceAccounts30d] > 2 && f[kRewardEligible] != 0 &&
      (f[kChannel] == qr || f[kChannel] == nfc)) {
    deny_reward = true;
  }
  Verdict from_score = Verdict::kAllow;
  if (score >= 100) {
    from_score = Verdict::kDeny;
  } else if (score >= 60) {
    from_score = Verdict::kReview;
  } else if (score >= 30) {
    from_score = Verdict::kChallenge;
  }
  return {std::max(from_actions, from_score), score, deny_reward};
}

// Mostly ordinary payments, with a few percent that trip each rule.
std::vector<int64_t> MakeFeatureVectors(size_t count, const SymbolTable& symbols) {
  uint64_t state = 0x9e3779b97f4a7c15ULL;
  const auto next = [&state](uint64_t bound) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<int64_t>((state >> 33) % bound);
  };
  const auto sometimes = [&](int64_t usual, int64_t rare) { return next(100) < 4 ? rare : usual; };
  const int64_t channels[] = {symbols.Find("QR"), symbols.Find("NFC"), 0};
  std::vector<int64_t> vectors(count * kSlotCount);
  for (size_t i = 0; i < count; ++i) {
    int64_t* f = &vectors[i * kSlotCount];
    f[kAmount] = sometimes(100 + next(50'000), 100'000 + next(2'000'000));
    f[kCustomerCount1m] = sometimes(next(2), 5 + next(5));
    f[kCustomerCount1h] = sometimes(next(10), 20 + next(20));
    f[kCustomerAmount24h] = sometimes(next(200'000), 4'000'000 + next(2'000'000));
    f[kCustomerPayments30d] = next(60);
    f[kCustomerAmountZ] = sometimes(next(3000) - 1000, 4000 + next(8000));
    f[kCustomerVerified] = next(10) < 8;
    f[kCustomerBlocked] = next(1000) == 0;
    f[kDeviceAgeDays] = sometimes(1 + next(500), 0);
    f[kDeviceAccounts24h] = sometimes(1, 4 + next(4));
    f[kDeviceAccounts30d] = sometimes(1 + next(2), 3 + next(5));
    f[kDeviceBlocked] = next(1000) == 0;
    f[kIpCustomers1h] = sometimes(next(5), 11 + next(30));
    f[kPayeeBlocked] = next(2000) == 0;
    f[kMerchantCategory] = sometimes(5411 + next(3), 7995);
    f[kRewardEligible] = next(2);
    f[kChannel] = channels[next(3)];
  }
  return vectors;
}

template <typename Body>
double BestNsPerEvaluation(size_t evaluations, Body&& body) {
  double best = 1e300;
  for (int run = 0; run < 5; ++run) {
    const auto start = std::chrono::steady_clock::now();
    body(evaluations);
    const std::chrono::duration<double, std::nano> elapsed =
        std::chrono::steady_clock::now() - start;
    best = std::min(best, elapsed.count() / static_cast<double>(evaluations));
  }
  return best;
}

int Main(int argc, char** argv) {
  const size_t evaluations = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 2'000'000;
  constexpr size_t kVectors = 4096;
  FeatureSchema schema;
  for (const Feature& feature : kFeatures) {
    if (!schema.Add(feature.name, feature.type).ok()) return 1;
  }
  SymbolTable symbols;
  RuleSet rules;
  if (const Status status = RuleSet::Compile(BenchRules(), schema, &symbols, &rules);
      !status.ok()) {
    std::fprintf(stderr, "risk_bench: %s\n", status.ToString().c_str());
    return 1;
  }
  const int64_t qr = symbols.Find("QR");
  const int64_t nfc = symbols.Find("NFC");
  const std::vector<int64_t> vectors = MakeFeatureVectors(kVectors, symbols);
  const auto features = [&](size_t i) {
    return std::span<const int64_t>(&vectors[(i % kVectors) * kSlotCount], kSlotCount);
  };

  // Both must decide alike on every vector, or the comparison means nothing.
  Decision decision = rules.NewDecision();
  size_t not_allowed = 0;
  for (size_t i = 0; i < kVectors; ++i) {
    rules.Evaluate(features(i), 0, &decision);
    const Outcome engine{decision.verdict, decision.total_score, decision.deny_reward};
    if (!(engine == HandWritten(features(i).data(), qr, nfc))) {
      std::fprintf(stderr, "risk_bench: rule set and hand-written rules disagree on vector %zu\n",
                   i);
      return 1;
    }
    not_allowed += decision.verdict != Verdict::kAllow;
  }

  int64_t sink = 0;
  const double rule_set_ns = BestNsPerEvaluation(evaluations, [&](size_t n) {
    for (size_t i = 0; i < n; ++i) {
      rules.Evaluate(features(i), 0, &decision);
      sink += static_cast<int64_t>(decision.verdict) + decision.total_score;
    }
  });
  const double baseline_ns = BestNsPerEvaluation(evaluations, [&](size_t n) {
    for (size_t i = 0; i < n; ++i) {
      const Outcome outcome = HandWritten(features(i).data(), qr, nfc);
      sink += static_cast<int64_t>(outcome.verdict) + outcome.score;
    }
  });
  std::printf(
      "risk_bench: %zu rules, %zu feature vectors (%zu not allowed), %zu evaluations "
      "per run, best of 5\n",
      rules.rule_count(), kVectors, not_allowed, evaluations);
  std::printf("rule_set ns/eval=%.1f (compiled expressions, with explanations)\n", rule_set_ns);
  std::printf("baseline ns/eval=%.1f (the same rules as hand-written C++ ifs, no explanations)\n",
              baseline_ns);
  std::printf("RESULT risk_rule_set_ns=%.1f risk_baseline_ns=%.1f ratio=%.2f checksum=%" PRId64
              "\n",
              rule_set_ns, baseline_ns, rule_set_ns / baseline_ns, sink);
  return 0;
}

}  // namespace
}  // namespace qb::risk

int main(int argc, char** argv) { return qb::risk::Main(argc, argv); }
