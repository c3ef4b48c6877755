#include "cli/bench_double11.h"

#include <fmt/core.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "base/malloc_tuning.h"
#include "cli/bench_util.h"
#include "engine/engine.h"
#include "engine/marketing_command.h"
#include "engine/risk_command.h"
#include "risk/default_rules.h"
#include "store/sqlite/sqlite_store.h"

namespace qb::cli {
namespace {

constexpr int64_t kFundingFen = 1'000'000;       // ¥10,000 per customer
constexpr int64_t kBudgetFen = 100'000'000'000;  // ¥1 billion per campaign
constexpr int64_t kCouponThresholdFen = 10'000;  // 满100
constexpr int64_t kCouponSaveFen = 1'000;        //   减10
constexpr int64_t kFirstOrderFen = 500;          // 首单立减 ¥5
constexpr int32_t kCashbackBps = 200;            // 2%
constexpr int64_t kDayS = 86'400;
constexpr uint64_t kSetUpTransferBase = uint64_t{1} << 62;  // set-up transfer ids; payments 1..N

// What the set-up made: engine ids by index.
struct World {
  uint64_t staff = 0;
  std::vector<uint64_t> customers;
  std::vector<uint64_t> merchants;
  std::vector<uint64_t> coupons;  // customers[i]'s coupon
  uint64_t first_order = 0, coupon_campaign = 0, cashback = 0;
};

marketing::Campaign MakeCampaign(std::string name, marketing::CampaignType type, int64_t now_s) {
  marketing::Campaign c;
  c.name = std::move(name);
  c.type = type;
  c.eligibility.window_start_s = now_s - kDayS;
  c.eligibility.window_end_s = now_s + 30 * kDayS;
  c.caps.budget_total_fen = kBudgetFen;
  return c;
}

bool SetUpPeople(engine::Engine* engine, const Double11BenchOptions& options, World* world) {
  engine::Reply staff = engine->Execute(engine::CreateStaff{
      {"bench-admin", "Bench admin", "argon2-not-used", identity::kAllStaffRoles}, 0});
  if (staff.results.empty() || staff.results[0] != 0) {
    fmt::print(stderr, "bench: creating the staff admin failed\n");
    return false;
  }
  world->staff = staff.value;

  // Bank clearing, which funds every wallet (the card top-up path is benchmarked elsewhere).
  ledger::Account clearing;
  clearing.id = engine::kBankClearingAccountId;
  clearing.ledger = ledger::kLedgerCny;
  clearing.kind = static_cast<uint16_t>(ledger::AccountKind::kBankClearing);
  if (engine::Reply r = engine->Execute(engine::CreateAccounts{{clearing}}); r.results[0] != 0) {
    fmt::print(stderr, "bench: creating bank clearing failed\n");
    return false;
  }

  world->merchants.resize(options.merchants);
  SetUpBatch merchants(engine);
  for (uint64_t i = 0; i < options.merchants; i++) {
    payments::MerchantProfile profile;
    profile.legal_name = fmt::format("双十一商户 {}", i);
    profile.credit_code = "91350100M000100Y43";
    profile.category = "catering";
    profile.fee_bps = 60;
    profile.settlement_bank_code = "ICBC";
    profile.settlement_account_sealed = "sealed";
    profile.settlement_account_last4 = "1234";
    const std::string user = fmt::format("m{}", i);
    merchants.Submit(
        engine::ApplyMerchant{profile, {user, user, "argon2-not-used", 0}, world->staff, true},
        [world](uint64_t index, const engine::Reply& r) { world->merchants[index] = r.value; });
  }
  if (!merchants.Wait("onboarding merchants")) return false;

  // Sign-up (code, then registration), verification and tier I, in that order per customer:
  // the engine runs commands in submission order.
  world->customers.resize(options.customers);
  {
    SetUpBatch signup(engine);
    for (uint64_t i = 0; i < options.customers; i++) {
      const std::string phone = fmt::format("13{:09}", i);
      const std::string otp = "otp" + phone;
      signup.Submit(engine::IssueOtp{phone, identity::OtpPurpose::kRegister, otp});
      engine::RegisterCustomer registration;
      registration.registration = {phone, otp, "argon2-not-used", "campus", ""};
      signup.Submit(std::move(registration), [world](uint64_t index, const engine::Reply& r) {
        world->customers[index / 2] = r.value;
      });
    }
    if (!signup.Wait("signing customers up")) return false;
  }
  SetUpBatch verify(engine);
  std::vector<ledger::Transfer> funding;
  for (uint64_t i = 0; i < options.customers; i++) {
    const uint64_t id = world->customers[i];
    identity::VerifiedIdentity who;
    who.real_name = "顾客";
    who.id_lookup_hash = fmt::format("id-{}", i);
    who.id_sealed = "sealed";
    who.id_masked = "1****************X";
    verify.Submit(engine::VerifyIdentity{id, who});
    verify.Submit(engine::GrantTier{id, identity::WalletTier::kI, world->staff});
    ledger::Transfer t;
    t.id = kSetUpTransferBase + i;
    t.debit_account_id = engine::kBankClearingAccountId;
    t.credit_account_id = engine::kCustomerWalletAccountBase + id;
    t.amount = kFundingFen;
    t.ledger = ledger::kLedgerCny;
    t.code = ledger::transfer_codes::kTopUp;
    funding.push_back(t);
  }
  if (!verify.Wait("verifying customers")) return false;
  SetUpBatch fund(engine);
  constexpr size_t kChunk = 8'000;
  for (size_t start = 0; start < funding.size(); start += kChunk) {
    engine::CreateTransfers command;
    command.transfers.assign(funding.begin() + start,
                             funding.begin() + std::min(funding.size(), start + kChunk));
    fund.Submit(std::move(command));
  }
  return fund.Wait("funding wallets");
}

bool SetUpMarketing(engine::Engine* engine, const Double11BenchOptions& options, int64_t now_s,
                    World* world) {
  using marketing::CampaignType;
  auto start = [&](marketing::Campaign config, uint64_t* id) {
    engine::Reply created = engine->Execute(engine::CreateCampaign{world->staff, config});
    if (created.results.empty() || created.results[0] != 0) {
      fmt::print(stderr, "bench: creating campaign {} failed: {}\n", config.name, created.text);
      return false;
    }
    *id = created.value;
    engine::Reply live = engine->Execute(
        engine::TransitionCampaign{world->staff, *id, marketing::CampaignStatus::kLive});
    return !live.results.empty() && live.results[0] == 0;
  };
  marketing::Campaign first = MakeCampaign("首单立减", CampaignType::kFirstOrder, now_s);
  first.rule.shape = marketing::AmountShape::kFixed;
  first.rule.fixed_fen = kFirstOrderFen;
  marketing::Campaign coupons = MakeCampaign("满100减10", CampaignType::kThresholdCoupon, now_s);
  marketing::Campaign cashback = MakeCampaign("2% 返现", CampaignType::kCashback, now_s);
  cashback.rule.shape = marketing::AmountShape::kPercent;
  cashback.rule.percent_bps = kCashbackBps;
  if (!start(first, &world->first_order) || !start(coupons, &world->coupon_campaign) ||
      !start(cashback, &world->cashback)) {
    return false;
  }

  // Points at 1 pt/¥ (DESIGN.md's workload), redeemable at 100 points a yuan: every payment's
  // chain also moves points from the pool to the customer.
  if (options.points) {
    points::Program program;
    program.enabled = true;
    program.earn_per_yuan = 1;
    engine::Reply set = engine->Execute(engine::SetPointsProgram{world->staff, program});
    if (set.results.empty() || set.results[0] != 0) {
      fmt::print(stderr, "bench: setting the points programme failed: {}\n", set.text);
      return false;
    }
  }

  marketing::CouponTemplate coupon;
  coupon.campaign_id = world->coupon_campaign;
  coupon.name = "满100减10";
  coupon.kind = marketing::CouponKind::kThreshold;
  coupon.threshold_fen = kCouponThresholdFen;
  coupon.save_fen = kCouponSaveFen;
  coupon.stock = static_cast<int64_t>(options.customers);
  coupon.validity = marketing::ValidityKind::kFixedWindow;
  coupon.valid_from_s = now_s - kDayS;
  coupon.valid_until_s = now_s + 30 * kDayS;
  coupon.claim_start_s = now_s - kDayS;
  coupon.claim_end_s = now_s + 30 * kDayS;
  engine::Reply made = engine->Execute(engine::CreateCouponTemplate{world->staff, coupon});
  if (made.results.empty() || made.results[0] != 0) {
    fmt::print(stderr, "bench: creating the coupon template failed: {}\n", made.text);
    return false;
  }
  // One coupon per customer, issued in commands of at most kMaxCouponIssuePerCommand; a
  // command's coupons get consecutive ids from Reply::value.
  world->coupons.resize(options.customers);
  SetUpBatch issue(engine);
  for (size_t first_index = 0; first_index < options.customers;
       first_index += engine::kMaxCouponIssuePerCommand) {
    const size_t end =
        std::min<size_t>(options.customers, first_index + engine::kMaxCouponIssuePerCommand);
    engine::IssueCoupons command{world->staff, made.value, {}};
    command.customer_ids.assign(world->customers.begin() + first_index,
                                world->customers.begin() + end);
    issue.Submit(std::move(command), [world, first_index, end](uint64_t, const engine::Reply& r) {
      for (size_t i = first_index; i < end; i++) world->coupons[i] = r.value + (i - first_index);
    });
  }
  return issue.Wait("issuing coupons");
}

// Outcomes of the measured payments, by the state the engine answered.
struct Outcomes {
  std::atomic<uint64_t> completed{0}, held{0}, refused{0}, failed{0};
};

}  // namespace

int RunDouble11Bench(const Double11BenchOptions& options) {
  if (options.customers == 0 || options.merchants == 0 || options.payments == 0) {
    fmt::print(stderr, "bench: customers, merchants and payments must be positive\n");
    return 2;
  }
  std::string data_dir = options.data_dir;
  const bool temporary = data_dir.empty();
  if (temporary) {
    data_dir = (std::filesystem::temp_directory_path() / fmt::format("qianbao-d11-{}", ::getpid()))
                   .string();
    std::filesystem::remove_all(data_dir);
  }
  std::unique_ptr<Store> store;
  if (Status s = OpenSqliteStore(data_dir, &store); !s.ok()) {
    fmt::print(stderr, "bench: {}\n", s.ToString());
    return 2;
  }
  SystemClock clock;
  engine::EngineOptions engine_options;
  engine_options.queue_capacity = options.max_outstanding + 16'384;
  engine_options.max_batch_commands = options.max_batch_commands;
  engine_options.project = options.project;
  engine_options.checkpoint_every_commands = 0;
  engine_options.checkpoint_on_stop = false;
  // With points, a customer's first payment opens their points account too.
  engine_options.reserve_accounts =
      (options.points ? 2 : 1) * options.customers + options.merchants + 16;
  engine_options.reserve_transfers = 2 * options.customers + 5 * options.payments + 16;
  engine_options.reserve_payments = options.payments + 16;
  std::unique_ptr<engine::Engine> engine;
  if (Status s = engine::Engine::Open(store.get(), &clock, engine_options, nullptr, &engine);
      !s.ok()) {
    fmt::print(stderr, "bench: {}\n", s.ToString());
    return 2;
  }
  fmt::print(
      "bench double11: {} customers (tier I, funded), {} merchants, 3 live campaigns (首单立减 "
      "¥5, 满100减10 coupon for everyone, 2% cashback), points {}, risk rules {}; {} "
      "scan-to-pay payments "
      "of ¥1–¥500, durable (SQLite FULL), read models {}\n",
      options.customers, options.merchants, options.points ? "at 1 pt/¥" : "off",
      options.risk ? "on (default set)" : "off", options.payments, options.project ? "on" : "off");
  fmt::print("  allocator: {}\n", MallocDescription());
  const int64_t setup_start = MonotonicNowNs();
  const int64_t now_s = clock.NowNs() / 1'000'000'000;
  World world;
  if (!SetUpPeople(engine.get(), options, &world)) return 2;
  if (!SetUpMarketing(engine.get(), options, now_s, &world)) return 2;
  if (options.risk) {
    engine::Reply rules =
        engine->Execute(engine::SetRiskRules{world.staff, false, risk::DefaultRuleSet()});
    if (rules.results.empty() || rules.results[0] != 0) {
      fmt::print(stderr, "bench: installing the default risk rules failed: {}\n", rules.text);
      return 2;
    }
  }
  for (engine::EngineStats stats = engine->stats();
       options.project && stats.projected_seq < stats.durable_seq; stats = engine->stats()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  fmt::print("  set-up: {:.1f} s\n", (MonotonicNowNs() - setup_start) * 1e-9);

  std::vector<int64_t> latencies_ns(options.payments);
  InFlightWindow window(options.max_outstanding);
  Outcomes outcomes;
  Rng rng(options.seed);
  const int64_t start_ns = MonotonicNowNs();
  std::atomic<bool> running{true};
  std::thread progress([&] {
    while (options.progress && running.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      const uint64_t done = window.acknowledged();
      DrawProgress(done, options.payments, done / ((MonotonicNowNs() - start_ns) * 1e-9));
    }
  });
  for (uint64_t i = 0; i < options.payments; i++) {
    window.WaitForRoom(i);  // Sleeps, never spins: it shares the two cores with the engine.
    const size_t who = rng.Below(options.customers);
    engine::Pay pay;
    pay.payment_id = i + 1;
    pay.customer_id = world.customers[who];
    pay.merchant_id = world.merchants[rng.Below(options.merchants)];
    pay.amount_fen = 100 + static_cast<int64_t>(rng.Below(49'901));  // ¥1–¥500
    pay.channel = payments::PaymentChannel::kStaticQr;
    pay.auth.strength = identity::AuthStrength::kDeviceSignature;
    pay.coupon_id = world.coupons[who];  // used once, where it fits; ignored afterwards
    const int64_t submitted_ns = MonotonicNowNs();
    engine->Submit(std::move(pay), [&, i, submitted_ns](engine::Reply&& reply) {
      latencies_ns[i] = MonotonicNowNs() - submitted_ns;
      if (reply.status != engine::ReplyStatus::kOk || reply.results.empty()) {
        outcomes.failed.fetch_add(1, std::memory_order_relaxed);
      } else if (reply.results[0] != 0) {
        outcomes.refused.fetch_add(1, std::memory_order_relaxed);
      } else if (reply.text == "completed") {
        outcomes.completed.fetch_add(1, std::memory_order_relaxed);
      } else {
        outcomes.held.fetch_add(1, std::memory_order_relaxed);
      }
      window.Acknowledge();
    });
  }
  window.WaitForAll(options.payments);
  const double seconds = (MonotonicNowNs() - start_ns) * 1e-9;
  running = false;
  progress.join();
  if (options.progress) fmt::print(stderr, "\n");

  // The money checks: the ledger balances, no budget went negative, and each campaign's book
  // spend is exactly what left its budget account.
  std::optional<std::string> violation;
  std::vector<std::string> problems;
  struct Spend {
    const char* name;
    uint64_t id;
    int64_t spent, rewarded;
  };
  std::vector<Spend> spends = {{"首单立减", world.first_order, 0, 0},
                               {"满100减10", world.coupon_campaign, 0, 0},
                               {"2% cashback", world.cashback, 0, 0}};
  int64_t coupons_redeemed = 0;
  int64_t points_issued = 0;
  engine->Execute(engine::Query{[&](const engine::StateMachine& state) {
    violation = state.ledger().CheckInvariants();
    if (const auto pool = state.ledger().FindAccount(engine::kPointsPoolAccountId)) {
      points_issued = pool->debits_posted - pool->credits_posted;
    }
    for (Spend& spend : spends) {
      const marketing::CampaignState* c = state.campaigns().FindCampaign(spend.id);
      const auto budget = state.ledger().FindAccount(engine::kCampaignBudgetAccountBase + spend.id);
      if (c == nullptr || !budget) {
        problems.push_back(fmt::format("{}: missing", spend.name));
        continue;
      }
      spend.spent = c->spend.spent_total_fen;
      spend.rewarded = c->spend.rewarded_payments;
      if (budget->CreditBalance() < 0) problems.push_back(fmt::format("{}: negative", spend.name));
      if (budget->CreditBalance() != c->campaign.caps.budget_total_fen - spend.spent) {
        problems.push_back(fmt::format("{}: budget account {} != budget {} - spent {}", spend.name,
                                       budget->CreditBalance(), c->campaign.caps.budget_total_fen,
                                       spend.spent));
      }
    }
    for (uint64_t coupon : world.coupons) {
      const marketing::Coupon* found = state.campaigns().coupons().FindCoupon(coupon);
      if (found != nullptr && found->state == marketing::CouponState::kRedeemed) coupons_redeemed++;
    }
  }});
  const engine::EngineStats stats = engine->stats();
  engine->Stop();
  std::sort(latencies_ns.begin(), latencies_ns.end());
  const double rate = options.payments / seconds;
  fmt::print(
      "  payments: {} in {:.2f} s: {} completed, {} held (step-up or review), {} refused, "
      "{} failed\n",
      options.payments, seconds, outcomes.completed.load(), outcomes.held.load(),
      outcomes.refused.load(), outcomes.failed.load());
  fmt::print("  throughput: {:.0f} payments/s (durable, acknowledged)\n", rate);
  fmt::print("  ack latency: p50 {:.2f} ms, p99 {:.2f} ms, p999 {:.2f} ms\n",
             Percentile(latencies_ns, 0.50) * 1e-6, Percentile(latencies_ns, 0.99) * 1e-6,
             Percentile(latencies_ns, 0.999) * 1e-6);
  for (const Spend& spend : spends) {
    fmt::print("  campaign {}: {} rewarded payments, {} fen spent\n", spend.name, spend.rewarded,
               spend.spent);
  }
  fmt::print("  coupons redeemed: {} of {}\n", coupons_redeemed, world.coupons.size());
  fmt::print("  points issued: {}\n", points_issued);
  fmt::print("  journal batches: {}\n", stats.durable_seq);
  fmt::print("  ledger invariants: {}; budgets: {}\n", violation ? *violation : "hold",
             problems.empty() ? "never negative, book = ledger" : problems.front());
  fmt::print(
      "RESULT double11_payments_per_second={:.0f} p50_ms={:.3f} p99_ms={:.3f} completed={} "
      "held={} refused={} failed={}\n",
      rate, Percentile(latencies_ns, 0.50) * 1e-6, Percentile(latencies_ns, 0.99) * 1e-6,
      outcomes.completed.load(), outcomes.held.load(), outcomes.refused.load(),
      outcomes.failed.load());
  store.reset();
  if (temporary) std::filesystem::remove_all(data_dir);
  return (violation || !problems.empty() || outcomes.failed.load() != 0) ? 1 : 0;
}

}  // namespace qb::cli
