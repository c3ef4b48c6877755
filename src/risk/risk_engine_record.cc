// RiskEngine::Record: how each event changes the state (risk_engine.h says what counts).
#include <algorithm>

#include "base/assert.h"
#include "risk/risk_engine.h"
#include "risk/risk_engine_internal.h"

namespace qb::risk {

using namespace engine_internal;  // NOLINT(google-build-using-namespace): this module's own

void RiskEngine::Record(const RiskEvent& event, int64_t now_s, Outcome outcome) {
  QB_ASSERT(now_s >= 0 && now_s <= VelocityTable::kMaxTimeS);
  std::visit([&](const auto& e) { Learn(e, now_s, outcome); }, event);
}

RiskEngine::Profile& RiskEngine::TouchProfile(uint64_t customer, int64_t now_s) {
  bool created = false;
  Profile& profile = state_.profiles.Touch(customer, &created);
  if (created) profile.registered_at_s = now_s;
  return profile;
}

const RiskEngine::Relation* RiskEngine::FindRelation(uint8_t kind, uint64_t customer,
                                                     uint64_t other) const {
  return state_.relations.Find(MixKey(MixKey(kind, customer), other));
}

bool RiskEngine::TouchRelation(uint8_t kind, uint64_t customer, uint64_t other, int64_t now_s,
                               int64_t amount_fen) {
  bool created = false;
  Relation& relation = state_.relations.Touch(MixKey(MixKey(kind, customer), other), &created);
  if (created) {
    relation.first_s = now_s;
    relation.epoch = now_s / kRelationEpochS;
  }
  relation.last_s = now_s;
  const int64_t epoch = now_s / kRelationEpochS;
  if (epoch > relation.epoch) {
    const bool adjacent = epoch == relation.epoch + 1;
    relation.previous_count = adjacent ? relation.count : 0;
    relation.previous_amount_fen = adjacent ? relation.amount_fen : 0;
    relation.count = 0;
    relation.amount_fen = 0;
    relation.epoch = epoch;
  }
  if (amount_fen >= 0) {
    ++relation.count;
    relation.amount_fen = std::min(relation.amount_fen + ClampAmount(amount_fen),
                                   AmountStatsTable::kMaxAmountFen * 1000);
  }
  return created;
}

bool RiskEngine::TouchDevice(uint64_t customer, uint64_t device, int64_t now_s) {
  if (device == 0) return false;
  const bool created = TouchRelation(kCustomerDevice, customer, device, now_s, -1);
  if (!created) return false;
  bool new_device = false;
  ++state_.devices.Touch(device, &new_device).accounts;
  ++TouchProfile(customer, now_s).devices;
  return true;
}

void RiskEngine::Count(uint8_t kind, uint64_t id, int64_t now_s, int64_t amount_fen) {
  if (id == 0) return;
  state_.counters.Record(MixKey(kind, id), now_s, ClampAmount(amount_fen));
}

void RiskEngine::Learn(const Registration& event, int64_t now_s, Outcome outcome) {
  // Attempts count: a farm whose registrations are refused is still a farm.
  Count(kRegistrationsByDevice, event.device, now_s);
  Count(kRegistrationsByIp, event.ip, now_s);
  if (event.phone != 0) Count(kRegistrationsByPhoneBlock, event.phone / 100, now_s);
  if (outcome != Outcome::kCompleted) return;
  // The registration signals are kept with the profile, for the rewards that follow.
  const DeviceInfo* device = event.device != 0 ? state_.devices.Find(event.device) : nullptr;
  const IdentityInfo* identity =
      event.identity != 0 ? state_.identities.Find(event.identity) : nullptr;
  const int64_t device_accounts = device != nullptr ? device->accounts : 0;
  const int64_t identity_accounts = identity != nullptr ? identity->accounts : 0;
  const int64_t chain_depth =
      event.inviter != 0 ? ReferralChainDepth(event.inviter, event.device, event.identity) : 0;
  const Profile* inviter = event.inviter != 0 ? state_.profiles.Find(event.inviter) : nullptr;
  const int64_t inviter_age_days = event.inviter == 0   ? -1
                                   : inviter != nullptr ? Days(now_s - inviter->registered_at_s)
                                                        : 0;
  // Counted before this registration's own Count above.
  const int64_t ip_registrations_1h =
      event.ip != 0
          ? std::max<int64_t>(
                0,
                state_.counters.Query(MixKey(kRegistrationsByIp, event.ip), now_s)[Window::k1Hour]
                        .count -
                    1)
          : 0;
  Profile& profile = TouchProfile(event.customer, now_s);
  profile.registered_at_s = now_s;
  profile.inviter = event.inviter;
  profile.identity = event.identity;
  profile.reg_device_accounts = device_accounts;
  profile.reg_chain_depth = chain_depth;
  profile.reg_identity_accounts = identity_accounts;
  profile.reg_inviter_age_days = inviter_age_days;
  profile.reg_ip_registrations_1h = ip_registrations_1h;
  TouchDevice(event.customer, event.device, now_s);
  if (event.identity != 0) {
    bool created = false;
    ++state_.identities.Touch(event.identity, &created).accounts;
  }
  if (event.inviter != 0) {
    Count(kInviteesByInviter, event.inviter, now_s);
    Count(kInviteesByDevice, event.device, now_s);
  }
}

void RiskEngine::Learn(const Login& event, int64_t now_s, Outcome outcome) {
  if (outcome != Outcome::kCompleted) return;
  TouchProfile(event.customer, now_s);
  TouchDevice(event.customer, event.device, now_s);
}

void RiskEngine::Learn(const Payment& event, int64_t now_s, Outcome outcome) {
  const bool completed = outcome == Outcome::kCompleted;
  const int64_t amount = completed ? ClampAmount(event.amount_fen) : 0;
  Profile& profile = TouchProfile(event.customer, now_s);
  if (completed) profile.last_money_s = now_s;
  TouchDevice(event.customer, event.device, now_s);
  state_.customer_velocity.Record(event.customer, now_s, amount);
  if (event.device != 0) state_.device_velocity.Record(event.device, now_s, amount);
  if (event.ip != 0) state_.ip_velocity.Record(event.ip, now_s, amount);
  if (event.merchant == 0) return;
  state_.merchant_velocity.Record(event.merchant, now_s, amount);
  if (!completed) return;
  state_.customer_amounts.Record(event.customer, amount);
  state_.merchant_amounts.Record(event.merchant, amount);
  // A customer back after 30 days counts as new again, so the counter stays a 30-day count of
  // distinct customers (approximately: a regular is counted once per return).
  const Relation* relation = FindRelation(kCustomerMerchant, event.customer, event.merchant);
  if (relation == nullptr || relation->last_s + 30 * kDayS < now_s) {
    Count(kNewCustomersByMerchant, event.merchant, now_s);
  }
  TouchRelation(kCustomerMerchant, event.customer, event.merchant, now_s, amount);
}

void RiskEngine::Learn(const Transfer& event, int64_t now_s, Outcome outcome) {
  const bool completed = outcome == Outcome::kCompleted;
  const int64_t amount = completed ? ClampAmount(event.amount_fen) : 0;
  Profile& profile = TouchProfile(event.customer, now_s);
  if (completed) profile.last_money_s = now_s;
  TouchDevice(event.customer, event.device, now_s);
  state_.customer_velocity.Record(event.customer, now_s, amount);
  if (event.device != 0) state_.device_velocity.Record(event.device, now_s, amount);
  if (event.ip != 0) state_.ip_velocity.Record(event.ip, now_s, amount);
  if (event.payee == 0) return;
  state_.payee_velocity.Record(event.payee, now_s, amount);
  if (!completed) return;
  state_.customer_amounts.Record(event.customer, amount);
  if (TouchRelation(kCustomerPayee, event.customer, event.payee, now_s, amount)) {
    Count(kNewSendersByPayee, event.payee, now_s);
  }
}

void RiskEngine::Learn(const TopUp& event, int64_t now_s, Outcome outcome) {
  const bool completed = outcome == Outcome::kCompleted;
  const int64_t amount = completed ? ClampAmount(event.amount_fen) : 0;
  TouchProfile(event.customer, now_s);
  TouchDevice(event.customer, event.device, now_s);
  if (event.card != 0) {
    state_.card_velocity.Record(event.card, now_s, amount);
    if (TouchRelation(kCustomerCard, event.customer, event.card, now_s, amount)) {
      Count(kNewCardsByCustomer, event.customer, now_s);
    }
  }
  if (completed) {
    Count(kTopUpsByCustomer, event.customer, now_s, amount);
  } else {
    Count(kFailedTopUpsByCustomer, event.customer, now_s);
    Count(kFailedTopUpsByCard, event.card, now_s);
  }
}

void RiskEngine::Learn(const Withdrawal& event, int64_t now_s, Outcome outcome) {
  const bool completed = outcome == Outcome::kCompleted;
  const int64_t amount = completed ? ClampAmount(event.amount_fen) : 0;
  Profile& profile = TouchProfile(event.customer, now_s);
  if (completed) profile.last_money_s = now_s;
  TouchDevice(event.customer, event.device, now_s);
  state_.customer_velocity.Record(event.customer, now_s, amount);
  if (event.device != 0) state_.device_velocity.Record(event.device, now_s, amount);
  if (event.ip != 0) state_.ip_velocity.Record(event.ip, now_s, amount);
  if (event.card != 0) {
    state_.card_velocity.Record(event.card, now_s, amount);
    // A refused withdrawal to a new card leaves the card new: the next attempt is as suspect.
    if (completed && TouchRelation(kCustomerCard, event.customer, event.card, now_s, amount)) {
      Count(kNewCardsByCustomer, event.customer, now_s);
    }
  }
}

void RiskEngine::Learn(const CouponClaim& event, int64_t now_s, Outcome /*outcome*/) {
  // Claims count whether granted or not: a farm's refused claims are still claims.
  TouchProfile(event.customer, now_s);
  TouchDevice(event.customer, event.device, now_s);
  Count(kClaimsByDevice, event.device, now_s);
  if (event.device != 0) {
    Count(kClaimsByDeviceCampaign, MixKey(event.device, event.campaign), now_s);
  }
}

void RiskEngine::Learn(const Reward& event, int64_t now_s, Outcome outcome) {
  TouchProfile(event.customer, now_s);
  TouchDevice(event.customer, event.device, now_s);
  // Attempts count, like claims: a farm whose rewards are withheld keeps looking like one.
  Count(kRewardsByDevice, event.device, now_s,
        outcome == Outcome::kCompleted ? ClampAmount(event.amount_fen) : 0);
}

}  // namespace qb::risk
