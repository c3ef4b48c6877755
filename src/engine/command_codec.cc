#include "engine/command_codec.h"

#include <algorithm>
#include <cstring>

#include "base/assert.h"
#include "base/bytes.h"
#include "engine/coupon_code_command_codec.h"
#include "engine/marketing_command_codec.h"
#include "engine/offer_command_codec.h"
#include "engine/redpacket_command_codec.h"
#include "engine/risk_command_codec.h"
#include "ledger/ledger_codec.h"

namespace qb::engine {
namespace {

// auth := strength:u8 device_hash:str otp_hash:str, appended to P2PTransfer, Pay and
// ConfirmPayment. Commands journaled before it end without it.
void WritePaymentAuth(const PaymentAuth& auth, ByteWriter* writer) {
  writer->U8(static_cast<uint8_t>(auth.strength));
  writer->LengthPrefixed(auth.device_hash);
  writer->LengthPrefixed(auth.otp_hash);
}

// [ip_hash:str, only when not ""], at the very end of P2PTransfer, Pay and ConfirmPayment (after
// Pay's coupon): the client's IP, added after PaymentAuth was first journaled.
void WritePaymentIp(const PaymentAuth& auth, ByteWriter* writer) {
  if (!auth.ip_hash.empty()) writer->LengthPrefixed(auth.ip_hash);
}

bool ReadPaymentIp(ByteReader* reader, PaymentAuth* auth) {
  if (reader->remaining() == 0) return true;
  auth->ip_hash = std::string(reader->LengthPrefixed());
  return !auth->ip_hash.empty();  // Never written: one encoding per command.
}

// [device_hash:str ip_hash:str, only when either is not ""]: the risk fields appended to
// HoldFunds, RecordLogin and RecordStaffLogin. Records from before them end without.
void WriteRiskOrigin(const std::string& device_hash, const std::string& ip_hash,
                     ByteWriter* writer) {
  if (device_hash.empty() && ip_hash.empty()) return;
  writer->LengthPrefixed(device_hash);
  writer->LengthPrefixed(ip_hash);
}

bool ReadRiskOrigin(ByteReader* reader, std::string* device_hash, std::string* ip_hash) {
  if (reader->remaining() == 0) return true;
  *device_hash = std::string(reader->LengthPrefixed());
  *ip_hash = std::string(reader->LengthPrefixed());
  return !device_hash->empty() || !ip_hash->empty();
}

bool ReadPaymentAuth(ByteReader* reader, PaymentAuth* auth) {
  if (reader->remaining() == 0) {
    auth->strength = identity::AuthStrength::kDeviceSignature;  // Before the No. 43 rules.
    return true;
  }
  const uint8_t strength = reader->U8();
  if (strength == 0 || strength > identity::kMaxAuthStrength) return false;
  auth->strength = static_cast<identity::AuthStrength>(strength);
  auth->device_hash = std::string(reader->LengthPrefixed());
  auth->otp_hash = std::string(reader->LengthPrefixed());
  return true;
}

}  // namespace

CommandType TypeOf(const Command& command) {
  return std::visit(
      [](const auto& c) {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, CreateAccounts>) return CommandType::kCreateAccounts;
        if constexpr (std::is_same_v<T, CreateTransfers>) return CommandType::kCreateTransfers;
        if constexpr (std::is_same_v<T, CloseAccount>) return CommandType::kCloseAccount;
        if constexpr (std::is_same_v<T, Query>) return CommandType::kQuery;
        if constexpr (std::is_same_v<T, IssueOtp>) return CommandType::kIssueOtp;
        if constexpr (std::is_same_v<T, RegisterCustomer>) return CommandType::kRegisterCustomer;
        if constexpr (std::is_same_v<T, RecordLogin>) return CommandType::kRecordLogin;
        if constexpr (std::is_same_v<T, CreateSession>) return CommandType::kCreateSession;
        if constexpr (std::is_same_v<T, RevokeSession>) return CommandType::kRevokeSession;
        if constexpr (std::is_same_v<T, P2PTransfer>) return CommandType::kP2PTransfer;
        if constexpr (std::is_same_v<T, VerifyIdentity>) return CommandType::kVerifyIdentity;
        if constexpr (std::is_same_v<T, BindCard>) return CommandType::kBindCard;
        if constexpr (std::is_same_v<T, UnbindCard>) return CommandType::kUnbindCard;
        if constexpr (std::is_same_v<T, GrantTier>) return CommandType::kGrantTier;
        if constexpr (std::is_same_v<T, HoldFunds>) return CommandType::kHoldFunds;
        if constexpr (std::is_same_v<T, SettleHold>) return CommandType::kSettleHold;
        if constexpr (std::is_same_v<T, CreateStaff>) return CommandType::kCreateStaff;
        if constexpr (std::is_same_v<T, RecordStaffLogin>) return CommandType::kRecordStaffLogin;
        if constexpr (std::is_same_v<T, CreateStaffSession>) {
          return CommandType::kCreateStaffSession;
        }
        if constexpr (std::is_same_v<T, ApplyMerchant>) return CommandType::kApplyMerchant;
        if constexpr (std::is_same_v<T, ReviewMerchant>) return CommandType::kReviewMerchant;
        if constexpr (std::is_same_v<T, RecordMerchantLogin>)
          return CommandType::kRecordMerchantLogin;
        if constexpr (std::is_same_v<T, CreateMerchantSession>)
          return CommandType::kCreateMerchantSession;
        if constexpr (std::is_same_v<T, IssueApiKey>) return CommandType::kIssueApiKey;
        if constexpr (std::is_same_v<T, RevokeApiKey>) return CommandType::kRevokeApiKey;
        if constexpr (std::is_same_v<T, RegisterPaymentDevice>)
          return CommandType::kRegisterPaymentDevice;
        if constexpr (std::is_same_v<T, SetSmallPayments>) return CommandType::kSetSmallPayments;
        if constexpr (std::is_same_v<T, CreateOrder>) return CommandType::kCreateOrder;
        if constexpr (std::is_same_v<T, CloseOrder>) return CommandType::kCloseOrder;
        if constexpr (std::is_same_v<T, Pay>) return CommandType::kPay;
        if constexpr (std::is_same_v<T, ConfirmPayment>) return CommandType::kConfirmPayment;
        if constexpr (std::is_same_v<T, Refund>) return CommandType::kRefund;
        if constexpr (std::is_same_v<T, RecordInvoice>) return CommandType::kRecordInvoice;
        if constexpr (std::is_same_v<T, StartSettlement>) return CommandType::kStartSettlement;
        if constexpr (std::is_same_v<T, FinishSettlement>) return CommandType::kFinishSettlement;
        if constexpr (std::is_same_v<T, IssueNfcToken>) return CommandType::kIssueNfcToken;
        if constexpr (std::is_same_v<T, RefreshNfcToken>) return CommandType::kRefreshNfcToken;
        if constexpr (std::is_same_v<T, CreateMerchantUser>) {
          return CommandType::kCreateMerchantUser;
        }
        if constexpr (std::is_same_v<T, SetMerchantUserStatus>) {
          return CommandType::kSetMerchantUserStatus;
        }
        if constexpr (std::is_same_v<T, RecordCreditInvoice>) {
          return CommandType::kRecordCreditInvoice;
        }
        if constexpr (std::is_same_v<T, RotateWebhookSecret>) {
          return CommandType::kRotateWebhookSecret;
        }
        if constexpr (std::is_same_v<T, RecordAudit>) return CommandType::kRecordAudit;
        if constexpr (std::is_same_v<T, SetPaymentPin>) return CommandType::kSetPaymentPin;
        if constexpr (std::is_same_v<T, RecordPinAttempt>) return CommandType::kRecordPinAttempt;
        if constexpr (std::is_same_v<T, BeginTotpEnrolment>) {
          return CommandType::kBeginTotpEnrolment;
        }
        if constexpr (std::is_same_v<T, ConfirmTotp>) return CommandType::kConfirmTotp;
        if constexpr (std::is_same_v<T, UseTotp>) return CommandType::kUseTotp;
        if constexpr (std::is_same_v<T, ResealSecrets>) return CommandType::kResealSecrets;
        if constexpr (std::is_same_v<T, IssueDeviceChallenge>) {
          return CommandType::kIssueDeviceChallenge;
        }
        if constexpr (std::is_same_v<T, RegisterDeviceKey>) return CommandType::kRegisterDeviceKey;
        if constexpr (std::is_same_v<T, AnswerDeviceChallenge>) {
          return CommandType::kAnswerDeviceChallenge;
        }
        if constexpr (std::is_same_v<T, RemoveDeviceKey>) return CommandType::kRemoveDeviceKey;
        if constexpr (std::is_same_v<T, CloseCustomer>) return CommandType::kCloseCustomer;
        if constexpr (std::is_same_v<T, RotateSession>) return CommandType::kRotateSession;
        if constexpr (std::is_same_v<T, CreateCampaign>) return CommandType::kCreateCampaign;
        if constexpr (std::is_same_v<T, UpdateCampaign>) return CommandType::kUpdateCampaign;
        if constexpr (std::is_same_v<T, TransitionCampaign>) {
          return CommandType::kTransitionCampaign;
        }
        if constexpr (std::is_same_v<T, FundCampaign>) return CommandType::kFundCampaign;
        if constexpr (std::is_same_v<T, CreateCouponTemplate>) {
          return CommandType::kCreateCouponTemplate;
        }
        if constexpr (std::is_same_v<T, ClaimCoupon>) return CommandType::kClaimCoupon;
        if constexpr (std::is_same_v<T, IssueCoupons>) return CommandType::kIssueCoupons;
        if constexpr (std::is_same_v<T, SetRiskRules>) return CommandType::kSetRiskRules;
        if constexpr (std::is_same_v<T, SetRiskListEntry>) return CommandType::kSetRiskListEntry;
        if constexpr (std::is_same_v<T, ReviewPayment>) return CommandType::kReviewPayment;
        if constexpr (std::is_same_v<T, PurgeClosedIdentities>) {
          return CommandType::kPurgeClosedIdentities;
        }
        if constexpr (std::is_same_v<T, PayOutClosedRefund>) {
          return CommandType::kPayOutClosedRefund;
        }
        if constexpr (std::is_same_v<T, ReleaseCashback>) return CommandType::kReleaseCashback;
        if constexpr (std::is_same_v<T, SetPointsProgram>) return CommandType::kSetPointsProgram;
        if constexpr (std::is_same_v<T, SetReferralProgram>) {
          return CommandType::kSetReferralProgram;
        }
        if constexpr (std::is_same_v<T, SetLottery>) return CommandType::kSetLottery;
        if constexpr (std::is_same_v<T, LotterySignIn>) return CommandType::kLotterySignIn;
        if constexpr (std::is_same_v<T, DrawLottery>) return CommandType::kDrawLottery;
        if constexpr (std::is_same_v<T, SetRedPackets>) return CommandType::kSetRedPackets;
        if constexpr (std::is_same_v<T, SendRedPacket>) return CommandType::kSendRedPacket;
        if constexpr (std::is_same_v<T, ClaimRedPacket>) return CommandType::kClaimRedPacket;
        if constexpr (std::is_same_v<T, CreateCouponCodes>) {
          return CommandType::kCreateCouponCodes;
        }
        if constexpr (std::is_same_v<T, RedeemCouponCode>) return CommandType::kRedeemCouponCode;
        if constexpr (std::is_same_v<T, PushOffer>) return CommandType::kPushOffer;
        if constexpr (std::is_same_v<T, ReadMessages>) return CommandType::kReadMessages;
        if constexpr (std::is_same_v<T, SetOfferPreference>) {
          return CommandType::kSetOfferPreference;
        }
        if constexpr (std::is_same_v<T, EditCustomerList>) return CommandType::kEditCustomerList;
      },
      command);
}

std::string_view CommandTypeName(CommandType type) {
  switch (type) {
    case CommandType::kCreateAccounts:
      return "create_accounts";
    case CommandType::kCreateTransfers:
      return "create_transfers";
    case CommandType::kCloseAccount:
      return "close_account";
    case CommandType::kQuery:
      return "query";
    case CommandType::kIssueOtp:
      return "issue_otp";
    case CommandType::kRegisterCustomer:
      return "register_customer";
    case CommandType::kRecordLogin:
      return "record_login";
    case CommandType::kCreateSession:
      return "create_session";
    case CommandType::kRevokeSession:
      return "revoke_session";
    case CommandType::kP2PTransfer:
      return "p2p_transfer";
    case CommandType::kVerifyIdentity:
      return "verify_identity";
    case CommandType::kBindCard:
      return "bind_card";
    case CommandType::kUnbindCard:
      return "unbind_card";
    case CommandType::kGrantTier:
      return "grant_tier";
    case CommandType::kHoldFunds:
      return "hold_funds";
    case CommandType::kSettleHold:
      return "settle_hold";
    case CommandType::kCreateStaff:
      return "create_staff";
    case CommandType::kRecordStaffLogin:
      return "record_staff_login";
    case CommandType::kCreateStaffSession:
      return "create_staff_session";
    case CommandType::kApplyMerchant:
      return "apply_merchant";
    case CommandType::kReviewMerchant:
      return "review_merchant";
    case CommandType::kRecordMerchantLogin:
      return "record_merchant_login";
    case CommandType::kCreateMerchantSession:
      return "create_merchant_session";
    case CommandType::kIssueApiKey:
      return "issue_api_key";
    case CommandType::kRevokeApiKey:
      return "revoke_api_key";
    case CommandType::kRegisterPaymentDevice:
      return "register_payment_device";
    case CommandType::kSetSmallPayments:
      return "set_small_payments";
    case CommandType::kCreateOrder:
      return "create_order";
    case CommandType::kCloseOrder:
      return "close_order";
    case CommandType::kPay:
      return "pay";
    case CommandType::kConfirmPayment:
      return "confirm_payment";
    case CommandType::kRefund:
      return "refund";
    case CommandType::kRecordInvoice:
      return "record_invoice";
    case CommandType::kStartSettlement:
      return "start_settlement";
    case CommandType::kFinishSettlement:
      return "finish_settlement";
    case CommandType::kIssueNfcToken:
      return "issue_nfc_token";
    case CommandType::kRefreshNfcToken:
      return "refresh_nfc_token";
    case CommandType::kCreateMerchantUser:
      return "create_merchant_user";
    case CommandType::kSetMerchantUserStatus:
      return "set_merchant_user_status";
    case CommandType::kRecordCreditInvoice:
      return "record_credit_invoice";
    case CommandType::kRotateWebhookSecret:
      return "rotate_webhook_secret";
    case CommandType::kRecordAudit:
      return "record_audit";
    case CommandType::kSetPaymentPin:
      return "set_payment_pin";
    case CommandType::kRecordPinAttempt:
      return "record_pin_attempt";
    case CommandType::kBeginTotpEnrolment:
      return "begin_totp_enrolment";
    case CommandType::kConfirmTotp:
      return "confirm_totp";
    case CommandType::kUseTotp:
      return "use_totp";
    case CommandType::kResealSecrets:
      return "reseal_secrets";
    case CommandType::kIssueDeviceChallenge:
      return "issue_device_challenge";
    case CommandType::kRegisterDeviceKey:
      return "register_device_key";
    case CommandType::kAnswerDeviceChallenge:
      return "answer_device_challenge";
    case CommandType::kRemoveDeviceKey:
      return "remove_device_key";
    case CommandType::kCloseCustomer:
      return "close_customer";
    case CommandType::kRotateSession:
      return "rotate_session";
    case CommandType::kCreateCampaign:
      return "create_campaign";
    case CommandType::kUpdateCampaign:
      return "update_campaign";
    case CommandType::kTransitionCampaign:
      return "transition_campaign";
    case CommandType::kFundCampaign:
      return "fund_campaign";
    case CommandType::kCreateCouponTemplate:
      return "create_coupon_template";
    case CommandType::kClaimCoupon:
      return "claim_coupon";
    case CommandType::kIssueCoupons:
      return "issue_coupons";
    case CommandType::kSetRiskRules:
      return "set_risk_rules";
    case CommandType::kSetRiskListEntry:
      return "set_risk_list_entry";
    case CommandType::kReviewPayment:
      return "review_payment";
    case CommandType::kPurgeClosedIdentities:
      return "purge_closed_identities";
    case CommandType::kPayOutClosedRefund:
      return "pay_out_closed_refund";
    case CommandType::kReleaseCashback:
      return "release_cashback";
    case CommandType::kSetPointsProgram:
      return "set_points_program";
    case CommandType::kSetReferralProgram:
      return "set_referral_program";
    case CommandType::kSetLottery:
      return "set_lottery";
    case CommandType::kLotterySignIn:
      return "lottery_sign_in";
    case CommandType::kDrawLottery:
      return "draw_lottery";
    case CommandType::kSetRedPackets:
      return "set_red_packets";
    case CommandType::kSendRedPacket:
      return "send_red_packet";
    case CommandType::kClaimRedPacket:
      return "claim_red_packet";
    case CommandType::kCreateCouponCodes:
      return "create_coupon_codes";
    case CommandType::kRedeemCouponCode:
      return "redeem_coupon_code";
    case CommandType::kPushOffer:
      return "push_offer";
    case CommandType::kReadMessages:
      return "read_messages";
    case CommandType::kSetOfferPreference:
      return "set_offer_preference";
    case CommandType::kEditCustomerList:
      return "edit_customer_list";
  }
  return "unknown";
}

std::string_view ReplyStatusName(ReplyStatus status) {
  switch (status) {
    case ReplyStatus::kOk:
      return "ok";
    case ReplyStatus::kOverloaded:
      return "overloaded";
    case ReplyStatus::kStoreFailed:
      return "store_failed";
    case ReplyStatus::kShuttingDown:
      return "shutting_down";
    case ReplyStatus::kInvalidCommand:
      return "invalid_command";
  }
  return "unknown";
}

void EncodeCommand(const Command& command, std::string* payload) {
  ByteWriter writer(payload);
  writer.U16(static_cast<uint16_t>(TypeOf(command)));
  const size_t length_at = payload->size();
  writer.U32(0);  // Patched below once the body length is known.
  if (const auto* c = std::get_if<CreateAccounts>(&command)) {
    writer.U32(static_cast<uint32_t>(c->accounts.size()));
    for (const auto& account : c->accounts) ledger::EncodeAccount(account, &writer);
  } else if (const auto* c = std::get_if<CreateTransfers>(&command)) {
    writer.U32(static_cast<uint32_t>(c->transfers.size()));
    for (const auto& transfer : c->transfers) ledger::EncodeTransfer(transfer, &writer);
  } else if (const auto* c = std::get_if<CloseAccount>(&command)) {
    writer.U64(c->account_id);
  } else if (const auto* c = std::get_if<IssueOtp>(&command)) {
    writer.LengthPrefixed(c->phone);
    writer.U8(static_cast<uint8_t>(c->purpose));
    writer.LengthPrefixed(c->code_hash);
  } else if (const auto* c = std::get_if<RegisterCustomer>(&command)) {
    const identity::Registration& r = c->registration;
    for (const std::string* field :
         {&r.phone, &r.otp_hash, &r.password_hash, &r.channel, &r.invite_code}) {
      writer.LengthPrefixed(*field);
    }
    // Older records end before the device, or at it: each is written only when needed.
    if (!c->device_hash.empty() || !c->ip_hash.empty()) writer.LengthPrefixed(c->device_hash);
    if (!c->ip_hash.empty()) writer.LengthPrefixed(c->ip_hash);
  } else if (const auto* c = std::get_if<RecordLogin>(&command)) {
    writer.U64(c->customer_id);
    writer.U8(c->password_ok ? 1 : 0);
    WriteRiskOrigin(c->device_hash, c->ip_hash, &writer);
  } else if (const auto* c = std::get_if<CreateSession>(&command)) {
    writer.LengthPrefixed(c->token_hash);
    writer.U64(c->customer_id);
    if (!c->device_hash.empty()) writer.LengthPrefixed(c->device_hash);
  } else if (const auto* c = std::get_if<RevokeSession>(&command)) {
    writer.LengthPrefixed(c->token_hash);
    // Older records end at the hash: an unspecified reason is written as they were.
    if (c->reason != SignOut::kUnspecified) writer.U8(static_cast<uint8_t>(c->reason));
  } else if (const auto* c = std::get_if<P2PTransfer>(&command)) {
    writer.U64(c->transfer_id);
    writer.U64(c->from_customer_id);
    writer.LengthPrefixed(c->to_phone);
    writer.I64(c->amount_fen);
    writer.LengthPrefixed(c->memo);
    WritePaymentAuth(c->auth, &writer);
    WritePaymentIp(c->auth, &writer);
  } else if (const auto* c = std::get_if<VerifyIdentity>(&command)) {
    writer.U64(c->customer_id);
    const identity::VerifiedIdentity& v = c->identity;
    for (const std::string* field : {&v.real_name, &v.id_lookup_hash, &v.id_sealed, &v.id_masked}) {
      writer.LengthPrefixed(*field);
    }
    // [birth_date:u32, only when known]: added for age-band campaigns; older records end here.
    if (v.birth_date != 0) writer.U32(v.birth_date);
  } else if (const auto* c = std::get_if<BindCard>(&command)) {
    writer.U64(c->customer_id);
    const identity::BoundCard& card = c->card;
    for (const std::string* field : {&card.lookup_hash, &card.pan_sealed, &card.first6, &card.last4,
                                     &card.bank_code, &card.bank_token}) {
      writer.LengthPrefixed(*field);
    }
  } else if (const auto* c = std::get_if<UnbindCard>(&command)) {
    writer.U64(c->customer_id);
    writer.U64(c->card_id);
  } else if (const auto* c = std::get_if<GrantTier>(&command)) {
    writer.U64(c->customer_id);
    writer.U8(static_cast<uint8_t>(c->tier));
    writer.U64(c->staff_id);
  } else if (const auto* c = std::get_if<HoldFunds>(&command)) {
    writer.U8(static_cast<uint8_t>(c->kind));
    writer.U64(c->transfer_id);
    writer.U64(c->customer_id);
    writer.U64(c->card_id);
    writer.I64(c->amount_fen);
    WriteRiskOrigin(c->device_hash, c->ip_hash, &writer);
  } else if (const auto* c = std::get_if<SettleHold>(&command)) {
    writer.U64(c->transfer_id);
    writer.U64(c->hold_id);
    writer.U8(c->post ? 1 : 0);
  } else if (const auto* c = std::get_if<CreateStaff>(&command)) {
    const identity::StaffRegistration& r = c->staff;
    for (const std::string* field : {&r.username, &r.display_name, &r.password_hash}) {
      writer.LengthPrefixed(*field);
    }
    writer.U32(r.roles);
    // A later field: left out when 0, so commands from before it keep their bytes.
    if (c->by_staff_id != 0) writer.U64(c->by_staff_id);
  } else if (const auto* c = std::get_if<RecordStaffLogin>(&command)) {
    writer.U64(c->staff_id);
    writer.U8(c->password_ok ? 1 : 0);
    WriteRiskOrigin(c->device_hash, c->ip_hash, &writer);
  } else if (const auto* c = std::get_if<CreateStaffSession>(&command)) {
    writer.LengthPrefixed(c->token_hash);
    writer.U64(c->staff_id);
  } else if (const auto* c = std::get_if<ApplyMerchant>(&command)) {
    const payments::MerchantProfile& p = c->profile;
    for (const std::string* field :
         {&p.legal_name, &p.credit_code, &p.category, &p.settlement_bank_code,
          &p.settlement_account_sealed, &p.settlement_account_last4, &p.contact_phone}) {
      writer.LengthPrefixed(*field);
    }
    writer.U32(p.fee_bps);
    const identity::StaffRegistration& r = c->owner;
    for (const std::string* field : {&r.username, &r.display_name, &r.password_hash}) {
      writer.LengthPrefixed(*field);
    }
    writer.U32(r.roles);
    writer.U64(c->staff_id);
    writer.U8(c->activate ? 1 : 0);
  } else if (const auto* c = std::get_if<ReviewMerchant>(&command)) {
    writer.U64(c->merchant_id);
    writer.U64(c->staff_id);
    writer.U8(static_cast<uint8_t>(c->status));
  } else if (const auto* c = std::get_if<RecordMerchantLogin>(&command)) {
    writer.U64(c->user_id);
    writer.U8(c->password_ok ? 1 : 0);
  } else if (const auto* c = std::get_if<CreateMerchantSession>(&command)) {
    writer.LengthPrefixed(c->token_hash);
    writer.U64(c->user_id);
  } else if (const auto* c = std::get_if<IssueApiKey>(&command)) {
    writer.U64(c->merchant_id);
    writer.LengthPrefixed(c->key.key_id);
    writer.LengthPrefixed(c->key.secret_sealed);
  } else if (const auto* c = std::get_if<RevokeApiKey>(&command)) {
    writer.U64(c->merchant_id);
    writer.LengthPrefixed(c->key_id);
  } else if (const auto* c = std::get_if<RegisterPaymentDevice>(&command)) {
    writer.U64(c->customer_id);
    writer.U32(c->slot);
    writer.LengthPrefixed(c->secret_sealed);
  } else if (const auto* c = std::get_if<SetSmallPayments>(&command)) {
    writer.U64(c->customer_id);
    writer.U8(c->enabled ? 1 : 0);
    writer.I64(c->per_payment_fen);
    writer.I64(c->per_day_fen);
  } else if (const auto* c = std::get_if<CreateOrder>(&command)) {
    writer.U64(c->merchant_id);
    writer.LengthPrefixed(c->merchant_order_no);
    writer.I64(c->amount_fen);
    writer.I64(c->expires_ns);
    writer.LengthPrefixed(c->description);
    writer.LengthPrefixed(c->notify_url);
    writer.LengthPrefixed(c->return_url);
  } else if (const auto* c = std::get_if<CloseOrder>(&command)) {
    writer.U64(c->merchant_id);
    writer.U64(c->order_id);
  } else if (const auto* c = std::get_if<Pay>(&command)) {
    writer.U64(c->payment_id);
    writer.U64(c->customer_id);
    writer.U64(c->merchant_id);
    writer.U64(c->order_id);
    writer.I64(c->amount_fen);
    writer.U8(static_cast<uint8_t>(c->channel));
    writer.U32(c->device_slot);
    writer.I64(c->code_step);
    writer.I64(c->code_step_seconds);
    writer.U32(c->code_window_steps);
    writer.LengthPrefixed(c->nfc_token);
    writer.U32(c->nfc_atc);
    WritePaymentAuth(c->auth, &writer);
    // Older records end at the auth: a payment without a coupon is written as they were. The
    // IP comes next, after a coupon written even when 0 so that it can be told apart. Points
    // come last: with them, the coupon and the IP (even "") are always written.
    if (c->points != 0) {
      writer.U64(c->coupon_id);
      writer.LengthPrefixed(c->auth.ip_hash);
      writer.I64(c->points);
    } else {
      if (c->coupon_id != 0 || !c->auth.ip_hash.empty()) writer.U64(c->coupon_id);
      WritePaymentIp(c->auth, &writer);
    }
  } else if (const auto* c = std::get_if<ConfirmPayment>(&command)) {
    writer.U64(c->customer_id);
    writer.U64(c->payment_id);
    writer.U8(c->confirm ? 1 : 0);
    WritePaymentAuth(c->auth, &writer);
    WritePaymentIp(c->auth, &writer);
  } else if (const auto* c = std::get_if<Refund>(&command)) {
    writer.U64(c->refund_id);
    writer.U64(c->merchant_id);
    writer.U64(c->payment_id);
    writer.I64(c->amount_fen);
  } else if (const auto* c = std::get_if<RecordInvoice>(&command)) {
    writer.U64(c->customer_id);
    const InvoiceRow& r = c->invoice;
    writer.LengthPrefixed(r.number);
    writer.U64(r.payment_id);
    writer.U64(r.merchant_id);
    writer.U64(r.customer_id);
    for (const std::string* field :
         {&r.buyer_title, &r.buyer_tax_id, &r.seller_name, &r.seller_tax_id, &r.item_name}) {
      writer.LengthPrefixed(*field);
    }
    writer.I64(r.amount_fen);
    writer.I64(r.tax_fen);
    writer.U32(r.tax_rate_bp);
    writer.I64(r.issued_ns);
    writer.U8(r.issued_locally ? 1 : 0);
  } else if (const auto* c = std::get_if<StartSettlement>(&command)) {
    writer.U64(c->settlement_id);
    writer.U64(c->merchant_id);
    writer.I64(c->business_day);
  } else if (const auto* c = std::get_if<FinishSettlement>(&command)) {
    writer.U64(c->settlement_id);
    writer.U8(c->paid ? 1 : 0);
  } else if (const auto* c = std::get_if<IssueNfcToken>(&command)) {
    writer.U64(c->customer_id);
    writer.LengthPrefixed(c->token);
    writer.U32(c->luk_count);
    writer.U32(c->uses_per_luk);
  } else if (const auto* c = std::get_if<RefreshNfcToken>(&command)) {
    writer.U64(c->customer_id);
    writer.U32(c->luk_count);
    writer.U32(c->uses_per_luk);
  } else if (const auto* c = std::get_if<CreateMerchantUser>(&command)) {
    writer.U64(c->merchant_id);
    const identity::StaffRegistration& r = c->user;
    for (const std::string* field : {&r.username, &r.display_name, &r.password_hash}) {
      writer.LengthPrefixed(*field);
    }
    writer.U32(r.roles);
  } else if (const auto* c = std::get_if<SetMerchantUserStatus>(&command)) {
    writer.U64(c->merchant_id);
    writer.U64(c->user_id);
    writer.U8(c->active ? 1 : 0);
    writer.U64(c->by_user_id);
  } else if (const auto* c = std::get_if<RecordCreditInvoice>(&command)) {
    writer.U64(c->refund_id);
    const CreditInvoiceRow& r = c->invoice;
    writer.LengthPrefixed(r.number);
    writer.U64(r.refund_id);
    writer.U64(r.payment_id);
    writer.LengthPrefixed(r.original_number);
    writer.U64(r.merchant_id);
    writer.U64(r.customer_id);
    writer.I64(r.amount_fen);
    writer.I64(r.tax_fen);
    writer.U32(r.tax_rate_bp);
    writer.I64(r.issued_ns);
    writer.U8(r.issued_locally ? 1 : 0);
  } else if (const auto* c = std::get_if<RotateWebhookSecret>(&command)) {
    writer.U64(c->merchant_id);
    writer.U64(c->by_user_id);
  } else if (const auto* c = std::get_if<RecordAudit>(&command)) {
    const audit::AuditEvent& e = c->event;
    writer.I64(e.time_ns);
    writer.U8(static_cast<uint8_t>(e.actor_kind));
    writer.U64(e.actor_id);
    writer.LengthPrefixed(e.action);
    writer.LengthPrefixed(e.target);
    writer.LengthPrefixed(e.detail);
  } else if (const auto* c = std::get_if<SetPaymentPin>(&command)) {
    const identity::PinChange& change = c->change;
    writer.U64(c->customer_id);
    writer.U8(static_cast<uint8_t>(change.how));
    writer.LengthPrefixed(change.pin_hash);
    writer.U8(change.current_pin_ok ? 1 : 0);
    writer.LengthPrefixed(change.otp_hash);
    writer.LengthPrefixed(change.id_lookup_hash);
  } else if (const auto* c = std::get_if<RecordPinAttempt>(&command)) {
    writer.U64(c->customer_id);
    writer.U8(c->pin_ok ? 1 : 0);
  } else if (const auto* c = std::get_if<BeginTotpEnrolment>(&command)) {
    writer.U64(c->customer_id);
    writer.LengthPrefixed(c->secret_sealed);
  } else if (const auto* c = std::get_if<ConfirmTotp>(&command)) {
    writer.U64(c->customer_id);
    writer.I64(c->step);
    writer.LengthPrefixed(c->secret_sealed);
    writer.U32(static_cast<uint32_t>(c->recovery_code_hashes.size()));
    for (const std::string& hash : c->recovery_code_hashes) writer.LengthPrefixed(hash);
  } else if (const auto* c = std::get_if<UseTotp>(&command)) {
    writer.U64(c->customer_id);
    writer.U8(static_cast<uint8_t>(c->use.proof));
    writer.I64(c->use.step);
    writer.LengthPrefixed(c->use.recovery_code_hash);
    writer.U8(c->use.disable ? 1 : 0);
  } else if (const auto* c = std::get_if<IssueDeviceChallenge>(&command)) {
    const mfa::Challenge& challenge = c->challenge;
    writer.U64(c->customer_id);
    writer.Bytes(std::string_view(reinterpret_cast<const char*>(challenge.nonce.data()),
                                  challenge.nonce.size()));
    writer.U64(challenge.device_id);
    writer.U8(static_cast<uint8_t>(challenge.purpose));
    writer.I64(challenge.issued_ns);
    writer.I64(challenge.expires_ns);
    writer.LengthPrefixed(challenge.context);
  } else if (const auto* c = std::get_if<RegisterDeviceKey>(&command)) {
    writer.U64(c->customer_id);
    writer.U64(c->device_id);
    writer.LengthPrefixed(c->public_key);
    writer.LengthPrefixed(c->name);
    writer.Bytes(std::string_view(reinterpret_cast<const char*>(c->nonce.data()), c->nonce.size()));
    writer.LengthPrefixed(c->signature);
    if (c->key_kind != 0) {  // Ed25519 records stay as they were.
      writer.U8(c->key_kind);
      for (const std::string* field :
           {&c->authenticator_data, &c->client_data_json, &c->rp_id, &c->origin}) {
        writer.LengthPrefixed(*field);
      }
    }
  } else if (const auto* c = std::get_if<AnswerDeviceChallenge>(&command)) {
    writer.U64(c->customer_id);
    writer.U64(c->device_id);
    writer.U8(static_cast<uint8_t>(c->purpose));
    writer.LengthPrefixed(c->context);
    writer.Bytes(std::string_view(reinterpret_cast<const char*>(c->nonce.data()), c->nonce.size()));
    writer.LengthPrefixed(c->signature);
    if (c->webauthn) {  // Ed25519 answers stay as they were.
      writer.U8(1);
      for (const std::string* field :
           {&c->authenticator_data, &c->client_data_json, &c->rp_id, &c->origin}) {
        writer.LengthPrefixed(*field);
      }
    }
  } else if (const auto* c = std::get_if<RemoveDeviceKey>(&command)) {
    writer.U64(c->customer_id);
    writer.U64(c->device_id);
  } else if (const auto* c = std::get_if<ResealSecrets>(&command)) {
    EncodeResealSecrets(*c, &writer);
  } else if (const auto* c = std::get_if<CloseCustomer>(&command)) {
    writer.U64(c->customer_id);
    writer.LengthPrefixed(c->otp_hash);
  } else if (const auto* c = std::get_if<RotateSession>(&command)) {
    writer.U64(c->customer_id);
    writer.LengthPrefixed(c->old_token_hash);
    writer.LengthPrefixed(c->new_token_hash);
  } else if (std::holds_alternative<PurgeClosedIdentities>(command)) {
    // No body: the batch time says whose retention has ended.
  } else if (std::holds_alternative<ReleaseCashback>(command)) {
    // No body: the batch time says which holds are due.
  } else if (const auto* c = std::get_if<SetPointsProgram>(&command)) {
    writer.U64(c->staff_id);
    points::EncodeProgram(c->program, &writer);
  } else if (const auto* c = std::get_if<SetReferralProgram>(&command)) {
    writer.U64(c->staff_id);
    referral::EncodeProgram(c->program, &writer);
  } else if (const auto* c = std::get_if<SetLottery>(&command)) {
    writer.U64(c->staff_id);
    lottery::EncodeConfig(c->config, &writer);
  } else if (const auto* c = std::get_if<LotterySignIn>(&command)) {
    writer.U64(c->customer_id);
  } else if (const auto* c = std::get_if<DrawLottery>(&command)) {
    writer.U64(c->customer_id);
    writer.U64(c->draw_id);
    writer.LengthPrefixed(c->nonce);
  } else if (const auto* c = std::get_if<PayOutClosedRefund>(&command)) {
    writer.U64(c->staff_id);
    writer.U64(c->customer_id);
    writer.U64(c->payout_id);
    writer.I64(c->amount_fen);
    writer.LengthPrefixed(c->reference);
  } else if (EncodeMarketingCommand(command, &writer)) {
    // Commands 55 to 61: engine/marketing_command.cc.
  } else if (EncodeRiskCommand(command, &writer)) {
    // Commands 62 to 64: engine/risk_command.cc.
  } else if (EncodeRedPacketCommand(command, &writer)) {
    // Commands 73 to 75: engine/redpacket_command.cc.
  } else if (EncodeCouponCodeCommand(command, &writer)) {
    // Commands 76 and 77: engine/coupon_code_command.cc.
  } else if (EncodeOfferCommand(command, &writer)) {
    // Commands 78 to 80: engine/offer_command.cc.
  } else {
    QB_ASSERT(false && "queries are not journaled");
  }
  const auto body_bytes = static_cast<uint32_t>(payload->size() - length_at - 4);
  std::memcpy(payload->data() + length_at, &body_bytes, 4);
}

namespace {

bool Bool(ByteReader* reader, bool* out) {
  const uint8_t value = reader->U8();
  *out = value == 1;
  return value <= 1;
}

// A device-key challenge's purpose (mfa::ChallengePurpose, 1 to kMaxChallengePurpose).
bool ReadPurpose(ByteReader* reader, mfa::ChallengePurpose* out) {
  const uint8_t value = reader->U8();
  *out = static_cast<mfa::ChallengePurpose>(value);
  return value >= 1 && value <= mfa::kMaxChallengePurpose;
}

void ReadNonce(ByteReader* reader, mfa::ChallengeNonce* out) {
  const std::string_view bytes = reader->Bytes(out->size());
  if (bytes.size() == out->size()) std::memcpy(out->data(), bytes.data(), out->size());
}

bool DecodeBody(CommandType type, std::string_view body, Command* command) {
  ByteReader reader(body);
  switch (type) {
    case CommandType::kCreateAccounts: {
      const uint32_t count = reader.U32();
      if (count > kMaxItemsPerCommand || reader.remaining() != count * 64ull) return false;
      CreateAccounts c;
      c.accounts.reserve(count);
      for (uint32_t i = 0; i < count; i++) c.accounts.push_back(ledger::DecodeAccount(&reader));
      *command = std::move(c);
      break;
    }
    case CommandType::kCreateTransfers: {
      const uint32_t count = reader.U32();
      if (count > kMaxItemsPerCommand || reader.remaining() != count * 68ull) return false;
      CreateTransfers c;
      c.transfers.reserve(count);
      for (uint32_t i = 0; i < count; i++) {
        c.transfers.push_back(ledger::DecodeTransfer(&reader));
      }
      *command = std::move(c);
      break;
    }
    case CommandType::kCloseAccount:
      *command = CloseAccount{reader.U64()};
      break;
    case CommandType::kIssueOtp: {
      IssueOtp c;
      c.phone = std::string(reader.LengthPrefixed());
      c.purpose = static_cast<identity::OtpPurpose>(reader.U8());
      c.code_hash = std::string(reader.LengthPrefixed());
      *command = std::move(c);
      break;
    }
    case CommandType::kRegisterCustomer: {
      RegisterCustomer c;
      identity::Registration& r = c.registration;
      for (std::string* field :
           {&r.phone, &r.otp_hash, &r.password_hash, &r.channel, &r.invite_code}) {
        *field = std::string(reader.LengthPrefixed());
      }
      // Written only when not empty (records from before it have none), or empty before an IP.
      if (reader.remaining() > 0) {
        c.device_hash = std::string(reader.LengthPrefixed());
        if (reader.remaining() > 0) {
          c.ip_hash = std::string(reader.LengthPrefixed());
          if (c.ip_hash.empty()) return false;
        } else if (c.device_hash.empty()) {
          return false;
        }
      }
      *command = std::move(c);
      break;
    }
    case CommandType::kRecordLogin: {
      RecordLogin c;
      c.customer_id = reader.U64();
      const uint8_t ok = reader.U8();
      if (ok > 1) return false;
      c.password_ok = ok == 1;
      if (!ReadRiskOrigin(&reader, &c.device_hash, &c.ip_hash)) return false;
      *command = std::move(c);
      break;
    }
    case CommandType::kCreateSession: {
      CreateSession c;
      c.token_hash = std::string(reader.LengthPrefixed());
      c.customer_id = reader.U64();
      if (reader.remaining() > 0) {
        c.device_hash = std::string(reader.LengthPrefixed());
        if (c.device_hash.empty()) return false;  // Never written: two encodings of one command.
      }
      *command = std::move(c);
      break;
    }
    case CommandType::kRevokeSession: {
      RevokeSession c{std::string(reader.LengthPrefixed())};
      if (reader.remaining() > 0) {
        const uint8_t reason = reader.U8();
        if (reason == 0 || reason > static_cast<uint8_t>(SignOut::kFromOtherSession)) return false;
        c.reason = static_cast<SignOut>(reason);
      }
      *command = std::move(c);
      break;
    }
    case CommandType::kP2PTransfer: {
      P2PTransfer c;
      c.transfer_id = reader.U64();
      c.from_customer_id = reader.U64();
      c.to_phone = std::string(reader.LengthPrefixed());
      c.amount_fen = reader.I64();
      c.memo = std::string(reader.LengthPrefixed());
      if (!ReadPaymentAuth(&reader, &c.auth)) return false;
      if (!ReadPaymentIp(&reader, &c.auth)) return false;
      *command = std::move(c);
      break;
    }
    case CommandType::kVerifyIdentity: {
      VerifyIdentity c;
      c.customer_id = reader.U64();
      identity::VerifiedIdentity& v = c.identity;
      for (std::string* field : {&v.real_name, &v.id_lookup_hash, &v.id_sealed, &v.id_masked}) {
        *field = std::string(reader.LengthPrefixed());
      }
      if (reader.ok() && reader.remaining() > 0) {
        v.birth_date = reader.U32();
        if (v.birth_date == 0) return false;  // never written: one encoding per command
      }
      *command = std::move(c);
      break;
    }
    case CommandType::kBindCard: {
      BindCard c;
      c.customer_id = reader.U64();
      identity::BoundCard& card = c.card;
      for (std::string* field : {&card.lookup_hash, &card.pan_sealed, &card.first6, &card.last4,
                                 &card.bank_code, &card.bank_token}) {
        *field = std::string(reader.LengthPrefixed());
      }
      *command = std::move(c);
      break;
    }
    case CommandType::kUnbindCard: {
      UnbindCard c;
      c.customer_id = reader.U64();
      c.card_id = reader.U64();
      *command = c;
      break;
    }
    case CommandType::kGrantTier: {
      GrantTier c;
      c.customer_id = reader.U64();
      const uint8_t tier = reader.U8();
      if (tier < 1 || tier > 4) return false;
      c.tier = static_cast<identity::WalletTier>(tier);
      c.staff_id = reader.U64();
      *command = c;
      break;
    }
    case CommandType::kHoldFunds: {
      HoldFunds c;
      const uint8_t kind = reader.U8();
      if (kind != static_cast<uint8_t>(HoldKind::kTopUp) &&
          kind != static_cast<uint8_t>(HoldKind::kWithdrawal)) {
        return false;
      }
      c.kind = static_cast<HoldKind>(kind);
      c.transfer_id = reader.U64();
      c.customer_id = reader.U64();
      c.card_id = reader.U64();
      c.amount_fen = reader.I64();
      if (!ReadRiskOrigin(&reader, &c.device_hash, &c.ip_hash)) return false;
      *command = std::move(c);
      break;
    }
    case CommandType::kSettleHold: {
      SettleHold c;
      c.transfer_id = reader.U64();
      c.hold_id = reader.U64();
      const uint8_t post = reader.U8();
      if (post > 1) return false;
      c.post = post == 1;
      *command = c;
      break;
    }
    case CommandType::kCreateStaff: {
      CreateStaff c;
      identity::StaffRegistration& r = c.staff;
      for (std::string* field : {&r.username, &r.display_name, &r.password_hash}) {
        *field = std::string(reader.LengthPrefixed());
      }
      r.roles = reader.U32();
      if (reader.remaining() > 0) c.by_staff_id = reader.U64();
      *command = std::move(c);
      break;
    }
    case CommandType::kRecordStaffLogin: {
      RecordStaffLogin c;
      c.staff_id = reader.U64();
      const uint8_t ok = reader.U8();
      if (ok > 1) return false;
      c.password_ok = ok == 1;
      if (!ReadRiskOrigin(&reader, &c.device_hash, &c.ip_hash)) return false;
      *command = std::move(c);
      break;
    }
    case CommandType::kCreateStaffSession: {
      CreateStaffSession c;
      c.token_hash = std::string(reader.LengthPrefixed());
      c.staff_id = reader.U64();
      *command = std::move(c);
      break;
    }
    case CommandType::kApplyMerchant: {
      ApplyMerchant c;
      payments::MerchantProfile& p = c.profile;
      for (std::string* field :
           {&p.legal_name, &p.credit_code, &p.category, &p.settlement_bank_code,
            &p.settlement_account_sealed, &p.settlement_account_last4, &p.contact_phone}) {
        *field = std::string(reader.LengthPrefixed());
      }
      p.fee_bps = reader.U32();
      identity::StaffRegistration& r = c.owner;
      for (std::string* field : {&r.username, &r.display_name, &r.password_hash}) {
        *field = std::string(reader.LengthPrefixed());
      }
      r.roles = reader.U32();
      c.staff_id = reader.U64();
      if (!Bool(&reader, &c.activate)) return false;
      *command = std::move(c);
      break;
    }
    case CommandType::kReviewMerchant: {
      ReviewMerchant c;
      c.merchant_id = reader.U64();
      c.staff_id = reader.U64();
      const uint8_t status = reader.U8();
      if (status < 1 || status > 3) return false;
      c.status = static_cast<payments::MerchantStatus>(status);
      *command = c;
      break;
    }
    case CommandType::kRecordMerchantLogin: {
      RecordMerchantLogin c;
      c.user_id = reader.U64();
      if (!Bool(&reader, &c.password_ok)) return false;
      *command = c;
      break;
    }
    case CommandType::kCreateMerchantSession: {
      CreateMerchantSession c;
      c.token_hash = std::string(reader.LengthPrefixed());
      c.user_id = reader.U64();
      *command = std::move(c);
      break;
    }
    case CommandType::kIssueApiKey: {
      IssueApiKey c;
      c.merchant_id = reader.U64();
      c.key.key_id = std::string(reader.LengthPrefixed());
      c.key.secret_sealed = std::string(reader.LengthPrefixed());
      *command = std::move(c);
      break;
    }
    case CommandType::kRevokeApiKey: {
      RevokeApiKey c;
      c.merchant_id = reader.U64();
      c.key_id = std::string(reader.LengthPrefixed());
      *command = std::move(c);
      break;
    }
    case CommandType::kRegisterPaymentDevice: {
      RegisterPaymentDevice c;
      c.customer_id = reader.U64();
      c.slot = reader.U32();
      c.secret_sealed = std::string(reader.LengthPrefixed());
      *command = std::move(c);
      break;
    }
    case CommandType::kSetSmallPayments: {
      SetSmallPayments c;
      c.customer_id = reader.U64();
      if (!Bool(&reader, &c.enabled)) return false;
      c.per_payment_fen = reader.I64();
      c.per_day_fen = reader.I64();
      *command = c;
      break;
    }
    case CommandType::kCreateOrder: {
      CreateOrder c;
      c.merchant_id = reader.U64();
      c.merchant_order_no = std::string(reader.LengthPrefixed());
      c.amount_fen = reader.I64();
      c.expires_ns = reader.I64();
      c.description = std::string(reader.LengthPrefixed());
      c.notify_url = std::string(reader.LengthPrefixed());
      c.return_url = std::string(reader.LengthPrefixed());
      *command = std::move(c);
      break;
    }
    case CommandType::kCloseOrder: {
      CloseOrder c;
      c.merchant_id = reader.U64();
      c.order_id = reader.U64();
      *command = c;
      break;
    }
    case CommandType::kPay: {
      Pay c;
      c.payment_id = reader.U64();
      c.customer_id = reader.U64();
      c.merchant_id = reader.U64();
      c.order_id = reader.U64();
      c.amount_fen = reader.I64();
      const uint8_t channel = reader.U8();
      if (!payments::IsPaymentChannel(channel)) return false;
      c.channel = static_cast<payments::PaymentChannel>(channel);
      c.device_slot = reader.U32();
      c.code_step = reader.I64();
      c.code_step_seconds = reader.I64();
      c.code_window_steps = reader.U32();
      c.nfc_token = std::string(reader.LengthPrefixed());
      c.nfc_atc = reader.U32();
      if (!ReadPaymentAuth(&reader, &c.auth)) return false;
      if (reader.remaining() > 0) {
        c.coupon_id = reader.U64();
        const bool with_ip = reader.remaining() > 0;
        if (with_ip) c.auth.ip_hash = std::string(reader.LengthPrefixed());
        if (reader.remaining() > 0) {
          c.points = reader.I64();
          if (c.points <= 0) return false;  // Written only when not 0.
        } else if ((with_ip && c.auth.ip_hash.empty()) ||
                   (c.coupon_id == 0 && c.auth.ip_hash.empty())) {
          // Without points an IP is never "", and a coupon of 0 is written only before an IP:
          // one encoding per command.
          return false;
        }
      }
      *command = std::move(c);
      break;
    }
    case CommandType::kConfirmPayment: {
      ConfirmPayment c;
      c.customer_id = reader.U64();
      c.payment_id = reader.U64();
      if (!Bool(&reader, &c.confirm)) return false;
      if (!ReadPaymentAuth(&reader, &c.auth)) return false;
      if (!ReadPaymentIp(&reader, &c.auth)) return false;
      *command = std::move(c);
      break;
    }
    case CommandType::kRefund: {
      Refund c;
      c.refund_id = reader.U64();
      c.merchant_id = reader.U64();
      c.payment_id = reader.U64();
      c.amount_fen = reader.I64();
      *command = c;
      break;
    }
    case CommandType::kRecordInvoice: {
      RecordInvoice c;
      c.customer_id = reader.U64();
      InvoiceRow& r = c.invoice;
      r.number = std::string(reader.LengthPrefixed());
      r.payment_id = reader.U64();
      r.merchant_id = reader.U64();
      r.customer_id = reader.U64();
      for (std::string* field :
           {&r.buyer_title, &r.buyer_tax_id, &r.seller_name, &r.seller_tax_id, &r.item_name}) {
        *field = std::string(reader.LengthPrefixed());
      }
      r.amount_fen = reader.I64();
      r.tax_fen = reader.I64();
      r.tax_rate_bp = reader.U32();
      r.issued_ns = reader.I64();
      if (!Bool(&reader, &r.issued_locally)) return false;
      *command = std::move(c);
      break;
    }
    case CommandType::kStartSettlement: {
      StartSettlement c;
      c.settlement_id = reader.U64();
      c.merchant_id = reader.U64();
      c.business_day = reader.I64();
      *command = c;
      break;
    }
    case CommandType::kFinishSettlement: {
      FinishSettlement c;
      c.settlement_id = reader.U64();
      if (!Bool(&reader, &c.paid)) return false;
      *command = c;
      break;
    }
    case CommandType::kIssueNfcToken: {
      IssueNfcToken c;
      c.customer_id = reader.U64();
      c.token = std::string(reader.LengthPrefixed());
      c.luk_count = reader.U32();
      c.uses_per_luk = reader.U32();
      *command = std::move(c);
      break;
    }
    case CommandType::kRefreshNfcToken: {
      RefreshNfcToken c;
      c.customer_id = reader.U64();
      c.luk_count = reader.U32();
      c.uses_per_luk = reader.U32();
      *command = c;
      break;
    }
    case CommandType::kCreateMerchantUser: {
      CreateMerchantUser c;
      c.merchant_id = reader.U64();
      identity::StaffRegistration& r = c.user;
      for (std::string* field : {&r.username, &r.display_name, &r.password_hash}) {
        *field = std::string(reader.LengthPrefixed());
      }
      r.roles = reader.U32();
      *command = std::move(c);
      break;
    }
    case CommandType::kSetMerchantUserStatus: {
      SetMerchantUserStatus c;
      c.merchant_id = reader.U64();
      c.user_id = reader.U64();
      if (!Bool(&reader, &c.active)) return false;
      c.by_user_id = reader.U64();
      *command = c;
      break;
    }
    case CommandType::kRecordCreditInvoice: {
      RecordCreditInvoice c;
      c.refund_id = reader.U64();
      CreditInvoiceRow& r = c.invoice;
      r.number = std::string(reader.LengthPrefixed());
      r.refund_id = reader.U64();
      r.payment_id = reader.U64();
      r.original_number = std::string(reader.LengthPrefixed());
      r.merchant_id = reader.U64();
      r.customer_id = reader.U64();
      r.amount_fen = reader.I64();
      r.tax_fen = reader.I64();
      r.tax_rate_bp = reader.U32();
      r.issued_ns = reader.I64();
      if (!Bool(&reader, &r.issued_locally)) return false;
      *command = std::move(c);
      break;
    }
    case CommandType::kRotateWebhookSecret: {
      RotateWebhookSecret c;
      c.merchant_id = reader.U64();
      c.by_user_id = reader.U64();
      *command = c;
      break;
    }
    case CommandType::kRecordAudit: {
      RecordAudit c;
      audit::AuditEvent& e = c.event;
      e.time_ns = reader.I64();
      const uint8_t actor_kind = reader.U8();
      if (actor_kind > static_cast<uint8_t>(audit::ActorKind::kMerchantUser)) return false;
      e.actor_kind = static_cast<audit::ActorKind>(actor_kind);
      e.actor_id = reader.U64();
      e.action = std::string(reader.LengthPrefixed());
      e.target = std::string(reader.LengthPrefixed());
      e.detail = std::string(reader.LengthPrefixed());
      *command = std::move(c);
      break;
    }
    case CommandType::kSetPaymentPin: {
      SetPaymentPin c;
      identity::PinChange& change = c.change;
      c.customer_id = reader.U64();
      const uint8_t how = reader.U8();
      if (how < static_cast<uint8_t>(identity::PinAuthorization::kFirstSet) ||
          how > static_cast<uint8_t>(identity::PinAuthorization::kReset)) {
        return false;
      }
      change.how = static_cast<identity::PinAuthorization>(how);
      change.pin_hash = std::string(reader.LengthPrefixed());
      if (!Bool(&reader, &change.current_pin_ok)) return false;
      change.otp_hash = std::string(reader.LengthPrefixed());
      change.id_lookup_hash = std::string(reader.LengthPrefixed());
      *command = std::move(c);
      break;
    }
    case CommandType::kRecordPinAttempt: {
      RecordPinAttempt c;
      c.customer_id = reader.U64();
      if (!Bool(&reader, &c.pin_ok)) return false;
      *command = c;
      break;
    }
    case CommandType::kBeginTotpEnrolment: {
      BeginTotpEnrolment c;
      c.customer_id = reader.U64();
      c.secret_sealed = std::string(reader.LengthPrefixed());
      *command = std::move(c);
      break;
    }
    case CommandType::kConfirmTotp: {
      ConfirmTotp c;
      c.customer_id = reader.U64();
      c.step = reader.I64();
      c.secret_sealed = std::string(reader.LengthPrefixed());
      const uint32_t count = reader.U32();
      if (count > identity::kMaxRecoveryCodeHashes) return false;
      for (uint32_t i = 0; i < count && reader.ok(); i++) {
        c.recovery_code_hashes.emplace_back(reader.LengthPrefixed());
      }
      *command = std::move(c);
      break;
    }
    case CommandType::kUseTotp: {
      UseTotp c;
      c.customer_id = reader.U64();
      const uint8_t proof = reader.U8();
      if (proof > static_cast<uint8_t>(identity::TotpProof::kRecoveryCode)) return false;
      c.use.proof = static_cast<identity::TotpProof>(proof);
      c.use.step = reader.I64();
      c.use.recovery_code_hash = std::string(reader.LengthPrefixed());
      if (!Bool(&reader, &c.use.disable)) return false;
      *command = std::move(c);
      break;
    }
    case CommandType::kIssueDeviceChallenge: {
      IssueDeviceChallenge c;
      mfa::Challenge& challenge = c.challenge;
      c.customer_id = reader.U64();
      ReadNonce(&reader, &challenge.nonce);
      challenge.device_id = reader.U64();
      if (!ReadPurpose(&reader, &challenge.purpose)) return false;
      challenge.issued_ns = reader.I64();
      challenge.expires_ns = reader.I64();
      challenge.context = std::string(reader.LengthPrefixed());
      *command = std::move(c);
      break;
    }
    case CommandType::kRegisterDeviceKey: {
      RegisterDeviceKey c;
      c.customer_id = reader.U64();
      c.device_id = reader.U64();
      c.public_key = std::string(reader.LengthPrefixed());
      c.name = std::string(reader.LengthPrefixed());
      ReadNonce(&reader, &c.nonce);
      c.signature = std::string(reader.LengthPrefixed());
      // Written only for WebAuthn (key_kind 1); 0 is never written, so one encoding per command.
      if (reader.remaining() > 0) {
        c.key_kind = reader.U8();
        if (c.key_kind != 1) return false;
        for (std::string* field :
             {&c.authenticator_data, &c.client_data_json, &c.rp_id, &c.origin}) {
          *field = std::string(reader.LengthPrefixed());
        }
      }
      *command = std::move(c);
      break;
    }
    case CommandType::kAnswerDeviceChallenge: {
      AnswerDeviceChallenge c;
      c.customer_id = reader.U64();
      c.device_id = reader.U64();
      if (!ReadPurpose(&reader, &c.purpose)) return false;
      c.context = std::string(reader.LengthPrefixed());
      ReadNonce(&reader, &c.nonce);
      c.signature = std::string(reader.LengthPrefixed());
      // Written only for a WebAuthn answer (marker 1).
      if (reader.remaining() > 0) {
        if (reader.U8() != 1) return false;
        c.webauthn = true;
        for (std::string* field :
             {&c.authenticator_data, &c.client_data_json, &c.rp_id, &c.origin}) {
          *field = std::string(reader.LengthPrefixed());
        }
      }
      *command = std::move(c);
      break;
    }
    case CommandType::kRemoveDeviceKey: {
      RemoveDeviceKey c;
      c.customer_id = reader.U64();
      c.device_id = reader.U64();
      *command = c;
      break;
    }
    case CommandType::kResealSecrets: {
      ResealSecrets c;
      if (!DecodeResealSecrets(&reader, &c)) return false;
      *command = std::move(c);
      break;
    }
    case CommandType::kCloseCustomer: {
      CloseCustomer c;
      c.customer_id = reader.U64();
      c.otp_hash = std::string(reader.LengthPrefixed());
      *command = std::move(c);
      break;
    }
    case CommandType::kPurgeClosedIdentities:
      *command = PurgeClosedIdentities{};
      break;
    case CommandType::kReleaseCashback:
      *command = ReleaseCashback{};
      break;
    case CommandType::kSetPointsProgram: {
      SetPointsProgram c;
      c.staff_id = reader.U64();
      if (!points::DecodeProgram(&reader, &c.program)) return false;
      *command = std::move(c);
      break;
    }
    case CommandType::kSetLottery: {
      SetLottery c;
      c.staff_id = reader.U64();
      if (!lottery::DecodeConfig(&reader, &c.config)) return false;
      *command = std::move(c);
      break;
    }
    case CommandType::kLotterySignIn: {
      LotterySignIn c;
      c.customer_id = reader.U64();
      *command = std::move(c);
      break;
    }
    case CommandType::kDrawLottery: {
      DrawLottery c;
      c.customer_id = reader.U64();
      c.draw_id = reader.U64();
      c.nonce = std::string(reader.LengthPrefixed());
      *command = std::move(c);
      break;
    }
    case CommandType::kSetReferralProgram: {
      SetReferralProgram c;
      c.staff_id = reader.U64();
      if (!referral::DecodeProgram(&reader, &c.program)) return false;
      *command = std::move(c);
      break;
    }
    case CommandType::kPayOutClosedRefund: {
      PayOutClosedRefund c;
      c.staff_id = reader.U64();
      c.customer_id = reader.U64();
      c.payout_id = reader.U64();
      c.amount_fen = reader.I64();
      c.reference = std::string(reader.LengthPrefixed());
      *command = std::move(c);
      break;
    }
    case CommandType::kRotateSession: {
      RotateSession c;
      c.customer_id = reader.U64();
      c.old_token_hash = std::string(reader.LengthPrefixed());
      c.new_token_hash = std::string(reader.LengthPrefixed());
      *command = std::move(c);
      break;
    }
    case CommandType::kCreateCampaign:
    case CommandType::kUpdateCampaign:
    case CommandType::kTransitionCampaign:
    case CommandType::kFundCampaign:
    case CommandType::kCreateCouponTemplate:
    case CommandType::kClaimCoupon:
    case CommandType::kIssueCoupons:
    case CommandType::kEditCustomerList:
      if (!DecodeMarketingCommand(type, &reader, command)) return false;
      break;
    case CommandType::kSetRiskRules:
    case CommandType::kSetRiskListEntry:
    case CommandType::kReviewPayment:
      if (!DecodeRiskCommand(type, &reader, command)) return false;
      break;
    case CommandType::kSetRedPackets:
    case CommandType::kSendRedPacket:
    case CommandType::kClaimRedPacket:
      if (!DecodeRedPacketCommand(type, &reader, command)) return false;
      break;
    case CommandType::kCreateCouponCodes:
    case CommandType::kRedeemCouponCode:
      if (!DecodeCouponCodeCommand(type, &reader, command)) return false;
      break;
    case CommandType::kPushOffer:
    case CommandType::kReadMessages:
    case CommandType::kSetOfferPreference:
      if (!DecodeOfferCommand(type, &reader, command)) return false;
      break;
    default:
      return false;
  }
  return reader.ok() && reader.remaining() == 0;
}

}  // namespace

bool DecodeCommands(std::string_view payload, uint32_t expected_count,
                    std::vector<Command>* commands) {
  commands->clear();
  // `expected_count` comes from a record header on disk: reserve no more than the payload can
  // hold (every command takes at least its type and body length), so a bad count is rejected
  // below instead of exhausting memory here.
  constexpr size_t kMinCommandBytes = 2 + 4;
  commands->reserve(std::min<size_t>(expected_count, payload.size() / kMinCommandBytes));
  ByteReader reader(payload);
  while (reader.remaining() > 0) {
    if (commands->size() == expected_count) return false;
    const auto type = static_cast<CommandType>(reader.U16());
    const std::string_view body = reader.LengthPrefixed();
    if (!reader.ok()) return false;
    Command command;
    if (!DecodeBody(type, body, &command)) return false;
    commands->push_back(std::move(command));
  }
  return reader.ok() && commands->size() == expected_count;
}

}  // namespace qb::engine
