// Scoring a labelled stream against the risk engine's rules, and the stream as CSV.
#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "risk/fraud_sim.h"

namespace qb::risk {

namespace {

bool IsFraud(FraudPattern label) { return label != FraudPattern::kNone; }

Outcome OutcomeFor(const LabelledEvent& labelled, const Decision& decision) {
  switch (decision.verdict) {
    case Verdict::kAllow:
      break;
    case Verdict::kChallenge:
      // A real customer passes the second factor; a fraudster does not.
      if (IsFraud(labelled.label)) return Outcome::kRefused;
      break;
    case Verdict::kReview:
      // A registration held for review still creates the (restricted) account; anything else
      // held moves no money until released.
      if (std::holds_alternative<Registration>(labelled.event)) break;
      return Outcome::kRefused;
    case Verdict::kDeny:
      return Outcome::kRefused;
  }
  const bool reward = std::holds_alternative<Reward>(labelled.event) ||
                      std::holds_alternative<CouponClaim>(labelled.event);
  if (reward && decision.deny_reward) return Outcome::kRefused;
  if (std::holds_alternative<TopUp>(labelled.event) && labelled.bank_declines) {
    return Outcome::kRefused;
  }
  return Outcome::kCompleted;
}

double Ratio(uint64_t part, uint64_t whole) {
  return whole == 0 ? std::numeric_limits<double>::quiet_NaN()
                    : static_cast<double>(part) / static_cast<double>(whole);
}

}  // namespace

double FraudSimReport::Recall(FraudPattern pattern) const {
  const PatternScore& score = patterns[static_cast<size_t>(pattern)];
  return Ratio(score.flagged, score.events);
}

double FraudSimReport::Precision(FraudPattern pattern) const {
  const PatternScore& score = patterns[static_cast<size_t>(pattern)];
  return Ratio(score.rule_flagged_fraud, score.rule_flagged);
}

double FraudSimReport::LegitPaymentsHeldRate() const {
  return Ratio(legit_payments_held, legit_payments);
}

FraudSimReport ScoreFraudDataset(std::span<const LabelledEvent> events, RiskEngine* engine) {
  FraudSimReport report;
  if (const RuleSet* rules = engine->rules()) {
    for (size_t i = 0; i < rules->rule_count(); ++i) {
      report.rules.push_back({rules->rule(i).id, rules->rule(i).name, rules->rule(i).shadow});
    }
  }
  int64_t last_advance_s = 0;
  for (const LabelledEvent& labelled : events) {
    if (labelled.time_s - last_advance_s >= 3600) {
      engine->Advance(labelled.time_s);
      last_advance_s = labelled.time_s;
    }
    const Decision& decision = engine->Evaluate(labelled.event, labelled.time_s);
    const Outcome outcome = OutcomeFor(labelled, decision);
    ++report.events;
    const bool login = std::holds_alternative<Login>(labelled.event);
    if (labelled.scored && !login) {
      ++report.scored;
      const bool flagged = decision.verdict != Verdict::kAllow || decision.deny_reward;
      const bool fraud = IsFraud(labelled.label);
      PatternScore& own = report.patterns[static_cast<size_t>(labelled.label)];
      ++own.events;
      own.flagged += flagged;
      // Credit each pattern whose enforced rules fired, once per event.
      std::array<bool, kFraudPatternCount> credited{};
      bool shadow_fired = false;
      for (const FiredRule& fired : decision.fired) {
        RuleHits& hits = report.rules[fired.rule_index];
        ++(fraud ? hits.fraud : hits.legit);
        if (fired.shadow) {
          shadow_fired = true;
          continue;
        }
        if (fired.action == Action::kNone) continue;
        const auto pattern = static_cast<size_t>(PatternOfRule(fired.rule_id));
        if (credited[pattern]) continue;
        credited[pattern] = true;
        ++report.patterns[pattern].rule_flagged;
        report.patterns[pattern].rule_flagged_fraud += fraud;
      }
      report.shadow_fired += shadow_fired;
      report.shadow_fired_fraud += shadow_fired && fraud;
      if (!fraud) {
        ++report.legit_events;
        report.legit_flagged += flagged;
        if (std::holds_alternative<Payment>(labelled.event)) {
          ++report.legit_payments;
          report.legit_payments_held += decision.verdict != Verdict::kAllow;
        }
      }
    }
    engine->Record(labelled.event, labelled.time_s, outcome);
  }
  return report;
}

std::string FormatFraudSimReport(const FraudSimReport& report) {
  std::string text = fmt::format("{:<20} {:>8} {:>8} {:>8} {:>10} {:>10}\n", "pattern", "events",
                                 "flagged", "recall", "rule_hits", "precision");
  const auto percent = [](double value) {
    return std::isnan(value) ? std::string("-") : fmt::format("{:.1f}%", value * 100);
  };
  for (size_t p = 0; p < kFraudPatternCount; ++p) {
    const auto pattern = static_cast<FraudPattern>(p);
    const PatternScore& score = report.patterns[p];
    const bool injected =
        p >= kFirstInjectedPattern && p < kFirstInjectedPattern + kInjectedPatternCount;
    text += fmt::format("{:<20} {:>8} {:>8} {:>8} {:>10} {:>10}\n", FraudPatternName(pattern),
                        score.events, score.flagged,
                        injected ? percent(report.Recall(pattern)) : std::string("-"),
                        score.rule_flagged, percent(report.Precision(pattern)));
  }
  text += fmt::format("\n{:<5} {:<28} {:>10} {:>10}\n", "rule", "name", "legit", "fraud");
  for (const RuleHits& hits : report.rules) {
    text += fmt::format("{:<5} {:<28} {:>10} {:>10}\n", hits.rule_id,
                        std::string(hits.name) + (hits.shadow ? " (shadow)" : ""), hits.legit,
                        hits.fraud);
  }
  text += fmt::format(
      "\nlegitimate payments challenged or held: {} of {} = {:.3f}%\n"
      "legitimate events flagged (incl. withheld rewards): {} of {} = {:.3f}%\n"
      "shadow rules fired on {} scored events ({} of them fraud)\n"
      "events recorded: {}, scored: {}\n",
      report.legit_payments_held, report.legit_payments, report.LegitPaymentsHeldRate() * 100,
      report.legit_flagged, report.legit_events,
      Ratio(report.legit_flagged, report.legit_events) * 100, report.shadow_fired,
      report.shadow_fired_fraud, report.events, report.scored);
  return text;
}

std::string_view FraudSimCsvHeader() {
  return "time_s,event,customer,device,ip,counterparty,amount_fen,label,scored";
}

std::string FraudSimCsvLine(const LabelledEvent& labelled) {
  struct Fields {
    uint64_t customer = 0, device = 0, ip = 0, counterparty = 0;
    int64_t amount_fen = 0;
  };
  const Fields fields = std::visit(
      [](const auto& e) -> Fields {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, Registration>) {
          return {e.customer, e.device, e.ip, e.inviter, 0};
        } else if constexpr (std::is_same_v<E, Login>) {
          return {e.customer, e.device, e.ip, 0, 0};
        } else if constexpr (std::is_same_v<E, Payment>) {
          return {e.customer, e.device, e.ip, e.merchant, e.amount_fen};
        } else if constexpr (std::is_same_v<E, Transfer>) {
          return {e.customer, e.device, e.ip, e.payee, e.amount_fen};
        } else if constexpr (std::is_same_v<E, TopUp>) {
          return {e.customer, e.device, 0, e.card, e.amount_fen};
        } else if constexpr (std::is_same_v<E, Withdrawal>) {
          return {e.customer, e.device, e.ip, e.card, e.amount_fen};
        } else if constexpr (std::is_same_v<E, CouponClaim>) {
          return {e.customer, e.device, 0, e.campaign, 0};
        } else {
          return {e.customer, e.device, 0, e.campaign, e.amount_fen};
        }
      },
      labelled.event);
  return fmt::format("{},{},{},{:x},{:x},{:x},{},{},{}", labelled.time_s,
                     kEventNames[labelled.event.index()], fields.customer, fields.device, fields.ip,
                     fields.counterparty, fields.amount_fen, FraudPatternName(labelled.label),
                     labelled.scored ? 1 : 0);
}

}  // namespace qb::risk
