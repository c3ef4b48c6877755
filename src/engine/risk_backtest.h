// The risk backtest (`qianbao risk backtest`, docs/RISK.md): how a candidate rule set would
// have done on the traffic in the journal.
//
// The journal is replayed from genesis into a fresh StateMachine (read-only: the store is only
// read) with a RiskTap (engine/risk_tap.h) that feeds a separate RiskEngine, with the live
// engine's limits and the candidate as its active rule set. Every event the live engine
// evaluates, the candidate engine evaluates at the same point; every event the live engine
// records, it records with the same outcome; list changes are applied to it as well. So its
// features are the live engine's, and only the rules differ. (One event field is the live engine's
// choice: a payment's reward_present is priced only when a live rule reads it, else it reads
// false.)
//
// Counted are the events evaluated inside [from_s, until_s): per candidate rule, the events it
// was in force for, its hits, the amount they carried, and the candidate's verdicts on them;
// overall, the candidate's and the live rules' verdicts per event kind and on payments.
// Labels are the analysts': a payment reviewed (ReviewPayment, approve or reject) with the label
// fraud or legit; refunds are not labels. Only payments the live rules held for review can
// carry one, and each rule reports its hits on labelled-fraud and labelled-legit payments.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "base/digest.h"
#include "base/status.h"
#include "risk/risk_engine.h"
#include "store/store.h"

namespace qb::engine {

struct RiskBacktestOptions {
  risk::RuleSetSpec rules;  // The candidate; its version is reported as given.
  int64_t from_s = 0;       // Events at or after (unix seconds); 0: from the start.
  int64_t until_s = 0;      // Events before; 0: to the end.
  risk::RiskEngineLimits limits = risk::RiskEngineLimits{};  // The live engine's (RiskState).
};

using VerdictCounts = std::array<uint64_t, 4>;  // By risk::Verdict.

struct RiskBacktestRule {
  uint32_t id = 0;
  std::string name;
  risk::Action action = risk::Action::kNone;
  int32_t score = 0;
  bool shadow = false;
  uint64_t evaluated = 0;      // Events at a time the rule was in force.
  uint64_t hits = 0;           // Events it fired on.
  int64_t hit_amount_fen = 0;  // Their amounts (saturating at INT64_MAX).
  VerdictCounts verdicts{};    // The candidate set's verdicts on those events.
  uint64_t fraud_hits = 0;     // Hits on payments labelled fraud.
  uint64_t legit_hits = 0;     // ... and legit.
  uint64_t failures = 0;       // Evaluations that failed (overflow, division by zero).
};

struct RiskBacktestReport {
  uint64_t batches = 0;  // Journal records replayed (all of them, window or not).
  uint64_t commands = 0;
  uint64_t events = 0;  // Risk events in the window.
  std::array<uint64_t, std::variant_size_v<risk::RiskEvent>> events_by_kind{};
  std::array<VerdictCounts, std::variant_size_v<risk::RiskEvent>> candidate_by_kind{};
  std::array<VerdictCounts, std::variant_size_v<risk::RiskEvent>> live_by_kind{};
  // Payments (kind 2) again, for the headline: challenged, held (review), denied.
  VerdictCounts candidate_payments{};
  VerdictCounts live_payments{};
  // Labelled payments in the window, and how many of them each side did not allow.
  uint64_t labelled_fraud = 0;
  uint64_t labelled_legit = 0;
  uint64_t fraud_flagged_candidate = 0;
  uint64_t fraud_flagged_live = 0;
  uint64_t legit_flagged_candidate = 0;
  uint64_t legit_flagged_live = 0;
  int64_t first_event_s = 0;  // Of the window's events; 0 when none.
  int64_t last_event_s = 0;
  Digest state_hash{};  // Of the replayed state (the tap changes nothing: the live hash).
  std::vector<RiskBacktestRule> rules;  // In the candidate's order.
};

// kInvalidArgument when the candidate does not compile (the compiler's message); the journal
// reader's error when the journal is unreadable or a record malformed.
Status RunRiskBacktest(Store* store, const RiskBacktestOptions& options,
                       RiskBacktestReport* report);

}  // namespace qb::engine
