// RiskEngine: the deterministic heart of the real-time risk check. The single engine thread
// calls it for every registration, payment, transfer, top-up, withdrawal, coupon claim and
// reward, before any money moves:
//
//   const Decision& decision = risk.Evaluate(payment, now_s);   // features -> rules -> verdict
//   ... the engine acts on decision.verdict / decision.deny_reward ...
//   risk.Record(payment, now_s, Outcome::kCompleted);           // then the state learns
//
// Evaluate reads the incremental state (velocity tables per kind of entity, amount statistics,
// customer profiles, device/payee/card relations, the referral graph, block/allow lists), fills
// the feature vector named by Schema() (risk_features.h), and runs the active RuleSet; when a
// shadow RuleSet is set it runs too, and its Decision is reported by shadow_decision() but never
// enforced. Evaluate changes no state: evaluating twice gives the same decision.
//
// Record updates the state once the engine knows what happened (risk_events.h, Outcome): an
// attempt always counts in velocity counts, while only completed events add amounts, amount
// statistics, known payees and the customer's last-activity time. So a denied spree still
// looks like a spree to the next attempt, and a denied first transfer to a payee leaves the
// payee new. Record does not depend on Evaluate having been called.
//
// Deterministic: no clock, no randomness, no I/O. Time is the caller's (unix seconds, never
// going backwards). The same sequence of Record calls gives the same state, byte for byte
// (Serialize, StateHash), and the same state and event give the same decision. Hash-table
// iteration order is never observed; eviction follows LRU order, which the calls fix.
//
// Bounded: every table has a capacity (RiskEngineLimits); when full, the entry touched least
// recently is forgotten. Forgetting only makes an entity look new.
//
// Rule sets are configuration, not state: they are not serialized; the engine sets them again
// after loading a checkpoint (rule-set changes as journaled engine commands are future work).
//
// Evaluate computes only the features the installed rule sets read (all of them while none is
// installed); the others read 0 in features(). Record always keeps every feature's state, so a
// rule set installed later sees full history.
//
// Allocation: Evaluate allocates nothing (the decisions are reserved when rules are set).
// Record allocates only while a table grows towards its capacity.
//
// Thread-safety: none. The engine thread owns it.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "base/digest.h"
#include "base/status.h"
#include "risk/amount_stats.h"
#include "risk/expression.h"
#include "risk/lists.h"
#include "risk/lru_table.h"
#include "risk/risk_events.h"
#include "risk/risk_features.h"
#include "risk/rule_set.h"
#include "risk/velocity.h"

namespace qb::risk {

// Capacities of the state's tables, in entries. For() sizes them for a customer base.
struct RiskEngineLimits {
  size_t customers = 1 << 16;   // profiles and customer velocity
  size_t devices = 1 << 16;     // device info and device velocity
  size_t ips = 1 << 16;         // IP velocity
  size_t cards = 1 << 16;       // card velocity
  size_t merchants = 1 << 14;   // merchant velocity and amount statistics
  size_t payees = 1 << 16;      // payee velocity
  size_t counters = 1 << 18;    // the auxiliary counters (registrations, failures, claims...)
  size_t relations = 1 << 19;   // customer-device, -payee, -card and -merchant pairs
  size_t identities = 1 << 16;  // accounts per identity
  size_t list_entries = 1 << 16;

  static RiskEngineLimits For(size_t customers);
};

class RiskEngine {
 public:
  static constexpr int64_t kAmountStatsMinSamples = 5;
  static constexpr int kMaxReferralDepth = 4;

  explicit RiskEngine(const RiskEngineLimits& limits = RiskEngineLimits{});

  // Every feature rules may name, at slot = static_cast<uint32_t>(Feature).
  static const FeatureSchema& Schema();

  // Compiles and installs the active rule set. kInvalidArgument (the rule set's message) leaves
  // the previous one in place. Until a rule set is set, every decision is allow.
  Status SetRules(RuleSetSpec spec);
  // Installs a candidate rule set evaluated beside the active one and never enforced.
  Status SetShadowRules(RuleSetSpec spec);
  void ClearShadowRules();

  // The decision for an event at `now_s`; valid until the next Evaluate.
  const Decision& Evaluate(const RiskEvent& event, int64_t now_s);
  // The active rule set's decision for the last Evaluate (what Evaluate returned).
  const Decision& last_decision() const { return active_decision_; }
  // Evaluate calls so far, so a caller can tell whether an event was evaluated since it last
  // looked. Not state: neither serialized nor hashed.
  uint64_t evaluations() const { return evaluations_; }
  // The shadow rule set's decision for the last Evaluate; nullptr when none is set.
  const Decision* shadow_decision() const;

  // Learns from an event and its outcome.
  void Record(const RiskEvent& event, int64_t now_s, Outcome outcome);

  // Cache hints for a payment about to be evaluated: PrefetchIndex starts loading where its
  // entries are indexed, PrefetchEntries (a little later, once those have arrived) the entries
  // themselves. A caller that knows its next payments early (the engine, a batch ahead) issues
  // them while it works on the current one. Evaluate does not issue them itself: by then it is
  // too late to hide the misses, and inside the engine they would only repeat the engine's
  // look-ups. Fields left 0 are skipped. They change nothing.
  void PrefetchIndex(const Payment& event) const;
  void PrefetchEntries(const Payment& event) const;

  // Forgets velocity entries that are empty at `now_s` (cheap; call it now and then).
  void Advance(int64_t now_s);

  // The feature vector of the last Evaluate, by slot (0 for a feature no installed rule reads;
  // every feature while no rule set is installed).
  std::span<const int64_t> features() const { return features_; }
  int64_t feature(Feature feature) const { return features_[static_cast<size_t>(feature)]; }
  // Whether an installed rule set reads `feature` (every feature while none is installed), so a
  // caller can skip computing an event field nobody reads.
  bool Reads(Feature feature) const { return Needs(feature); }

  // A readable account of the last active decision (or the shadow one).
  std::string Explain(bool shadow = false) const;
  const RuleSet* rules() const { return active_ ? &*active_ : nullptr; }
  const RuleSet* shadow_rules() const { return shadow_ ? &*shadow_ : nullptr; }
  const SymbolTable& symbols() const { return symbols_; }

  RiskLists& lists() { return lists_; }
  const RiskLists& lists() const { return lists_; }

  // The state (not the rule sets) as bytes, with a grammar in risk_engine_codec.cc.
  void Serialize(std::string* out) const;
  // Replaces the state with the one in `bytes`; kCorruption leaves the engine unchanged.
  Status Deserialize(std::string_view bytes);
  // BLAKE2b-256 of Serialize's bytes.
  Digest StateHash() const;

  // State entries, for tests and memory accounting.
  // The depth of the nearest inviter in the chain above `inviter` (1: the inviter itself, 2: its
  // inviter...) that used `device` or registered with `identity`; 0 when none within
  // kMaxReferralDepth. The engine refuses a referral whose invitee signs up or pays on a
  // device the inviter used (depth 1).
  int64_t ReferralChainDepth(uint64_t inviter, uint64_t device, uint64_t identity) const;
  size_t profile_count() const { return state_.profiles.size(); }
  size_t relation_count() const { return state_.relations.size(); }

  // What the engine keeps per customer; public for the codec and tests only.
  struct Profile {
    int64_t registered_at_s = 0;  // or first seen
    int64_t last_money_s = 0;     // last completed payment, transfer or withdrawal; 0 none
    uint64_t inviter = 0;
    uint64_t identity = 0;
    int64_t devices = 0;
    int64_t reg_device_accounts = 0;
    int64_t reg_chain_depth = 0;
    int64_t reg_identity_accounts = 0;
    int64_t reg_inviter_age_days = -1;  // -1: registered without an inviter
    int64_t reg_ip_registrations_1h = 0;
    bool operator==(const Profile&) const = default;
  };
  struct DeviceInfo {
    int64_t accounts = 0;
    bool operator==(const DeviceInfo&) const = default;
  };
  struct IdentityInfo {
    int64_t accounts = 0;
    bool operator==(const IdentityInfo&) const = default;
  };
  // A pair (customer and device, payee, card or merchant). Money over the last 15 to 30 days
  // is kept in two tumbling 15-day epochs, a cheap stand-in for a velocity table per pair.
  struct Relation {
    int64_t first_s = 0;
    int64_t last_s = 0;
    int64_t epoch = 0;
    int64_t count = 0;
    int64_t amount_fen = 0;
    int64_t previous_count = 0;
    int64_t previous_amount_fen = 0;
    bool operator==(const Relation&) const = default;
  };

 private:
  struct State {
    explicit State(const RiskEngineLimits& limits);
    LruTable<Profile> profiles;
    LruTable<DeviceInfo> devices;
    LruTable<IdentityInfo> identities;
    LruTable<Relation> relations;
    VelocityTable customer_velocity;
    VelocityTable device_velocity;
    VelocityTable ip_velocity;
    VelocityTable card_velocity;
    VelocityTable merchant_velocity;
    VelocityTable payee_velocity;
    VelocityTable counters;  // keyed by CounterKey(kind, id): see risk_engine.cc
    AmountStatsTable customer_amounts;
    AmountStatsTable merchant_amounts;
  };

  void Fill(const Registration& event, int64_t now_s);
  void Fill(const Login& event, int64_t now_s);
  void Fill(const Payment& event, int64_t now_s);
  void Fill(const Transfer& event, int64_t now_s);
  void Fill(const TopUp& event, int64_t now_s);
  void Fill(const Withdrawal& event, int64_t now_s);
  void Fill(const CouponClaim& event, int64_t now_s);
  void Fill(const Reward& event, int64_t now_s);

  // Calls hint(table, key) for each entry a payment reads and updates.
  template <typename Hint>
  void ForEachEntry(const Payment& event, Hint&& hint) const;
  void PrefetchNeighbors(const Payment& event) const;

  void FillCustomer(uint64_t customer, int64_t now_s);
  void FillDevice(uint64_t customer, uint64_t device, int64_t now_s);
  void FillIp(uint64_t ip, int64_t now_s);
  void FillCard(uint64_t customer, uint64_t card, int64_t now_s);
  void FillMerchant(uint64_t customer, uint64_t merchant, int64_t amount_fen, int64_t now_s);
  void FillPayee(uint64_t customer, uint64_t payee, int64_t now_s);
  void FillAmountStats(Feature z_feature, Feature samples_feature, const AmountStatsTable& table,
                       uint64_t key, int64_t amount_fen);
  void FillVelocity(Feature first, const VelocityTable& table, uint64_t key, int64_t now_s);
  void FillCounter(Feature feature, uint8_t kind, uint64_t id, Window window, int64_t now_s);
  void FillBlocked(std::initializer_list<std::pair<EntityKind, uint64_t>> entities, int64_t now_s);
  void Set(Feature feature, int64_t value) { features_[static_cast<size_t>(feature)] = value; }
  void UpdateNeededFeatures();
  bool Needs(Feature feature) const { return needed_[static_cast<size_t>(feature)]; }
  bool NeedsAny(Feature first, size_t count) const;

  void Learn(const Registration& event, int64_t now_s, Outcome outcome);
  void Learn(const Login& event, int64_t now_s, Outcome outcome);
  void Learn(const Payment& event, int64_t now_s, Outcome outcome);
  void Learn(const Transfer& event, int64_t now_s, Outcome outcome);
  void Learn(const TopUp& event, int64_t now_s, Outcome outcome);
  void Learn(const Withdrawal& event, int64_t now_s, Outcome outcome);
  void Learn(const CouponClaim& event, int64_t now_s, Outcome outcome);
  void Learn(const Reward& event, int64_t now_s, Outcome outcome);

  Profile& TouchProfile(uint64_t customer, int64_t now_s);
  // Records that `customer` used `device`; true when the pair is new.
  bool TouchDevice(uint64_t customer, uint64_t device, int64_t now_s);
  // Adds to the relation of kind `kind`; true when the pair is new.
  bool TouchRelation(uint8_t kind, uint64_t customer, uint64_t other, int64_t now_s,
                     int64_t amount_fen);
  const Relation* FindRelation(uint8_t kind, uint64_t customer, uint64_t other) const;
  void Count(uint8_t kind, uint64_t id, int64_t now_s, int64_t amount_fen = 0);

  RiskEngineLimits limits_;
  State state_;
  RiskLists lists_;
  SymbolTable symbols_;
  std::array<int64_t, std::variant_size_v<RiskEvent>> event_symbols_{};
  std::array<int64_t, kPaymentChannelCount> channel_symbols_{};
  std::optional<RuleSet> active_;
  std::optional<RuleSet> shadow_;
  Decision active_decision_;
  Decision shadow_decision_;
  uint64_t evaluations_ = 0;
  std::array<int64_t, kFeatureCount> features_{};
  std::array<bool, kFeatureCount> needed_;  // see UpdateNeededFeatures
};

}  // namespace qb::risk
