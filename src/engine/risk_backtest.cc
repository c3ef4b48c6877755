#include "engine/risk_backtest.h"

#include <absl/container/flat_hash_map.h>

#include <limits>
#include <utility>

#include "base/checked.h"
#include "engine/command_codec.h"
#include "engine/risk_monitor.h"
#include "engine/state_machine.h"
#include "journal/reader.h"

namespace qb::engine {
namespace {

constexpr size_t kPaymentKind = 2;  // risk::Payment's index in risk::RiskEvent.
static_assert(
    std::is_same_v<std::variant_alternative_t<kPaymentKind, risk::RiskEvent>, risk::Payment>);

bool InForce(const risk::RuleSpec& rule, int64_t now_s) {
  return (rule.active_from_s == 0 || now_s >= rule.active_from_s) &&
         (rule.active_until_s == 0 || now_s < rule.active_until_s);
}

bool Flagged(risk::Verdict verdict) { return verdict != risk::Verdict::kAllow; }

// A payment the live rules held for review: it may get a label later.
struct HeldPayment {
  risk::Verdict candidate = risk::Verdict::kAllow;
  risk::Verdict live = risk::Verdict::kAllow;
  std::vector<uint32_t> fired;  // Candidate rule indexes.
};

class BacktestTap : public RiskTap {
 public:
  BacktestTap(const RiskBacktestOptions& options, RiskBacktestReport* report)
      : options_(options), report_(report), candidate_(options.limits) {}

  Status Init() {
    if (Status s = candidate_.SetRules(options_.rules); !s.ok()) return s;
    for (const risk::RuleSpec& rule : options_.rules.rules) {
      RiskBacktestRule row;
      row.id = rule.id;
      row.name = rule.name;
      row.action = rule.action;
      row.score = rule.score;
      row.shadow = rule.shadow;
      report_->rules.push_back(std::move(row));
    }
    return Status::Ok();
  }

  void OnEvaluate(const risk::RiskEvent& event, int64_t now_s, uint64_t subject_id,
                  const risk::Decision& live) override {
    if (InWindow(now_s)) Count(event, now_s, subject_id, live);
  }

  void OnRecord(const risk::RiskEvent& event, int64_t now_s, risk::Outcome outcome) override {
    candidate_.Record(event, now_s, outcome);
  }

  void OnListChange(const RiskListChange& change) override {
    // The live lists took the same change, so ours (which saw the same ones) do too.
    if (change.remove) {
      candidate_.lists().Remove(change.list, change.kind, change.key);
    } else {
      (void)candidate_.lists().Add(change.list, change.kind, change.key, change.now_s,
                                   change.expires_at_s, change.reason);
    }
  }

  void Label(uint64_t payment_id, ReviewLabel label) {
    if (label != ReviewLabel::kUnknown) labels_[payment_id] = label;
  }

  // Joins the held payments with their labels.
  void Finish() {
    for (const auto& [payment_id, held] : held_) {
      const auto label = labels_.find(payment_id);
      if (label == labels_.end()) continue;
      const bool fraud = label->second == ReviewLabel::kFraud;
      (fraud ? report_->labelled_fraud : report_->labelled_legit)++;
      if (Flagged(held.candidate)) {
        (fraud ? report_->fraud_flagged_candidate : report_->legit_flagged_candidate)++;
      }
      if (Flagged(held.live)) {
        (fraud ? report_->fraud_flagged_live : report_->legit_flagged_live)++;
      }
      for (uint32_t index : held.fired) {
        RiskBacktestRule& rule = report_->rules[index];
        (fraud ? rule.fraud_hits : rule.legit_hits)++;
      }
    }
  }

 private:
  bool InWindow(int64_t now_s) const {
    return now_s >= options_.from_s && (options_.until_s == 0 || now_s < options_.until_s);
  }

  void Count(const risk::RiskEvent& event, int64_t now_s, uint64_t subject_id,
             const risk::Decision& live) {
    const risk::Decision& decision = candidate_.Evaluate(event, now_s);
    const size_t kind = event.index();
    const int64_t amount = RiskEventAmount(event);
    if (report_->events == 0) report_->first_event_s = now_s;
    report_->last_event_s = now_s;
    report_->events++;
    report_->events_by_kind[kind]++;
    report_->candidate_by_kind[kind][static_cast<size_t>(decision.verdict)]++;
    report_->live_by_kind[kind][static_cast<size_t>(live.verdict)]++;
    if (kind == kPaymentKind) {
      report_->candidate_payments[static_cast<size_t>(decision.verdict)]++;
      report_->live_payments[static_cast<size_t>(live.verdict)]++;
    }
    for (size_t i = 0; i < report_->rules.size(); i++) {
      if (InForce(options_.rules.rules[i], now_s)) report_->rules[i].evaluated++;
    }
    for (const risk::FiredRule& fired : decision.fired) {
      RiskBacktestRule& rule = report_->rules[fired.rule_index];
      rule.hits++;
      rule.hit_amount_fen = CheckedAdd(rule.hit_amount_fen, amount)
                                .value_or(amount < 0 ? std::numeric_limits<int64_t>::min()
                                                     : std::numeric_limits<int64_t>::max());
      rule.verdicts[static_cast<size_t>(decision.verdict)]++;
    }
    for (const risk::RuleFailure& failure : decision.failures) {
      report_->rules[failure.rule_index].failures++;
    }
    if (kind == kPaymentKind && subject_id != 0 && live.verdict == risk::Verdict::kReview) {
      HeldPayment held;
      held.candidate = decision.verdict;
      held.live = live.verdict;
      for (const risk::FiredRule& fired : decision.fired) held.fired.push_back(fired.rule_index);
      held_.emplace(subject_id, std::move(held));  // The first evaluation of the payment.
    }
  }

  const RiskBacktestOptions& options_;
  RiskBacktestReport* report_;
  risk::RiskEngine candidate_;
  absl::flat_hash_map<uint64_t, HeldPayment> held_;
  absl::flat_hash_map<uint64_t, ReviewLabel> labels_;
};

}  // namespace

Status RunRiskBacktest(Store* store, const RiskBacktestOptions& options,
                       RiskBacktestReport* report) {
  *report = RiskBacktestReport{};
  BacktestTap tap(options, report);
  if (Status s = tap.Init(); !s.ok()) return s;
  StateMachine state;
  state.SetRiskTap(&tap);
  std::vector<Command> commands;
  journal::ReadReport read;
  Status s = journal::ReadJournal(
      store, journal::ChainPosition{}, /*truncate_torn_tail=*/false,
      [&](const journal::BatchHeader& header, std::string_view payload) -> Status {
        if (!DecodeCommands(payload, header.command_count, &commands)) {
          return Status::Corruption("record " + std::to_string(header.seq) +
                                    " holds malformed commands");
        }
        state.BeginBatch(header.batch_time_ns, nullptr);
        for (const Command& command : commands) {
          const Reply reply = state.Apply(command);
          if (const auto* review = std::get_if<ReviewPayment>(&command);
              review != nullptr && !reply.results.empty() &&
              reply.results[0] == static_cast<uint8_t>(RiskResult::kOk)) {
            tap.Label(review->payment_id, review->label);
          }
        }
        state.EndBatch();
        report->batches++;
        report->commands += commands.size();
        return Status::Ok();
      },
      &read);
  if (!s.ok()) return s;
  tap.Finish();
  report->state_hash = state.StateHash();
  return Status::Ok();
}

}  // namespace qb::engine
