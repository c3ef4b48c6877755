// A seeded, labelled synthetic event stream for measuring the risk rules: normal customers
// living ordinary wallet lives, with every fraud pattern of default_rules.h injected, each event
// labelled legitimate or with its pattern. `qianbao sim fraud` writes it as CSV and scores the
// default rules on it; RiskRecallTest asserts the scores.
//
// Deterministic: the same options give the same events, on every machine (a xoshiro256**
// generator seeded by splitmix64; no floating-point library calls, no clock).
//
// What is normal (and the hard negatives, the legitimate behaviour that looks like fraud):
//   - customers registered up to two years before the window, or during it (a third of those
//     invited by an existing customer), tiers IV..I, one or two cards, a home network shared
//     with neighbours and carrier networks shared with thousands;
//   - payments of ¥1..¥500 around meal times and evenings at favourite and random merchants,
//     occasionally ¥500..¥3,000, kept within the tier limits as the wallet would; transfers to
//     friends and family, top-ups (some declined by the bank, then retried), withdrawals,
//     coupon claims, new-user and referral rewards;
//   - hard negatives: a customer who buys a new phone and goes on paying (sometimes a larger
//     amount the first day); a family sharing one phone for two accounts (one inviting the
//     other, both claiming the same coupon); someone sending ¥3,000..¥30,000 once to a new payee
//     (rent, a relative), sometimes to a friend who just joined; a food-court burst of two or
//     three payments in a minute; merchants with a promotion day of many times their usual
//     sales, and small shops living off a few regulars; customers back after months away who
//     withdraw their balance; an outreach event registering a dozen neighbours from one
//     community-centre network in an hour.
//
// Fraud, one pattern per label (FraudPattern): account-takeover sprees (velocity_burst), scam
// transfers to mule accounts (scam_transfer), stolen credentials used from the fraudster's phone
// for a few large payments (new_device_large), device farms registering accounts with
// sequential phone numbers for new-user rewards (device_farm), referral chains grown on two or
// three phones (referral_ring), bought accounts claiming coupons from a few phones
// (coupon_farm), stolen-card testing with tiny top-ups (card_testing), fake purchases cycling
// top-ups through a colluding merchant (cash_out), and dormant accounts emptied to a new card
// (dormant_withdrawal). The fraudsters' own set-up (registering mules and testers, logging in,
// qualifying payments) is labelled with the pattern but not scored: scored events are the ones
// each pattern's rules are meant to stop.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "risk/default_rules.h"
#include "risk/risk_engine.h"
#include "risk/risk_events.h"

namespace qb::risk {

struct FraudSimOptions {
  uint64_t seed = 1;
  uint32_t customers = 10'000;  // normal customers (fraud accounts come on top)
  uint32_t days = 30;           // the scored window
  uint32_t warmup_days = 7;     // ordinary activity before the window, recorded but not scored
  uint32_t incidents_per_pattern = 0;  // 0: max(10, customers / 500)
};

// The window starts at this time (2026-01-01 00:00 UTC+8).
inline constexpr int64_t kFraudSimStartS = 1'767'196'800;

struct LabelledEvent {
  int64_t time_s = 0;
  RiskEvent event;
  FraudPattern label = FraudPattern::kNone;
  bool scored = true;          // false: warm-up, history and fraudsters' set-up
  bool bank_declines = false;  // a top-up the bank would refuse
};

// Events in time order (ties in generation order).
std::vector<LabelledEvent> GenerateFraudDataset(const FraudSimOptions& options);

// How often the rules flagged each label. An event is flagged when its verdict is challenge,
// review or deny, or its reward is withheld.
struct PatternScore {
  uint64_t events = 0;              // scored events with this label
  uint64_t flagged = 0;             // of those, flagged by any rule
  uint64_t rule_flagged = 0;        // scored events flagged by a rule of this pattern
  uint64_t rule_flagged_fraud = 0;  // of those, labelled with any fraud pattern
};

// How often one rule of the active set fired on scored events.
struct RuleHits {
  uint32_t rule_id = 0;
  std::string name;
  bool shadow = false;
  uint64_t legit = 0;
  uint64_t fraud = 0;
};

struct FraudSimReport {
  std::array<PatternScore, kFraudPatternCount> patterns{};
  std::vector<RuleHits> rules;  // in rule-set order
  uint64_t events = 0;          // all events recorded
  uint64_t scored = 0;
  uint64_t legit_payments = 0;
  uint64_t legit_payments_held = 0;  // challenged, held for review or denied
  uint64_t legit_events = 0;
  uint64_t legit_flagged = 0;  // incl. withheld rewards
  uint64_t shadow_fired = 0;   // scored events on which a shadow rule fired
  uint64_t shadow_fired_fraud = 0;

  double Recall(FraudPattern pattern) const;
  double Precision(FraudPattern pattern) const;  // NaN when its rules flagged nothing
  double LegitPaymentsHeldRate() const;
};

// Runs every event through `engine` (Evaluate, then Record) and scores the scored ones. The
// outcome recorded: allowed -> completed (for a top-up, unless the bank declines; a withheld
// reward or claim -> refused); challenged -> completed for a legitimate customer (who passes
// the second factor), refused for a fraudster; review -> refused (but a registration held for
// review creates its restricted account: completed); deny -> refused.
FraudSimReport ScoreFraudDataset(std::span<const LabelledEvent> events, RiskEngine* engine);

// The table `qianbao sim fraud` prints.
std::string FormatFraudSimReport(const FraudSimReport& report);

// One CSV line (no newline) per event, under FraudSimCsvHeader():
//   time_s,event,customer,device,ip,counterparty,amount_fen,label,scored
// time in unix seconds; customer in decimal; device, IP and counterparty (the inviter, merchant,
// payee, card or campaign) in hex, 0 for none; label "legitimate" or a FraudPatternName;
// scored 1 or 0.
std::string_view FraudSimCsvHeader();
std::string FraudSimCsvLine(const LabelledEvent& event);

}  // namespace qb::risk
