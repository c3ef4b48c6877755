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
#pragma once

#include <absl/container/flat_hash_map.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/digest.h"
#include "identity/expiry_index.h"
#include "identity/session_table.h"
#include "identity/tier_limits.h"

namespace qb::identity {

inline constexpr int64_t kNsPerSecond = 1'000'000'000;
inline constexpr int64_t kOtpLifetimeNs = 5 * 60 * kNsPerSecond;
inline constexpr uint32_t kOtpMaxTries = 5;
inline constexpr int64_t kOtpResendIntervalNs = 60 * kNsPerSecond;
inline constexpr uint32_t kOtpMaxPerDay = 10;
inline constexpr uint32_t kMaxFailedLogins = 5;
inline constexpr int64_t kLoginLockNs = 30 * 60 * kNsPerSecond;
inline constexpr int64_t kSessionLifetimeNs = 12 * 3600 * kNsPerSecond;
// How long an expired code is kept (so a late try hears "expired", not "not found") and how
// long a phone's sending rate is kept after its last code, before Sweep drops them.
inline constexpr int64_t kOtpKeepAfterExpiryNs = 3600 * kNsPerSecond;
inline constexpr int64_t kOtpRateKeepNs = 2 * 24 * 3600 * kNsPerSecond;

enum class OtpPurpose : uint8_t { kRegister = 1, kLogin = 2, kResetPassword = 3 };

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
};

std::string_view IdentityResultName(IdentityResult result);

inline constexpr size_t kMaxCardsPerCustomer = 10;

// A verified real-name identity. The resident ID number is never held in clear: `id_sealed` is
// a CardVault blob, `id_lookup_hash` its keyed hash (one identity, one wallet) and `id_masked`
// the display form.
struct VerifiedIdentity {
  std::string real_name;
  std::string id_lookup_hash;
  std::string id_sealed;
  std::string id_masked;
  int64_t verified_ns = 0;  // Set by the engine.
  bool operator==(const VerifiedIdentity&) const = default;
};

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

  bool verified() const { return identity.has_value(); }
  const BoundCard* FindCard(uint64_t card_id) const;
  bool operator==(const Customer&) const = default;
};

struct Registration {
  std::string phone;
  std::string otp_hash;
  std::string password_hash;
  std::string channel;
  std::string invite_code;
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
  const Customer* FindByPhone(std::string_view phone) const;
  Customer* MutableById(uint64_t customer_id);

  // Log-in bookkeeping: the API verifies the password (slow, off the engine thread) and
  // reports the outcome here. A locked customer cannot succeed until the lock ends.
  IdentityResult RecordLogin(uint64_t customer_id, bool password_ok, int64_t now_ns);

  IdentityResult CreateSession(std::string_view token_hash, uint64_t customer_id, int64_t now_ns);
  IdentityResult RevokeSession(std::string_view token_hash);
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
  ExpiryIndex otp_expiry_;
  ExpiryIndex rate_expiry_;
};

}  // namespace qb::identity
