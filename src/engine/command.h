// Commands: the only way to change engine state. Each is executed by the single writer in
// journal order; the same commands at the same batch times always give the same state.
#pragma once

#include <absl/container/inlined_vector.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "audit/audit_chain.h"
#include "engine/coupon_code_command.h"
#include "engine/marketing_command.h"
#include "engine/offer_command.h"
#include "engine/redpacket_command.h"
#include "engine/reseal_command.h"
#include "engine/risk_command.h"
#include "identity/customer_book.h"
#include "identity/staff_book.h"
#include "ledger/types.h"
#include "lottery/lottery.h"
#include "mfa/device_key.h"
#include "payments/payment_book.h"
#include "points/program.h"
#include "referral/program.h"
#include "store/store.h"

namespace qb::engine {

class StateMachine;

struct CreateAccounts {
  std::vector<ledger::Account> accounts;
};

struct CreateTransfers {
  // Two inline: a payment with one reward fits without a heap allocation.
  absl::InlinedVector<ledger::Transfer, 2> transfers;
};

struct CloseAccount {
  uint64_t account_id = 0;
};

// A read that runs on the engine thread at its place in the command order and is answered
// only once everything before it is durable. Not journaled: it changes nothing.
struct Query {
  std::function<void(const StateMachine&)> read;
};

// Identity commands. Secrets arrive hashed: the API generates codes and tokens, hashes them and
// sends only the hashes, so neither the journal nor a checkpoint ever holds a usable secret.
struct IssueOtp {
  std::string phone;
  identity::OtpPurpose purpose = identity::OtpPurpose::kRegister;
  std::string code_hash;
};

// Creates the customer and their wallet account (ids allocated by the engine; the new
// customer id comes back in Reply::value).
struct RegisterCustomer {
  RegisterCustomer() = default;
  // A constructor, not an aggregate, so `RegisterCustomer{registration}` stays valid.
  explicit RegisterCustomer(identity::Registration r, std::string device = "", std::string ip = "")
      : registration(std::move(r)), device_hash(std::move(device)), ip_hash(std::move(ip)) {}
  identity::Registration registration;
  // Keyed hash of the app's X-Device-Id, as in CreateSession, "" when none: the risk engine
  // judges the registration by its device. Records from before it decode as "".
  std::string device_hash;
  // Keyed hash of the client's IP address (never the address itself), "" when unknown: the
  // risk engine counts registrations per IP. Records from before it decode as "".
  std::string ip_hash;
};

// A password check of a customer log-in. With password_ok, the risk engine judges the log-in
// by its device and IP (keyed hashes as in RegisterCustomer, "" when unknown; records from
// before them decode as ""): a denied one answers IdentityResult::kRiskDenied and is not
// recorded as a success.
struct RecordLogin {
  uint64_t customer_id = 0;
  bool password_ok = false;
  std::string device_hash{};  // {}: brace-initialised records may leave them out.
  std::string ip_hash{};
};

struct CreateSession {
  std::string token_hash;
  uint64_t customer_id = 0;
  // Keyed hash of the device id the app sent (X-Device-Id), "" when none: the engine remembers
  // the customer's devices for the new-device rule (identity/known_devices.h).
  std::string device_hash;
};

// How the customer authenticated a payment from the balance (PBoC 2015 No. 43), carried by
// P2PTransfer, Pay and ConfirmPayment. The API checks the PIN, a TOTP code or a device-key
// signature before it submits and says how strong that was; an SMS code travels hashed and
// the engine consumes it itself (OtpPurpose::kPayment), which makes the payment two-factor.
// Commands journaled before these rules decode as kDeviceSignature, so they replay as they ran.
struct PaymentAuth {
  identity::AuthStrength strength = identity::AuthStrength::kOneFactor;
  std::string device_hash;  // As in CreateSession: which device pays.
  std::string otp_hash;     // "" or an SMS code of purpose kPayment, hashed like any OTP.
  // Keyed hash of the client's IP address, "" when unknown (merchant-initiated payments,
  // records from before it): the risk engine's `ip` of the event and the IP block list.
  std::string ip_hash{};
  bool operator==(const PaymentAuth&) const = default;
};

// Why a session ends, for the audit log. Stable values, journaled: append, never renumber.
enum class SignOut : uint8_t {
  kUnspecified = 0,       // Idle expiry, or a record from before sign-outs were audited.
  kSelf = 1,              // The holder logged out.
  kFromOtherSession = 2,  // Signed out from another session (the security centre).
};

// Sign-outs (kSelf, kFromOtherSession) are audited as "<kind>.sign_out" of the session's holder.
struct RevokeSession {
  std::string token_hash;
  SignOut reason = SignOut::kUnspecified;
};

// Session rotation (OWASP: a new token after a privilege change): the customer's session
// continues under a new token hash, same expiry; the old token stops working.
struct RotateSession {
  uint64_t customer_id = 0;
  std::string old_token_hash;
  std::string new_token_hash;
};

// Money from one customer's wallet to another's, found by phone, within both wallets' tier
// limits. `transfer_id` is the idempotency key, as for any transfer. The memo is journaled and
// projected into the history; the engine does not keep it.
struct P2PTransfer {
  uint64_t transfer_id = 0;
  uint64_t from_customer_id = 0;
  std::string to_phone;
  int64_t amount_fen = 0;
  std::string memo;
  PaymentAuth auth;  // Not enough for the day's spending: kChallengeRequired, nothing moves.
};

// Real-name verification passed (the API asked the IdentityVerifier): raises tier IV to III.
// The resident ID arrives sealed (CardVault blob) with a keyed lookup hash, so one identity
// can hold only one wallet, and masked for display.
struct VerifyIdentity {
  uint64_t customer_id = 0;
  identity::VerifiedIdentity identity;
};

// Binds a card (sealed PAN, keyed hash, display fields) to a verified customer; the new card id
// comes back in Reply::value. The first card raises tier III to II.
struct BindCard {
  uint64_t customer_id = 0;
  identity::BoundCard card;  // `id` and `bound_ns` are set by the engine.
};

// Unbinds one of the customer's cards. Losing the last card drops tier II back to III.
struct UnbindCard {
  uint64_t customer_id = 0;
  uint64_t card_id = 0;
};

// Staff grant a tier after in-person verification (tier I). Needs a verified identity.
struct GrantTier {
  uint64_t customer_id = 0;
  identity::WalletTier tier = identity::WalletTier::kI;
  uint64_t staff_id = 0;
};

// First phase of a card top-up (bank clearing → wallet) or withdrawal (wallet → bank
// clearing): a pending transfer with no timeout, settled by SettleHold once the bank answers.
// A top-up checks the balance cap counting pending money in; a withdrawal needs the funds.
enum class HoldKind : uint8_t { kTopUp = 1, kWithdrawal = 2 };
struct HoldFunds {
  HoldKind kind = HoldKind::kTopUp;
  uint64_t transfer_id = 0;
  uint64_t customer_id = 0;
  uint64_t card_id = 0;
  int64_t amount_fen = 0;
  // Keyed hashes of the app's device and of the client's IP address, "" when unknown (records
  // from before them decode as ""). The risk engine judges the hold before anything is held
  // (a top-up as risk::TopUp, a withdrawal as risk::Withdrawal): a denial, and for now a
  // challenge or a review too, answers MoneyResult::kRiskDenied. The event is learnt when
  // the bank answers (SettleHold), as completed when posted and refused when voided.
  std::string device_hash{};  // {}: brace-initialised records may leave them out.
  std::string ip_hash{};
};

// Posts (the bank did it) or voids (the bank refused) a hold made by HoldFunds.
// `transfer_id` is the id of the posting/voiding transfer.
struct SettleHold {
  uint64_t transfer_id = 0;
  uint64_t hold_id = 0;
  bool post = false;
};

// Staff. Passwords arrive hashed, as for customers; the new staff id comes back in
// Reply::value.
struct CreateStaff {
  identity::StaffRegistration staff;
  uint64_t by_staff_id = 0;  // The admin who created the account (audit); 0: `qianbao admin`.
};

struct RecordStaffLogin {
  uint64_t staff_id = 0;
  bool password_ok = false;
  // As in RecordLogin: where the try came from, for the audit entry. "" when unknown.
  std::string device_hash{};
  std::string ip_hash{};
};

struct CreateStaffSession {
  std::string token_hash;
  uint64_t staff_id = 0;
};

// --- Merchants and payments (payments/payment_book.h). Each answers one PaymentResult. ---

// Onboarding, by staff (staff_id set; `activate` skips review) or self-service (staff_id 0,
// always pending review). Creates the merchant, its settlement account and its owner's portal
// login. Reply::value is the merchant id, Reply::text the owner's user id in decimal.
struct ApplyMerchant {
  payments::MerchantProfile profile;
  identity::StaffRegistration owner;  // roles: payments::kMerchantOwner.
  uint64_t staff_id = 0;
  bool activate = false;
};

// Staff move a merchant between pending review, active and suspended.
struct ReviewMerchant {
  uint64_t merchant_id = 0;
  uint64_t staff_id = 0;
  payments::MerchantStatus status = payments::MerchantStatus::kActive;
};

struct RecordMerchantLogin {
  uint64_t user_id = 0;
  bool password_ok = false;
};

// The owner adds a portal user (a cashier, or another owner) to its merchant. Reply::value is
// the new user's id.
struct CreateMerchantUser {
  uint64_t merchant_id = 0;
  identity::StaffRegistration user;  // roles: payments::kMerchantOwner and/or kMerchantCashier.
};

// An owner disables a portal user (a cashier who left) or enables one again. A disabled user
// cannot log in, and the engine revokes every session it holds. The merchant always keeps an
// active owner, and an owner cannot disable themself. Setting the status a user already has
// answers kOk with nothing changed. Reply::value is 1 when the status changed, 0 when not.
struct SetMerchantUserStatus {
  uint64_t merchant_id = 0;
  uint64_t user_id = 0;
  bool active = true;
  uint64_t by_user_id = 0;  // The owner acting: an active owner of the same merchant.
};

struct CreateMerchantSession {
  std::string token_hash;
  uint64_t user_id = 0;
};

struct IssueApiKey {
  uint64_t merchant_id = 0;
  payments::ApiKey key;  // `created_ns` is set by the engine.
};

struct RevokeApiKey {
  uint64_t merchant_id = 0;
  std::string key_id;
};

// A customer's phone registers for payment codes; the API picks a random free slot (the engine
// refuses a slot held by another customer) and seals the secret.
struct RegisterPaymentDevice {
  uint64_t customer_id = 0;
  uint32_t slot = 0;
  std::string secret_sealed;
};

struct SetSmallPayments {
  uint64_t customer_id = 0;
  bool enabled = false;
  int64_t per_payment_fen = 0;
  int64_t per_day_fen = 0;
};

// A merchant's order (dynamic QR or online checkout). The same merchant_order_no again with the
// same amount answers kDuplicate and the existing order's id; with another amount kOrderExists.
// Description and URLs are journaled and projected, not kept by the engine.
// Reply::value is the order id.
struct CreateOrder {
  uint64_t merchant_id = 0;
  std::string merchant_order_no;
  int64_t amount_fen = 0;
  int64_t expires_ns = 0;
  std::string description;
  std::string notify_url;
  std::string return_url;
};

struct CloseOrder {
  uint64_t merchant_id = 0;
  uint64_t order_id = 0;
};

// A payment to a merchant: one linked chain customer → merchant (amount), merchant → fee income
// (the fee, charged per payment). With marketing (state_machine_marketing_payments.cc) the
// customer pays the amount less the discounts the campaigns give, each campaign's budget pays
// its discount to the merchant and its cashback to the customer, all in the same chain; the
// day's spending limits still count the full amount. StateMachine::FindPaymentMarketing says
// what the payment got. `payment_id` is the first transfer's id and the idempotency
// key. Scan-to-pay and checkout name the customer; a payment code names the device slot and the
// code's step instead (the API matched the code against the device's secret; the engine makes
// the step single use and checks it is within the window at batch time). Payment-code and NFC
// payments beyond the customer's small-payment caps wait for the customer's confirmation as a
// hold. Reply::value is the customer id, Reply::text the payment state name.
struct Pay {
  uint64_t payment_id = 0;
  uint64_t customer_id = 0;  // 0 for kPaymentCode.
  uint64_t merchant_id = 0;
  uint64_t order_id = 0;  // kDynamicQr and kOnline.
  int64_t amount_fen = 0;
  payments::PaymentChannel channel = payments::PaymentChannel::kStaticQr;
  uint32_t device_slot = 0;
  int64_t code_step = 0;
  int64_t code_step_seconds = 0;
  uint32_t code_window_steps = 0;
  std::string nfc_token;  // kNfc: the token and the transaction counter the terminal sent
  uint32_t nfc_atc = 0;   // (the API checked the cryptogram; the engine makes the ATC rise).
  // How the customer authenticated (customer-present channels; a payment code or NFC tap is
  // one factor). Too weak for the day's spending: the payment is held awaiting confirmation
  // with a step-up (Payment::step_up) and Reply::text is "challenge_required".
  PaymentAuth auth;
  // The coupon the customer chose (marketing), 0 for none. A coupon that cannot be redeemed
  // (not theirs, used, expired, its threshold not met) is not used: the payment goes through
  // without it. Commands journaled before coupons decode as 0.
  uint64_t coupon_id = 0;
  // Points the customer pays with (the points programme, points/program.h), 0 for none. They
  // are taken only as far as the programme lets them pay (points::Redeem); a payment with
  // points gets no campaign rewards (points do not combine with offers) but still earns.
  // Refused with kPointsNotAccepted when redemption is off, kPointsInsufficient when the
  // customer holds fewer. Commands journaled before points decode as 0.
  int64_t points = 0;
};

// Issues a customer's NFC payment token (the API draws the number; the engine refuses a taken
// one) with its first generation of limited-use keys; the customer's older token stops working.
struct IssueNfcToken {
  uint64_t customer_id = 0;
  std::string token;
  uint32_t luk_count = 0;
  uint32_t uses_per_luk = 0;
};

// The next generation of keys for the customer's live token, starting after the last ATC used.
// Reply::value is the new generation.
struct RefreshNfcToken {
  uint64_t customer_id = 0;
  uint32_t luk_count = 0;
  uint32_t uses_per_luk = 0;
};

// The customer confirms (post) or declines (void) a payment awaiting confirmation.
struct ConfirmPayment {
  uint64_t customer_id = 0;
  uint64_t payment_id = 0;
  bool confirm = false;
  // Confirming a payment held for a step-up needs at least its step_up: else
  // kChallengeRequired with the strength needed in Reply::value. Declining needs nothing.
  PaymentAuth auth;
};

// Gives back part or all of a payment: fee income → merchant (the fee share), merchant →
// customer (the amount), linked. Any number of refunds up to what the customer paid (the amount
// less marketing discounts); `refund_id` is the idempotency key. A refund of a payment that got
// rewards also returns their share to the campaigns in the same chain: merchant → budget for
// discounts, customer → budget for cashback (kInsufficientFunds if the customer cannot cover
// it); a fully refunded payment's coupon goes back to the wallet. Reply::value is the
// payment's refunded total afterwards.
struct Refund {
  uint64_t refund_id = 0;
  uint64_t merchant_id = 0;
  uint64_t payment_id = 0;
  int64_t amount_fen = 0;
};

// Records an e-invoice the InvoiceProvider issued for a completed payment of the customer's
// (one per payment: a second answers kDuplicate). Journaled and projected; the engine keeps only
// the number on the payment.
struct RecordInvoice {
  uint64_t customer_id = 0;
  InvoiceRow invoice;  // payment_id and the platform's fields; merchant and customer are checked.
};

// Records a red-letter invoice (红字发票) the InvoiceProvider issued after a refund of an
// invoiced payment. The refund must exist, its payment's (blue) invoice number must be the row's
// original_number, and the row's amount the refund's amount. One per refund: a second answers
// kDuplicate. Journaled and projected; the engine keeps only refund → number.
struct RecordCreditInvoice {
  uint64_t refund_id = 0;
  CreditInvoiceRow invoice;  // refund_id, payment_id, merchant and customer are checked.
};

// An owner rotates the merchant's webhook signing secret: the merchant's webhook_secret_version
// goes up by one and webhook_rotated_ns becomes the batch time. The secret itself is derived by
// the API from the version (never stored); for a while after a rotation the API signs with both
// the new and the previous one. kNotOwner unless `by_user_id` is an active owner of the
// merchant. Reply::value is the new version.
struct RotateWebhookSecret {
  uint64_t merchant_id = 0;
  uint64_t by_user_id = 0;
};

// T+1 settlement: pays out what the merchant took up to and including `business_day` (China
// time, days since the epoch; must be before the batch's day) and has not been paid yet, at most
// its available balance, as a pending transfer merchant → bank clearing. One per merchant and
// day (again: kDuplicate with the first's id). Reply::value is the amount.
struct StartSettlement {
  uint64_t settlement_id = 0;
  uint64_t merchant_id = 0;
  int64_t business_day = 0;
};

// The bank paid the settlement (post) or refused it (void: the money goes back to the days
// still to settle).
struct FinishSettlement {
  uint64_t settlement_id = 0;
  bool paid = false;
};

// An event only the API witnesses (a PII reveal with its reason, a report export, the ledger
// verification viewed), appended to the audit chain. The engine stamps the batch time over
// `event.time_ns`; an event that fails audit::IsValidEvent never reaches the journal (the
// engine refuses it as kInvalidCommand) and answers AuditResult::kInvalidEvent if replayed.
struct RecordAudit {
  audit::AuditEvent event;
};

// The outcome of RecordAudit. Stable values.
enum class AuditResult : uint8_t {
  kOk = 0,
  kInvalidEvent = 1,
};

// The payment PIN (支付密码). The PIN arrives hashed (argon2id), and a current PIN is verified by
// the API on a worker, as passwords are; the engine keeps the wrong-try count, the lock and its
// escalation (identity::CustomerBook). One IdentityResult; kPinMismatch answers the tries left in
// Reply::value, kPinLocked the lock's end (ns).
struct SetPaymentPin {
  uint64_t customer_id = 0;
  identity::PinChange change;
};

// A PIN entered to pay was right or wrong (the API compared it with pin_hash on a worker). kOk
// lets the payment go ahead; anything else and the API moves nothing.
struct RecordPinAttempt {
  uint64_t customer_id = 0;
  bool pin_ok = false;
};

// Two-step log-in (TOTP). The secret arrives sealed (CardVault) and is never opened by the
// engine; the API opens it on a worker, matches codes and sends the matched step. One
// IdentityResult each; kTotpInvalid answers the tries left in Reply::value, kTotpLocked the
// lock's end (ns). Begin records the secret as pending (not yet active).
struct BeginTotpEnrolment {
  uint64_t customer_id = 0;
  std::string secret_sealed;
};

// The first code matched `step` of the pending secret `secret_sealed` (the blob the API read
// and opened): two-step log-in is on, with these recovery-code hashes. kTotpNotPending when the
// pending secret is another one (an enrolment started again meanwhile).
struct ConfirmTotp {
  uint64_t customer_id = 0;
  int64_t step = 0;
  std::string secret_sealed;
  std::vector<std::string> recovery_code_hashes;
};

// A second factor offered at log-in or to disable TOTP (identity::CustomerBook::UseTotp).
struct UseTotp {
  uint64_t customer_id = 0;
  identity::TotpUse use;
};

// Device keys (Ed25519, mfa/device_key_book.h). One mfa::DeviceKeyResult each.
// A challenge the API drew with mfa::NewChallenge. The engine re-stamps issued_ns/expires_ns
// with the batch time (Reply::batch_time_ns), which is what expiry is checked against. For
// kDeviceBinding, challenge.device_id is 0 and the engine allocates the device id (Reply::value);
// the context is DeviceKeyBook::BindingContext(customer_id, key).
struct IssueDeviceChallenge {
  uint64_t customer_id = 0;
  mfa::Challenge challenge;
};

// Registers a key with proof of possession: `signature` answers the binding challenge `nonce`.
struct RegisterDeviceKey {
  uint64_t customer_id = 0;
  uint64_t device_id = 0;
  std::string public_key;  // The raw 32 bytes.
  std::string name;
  mfa::ChallengeNonce nonce{};
  std::string signature;  // base64url, as the client sent it. Empty for WebAuthn.
  // Appended for WebAuthn (mfa/webauthn.h); old records decode as Ed25519 (key_kind 0, the
  // rest empty). With key_kind 1 (mfa::DeviceKeyKind::kWebAuthn) public_key is empty and the
  // credential comes from the attestation's authenticator data; rp_id and origin are what the
  // server expected (its configuration when it took the request).
  uint8_t key_kind = 0;
  std::string authenticator_data{};  // raw bytes
  std::string client_data_json{};    // raw bytes
  std::string rp_id{};
  std::string origin{};
};

// A signed answer to a login, payment_confirmation or security_change challenge; consumes it.
// kBadSignature answers the tries left in Reply::value; the fifth suspends the key.
struct AnswerDeviceChallenge {
  uint64_t customer_id = 0;
  uint64_t device_id = 0;
  mfa::ChallengePurpose purpose = mfa::ChallengePurpose::kLogin;
  std::string context;
  mfa::ChallengeNonce nonce{};
  std::string signature;
  // Appended for an answer by a WebAuthn key (webauthn = true): the assertion's raw
  // authenticatorData and clientDataJSON (`signature` is then base64url of its signature), and
  // the rp id and origin the server expected. Old records decode with webauthn = false.
  bool webauthn = false;
  std::string authenticator_data{};
  std::string client_data_json{};
  std::string rp_id{};
  std::string origin{};
};

struct RemoveDeviceKey {
  uint64_t customer_id = 0;
  uint64_t device_id = 0;
};

// The customer closes the account (PIPL): only with an empty wallet (nothing posted or
// pending) and a kCloseAccount code sent to the phone, consumed here. The wallet's ledger
// account is closed, device keys and remembered devices are dropped, and the customer book
// erases the rest (CustomerBook::Close), revoking every session: Reply::value is how many.
struct CloseCustomer {
  uint64_t customer_id = 0;
  std::string otp_hash;
};

// The retention sweep, which the server submits every hour (Anti-Money Laundering Law art. 19:
// identity and records are kept five years after the relationship ends, then no longer). Each
// customer whose account closed at least identity::kClosedIdentityRetentionNs before the batch
// time loses what still names them: the sealed real-name identity and the masked phone
// (CustomerBook::PurgeIdentities).
// At most kMaxPurgesPerCommand a command; Reply::value is how many were purged.
struct PurgeClosedIdentities {};
inline constexpr size_t kMaxPurgesPerCommand = 1'000;

// A refund to a customer whose account has closed cannot reach the wallet (its ledger account is
// closed), so Refund credits the customer's closed-refund account (kClosedRefundAccountBase)
// instead. The customer can no longer log in: support contacts them, pays them through the
// bank (at a counter, or to the bank account they name) and records it with this command and
// the bank's reference. The transfer runs from the closed-refund account to the bank clearing
// account with code kClosedRefundPayout, and the ledger refuses more than is owed
// (kInsufficientFunds). Audited as customer.refund_payout. Results (PaymentResult): kOk,
// kInvalid (a zero id or amount, or a reference empty or over kMaxPayoutReferenceBytes),
// kStaffNotFound, kCustomerNotFound (unknown, or not closed), kDuplicate (payout_id was used;
// nothing moved), kInsufficientFunds.
struct PayOutClosedRefund {
  uint64_t staff_id = 0;
  uint64_t customer_id = 0;
  uint64_t payout_id = 0;  // the transfer's id
  int64_t amount_fen = 0;
  std::string reference;
};
inline constexpr size_t kMaxPayoutReferenceBytes = 64;

// The held-cashback sweep, which the server submits every minute: each cashback a campaign
// with rule.hold_seconds holds (a pending transfer budget → wallet, made by the payment) whose
// release time has come by the batch time is posted, so the customer can spend it. A refund
// in the meantime voids the hold's share instead (state_machine_marketing_payments.cc).
// Earliest release first, at most kMaxCashbackReleasesPerCommand a command; Reply::value is
// how many were released.
struct ReleaseCashback {};
inline constexpr size_t kMaxCashbackReleasesPerCommand = 4'096;

// Marketing ops replace the points programme (points/program.h): earning, redemption and the
// multiplier rules, for payments from the next command on. Answers one PaymentResult: kInvalid
// with the field in Reply::text ("POINTS_INVALID_PROGRAM:multipliers[0].multiplier") for a bad
// programme; Reply::value is the programme's new version. Audited as points.program_set.
struct SetPointsProgram {
  uint64_t staff_id = 0;
  points::Program program;
};

// Marketing ops replace the referral programme (referral/program.h): what a qualifying payment
// gives the inviter and the invitee, and the cash budget. Raising the budget funds the
// programme's budget account from marketing expense; lowering it (never below what was spent)
// returns the difference. Answers one PaymentResult like SetPointsProgram
// ("REFERRAL_INVALID_PROGRAM:budget_fen"); Reply::value is the new version. Audited as
// referral.program_set.
struct SetReferralProgram {
  uint64_t staff_id = 0;
  referral::Program program;
};

// The lottery (抽奖, engine/state_machine_lottery.cc). Answers one MarketingResult each.
// SetLottery: marketing ops replace the configuration (lottery/lottery.h); kInvalid with
// "LOTTERY_INVALID:field" in Reply::text; raising the cash budget funds kLotteryBudgetAccountId
// from marketing expense, lowering it (never below what was spent) returns the difference;
// Reply::value is the new version; audited as lottery.config_set.
struct SetLottery {
  uint64_t staff_id = 0;
  lottery::Config config;
};
// A customer's daily sign-in (签到): one draw when the lottery gives one; kRefused with
// LOTTERY_OFF or LOTTERY_SIGNED_IN in Reply::text.
struct LotterySignIn {
  uint64_t customer_id = 0;
};
// A customer draws. `draw_id` is the API's (a repeated id answers kDuplicate, the first draw's
// id in Reply::value); `nonce` is kLotteryNonceBytes from the API's CSPRNG, journaled with the
// command, so the draw is fixed on replay yet unpredictable to the customer. kRefused with
// LOTTERY_OFF, LOTTERY_NO_DRAWS, LOTTERY_DAILY_LIMIT or LOTTERY_WALLET_FULL (a cash prize the
// wallet's balance cap cannot take: nothing used). Reply::value: the draw id.
struct DrawLottery {
  uint64_t customer_id = 0;
  uint64_t draw_id = 0;
  std::string nonce;
};
inline constexpr size_t kLotteryNonceBytes = 16;

using Command = std::variant<
    CreateAccounts, CreateTransfers, CloseAccount, Query, IssueOtp, RegisterCustomer, RecordLogin,
    CreateSession, RevokeSession, P2PTransfer, VerifyIdentity, BindCard, UnbindCard, GrantTier,
    HoldFunds, SettleHold, CreateStaff, RecordStaffLogin, CreateStaffSession, ApplyMerchant,
    ReviewMerchant, RecordMerchantLogin, CreateMerchantSession, IssueApiKey, RevokeApiKey,
    RegisterPaymentDevice, SetSmallPayments, CreateOrder, CloseOrder, Pay, ConfirmPayment, Refund,
    RecordInvoice, StartSettlement, FinishSettlement, IssueNfcToken, RefreshNfcToken,
    CreateMerchantUser, SetMerchantUserStatus, RecordCreditInvoice, RotateWebhookSecret,
    RecordAudit, SetPaymentPin, RecordPinAttempt, BeginTotpEnrolment, ConfirmTotp, UseTotp,
    IssueDeviceChallenge, RegisterDeviceKey, AnswerDeviceChallenge, RemoveDeviceKey, ResealSecrets,
    CloseCustomer, RotateSession, CreateCampaign, UpdateCampaign, TransitionCampaign, FundCampaign,
    CreateCouponTemplate, ClaimCoupon, IssueCoupons, SetRiskRules, SetRiskListEntry, ReviewPayment,
    PurgeClosedIdentities, PayOutClosedRefund, ReleaseCashback, SetPointsProgram,
    SetReferralProgram, SetLottery, LotterySignIn, DrawLottery, SetRedPackets, SendRedPacket,
    ClaimRedPacket, CreateCouponCodes, RedeemCouponCode, PushOffer, ReadMessages,
    SetOfferPreference, EditCustomerList>;

// Stable numbers, written into the journal. Append, never renumber.
enum class CommandType : uint16_t {
  kCreateAccounts = 1,
  kCreateTransfers = 2,
  kCloseAccount = 3,
  kQuery = 4,
  kIssueOtp = 5,
  kRegisterCustomer = 6,
  kRecordLogin = 7,
  kCreateSession = 8,
  kRevokeSession = 9,
  kP2PTransfer = 10,
  kVerifyIdentity = 11,
  kBindCard = 12,
  kUnbindCard = 13,
  kGrantTier = 14,
  kHoldFunds = 15,
  kSettleHold = 16,
  kCreateStaff = 17,
  kRecordStaffLogin = 18,
  kCreateStaffSession = 19,
  kApplyMerchant = 20,
  kReviewMerchant = 21,
  kRecordMerchantLogin = 22,
  kCreateMerchantSession = 23,
  kIssueApiKey = 24,
  kRevokeApiKey = 25,
  kRegisterPaymentDevice = 26,
  kSetSmallPayments = 27,
  kCreateOrder = 28,
  kCloseOrder = 29,
  kPay = 30,
  kConfirmPayment = 31,
  kRefund = 32,
  kRecordInvoice = 33,
  kStartSettlement = 34,
  kFinishSettlement = 35,
  kIssueNfcToken = 36,
  kRefreshNfcToken = 37,
  kCreateMerchantUser = 38,
  kSetMerchantUserStatus = 39,
  kRecordCreditInvoice = 40,
  kRotateWebhookSecret = 41,
  kRecordAudit = 42,
  kSetPaymentPin = 43,
  kRecordPinAttempt = 44,
  kBeginTotpEnrolment = 45,
  kConfirmTotp = 46,
  kUseTotp = 47,
  kIssueDeviceChallenge = 48,
  kRegisterDeviceKey = 49,
  kAnswerDeviceChallenge = 50,
  kRemoveDeviceKey = 51,
  kCloseCustomer = 52,
  kResealSecrets = 53,  // engine/reseal_command.h
  kRotateSession = 54,
  kCreateCampaign = 55,  // engine/marketing_command.h, 55 to 61
  kUpdateCampaign = 56,
  kTransitionCampaign = 57,
  kFundCampaign = 58,
  kCreateCouponTemplate = 59,
  kClaimCoupon = 60,
  kIssueCoupons = 61,
  kSetRiskRules = 62,  // engine/risk_command.h, 62 to 64
  kSetRiskListEntry = 63,
  kReviewPayment = 64,
  kPurgeClosedIdentities = 65,
  kPayOutClosedRefund = 66,
  kReleaseCashback = 67,
  kSetPointsProgram = 68,
  kSetReferralProgram = 69,
  kSetLottery = 70,
  kLotterySignIn = 71,
  kDrawLottery = 72,
  kSetRedPackets = 73,  // engine/redpacket_command.h, 73 to 75
  kSendRedPacket = 74,
  kClaimRedPacket = 75,
  kCreateCouponCodes = 76,  // engine/coupon_code_command.h, 76 and 77
  kRedeemCouponCode = 77,
  kPushOffer = 78,  // engine/offer_command.h, 78 to 80
  kReadMessages = 79,
  kSetOfferPreference = 80,
  kEditCustomerList = 81,  // engine/marketing_command.h
};

CommandType TypeOf(const Command& command);
std::string_view CommandTypeName(CommandType type);
inline bool IsJournaled(const Command& command) { return !std::holds_alternative<Query>(command); }

// The engine's answer to one command.
enum class ReplyStatus : uint8_t {
  kOk = 0,          // Executed; `results` holds one ledger result code per item.
  kOverloaded,      // The queue was full; nothing happened. Retry later.
  kStoreFailed,     // The journal could not be made durable; the outcome is unknown until
                    // recovery, which keeps or drops the command as a whole.
  kShuttingDown,    // The engine is stopping; nothing happened.
  kInvalidCommand,  // Rejected before execution (e.g. too many items).
};

std::string_view ReplyStatusName(ReplyStatus status);

struct Reply {
  ReplyStatus status = ReplyStatus::kOk;
  // CreateAccountResult / CreateTransferResult values, one per item; one bool for Close; one
  // IdentityResult for identity, card and staff commands; one MoneyResult for P2PTransfer,
  // HoldFunds and SettleHold.
  absl::InlinedVector<uint8_t, 2> results;
  // RegisterCustomer: the new customer's id; BindCard: the card id; CreateStaff: the staff id;
  // P2PTransfer (ok): the transfer's ledger timestamp.
  uint64_t value = 0;
  // P2PTransfer (ok): the payee's masked real name, "" when unverified. Lets the API answer a
  // transfer without a second trip through the engine.
  std::string text;
  uint64_t journal_seq = 0;  // The batch that holds the command.
  int64_t batch_time_ns = 0;
};

// The outcome of a money command (P2PTransfer, HoldFunds, SettleHold), ordered by precedence.
// Stable values: append, never renumber.
enum class MoneyResult : uint8_t {
  kOk = 0,
  kInvalid = 1,  // Zero or negative amount, or zero id.
  kSenderNotFound = 2,
  kReceiverNotFound = 3,
  kSameCustomer = 4,
  kExceedsPerPayment = 5,
  kExceedsDaily = 6,
  kExceedsYearly = 7,
  kReceiverBalanceCap = 8,
  kInsufficientFunds = 9,
  kDuplicate = 10,             // The transfer id was used before; nothing moved this time.
  kCardNotFound = 11,          // Not one of the customer's bound cards.
  kHoldNotFound = 12,          // SettleHold: no such hold (or not one made by HoldFunds).
  kHoldSettled = 13,           // SettleHold: the hold was already posted or voided.
  kChallengeRequired = 14,     // P2P: the day's spending needs a stronger authentication; the
                               // strength needed is in Reply::value.
  kSecondFactorRejected = 15,  // The SMS code was wrong, used or expired: the IdentityResult is
                               // in Reply::value. Nothing moved.
  kRiskDenied = 16,            // P2P: the risk rules refused it (or held it for a review, which
                               // transfers do not have yet). Nothing moved.
};

std::string_view MoneyResultName(MoneyResult result);

// The outcome of a merchant or payment command, ordered by precedence. Stable values.
enum class PaymentResult : uint8_t {
  kOk = 0,
  kInvalid = 1,  // A field the API should have rejected.
  kStaffNotFound = 2,
  kUserTaken = 3,  // ApplyMerchant: the owner's username is in use.
  kMerchantNotFound = 4,
  kMerchantNotActive = 5,
  kUserNotFound = 6,
  kLoginLocked = 7,
  kSessionExists = 8,
  kApiKeyRefused = 9,  // Key id taken, or the merchant has kMaxApiKeysPerMerchant live keys.
  kApiKeyNotFound = 10,
  kCustomerNotFound = 11,
  kSlotTaken = 12,
  kOrderExists = 13,  // The merchant order number is used by an order with another amount.
  kOrderNotFound = 14,
  kOrderNotOpen = 15,  // Paid or closed.
  kOrderExpired = 16,
  kAmountMismatch = 17,  // A dynamic-QR or online payment must pay the order's amount.
  kDeviceNotFound = 18,
  kCodeExpired = 19,
  kCodeReused = 20,
  kExceedsPerPayment = 21,
  kExceedsDaily = 22,
  kExceedsYearly = 23,
  kInsufficientFunds = 24,
  kDuplicate = 25,  // The id was used before; nothing moved this time.
  kPaymentNotFound = 26,
  kNotAwaitingConfirmation = 27,
  kRefundExceedsPayment = 28,
  kMerchantInsufficientFunds = 29,  // The merchant's account cannot cover the refund.
  kPaymentNotCompleted = 30,        // Refunding a payment still awaiting confirmation.
  kNothingToSettle = 31,
  kSettlementNotFound = 32,
  kSettlementFinished = 33,  // FinishSettlement of one already paid or failed.
  kNfcTokenNotFound = 34,    // Unknown, or no longer the customer's live token.
  kNfcReplayed = 35,         // The ATC is not above the last one accepted.
  kNfcKeysExhausted = 36,    // The ATC is beyond the generation's keys: refresh.
  kNfcTokenTaken = 37,
  kUserDisabled = 38,       // Log-in or a new session for a disabled portal user.
  kLastOwner = 39,          // Disabling the merchant's last active owner.
  kSelfDisable = 40,        // An owner disabling themself.
  kNotOwner = 41,           // SetMerchantUserStatus or RotateWebhookSecret by other than an active
                            // owner of the merchant.
  kChallengeRequired = 42,  // ConfirmPayment weaker than the payment's step-up (Reply::value).
  kSecondFactorRejected = 43,  // As MoneyResult::kSecondFactorRejected.
  kRiskDenied = 44,            // Pay: the risk rules refused it; nothing moved.
  kPointsNotAccepted = 45,     // Pay with points while the programme takes none.
  kPointsInsufficient = 46,    // Pay with more points than the customer holds.
};

std::string_view PaymentResultName(PaymentResult result);

// Customer wallets get ledger account ids from this base up, one per customer id, so they can
// never collide with the system and merchant accounts below it.
inline constexpr uint64_t kCustomerWalletAccountBase = uint64_t{1} << 48;
// The bank clearing account: money on its way from or to real bank cards. It may go negative
// (the banks owe the wallet), so it has no balance flag.
inline constexpr uint64_t kBankClearingAccountId = 1;
// Transfer codes (ledger/types.h), by their engine names.
inline constexpr uint16_t kTransferCodeP2P = ledger::transfer_codes::kP2P;
inline constexpr uint16_t kTransferCodeTopUp = ledger::transfer_codes::kTopUp;
inline constexpr uint16_t kTransferCodeWithdrawal = ledger::transfer_codes::kWithdrawal;
// Fee income: every merchant's payment fee. No overdraft.
inline constexpr uint64_t kFeeIncomeAccountId = 2;
// Closed-refund accounts: this base plus the customer id, kSuspense, no overdraft. Created by
// the first refund to a closed wallet; what it holds the bank owes the former customer until
// support pays it out (PayOutClosedRefund).
inline constexpr uint64_t kClosedRefundAccountBase = uint64_t{1} << 46;
// Merchant settlement accounts: this base plus the merchant id.
inline constexpr uint64_t kMerchantAccountBase = uint64_t{1} << 40;
// Marketing expense: what campaigns cost the bank. Campaign budgets are funded from it and
// ended campaigns return what they did not spend to it. It may go negative (the bank's
// expense), so it has no balance flag. Created with the first campaign.
inline constexpr uint64_t kMarketingExpenseAccountId = 3;
// Campaign budget accounts: this base plus the campaign id, kCampaignBudget, no overdraft, so a
// campaign can never pay out more than it was funded with.
inline constexpr uint64_t kCampaignBudgetAccountBase = uint64_t{1} << 44;
// The points pool: every point is issued from it (earning) and goes back to it (redemption,
// clawback, forfeit at closure). Points ledger; it goes negative by the points customers hold,
// so it has no balance flag. Created by the first points a payment earns.
inline constexpr uint64_t kPointsPoolAccountId = 4;
// The referral programme's budget: cash rewards are paid from it, so they never exceed what was
// funded. kCampaignBudget, no overdraft. Created by the first programme with a budget.
inline constexpr uint64_t kReferralBudgetAccountId = 5;
// The lottery's cash budget, likewise: cash prizes are paid from it.
inline constexpr uint64_t kLotteryBudgetAccountId = 6;
// The red-packet programme's budget, likewise: every share claimed is paid from it.
inline constexpr uint64_t kRedPacketBudgetAccountId = 7;
// Customers' points accounts: this base plus the customer id, points ledger, no overdraft.
// Created by the customer's first points.
inline constexpr uint64_t kPointsAccountBase = uint64_t{1} << 47;
// How long a payment awaiting the customer's confirmation holds the money.
inline constexpr uint32_t kConfirmationTimeoutS = 120;
// A payment held for a step-up waits longer: an SMS code may take a minute to arrive.
inline constexpr uint32_t kStepUpTimeoutS = 300;
// A payment the risk rules hold for a review (PaymentState::kUnderReview) waits a day for an
// analyst; then the hold expires and the money goes back.
inline constexpr uint32_t kRiskReviewTimeoutS = 86'400;
inline constexpr size_t kMaxIdentityFieldBytes = 512;

// Limits on one command, so a single request cannot stall the engine.
inline constexpr size_t kMaxItemsPerCommand = 8190;

}  // namespace qb::engine
