// Encoding used by Serialize (and hashed by StateHash), integers little-endian, every table
// sorted by key so equal states encode to equal bytes:
//   book     := magic:u32 ("QBI2") next_card_id:u64 customer_count:u64 customer*
//               otp_count:u64 otp* rate_count:u64 rate* session_count:u64 session*
//   customer := id:u64 wallet_account_id:u64 phone:str password_hash:str channel:str
//               invite_code:str registered_ns:i64 tier:u8 failed_logins:u32
//               locked_until_ns:i64 day_number:u32 year:u32 spent_today:i64 spent_year:i64
//               verified:u8 [real_name:str id_lookup_hash:str id_sealed:str id_masked:str
//               verified_ns:i64] card_count:u32 card*
//   card     := id:u64 lookup_hash:str pan_sealed:str first6:str last4:str bank_code:str
//               bank_token:str bound_ns:i64
//   otp      := key:str code_hash:str issued_ns:i64 tries:u32
//   rate     := phone:str day_number:u32 issued_today:u32 last_issued_ns:i64
//   session  := token_hash:str customer_id:u64 created_ns:i64 expires_ns:i64
//   str      := length:u32 bytes
// followed, since the payment PIN, by an optional trailer:
//   pins     := pin_count:u64 pin*   (ascending customer id; pin_count >= 1)
//   pin      := customer_id:u64 pin_hash:str pin_failed:u32 pin_locked_until_ns:i64
//               pin_lock_level:u8
// Only customers with any PIN state are listed, and the trailer is left out when there are
// none, so a book from before PINs serializes (and hashes) byte for byte as it did, and old
// checkpoints load with no PINs (as the payment book does with its trailers).
// Since two-step log-in, the pins trailer may be followed by a TOTP trailer (its grammar is in
// customer_book_totp.cc); then the pins trailer is always written, with pin_count 0 when no
// customer has PIN state (the only case where a zero count is allowed). Since account closure
// the TOTP trailer may be followed by a closures trailer (customer_book_closure.cc), and then
// both earlier trailers are written, with a zero count when empty. Since age-band and win-back
// campaigns, a facts trailer (customer_book_facts.cc) may follow the closures trailer, which
// is then written too, with a zero count when no customer is closed.
#include "identity/customer_book.h"

#include <absl/strings/string_view.h>

#include <algorithm>
#include <vector>

#include "base/bytes.h"
#include "base/digest.h"
#include "identity/calendar_date.h"
#include "identity/customer_book_internal.h"

namespace qb::identity {
namespace {

constexpr uint32_t kMagic = 0x32494251;  // "QBI2"

template <typename Map>
std::vector<typename Map::key_type> SortedKeys(const Map& map) {
  std::vector<typename Map::key_type> keys;
  keys.reserve(map.size());
  for (const auto& [key, value] : map) keys.push_back(key);
  std::sort(keys.begin(), keys.end());
  return keys;
}

// Debian's abseil has its own string_view type; lookups by std::string_view convert here.
absl::string_view Key(std::string_view text) { return absl::string_view(text.data(), text.size()); }

bool ValidPurpose(OtpPurpose purpose) {
  return purpose == OtpPurpose::kRegister || purpose == OtpPurpose::kLogin ||
         purpose == OtpPurpose::kResetPassword || purpose == OtpPurpose::kResetPin ||
         purpose == OtpPurpose::kPayment || purpose == OtpPurpose::kCloseAccount;
}

bool HasPinState(const Customer& c) {
  return !c.pin_hash.empty() || c.pin_failed != 0 || c.pin_locked_until_ns != 0 ||
         c.pin_lock_level != 0;
}

}  // namespace

std::string_view IdentityResultName(IdentityResult result) {
  switch (result) {
    case IdentityResult::kOk:
      return "ok";
    case IdentityResult::kOtpTooFrequent:
      return "otp_too_frequent";
    case IdentityResult::kOtpDailyLimit:
      return "otp_daily_limit";
    case IdentityResult::kOtpNotFound:
      return "otp_not_found";
    case IdentityResult::kOtpExpired:
      return "otp_expired";
    case IdentityResult::kOtpTooManyTries:
      return "otp_too_many_tries";
    case IdentityResult::kOtpMismatch:
      return "otp_mismatch";
    case IdentityResult::kPhoneTaken:
      return "phone_taken";
    case IdentityResult::kCustomerNotFound:
      return "customer_not_found";
    case IdentityResult::kLoginLocked:
      return "login_locked";
    case IdentityResult::kSessionNotFound:
      return "session_not_found";
    case IdentityResult::kSessionExists:
      return "session_exists";
    case IdentityResult::kInvalid:
      return "invalid";
    case IdentityResult::kStaffTaken:
      return "staff_taken";
    case IdentityResult::kAlreadyVerified:
      return "already_verified";
    case IdentityResult::kIdentityTaken:
      return "identity_taken";
    case IdentityResult::kNotVerified:
      return "not_verified";
    case IdentityResult::kCardTaken:
      return "card_taken";
    case IdentityResult::kCardLimit:
      return "card_limit";
    case IdentityResult::kCardNotFound:
      return "card_not_found";
    case IdentityResult::kStaffNotFound:
      return "staff_not_found";
    case IdentityResult::kPinNotSet:
      return "pin_not_set";
    case IdentityResult::kPinAlreadySet:
      return "pin_already_set";
    case IdentityResult::kPinLocked:
      return "pin_locked";
    case IdentityResult::kPinMismatch:
      return "pin_mismatch";
    case IdentityResult::kIdentityMismatch:
      return "identity_mismatch";
    case IdentityResult::kTotpNotEnabled:
      return "totp_not_enabled";
    case IdentityResult::kTotpAlreadyEnabled:
      return "totp_already_enabled";
    case IdentityResult::kTotpNotPending:
      return "totp_not_pending";
    case IdentityResult::kTotpInvalid:
      return "totp_invalid";
    case IdentityResult::kTotpLocked:
      return "totp_locked";
    case IdentityResult::kBalanceNotZero:
      return "balance_not_zero";
    case IdentityResult::kCustomerClosed:
      return "customer_closed";
    case IdentityResult::kRiskDenied:
      return "risk_denied";
  }
  return "unknown";
}

std::string CustomerBook::OtpKey(std::string_view phone, OtpPurpose purpose) {
  std::string key(phone);
  key.push_back(':');
  key.push_back(static_cast<char>('0' + static_cast<int>(purpose)));
  return key;
}

IdentityResult CustomerBook::IssueOtp(std::string_view phone, OtpPurpose purpose,
                                      std::string_view code_hash, int64_t now_ns) {
  if (phone.empty() || code_hash.empty() || !ValidPurpose(purpose)) {
    return IdentityResult::kInvalid;
  }
  OtpRate& rate = otp_rates_[std::string(phone)];
  const int32_t today = ChinaDayNumber(now_ns);
  if (rate.issued_today > 0 && now_ns - rate.last_issued_ns < kOtpResendIntervalNs) {
    return IdentityResult::kOtpTooFrequent;
  }
  if (rate.day_number != today) {
    rate.day_number = today;
    rate.issued_today = 0;
  }
  if (rate.issued_today >= kOtpMaxPerDay) return IdentityResult::kOtpDailyLimit;
  if (rate.issued_today > 0) rate_expiry_.Remove(rate.last_issued_ns + kOtpRateKeepNs, phone);
  rate.issued_today++;
  rate.last_issued_ns = now_ns;
  rate_expiry_.Add(now_ns + kOtpRateKeepNs, phone);
  const std::string key = OtpKey(phone, purpose);
  Otp& otp = otps_[key];
  if (!otp.code_hash.empty()) otp_expiry_.Remove(OtpDeadline(otp), key);
  otp = Otp{std::string(code_hash), now_ns, 0};
  otp_expiry_.Add(OtpDeadline(otp), key);
  return IdentityResult::kOk;
}

IdentityResult CustomerBook::ConsumeOtp(std::string_view phone, OtpPurpose purpose,
                                        std::string_view code_hash, int64_t now_ns) {
  if (!ValidPurpose(purpose)) return IdentityResult::kInvalid;
  auto it = otps_.find(OtpKey(phone, purpose));
  if (it == otps_.end()) return IdentityResult::kOtpNotFound;
  Otp& otp = it->second;
  auto erase = [&] {
    otp_expiry_.Remove(OtpDeadline(otp), it->first);
    otps_.erase(it);
  };
  if (now_ns - otp.issued_ns >= kOtpLifetimeNs) {
    erase();
    return IdentityResult::kOtpExpired;
  }
  if (otp.code_hash != code_hash) {
    // The hashes are keyed digests of the code, so comparing them leaks nothing useful.
    if (++otp.tries >= kOtpMaxTries) {
      erase();
      return IdentityResult::kOtpTooManyTries;
    }
    return IdentityResult::kOtpMismatch;
  }
  erase();
  return IdentityResult::kOk;
}

IdentityResult CustomerBook::Register(const Registration& r, uint64_t customer_id,
                                      uint64_t wallet_account_id, int64_t now_ns) {
  if (r.phone.empty() || r.password_hash.empty() || customer_id == 0 || wallet_account_id == 0 ||
      customers_.contains(customer_id)) {
    return IdentityResult::kInvalid;
  }
  // A taken phone does not use up the code: the person may still log in with it.
  if (customer_by_phone_.contains(r.phone)) return IdentityResult::kPhoneTaken;
  if (IdentityResult otp = ConsumeOtp(r.phone, OtpPurpose::kRegister, r.otp_hash, now_ns);
      otp != IdentityResult::kOk) {
    return otp;
  }
  Customer customer;
  customer.id = customer_id;
  customer.wallet_account_id = wallet_account_id;
  customer.phone = r.phone;
  customer.password_hash = r.password_hash;
  customer.channel = r.channel;
  customer.invite_code = r.invite_code;
  customer.registered_ns = now_ns;
  customers_.emplace(customer_id, std::move(customer));
  customer_by_phone_.emplace(r.phone, customer_id);
  return IdentityResult::kOk;
}

const BoundCard* Customer::FindCard(uint64_t card_id) const {
  for (const BoundCard& card : cards) {
    if (card.id == card_id) return &card;
  }
  return nullptr;
}

uint64_t IdentityCounterKey(std::string_view id_lookup_hash) {
  // The domain names marketing, where the key was first taken: changing it would change the
  // keys that checkpoints and journals already hold.
  if (id_lookup_hash.empty()) return 0;
  Hasher hasher;
  hasher.Update("qianbao/marketing/identity/v1");
  hasher.Update(id_lookup_hash);
  const Digest digest = hasher.Finish();
  uint64_t key = 0;
  for (size_t i = 0; i < 8; ++i) key = (key << 8) | digest[i];
  return key == 0 ? 1 : key;
}

IdentityResult CustomerBook::VerifyIdentity(uint64_t customer_id, VerifiedIdentity identity,
                                            int64_t now_ns) {
  if (identity.real_name.empty() || identity.id_lookup_hash.empty() || identity.id_sealed.empty() ||
      (identity.birth_date != 0 && !IsPackedDate(identity.birth_date))) {
    return IdentityResult::kInvalid;
  }
  Customer* customer = MutableById(customer_id);
  if (customer == nullptr) return IdentityResult::kCustomerNotFound;
  if (customer->closed()) return IdentityResult::kCustomerClosed;
  if (customer->verified()) return IdentityResult::kAlreadyVerified;
  if (customer_by_identity_.contains(identity.id_lookup_hash)) {
    return IdentityResult::kIdentityTaken;
  }
  customer_by_identity_.emplace(identity.id_lookup_hash, customer_id);
  identity.verified_ns = now_ns;
  identity.counter_key = IdentityCounterKey(identity.id_lookup_hash);
  customer->identity = std::move(identity);
  if (customer->tier == WalletTier::kIV) customer->tier = WalletTier::kIII;
  return IdentityResult::kOk;
}

IdentityResult CustomerBook::BindCard(uint64_t customer_id, BoundCard card, uint64_t card_id,
                                      int64_t now_ns) {
  if (card.lookup_hash.empty() || card.pan_sealed.empty() || card_id != next_card_id_) {
    return IdentityResult::kInvalid;
  }
  Customer* customer = MutableById(customer_id);
  if (customer == nullptr) return IdentityResult::kCustomerNotFound;
  if (customer->closed()) return IdentityResult::kCustomerClosed;
  if (!customer->verified()) return IdentityResult::kNotVerified;
  if (customer_by_card_.contains(card.lookup_hash)) return IdentityResult::kCardTaken;
  if (customer->cards.size() >= kMaxCardsPerCustomer) return IdentityResult::kCardLimit;
  card.id = card_id;
  card.bound_ns = now_ns;
  customer_by_card_.emplace(card.lookup_hash, customer_id);
  customer->cards.push_back(std::move(card));
  next_card_id_++;
  if (customer->tier == WalletTier::kIII) customer->tier = WalletTier::kII;
  return IdentityResult::kOk;
}

IdentityResult CustomerBook::UnbindCard(uint64_t customer_id, uint64_t card_id) {
  Customer* customer = MutableById(customer_id);
  if (customer == nullptr) return IdentityResult::kCustomerNotFound;
  auto it = std::find_if(customer->cards.begin(), customer->cards.end(),
                         [card_id](const BoundCard& card) { return card.id == card_id; });
  if (it == customer->cards.end()) return IdentityResult::kCardNotFound;
  customer_by_card_.erase(Key(it->lookup_hash));
  customer->cards.erase(it);
  if (customer->cards.empty() && customer->tier == WalletTier::kII) {
    customer->tier = WalletTier::kIII;
  }
  return IdentityResult::kOk;
}

IdentityResult CustomerBook::GrantTier(uint64_t customer_id, WalletTier tier) {
  if (tier != WalletTier::kI) return IdentityResult::kInvalid;
  Customer* customer = MutableById(customer_id);
  if (customer == nullptr) return IdentityResult::kCustomerNotFound;
  if (customer->closed()) return IdentityResult::kCustomerClosed;
  if (!customer->verified()) return IdentityResult::kNotVerified;
  customer->tier = tier;
  return IdentityResult::kOk;
}

const Customer* CustomerBook::FindById(uint64_t customer_id) const {
  auto it = customers_.find(customer_id);
  return it == customers_.end() ? nullptr : &it->second;
}

Customer* CustomerBook::MutableById(uint64_t customer_id) {
  auto it = customers_.find(customer_id);
  return it == customers_.end() ? nullptr : &it->second;
}

const Customer* CustomerBook::FindByPhone(std::string_view phone) const {
  auto it = customer_by_phone_.find(Key(phone));
  return it == customer_by_phone_.end() ? nullptr : FindById(it->second);
}

IdentityResult CustomerBook::RecordLogin(uint64_t customer_id, bool password_ok, int64_t now_ns) {
  Customer* customer = MutableById(customer_id);
  if (customer == nullptr) return IdentityResult::kCustomerNotFound;
  if (customer->closed()) return IdentityResult::kCustomerClosed;
  if (customer->locked_until_ns > now_ns) return IdentityResult::kLoginLocked;
  if (password_ok) {
    customer->failed_logins = 0;
    return IdentityResult::kOk;
  }
  if (++customer->failed_logins >= kMaxFailedLogins) {
    customer->failed_logins = 0;
    customer->locked_until_ns = now_ns + kLoginLockNs;
    return IdentityResult::kLoginLocked;
  }
  return IdentityResult::kOk;
}

namespace {

// Counts one PIN try on an unlocked customer; a fifth wrong one locks, escalating.
IdentityResult CountPinTry(Customer* customer, bool pin_ok, int64_t now_ns) {
  if (pin_ok) {
    customer->pin_failed = 0;
    return IdentityResult::kOk;
  }
  if (++customer->pin_failed < kMaxPinFailures) return IdentityResult::kPinMismatch;
  // 24 hours clear of locks forgive the earlier ones.
  if (customer->pin_lock_level > 0 && now_ns - customer->pin_locked_until_ns >= kPinLockDecayNs) {
    customer->pin_lock_level = 0;
  }
  if (customer->pin_lock_level < kMaxPinLockLevel) customer->pin_lock_level++;
  customer->pin_failed = 0;
  customer->pin_locked_until_ns = now_ns + kPinLockNs[customer->pin_lock_level - 1];
  return IdentityResult::kPinLocked;
}

}  // namespace

IdentityResult CustomerBook::RecordPinAttempt(uint64_t customer_id, bool pin_ok, int64_t now_ns) {
  Customer* customer = MutableById(customer_id);
  if (customer == nullptr) return IdentityResult::kCustomerNotFound;
  if (customer->closed()) return IdentityResult::kCustomerClosed;
  if (!customer->has_pin()) return IdentityResult::kPinNotSet;
  if (customer->pin_locked(now_ns)) return IdentityResult::kPinLocked;
  return CountPinTry(customer, pin_ok, now_ns);
}

IdentityResult CustomerBook::SetPaymentPin(uint64_t customer_id, const PinChange& change,
                                           int64_t now_ns) {
  if (change.pin_hash.empty()) return IdentityResult::kInvalid;
  Customer* customer = MutableById(customer_id);
  if (customer == nullptr) return IdentityResult::kCustomerNotFound;
  if (customer->closed()) return IdentityResult::kCustomerClosed;
  switch (change.how) {
    case PinAuthorization::kFirstSet:
      if (customer->has_pin()) return IdentityResult::kPinAlreadySet;
      break;
    case PinAuthorization::kChange: {
      if (!customer->has_pin()) return IdentityResult::kPinNotSet;
      if (customer->pin_locked(now_ns)) return IdentityResult::kPinLocked;
      const IdentityResult counted = CountPinTry(customer, change.current_pin_ok, now_ns);
      if (counted != IdentityResult::kOk) return counted;
      break;
    }
    case PinAuthorization::kReset: {
      if (change.otp_hash.empty() || change.id_lookup_hash.empty()) {
        return IdentityResult::kInvalid;
      }
      if (!customer->verified()) return IdentityResult::kNotVerified;
      const IdentityResult otp =
          ConsumeOtp(customer->phone, OtpPurpose::kResetPin, change.otp_hash, now_ns);
      if (otp != IdentityResult::kOk) return otp;
      // Both are keyed hashes of a resident ID, so comparing them leaks nothing useful.
      if (customer->identity->id_lookup_hash != change.id_lookup_hash) {
        return IdentityResult::kIdentityMismatch;
      }
      customer->pin_locked_until_ns = std::min(customer->pin_locked_until_ns, now_ns);
      break;
    }
    default:
      return IdentityResult::kInvalid;
  }
  customer->pin_hash = change.pin_hash;
  customer->pin_failed = 0;
  return IdentityResult::kOk;
}

IdentityResult CustomerBook::CreateSession(std::string_view token_hash, uint64_t customer_id,
                                           int64_t now_ns) {
  if (token_hash.empty()) return IdentityResult::kInvalid;
  const Customer* customer = FindById(customer_id);
  if (customer == nullptr) return IdentityResult::kCustomerNotFound;
  if (customer->closed()) return IdentityResult::kCustomerClosed;
  if (!sessions_.Create(token_hash, customer_id, now_ns, kSessionLifetimeNs)) {
    return IdentityResult::kSessionExists;
  }
  return IdentityResult::kOk;
}

IdentityResult CustomerBook::RevokeSession(std::string_view token_hash) {
  return sessions_.Revoke(token_hash) ? IdentityResult::kOk : IdentityResult::kSessionNotFound;
}

IdentityResult CustomerBook::RotateSession(uint64_t customer_id, std::string_view old_hash,
                                           std::string_view new_hash, int64_t now_ns) {
  if (new_hash.empty()) return IdentityResult::kInvalid;
  const Session* session = sessions_.Find(old_hash, now_ns);
  if (session == nullptr || session->customer_id != customer_id) {
    return IdentityResult::kSessionNotFound;
  }
  return sessions_.Rotate(old_hash, new_hash) ? IdentityResult::kOk
                                              : IdentityResult::kSessionExists;
}

const Session* CustomerBook::FindSession(std::string_view token_hash, int64_t now_ns) const {
  return sessions_.Find(token_hash, now_ns);
}

size_t CustomerBook::Sweep(int64_t now_ns, size_t limit) {
  size_t swept = sessions_.Sweep(now_ns, limit);
  swept +=
      otp_expiry_.PopDue(now_ns, limit, [&](const std::string& key) { otps_.erase(Key(key)); });
  swept += rate_expiry_.PopDue(now_ns, limit,
                               [&](const std::string& phone) { otp_rates_.erase(Key(phone)); });
  return swept;
}

void CustomerBook::Clear() {
  customers_.clear();
  customer_by_phone_.clear();
  otps_.clear();
  otp_rates_.clear();
  sessions_.Clear();
  customer_by_identity_.clear();
  customer_by_card_.clear();
  next_card_id_ = 1;
  closed_unpurged_.clear();
  otp_expiry_.Clear();
  rate_expiry_.Clear();
}

Digest CustomerBook::StateHash() const {
  std::string bytes;
  Serialize(&bytes);
  return HashBytes(bytes);
}

void CustomerBook::Serialize(std::string* out) const {
  ByteWriter w(out);
  w.U32(kMagic);
  w.U64(next_card_id_);
  w.U64(customers_.size());
  for (uint64_t id : SortedKeys(customers_)) {
    const Customer& c = customers_.at(id);
    w.U64(c.id);
    w.U64(c.wallet_account_id);
    w.LengthPrefixed(c.phone);
    w.LengthPrefixed(c.password_hash);
    w.LengthPrefixed(c.channel);
    w.LengthPrefixed(c.invite_code);
    w.I64(c.registered_ns);
    w.U8(static_cast<uint8_t>(c.tier));
    w.U32(c.failed_logins);
    w.I64(c.locked_until_ns);
    w.U32(static_cast<uint32_t>(c.spending.day_number));
    w.U32(static_cast<uint32_t>(c.spending.year));
    w.I64(c.spending.spent_today_fen);
    w.I64(c.spending.spent_this_year_fen);
    w.U8(c.verified() ? 1 : 0);
    if (c.verified()) {
      const VerifiedIdentity& v = *c.identity;
      for (const std::string* field :
           {&v.real_name, &v.id_lookup_hash, &v.id_sealed, &v.id_masked}) {
        w.LengthPrefixed(*field);
      }
      w.I64(v.verified_ns);
    }
    w.U32(static_cast<uint32_t>(c.cards.size()));
    for (const BoundCard& card : c.cards) {
      w.U64(card.id);
      for (const std::string* field : {&card.lookup_hash, &card.pan_sealed, &card.first6,
                                       &card.last4, &card.bank_code, &card.bank_token}) {
        w.LengthPrefixed(*field);
      }
      w.I64(card.bound_ns);
    }
  }
  w.U64(otps_.size());
  for (const std::string& key : SortedKeys(otps_)) {
    const Otp& otp = otps_.at(key);
    w.LengthPrefixed(key);
    w.LengthPrefixed(otp.code_hash);
    w.I64(otp.issued_ns);
    w.U32(otp.tries);
  }
  w.U64(otp_rates_.size());
  for (const std::string& phone : SortedKeys(otp_rates_)) {
    const OtpRate& rate = otp_rates_.at(phone);
    w.LengthPrefixed(phone);
    w.U32(static_cast<uint32_t>(rate.day_number));
    w.U32(rate.issued_today);
    w.I64(rate.last_issued_ns);
  }
  sessions_.Serialize(&w);
  std::vector<uint64_t> with_pin;
  for (uint64_t id : SortedKeys(customers_)) {
    if (HasPinState(customers_.at(id))) with_pin.push_back(id);
  }
  const bool facts = AnyFacts();
  const bool closures = facts || AnyClosed();
  if (with_pin.empty() && !AnyTotpState() && !closures) return;
  w.U64(with_pin.size());
  for (uint64_t id : with_pin) {
    const Customer& c = customers_.at(id);
    w.U64(c.id);
    w.LengthPrefixed(c.pin_hash);
    w.U32(c.pin_failed);
    w.I64(c.pin_locked_until_ns);
    w.U8(c.pin_lock_level);
  }
  SerializeTotp(&w, /*force=*/closures);
  SerializeClosures(&w, /*force=*/facts);
  SerializeFacts(&w);
}

bool CustomerBook::Deserialize(std::string_view bytes) {
  Clear();
  ByteReader r(bytes);
  if (r.U32() != kMagic) return false;
  next_card_id_ = r.U64();
  // Every record takes at least 4 bytes, which bounds each count by what is left.
  auto plausible = [&](uint64_t count) { return count <= r.remaining() / 4; };
  const uint64_t customers = r.U64();
  if (!plausible(customers)) return false;
  for (uint64_t i = 0; i < customers && r.ok(); i++) {
    Customer c;
    c.id = r.U64();
    c.wallet_account_id = r.U64();
    c.phone = std::string(r.LengthPrefixed());
    c.password_hash = std::string(r.LengthPrefixed());
    c.channel = std::string(r.LengthPrefixed());
    c.invite_code = std::string(r.LengthPrefixed());
    c.registered_ns = r.I64();
    const uint8_t tier = r.U8();
    if (tier < 1 || tier > 4) return false;
    c.tier = static_cast<WalletTier>(tier);
    c.failed_logins = r.U32();
    c.locked_until_ns = r.I64();
    c.spending.day_number = static_cast<int32_t>(r.U32());
    c.spending.year = static_cast<int32_t>(r.U32());
    c.spending.spent_today_fen = r.I64();
    c.spending.spent_this_year_fen = r.I64();
    const uint8_t verified = r.U8();
    if (verified > 1) return false;
    if (verified == 1) {
      VerifiedIdentity v;
      for (std::string* field : {&v.real_name, &v.id_lookup_hash, &v.id_sealed, &v.id_masked}) {
        *field = std::string(r.LengthPrefixed());
      }
      v.verified_ns = r.I64();
      v.counter_key = IdentityCounterKey(v.id_lookup_hash);
      c.identity = std::move(v);
    }
    const uint32_t cards = r.U32();
    if (cards > kMaxCardsPerCustomer) return false;
    for (uint32_t k = 0; k < cards && r.ok(); k++) {
      BoundCard card;
      card.id = r.U64();
      for (std::string* field : {&card.lookup_hash, &card.pan_sealed, &card.first6, &card.last4,
                                 &card.bank_code, &card.bank_token}) {
        *field = std::string(r.LengthPrefixed());
      }
      card.bound_ns = r.I64();
      if (card.id == 0 || card.id >= next_card_id_) return false;
      if (!customer_by_card_.emplace(card.lookup_hash, c.id).second) return false;
      c.cards.push_back(std::move(card));
    }
    if (!customers_.emplace(c.id, std::move(c)).second) return false;
  }
  const uint64_t otps = r.U64();
  if (!plausible(otps)) return false;
  for (uint64_t i = 0; i < otps && r.ok(); i++) {
    std::string key(r.LengthPrefixed());
    Otp otp;
    otp.code_hash = std::string(r.LengthPrefixed());
    otp.issued_ns = r.I64();
    otp.tries = r.U32();
    otp_expiry_.Add(OtpDeadline(otp), key);
    if (!otps_.emplace(std::move(key), std::move(otp)).second) return false;
  }
  const uint64_t rates = r.U64();
  if (!plausible(rates)) return false;
  for (uint64_t i = 0; i < rates && r.ok(); i++) {
    std::string phone(r.LengthPrefixed());
    OtpRate rate;
    rate.day_number = static_cast<int32_t>(r.U32());
    rate.issued_today = r.U32();
    rate.last_issued_ns = r.I64();
    rate_expiry_.Add(rate.last_issued_ns + kOtpRateKeepNs, phone);
    if (!otp_rates_.emplace(std::move(phone), rate).second) return false;
  }
  if (!sessions_.Deserialize(&r)) return false;
  if (r.ok() && r.remaining() > 0) {
    const uint64_t pins = r.U64();
    // An empty trailer is never written (unless a TOTP trailer follows it): equal states must
    // encode to equal bytes.
    if ((pins == 0 && r.remaining() == 0) || pins > customers_.size()) return false;
    uint64_t previous_id = 0;
    for (uint64_t i = 0; i < pins && r.ok(); i++) {
      Customer* c = NextListedCustomer(this, &r, &previous_id);
      if (c == nullptr) return false;
      c->pin_hash = std::string(r.LengthPrefixed());
      c->pin_failed = r.U32();
      c->pin_locked_until_ns = r.I64();
      c->pin_lock_level = r.U8();
      if (c->pin_failed >= kMaxPinFailures || c->pin_lock_level > kMaxPinLockLevel ||
          !HasPinState(*c)) {
        return false;
      }
    }
    if (r.ok() && r.remaining() > 0 && !DeserializeTotp(&r)) return false;
    if (r.ok() && r.remaining() > 0 && !DeserializeClosures(&r)) return false;
    if (r.ok() && r.remaining() > 0 && !DeserializeFacts(&r)) return false;
    if (pins == 0 && !AnyTotpState() && !AnyClosed() && !AnyFacts()) return false;
  }
  // The phone and identity indexes hold open customers only, and closures come last.
  return r.ok() && r.remaining() == 0 && IndexOpenCustomers();
}

}  // namespace qb::identity
