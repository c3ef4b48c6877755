// The events the risk engine sees: small plain structs the engine thread fills from a command.
// Every id is an opaque uint64 (a customer id, or a keyed hash of a device, IP, card, identity
// number or phone number); 0 means "none". Amounts are fen. Times are never inside an event:
// the caller passes the journal's time beside it.
#pragma once

#include <cstdint>
#include <string_view>
#include <variant>

namespace qb::risk {

enum class PaymentChannel : uint8_t { kQr = 0, kPaymentCode = 1, kOnline = 2, kNfc = 3 };
inline constexpr size_t kPaymentChannelCount = 4;

// How the customer proved it was them (PBoC 2015 No. 43): one factor (password-free small
// payment or PIN alone), two factors (PIN on a bound device), or a device-key signature
// unlocked by a biometric.
enum class AuthStrength : uint8_t { kNone = 0, kOneFactor = 1, kTwoFactors = 2, kDeviceKey = 3 };

struct Registration {
  uint64_t customer = 0;
  uint64_t device = 0;
  uint64_t ip = 0;
  uint64_t phone = 0;     // the 11-digit number itself: bursts are found by its leading digits
  uint64_t inviter = 0;   // the customer whose referral code was used; 0: none
  uint64_t identity = 0;  // keyed hash of the ID number; 0: not verified yet
};

struct Login {
  uint64_t customer = 0;
  uint64_t device = 0;
  uint64_t ip = 0;
};

struct Payment {
  uint64_t customer = 0;
  uint64_t device = 0;
  uint64_t ip = 0;
  uint64_t merchant = 0;
  int64_t amount_fen = 0;
  PaymentChannel channel = PaymentChannel::kQr;
  AuthStrength auth = AuthStrength::kDeviceKey;
  uint8_t tier = 0;             // wallet tier 1 (in person) .. 4 (phone only); 0: unknown
  bool reward_present = false;  // a coupon, cashback or points would be granted
};

struct Transfer {
  uint64_t customer = 0;  // the sender
  uint64_t payee = 0;     // the receiving customer
  uint64_t device = 0;
  uint64_t ip = 0;
  int64_t amount_fen = 0;
  AuthStrength auth = AuthStrength::kDeviceKey;
  uint8_t tier = 0;
};

// Money from a bound bank card into the wallet. Whether the bank accepted it is the Outcome
// passed to Record.
struct TopUp {
  uint64_t customer = 0;
  uint64_t device = 0;
  uint64_t card = 0;
  int64_t amount_fen = 0;
};

struct Withdrawal {
  uint64_t customer = 0;
  uint64_t device = 0;
  uint64_t ip = 0;
  uint64_t card = 0;
  int64_t amount_fen = 0;
  uint8_t tier = 0;
};

struct CouponClaim {
  uint64_t customer = 0;
  uint64_t device = 0;
  uint64_t campaign = 0;
};

// A reward about to be granted: a new-user bonus, a referral bonus (to the inviter, naming the
// invitee), cashback.
struct Reward {
  uint64_t customer = 0;
  uint64_t device = 0;
  uint64_t campaign = 0;
  uint64_t invitee = 0;  // for a referral bonus: the customer whose registration earned it
  int64_t amount_fen = 0;
};

using RiskEvent =
    std::variant<Registration, Login, Payment, Transfer, TopUp, Withdrawal, CouponClaim, Reward>;

// The value of the `event` feature for each alternative, in variant order.
inline constexpr std::string_view kEventNames[] = {"registration", "login",  "payment",
                                                   "transfer",     "top_up", "withdrawal",
                                                   "coupon_claim", "reward"};
static_assert(std::size(kEventNames) == std::variant_size_v<RiskEvent>);

inline constexpr std::string_view kChannelNames[kPaymentChannelCount] = {"qr", "payment_code",
                                                                         "online", "nfc"};

// What happened after the decision, as the engine tells Record:
//   kCompleted: the money moved (allowed, or a challenge passed; for a top-up, the bank paid);
//               for a registration, claim or reward: it was granted.
//   kRefused:   nothing moved (denied, held for review, challenge failed, the bank declined).
// An attempt counts in the velocity counts either way (a denied spree is still a spree); only a
// completed event adds to amounts, amount statistics, known payees and the last-activity time.
enum class Outcome : uint8_t { kCompleted = 0, kRefused = 1 };

}  // namespace qb::risk
