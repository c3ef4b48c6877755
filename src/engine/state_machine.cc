#include "engine/state_machine.h"

#include <cstring>

#include "base/assert.h"
#include "base/bytes.h"
#include "base/checked.h"
#include "identity/identity_verifier.h"

namespace qb::engine {

bool StateMachine::IsValid(const Command& command) {
  if (const auto* c = std::get_if<CreateAccounts>(&command)) {
    return !c->accounts.empty() && c->accounts.size() <= kMaxItemsPerCommand;
  }
  if (const auto* c = std::get_if<CreateTransfers>(&command)) {
    return !c->transfers.empty() && c->transfers.size() <= kMaxItemsPerCommand;
  }
  if (const auto* c = std::get_if<Query>(&command)) return static_cast<bool>(c->read);
  if (const auto* c = std::get_if<RecordAudit>(&command)) return audit::IsValidEvent(c->event);
  // Identity fields are bounded so one command cannot bloat the journal or the state.
  auto short_enough = [](const std::string& field) {
    return field.size() <= kMaxIdentityFieldBytes;
  };
  if (const auto* c = std::get_if<IssueOtp>(&command)) {
    return short_enough(c->phone) && short_enough(c->code_hash);
  }
  if (const auto* c = std::get_if<RegisterCustomer>(&command)) {
    const identity::Registration& r = c->registration;
    return short_enough(r.phone) && short_enough(r.otp_hash) && short_enough(r.password_hash) &&
           short_enough(r.channel) && short_enough(r.invite_code) &&
           c->device_hash.size() <= identity::KnownDevices::kMaxHashBytes &&
           c->ip_hash.size() <= identity::KnownDevices::kMaxHashBytes;
  }
  if (IsRiskCommand(command)) return IsValidRiskCommand(command);
  if (const auto* c = std::get_if<DrawLottery>(&command)) {
    return c->nonce.size() == kLotteryNonceBytes && c->draw_id != 0;
  }
  if (const auto* c = std::get_if<SendRedPacket>(&command)) {
    return c->nonce.size() == kRedPacketNonceBytes && c->packet_id != 0;
  }
  if (const auto* c = std::get_if<CreateCouponCodes>(&command)) {
    return c->count >= 1 && c->count <= marketing::kMaxCodesPerBatch;
  }
  if (const auto* c = std::get_if<RedeemCouponCode>(&command)) {
    return c->device_hash.size() <= identity::KnownDevices::kMaxHashBytes && c->batch_id != 0;
  }
  if (const auto* c = std::get_if<PushOffer>(&command)) {
    return c->push_id != 0 && !c->title.empty() && c->title.size() <= kMaxOfferTitleBytes &&
           !c->body.empty() && c->body.size() <= kMaxOfferBodyBytes &&
           c->audience.size() <= kMaxOfferAudienceBytes &&
           c->customers.size() <= kMaxOfferPushCustomers;
  }
  if (const auto* c = std::get_if<ClaimRedPacket>(&command)) {
    return c->device_hash.size() <= identity::KnownDevices::kMaxHashBytes && c->packet_id != 0;
  }
  if (const auto* c = std::get_if<SetLottery>(&command)) {
    for (const lottery::Prize& prize : c->config.prizes) {
      if (prize.name.size() > lottery::kMaxNameBytes) return false;
    }
    return c->config.prizes.size() <= lottery::kMaxPrizes;
  }
  auto device_ok = [](const std::string& hash) {
    return hash.size() <= identity::KnownDevices::kMaxHashBytes;
  };
  auto auth_ok = [&](const PaymentAuth& auth) {
    return device_ok(auth.device_hash) && short_enough(auth.otp_hash) && device_ok(auth.ip_hash);
  };
  // The risk engine's origin of a hold or a log-in: keyed hashes like a device's.
  if (const auto* c = std::get_if<HoldFunds>(&command)) {
    return device_ok(c->device_hash) && device_ok(c->ip_hash);
  }
  if (const auto* c = std::get_if<RecordLogin>(&command)) {
    return device_ok(c->device_hash) && device_ok(c->ip_hash);
  }
  if (const auto* c = std::get_if<ClaimCoupon>(&command)) return device_ok(c->device_hash);
  if (const auto* c = std::get_if<CreateSession>(&command)) {
    return short_enough(c->token_hash) && device_ok(c->device_hash);
  }
  if (const auto* c = std::get_if<ConfirmPayment>(&command)) return auth_ok(c->auth);
  if (const auto* c = std::get_if<RevokeSession>(&command)) return short_enough(c->token_hash);
  if (const auto* c = std::get_if<P2PTransfer>(&command)) {
    return short_enough(c->to_phone) && short_enough(c->memo) && auth_ok(c->auth);
  }
  if (const auto* c = std::get_if<VerifyIdentity>(&command)) {
    const identity::VerifiedIdentity& v = c->identity;
    return short_enough(v.real_name) && short_enough(v.id_lookup_hash) &&
           short_enough(v.id_sealed) && short_enough(v.id_masked);
  }
  if (const auto* c = std::get_if<BindCard>(&command)) {
    const identity::BoundCard& card = c->card;
    return short_enough(card.lookup_hash) && short_enough(card.pan_sealed) &&
           short_enough(card.first6) && short_enough(card.last4) && short_enough(card.bank_code) &&
           short_enough(card.bank_token);
  }
  if (const auto* c = std::get_if<CreateStaff>(&command)) {
    return short_enough(c->staff.username) && short_enough(c->staff.display_name) &&
           short_enough(c->staff.password_hash);
  }
  if (const auto* c = std::get_if<CreateStaffSession>(&command)) {
    return short_enough(c->token_hash);
  }
  if (const auto* c = std::get_if<BeginTotpEnrolment>(&command)) {
    return short_enough(c->secret_sealed);
  }
  if (const auto* c = std::get_if<ConfirmTotp>(&command)) {
    if (!short_enough(c->secret_sealed)) return false;
    if (c->recovery_code_hashes.size() > identity::kMaxRecoveryCodeHashes) return false;
    for (const std::string& hash : c->recovery_code_hashes) {
      if (!short_enough(hash)) return false;
    }
    return true;
  }
  if (const auto* c = std::get_if<UseTotp>(&command)) {
    return short_enough(c->use.recovery_code_hash);
  }
  if (const auto* c = std::get_if<ResealSecrets>(&command)) {
    return IsValidReseal(*c, kMaxIdentityFieldBytes);
  }
  if (const auto* c = std::get_if<CloseCustomer>(&command)) return short_enough(c->otp_hash);
  if (const auto* c = std::get_if<RotateSession>(&command)) {
    return short_enough(c->old_token_hash) && short_enough(c->new_token_hash);
  }
  if (const auto* c = std::get_if<IssueDeviceChallenge>(&command)) {
    return c->challenge.context.size() <= mfa::kMaxChallengeContextBytes;
  }
  if (const auto* c = std::get_if<RegisterDeviceKey>(&command)) {
    return short_enough(c->public_key) && short_enough(c->name) && short_enough(c->signature) &&
           c->authenticator_data.size() <= mfa::kMaxAuthenticatorDataBytes &&
           c->client_data_json.size() <= mfa::kMaxClientDataJsonBytes && short_enough(c->rp_id) &&
           short_enough(c->origin);
  }
  if (const auto* c = std::get_if<AnswerDeviceChallenge>(&command)) {
    return c->context.size() <= mfa::kMaxChallengeContextBytes && short_enough(c->signature) &&
           c->authenticator_data.size() <= mfa::kMaxAuthenticatorDataBytes &&
           c->client_data_json.size() <= mfa::kMaxClientDataJsonBytes && short_enough(c->rp_id) &&
           short_enough(c->origin);
  }
  if (const auto* c = std::get_if<SetPaymentPin>(&command)) {
    return short_enough(c->change.pin_hash) && short_enough(c->change.otp_hash) &&
           short_enough(c->change.id_lookup_hash);
  }
  if (const auto* c = std::get_if<ApplyMerchant>(&command)) {
    const payments::MerchantProfile& p = c->profile;
    return short_enough(p.legal_name) && short_enough(p.credit_code) && short_enough(p.category) &&
           short_enough(p.settlement_bank_code) && short_enough(p.settlement_account_sealed) &&
           short_enough(p.settlement_account_last4) && short_enough(p.contact_phone) &&
           short_enough(c->owner.username) && short_enough(c->owner.display_name) &&
           short_enough(c->owner.password_hash);
  }
  if (const auto* c = std::get_if<CreateMerchantSession>(&command)) {
    return short_enough(c->token_hash);
  }
  if (const auto* c = std::get_if<IssueApiKey>(&command)) {
    return short_enough(c->key.key_id) && short_enough(c->key.secret_sealed);
  }
  if (const auto* c = std::get_if<RevokeApiKey>(&command)) return short_enough(c->key_id);
  if (const auto* c = std::get_if<RegisterPaymentDevice>(&command)) {
    return short_enough(c->secret_sealed);
  }
  if (const auto* c = std::get_if<Pay>(&command)) {
    return short_enough(c->nfc_token) && auth_ok(c->auth) && c->points >= 0;
  }
  // Within what its decoding accepts; Validate checks the values when it applies.
  if (const auto* c = std::get_if<SetPointsProgram>(&command)) {
    if (c->program.multipliers.size() > points::kMaxMultiplierRules) return false;
    for (const points::MultiplierRule& rule : c->program.multipliers) {
      if (rule.name.size() > points::kMaxRuleNameBytes ||
          rule.categories.size() > points::kMaxRuleCategories) {
        return false;
      }
    }
    return true;
  }
  if (const auto* c = std::get_if<CreateMerchantUser>(&command)) {
    return short_enough(c->user.username) && short_enough(c->user.display_name) &&
           short_enough(c->user.password_hash);
  }
  if (const auto* c = std::get_if<IssueNfcToken>(&command)) return short_enough(c->token);
  if (const auto* c = std::get_if<RecordInvoice>(&command)) {
    const InvoiceRow& r = c->invoice;
    return short_enough(r.number) && short_enough(r.buyer_title) && short_enough(r.buyer_tax_id) &&
           short_enough(r.seller_name) && short_enough(r.seller_tax_id) &&
           short_enough(r.item_name);
  }
  if (const auto* c = std::get_if<RecordCreditInvoice>(&command)) {
    return short_enough(c->invoice.number) && short_enough(c->invoice.original_number);
  }
  if (const auto* c = std::get_if<CreateOrder>(&command)) {
    return short_enough(c->merchant_order_no) && short_enough(c->description) &&
           short_enough(c->notify_url) && short_enough(c->return_url);
  }
  // Marketing: names and lists within the book's bounds (it validates the values).
  auto campaign_ok = [](const marketing::Campaign& config) {
    const marketing::Eligibility& e = config.eligibility;
    return config.name.size() <= marketing::kMaxNameBytes &&
           e.merchant_ids.size() <= marketing::kMaxTargetListSize &&
           e.categories.size() <= marketing::kMaxTargetListSize &&
           e.regions.size() <= marketing::kMaxTargetListSize;
  };
  if (const auto* c = std::get_if<CreateCampaign>(&command)) return campaign_ok(c->config);
  if (const auto* c = std::get_if<UpdateCampaign>(&command)) return campaign_ok(c->config);
  if (const auto* c = std::get_if<CreateCouponTemplate>(&command)) {
    return c->config.name.size() <= marketing::kMaxNameBytes;
  }
  if (const auto* c = std::get_if<IssueCoupons>(&command)) {
    return !c->customer_ids.empty() && c->customer_ids.size() <= kMaxCouponIssuePerCommand;
  }
  if (const auto* c = std::get_if<EditCustomerList>(&command)) {
    return c->name.size() <= marketing::kMaxNameBytes &&
           c->customer_ids.size() <= kMaxCustomerListEditPerCommand;
  }
  return true;
}

void StateMachine::BeginBatch(int64_t batch_time_ns, Projection* projection) {
  QB_ASSERT(!in_batch_);
  in_batch_ = true;
  batch_time_ns_ = batch_time_ns;
  projection_ = projection;
  expired_ids_.clear();
  ledger_.ExpirePending(batch_time_ns, kMaxExpirationsPerBatch, &expired_ids_);
  customers_.Sweep(batch_time_ns, kMaxSweepsPerBatch);
  staff_.Sweep(batch_time_ns, kMaxSweepsPerBatch);
  payments_.users().Sweep(batch_time_ns, kMaxSweepsPerBatch);
  for (uint64_t id : expired_ids_) {
    const ledger::Transfer* pending = ledger_.FindTransfer(id);
    Touch(pending->debit_account_id);
    Touch(pending->credit_account_id);
    // A payment the customer never confirmed: the hold is gone, and so is the payment.
    if (payments::Payment* payment = payments_.MutablePayment(id);
        payment != nullptr && (payment->state == payments::PaymentState::kAwaitingConfirmation ||
                               payment->state == payments::PaymentState::kUnderReview)) {
      // Nobody reviewed it in time (state_machine_risk.cc): it goes the same way.
      if (payment->state == payments::PaymentState::kUnderReview) ExpireRiskReview(id);
      payment->state = payments::PaymentState::kCancelled;
      payment->step_up = 0;
      payment->rewards_denied = false;
      payment_marketing_.erase(id);  // The coupon it named stays in the wallet.
      points_.DropPending(id);       // So do the points.
      ProjectPayment(id);
    }
  }
}

void StateMachine::Touch(uint64_t account_id) {
  if (projection_ != nullptr) touched_accounts_.insert(account_id);
}

Reply StateMachine::Apply(const Command& command) {
  QB_ASSERT(in_batch_);
  if (const auto* c = std::get_if<RecordAudit>(&command)) return ApplyRecordAudit(*c);
  const AuditBeforeState before = AuditBefore(command);
  risk_evaluations_before_ = risk_.engine().evaluations();
  Reply reply = Dispatch(command);
  RecordPendingRisk(command, reply);  // state_machine_risk.cc
  // After the payment's own risk event: the referral's reward events are judged on their own.
  if (referral_due_) SettleReferral();  // state_machine_referral.cc
  AuditCommand(command, before, reply);
  return reply;
}

Reply StateMachine::Dispatch(const Command& command) {
  Reply reply;
  if (const auto* c = std::get_if<CreateTransfers>(&command)) {
    ledger_.CreateTransfers(c->transfers, batch_time_ns_, &transfer_results_);
    for (size_t i = 0; i < transfer_results_.size(); i++) {
      reply.results.push_back(static_cast<uint8_t>(transfer_results_[i]));
      if (projection_ == nullptr || transfer_results_[i] != ledger::CreateTransferResult::kOk) {
        continue;
      }
      const ledger::Transfer& created = *ledger_.FindTransfer(c->transfers[i].id);
      projection_->transfers.push_back(created);
      Touch(created.debit_account_id);
      Touch(created.credit_account_id);
    }
  } else if (const auto* c = std::get_if<CreateAccounts>(&command)) {
    ledger_.CreateAccounts(c->accounts, batch_time_ns_, &account_results_);
    for (size_t i = 0; i < account_results_.size(); i++) {
      reply.results.push_back(static_cast<uint8_t>(account_results_[i]));
      if (account_results_[i] == ledger::CreateAccountResult::kOk) Touch(c->accounts[i].id);
    }
  } else if (const auto* c = std::get_if<CloseAccount>(&command)) {
    const bool closed = ledger_.CloseAccount(c->account_id);
    reply.results.push_back(closed ? 1 : 0);
    if (closed) Touch(c->account_id);
  } else if (const auto* c = std::get_if<Query>(&command)) {
    c->read(*this);
  } else if (std::holds_alternative<SetPaymentPin>(command) ||
             std::holds_alternative<RecordPinAttempt>(command)) {
    return ApplyPaymentPin(command);  // state_machine_pin.cc
  } else if (std::holds_alternative<BeginTotpEnrolment>(command) ||
             std::holds_alternative<ConfirmTotp>(command) ||
             std::holds_alternative<UseTotp>(command)) {
    return ApplyTotp(command);  // state_machine_totp.cc
  } else if (const auto* c = std::get_if<ResealSecrets>(&command)) {
    return ApplyReseal(*c);  // state_machine_reseal.cc
  } else if (IsDeviceKeyCommand(command)) {
    return ApplyDeviceKeys(command);  // state_machine_device_keys.cc
  } else if (const auto* c = std::get_if<CloseCustomer>(&command)) {
    return ApplyCloseCustomer(*c);  // state_machine_closure.cc
  } else if (std::holds_alternative<PurgeClosedIdentities>(command)) {
    return ApplyPurgeClosedIdentities();  // state_machine_closure.cc
  } else if (const auto* c = std::get_if<PayOutClosedRefund>(&command)) {
    return ApplyPayOutClosedRefund(*c);  // state_machine_closure.cc
  } else if (std::holds_alternative<ReleaseCashback>(command)) {
    return ApplyReleaseCashback();  // state_machine_cashback.cc
  } else if (const auto* c = std::get_if<SetPointsProgram>(&command)) {
    return ApplySetPointsProgram(*c);  // state_machine_points.cc
  } else if (const auto* c = std::get_if<SetReferralProgram>(&command)) {
    return ApplySetReferralProgram(*c);  // state_machine_referral.cc
  } else if (std::holds_alternative<SetLottery>(command) ||
             std::holds_alternative<LotterySignIn>(command) ||
             std::holds_alternative<DrawLottery>(command)) {
    return ApplyLottery(command);  // state_machine_lottery.cc
  } else if (std::holds_alternative<SetRedPackets>(command) ||
             std::holds_alternative<SendRedPacket>(command) ||
             std::holds_alternative<ClaimRedPacket>(command)) {
    return ApplyRedPacket(command);  // state_machine_redpacket.cc
  } else if (std::holds_alternative<CreateCouponCodes>(command) ||
             std::holds_alternative<RedeemCouponCode>(command)) {
    return ApplyCouponCodes(command);  // state_machine_coupon_codes.cc
  } else if (std::holds_alternative<PushOffer>(command) ||
             std::holds_alternative<ReadMessages>(command) ||
             std::holds_alternative<SetOfferPreference>(command)) {
    return ApplyOffers(command);  // state_machine_offers.cc
  } else if (const auto* c = std::get_if<RotateSession>(&command)) {
    reply.results.push_back(static_cast<uint8_t>(customers_.RotateSession(
        c->customer_id, c->old_token_hash, c->new_token_hash, batch_time_ns_)));
  } else if (IsMarketingCommand(command)) {
    return ApplyMarketing(command);  // state_machine_marketing.cc
  } else if (IsRiskCommand(command)) {
    return ApplyRisk(command);  // state_machine_risk.cc
  } else if (TypeOf(command) >= CommandType::kApplyMerchant) {
    return ApplyPayments(command);
  } else {
    return ApplyIdentity(command);
  }
  return reply;
}

Reply StateMachine::ApplyIdentity(const Command& command) {
  using identity::IdentityResult;
  Reply reply;
  auto result = [&reply](auto code) { reply.results.push_back(static_cast<uint8_t>(code)); };
  if (const auto* c = std::get_if<IssueOtp>(&command)) {
    result(customers_.IssueOtp(c->phone, c->purpose, c->code_hash, batch_time_ns_));
  } else if (const auto* c = std::get_if<RegisterCustomer>(&command)) {
    result(Register(*c, &reply.value));
  } else if (const auto* c = std::get_if<RecordLogin>(&command)) {
    // Only a right password is a log-in for the risk engine (state_machine_risk.cc).
    if (c->password_ok && !CheckLoginRisk(*c)) {
      result(IdentityResult::kRiskDenied);
    } else {
      result(customers_.RecordLogin(c->customer_id, c->password_ok, batch_time_ns_));
    }
  } else if (const auto* c = std::get_if<CreateSession>(&command)) {
    const IdentityResult r =
        customers_.CreateSession(c->token_hash, c->customer_id, batch_time_ns_);
    if (r == IdentityResult::kOk)
      known_devices_.Record(c->customer_id, c->device_hash, batch_time_ns_);
    result(r);
  } else if (const auto* c = std::get_if<RevokeSession>(&command)) {
    // One command for both kinds of session: a token hash names at most one of them.
    IdentityResult revoked = customers_.RevokeSession(c->token_hash);
    if (revoked == IdentityResult::kSessionNotFound) revoked = staff_.RevokeSession(c->token_hash);
    if (revoked == IdentityResult::kSessionNotFound) {
      revoked = payments_.users().RevokeSession(c->token_hash);
    }
    result(revoked);
  } else if (const auto* c = std::get_if<P2PTransfer>(&command)) {
    result(ApplyP2P(*c, &reply));
  } else if (const auto* c = std::get_if<VerifyIdentity>(&command)) {
    const IdentityResult r = customers_.VerifyIdentity(c->customer_id, c->identity, batch_time_ns_);
    if (r == IdentityResult::kOk) TouchCustomer(c->customer_id);
    result(r);
  } else if (const auto* c = std::get_if<BindCard>(&command)) {
    const uint64_t card_id = customers_.next_card_id();
    const IdentityResult r = customers_.BindCard(c->customer_id, c->card, card_id, batch_time_ns_);
    if (r == IdentityResult::kOk) {
      reply.value = card_id;
      TouchCustomer(c->customer_id);
      if (projection_ != nullptr) {
        const identity::BoundCard& card = *customers_.FindById(c->customer_id)->FindCard(card_id);
        projection_->cards.push_back(
            CardRow{card_id, c->customer_id, card.bank_code, card.first6, card.last4});
      }
    }
    result(r);
  } else if (const auto* c = std::get_if<UnbindCard>(&command)) {
    const IdentityResult r = customers_.UnbindCard(c->customer_id, c->card_id);
    if (r == IdentityResult::kOk) TouchCustomer(c->customer_id);
    result(r);
  } else if (const auto* c = std::get_if<GrantTier>(&command)) {
    IdentityResult r = IdentityResult::kStaffNotFound;
    if (staff_.FindById(c->staff_id) != nullptr) r = customers_.GrantTier(c->customer_id, c->tier);
    if (r == IdentityResult::kOk) TouchCustomer(c->customer_id);
    result(r);
  } else if (const auto* c = std::get_if<HoldFunds>(&command)) {
    result(ApplyHold(*c));
  } else if (const auto* c = std::get_if<SettleHold>(&command)) {
    result(ApplySettle(*c));
  } else if (const auto* c = std::get_if<CreateStaff>(&command)) {
    result(staff_.Create(c->staff, batch_time_ns_, &reply.value));
  } else if (const auto* c = std::get_if<RecordStaffLogin>(&command)) {
    result(staff_.RecordLogin(c->staff_id, c->password_ok, batch_time_ns_));
  } else if (const auto* c = std::get_if<CreateStaffSession>(&command)) {
    result(staff_.CreateSession(c->token_hash, c->staff_id, batch_time_ns_));
  } else {
    QB_ASSERT(false && "unhandled command type");
  }
  return reply;
}

identity::IdentityResult StateMachine::Register(const RegisterCustomer& command,
                                                uint64_t* customer_id) {
  // Customers are never deleted, so the next id is the count plus one on every replay.
  const uint64_t id = customers_.customer_count() + 1;
  const uint64_t wallet_id = kCustomerWalletAccountBase + id;
  if (ledger_.FindAccount(wallet_id) != nullptr) return identity::IdentityResult::kInvalid;
  // The invite code names the inviter, an open customer; any other code is kept as typed, for
  // attribution only (the API refuses codes that name nobody).
  const uint64_t inviter = InviterOf(command.registration.invite_code);
  bool risk_allowed = true;
  if (!CheckRegistrationRisk(command, id, inviter, &risk_allowed)) {
    return identity::IdentityResult::kRiskDenied;
  }
  const identity::IdentityResult result =
      customers_.Register(command.registration, id, wallet_id, batch_time_ns_);
  if (result != identity::IdentityResult::kOk) return result;
  if (inviter != 0) NoteReferral(id, inviter, command.device_hash, risk_allowed);
  ledger::Account wallet;
  wallet.id = wallet_id;
  wallet.user_data = id;
  wallet.ledger = ledger::kLedgerCny;
  wallet.kind = static_cast<uint16_t>(ledger::AccountKind::kCustomerWallet);
  wallet.flags = ledger::account_flags::kDebitsMustNotExceedCredits;
  ledger_.CreateAccounts(std::span(&wallet, 1), batch_time_ns_, &account_results_);
  // The id range is reserved for wallets and was checked free above.
  QB_ASSERT(account_results_[0] == ledger::CreateAccountResult::kOk);
  Touch(wallet_id);
  TouchCustomer(id);
  *customer_id = id;
  return result;
}

MoneyResult StateMachine::ApplyP2P(const P2PTransfer& c, Reply* reply) {
  using identity::LimitCheck;
  if (c.transfer_id == 0 || c.amount_fen <= 0) return MoneyResult::kInvalid;
  identity::Customer* sender = customers_.MutableById(c.from_customer_id);
  if (sender == nullptr) return MoneyResult::kSenderNotFound;
  const identity::Customer* receiver = customers_.FindByPhone(c.to_phone);
  if (receiver == nullptr) return MoneyResult::kReceiverNotFound;
  if (receiver->id == sender->id) return MoneyResult::kSameCustomer;
  if (ledger_.FindTransfer(c.transfer_id) != nullptr) return MoneyResult::kDuplicate;
  switch (identity::CheckOutgoing(tier_policies_.For(sender->tier), sender->spending, c.amount_fen,
                                  batch_time_ns_)) {
    case LimitCheck::kOk:
      break;
    case LimitCheck::kExceedsPerPayment:
      return MoneyResult::kExceedsPerPayment;
    case LimitCheck::kExceedsDaily:
      return MoneyResult::kExceedsDaily;
    default:
      return MoneyResult::kExceedsYearly;
  }
  const ledger::Account* to = ledger_.FindAccount(receiver->wallet_account_id);
  const std::optional<int64_t> balance_after = IncomingBalanceAfter(*to, c.amount_fen);
  if (!balance_after || identity::CheckIncoming(tier_policies_.For(receiver->tier),
                                                *balance_after) != LimitCheck::kOk) {
    return MoneyResult::kReceiverBalanceCap;
  }
  // PBoC No. 43: a transfer the day's spending needs more than its authentication for moves
  // nothing; the customer repeats it with a stronger factor.
  const AuthCheck auth = CheckAuth(*sender, c.auth, c.amount_fen, true);
  if (auth.otp != identity::IdentityResult::kOk) {
    reply->value = static_cast<uint64_t>(auth.otp);
    return MoneyResult::kSecondFactorRejected;
  }
  if (auth.presented < auth.needed) {
    reply->value = static_cast<uint64_t>(auth.needed);
    return MoneyResult::kChallengeRequired;
  }
  if (const MoneyResult risk_result =
          CheckTransferRisk(c, *sender, *receiver, auth.presented, reply);
      risk_result != MoneyResult::kOk) {
    return risk_result;
  }
  ledger::Transfer transfer;
  transfer.id = c.transfer_id;
  transfer.debit_account_id = sender->wallet_account_id;
  transfer.credit_account_id = receiver->wallet_account_id;
  transfer.amount = c.amount_fen;
  transfer.ledger = ledger::kLedgerCny;
  transfer.code = kTransferCodeP2P;
  transfer.user_data = sender->id;
  ledger_.CreateTransfers(std::span(&transfer, 1), batch_time_ns_, &transfer_results_);
  if (transfer_results_[0] == ledger::CreateTransferResult::kExceedsCredits) {
    return MoneyResult::kInsufficientFunds;
  }
  QB_ASSERT(transfer_results_[0] == ledger::CreateTransferResult::kOk);
  identity::RecordOutgoing(&sender->spending, c.amount_fen, batch_time_ns_);
  sender->last_money_ns = batch_time_ns_;
  reply->value = static_cast<uint64_t>(ledger_.FindTransfer(c.transfer_id)->timestamp_ns);
  if (receiver->identity) reply->text = identity::MaskRealName(receiver->identity->real_name);
  if (projection_ != nullptr) {
    projection_->transfers.push_back(*ledger_.FindTransfer(c.transfer_id));
    if (!c.memo.empty()) projection_->memos.emplace_back(c.transfer_id, c.memo);
  }
  Touch(transfer.debit_account_id);
  Touch(transfer.credit_account_id);
  return MoneyResult::kOk;
}

std::optional<int64_t> StateMachine::IncomingBalanceAfter(const ledger::Account& wallet,
                                                          int64_t amount_fen) {
  // Money already on its way in (pending top-ups) counts against the cap too.
  const std::optional<int64_t> with_pending =
      CheckedAdd(wallet.CreditBalance(), wallet.credits_pending);
  if (!with_pending) return std::nullopt;
  return CheckedAdd(*with_pending, amount_fen);
}

bool StateMachine::WalletCanTake(const identity::Customer& customer, int64_t amount_fen) const {
  const ledger::Account* wallet = ledger_.FindAccount(customer.wallet_account_id);
  const std::optional<int64_t> after = IncomingBalanceAfter(*wallet, amount_fen);
  return after && identity::CheckIncoming(tier_policies_.For(customer.tier), *after) ==
                      identity::LimitCheck::kOk;
}

void StateMachine::EnsureBankClearingAccount() {
  if (ledger_.FindAccount(kBankClearingAccountId) != nullptr) return;
  ledger::Account clearing;
  clearing.id = kBankClearingAccountId;
  clearing.ledger = ledger::kLedgerCny;
  clearing.kind = static_cast<uint16_t>(ledger::AccountKind::kBankClearing);
  ledger_.CreateAccounts(std::span(&clearing, 1), batch_time_ns_, &account_results_);
  QB_ASSERT(account_results_[0] == ledger::CreateAccountResult::kOk);
  Touch(kBankClearingAccountId);
}

MoneyResult StateMachine::ApplyHold(const HoldFunds& c) {
  if (c.transfer_id == 0 || c.amount_fen <= 0) return MoneyResult::kInvalid;
  const identity::Customer* customer = customers_.FindById(c.customer_id);
  if (customer == nullptr) return MoneyResult::kSenderNotFound;
  if (customer->FindCard(c.card_id) == nullptr) return MoneyResult::kCardNotFound;
  if (ledger_.FindTransfer(c.transfer_id) != nullptr) return MoneyResult::kDuplicate;
  EnsureBankClearingAccount();
  ledger::Transfer hold;
  hold.id = c.transfer_id;
  hold.amount = c.amount_fen;
  hold.ledger = ledger::kLedgerCny;
  hold.flags = ledger::transfer_flags::kPending;
  hold.user_data = c.card_id;
  if (c.kind == HoldKind::kTopUp) {
    const ledger::Account* wallet = ledger_.FindAccount(customer->wallet_account_id);
    const std::optional<int64_t> balance_after = IncomingBalanceAfter(*wallet, c.amount_fen);
    if (!balance_after || identity::CheckIncoming(tier_policies_.For(customer->tier),
                                                  *balance_after) != identity::LimitCheck::kOk) {
      return MoneyResult::kReceiverBalanceCap;
    }
    hold.debit_account_id = kBankClearingAccountId;
    hold.credit_account_id = customer->wallet_account_id;
    hold.code = kTransferCodeTopUp;
  } else {
    hold.debit_account_id = customer->wallet_account_id;
    hold.credit_account_id = kBankClearingAccountId;
    hold.code = kTransferCodeWithdrawal;
  }
  // Before anything is held (state_machine_risk.cc); the bank's answer is learnt at settlement.
  if (!CheckHoldRisk(c, *customer)) return MoneyResult::kRiskDenied;
  ledger_.CreateTransfers(std::span(&hold, 1), batch_time_ns_, &transfer_results_);
  if (transfer_results_[0] == ledger::CreateTransferResult::kExceedsCredits) {
    return MoneyResult::kInsufficientFunds;
  }
  // The clearing account has no limit and every other check was made above; an overflow of
  // the clearing position is the only other way to fail.
  if (transfer_results_[0] != ledger::CreateTransferResult::kOk) return MoneyResult::kInvalid;
  if (projection_ != nullptr) projection_->transfers.push_back(*ledger_.FindTransfer(hold.id));
  Touch(hold.debit_account_id);
  Touch(hold.credit_account_id);
  return MoneyResult::kOk;
}

MoneyResult StateMachine::ApplySettle(const SettleHold& c) {
  if (c.transfer_id == 0 || c.hold_id == 0) return MoneyResult::kInvalid;
  const ledger::Transfer* hold = ledger_.FindTransfer(c.hold_id);
  if (hold == nullptr || (hold->flags & ledger::transfer_flags::kPending) == 0 ||
      (hold->code != kTransferCodeTopUp && hold->code != kTransferCodeWithdrawal)) {
    return MoneyResult::kHoldNotFound;
  }
  if (ledger_.FindTransfer(c.transfer_id) != nullptr) return MoneyResult::kDuplicate;
  // What the risk engine learns once the settlement applies (state_machine_risk.cc).
  SettledHoldRisk(*hold);
  ledger::Transfer settle;
  settle.id = c.transfer_id;
  settle.pending_id = c.hold_id;
  settle.debit_account_id = hold->debit_account_id;
  settle.credit_account_id = hold->credit_account_id;
  settle.amount = c.post ? hold->amount : 0;
  settle.ledger = hold->ledger;
  settle.code = hold->code;
  settle.user_data = hold->user_data;
  settle.flags =
      c.post ? ledger::transfer_flags::kPostPending : ledger::transfer_flags::kVoidPending;
  ledger_.CreateTransfers(std::span(&settle, 1), batch_time_ns_, &transfer_results_);
  switch (transfer_results_[0]) {
    case ledger::CreateTransferResult::kOk:
      break;
    case ledger::CreateTransferResult::kPendingTransferAlreadyPosted:
    case ledger::CreateTransferResult::kPendingTransferAlreadyVoided:
    case ledger::CreateTransferResult::kPendingTransferExpired:
      return MoneyResult::kHoldSettled;
    default:
      // Posting a hold in full cannot break a balance limit the hold itself respected.
      return MoneyResult::kInvalid;
  }
  if (projection_ != nullptr) projection_->transfers.push_back(*ledger_.FindTransfer(settle.id));
  Touch(settle.debit_account_id);
  Touch(settle.credit_account_id);
  if (c.post) {  // The customer's wallet is the side that is not the bank's clearing account.
    const ledger::Account* wallet = ledger_.FindAccount(
        settle.debit_account_id == kBankClearingAccountId ? settle.credit_account_id
                                                          : settle.debit_account_id);
    if (wallet != nullptr) NoteMoneyMoved(wallet->user_data);
  }
  return MoneyResult::kOk;
}

void StateMachine::NoteMoneyMoved(uint64_t customer_id) {
  if (identity::Customer* customer = customers_.MutableById(customer_id)) {
    customer->last_money_ns = batch_time_ns_;
  }
}

void StateMachine::TouchCustomer(uint64_t customer_id) {
  if (projection_ != nullptr) touched_customers_.insert(customer_id);
}

CustomerRow StateMachine::CustomerRowOf(const identity::Customer& customer) {
  CustomerRow row;
  row.id = customer.id;
  row.wallet_account_id = customer.wallet_account_id;
  row.phone = customer.phone;
  if (customer.identity) {
    row.real_name_masked = identity::MaskRealName(customer.identity->real_name);
    row.resident_id_masked = customer.identity->id_masked;
  }
  row.tier = static_cast<uint8_t>(customer.tier);
  row.channel = customer.channel;
  row.invite_code = customer.invite_code;
  row.registered_ns = customer.registered_ns;
  row.closed_ns = customer.closed_ns;
  return row;
}

void StateMachine::Reserve(size_t accounts, size_t transfers, size_t payments) {
  ledger_.Reserve(accounts, transfers);
  payments_.Reserve(payments);
  campaigns_.Reserve(payments);
  points_.Reserve(payments);
  payment_marketing_.reserve(payments);
}

void StateMachine::Reset() {
  ledger_.Clear();
  customers_.Clear();
  staff_.Clear();
  payments_.Clear();
  audit_ = audit::AuditChain();
  known_devices_.Clear();
  device_keys_.Clear();
  campaigns_ = marketing::CampaignBook();
  customers_paid_.clear();
  paid_at_merchant_.clear();
  payment_marketing_.clear();
  cashback_holds_.clear();
  points_ = points::PointsBook();
  referrals_ = referral::ReferralBook();
  lottery_ = lottery::LotteryBook();
  red_packets_ = redpacket::RedPacketBook();
  coupon_codes_ = marketing::CouponCodeBook();
  co_funding_ = marketing::CoFundingBook();
  offer_opt_outs_.clear();
  referral_due_.reset();
  risk_ = RiskState();
  risk_pending_.reset();
  risk_review_pending_.reset();
}

Digest StateMachine::StateHash() const {
  Hasher hasher;
  hasher.Update(ledger_.StateHash());
  hasher.Update(customers_.StateHash());
  hasher.Update(staff_.StateHash());
  // An empty payment book adds nothing, so states from before payments keep their hashes (and
  // old checkpoints still verify).
  if (!payments_.empty()) hasher.Update(payments_.StateHash());
  // Likewise an empty audit chain.
  if (audit_.seq() != 0) {
    hasher.Update("audit");
    hasher.UpdateU64(audit_.seq());
    hasher.Update(audit_.head());
  }
  // Likewise no known devices (states from before the new-device rule).
  if (!known_devices_.empty()) {
    std::string devices;
    ByteWriter writer(&devices);
    known_devices_.Serialize(&writer);
    hasher.Update("devices");
    hasher.Update(devices);
  }
  // Likewise no device keys (states from before them).
  if (!device_keys_.empty()) {
    std::string keys;
    device_keys_.Serialize(&keys);
    hasher.Update("device_keys");
    hasher.Update(keys);
  }
  // Likewise no campaign or custom list (states from before marketing).
  if (marketing_kept()) {
    std::string marketing;
    SerializeMarketing(&marketing);
    hasher.Update("marketing");
    hasher.Update(marketing);
  }
  // Likewise a risk engine never configured (states from before it).
  if (risk_.on()) {
    std::string risk;
    risk_.Serialize(&risk);
    hasher.Update("risk");
    hasher.Update(risk);
  }
  // Likewise a points programme never set (states from before points).
  if (points_.on()) {
    std::string points;
    points_.Serialize(&points);
    hasher.Update("points");
    hasher.Update(points);
  }
  // Likewise no referral (states from before referrals).
  if (referrals_.on()) {
    std::string referrals;
    referrals_.Serialize(&referrals);
    hasher.Update("referrals");
    hasher.Update(referrals);
  }
  // Likewise no lottery (states from before it).
  if (lottery_.on()) {
    std::string lottery;
    lottery_.Serialize(&lottery);
    hasher.Update("lottery");
    hasher.Update(lottery);
  }
  // Likewise no red packets.
  if (red_packets_.on()) {
    std::string red_packets;
    red_packets_.Serialize(&red_packets);
    hasher.Update("red_packets");
    hasher.Update(red_packets);
  }
  // Likewise no redeem codes.
  if (!coupon_codes_.empty()) {
    std::string codes;
    coupon_codes_.Serialize(&codes);
    hasher.Update("coupon_codes");
    hasher.Update(codes);
  }
  // Likewise no co-funded campaign.
  if (!co_funding_.empty()) {
    std::string co_funding;
    co_funding_.Serialize(&co_funding);
    hasher.Update("co_funding");
    hasher.Update(co_funding);
  }
  // Likewise nobody refused personalised offers.
  if (!offer_opt_outs_.empty()) {
    std::string opt_outs;
    SerializeOfferOptOuts(&opt_outs);
    hasher.Update("offer_opt_outs");
    hasher.Update(opt_outs);
  }
  return hasher.Finish();
}

void StateMachine::Serialize(std::string* out) const {
  ByteWriter writer(out);
  for (int part = 0; part < 4; part++) {
    std::string bytes;
    switch (part) {
      case 0:
        ledger_.Serialize(&bytes);
        break;
      case 1:
        customers_.Serialize(&bytes);
        break;
      case 2:
        staff_.Serialize(&bytes);
        break;
      default:
        payments_.Serialize(&bytes);
        break;
    }
    writer.U64(bytes.size());
    writer.Bytes(bytes);
  }
  // Trailers, each length-prefixed, in this order; each is left out while empty unless a later
  // one follows (then it is written empty), so old checkpoints load and equal states give equal
  // bytes. Append new trailers at the end.
  const bool with_offer_opt_outs = !offer_opt_outs_.empty();
  const bool with_co_funding = !co_funding_.empty() || with_offer_opt_outs;
  const bool with_coupon_codes = !coupon_codes_.empty() || with_co_funding;
  const bool with_red_packets = red_packets_.on() || with_coupon_codes;
  const bool with_lottery = lottery_.on() || with_red_packets;
  const bool with_referrals = referrals_.on() || with_lottery;
  const bool with_points = points_.on() || with_referrals;
  const bool with_risk = risk_.on() || with_points;
  const bool with_marketing = marketing_kept() || with_risk;
  const bool with_device_keys = !device_keys_.empty() || with_marketing;
  const bool with_devices = !known_devices_.empty() || with_device_keys;
  if (audit_.seq() != 0 || with_devices) {
    writer.U64(8 + audit_.head().size());
    writer.U64(audit_.seq());
    writer.Bytes(std::string_view(reinterpret_cast<const char*>(audit_.head().data()),
                                  audit_.head().size()));
  }
  if (with_devices) {
    std::string devices;
    ByteWriter devices_writer(&devices);
    known_devices_.Serialize(&devices_writer);
    writer.U64(devices.size());
    writer.Bytes(devices);
  }
  if (with_device_keys) {
    std::string keys;
    device_keys_.Serialize(&keys);
    writer.U64(keys.size());
    writer.Bytes(keys);
  }
  if (with_marketing) {
    std::string marketing;
    SerializeMarketing(&marketing);
    writer.U64(marketing.size());
    writer.Bytes(marketing);
  }
  if (with_risk) {
    std::string risk;
    if (risk_.on()) risk_.Serialize(&risk);  // Else empty, before points'.
    writer.U64(risk.size());
    writer.Bytes(risk);
  }
  if (with_points) {
    std::string points;
    if (points_.on()) points_.Serialize(&points);  // Else empty, before the referrals'.
    writer.U64(points.size());
    writer.Bytes(points);
  }
  if (with_referrals) {
    std::string referrals;
    if (referrals_.on()) referrals_.Serialize(&referrals);  // Else empty, before the lottery's.
    writer.U64(referrals.size());
    writer.Bytes(referrals);
  }
  if (with_lottery) {
    std::string lottery;
    if (lottery_.on()) lottery_.Serialize(&lottery);  // Else empty, before the red packets'.
    writer.U64(lottery.size());
    writer.Bytes(lottery);
  }
  if (with_red_packets) {
    std::string red_packets;
    // Else empty, before the redeem codes'.
    if (red_packets_.on()) red_packets_.Serialize(&red_packets);
    writer.U64(red_packets.size());
    writer.Bytes(red_packets);
  }
  if (with_coupon_codes) {
    std::string codes;
    // Else empty, before the co-funding's.
    if (!coupon_codes_.empty()) coupon_codes_.Serialize(&codes);
    writer.U64(codes.size());
    writer.Bytes(codes);
  }
  if (with_co_funding) {
    std::string co_funding;
    // Else empty, before the offer opt-outs'.
    if (!co_funding_.empty()) co_funding_.Serialize(&co_funding);
    writer.U64(co_funding.size());
    writer.Bytes(co_funding);
  }
  if (with_offer_opt_outs) {
    std::string opt_outs;
    SerializeOfferOptOuts(&opt_outs);
    writer.U64(opt_outs.size());
    writer.Bytes(opt_outs);
  }
}

bool StateMachine::Deserialize(std::string_view bytes, bool with_payments) {
  Reset();
  ByteReader reader(bytes);
  auto part = [&reader]() -> std::optional<std::string_view> {
    const uint64_t length = reader.U64();
    if (!reader.ok() || length > reader.remaining()) return std::nullopt;
    return reader.Bytes(length);
  };
  const std::optional<std::string_view> ledger = part();
  if (!ledger || !ledger_.Deserialize(*ledger)) return false;
  const std::optional<std::string_view> customers = part();
  if (!customers || !customers_.Deserialize(*customers)) return false;
  // Checkpoints written before merchants existed end with the staff book, unprefixed.
  if (!with_payments) return staff_.Deserialize(bytes.substr(reader.position()));
  const std::optional<std::string_view> staff = part();
  if (!staff || !staff_.Deserialize(*staff)) return false;
  const std::optional<std::string_view> payments = part();
  if (!payments || !payments_.Deserialize(*payments)) return false;
  if (reader.remaining() == 0) return true;  // From before the audit chain: empty.
  const std::optional<std::string_view> audit = part();
  if (!audit || audit->size() != 8 + sizeof(Digest)) return false;
  ByteReader audit_reader(*audit);
  const uint64_t audit_seq = audit_reader.U64();
  Digest head;
  std::memcpy(head.data(), audit_reader.Bytes(head.size()).data(), head.size());
  if (!audit_reader.ok()) return false;
  // An empty chain is written only before a later trailer: else two encodings of one state.
  if (audit_seq == 0) {
    if (head != Digest{} || reader.remaining() == 0) return false;
  } else {
    audit_ = audit::AuditChain(audit_seq, head);
  }
  if (reader.remaining() == 0) return true;
  const std::optional<std::string_view> devices = part();
  if (!devices) return false;
  ByteReader devices_reader(*devices);
  if (!known_devices_.Deserialize(&devices_reader) || devices_reader.remaining() != 0 ||
      (known_devices_.empty() && reader.remaining() == 0)) {
    return false;
  }
  if (reader.remaining() == 0) return true;
  const std::optional<std::string_view> device_keys = part();
  if (!device_keys || !device_keys_.Deserialize(*device_keys) ||
      (device_keys_.empty() && reader.remaining() == 0)) {
    return false;
  }
  if (reader.remaining() == 0) return true;
  // Marketing's trailer is written only once a campaign or a custom list exists, or empty
  // before risk's.
  const std::optional<std::string_view> marketing = part();
  if (!marketing || !DeserializeMarketing(*marketing) ||
      (!marketing_kept() && reader.remaining() == 0)) {
    return false;
  }
  if (reader.remaining() == 0) return true;
  // The risk engine's, once it was configured (state_machine_risk.cc).
  const std::optional<std::string_view> risk = part();
  if (!risk) return false;
  // Empty only before the points trailer, when the risk engine was never configured.
  if (risk->empty() ? reader.remaining() == 0 : !risk_.Deserialize(*risk)) return false;
  if (reader.remaining() == 0) return true;
  // The points programme's, once it was set (state_machine_points.cc).
  const std::optional<std::string_view> points = part();
  if (!points) return false;
  // Empty only before the referrals' trailer, when no points programme was ever set.
  if (points->empty() ? reader.remaining() == 0 : !points_.Deserialize(*points)) return false;
  if (reader.remaining() == 0) return true;
  // The referrals', once a programme was set or a referral made (state_machine_referral.cc).
  const std::optional<std::string_view> referrals = part();
  if (!referrals) return false;
  // Empty only before the lottery's trailer, when no referral was ever made.
  if (referrals->empty()) {
    if (reader.remaining() == 0) return false;
  } else if (!referrals_.Deserialize(*referrals) || !referrals_.on()) {
    return false;
  }
  if (reader.remaining() == 0) return true;
  // The lottery's, once it was configured (state_machine_lottery.cc).
  const std::optional<std::string_view> lottery = part();
  if (!lottery) return false;
  // Empty only before the red packets' trailer, when no lottery was ever configured.
  if (lottery->empty() ? reader.remaining() == 0 : !lottery_.Deserialize(*lottery)) return false;
  if (reader.remaining() == 0) return true;
  // The red packets', once a programme was set (state_machine_redpacket.cc).
  const std::optional<std::string_view> red_packets = part();
  if (!red_packets) return false;
  // Empty only before the redeem codes' trailer, when no programme was ever set.
  if (red_packets->empty() ? reader.remaining() == 0 : !red_packets_.Deserialize(*red_packets)) {
    return false;
  }
  if (reader.remaining() == 0) return true;
  // The redeem codes', once a batch was created (state_machine_coupon_codes.cc).
  const std::optional<std::string_view> codes = part();
  if (!codes) return false;
  // Empty only before the co-funding's trailer, when no batch was ever created.
  if (codes->empty() ? reader.remaining() == 0
                     : !coupon_codes_.Deserialize(*codes) || coupon_codes_.empty()) {
    return false;
  }
  if (reader.remaining() == 0) return true;
  // The co-funding's, once a merchant co-funded a campaign (state_machine_marketing.cc).
  const std::optional<std::string_view> co_funding = part();
  if (!co_funding) return false;
  // Empty only before the offer opt-outs' trailer, when no merchant ever co-funded.
  if (co_funding->empty() ? reader.remaining() == 0
                          : !co_funding_.Deserialize(*co_funding) || co_funding_.empty()) {
    return false;
  }
  if (reader.remaining() == 0) return true;
  // Who refused personalised offers, once someone did (state_machine_offers.cc).
  const std::optional<std::string_view> opt_outs = part();
  if (!opt_outs || !DeserializeOfferOptOuts(*opt_outs) || offer_opt_outs_.empty()) return false;
  return reader.remaining() == 0;
}

std::string_view MoneyResultName(MoneyResult result) {
  switch (result) {
    case MoneyResult::kOk:
      return "ok";
    case MoneyResult::kInvalid:
      return "invalid";
    case MoneyResult::kSenderNotFound:
      return "sender_not_found";
    case MoneyResult::kReceiverNotFound:
      return "receiver_not_found";
    case MoneyResult::kSameCustomer:
      return "same_customer";
    case MoneyResult::kExceedsPerPayment:
      return "exceeds_per_payment";
    case MoneyResult::kExceedsDaily:
      return "exceeds_daily";
    case MoneyResult::kExceedsYearly:
      return "exceeds_yearly";
    case MoneyResult::kReceiverBalanceCap:
      return "receiver_balance_cap";
    case MoneyResult::kInsufficientFunds:
      return "insufficient_funds";
    case MoneyResult::kDuplicate:
      return "duplicate";
    case MoneyResult::kCardNotFound:
      return "card_not_found";
    case MoneyResult::kHoldNotFound:
      return "hold_not_found";
    case MoneyResult::kHoldSettled:
      return "hold_settled";
    case MoneyResult::kChallengeRequired:
      return "challenge_required";
    case MoneyResult::kSecondFactorRejected:
      return "second_factor_rejected";
    case MoneyResult::kRiskDenied:
      return "risk_denied";
  }
  return "unknown";
}

void StateMachine::EndBatch() {
  QB_ASSERT(in_batch_);
  in_batch_ = false;
  if (projection_ != nullptr) {
    for (uint64_t id : touched_accounts_) projection_->accounts.push_back(*ledger_.FindAccount(id));
    touched_accounts_.clear();
    for (uint64_t id : touched_customers_) {
      projection_->customers.push_back(CustomerRowOf(*customers_.FindById(id)));
    }
    touched_customers_.clear();
  }
  projection_ = nullptr;
}

}  // namespace qb::engine
