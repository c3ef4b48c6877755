// The payment book: merchants and their users, API keys, payment devices, small-payment
// settings, orders, payments, unsettled takings, settlements, NFC tokens and red-letter invoice
// numbers. Its checkpoint encoding is in payment_book_codec.cc.
#include "payments/payment_book.h"

#include <algorithm>

#include "base/assert.h"

namespace qb::payments {
namespace {

std::string OrderKey(uint64_t merchant_id, std::string_view merchant_order_no) {
  std::string key = std::to_string(merchant_id);
  key.push_back(':');
  key.append(merchant_order_no);
  return key;
}

}  // namespace

std::string_view MerchantStatusName(MerchantStatus status) {
  switch (status) {
    case MerchantStatus::kPendingReview:
      return "pending_review";
    case MerchantStatus::kActive:
      return "active";
    case MerchantStatus::kSuspended:
      return "suspended";
  }
  return "unknown";
}

std::string_view PaymentChannelName(PaymentChannel channel) {
  switch (channel) {
    case PaymentChannel::kStaticQr:
      return "static_qr";
    case PaymentChannel::kDynamicQr:
      return "dynamic_qr";
    case PaymentChannel::kPaymentCode:
      return "payment_code";
    case PaymentChannel::kOnline:
      return "online";
    case PaymentChannel::kNfc:
      return "nfc";
  }
  return "unknown";
}

bool IsPaymentChannel(uint8_t value) { return value >= 1 && value <= 5; }

std::string_view SettlementStateName(SettlementState state) {
  switch (state) {
    case SettlementState::kProcessing:
      return "processing";
    case SettlementState::kPaid:
      return "paid";
    case SettlementState::kFailed:
      return "failed";
  }
  return "unknown";
}

std::string_view OrderStatusName(OrderStatus status) {
  switch (status) {
    case OrderStatus::kOpen:
      return "open";
    case OrderStatus::kPaid:
      return "paid";
    case OrderStatus::kClosed:
      return "closed";
  }
  return "unknown";
}

int64_t FeeFor(int64_t amount_fen, uint32_t fee_bps) {
  QB_ASSERT(amount_fen >= 0 && fee_bps <= kMaxFeeBps);
  const __int128 scaled = static_cast<__int128>(amount_fen) * fee_bps;
  return static_cast<int64_t>((scaled + 5'000) / 10'000);
}

int64_t FeeRefundFor(const Payment& payment, int64_t refunded_after_fen) {
  QB_ASSERT(payment.amount_fen > 0 && refunded_after_fen <= payment.amount_fen);
  const __int128 share = static_cast<__int128>(payment.fee_fen) * refunded_after_fen;
  // Rounded down, so the merchant never gets back more fee than the refunded share carried;
  // the last refund (refunded_after == amount) returns the remainder exactly.
  const int64_t fee_share = static_cast<int64_t>(share / payment.amount_fen);
  return fee_share - payment.fee_refunded_fen;
}

void PaymentBook::AddMerchant(Merchant merchant) {
  QB_ASSERT(merchant.id == next_merchant_id());
  for (const ApiKey& key : merchant.api_keys) merchant_by_key_id_[key.key_id] = merchant.id;
  merchants_.emplace(merchant.id, std::move(merchant));
}

const Merchant* PaymentBook::FindMerchant(uint64_t id) const {
  auto it = merchants_.find(id);
  return it == merchants_.end() ? nullptr : &it->second;
}

Merchant* PaymentBook::MutableMerchant(uint64_t id) {
  auto it = merchants_.find(id);
  return it == merchants_.end() ? nullptr : &it->second;
}

const Merchant* PaymentBook::FindMerchantByKeyId(std::string_view key_id) const {
  auto it = merchant_by_key_id_.find(std::string(key_id));
  return it == merchant_by_key_id_.end() ? nullptr : FindMerchant(it->second);
}

bool PaymentBook::AddApiKey(uint64_t merchant_id, ApiKey key) {
  Merchant* merchant = MutableMerchant(merchant_id);
  if (merchant == nullptr || merchant_by_key_id_.contains(key.key_id)) return false;
  const size_t live = std::count_if(merchant->api_keys.begin(), merchant->api_keys.end(),
                                    [](const ApiKey& k) { return !k.revoked; });
  if (live >= kMaxApiKeysPerMerchant) return false;
  merchant_by_key_id_[key.key_id] = merchant_id;
  merchant->api_keys.push_back(std::move(key));
  return true;
}

void PaymentBook::SetUserMerchant(uint64_t user_id, uint64_t merchant_id) {
  user_merchant_[user_id] = merchant_id;
}

uint64_t PaymentBook::MerchantOfUser(uint64_t user_id) const {
  auto it = user_merchant_.find(user_id);
  return it == user_merchant_.end() ? 0 : it->second;
}

void PaymentBook::SetUserActive(uint64_t user_id, bool active) {
  if (active) {
    disabled_users_.erase(user_id);
  } else {
    disabled_users_.insert(user_id);
  }
}

const PaymentDevice* PaymentBook::FindDeviceBySlot(uint32_t slot) const {
  auto it = devices_.find(slot);
  return it == devices_.end() ? nullptr : &it->second;
}

PaymentDevice* PaymentBook::MutableDeviceBySlot(uint32_t slot) {
  auto it = devices_.find(slot);
  return it == devices_.end() ? nullptr : &it->second;
}

const PaymentDevice* PaymentBook::FindDeviceOf(uint64_t customer_id) const {
  auto it = device_of_customer_.find(customer_id);
  return it == device_of_customer_.end() ? nullptr : FindDeviceBySlot(it->second);
}

bool PaymentBook::RegisterDevice(PaymentDevice device) {
  if (const PaymentDevice* taken = FindDeviceBySlot(device.slot);
      taken != nullptr && taken->customer_id != device.customer_id) {
    return false;
  }
  // A new device replaces the old one: its codes stop working at once.
  if (auto it = device_of_customer_.find(device.customer_id); it != device_of_customer_.end()) {
    devices_.erase(it->second);
  }
  device_of_customer_[device.customer_id] = device.slot;
  devices_[device.slot] = std::move(device);
  return true;
}

const SmallPaymentSetting& PaymentBook::SmallPayments(uint64_t customer_id) const {
  static const SmallPaymentSetting kDefault;
  auto it = small_payments_.find(customer_id);
  return it == small_payments_.end() ? kDefault : it->second;
}

SmallPaymentSetting* PaymentBook::MutableSmallPayments(uint64_t customer_id) {
  return &small_payments_[customer_id];
}

void PaymentBook::AddOrder(Order order) {
  QB_ASSERT(order.id == next_order_id());
  order_by_merchant_no_[OrderKey(order.merchant_id, order.merchant_order_no)] = order.id;
  orders_.emplace(order.id, std::move(order));
}

const Order* PaymentBook::FindOrder(uint64_t id) const {
  auto it = orders_.find(id);
  return it == orders_.end() ? nullptr : &it->second;
}

Order* PaymentBook::MutableOrder(uint64_t id) {
  auto it = orders_.find(id);
  return it == orders_.end() ? nullptr : &it->second;
}

uint64_t PaymentBook::FindOrderByMerchantNo(uint64_t merchant_id,
                                            std::string_view merchant_order_no) const {
  auto it = order_by_merchant_no_.find(OrderKey(merchant_id, merchant_order_no));
  return it == order_by_merchant_no_.end() ? 0 : it->second;
}

void PaymentBook::AddUnsettled(uint64_t merchant_id, int64_t day, int64_t net_fen) {
  if (net_fen == 0) return;
  std::map<int64_t, int64_t>& days = unsettled_[merchant_id];
  if ((days[day] += net_fen) == 0) days.erase(day);
  if (days.empty()) unsettled_.erase(merchant_id);
}

int64_t PaymentBook::UnsettledUpTo(uint64_t merchant_id, int64_t day) const {
  auto it = unsettled_.find(merchant_id);
  if (it == unsettled_.end()) return 0;
  int64_t sum = 0;
  for (auto d = it->second.begin(); d != it->second.end() && d->first <= day; ++d) sum += d->second;
  return sum;
}

void PaymentBook::TakeUnsettled(uint64_t merchant_id, int64_t day, int64_t amount_fen) {
  const int64_t sum = UnsettledUpTo(merchant_id, day);
  auto it = unsettled_.find(merchant_id);
  if (it != unsettled_.end()) {
    std::map<int64_t, int64_t>& days = it->second;
    days.erase(days.begin(), days.upper_bound(day));
    if (days.empty()) unsettled_.erase(it);
  }
  AddUnsettled(merchant_id, day, sum - amount_fen);
}

void PaymentBook::AddSettlement(Settlement settlement) {
  const std::string key =
      std::to_string(settlement.merchant_id) + ":" + std::to_string(settlement.business_day);
  settlement_by_day_[key] = settlement.id;
  settlements_.emplace(settlement.id, std::move(settlement));
}

const Settlement* PaymentBook::FindSettlement(uint64_t id) const {
  auto it = settlements_.find(id);
  return it == settlements_.end() ? nullptr : &it->second;
}

Settlement* PaymentBook::MutableSettlement(uint64_t id) {
  auto it = settlements_.find(id);
  return it == settlements_.end() ? nullptr : &it->second;
}

uint64_t PaymentBook::FindSettlementOf(uint64_t merchant_id, int64_t day) const {
  auto it = settlement_by_day_.find(std::to_string(merchant_id) + ":" + std::to_string(day));
  return it == settlement_by_day_.end() ? 0 : it->second;
}

bool PaymentBook::IssueNfcToken(NfcToken token) {
  if (nfc_tokens_.contains(token.token)) return false;
  if (auto it = nfc_token_of_customer_.find(token.customer_id);
      it != nfc_token_of_customer_.end()) {
    nfc_tokens_.at(it->second).state.active = false;
  }
  nfc_token_of_customer_[token.customer_id] = token.token;
  std::string key = token.token;
  nfc_tokens_.emplace(std::move(key), std::move(token));
  return true;
}

const NfcToken* PaymentBook::FindNfcToken(std::string_view token) const {
  auto it = nfc_tokens_.find(std::string(token));
  return it == nfc_tokens_.end() ? nullptr : &it->second;
}

NfcToken* PaymentBook::MutableNfcToken(std::string_view token) {
  auto it = nfc_tokens_.find(std::string(token));
  return it == nfc_tokens_.end() ? nullptr : &it->second;
}

const std::string* PaymentBook::FindCreditInvoiceOf(uint64_t refund_id) const {
  auto it = credit_invoice_of_refund_.find(refund_id);
  return it == credit_invoice_of_refund_.end() ? nullptr : &it->second;
}

bool PaymentBook::AddCreditInvoice(uint64_t refund_id, std::string number) {
  return credit_invoice_of_refund_.emplace(refund_id, std::move(number)).second;
}

const NfcToken* PaymentBook::FindNfcTokenOf(uint64_t customer_id) const {
  auto it = nfc_token_of_customer_.find(customer_id);
  return it == nfc_token_of_customer_.end() ? nullptr : FindNfcToken(it->second);
}

const paytoken::NfcTokenState* PaymentBook::Find(std::string_view token) const {
  const NfcToken* found = FindNfcToken(token);
  return found == nullptr ? nullptr : &found->state;
}

void PaymentBook::AddPayment(Payment payment) {
  QB_ASSERT(!payments_.contains(payment.id));
  payments_.emplace(payment.id, std::move(payment));
}

const Payment* PaymentBook::FindPayment(uint64_t id) const {
  auto it = payments_.find(id);
  return it == payments_.end() ? nullptr : &it->second;
}

Payment* PaymentBook::MutablePayment(uint64_t id) {
  auto it = payments_.find(id);
  return it == payments_.end() ? nullptr : &it->second;
}

void PaymentBook::Clear() {
  merchants_.clear();
  merchant_by_key_id_.clear();
  users_.Clear();
  user_merchant_.clear();
  disabled_users_.clear();
  devices_.clear();
  device_of_customer_.clear();
  small_payments_.clear();
  orders_.clear();
  order_by_merchant_no_.clear();
  payments_.clear();
  unsettled_.clear();
  settlements_.clear();
  settlement_by_day_.clear();
  nfc_tokens_.clear();
  nfc_token_of_customer_.clear();
  credit_invoice_of_refund_.clear();
}

}  // namespace qb::payments
