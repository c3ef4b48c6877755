// The engine's memory of merchants and what is paid to them: merchants and their staff logins,
// API keys, customers' payment-code devices and small-payment settings, orders, and every
// payment with what has been refunded of it. Money itself lives in the ledger; this book holds
// what the ledger cannot: who a merchant is, whether it may take money, and how much of a
// payment is still refundable.
//
// Like the other books it is pure (no clock, randomness or I/O) and owned by the engine's single
// writer; times come in as arguments. Secrets (API key secrets, device secrets, settlement
// account numbers) arrive sealed by the API (identity::CardVault) and are kept sealed.
#pragma once

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/digest.h"
#include "base/huge_page_allocator.h"
#include "identity/staff_book.h"
#include "paytoken/nfc_cryptogram.h"

namespace qb::payments {

enum class MerchantStatus : uint8_t { kPendingReview = 1, kActive = 2, kSuspended = 3 };
std::string_view MerchantStatusName(MerchantStatus status);  // "pending_review", ...

// How a payment reached the merchant. Stable values (journaled, projected): append only.
enum class PaymentChannel : uint8_t {
  kStaticQr = 1,     // The customer scanned the merchant's printed code and typed the amount.
  kDynamicQr = 2,    // The customer scanned an order's code: the amount is the order's.
  kPaymentCode = 3,  // The merchant scanned the customer's 付款码.
  kOnline = 4,       // Hosted checkout page for an online order.
  kNfc = 5,          // A tap: token + cryptogram from the customer's phone.
};
std::string_view PaymentChannelName(PaymentChannel channel);  // "static_qr", ...
bool IsPaymentChannel(uint8_t value);

// Merchant-portal roles (bits), kept in a StaffBook of their own.
inline constexpr uint32_t kMerchantOwner = 1u << 0;    // Everything, including API keys.
inline constexpr uint32_t kMerchantCashier = 1u << 1;  // Charge codes, see orders, refund.

inline constexpr uint32_t kMaxFeeBps = 1000;  // 10 %: anything above is a typing error.
inline constexpr size_t kMaxApiKeysPerMerchant = 5;

struct MerchantProfile {
  std::string legal_name;
  std::string credit_code;  // Unified social credit code, validated by the API (GB 32100).
  std::string category;     // merchant::MerchantCategory id.
  uint32_t fee_bps = 0;
  std::string settlement_bank_code;
  std::string settlement_account_sealed;  // CardVault blob of the bank account number.
  std::string settlement_account_last4;
  std::string contact_phone;
  bool operator==(const MerchantProfile&) const = default;
};

struct ApiKey {
  std::string key_id;         // Public, e.g. "mk_3f9a…"; sent in every signed request.
  std::string secret_sealed;  // CardVault blob of the HMAC secret.
  int64_t created_ns = 0;
  bool revoked = false;
  bool operator==(const ApiKey&) const = default;
};

struct Merchant {
  uint64_t id = 0;
  uint64_t account_id = 0;  // The merchant's settlement account in the ledger.
  MerchantProfile profile;
  MerchantStatus status = MerchantStatus::kPendingReview;
  int64_t created_ns = 0;
  int64_t status_changed_ns = 0;
  uint64_t onboarded_by_staff_id = 0;  // 0: self-service application.
  std::vector<ApiKey> api_keys;
  // The webhook signing secret is derived from the merchant id and this version (0: never
  // rotated); RotateWebhookSecret raises it and records when.
  uint32_t webhook_secret_version = 0;
  int64_t webhook_rotated_ns = 0;  // 0 while the version is 0.
  bool operator==(const Merchant&) const = default;
};

// A customer's payment-code device: the slot the codes carry and the sealed HOTP secret.
struct PaymentDevice {
  uint32_t slot = 0;
  uint64_t customer_id = 0;
  std::string secret_sealed;
  int64_t registered_ns = 0;
  int64_t last_step = -1;  // The last accepted code's step; a code at or below it is a replay.
  bool operator==(const PaymentDevice&) const = default;
};

// 免密支付: payments the customer does not confirm one by one (payment code, NFC), up to caps.
struct SmallPaymentSetting {
  bool enabled = false;
  int64_t per_payment_fen = 200'00;
  int64_t per_day_fen = 1'000'00;
  int64_t day = -1;  // Days since the epoch (UTC+8) of `spent_fen`.
  int64_t spent_fen = 0;
  bool operator==(const SmallPaymentSetting&) const = default;
};
inline constexpr int64_t kMaxSmallPaymentPerPaymentFen = 2'000'00;
inline constexpr int64_t kMaxSmallPaymentPerDayFen = 5'000'00;

enum class OrderStatus : uint8_t { kOpen = 1, kPaid = 2, kClosed = 3 };
std::string_view OrderStatusName(OrderStatus status);

struct Order {
  uint64_t id = 0;
  uint64_t merchant_id = 0;
  std::string merchant_order_no;
  int64_t amount_fen = 0;
  int64_t created_ns = 0;
  int64_t expires_ns = 0;  // Open orders past this are refused (and read as expired).
  OrderStatus status = OrderStatus::kOpen;
  uint64_t payment_id = 0;
  bool operator==(const Order&) const = default;
};

enum class PaymentState : uint8_t {
  kCompleted = 1,
  kAwaitingConfirmation = 2,  // A hold on the wallet until the customer confirms in the app.
  kCancelled = 3,             // The customer declined or the hold timed out.
  kUnderReview = 4,           // Held by the risk rules until an analyst approves or rejects it
                              // (engine ReviewPayment); the customer cannot confirm it.
};

inline constexpr uint8_t kMaxStepUp = 3;  // identity::kMaxAuthStrength

struct Payment {
  uint64_t id = 0;  // The customer → merchant transfer's id.
  uint64_t merchant_id = 0;
  uint64_t customer_id = 0;
  uint64_t order_id = 0;
  int64_t amount_fen = 0;
  int64_t fee_fen = 0;
  int64_t refunded_fen = 0;
  int64_t fee_refunded_fen = 0;
  int64_t created_ns = 0;
  PaymentChannel channel = PaymentChannel::kStaticQr;
  PaymentState state = PaymentState::kCompleted;
  std::string invoice_number;  // "" until an e-invoice is issued; at most one per payment.
  // While awaiting confirmation: the identity::AuthStrength confirming needs (PBoC No. 43
  // step-up), 0 for none. Cleared when the payment leaves that state.
  uint8_t step_up = 0;
  // While held (awaiting confirmation or under review): the risk rules denied this payment's
  // rewards, so completing it pays no campaign reward and earns no points. Cleared with step_up.
  bool rewards_denied = false;
  bool operator==(const Payment&) const = default;
};

enum class SettlementState : uint8_t { kProcessing = 1, kPaid = 2, kFailed = 3 };
std::string_view SettlementStateName(SettlementState state);

// One payout of a merchant's takings for a business day (China time) and the days before it
// not yet paid out: a pending transfer merchant → bank clearing, posted when the bank pays.
struct Settlement {
  uint64_t id = 0;  // The pending transfer's id.
  uint64_t merchant_id = 0;
  int64_t business_day = 0;  // Days since the epoch, China time.
  int64_t amount_fen = 0;
  int64_t created_ns = 0;
  SettlementState state = SettlementState::kProcessing;
  bool operator==(const Settlement&) const = default;
};

// A customer's NFC payment token (HCE): its number and the key generation's counters.
struct NfcToken {
  std::string token;
  uint64_t customer_id = 0;
  paytoken::NfcTokenState state;
  int64_t issued_ns = 0;
};

class PaymentBook final : public paytoken::NfcTokenDirectory {
 public:
  // Merchants: ids are the count plus one (never deleted).
  uint64_t next_merchant_id() const { return merchants_.size() + 1; }
  void AddMerchant(Merchant merchant);
  const Merchant* FindMerchant(uint64_t id) const;
  // A cache hint before a merchant is looked up: changes nothing.
  void PrefetchMerchant(uint64_t id) const { merchants_.prefetch(id); }
  Merchant* MutableMerchant(uint64_t id);
  size_t merchant_count() const { return merchants_.size(); }
  template <typename Visit>
  void ForEachMerchant(Visit&& visit) const {
    for (uint64_t id = 1; id <= merchants_.size(); id++) visit(merchants_.at(id));
  }
  // Null when no key has this id. Revoked keys are still found (callers check).
  const Merchant* FindMerchantByKeyId(std::string_view key_id) const;
  bool AddApiKey(uint64_t merchant_id, ApiKey key);  // False: key id taken or too many keys.

  // Merchant-portal users: a StaffBook of their own, plus which merchant each belongs to.
  identity::StaffBook& users() { return users_; }
  const identity::StaffBook& users() const { return users_; }
  void SetUserMerchant(uint64_t user_id, uint64_t merchant_id);
  uint64_t MerchantOfUser(uint64_t user_id) const;  // 0 when unknown.
  // A disabled user cannot log in or hold a session; users start active.
  bool IsUserActive(uint64_t user_id) const { return !disabled_users_.contains(user_id); }
  void SetUserActive(uint64_t user_id, bool active);

  // Payment-code devices: one per customer; registering again replaces the old one.
  const PaymentDevice* FindDeviceBySlot(uint32_t slot) const;
  PaymentDevice* MutableDeviceBySlot(uint32_t slot);
  const PaymentDevice* FindDeviceOf(uint64_t customer_id) const;  // Null when none.
  bool RegisterDevice(PaymentDevice device);  // False: the slot belongs to another customer.
  template <typename Visit>
  void ForEachDevice(Visit&& visit) const {
    for (const auto& [slot, device] : devices_) visit(device);
  }

  const SmallPaymentSetting& SmallPayments(uint64_t customer_id) const;
  SmallPaymentSetting* MutableSmallPayments(uint64_t customer_id);

  // Orders: ids are the count plus one.
  uint64_t next_order_id() const { return orders_.size() + 1; }
  void AddOrder(Order order);
  const Order* FindOrder(uint64_t id) const;
  Order* MutableOrder(uint64_t id);
  uint64_t FindOrderByMerchantNo(uint64_t merchant_id, std::string_view merchant_order_no) const;

  // What each merchant took per business day and has not been paid out yet (net of fees and
  // refunds; a day can be negative when refunds exceed takings).
  void AddUnsettled(uint64_t merchant_id, int64_t day, int64_t net_fen);
  // The sum of the merchant's unsettled days up to and including `day`.
  int64_t UnsettledUpTo(uint64_t merchant_id, int64_t day) const;
  // Marks `amount_fen` of the days up to `day` as settled (the rest, if any, stays on `day`).
  void TakeUnsettled(uint64_t merchant_id, int64_t day, int64_t amount_fen);
  void AddSettlement(Settlement settlement);
  const Settlement* FindSettlement(uint64_t id) const;
  Settlement* MutableSettlement(uint64_t id);
  uint64_t FindSettlementOf(uint64_t merchant_id, int64_t day) const;  // 0 when none.
  template <typename Visit>
  void ForEachSettlement(Visit&& visit) const {
    for (const auto& [id, settlement] : settlements_) visit(settlement);
  }

  // NFC tokens: one live token per customer; a new one deactivates the old.
  bool IssueNfcToken(NfcToken token);  // False: the number is taken.
  const NfcToken* FindNfcToken(std::string_view token) const;
  NfcToken* MutableNfcToken(std::string_view token);
  const NfcToken* FindNfcTokenOf(uint64_t customer_id) const;
  // paytoken::NfcTokenDirectory.
  const paytoken::NfcTokenState* Find(std::string_view token) const override;

  void AddPayment(Payment payment);
  template <typename Visit>
  void ForEachPayment(Visit&& visit) const {
    for (const auto& [id, payment] : payments_) visit(payment);
  }
  const Payment* FindPayment(uint64_t id) const;
  // A cache hint before a payment id is looked up or added: changes nothing.
  void PrefetchPayment(uint64_t id) const { payments_.prefetch(id); }
  Payment* MutablePayment(uint64_t id);
  size_t payment_count() const { return payments_.size(); }

  // Red-letter invoices (红字发票), one per refund of an invoiced payment: the refund id (the
  // refund's ledger transfer) → the red invoice's number. Null when the refund has none.
  const std::string* FindCreditInvoiceOf(uint64_t refund_id) const;
  bool AddCreditInvoice(uint64_t refund_id, std::string number);  // False: the refund has one.

  bool empty() const {
    return merchants_.empty() && devices_.empty() && small_payments_.empty() && orders_.empty() &&
           payments_.empty() && unsettled_.empty() && settlements_.empty() && nfc_tokens_.empty();
  }
  void Clear();
  void Reserve(size_t payments) { payments_.reserve(payments); }
  Digest StateHash() const;
  // book := magic:u32 merchants users:StaffBook user_merchants devices small_payments orders
  // payments ... [disabled_users [credit_invoices]], every table in key order (see
  // payment_book.cc).
  void Serialize(std::string* out) const;
  bool Deserialize(std::string_view bytes);

 private:
  absl::flat_hash_map<uint64_t, Merchant> merchants_;
  absl::flat_hash_map<std::string, uint64_t> merchant_by_key_id_;
  identity::StaffBook users_;
  absl::flat_hash_map<uint64_t, uint64_t> user_merchant_;
  absl::flat_hash_set<uint64_t> disabled_users_;
  absl::flat_hash_map<uint32_t, PaymentDevice> devices_;
  absl::flat_hash_map<uint64_t, uint32_t> device_of_customer_;
  absl::flat_hash_map<uint64_t, SmallPaymentSetting> small_payments_;
  absl::flat_hash_map<uint64_t, Order> orders_;
  absl::flat_hash_map<std::string, uint64_t> order_by_merchant_no_;  // "<merchant>:<no>" → id.
  absl::flat_hash_map<uint64_t, Payment, absl::Hash<uint64_t>, std::equal_to<uint64_t>,
                      HugePageAllocator<std::pair<const uint64_t, Payment>>>
      payments_;
  // merchant → (day → net fen), days in order.
  absl::flat_hash_map<uint64_t, std::map<int64_t, int64_t>> unsettled_;
  absl::flat_hash_map<uint64_t, Settlement> settlements_;
  absl::flat_hash_map<std::string, uint64_t> settlement_by_day_;  // "<merchant>:<day>" → id.
  absl::flat_hash_map<std::string, NfcToken> nfc_tokens_;
  absl::flat_hash_map<uint64_t, std::string> nfc_token_of_customer_;
  absl::flat_hash_map<uint64_t, std::string> credit_invoice_of_refund_;
};

// fee = amount × bps / 10 000, rounded half up; nullopt-free because amounts are bounded by
// the tier limits (≤ ¥500 000) long before the product could overflow.
int64_t FeeFor(int64_t amount_fen, uint32_t fee_bps);
// The fee part of a refund that brings the refunded total to `refunded_after_fen`: the fee
// share of the new total minus what was already given back, so refunds in any number of parts
// return exactly the whole fee once the whole payment is refunded.
int64_t FeeRefundFor(const Payment& payment, int64_t refunded_after_fen);

}  // namespace qb::payments
