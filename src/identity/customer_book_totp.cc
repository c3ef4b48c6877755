// The customer book's two-step log-in (TOTP, RFC 6238, with recovery codes). The engine never
// sees a secret in clear: the TOTP secret arrives sealed (CardVault) and recovery codes as keyed
// hashes; the API opens the secret and matches codes on a worker and sends what matched. What
// the book decides is what must be decided once, in journal order: a step is accepted only if
// it is later than the last accepted one (so two racing requests with the same code cannot both
// pass), a recovery code only while its hash is unspent, and wrong codes count to a lockout.
//
// Encoding of the TOTP trailer, after the pins trailer (see customer_book.cc):
//   totps    := totp_count:u64 totp*   (ascending customer id; totp_count >= 1)
//   totp     := customer_id:u64 state:u8 secret_sealed:str last_step:i64 failed:u32
//               locked_until_ns:i64 recovery_count:u32 recovery_hash:str*
// Only customers with any TOTP state are listed; the trailer is left out when there are none,
// unless a closures trailer follows (then totp_count may be 0).
#include <algorithm>

#include "base/bytes.h"
#include "identity/customer_book.h"
#include "identity/customer_book_internal.h"

namespace qb::identity {
namespace {

bool HasTotpState(const Customer& c) {
  return c.totp_state != TotpState::kOff || !c.totp_secret_sealed.empty() ||
         c.totp_last_step != kNoTotpStep || !c.recovery_code_hashes.empty() || c.totp_failed != 0 ||
         c.totp_locked_until_ns != 0;
}

void TurnOff(Customer* c) {
  c->totp_state = TotpState::kOff;
  c->totp_secret_sealed.clear();
  c->totp_last_step = kNoTotpStep;
  c->recovery_code_hashes.clear();
  c->totp_failed = 0;
}

// Counts one wrong code; the kMaxTotpFailures-th locks.
IdentityResult CountTotpFailure(Customer* c, int64_t now_ns) {
  if (++c->totp_failed < kMaxTotpFailures) return IdentityResult::kTotpInvalid;
  c->totp_failed = 0;
  c->totp_locked_until_ns = now_ns + kTotpLockNs;
  return IdentityResult::kTotpLocked;
}

}  // namespace

IdentityResult CustomerBook::BeginTotpEnrolment(uint64_t customer_id,
                                                std::string_view secret_sealed) {
  if (secret_sealed.empty()) return IdentityResult::kInvalid;
  Customer* c = MutableById(customer_id);
  if (c == nullptr) return IdentityResult::kCustomerNotFound;
  if (c->closed()) return IdentityResult::kCustomerClosed;
  if (c->totp_on()) return IdentityResult::kTotpAlreadyEnabled;
  c->totp_state = TotpState::kPending;
  c->totp_secret_sealed = std::string(secret_sealed);
  c->totp_last_step = kNoTotpStep;
  c->recovery_code_hashes.clear();
  return IdentityResult::kOk;
}

IdentityResult CustomerBook::ConfirmTotp(uint64_t customer_id, std::string_view secret_sealed,
                                         int64_t step,
                                         const std::vector<std::string>& recovery_code_hashes) {
  if (step < 0 || recovery_code_hashes.empty() ||
      recovery_code_hashes.size() > kMaxRecoveryCodeHashes) {
    return IdentityResult::kInvalid;
  }
  for (const std::string& hash : recovery_code_hashes) {
    if (hash.empty()) return IdentityResult::kInvalid;
  }
  Customer* c = MutableById(customer_id);
  if (c == nullptr) return IdentityResult::kCustomerNotFound;
  if (c->closed()) return IdentityResult::kCustomerClosed;
  if (c->totp_on()) return IdentityResult::kTotpAlreadyEnabled;
  // The code was matched against the secret the API read; an enrolment started since then has
  // another secret, which the customer's app may not hold.
  if (c->totp_state != TotpState::kPending || c->totp_secret_sealed != secret_sealed) {
    return IdentityResult::kTotpNotPending;
  }
  c->totp_state = TotpState::kOn;
  c->totp_last_step = step;
  c->recovery_code_hashes = recovery_code_hashes;
  c->totp_failed = 0;
  return IdentityResult::kOk;
}

IdentityResult CustomerBook::UseTotp(uint64_t customer_id, const TotpUse& use, int64_t now_ns) {
  Customer* c = MutableById(customer_id);
  if (c == nullptr) return IdentityResult::kCustomerNotFound;
  if (c->closed()) return IdentityResult::kCustomerClosed;
  if (!c->totp_on()) return IdentityResult::kTotpNotEnabled;
  if (c->totp_locked(now_ns)) return IdentityResult::kTotpLocked;
  switch (use.proof) {
    case TotpProof::kStep:
      // A step at or before the last used one is a replay (or lost a race): a wrong code.
      if (use.step <= c->totp_last_step) return CountTotpFailure(c, now_ns);
      c->totp_last_step = use.step;
      break;
    case TotpProof::kRecoveryCode: {
      auto& hashes = c->recovery_code_hashes;
      auto it = std::find(hashes.begin(), hashes.end(), use.recovery_code_hash);
      if (use.recovery_code_hash.empty() || it == hashes.end()) return CountTotpFailure(c, now_ns);
      hashes.erase(it);
      break;
    }
    case TotpProof::kWrong:
      return CountTotpFailure(c, now_ns);
    default:
      return IdentityResult::kInvalid;
  }
  c->totp_failed = 0;
  if (use.disable) TurnOff(c);
  return IdentityResult::kOk;
}

bool CustomerBook::AnyTotpState() const {
  for (const auto& [id, c] : customers_) {
    if (HasTotpState(c)) return true;
  }
  return false;
}

void CustomerBook::SerializeTotp(ByteWriter* w, bool force) const {
  std::vector<uint64_t> ids;
  for (const auto& [id, c] : customers_) {
    if (HasTotpState(c)) ids.push_back(id);
  }
  if (ids.empty() && !force) return;
  std::sort(ids.begin(), ids.end());
  w->U64(ids.size());
  for (uint64_t id : ids) {
    const Customer& c = customers_.at(id);
    w->U64(c.id);
    w->U8(static_cast<uint8_t>(c.totp_state));
    w->LengthPrefixed(c.totp_secret_sealed);
    w->I64(c.totp_last_step);
    w->U32(c.totp_failed);
    w->I64(c.totp_locked_until_ns);
    w->U32(static_cast<uint32_t>(c.recovery_code_hashes.size()));
    for (const std::string& hash : c.recovery_code_hashes) w->LengthPrefixed(hash);
  }
}

bool CustomerBook::DeserializeTotp(ByteReader* r) {
  const uint64_t count = r->U64();
  // An empty trailer is written only when a closures trailer follows it.
  if (!r->ok() || (count == 0 && r->remaining() == 0) || count > customers_.size()) return false;
  uint64_t previous_id = 0;
  for (uint64_t i = 0; i < count && r->ok(); i++) {
    Customer* c = NextListedCustomer(this, r, &previous_id);
    if (c == nullptr) return false;
    const uint8_t state = r->U8();
    if (state > static_cast<uint8_t>(TotpState::kOn)) return false;
    c->totp_state = static_cast<TotpState>(state);
    c->totp_secret_sealed = std::string(r->LengthPrefixed());
    c->totp_last_step = r->I64();
    c->totp_failed = r->U32();
    c->totp_locked_until_ns = r->I64();
    const uint32_t hashes = r->U32();
    if (hashes > kMaxRecoveryCodeHashes) return false;
    c->recovery_code_hashes.clear();
    for (uint32_t h = 0; h < hashes && r->ok(); h++) {
      c->recovery_code_hashes.emplace_back(r->LengthPrefixed());
      if (c->recovery_code_hashes.back().empty()) return false;
    }
    if (c->totp_failed >= kMaxTotpFailures || c->totp_last_step < kNoTotpStep ||
        (c->totp_state != TotpState::kOff && c->totp_secret_sealed.empty()) || !HasTotpState(*c)) {
      return false;
    }
  }
  return r->ok();
}

}  // namespace qb::identity
