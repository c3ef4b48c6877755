// The journal payload: the commands of one batch.
//
// Byte grammar (integers little-endian):
//   payload          := command*
//   command          := type:u16 body_bytes:u32 body
//   body (type 1)    := count:u32 account{count}       (ledger_codec.h, 64 bytes each)
//   body (type 2)    := count:u32 transfer{count}      (ledger_codec.h, 68 bytes each)
//   body (type 3)    := account_id:u64
//   body (type 5)    := phone:str purpose:u8 code_hash:str                        (IssueOtp)
//   body (type 6)    := phone:str otp_hash:str password_hash:str channel:str
//                       invite_code:str [device_hash:str, only when it or ip_hash is not ""]
//                       [ip_hash:str, only when not ""]                  (RegisterCustomer)
//   body (type 7)    := customer_id:u64 password_ok:u8 [origin]                (RecordLogin)
//   body (type 8)    := token_hash:str customer_id:u64                      (CreateSession)
//   body (type 9)    := token_hash:str [reason:u8, only when not 0]          (RevokeSession)
//   body (type 10)   := transfer_id:u64 from_customer_id:u64 to_phone:str amount_fen:i64
//                       memo:str [auth [ip_hash:str, only when not ""]]     (P2PTransfer)
//   body (type 11)   := customer_id:u64 real_name:str id_lookup_hash:str id_sealed:str
//                       id_masked:str                                      (VerifyIdentity)
//   body (type 12)   := customer_id:u64 lookup_hash:str pan_sealed:str first6:str last4:str
//                       bank_code:str bank_token:str                             (BindCard)
//   body (type 13)   := customer_id:u64 card_id:u64                            (UnbindCard)
//   body (type 14)   := customer_id:u64 tier:u8 staff_id:u64                    (GrantTier)
//   body (type 15)   := kind:u8 transfer_id:u64 customer_id:u64 card_id:u64
//                       amount_fen:i64 [origin]                                (HoldFunds)
//   body (type 16)   := transfer_id:u64 hold_id:u64 post:u8                    (SettleHold)
//   body (type 17)   := username:str display_name:str password_hash:str roles:u32
//                       [by_staff_id:u64, only when not 0]                   (CreateStaff)
//   body (type 18)   := staff_id:u64 password_ok:u8 [origin]              (RecordStaffLogin)
//   body (type 19)   := token_hash:str staff_id:u64                     (CreateStaffSession)
//   body (type 30)   := payment_id:u64 customer_id:u64 merchant_id:u64 order_id:u64
//                       amount_fen:i64 channel:u8 device_slot:u32 code_step:i64
//                       code_step_seconds:i64 code_window_steps:u32 nfc_token:str nfc_atc:u32
//                       [auth [coupon_id:u64, only when not 0 or before an ip_hash]
//                       [ip_hash:str, only when not "" or before points]
//                       [points:i64, only when not 0]]                                (Pay)
//                       auth := strength:u8 device_hash:str otp_hash:str
//   (type 31, ConfirmPayment, likewise ends with auth [ip_hash:str, only when not ""])
//   origin           := device_hash:str ip_hash:str, only when either is not ""
//   body (type 42)   := time_ns:i64 actor_kind:u8 actor_id:u64 action:str target:str
//                       detail:str                                          (RecordAudit)
//   body (type 43)   := customer_id:u64 how:u8 pin_hash:str current_pin_ok:u8 otp_hash:str
//                       id_lookup_hash:str                                  (SetPaymentPin)
//   body (type 44)   := customer_id:u64 pin_ok:u8                        (RecordPinAttempt)
//   body (type 48)   := customer_id:u64 nonce:32 bytes device_id:u64 purpose:u8 issued_ns:i64
//                       expires_ns:i64 context:str                   (IssueDeviceChallenge)
//   body (type 49)   := customer_id:u64 device_id:u64 public_key:str name:str nonce:32 bytes
//                       signature:str [key_kind:u8 (1) authenticator_data:str
//                       client_data_json:str rp_id:str origin:str]     (RegisterDeviceKey)
//   body (type 50)   := customer_id:u64 device_id:u64 purpose:u8 context:str nonce:32 bytes
//                       signature:str [webauthn:u8 (1) authenticator_data:str
//                       client_data_json:str rp_id:str origin:str] (AnswerDeviceChallenge)
//                       The bracketed tails are WebAuthn's, absent from Ed25519 records.
//   body (type 51)   := customer_id:u64 device_id:u64                      (RemoveDeviceKey)
//   body (type 52)   := customer_id:u64 otp_hash:str                         (CloseCustomer)
//   body (type 53)   := count:u32 item{count}, see engine/reseal_command.h  (ResealSecrets)
//   body (type 54)   := customer_id:u64 old_token_hash:str new_token_hash:str (RotateSession)
//   body (type 55-61) : see engine/marketing_command.h (campaigns, budgets and coupons)
//   body (type 62-64) : see engine/risk_command.h (risk rules, lists and reviews)
//   body (type 65)   := (empty)                                      (PurgeClosedIdentities)
//   body (type 66)   := staff_id:u64 customer_id:u64 payout_id:u64 amount_fen:i64
//                       reference:str                                   (PayOutClosedRefund)
//   body (type 67)   := (empty)                                            (ReleaseCashback)
//   body (type 68)   := staff_id:u64 program (points/program.h)          (SetPointsProgram)
//   body (type 69)   := staff_id:u64 program (referral/program.h)        (SetReferralProgram)
//   body (type 70)   := staff_id:u64 config (lottery/lottery.h)                  (SetLottery)
//   body (type 71)   := customer_id:u64                                       (LotterySignIn)
//   body (type 72)   := customer_id:u64 draw_id:u64 nonce:str                  (DrawLottery)
//   str              := length:u32 bytes
// Queries (type 4) are never journaled.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/command.h"

namespace qb::engine {

// Appends one journaled command to `payload`.
void EncodeCommand(const Command& command, std::string* payload);

// Decodes a whole payload; false if it is malformed or holds other than `expected_count`
// commands.
bool DecodeCommands(std::string_view payload, uint32_t expected_count,
                    std::vector<Command>* commands);

}  // namespace qb::engine
