#include "risk/risk_engine.h"

#include <algorithm>
#include <utility>

#include "base/assert.h"
#include "risk/risk_engine_internal.h"

namespace qb::risk {

using namespace engine_internal;  // NOLINT(google-build-using-namespace): this module's own

namespace {

constexpr int64_t kMilli = 1000;

// The relation's count and amount over the last 15 to 30 days.
std::pair<int64_t, int64_t> Relation30d(const RiskEngine::Relation& relation, int64_t now_s) {
  const int64_t epoch = now_s / kRelationEpochS;
  if (epoch == relation.epoch) {
    return {relation.count + relation.previous_count,
            relation.amount_fen + relation.previous_amount_fen};
  }
  if (epoch == relation.epoch + 1) return {relation.count, relation.amount_fen};
  return {0, 0};
}

// Percent a / b, 0 when b is 0; both are non-negative sums of fen below 2^63 / 100 in practice,
// and the division is done first when a product could overflow.
int64_t Percent(int64_t part, int64_t whole) {
  if (whole <= 0) return 0;
  if (part > INT64_MAX / 100) return part / (whole / 100 + 1);
  return part * 100 / whole;
}

}  // namespace

RiskEngineLimits RiskEngineLimits::For(size_t customers) {
  const size_t n = std::clamp<size_t>(customers, 64, size_t{1} << 24);
  RiskEngineLimits limits;
  limits.customers = n + n / 4;
  limits.devices = n + n / 2;
  limits.ips = n;
  limits.cards = n + n / 2;
  limits.merchants = std::max<size_t>(n / 4, 1024);
  limits.payees = n;
  limits.counters = 4 * n;
  limits.relations = 16 * n;
  limits.identities = n + n / 4;
  limits.list_entries = std::max<size_t>(n / 16, 1024);
  return limits;
}

RiskEngine::State::State(const RiskEngineLimits& limits)
    : profiles(limits.customers),
      devices(limits.devices),
      identities(limits.identities),
      relations(limits.relations),
      customer_velocity(limits.customers),
      device_velocity(limits.devices),
      ip_velocity(limits.ips),
      card_velocity(limits.cards),
      merchant_velocity(limits.merchants),
      payee_velocity(limits.payees),
      counters(limits.counters),
      customer_amounts(limits.customers, RiskEngine::kAmountStatsMinSamples),
      merchant_amounts(limits.merchants, RiskEngine::kAmountStatsMinSamples) {}

RiskEngine::RiskEngine(const RiskEngineLimits& limits)
    : limits_(limits), state_(limits), lists_(limits.list_entries) {
  needed_.fill(true);
  // Interned first, in a fixed order, so their codes never depend on the rules' literals.
  for (size_t i = 0; i < event_symbols_.size(); ++i) {
    event_symbols_[i] = *symbols_.Intern(kEventNames[i]);
  }
  for (size_t i = 0; i < kPaymentChannelCount; ++i) {
    channel_symbols_[i] = *symbols_.Intern(kChannelNames[i]);
  }
}

const FeatureSchema& RiskEngine::Schema() {
  static const FeatureSchema schema = [] {
    FeatureSchema built;
    for (size_t slot = 0; slot < kFeatureCount; ++slot) {
      uint32_t added = 0;
      const Status status = built.Add(kFeatureInfos[slot].name, kFeatureInfos[slot].type, &added);
      QB_ASSERT(status.ok() && added == slot);
    }
    return built;
  }();
  return schema;
}

Status RiskEngine::SetRules(RuleSetSpec spec) {
  RuleSet set;
  if (Status status = RuleSet::Compile(std::move(spec), Schema(), &symbols_, &set); !status.ok()) {
    return status;
  }
  active_decision_ = set.NewDecision();
  active_ = std::move(set);
  UpdateNeededFeatures();
  return Status::Ok();
}

Status RiskEngine::SetShadowRules(RuleSetSpec spec) {
  RuleSet set;
  if (Status status = RuleSet::Compile(std::move(spec), Schema(), &symbols_, &set); !status.ok()) {
    return status;
  }
  shadow_decision_ = set.NewDecision();
  shadow_ = std::move(set);
  UpdateNeededFeatures();
  return Status::Ok();
}

void RiskEngine::ClearShadowRules() {
  shadow_.reset();
  shadow_decision_ = Decision{};
  UpdateNeededFeatures();
}

// The features the installed rule sets read (every feature when none is installed, so that
// features() shows them all). Evaluate skips the look-ups no rule needs.
void RiskEngine::UpdateNeededFeatures() {
  const bool any_rules = active_.has_value() || shadow_.has_value();
  needed_.fill(!any_rules);
  for (const std::optional<RuleSet>* set : {&active_, &shadow_}) {
    if (!set->has_value()) continue;
    for (size_t i = 0; i < (*set)->rule_count(); ++i) {
      SymbolTable scratch;
      CompiledExpression expression;
      const Status status =
          CompiledExpression::Compile((*set)->rule(i).expression, Schema(), &scratch, &expression);
      QB_ASSERT(status.ok());  // it compiled when the set was installed
      for (const uint32_t slot : expression.referenced_slots()) needed_[slot] = true;
    }
  }
  // The share is computed from the merchant's takings.
  if (Needs(Feature::kMerchantCustomerSharePct)) {
    needed_[static_cast<size_t>(Feature::kMerchantAmount30d)] = true;
  }
}

bool RiskEngine::NeedsAny(Feature first, size_t count) const {
  const auto begin = static_cast<size_t>(first);
  for (size_t slot = begin; slot < begin + count; ++slot) {
    if (needed_[slot]) return true;
  }
  return false;
}

const Decision& RiskEngine::Evaluate(const RiskEvent& event, int64_t now_s) {
  QB_ASSERT(now_s >= 0 && now_s <= VelocityTable::kMaxTimeS);
  evaluations_++;
  features_.fill(0);
  Set(Feature::kEvent, event_symbols_[event.index()]);
  std::visit([&](const auto& e) { Fill(e, now_s); }, event);
  if (active_) {
    active_->Evaluate(features_, now_s, &active_decision_);
  } else {
    active_decision_ = Decision{};
    active_decision_.evaluated_at_s = now_s;
  }
  if (shadow_) shadow_->Evaluate(features_, now_s, &shadow_decision_);
  return active_decision_;
}

const Decision* RiskEngine::shadow_decision() const {
  return shadow_ ? &shadow_decision_ : nullptr;
}

std::string RiskEngine::Explain(bool shadow) const {
  if (shadow) return shadow_ ? shadow_->Explain(shadow_decision_, &symbols_) : "no shadow rules";
  return active_ ? active_->Explain(active_decision_, &symbols_) : "no rules: allow";
}

void RiskEngine::Advance(int64_t now_s) {
  for (VelocityTable* table :
       {&state_.customer_velocity, &state_.device_velocity, &state_.ip_velocity,
        &state_.card_velocity, &state_.merchant_velocity, &state_.payee_velocity,
        &state_.counters}) {
    table->Advance(now_s);
  }
}

// Features --------------------------------------------------------------------------------------

void RiskEngine::FillVelocity(Feature first, const VelocityTable& table, uint64_t key,
                              int64_t now_s) {
  if (key == 0 || !NeedsAny(first, 2 * kWindowCount)) return;
  const VelocityTotals totals = table.Query(key, now_s);
  const auto slot = static_cast<size_t>(first);
  for (size_t w = 0; w < kWindowCount; ++w) {
    features_[slot + w] = totals.windows[w].count;
    features_[slot + kWindowCount + w] = totals.windows[w].amount_fen;
  }
}

void RiskEngine::FillCounter(Feature feature, uint8_t kind, uint64_t id, Window window,
                             int64_t now_s) {
  if (id == 0 || !Needs(feature)) return;
  Set(feature, state_.counters.Query(MixKey(kind, id), now_s)[window].count);
}

void RiskEngine::FillBlocked(std::initializer_list<std::pair<EntityKind, uint64_t>> entities,
                             int64_t now_s) {
  for (const auto& [kind, key] : entities) {
    if (key != 0 && lists_.IsBlocked(kind, key, now_s)) {
      Set(Feature::kBlocked, 1);
      return;
    }
  }
}

void RiskEngine::FillCustomer(uint64_t customer, int64_t now_s) {
  FillVelocity(Feature::kCustomerCount1m, state_.customer_velocity, customer, now_s);
  Set(Feature::kCustomerAllowed, lists_.IsAllowed(EntityKind::kCustomer, customer, now_s));
  Set(Feature::kCustomerRegInviterAgeDays, -1);
  const Profile* profile = state_.profiles.Find(customer);
  if (profile == nullptr) return;
  Set(Feature::kCustomerAgeDays, Days(now_s - profile->registered_at_s));
  const int64_t active_s =
      profile->last_money_s != 0 ? profile->last_money_s : profile->registered_at_s;
  Set(Feature::kCustomerIdleDays, Days(now_s - active_s));
  Set(Feature::kCustomerDevices, profile->devices);
  Set(Feature::kCustomerRegDeviceAccounts, profile->reg_device_accounts);
  Set(Feature::kCustomerRegChainDepth, profile->reg_chain_depth);
  Set(Feature::kCustomerRegIdentityAccounts, profile->reg_identity_accounts);
  Set(Feature::kCustomerRegInviterAgeDays, profile->reg_inviter_age_days);
  Set(Feature::kCustomerRegIpRegistrations1h, profile->reg_ip_registrations_1h);
}

// The z-score the way AmountStatsTable::ZScoreMilli computes it, from one Summary call (one
// square root) that also gives the sample count.
void RiskEngine::FillAmountStats(Feature z_feature, Feature samples_feature,
                                 const AmountStatsTable& table, uint64_t key, int64_t amount_fen) {
  if (!Needs(z_feature) && (samples_feature == Feature::kCount || !Needs(samples_feature))) {
    return;
  }
  const AmountSummary summary = table.Summary(key);
  if (samples_feature != Feature::kCount) Set(samples_feature, summary.samples);
  if (summary.samples < kAmountStatsMinSamples) return;
  const int64_t stddev = std::max(summary.stddev_milli_fen, kMilli);
  Set(z_feature, (ClampAmount(amount_fen) * kMilli - summary.mean_milli_fen) * kMilli / stddev);
}

void RiskEngine::FillDevice(uint64_t customer, uint64_t device, int64_t now_s) {
  if (device == 0 || !NeedsAny(Feature::kDeviceAccounts, 3)) return;
  static_assert(static_cast<size_t>(Feature::kDeviceCustomerDays) ==
                static_cast<size_t>(Feature::kDeviceAccounts) + 2);
  if (const DeviceInfo* info = state_.devices.Find(device)) {
    Set(Feature::kDeviceAccounts, info->accounts);
  }
  const Relation* relation = FindRelation(kCustomerDevice, customer, device);
  const int64_t first_s = relation != nullptr ? relation->first_s : now_s;
  Set(Feature::kDeviceCustomerDays, Days(now_s - first_s));
  const Profile* profile = state_.profiles.Find(customer);
  const bool customer_old = profile != nullptr && now_s - profile->registered_at_s >= kDayS;
  Set(Feature::kDeviceNewForCustomer, customer_old && now_s - first_s < kDayS);
}

void RiskEngine::FillIp(uint64_t ip, int64_t now_s) {
  FillVelocity(Feature::kIpCount1m, state_.ip_velocity, ip, now_s);
}

void RiskEngine::FillCard(uint64_t customer, uint64_t card, int64_t now_s) {
  if (card == 0) return;
  FillVelocity(Feature::kCardCount1m, state_.card_velocity, card, now_s);
  FillCounter(Feature::kCardFailed24h, kFailedTopUpsByCard, card, Window::k24Hours, now_s);
  if (Needs(Feature::kCardNewForCustomer)) {
    Set(Feature::kCardNewForCustomer, FindRelation(kCustomerCard, customer, card) == nullptr);
  }
  FillCounter(Feature::kCustomerNewCards24h, kNewCardsByCustomer, customer, Window::k24Hours,
              now_s);
}

void RiskEngine::FillMerchant(uint64_t customer, uint64_t merchant, int64_t amount_fen,
                              int64_t now_s) {
  if (merchant == 0) return;
  const bool share = Needs(Feature::kMerchantCustomerSharePct);
  FillVelocity(Feature::kMerchantCount1m, state_.merchant_velocity, merchant, now_s);
  FillAmountStats(Feature::kMerchantAmountZ, Feature::kCount, state_.merchant_amounts, merchant,
                  amount_fen);
  FillCounter(Feature::kMerchantCustomers30d, kNewCustomersByMerchant, merchant, Window::k30Days,
              now_s);
  if (!share && !Needs(Feature::kMerchantCustomerCount30d)) return;
  if (const Relation* relation = FindRelation(kCustomerMerchant, customer, merchant)) {
    const auto [count, amount] = Relation30d(*relation, now_s);
    Set(Feature::kMerchantCustomerCount30d, count);
    Set(Feature::kMerchantCustomerSharePct, Percent(amount, feature(Feature::kMerchantAmount30d)));
  }
}

void RiskEngine::FillPayee(uint64_t customer, uint64_t payee, int64_t now_s) {
  if (payee == 0) return;
  FillVelocity(Feature::kPayeeCount1m, state_.payee_velocity, payee, now_s);
  if (Needs(Feature::kPayeeNewForCustomer)) {
    const Relation* relation = FindRelation(kCustomerPayee, customer, payee);
    Set(Feature::kPayeeNewForCustomer, relation == nullptr || relation->count == 0);
  }
  if (const Profile* profile = state_.profiles.Find(payee)) {
    Set(Feature::kPayeeAgeDays, Days(now_s - profile->registered_at_s));
    const int64_t active_s =
        profile->last_money_s != 0 ? profile->last_money_s : profile->registered_at_s;
    Set(Feature::kPayeeIdleDays, Days(now_s - active_s));
  }
  FillCounter(Feature::kPayeeNewSenders24h, kNewSendersByPayee, payee, Window::k24Hours, now_s);
}

// The depth of the nearest inviter (1: the inviter, 2: its inviter...) that used `device` or
// registered with `identity`; 0 when none within kMaxReferralDepth.
int64_t RiskEngine::ReferralChainDepth(uint64_t inviter, uint64_t device, uint64_t identity) const {
  uint64_t ancestor = inviter;
  for (int depth = 1; depth <= kMaxReferralDepth && ancestor != 0; ++depth) {
    const Profile* profile = state_.profiles.Find(ancestor);
    if (device != 0 && FindRelation(kCustomerDevice, ancestor, device) != nullptr) return depth;
    if (profile == nullptr) return 0;
    if (identity != 0 && profile->identity == identity) return depth;
    ancestor = profile->inviter;
  }
  return 0;
}

void RiskEngine::Fill(const Registration& event, int64_t now_s) {
  FillBlocked({{EntityKind::kCustomer, event.customer},
               {EntityKind::kDevice, event.device},
               {EntityKind::kIp, event.ip}},
              now_s);
  FillDevice(event.customer, event.device, now_s);
  if (event.device != 0) {
    const VelocityTotals registrations =
        state_.counters.Query(MixKey(kRegistrationsByDevice, event.device), now_s);
    Set(Feature::kDeviceRegistrations24h, registrations[Window::k24Hours].count);
    Set(Feature::kDeviceRegistrations30d, registrations[Window::k30Days].count);
    FillCounter(Feature::kDeviceInvitees30d, kInviteesByDevice, event.device, Window::k30Days,
                now_s);
  }
  if (event.ip != 0) {
    const VelocityTotals registrations =
        state_.counters.Query(MixKey(kRegistrationsByIp, event.ip), now_s);
    Set(Feature::kIpRegistrations1h, registrations[Window::k1Hour].count);
    Set(Feature::kIpRegistrations24h, registrations[Window::k24Hours].count);
  }
  if (event.phone != 0) {
    const VelocityTotals registrations =
        state_.counters.Query(MixKey(kRegistrationsByPhoneBlock, event.phone / 100), now_s);
    Set(Feature::kPhoneBlockRegistrations1h, registrations[Window::k1Hour].count);
    Set(Feature::kPhoneBlockRegistrations24h, registrations[Window::k24Hours].count);
  }
  if (event.identity != 0) {
    if (const IdentityInfo* info = state_.identities.Find(event.identity)) {
      Set(Feature::kIdentityAccounts, info->accounts);
    }
  }
  if (event.inviter != 0) {
    Set(Feature::kReferralHasInviter, 1);
    Set(Feature::kReferralChainDepth,
        ReferralChainDepth(event.inviter, event.device, event.identity));
    if (const Profile* inviter = state_.profiles.Find(event.inviter)) {
      Set(Feature::kReferralInviterAgeDays, Days(now_s - inviter->registered_at_s));
    }
    FillCounter(Feature::kReferralInviterInvitees24h, kInviteesByInviter, event.inviter,
                Window::k24Hours, now_s);
  }
}

void RiskEngine::Fill(const Login& event, int64_t now_s) {
  FillBlocked({{EntityKind::kCustomer, event.customer},
               {EntityKind::kDevice, event.device},
               {EntityKind::kIp, event.ip}},
              now_s);
  FillCustomer(event.customer, now_s);
  FillDevice(event.customer, event.device, now_s);
}

// A payment reads and then updates about a dozen entries of different tables, most of them
// cold for a random customer; looked up one after another, each costs a full memory latency.
// Asking for all of them first lets the misses overlap.
void RiskEngine::PrefetchIndex(const Payment& event) const {
  ForEachEntry(event, [](const auto& table, uint64_t key) { table.PrefetchIndex(key); });
}

void RiskEngine::PrefetchEntries(const Payment& event) const {
  ForEachEntry(event, [](const auto& table, uint64_t key) { table.PrefetchNode(key); });
}

template <typename Hint>
void RiskEngine::ForEachEntry(const Payment& event, Hint&& hint) const {
  const uint64_t customer_device = MixKey(MixKey(kCustomerDevice, event.customer), event.device);
  const uint64_t customer_merchant =
      MixKey(MixKey(kCustomerMerchant, event.customer), event.merchant);
  const uint64_t merchant_customers = MixKey(kNewCustomersByMerchant, event.merchant);
  hint(state_.customer_velocity, event.customer);
  hint(state_.profiles, event.customer);
  hint(state_.customer_amounts, event.customer);
  if (event.device != 0) {
    hint(state_.device_velocity, event.device);
    hint(state_.devices, event.device);
    hint(state_.relations, customer_device);
  }
  if (event.ip != 0) hint(state_.ip_velocity, event.ip);
  if (event.merchant != 0) {
    hint(state_.merchant_velocity, event.merchant);
    hint(state_.merchant_amounts, event.merchant);
    hint(state_.relations, customer_merchant);
    hint(state_.counters, merchant_customers);
  }
}

void RiskEngine::PrefetchNeighbors(const Payment& event) const {
  // Record moves each entry to the newest end of its table's LRU list, which rewrites the
  // entries beside it: start loading those while the rules run.
  state_.customer_velocity.PrefetchNeighbors(event.customer);
  state_.profiles.PrefetchNeighbors(event.customer);
  state_.customer_amounts.PrefetchNeighbors(event.customer);
  if (event.device != 0) {
    state_.device_velocity.PrefetchNeighbors(event.device);
    state_.relations.PrefetchNeighbors(
        MixKey(MixKey(kCustomerDevice, event.customer), event.device));
  }
  if (event.merchant != 0) {
    state_.relations.PrefetchNeighbors(
        MixKey(MixKey(kCustomerMerchant, event.customer), event.merchant));
  }
}

void RiskEngine::Fill(const Payment& event, int64_t now_s) {
  Set(Feature::kAmount, event.amount_fen);
  Set(Feature::kChannel,
      channel_symbols_[static_cast<size_t>(event.channel) % kPaymentChannelCount]);
  Set(Feature::kAuth, static_cast<int64_t>(event.auth));
  Set(Feature::kTier, event.tier);
  Set(Feature::kRewardPresent, event.reward_present);
  FillBlocked({{EntityKind::kCustomer, event.customer},
               {EntityKind::kDevice, event.device},
               {EntityKind::kIp, event.ip},
               {EntityKind::kMerchant, event.merchant}},
              now_s);
  FillCustomer(event.customer, now_s);
  FillAmountStats(Feature::kCustomerAmountZ, Feature::kCustomerAmountSamples,
                  state_.customer_amounts, event.customer, event.amount_fen);
  if (Needs(Feature::kCustomerTopUpAmount24h)) {
    Set(Feature::kCustomerTopUpAmount24h,
        state_.counters.Query(MixKey(kTopUpsByCustomer, event.customer), now_s)[Window::k24Hours]
            .amount_fen);
  }
  FillDevice(event.customer, event.device, now_s);
  FillVelocity(Feature::kDeviceCount1m, state_.device_velocity, event.device, now_s);
  FillIp(event.ip, now_s);
  FillMerchant(event.customer, event.merchant, event.amount_fen, now_s);
  PrefetchNeighbors(event);
}

void RiskEngine::Fill(const Transfer& event, int64_t now_s) {
  Set(Feature::kAmount, event.amount_fen);
  Set(Feature::kAuth, static_cast<int64_t>(event.auth));
  Set(Feature::kTier, event.tier);
  FillBlocked({{EntityKind::kCustomer, event.customer},
               {EntityKind::kDevice, event.device},
               {EntityKind::kIp, event.ip},
               {EntityKind::kPayee, event.payee}},
              now_s);
  FillCustomer(event.customer, now_s);
  FillAmountStats(Feature::kCustomerAmountZ, Feature::kCustomerAmountSamples,
                  state_.customer_amounts, event.customer, event.amount_fen);
  FillDevice(event.customer, event.device, now_s);
  FillVelocity(Feature::kDeviceCount1m, state_.device_velocity, event.device, now_s);
  FillIp(event.ip, now_s);
  FillPayee(event.customer, event.payee, now_s);
}

void RiskEngine::Fill(const TopUp& event, int64_t now_s) {
  Set(Feature::kAmount, event.amount_fen);
  FillBlocked({{EntityKind::kCustomer, event.customer},
               {EntityKind::kDevice, event.device},
               {EntityKind::kCard, event.card}},
              now_s);
  FillCustomer(event.customer, now_s);
  const VelocityTotals failed =
      state_.counters.Query(MixKey(kFailedTopUpsByCustomer, event.customer), now_s);
  Set(Feature::kCustomerFailedTopUps1h, failed[Window::k1Hour].count);
  Set(Feature::kCustomerFailedTopUps24h, failed[Window::k24Hours].count);
  if (Needs(Feature::kCustomerTopUpAmount24h)) {
    Set(Feature::kCustomerTopUpAmount24h,
        state_.counters.Query(MixKey(kTopUpsByCustomer, event.customer), now_s)[Window::k24Hours]
            .amount_fen);
  }
  FillDevice(event.customer, event.device, now_s);
  FillCard(event.customer, event.card, now_s);
}

void RiskEngine::Fill(const Withdrawal& event, int64_t now_s) {
  Set(Feature::kAmount, event.amount_fen);
  Set(Feature::kTier, event.tier);
  FillBlocked({{EntityKind::kCustomer, event.customer},
               {EntityKind::kDevice, event.device},
               {EntityKind::kIp, event.ip},
               {EntityKind::kCard, event.card}},
              now_s);
  FillCustomer(event.customer, now_s);
  FillDevice(event.customer, event.device, now_s);
  FillVelocity(Feature::kDeviceCount1m, state_.device_velocity, event.device, now_s);
  FillIp(event.ip, now_s);
  FillCard(event.customer, event.card, now_s);
}

void RiskEngine::Fill(const CouponClaim& event, int64_t now_s) {
  FillBlocked({{EntityKind::kCustomer, event.customer}, {EntityKind::kDevice, event.device}},
              now_s);
  FillCustomer(event.customer, now_s);
  FillDevice(event.customer, event.device, now_s);
  FillCounter(Feature::kDeviceClaims24h, kClaimsByDevice, event.device, Window::k24Hours, now_s);
  if (event.device != 0) {
    FillCounter(Feature::kDeviceCampaignClaims30d, kClaimsByDeviceCampaign,
                MixKey(event.device, event.campaign), Window::k30Days, now_s);
  }
}

void RiskEngine::Fill(const Reward& event, int64_t now_s) {
  Set(Feature::kAmount, event.amount_fen);
  FillBlocked({{EntityKind::kCustomer, event.customer}, {EntityKind::kDevice, event.device}},
              now_s);
  FillCustomer(event.customer, now_s);
  FillDevice(event.customer, event.device, now_s);
  FillCounter(Feature::kDeviceClaims24h, kClaimsByDevice, event.device, Window::k24Hours, now_s);
  FillCounter(Feature::kDeviceRewards30d, kRewardsByDevice, event.device, Window::k30Days, now_s);
  if (NeedsAny(Feature::kCustomerInvitees24h, 2)) {
    const VelocityTotals invitees =
        state_.counters.Query(MixKey(kInviteesByInviter, event.customer), now_s);
    Set(Feature::kCustomerInvitees24h, invitees[Window::k24Hours].count);
    Set(Feature::kCustomerInvitees30d, invitees[Window::k30Days].count);
  }
  Set(Feature::kInviteeRegInviterAgeDays, -1);
  if (event.invitee != 0) {
    if (const Profile* invitee = state_.profiles.Find(event.invitee)) {
      Set(Feature::kInviteeRegDeviceAccounts, invitee->reg_device_accounts);
      Set(Feature::kInviteeRegChainDepth, invitee->reg_chain_depth);
      Set(Feature::kInviteeRegInviterAgeDays, invitee->reg_inviter_age_days);
      Set(Feature::kInviteeRegIpRegistrations1h, invitee->reg_ip_registrations_1h);
    }
  }
}

}  // namespace qb::risk
