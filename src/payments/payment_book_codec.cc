// Encoding used by Serialize (and hashed by StateHash), integers little-endian, every table
// sorted by key so equal books give equal bytes:
//
//   book      := magic:u32 ("QBP1")
//                merchant_count:u64 merchant*   (ids 1..count)
//                users_len:u64 users:StaffBook
//                user_merchant_count:u64 (user:u64 merchant:u64)*
//                device_count:u64 device*        (by slot)
//                small_count:u64 small*          (by customer)
//                order_count:u64 order*          (ids 1..count)
//                payment_count:u64 payment*      (by id)
//                unsettled_count:u64 (merchant:u64 day_count:u32 (day:i64 net:i64)*)*  (by
//                merchant) settlement_count:u64 settlement* (by id)
//                nfc_count:u64 nfc*              (by token)
//                [disabled_count:u64 user:u64*   (ascending; only when a user is disabled
//                                                 or the credit-invoice trailer follows)
//                 [credit_count:u64 (refund:u64 number)*   (ascending refund; only when a
//                                                 red-letter invoice is recorded or the
//                                                 webhook-secret trailer follows)
//                  [rotated_count:u64 (merchant:u64 version:u32 rotated:i64)*   (ascending
//                                                 merchant; only merchants whose webhook
//                                                 secret was rotated, and only when one was
//                                                 or the step-up trailer follows)
//                   [step_up_count:u64 (payment:u64 held:u8)*]]]]  (ascending payment;
//                                                 held payments with a step-up or denied
//                                                 rewards, only when any; held = the strength
//                                                 | 0x80 when the rewards are denied)
//   merchant  := id:u64 account:u64 legal_name credit_code category fee_bps:u32 bank_code
//                account_sealed account_last4 contact_phone (strings: u32 length + bytes)
//                status:u8 created:i64 status_changed:i64 staff:u64
//                key_count:u32 (key_id secret_sealed created:i64 revoked:u8)*
//   device    := slot:u32 customer:u64 secret_sealed registered:i64 last_step:i64
//   small     := customer:u64 enabled:u8 per_payment:i64 per_day:i64 day:i64 spent:i64
//   order     := id:u64 merchant:u64 merchant_order_no amount:i64 created:i64 expires:i64
//                status:u8 payment:u64
//   payment   := id:u64 merchant:u64 customer:u64 order:u64 amount:i64 fee:i64 refunded:i64
//                fee_refunded:i64 created:i64 channel:u8 state:u8 invoice_number
//   settlement := id:u64 merchant:u64 day:i64 amount:i64 created:i64 state:u8
//   nfc       := token customer:u64 issued:i64 active:u8 generation:u32 first_atc:u32
//                last_atc:u32 luk_count:u32 uses_per_luk:u32
//
// The disabled-users trailer came later: it is left out while nobody is disabled, so a book
// from before it serializes (and hashes) byte for byte as it did, and old checkpoints load.
// The credit-invoice trailer (refund → red-letter invoice number) came later still and works
// the same way; when it is present the disabled-users count is written even if zero, so the
// two can be told apart. The webhook-secret trailer (merchants' secret versions) came last, the
// same way again: with it, both earlier counts are written even if zero. The step-up trailer
// (the strength a held payment needs, Payment::step_up) came after it, the same way; its top
// bit (Payment::rewards_denied) came later, unset in every earlier book.
#include <algorithm>

#include "base/assert.h"
#include "payments/payment_book.h"

namespace qb::payments {
namespace {

constexpr uint32_t kMagic = 0x31504251;  // "QBP1"
// In the step-up trailer's byte: Payment::rewards_denied.
constexpr uint8_t kRewardsDeniedBit = 0x80;

template <typename Map>
std::vector<typename Map::key_type> SortedKeys(const Map& map) {
  std::vector<typename Map::key_type> keys;
  keys.reserve(map.size());
  for (const auto& [key, value] : map) keys.push_back(key);
  std::sort(keys.begin(), keys.end());
  return keys;
}

}  // namespace

Digest PaymentBook::StateHash() const {
  std::string bytes;
  Serialize(&bytes);
  return HashBytes(bytes);
}

void PaymentBook::Serialize(std::string* out) const {
  ByteWriter w(out);
  w.U32(kMagic);
  w.U64(merchants_.size());
  for (uint64_t id = 1; id <= merchants_.size(); id++) {
    const Merchant& m = merchants_.at(id);
    w.U64(m.id);
    w.U64(m.account_id);
    w.LengthPrefixed(m.profile.legal_name);
    w.LengthPrefixed(m.profile.credit_code);
    w.LengthPrefixed(m.profile.category);
    w.U32(m.profile.fee_bps);
    w.LengthPrefixed(m.profile.settlement_bank_code);
    w.LengthPrefixed(m.profile.settlement_account_sealed);
    w.LengthPrefixed(m.profile.settlement_account_last4);
    w.LengthPrefixed(m.profile.contact_phone);
    w.U8(static_cast<uint8_t>(m.status));
    w.I64(m.created_ns);
    w.I64(m.status_changed_ns);
    w.U64(m.onboarded_by_staff_id);
    w.U32(static_cast<uint32_t>(m.api_keys.size()));
    for (const ApiKey& key : m.api_keys) {
      w.LengthPrefixed(key.key_id);
      w.LengthPrefixed(key.secret_sealed);
      w.I64(key.created_ns);
      w.U8(key.revoked ? 1 : 0);
    }
  }
  std::string users;
  users_.Serialize(&users);
  w.U64(users.size());
  w.Bytes(users);
  w.U64(user_merchant_.size());
  for (uint64_t user : SortedKeys(user_merchant_)) {
    w.U64(user);
    w.U64(user_merchant_.at(user));
  }
  w.U64(devices_.size());
  for (uint32_t slot : SortedKeys(devices_)) {
    const PaymentDevice& d = devices_.at(slot);
    w.U32(d.slot);
    w.U64(d.customer_id);
    w.LengthPrefixed(d.secret_sealed);
    w.I64(d.registered_ns);
    w.I64(d.last_step);
  }
  w.U64(small_payments_.size());
  for (uint64_t customer : SortedKeys(small_payments_)) {
    const SmallPaymentSetting& s = small_payments_.at(customer);
    w.U64(customer);
    w.U8(s.enabled ? 1 : 0);
    w.I64(s.per_payment_fen);
    w.I64(s.per_day_fen);
    w.I64(s.day);
    w.I64(s.spent_fen);
  }
  w.U64(orders_.size());
  for (uint64_t id = 1; id <= orders_.size(); id++) {
    const Order& o = orders_.at(id);
    w.U64(o.id);
    w.U64(o.merchant_id);
    w.LengthPrefixed(o.merchant_order_no);
    w.I64(o.amount_fen);
    w.I64(o.created_ns);
    w.I64(o.expires_ns);
    w.U8(static_cast<uint8_t>(o.status));
    w.U64(o.payment_id);
  }
  w.U64(payments_.size());
  for (uint64_t id : SortedKeys(payments_)) {
    const Payment& p = payments_.at(id);
    w.U64(p.id);
    w.U64(p.merchant_id);
    w.U64(p.customer_id);
    w.U64(p.order_id);
    w.I64(p.amount_fen);
    w.I64(p.fee_fen);
    w.I64(p.refunded_fen);
    w.I64(p.fee_refunded_fen);
    w.I64(p.created_ns);
    w.U8(static_cast<uint8_t>(p.channel));
    w.U8(static_cast<uint8_t>(p.state));
    w.LengthPrefixed(p.invoice_number);
  }
  w.U64(unsettled_.size());
  for (uint64_t merchant : SortedKeys(unsettled_)) {
    const std::map<int64_t, int64_t>& days = unsettled_.at(merchant);
    w.U64(merchant);
    w.U32(static_cast<uint32_t>(days.size()));
    for (const auto& [day, net] : days) {
      w.I64(day);
      w.I64(net);
    }
  }
  w.U64(settlements_.size());
  for (uint64_t id : SortedKeys(settlements_)) {
    const Settlement& t = settlements_.at(id);
    w.U64(t.id);
    w.U64(t.merchant_id);
    w.I64(t.business_day);
    w.I64(t.amount_fen);
    w.I64(t.created_ns);
    w.U8(static_cast<uint8_t>(t.state));
  }
  w.U64(nfc_tokens_.size());
  for (const std::string& key : SortedKeys(nfc_tokens_)) {
    const NfcToken& t = nfc_tokens_.at(key);
    w.LengthPrefixed(t.token);
    w.U64(t.customer_id);
    w.I64(t.issued_ns);
    w.U8(t.state.active ? 1 : 0);
    w.U32(t.state.generation);
    w.U32(t.state.first_atc);
    w.U32(t.state.last_atc);
    w.U32(t.state.luk_count);
    w.U32(t.state.uses_per_luk);
  }
  std::vector<const Merchant*> rotated;
  for (uint64_t id = 1; id <= merchants_.size(); id++) {
    const Merchant& m = merchants_.at(id);
    if (m.webhook_secret_version > 0) rotated.push_back(&m);
  }
  std::vector<const Payment*> stepped_up;
  for (const auto& [id, p] : payments_) {
    if (p.step_up != 0 || p.rewards_denied) stepped_up.push_back(&p);
  }
  std::sort(stepped_up.begin(), stepped_up.end(),
            [](const Payment* a, const Payment* b) { return a->id < b->id; });
  if (!disabled_users_.empty() || !credit_invoice_of_refund_.empty() || !rotated.empty() ||
      !stepped_up.empty()) {
    std::vector<uint64_t> disabled(disabled_users_.begin(), disabled_users_.end());
    std::sort(disabled.begin(), disabled.end());
    w.U64(disabled.size());
    for (uint64_t user : disabled) w.U64(user);
  }
  if (!credit_invoice_of_refund_.empty() || !rotated.empty() || !stepped_up.empty()) {
    std::vector<std::pair<uint64_t, std::string>> credits(credit_invoice_of_refund_.begin(),
                                                          credit_invoice_of_refund_.end());
    std::sort(credits.begin(), credits.end());
    w.U64(credits.size());
    for (const auto& [refund, number] : credits) {
      w.U64(refund);
      w.LengthPrefixed(number);
    }
  }
  if (!rotated.empty() || !stepped_up.empty()) {
    w.U64(rotated.size());
    for (const Merchant* m : rotated) {
      w.U64(m->id);
      w.U32(m->webhook_secret_version);
      w.I64(m->webhook_rotated_ns);
    }
  }
  if (!stepped_up.empty()) {
    w.U64(stepped_up.size());
    for (const Payment* p : stepped_up) {
      w.U64(p->id);
      w.U8(static_cast<uint8_t>(p->step_up | (p->rewards_denied ? kRewardsDeniedBit : 0)));
    }
  }
}

bool PaymentBook::Deserialize(std::string_view bytes) {
  Clear();
  ByteReader r(bytes);
  if (r.U32() != kMagic) return false;
  auto plausible = [&](uint64_t count) { return count <= r.remaining() / 4; };
  auto text = [&] { return std::string(r.LengthPrefixed()); };
  uint64_t count = r.U64();
  if (!plausible(count)) return false;
  for (uint64_t i = 0; i < count && r.ok(); i++) {
    Merchant m;
    m.id = r.U64();
    m.account_id = r.U64();
    m.profile.legal_name = text();
    m.profile.credit_code = text();
    m.profile.category = text();
    m.profile.fee_bps = r.U32();
    m.profile.settlement_bank_code = text();
    m.profile.settlement_account_sealed = text();
    m.profile.settlement_account_last4 = text();
    m.profile.contact_phone = text();
    const uint8_t status = r.U8();
    if (status < 1 || status > 3) return false;
    m.status = static_cast<MerchantStatus>(status);
    m.created_ns = r.I64();
    m.status_changed_ns = r.I64();
    m.onboarded_by_staff_id = r.U64();
    const uint32_t keys = r.U32();
    if (keys > 64) return false;
    for (uint32_t k = 0; k < keys && r.ok(); k++) {
      ApiKey key;
      key.key_id = text();
      key.secret_sealed = text();
      key.created_ns = r.I64();
      key.revoked = r.U8() != 0;
      m.api_keys.push_back(std::move(key));
    }
    if (m.id != i + 1) return false;
    AddMerchant(std::move(m));
  }
  const uint64_t users_len = r.U64();
  if (users_len > r.remaining() || !users_.Deserialize(r.Bytes(users_len))) return false;
  count = r.U64();
  if (!plausible(count)) return false;
  for (uint64_t i = 0; i < count && r.ok(); i++) {
    const uint64_t user = r.U64();
    user_merchant_[user] = r.U64();
  }
  count = r.U64();
  if (!plausible(count)) return false;
  for (uint64_t i = 0; i < count && r.ok(); i++) {
    PaymentDevice d;
    d.slot = r.U32();
    d.customer_id = r.U64();
    d.secret_sealed = text();
    d.registered_ns = r.I64();
    d.last_step = r.I64();
    if (!RegisterDevice(std::move(d))) return false;
  }
  count = r.U64();
  if (!plausible(count)) return false;
  for (uint64_t i = 0; i < count && r.ok(); i++) {
    const uint64_t customer = r.U64();
    SmallPaymentSetting s;
    s.enabled = r.U8() != 0;
    s.per_payment_fen = r.I64();
    s.per_day_fen = r.I64();
    s.day = r.I64();
    s.spent_fen = r.I64();
    small_payments_[customer] = s;
  }
  count = r.U64();
  if (!plausible(count)) return false;
  for (uint64_t i = 0; i < count && r.ok(); i++) {
    Order o;
    o.id = r.U64();
    o.merchant_id = r.U64();
    o.merchant_order_no = text();
    o.amount_fen = r.I64();
    o.created_ns = r.I64();
    o.expires_ns = r.I64();
    const uint8_t status = r.U8();
    if (status < 1 || status > 3) return false;
    o.status = static_cast<OrderStatus>(status);
    o.payment_id = r.U64();
    if (o.id != i + 1) return false;
    AddOrder(std::move(o));
  }
  count = r.U64();
  if (!plausible(count)) return false;
  for (uint64_t i = 0; i < count && r.ok(); i++) {
    Payment p;
    p.id = r.U64();
    p.merchant_id = r.U64();
    p.customer_id = r.U64();
    p.order_id = r.U64();
    p.amount_fen = r.I64();
    p.fee_fen = r.I64();
    p.refunded_fen = r.I64();
    p.fee_refunded_fen = r.I64();
    p.created_ns = r.I64();
    const uint8_t channel = r.U8();
    const uint8_t state = r.U8();
    if (!IsPaymentChannel(channel) || state < 1 || state > 4) return false;
    p.channel = static_cast<PaymentChannel>(channel);
    p.state = static_cast<PaymentState>(state);
    p.invoice_number = text();
    if (payments_.contains(p.id)) return false;
    payments_.emplace(p.id, std::move(p));
  }
  count = r.U64();
  if (!plausible(count)) return false;
  for (uint64_t i = 0; i < count && r.ok(); i++) {
    const uint64_t merchant = r.U64();
    const uint32_t days = r.U32();
    if (!plausible(days)) return false;
    std::map<int64_t, int64_t>& map = unsettled_[merchant];
    for (uint32_t d = 0; d < days && r.ok(); d++) {
      const int64_t day = r.I64();
      map[day] = r.I64();
    }
  }
  count = r.U64();
  if (!plausible(count)) return false;
  for (uint64_t i = 0; i < count && r.ok(); i++) {
    Settlement t;
    t.id = r.U64();
    t.merchant_id = r.U64();
    t.business_day = r.I64();
    t.amount_fen = r.I64();
    t.created_ns = r.I64();
    const uint8_t state = r.U8();
    if (state < 1 || state > 3) return false;
    t.state = static_cast<SettlementState>(state);
    AddSettlement(std::move(t));
  }
  count = r.U64();
  if (!plausible(count)) return false;
  for (uint64_t i = 0; i < count && r.ok(); i++) {
    NfcToken t;
    t.token = text();
    t.customer_id = r.U64();
    t.issued_ns = r.I64();
    t.state.active = r.U8() != 0;
    t.state.generation = r.U32();
    t.state.first_atc = r.U32();
    t.state.last_atc = r.U32();
    t.state.luk_count = r.U32();
    t.state.uses_per_luk = r.U32();
    // The customer's live token is the active one (at most one).
    if (t.state.active) nfc_token_of_customer_[t.customer_id] = t.token;
    std::string key = t.token;
    if (!nfc_tokens_.emplace(std::move(key), std::move(t)).second) return false;
  }
  if (r.ok() && r.remaining() > 0) {
    count = r.U64();
    // Written only when non-empty or followed by the credit-invoice trailer: an empty trailer
    // would hash differently from none.
    if ((count == 0 && r.remaining() == 0) || !plausible(count)) return false;
    uint64_t previous = 0;
    for (uint64_t i = 0; i < count && r.ok(); i++) {
      const uint64_t user = r.U64();
      if (user <= previous || !user_merchant_.contains(user)) return false;
      disabled_users_.insert(user);
      previous = user;
    }
  }
  if (r.ok() && r.remaining() > 0) {
    count = r.U64();
    // Zero only when the webhook-secret trailer follows.
    if ((count == 0 && r.remaining() == 0) || !plausible(count)) return false;
    uint64_t previous = 0;
    for (uint64_t i = 0; i < count && r.ok(); i++) {
      const uint64_t refund = r.U64();
      std::string number = text();
      if (refund <= previous || number.empty()) return false;
      credit_invoice_of_refund_.emplace(refund, std::move(number));
      previous = refund;
    }
  }
  if (r.ok() && r.remaining() > 0) {
    count = r.U64();
    // Zero only when the step-up trailer follows.
    if ((count == 0 && r.remaining() == 0) || !plausible(count)) return false;
    uint64_t previous = 0;
    for (uint64_t i = 0; i < count && r.ok(); i++) {
      const uint64_t merchant_id = r.U64();
      const uint32_t version = r.U32();
      const int64_t rotated_ns = r.I64();
      Merchant* m = MutableMerchant(merchant_id);
      // A version of 0 is never written: it would hash differently from a merchant left out.
      if (merchant_id <= previous || m == nullptr || version == 0) return false;
      m->webhook_secret_version = version;
      m->webhook_rotated_ns = rotated_ns;
      previous = merchant_id;
    }
  }
  if (r.ok() && r.remaining() > 0) {
    count = r.U64();
    if (count == 0 || !plausible(count)) return false;
    uint64_t previous = 0;
    for (uint64_t i = 0; i < count && r.ok(); i++) {
      const uint64_t payment_id = r.U64();
      const uint8_t held = r.U8();
      const auto strength = static_cast<uint8_t>(held & ~kRewardsDeniedBit);
      const bool denied = (held & kRewardsDeniedBit) != 0;
      auto it = payments_.find(payment_id);
      // Only a payment still awaiting confirmation is held for a step-up; denied rewards are
      // kept for a review too.
      const PaymentState state =
          it == payments_.end() ? PaymentState::kCompleted : it->second.state;
      if (payment_id <= previous || it == payments_.end() || (strength == 0 && !denied) ||
          strength > kMaxStepUp ||
          (strength != 0 && state != PaymentState::kAwaitingConfirmation) ||
          (state != PaymentState::kAwaitingConfirmation && state != PaymentState::kUnderReview)) {
        return false;
      }
      it->second.step_up = strength;
      it->second.rewards_denied = denied;
      previous = payment_id;
    }
  }
  return r.ok() && r.remaining() == 0;
}

}  // namespace qb::payments
