// ns per payment for the whole risk check, RiskEngine::Evaluate + Record with the default rules,
// over the labelled synthetic stream of fraud_sim.h (every event replayed in order, so the
// tables hold a realistic state: tens of thousands of customers, devices, merchants, relations).
// In the same run, the same stream through:
//   - a bare velocity update per payment (one VelocityTable::Record for the customer): the floor;
//   - the engine with no rules, which then computes every feature: the features' cost;
//   - the engine with the default rules and the same rules again in shadow;
//   - the default rules in steady state: the stream replayed a second time 40 days on, with
//     every entity known and no table growing, the second pass timed.
//
//   risk_engine_bench [customers] [days] [rules]   (default 20,000 customers, 30 days; best
//                                                  of 3; "rules": that configuration alone)
//
// The first half of the stream warms the tables up untimed; the second half is measured. Each
// payment is timed on its own (two steady_clock reads around it); the cost of an empty pair of
// reads is measured and subtracted. The per-event figure over the whole second half (every
// kind of event, no per-event clock) is printed beside it. The benchmark reads the clock; the
// risk engine never does.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "base/malloc_tuning.h"
#include "risk/default_rules.h"
#include "risk/fraud_sim.h"
#include "risk/risk_engine.h"
#include "risk/velocity.h"

namespace qb::risk {
namespace {

using Clock = std::chrono::steady_clock;

// This thread's CPU time: on a machine shared with other work, wall time also counts the time
// the thread waited for a core.
double ThreadCpuNs() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1e9 + static_cast<double>(now.tv_nsec);
}

struct Timing {
  double ns_per_payment = 0;    // clock overhead subtracted
  double ns_per_event = 0;      // whole stream, no per-event clock
  double cpu_ns_per_event = 0;  // the same in thread CPU time
  uint64_t payments = 0;
  uint64_t not_allowed = 0;
  size_t state_bytes = 0;
};

double ClockPairNs() {
  constexpr int kReads = 1'000'000;
  int64_t total = 0;
  for (int i = 0; i < kReads; ++i) {
    const auto a = Clock::now();
    const auto b = Clock::now();
    total += std::chrono::duration_cast<std::chrono::nanoseconds>(b - a).count();
  }
  return static_cast<double>(total) / kReads;
}

Outcome OutcomeOf(const LabelledEvent& e, const Decision& decision) {
  if (decision.verdict >= Verdict::kReview) return Outcome::kRefused;
  if (std::holds_alternative<TopUp>(e.event) && e.bank_declines) return Outcome::kRefused;
  return Outcome::kCompleted;
}

enum class Mode { kNoRules, kDefaultRules, kDefaultAndShadow };

// The stream, then the same stream again 40 days later (the same customers, devices and
// merchants, every velocity window empty again): the second pass is measured with every
// entity already known and no table growing, as in a server that has been running for months.
std::vector<LabelledEvent> TwiceOver(const std::vector<LabelledEvent>& events) {
  std::vector<LabelledEvent> twice = events;
  const int64_t shift_s = events.back().time_s - events.front().time_s + 40 * 24 * 3600;
  for (LabelledEvent e : events) {
    e.time_s += shift_s;
    twice.push_back(e);
  }
  return twice;
}

Timing RunEngine(const std::vector<LabelledEvent>& events, size_t customers, Mode mode,
                 double clock_pair_ns, int64_t* sink) {
  RiskEngine engine(RiskEngineLimits::For(customers * 2));
  if (mode != Mode::kNoRules && !engine.SetRules(DefaultRuleSet()).ok()) std::abort();
  if (mode == Mode::kDefaultAndShadow && !engine.SetShadowRules(DefaultRuleSet()).ok()) {
    std::abort();
  }
  Timing timing;
  int64_t payment_ns = 0;
  int64_t last_advance_s = 0;
  const size_t half = events.size() / 2;
  auto start = Clock::now();
  double start_cpu_ns = ThreadCpuNs();
  // Payments are hinted ahead as the engine hints a batch's (engine/state_machine_prefetch.cc):
  // the index two events on, the entries of the next.
  const auto hint = [&](size_t at, bool entries) {
    if (at >= events.size()) return;
    const auto* payment = std::get_if<Payment>(&events[at].event);
    if (payment == nullptr) return;
    if (entries) {
      engine.PrefetchEntries(*payment);
    } else {
      engine.PrefetchIndex(*payment);
    }
  };
  for (size_t i = 0; i < events.size(); ++i) {
    const LabelledEvent& e = events[i];
    if (i == half) {
      start = Clock::now();
      start_cpu_ns = ThreadCpuNs();
    }
    if (e.time_s - last_advance_s >= 3600) {
      engine.Advance(e.time_s);
      last_advance_s = e.time_s;
    }
    if (i >= half && std::holds_alternative<Payment>(e.event)) {
      const auto a = Clock::now();  // the hints count: they are part of the work
      hint(i + 2, false);
      hint(i + 1, true);
      const Decision& decision = engine.Evaluate(e.event, e.time_s);
      const Outcome outcome = OutcomeOf(e, decision);
      engine.Record(e.event, e.time_s, outcome);
      const auto b = Clock::now();
      payment_ns += std::chrono::duration_cast<std::chrono::nanoseconds>(b - a).count();
      ++timing.payments;
      timing.not_allowed += decision.verdict != Verdict::kAllow;
      *sink += decision.total_score;
    } else {
      hint(i + 2, false);
      hint(i + 1, true);
      const Decision& decision = engine.Evaluate(e.event, e.time_s);
      engine.Record(e.event, e.time_s, OutcomeOf(e, decision));
    }
  }
  const std::chrono::duration<double, std::nano> elapsed = Clock::now() - start;
  timing.ns_per_payment =
      static_cast<double>(payment_ns) / static_cast<double>(timing.payments) - clock_pair_ns;
  timing.ns_per_event = elapsed.count() / static_cast<double>(events.size() - half);
  timing.cpu_ns_per_event =
      (ThreadCpuNs() - start_cpu_ns) / static_cast<double>(events.size() - half);
  std::string bytes;
  engine.Serialize(&bytes);
  timing.state_bytes = bytes.size();
  return timing;
}

Timing RunBareVelocity(const std::vector<LabelledEvent>& events, size_t customers,
                       double clock_pair_ns, int64_t* sink) {
  VelocityTable table(customers * 2);
  Timing timing;
  int64_t payment_ns = 0;
  const size_t half = events.size() / 2;
  for (size_t i = 0; i < half; ++i) {
    if (const auto* payment = std::get_if<Payment>(&events[i].event)) {
      table.Record(payment->customer, events[i].time_s, payment->amount_fen);
    }
  }
  const auto start = Clock::now();
  for (size_t i = half; i < events.size(); ++i) {
    const LabelledEvent& e = events[i];
    const auto* payment = std::get_if<Payment>(&e.event);
    if (payment == nullptr) continue;
    const auto a = Clock::now();
    table.Record(payment->customer, e.time_s, payment->amount_fen);
    const auto b = Clock::now();
    payment_ns += std::chrono::duration_cast<std::chrono::nanoseconds>(b - a).count();
    ++timing.payments;
  }
  *sink += static_cast<int64_t>(table.size());
  const std::chrono::duration<double, std::nano> elapsed = Clock::now() - start;
  timing.ns_per_payment =
      static_cast<double>(payment_ns) / static_cast<double>(timing.payments) - clock_pair_ns;
  timing.ns_per_event = elapsed.count() / static_cast<double>(events.size() - half);
  return timing;
}

template <typename Run>
Timing Best(Run&& run) {
  Timing best;
  best.ns_per_payment = 1e300;
  for (int i = 0; i < 3; ++i) {
    const Timing timing = run();
    if (timing.ns_per_payment < best.ns_per_payment) best = timing;
  }
  return best;
}

int Main(int argc, char** argv) {
  qb::TuneMallocForEngine();
  std::printf("allocator: %s\n", qb::MallocDescription().c_str());
  FraudSimOptions options;
  options.seed = 7;
  options.customers = argc > 1 ? static_cast<uint32_t>(std::strtoul(argv[1], nullptr, 10)) : 20'000;
  options.days = argc > 2 ? static_cast<uint32_t>(std::strtoul(argv[2], nullptr, 10)) : 30;
  const std::vector<LabelledEvent> events = GenerateFraudDataset(options);
  const double clock_pair_ns = ClockPairNs();
  int64_t sink = 0;
  const size_t customers = options.customers;
  // A third argument "rules" runs only the default-rules configuration (for a profiler).
  if (argc > 3 && std::string(argv[3]) == "rules") {
    const Timing rules = RunEngine(events, customers, Mode::kDefaultRules, clock_pair_ns, &sink);
    std::printf("engine, default rules  ns/payment=%7.1f  cpu ns/event=%7.1f\n",
                rules.ns_per_payment, rules.cpu_ns_per_event);
    return 0;
  }
  const Timing bare =
      Best([&] { return RunBareVelocity(events, customers, clock_pair_ns, &sink); });
  const Timing features =
      Best([&] { return RunEngine(events, customers, Mode::kNoRules, clock_pair_ns, &sink); });
  const Timing rules =
      Best([&] { return RunEngine(events, customers, Mode::kDefaultRules, clock_pair_ns, &sink); });
  const Timing shadow = Best(
      [&] { return RunEngine(events, customers, Mode::kDefaultAndShadow, clock_pair_ns, &sink); });
  const std::vector<LabelledEvent> twice = TwiceOver(events);
  const Timing steady =
      Best([&] { return RunEngine(twice, customers, Mode::kDefaultRules, clock_pair_ns, &sink); });

  std::printf("risk_engine_bench: %u customers, %u days, %zu events, %" PRIu64
              " payments timed (second half), %zu default rules, best of 3, clock pair %.1f ns "
              "subtracted\n",
              options.customers, options.days, events.size(), rules.payments,
              DefaultRuleSet().rules.size(), clock_pair_ns);
  std::printf("bare velocity update   ns/payment=%7.1f\n", bare.ns_per_payment);
  std::printf("engine, all features   ns/payment=%7.1f  ns/event=%7.1f  cpu ns/event=%7.1f\n",
              features.ns_per_payment, features.ns_per_event, features.cpu_ns_per_event);
  std::printf(
      "engine, default rules  ns/payment=%7.1f  ns/event=%7.1f  cpu ns/event=%7.1f  (%" PRIu64
      " payments not allowed)\n",
      rules.ns_per_payment, rules.ns_per_event, rules.cpu_ns_per_event, rules.not_allowed);
  std::printf("engine, rules + shadow ns/payment=%7.1f  ns/event=%7.1f  cpu ns/event=%7.1f\n",
              shadow.ns_per_payment, shadow.ns_per_event, shadow.cpu_ns_per_event);
  std::printf(
      "steady state, rules     ns/payment=%7.1f  ns/event=%7.1f  cpu ns/event=%7.1f  "
      "(stream replayed twice, second pass timed)\n",
      steady.ns_per_payment, steady.ns_per_event, steady.cpu_ns_per_event);
  std::printf("state: %zu bytes serialized\n", rules.state_bytes);
  std::printf(
      "RESULT risk_engine_ns_per_payment=%.1f risk_bare_velocity_ns=%.1f "
      "risk_features_only_ns=%.1f checksum=%" PRId64 "\n",
      rules.ns_per_payment, bare.ns_per_payment, features.ns_per_payment, sink);
  return 0;
}

}  // namespace
}  // namespace qb::risk

int main(int argc, char** argv) { return qb::risk::Main(argc, argv); }
