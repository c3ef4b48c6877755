// The state machine's audit log: which commands leave an entry in the hash chain, and what the
// entry says. Every hook is here, so a new kind of entry is one more case in AuditCommand.
//
// Entries are recorded only for what a command did (a refused command leaves no trace, except a
// failed log-in, which the books record). Their time is the batch time, so replay makes the same
// chain. Details are small JSON objects of ids and names: never a secret, a full ID number or a
// PAN (an API key's id is its public half; the secret never reaches the engine in clear).
#include <string>
#include <utility>

#include "base/assert.h"
#include "engine/state_machine.h"

namespace qb::engine {
namespace {

using audit::ActorKind;

// A JSON string literal. The names put in details are checked by the API, but a username could
// still hold a quote, so everything is escaped.
std::string Quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          static constexpr char kHex[] = "0123456789abcdef";
          out += "\\u00";
          out += kHex[(c >> 4) & 0xF];
          out += kHex[c & 0xF];
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

// Where a log-in came from, for its entry: the first 16 hex digits of the keyed hashes of the
// device id and the client's address (as sessions are named), so an auditor can tell entries
// from one device or network apart without the log holding either. "" when neither is known.
std::string OriginFields(std::string_view device_hash, std::string_view ip_hash) {
  std::string out;
  if (!device_hash.empty()) out += "\"device\":" + Quoted(device_hash.substr(0, 16));
  if (!ip_hash.empty()) {
    if (!out.empty()) out += ',';
    out += "\"ip\":" + Quoted(ip_hash.substr(0, 16));
  }
  return out;
}

std::string Target(std::string_view kind, uint64_t id) {
  return std::string(kind) + ":" + std::to_string(id);
}

std::string RolesJson(uint32_t roles) {
  std::string out = "[";
  for (std::string_view name : identity::StaffRoleNames(roles)) {
    if (out.size() > 1) out += ',';
    out += Quoted(name);
  }
  return out + "]";
}

bool Succeeded(const Reply& reply) { return !reply.results.empty() && reply.results[0] == 0; }

// The action a successful SetPaymentPin records, by how it was authorized.
std::string_view PinActionName(identity::PinAuthorization how) {
  switch (how) {
    case identity::PinAuthorization::kFirstSet:
      return "customer.pin_set";
    case identity::PinAuthorization::kChange:
      return "customer.pin_change";
    case identity::PinAuthorization::kReset:
      return "customer.pin_reset";
  }
  return "customer.pin_change";
}

}  // namespace

void StateMachine::Audit(ActorKind actor_kind, uint64_t actor_id, std::string action,
                         std::string target, std::string detail) {
  audit::AuditEvent event;
  event.time_ns = batch_time_ns_;
  event.actor_kind = actor_kind;
  event.actor_id = actor_id;
  event.action = std::move(action);
  event.target = std::move(target);
  event.detail = std::move(detail);
  // Hooks build their events from bounded fields; an invalid one is a bug here.
  QB_ASSERT(audit::IsValidEvent(event));
  audit::AuditEntry entry = audit_.Append(std::move(event));
  if (projection_ != nullptr) projection_->audit_entries.push_back(std::move(entry));
}

StateMachine::AuditBeforeState StateMachine::AuditBefore(const Command& command) const {
  AuditBeforeState before;
  if (const auto* c = std::get_if<RecordLogin>(&command)) {
    const identity::Customer* customer = customers_.FindById(c->customer_id);
    before.login_locked = customer != nullptr && customer->locked_until_ns > batch_time_ns_;
  } else if (const auto* c = std::get_if<RecordStaffLogin>(&command)) {
    const identity::Staff* staff = staff_.FindById(c->staff_id);
    before.login_locked = staff != nullptr && staff->locked_until_ns > batch_time_ns_;
  } else if (const auto* c = std::get_if<UseTotp>(&command)) {
    const identity::Customer* customer = customers_.FindById(c->customer_id);
    before.totp_locked = customer != nullptr && customer->totp_locked(batch_time_ns_);
  } else if (const auto* c = std::get_if<SetPaymentPin>(&command)) {
    const identity::Customer* customer = customers_.FindById(c->customer_id);
    before.pin_locked = customer != nullptr && customer->pin_locked(batch_time_ns_);
  } else if (const auto* c = std::get_if<RecordPinAttempt>(&command)) {
    const identity::Customer* customer = customers_.FindById(c->customer_id);
    before.pin_locked = customer != nullptr && customer->pin_locked(batch_time_ns_);
  } else if (const auto* c = std::get_if<RevokeSession>(&command)) {
    // The same order RevokeSession tries the books in.
    if (c->reason == SignOut::kUnspecified) return before;
    if (const identity::Session* s = customers_.FindSession(c->token_hash, batch_time_ns_)) {
      before.session_kind = ActorKind::kCustomer;
      before.session_holder = s->customer_id;
    } else if (const identity::Session* s = staff_.FindSession(c->token_hash, batch_time_ns_)) {
      before.session_kind = ActorKind::kStaff;
      before.session_holder = s->customer_id;
    } else if (const identity::Session* s =
                   payments_.users().FindSession(c->token_hash, batch_time_ns_)) {
      before.session_kind = ActorKind::kMerchantUser;
      before.session_holder = s->customer_id;
    }
  }
  return before;
}

void StateMachine::AuditCommand(const Command& command, const AuditBeforeState& before,
                                const Reply& reply) {
  using identity::IdentityResult;
  const bool ok = Succeeded(reply);
  // A log-in the book recorded: a success, a failure, or the failure that locked the account.
  // Tries while locked change nothing and are not recorded (the API's rate limits see them).
  // Each entry names the device and network it came from (OriginFields), when known.
  auto login = [&](ActorKind kind, uint64_t id, std::string_view prefix, bool password_ok,
                   std::string_view device_hash, std::string_view ip_hash) {
    if (before.login_locked || reply.results.empty()) return;
    const auto result = static_cast<IdentityResult>(reply.results[0]);
    const std::string target = Target(ActorKindName(kind), id);
    std::string fields = OriginFields(device_hash, ip_hash);
    auto detail = [&fields](std::string_view more) {
      if (fields.empty() && more.empty()) return std::string();
      const bool both = !fields.empty() && !more.empty();
      return "{" + fields + (both ? "," : "") + std::string(more) + "}";
    };
    if (result == IdentityResult::kOk && password_ok) {
      Audit(kind, id, std::string(prefix) + ".login", target, detail(""));
    } else if (result == IdentityResult::kOk) {
      Audit(kind, id, std::string(prefix) + ".login_failed", target, detail(""));
    } else if (result == IdentityResult::kLoginLocked && !password_ok) {
      Audit(kind, id, std::string(prefix) + ".login_failed", target, detail(R"("locked":true)"));
    } else if (result == IdentityResult::kRiskDenied) {
      // A right password the risk rules refused: the customer gets no session.
      Audit(kind, id, std::string(prefix) + ".login_denied", target, detail(""));
    }
  };
  if (const auto* c = std::get_if<RecordStaffLogin>(&command)) {
    login(ActorKind::kStaff, c->staff_id, "staff", c->password_ok, c->device_hash, c->ip_hash);
  } else if (const auto* c = std::get_if<RecordLogin>(&command)) {
    login(ActorKind::kCustomer, c->customer_id, "customer", c->password_ok, c->device_hash,
          c->ip_hash);
  } else if (const auto* c = std::get_if<UseTotp>(&command)) {
    // Two-step log-in: turning it off, and the wrong code that locks it (state_machine_totp.cc).
    const std::string target = Target("customer", c->customer_id);
    const bool recovery = c->use.proof == identity::TotpProof::kRecoveryCode;
    if (ok && c->use.disable) {
      Audit(ActorKind::kCustomer, c->customer_id, "customer.totp_disable", target,
            recovery ? R"({"with":"recovery_code"})" : R"({"with":"totp"})");
    } else if (ok && recovery) {
      Audit(ActorKind::kCustomer, c->customer_id, "customer.recovery_code_use", target, "");
    } else if (!before.totp_locked && !reply.results.empty() &&
               reply.results[0] == static_cast<uint8_t>(IdentityResult::kTotpLocked)) {
      Audit(ActorKind::kCustomer, c->customer_id, "customer.totp_locked", target, "");
    }
  } else if (const auto* c = std::get_if<SetPaymentPin>(&command)) {
    AuditPaymentPin(c->customer_id, PinActionName(c->change.how), before, reply);
  } else if (const auto* c = std::get_if<RecordPinAttempt>(&command)) {
    AuditPaymentPin(c->customer_id, "", before, reply);
  } else if (IsDeviceKeyCommand(command)) {
    AuditDeviceKey(command, reply);  // state_machine_device_keys.cc
  } else if (const auto* c = std::get_if<RevokeSession>(&command)) {
    // A sign-out, by the holder or from another of their sessions; idle expiry is not one. The
    // session is named by its public id (the hash's first 16 hex digits), never the hash.
    if (!ok || before.session_holder == 0) return;
    const std::string_view kind = ActorKindName(before.session_kind);
    Audit(before.session_kind, before.session_holder, std::string(kind) + ".sign_out",
          Target(kind, before.session_holder),
          "{\"session\":" + Quoted(c->token_hash.substr(0, 16)) +
              ",\"by\":" + (c->reason == SignOut::kSelf ? "\"self\"" : "\"other_session\"") + "}");
  } else if (!ok) {
    return;
  } else if (IsMarketingCommand(command)) {
    AuditMarketing(command, reply);  // state_machine_marketing.cc
  } else if (IsRiskCommand(command)) {
    AuditRisk(command, reply);  // state_machine_risk.cc
  } else if (const auto* c = std::get_if<StartSettlement>(&command)) {
    // A settlement run is a batch job: staff may start it, but the command names no one.
    const payments::Settlement& s = *payments_.FindSettlement(c->settlement_id);
    Audit(ActorKind::kSystem, 0, "settlement.start", Target("settlement", s.id),
          "{\"merchant_id\":" + std::to_string(s.merchant_id) +
              ",\"business_day\":" + std::to_string(s.business_day) +
              ",\"amount_fen\":" + std::to_string(s.amount_fen) + "}");
  } else if (const auto* c = std::get_if<FinishSettlement>(&command)) {
    const payments::Settlement& s = *payments_.FindSettlement(c->settlement_id);
    Audit(ActorKind::kSystem, 0, "settlement.finish", Target("settlement", s.id),
          "{\"merchant_id\":" + std::to_string(s.merchant_id) + ",\"amount_fen\":" +
              std::to_string(s.amount_fen) + ",\"paid\":" + (c->paid ? "true" : "false") + "}");
  } else if (const auto* c = std::get_if<CreateStaff>(&command)) {
    Audit(c->by_staff_id != 0 ? ActorKind::kStaff : ActorKind::kSystem, c->by_staff_id,
          "staff.create", Target("staff", reply.value),
          "{\"username\":" + Quoted(c->staff.username) + ",\"roles\":" + RolesJson(c->staff.roles) +
              "}");
  } else if (const auto* c = std::get_if<GrantTier>(&command)) {
    Audit(ActorKind::kStaff, c->staff_id, "customer.grant_tier", Target("customer", c->customer_id),
          "{\"tier\":" + std::to_string(static_cast<int>(c->tier)) + "}");
  } else if (const auto* c = std::get_if<ApplyMerchant>(&command)) {
    // Self-service applications are not staff actions; their review is.
    if (c->staff_id == 0) return;
    Audit(ActorKind::kStaff, c->staff_id, "merchant.onboard", Target("merchant", reply.value),
          std::string("{\"activate\":") + (c->activate ? "true" : "false") + "}");
  } else if (const auto* c = std::get_if<ReviewMerchant>(&command)) {
    Audit(ActorKind::kStaff, c->staff_id, "merchant.review", Target("merchant", c->merchant_id),
          "{\"status\":" + Quoted(payments::MerchantStatusName(c->status)) + "}");
  } else if (const auto* c = std::get_if<SetMerchantUserStatus>(&command)) {
    if (reply.value == 0) return;  // Already in that status: nothing happened.
    Audit(ActorKind::kMerchantUser, c->by_user_id,
          c->active ? "merchant_user.enable" : "merchant_user.disable",
          Target("merchant_user", c->user_id),
          "{\"merchant_id\":" + std::to_string(c->merchant_id) + "}");
  } else if (const auto* c = std::get_if<IssueApiKey>(&command)) {
    // The command does not name the owner who asked; the merchant is the actor's scope.
    Audit(ActorKind::kSystem, 0, "merchant.api_key_issue", Target("merchant", c->merchant_id),
          "{\"key_id\":" + Quoted(c->key.key_id) + "}");
  } else if (const auto* c = std::get_if<RevokeApiKey>(&command)) {
    Audit(ActorKind::kSystem, 0, "merchant.api_key_revoke", Target("merchant", c->merchant_id),
          "{\"key_id\":" + Quoted(c->key_id) + "}");
  } else if (const auto* c = std::get_if<RotateWebhookSecret>(&command)) {
    Audit(ActorKind::kMerchantUser, c->by_user_id, "merchant.webhook_secret_rotate",
          Target("merchant", c->merchant_id), "{\"version\":" + std::to_string(reply.value) + "}");
  } else if (const auto* c = std::get_if<ConfirmTotp>(&command)) {
    Audit(ActorKind::kCustomer, c->customer_id, "customer.totp_enable",
          Target("customer", c->customer_id), "");
  } else if (const auto* c = std::get_if<CloseCustomer>(&command)) {
    // PIPL: the closure is recorded; what it erased is listed in the customer book's rules.
    Audit(ActorKind::kCustomer, c->customer_id, "customer.close",
          Target("customer", c->customer_id),
          "{\"sessions_revoked\":" + std::to_string(reply.value) + "}");
  } else if (const auto* c = std::get_if<PayOutClosedRefund>(&command)) {
    // Who paid a former customer how much, and the bank's reference to find the transfer by.
    Audit(ActorKind::kStaff, c->staff_id, "customer.refund_payout",
          Target("customer", c->customer_id),
          "{\"amount_fen\":" + std::to_string(c->amount_fen) + ",\"payout_id\":" +
              std::to_string(c->payout_id) + ",\"reference\":" + Quoted(c->reference) + "}");
  } else if (const auto* c = std::get_if<SetPointsProgram>(&command)) {
    // The programme's headline terms; the whole programme is in the journal's command.
    const points::Program& p = c->program;
    Audit(ActorKind::kStaff, c->staff_id, "points.program_set", "points_program",
          "{\"version\":" + std::to_string(reply.value) +
              ",\"enabled\":" + (p.enabled ? "true" : "false") +
              ",\"earn_per_yuan\":" + std::to_string(p.earn_per_yuan) +
              ",\"redeem_points_per_yuan\":" + std::to_string(p.redeem_points_per_yuan) +
              ",\"redeem_max_bps\":" + std::to_string(p.redeem_max_bps) +
              ",\"multipliers\":" + std::to_string(p.multipliers.size()) + "}");
  } else if (const auto* c = std::get_if<SetReferralProgram>(&command)) {
    const referral::Program& p = c->program;
    Audit(ActorKind::kStaff, c->staff_id, "referral.program_set", "referral_program",
          "{\"version\":" + std::to_string(reply.value) +
              ",\"enabled\":" + (p.enabled ? "true" : "false") +
              ",\"qualify_days\":" + std::to_string(p.qualify_days) +
              ",\"min_payment_fen\":" + std::to_string(p.min_payment_fen) + ",\"inviter\":\"" +
              std::string(referral::RewardKindName(p.inviter.kind)) + ":" +
              std::to_string(p.inviter.amount) + "\",\"invitee\":\"" +
              std::string(referral::RewardKindName(p.invitee.kind)) + ":" +
              std::to_string(p.invitee.amount) +
              "\",\"inviter_monthly_cap\":" + std::to_string(p.inviter_monthly_cap) +
              ",\"budget_fen\":" + std::to_string(p.budget_fen) + "}");
  } else if (const auto* c = std::get_if<SetLottery>(&command)) {
    const lottery::Config& l = c->config;
    Audit(ActorKind::kStaff, c->staff_id, "lottery.config_set", "lottery",
          "{\"version\":" + std::to_string(reply.value) + ",\"enabled\":" +
              (l.enabled ? "true" : "false") + ",\"prizes\":" + std::to_string(l.prizes.size()) +
              ",\"daily_draw_limit\":" + std::to_string(l.daily_draw_limit) +
              ",\"budget_fen\":" + std::to_string(l.budget_fen) + "}");
  } else if (const auto* c = std::get_if<PushOffer>(&command)) {
    // One entry per part of a push: how many were listed, and how many the engine let through.
    Audit(ActorKind::kStaff, c->staff_id, "campaign.offer_pushed",
          Target("campaign", c->campaign_id),
          "{\"push_id\":" + std::to_string(c->push_id) +
              ",\"listed\":" + std::to_string(c->customers.size()) +
              ",\"delivered\":" + std::to_string(reply.value) + "}");
  } else if (const auto* c = std::get_if<SetOfferPreference>(&command)) {
    Audit(ActorKind::kCustomer, c->customer_id, "customer.offer_preference",
          Target("customer", c->customer_id),
          c->personalised ? R"({"personalised":true})" : R"({"personalised":false})");
  } else if (const auto* c = std::get_if<CreateCouponCodes>(&command)) {
    Audit(ActorKind::kStaff, c->staff_id, "coupon.codes_created",
          Target("coupon_template", c->template_id),
          "{\"batch_id\":" + std::to_string(reply.value) +
              ",\"count\":" + std::to_string(c->count) + "}");
  } else if (const auto* c = std::get_if<SetRedPackets>(&command)) {
    const redpacket::Config& p = c->config;
    Audit(ActorKind::kStaff, c->staff_id, "redpacket.config_set", "red_packets",
          "{\"version\":" + std::to_string(reply.value) + ",\"enabled\":" +
              (p.enabled ? "true" : "false") + ",\"packet_fen\":" + std::to_string(p.packet_fen) +
              ",\"shares\":" + std::to_string(p.shares) +
              ",\"budget_fen\":" + std::to_string(p.budget_fen) + "}");
  }
}

// A PIN command's entry: the change it made (`changed_action`, empty for a PIN entered to pay),
// or the wrong PIN that locked it. Neither the PIN, its hash nor the reset's code or ID hash
// goes in the detail; a lock says when it ends, which the customer is told anyway.
void StateMachine::AuditPaymentPin(uint64_t customer_id, std::string_view changed_action,
                                   const AuditBeforeState& before, const Reply& reply) {
  if (reply.results.empty()) return;
  const auto result = static_cast<identity::IdentityResult>(reply.results[0]);
  const std::string target = Target("customer", customer_id);
  if (result == identity::IdentityResult::kOk && !changed_action.empty()) {
    Audit(ActorKind::kCustomer, customer_id, std::string(changed_action), target, "");
  } else if (result == identity::IdentityResult::kPinLocked && !before.pin_locked) {
    Audit(ActorKind::kCustomer, customer_id, "customer.pin_locked", target,
          "{\"until_ns\":" + std::to_string(reply.value) + "}");
  }
}

Reply StateMachine::ApplyRecordAudit(const RecordAudit& command) {
  Reply reply;
  if (!audit::IsValidEvent(command.event)) {
    reply.results.push_back(static_cast<uint8_t>(AuditResult::kInvalidEvent));
    return reply;
  }
  const audit::AuditEvent& e = command.event;
  Audit(e.actor_kind, e.actor_id, e.action, e.target, e.detail);
  reply.value = audit_.seq();
  reply.results.push_back(static_cast<uint8_t>(AuditResult::kOk));
  return reply;
}

}  // namespace qb::engine
