// Customers, their one-time codes, log-in lockout and sessions: the identity state the engine
// owns. Pure and deterministic like the ledger: no clock, no randomness, no I/O. Secrets arrive
// already hashed (codes, passwords, session tokens are generated and hashed outside the engine,
// which only stores and compares hashes), and time is the batch time.
//
// Rules (DESIGN.md, "Security"):
// - A one-time code lives 5 minutes, is used once, and dies after 5 wrong tries. A phone gets at
//   most one code a minute and 10 a China day, whatever the purpose.
// - 5 wrong passwords in a row lock log-in for 30 minutes.
// - A session lasts at most 12 hours; idle expiry is the API's business (it sees every request).
// - The payment PIN (支付密码): 5 wrong PINs in a row lock paying for 30 minutes; the next lock
//   after that lasts 2 hours, any later one 24 hours (escalation). A right PIN clears the count
//   of wrong ones but not the escalation: that decays back to the first step once 24 hours have
//   passed since the last lock ended without a new one. A locked PIN refuses even the right PIN.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/digest.h"
#include "identity/expiry_index.h"
#include "identity/session_table.h"
#include "identity/tier_limits.h"

namespace qb {
class ByteReader;
class ByteWriter;
}  // namespace qb

namespace qb::identity {

inline constexpr int64_t kNsPerSecond = 1'000'000'000;
inline constexpr int64_t kOtpLifetimeNs = 5 * 60 * kNsPerSecond;
inline constexpr uint32_t kOtpMaxTries = 5;
inline constexpr int64_t kOtpResendIntervalNs = 60 * kNsPerSecond;
inline constexpr uint32_t kOtpMaxPerDay = 10;
inline constexpr uint32_t kMaxFailedLogins = 5;
inline constexpr int64_t kLoginLockNs = 30 * 60 * kNsPerSecond;
inline constexpr int64_t kSessionLifetimeNs = 12 * 3600 * kNsPerSecond;
inline constexpr uint32_t kMaxPinFailures = 5;
// The PIN lock's length by escalation level (1, 2, 3 and above).
inline constexpr int64_t kPinLockNs[] = {30 * 60 * kNsPerSecond, 2 * 3600 * kNsPerSecond,
                                         24 * 3600 * kNsPerSecond};
inline constexpr uint8_t kMaxPinLockLevel = 3;
// Two-step log-in (TOTP, RFC 6238): 5 wrong codes in a row (TOTP or recovery) lock it for 30
// minutes. A customer holds at most kMaxRecoveryCodeHashes unspent recovery-code hashes.
inline constexpr uint32_t kMaxTotpFailures = 5;
inline constexpr int64_t kTotpLockNs = 30 * 60 * kNsPerSecond;
inline constexpr size_t kMaxRecoveryCodeHashes = 20;
// The last used TOTP step of a customer who has used none (mfa::kTotpNoStepUsed).
inline constexpr int64_t kNoTotpStep = -1;
// A lock level falls back to 0 once this long has passed since the last lock ended.
inline constexpr int64_t kPinLockDecayNs = 24 * 3600 * kNsPerSecond;
// How long an expired code is kept (so a late try hears "expired", not "not found") and how
// long a phone's sending rate is kept after its last code, before Sweep drops them.
inline constexpr int64_t kOtpKeepAfterExpiryNs = 3600 * kNsPerSecond;
inline constexpr int64_t kOtpRateKeepNs = 2 * 24 * 3600 * kNsPerSecond;

enum class OtpPurpose : uint8_t {
  kRegister = 1,
  kLogin = 2,
  kResetPassword = 3,
  kResetPin = 4,
  kPayment = 5,
  kCloseAccount = 6
};

// Stable values, part of the journal's replies: append, never renumber.
enum class IdentityResult : uint8_t {
  kOk = 0,
  kOtpTooFrequent = 1,
  kOtpDailyLimit = 2,
  kOtpNotFound = 3,  // None issued, or already used.
  kOtpExpired = 4,
  kOtpTooManyTries = 5,
  kOtpMismatch = 6,
  kPhoneTaken = 7,
  kCustomerNotFound = 8,
  kLoginLocked = 9,
  kSessionNotFound = 10,
  kSessionExists = 11,
  kInvalid = 12,          // A field the API should have rejected (empty hash, unknown purpose).
  kStaffTaken = 13,       // CreateStaff: the username is in use.
  kAlreadyVerified = 14,  // VerifyIdentity on a verified customer.
  kIdentityTaken = 15,    // The resident ID already verifies another wallet.
  kNotVerified = 16,      // Binding a card or granting a tier needs a verified identity.
  kCardTaken = 17,        // The card is bound already (to this customer or another).
  kCardLimit = 18,        // kMaxCardsPerCustomer reached.
  kCardNotFound = 19,
  kStaffNotFound = 20,
  kPinNotSet = 21,         // A PIN attempt (or change) for a customer without a payment PIN.
  kPinAlreadySet = 22,     // A first-time set when a PIN exists: change or reset it instead.
  kPinLocked = 23,         // Too many wrong PINs: Reply::value is the lock's end (ns).
  kPinMismatch = 24,       // A wrong PIN, counted: Reply::value is the tries left.
  kIdentityMismatch = 25,  // A PIN reset whose resident ID is not the verified one.
  // Two-step log-in (TOTP).
  kTotpNotEnabled = 26,      // A TOTP code (or recovery code) for a customer without TOTP on.
  kTotpAlreadyEnabled = 27,  // Starting an enrolment while TOTP is on: disable it first.
  kTotpNotPending = 28,      // Confirming with no enrolment started.
  kTotpInvalid = 29,         // A wrong or reused code, counted: Reply::value is the tries left.
  kTotpLocked = 30,          // Too many wrong codes: Reply::value is the lock's end (ns).
  // Account closure (PIPL).
  kBalanceNotZero = 31,  // The wallet holds money, posted or pending: spend or withdraw it first.
  kCustomerClosed = 32,  // The customer closed the account: nothing more can change.
  // Risk (engine/state_machine_risk.cc).
  kRiskDenied = 33,  // The risk rules refused a registration (say, from a blocked device).
};

std::string_view IdentityResultName(IdentityResult result);

inline constexpr size_t kMaxCardsPerCustomer = 10;
// How long a closed account's identity is kept (Anti-Money Laundering Law art. 19: five years
// after the business relationship ends): 5 × 365 days and the one leap day five years always
// hold, so never less than five calendar years.
inline constexpr int64_t kClosedIdentityRetentionNs = int64_t{1'826} * 86'400 * 1'000'000'000;

// A verified real-name identity. The resident ID number is never held in clear: `id_sealed` is
// a CardVault blob, `id_lookup_hash` its keyed hash (one identity, one wallet) and `id_masked`
// the display form.
struct VerifiedIdentity {
  std::string real_name;
  std::string id_lookup_hash;
  std::string id_sealed;
  std::string id_masked;
  int64_t verified_ns = 0;  // Set by the engine.
  // The birth date in the resident ID, YYYYMMDD, read by the API before it sealed the number:
  // what age-band campaigns need, and no more. 0 when unknown (verified before it was kept).
  uint32_t birth_date = 0;
  // IdentityCounterKey(id_lookup_hash), set by the book whenever it keeps an identity and never
  // serialized: the key of per-identity counters (a campaign's once-per-person caps), kept so
  // that a payment need not hash the lookup hash again.
  uint64_t counter_key = 0;
  bool operator==(const VerifiedIdentity&) const = default;
};

// A 64-bit digest of an identity's lookup hash (BLAKE2b under a fixed domain): never 0, but 0
// for an empty lookup hash.
uint64_t IdentityCounterKey(std::string_view id_lookup_hash);

// A bank card bound to a wallet (PCI DSS 3.4: the PAN only sealed; first 6 / last 4 shown).
struct BoundCard {
  uint64_t id = 0;  // Allocated by the engine.
  std::string lookup_hash;
  std::string pan_sealed;
  std::string first6;
  std::string last4;
  std::string bank_code;   // From the BIN table, e.g. "ICBC".
  std::string bank_token;  // The bank's token for the card (BankGateway); never the PAN.
  int64_t bound_ns = 0;    // Set by the engine.
  bool operator==(const BoundCard&) const = default;
};

// Two-step log-in: off, enrolment started (secret shown, not yet confirmed with a code), on.
enum class TotpState : uint8_t { kOff = 0, kPending = 1, kOn = 2 };

struct Customer {
  uint64_t id = 0;
  uint64_t wallet_account_id = 0;
  std::string phone;  // Normalised, 11 digits.
  std::string password_hash;
  std::string channel;      // Acquisition channel, for attribution.
  std::string invite_code;  // The inviter's code given at sign-up, if any.
  int64_t registered_ns = 0;
  WalletTier tier = WalletTier::kIV;
  uint32_t failed_logins = 0;
  int64_t locked_until_ns = 0;
  SpendingWindow spending;
  std::optional<VerifiedIdentity> identity;
  std::vector<BoundCard> cards;  // In binding order.
  // The payment PIN: its argon2id hash (empty: none set), wrong tries since the last right one
  // or lock, the current lock's end and the escalation level of the last lock.
  std::string pin_hash;
  uint32_t pin_failed = 0;
  int64_t pin_locked_until_ns = 0;
  uint8_t pin_lock_level = 0;
  // Two-step log-in. The secret only sealed (CardVault blob: the engine never opens it), the
  // last step a code was accepted for (no step at or before it is accepted again), the keyed
  // hashes of the unspent recovery codes, and wrong codes since the last right one or lock.
  TotpState totp_state = TotpState::kOff;
  std::string totp_secret_sealed;
  int64_t totp_last_step = kNoTotpStep;
  std::vector<std::string> recovery_code_hashes;
  uint32_t totp_failed = 0;
  int64_t totp_locked_until_ns = 0;
  // Closure (customer_book_closure.cc): when the customer closed the account, 0 while open.
  int64_t closed_ns = 0;
  // When money of theirs last moved: a completed payment, transfer sent, top-up or withdrawal
  // (customer_book_facts.cc). 0 when it never has. Win-back campaigns target the idle.
  int64_t last_money_ns = 0;

  bool closed() const { return closed_ns != 0; }
  bool verified() const { return identity.has_value(); }
  bool has_pin() const { return !pin_hash.empty(); }
  bool pin_locked(int64_t now_ns) const { return pin_locked_until_ns > now_ns; }
  uint32_t pin_tries_left() const {
    return pin_failed >= kMaxPinFailures ? 0 : kMaxPinFailures - pin_failed;
  }
  bool totp_on() const { return totp_state == TotpState::kOn; }
  bool totp_locked(int64_t now_ns) const { return totp_locked_until_ns > now_ns; }
  uint32_t totp_tries_left() const {
    return totp_failed >= kMaxTotpFailures ? 0 : kMaxTotpFailures - totp_failed;
  }
  const BoundCard* FindCard(uint64_t card_id) const;
  bool operator==(const Customer&) const = default;
};

// What a customer offered as the second factor, as the API found it (it opened the sealed
// secret and ran mfa::MatchTotp, or mfa::MatchRecoveryCode, on a worker).
enum class TotpProof : uint8_t {
  kWrong = 0,         // Neither matched: counted.
  kStep = 1,          // A TOTP code matched this step.
  kRecoveryCode = 2,  // A recovery code matched this hash.
};

struct TotpUse {
  TotpProof proof = TotpProof::kWrong;
  int64_t step = 0;                // kStep.
  std::string recovery_code_hash;  // kRecoveryCode.
  bool disable = false;            // On success, turn two-step log-in off.
};

struct Registration {
  std::string phone;
  std::string otp_hash;
  std::string password_hash;
  std::string channel;
  std::string invite_code;
};

// How a SetPaymentPin is authorised.
enum class PinAuthorization : uint8_t {
  kFirstSet = 1,  // No PIN yet: the session is enough.
  kChange = 2,    // The API verified the current PIN (off the engine thread): current_pin_ok.
  kReset = 3,     // A kResetPin code sent to the customer's phone and the verified resident ID.
};

struct PinChange {
  PinAuthorization how = PinAuthorization::kFirstSet;
  std::string pin_hash;         // argon2id of the new PIN; the policy was checked by the API.
  bool current_pin_ok = false;  // kChange.
  std::string otp_hash;         // kReset: the code's hash (HashOtp), purpose kResetPin.
  std::string id_lookup_hash;   // kReset: CardVault::LookupHash of the resident ID given.
};

class CustomerBook {
 public:
  // Records a newly issued code for (phone, purpose), replacing an older one.
  IdentityResult IssueOtp(std::string_view phone, OtpPurpose purpose, std::string_view code_hash,
                          int64_t now_ns);
  // Checks a code; a match uses it up. A mismatch counts a try.
  IdentityResult ConsumeOtp(std::string_view phone, OtpPurpose purpose, std::string_view code_hash,
                            int64_t now_ns);

  // Creates the customer if the phone is free and the register code matches. The caller
  // supplies the ids (the engine allocates them) and opens the wallet account.
  IdentityResult Register(const Registration& registration, uint64_t customer_id,
                          uint64_t wallet_account_id, int64_t now_ns);

  // Real-name verification: tier IV rises to III (a higher tier stays).
  IdentityResult VerifyIdentity(uint64_t customer_id, VerifiedIdentity identity, int64_t now_ns);
  // Binds a card to a verified customer under `card_id`; tier III rises to II.
  IdentityResult BindCard(uint64_t customer_id, BoundCard card, uint64_t card_id, int64_t now_ns);
  // Unbinds; a tier II customer without cards falls back to III.
  IdentityResult UnbindCard(uint64_t customer_id, uint64_t card_id);
  // Staff-granted tier (in-person verification); needs a verified identity.
  IdentityResult GrantTier(uint64_t customer_id, WalletTier tier);
  // The next card id BindCard will take (ids are never reused).
  uint64_t next_card_id() const { return next_card_id_; }

  const Customer* FindById(uint64_t customer_id) const;
  // A cache hint before FindById: starts loading the customer's slot, changes nothing.
  void Prefetch(uint64_t customer_id) const { customers_.prefetch(customer_id); }
  const Customer* FindByPhone(std::string_view phone) const;
  Customer* MutableById(uint64_t customer_id);

  // Log-in bookkeeping: the API verifies the password (slow, off the engine thread) and
  // reports the outcome here. A locked customer cannot succeed until the lock ends.
  IdentityResult RecordLogin(uint64_t customer_id, bool password_ok, int64_t now_ns);

  // Payment PIN bookkeeping, the same way: the API verifies the PIN against pin_hash on a worker
  // and reports the outcome. kOk, kPinMismatch (counted), kPinLocked (now or already; a right
  // PIN is refused too) or kPinNotSet.
  IdentityResult RecordPinAttempt(uint64_t customer_id, bool pin_ok, int64_t now_ns);
  // Sets the payment PIN as `change.how` allows (see PinAuthorization). A reset consumes the
  // code first (a wrong resident ID uses it up), then checks the ID against the verified one;
  // it clears the wrong-try count and the lock but keeps the escalation level.
  IdentityResult SetPaymentPin(uint64_t customer_id, const PinChange& change, int64_t now_ns);

  // Two-step log-in (customer_book_totp.cc). Begin records a new sealed secret as pending
  // (replacing a pending one; kTotpAlreadyEnabled when on). Confirm turns the pending secret on
  // with the step its first code matched and the recovery codes' hashes, if it is still the
  // secret the code was matched against (else kTotpNotPending). UseTotp spends a
  // second factor: a step must be later than the last used one, a recovery code's hash must be
  // unspent (it is removed); anything else counts a wrong try (the 5th locks for 30 minutes),
  // and a locked customer is refused even a right code. On success `use.disable` turns TOTP
  // off and forgets its secret and codes.
  IdentityResult BeginTotpEnrolment(uint64_t customer_id, std::string_view secret_sealed);
  IdentityResult ConfirmTotp(uint64_t customer_id, std::string_view secret_sealed, int64_t step,
                             const std::vector<std::string>& recovery_code_hashes);
  IdentityResult UseTotp(uint64_t customer_id, const TotpUse& use, int64_t now_ns);

  // Closes the account (PIPL; customer_book_closure.cc) once a kCloseAccount code sent to the
  // customer's phone matches; the caller has checked the wallet is empty and closes its ledger
  // account. What only served the customer is erased: password, PIN, TOTP, bound cards, every
  // session (their hashes appended to `revoked_sessions`, in hash order). The phone is
  // released (another customer may register it) and kept masked; the verified identity stays
  // sealed for the AML record-keeping period but no longer blocks a new wallet. kOk,
  // kCustomerNotFound, kCustomerClosed or a code error (the code is consumed first).
  IdentityResult Close(uint64_t customer_id, std::string_view otp_hash, int64_t now_ns,
                       std::vector<std::string>* revoked_sessions);

  // Ends the keeping period (customer_book_closure.cc): each customer closed at or before
  // `now_ns - kClosedIdentityRetentionNs` loses the sealed identity and the masked phone, the
  // last things naming them; the id, tier, channel and dates stay for the ledger and the
  // statistics. Earliest closure first, at most `limit`; appends (customer id, closed_ns) of
  // each to `purged`. A purged customer is closed with an empty phone.
  void PurgeIdentities(int64_t now_ns, size_t limit,
                       std::vector<std::pair<uint64_t, int64_t>>* purged);

  // Refused (kCustomerClosed) for a closed customer.
  IdentityResult CreateSession(std::string_view token_hash, uint64_t customer_id, int64_t now_ns);
  IdentityResult RevokeSession(std::string_view token_hash);
  // Session rotation on a privilege change: the customer's live session `old_hash` continues
  // under `new_hash` with the same expiry. kSessionNotFound unless `old_hash` is a live session
  // of `customer_id`; kSessionExists when `new_hash` is taken; kInvalid for an empty hash.
  IdentityResult RotateSession(uint64_t customer_id, std::string_view old_hash,
                               std::string_view new_hash, int64_t now_ns);
  // The session if it exists and has not reached its absolute expiry.
  const Session* FindSession(std::string_view token_hash, int64_t now_ns) const;
  // Drops sessions past their expiry, codes and sending rates past their keeping time: at most
  // `limit` of each, earliest first; returns how many in all. Deterministic, so the engine
  // runs it at the start of every batch.
  size_t Sweep(int64_t now_ns, size_t limit);

  size_t customer_count() const { return customers_.size(); }
  // Visits every session (token hash, session), in no particular order.
  template <typename Visit>
  void ForEachSession(Visit&& visit) const {
    sessions_.ForEach(visit);
  }
  size_t session_count() const { return sessions_.size(); }

  void Clear();
  Digest StateHash() const;
  void Serialize(std::string* out) const;
  bool Deserialize(std::string_view bytes);

 private:
  struct Otp {
    std::string code_hash;
    int64_t issued_ns = 0;
    uint32_t tries = 0;
    bool operator==(const Otp&) const = default;
  };
  struct OtpRate {
    int32_t day_number = 0;
    uint32_t issued_today = 0;
    int64_t last_issued_ns = 0;
    bool operator==(const OtpRate&) const = default;
  };
  // The TOTP trailer of the encoding (customer_book_totp.cc).
  // `force` writes an empty trailer when a later one follows.
  void SerializeTotp(ByteWriter* w, bool force) const;
  bool DeserializeTotp(ByteReader* r);
  bool AnyTotpState() const;
  // The closures trailer (customer_book_closure.cc), after the TOTP trailer.
  void SerializeClosures(ByteWriter* w, bool force) const;
  bool DeserializeClosures(ByteReader* r);
  bool AnyClosed() const;
  // customer_book_facts.cc: birth dates and last money movements.
  void SerializeFacts(ByteWriter* w) const;
  bool DeserializeFacts(ByteReader* r);
  bool AnyFacts() const;
  // Builds the phone and identity indexes of open customers; false on a duplicate.
  bool IndexOpenCustomers();

  static std::string OtpKey(std::string_view phone, OtpPurpose purpose);
  static int64_t OtpDeadline(const Otp& otp) {
    return otp.issued_ns + kOtpLifetimeNs + kOtpKeepAfterExpiryNs;
  }

  absl::flat_hash_map<uint64_t, Customer> customers_;
  absl::flat_hash_map<std::string, uint64_t> customer_by_phone_;
  absl::flat_hash_map<std::string, Otp> otps_;           // OtpKey → the live code.
  absl::flat_hash_map<std::string, OtpRate> otp_rates_;  // phone → sending rate.
  SessionTable sessions_;
  absl::flat_hash_map<std::string, uint64_t> customer_by_identity_;  // id lookup hash → id.
  absl::flat_hash_map<std::string, uint64_t> customer_by_card_;      // card lookup hash → id.
  uint64_t next_card_id_ = 1;
  // Derived: rebuilt by Deserialize, never serialized.
  std::set<std::pair<int64_t, uint64_t>> closed_unpurged_;  // (closed_ns, id): awaiting purge.
  ExpiryIndex otp_expiry_;
  ExpiryIndex rate_expiry_;
};

}  // namespace qb::identity
