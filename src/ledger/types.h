// The ledger's records and result codes. Accounts and transfers follow TigerBeetle's model:
// double entry, debits and credits kept apart as posted and pending, transfers immutable, and
// a transfer's id doubling as its idempotency key.
#pragma once

#include <cstdint>
#include <string_view>

namespace qb::ledger {

// Ledger numbers: one per currency, plus points. An account holds one ledger's units only.
inline constexpr uint32_t kLedgerCny = 156;  // ISO 4217 numeric code, amounts in fen.
inline constexpr uint32_t kLedgerPoints = 1000;

enum class AccountKind : uint16_t {
  kCustomerWallet = 1,
  kMerchantSettlement = 2,
  kBankClearing = 3,
  kCampaignBudget = 4,
  kMarketingExpense = 5,
  kPointsPool = 6,
  kFeeIncome = 7,
  kSuspense = 8,
  kCustomerPoints = 9,  // A customer's points (ledger kLedgerPoints).
};

namespace account_flags {
inline constexpr uint16_t kDebitsMustNotExceedCredits = 1 << 0;  // No overdraft.
inline constexpr uint16_t kCreditsMustNotExceedDebits = 1 << 1;
inline constexpr uint16_t kClosed = 1 << 2;
inline constexpr uint16_t kAll = (1 << 3) - 1;
}  // namespace account_flags

struct Account {
  uint64_t id = 0;
  uint64_t user_data = 0;
  int64_t debits_pending = 0;
  int64_t debits_posted = 0;
  int64_t credits_pending = 0;
  int64_t credits_posted = 0;
  int64_t timestamp_ns = 0;  // Set by the ledger when the account is created.
  uint32_t ledger = 0;
  uint16_t kind = 0;
  uint16_t flags = 0;

  // The balance from the account holder's side for a liability account (wallet): credits
  // minus debits, posted only.
  int64_t CreditBalance() const { return credits_posted - debits_posted; }
  bool operator==(const Account&) const = default;
};

namespace transfer_flags {
inline constexpr uint16_t kLinked = 1 << 0;       // Succeeds or fails with the next transfer.
inline constexpr uint16_t kPending = 1 << 1;      // Phase one: hold the amount.
inline constexpr uint16_t kPostPending = 1 << 2;  // Phase two: post (part of) a hold.
inline constexpr uint16_t kVoidPending = 1 << 3;  // Phase two: release a hold.
inline constexpr uint16_t kAll = (1 << 4) - 1;
}  // namespace transfer_flags

// Transfer codes: what a transfer is for. Stable (journaled, projected, shown as history
// types): append, never renumber.
namespace transfer_codes {
inline constexpr uint16_t kP2P = 10;
inline constexpr uint16_t kTopUp = 20;       // Bank card → wallet (a hold, then post/void).
inline constexpr uint16_t kWithdrawal = 21;  // Wallet → bank card (a hold, then post/void).
inline constexpr uint16_t kPayment = 30;     // Wallet → merchant.
inline constexpr uint16_t kPaymentFee = 31;  // Merchant → fee income, linked to its payment.
inline constexpr uint16_t kRefund = 32;      // Merchant → wallet (or closed-refund account).
inline constexpr uint16_t kRefundFee = 33;   // Fee income → merchant, linked to its refund.
inline constexpr uint16_t kSettlement = 34;  // Merchant → bank (a hold, then post/void).
// Closed-refund account → bank: support paid a former customer what refunds brought after the
// wallet closed (engine PayOutClosedRefund; such a refund is a kRefund into that account).
inline constexpr uint16_t kClosedRefundPayout = 35;
// Marketing (engine/state_machine_marketing.cc): a campaign's budget account pays discounts to
// merchants and cashback to customers, linked to the payment; refunds take shares back.
inline constexpr uint16_t kCampaignFunding = 40;   // Marketing expense or merchant → budget.
inline constexpr uint16_t kCampaignRelease = 41;   // Budget → marketing expense (campaign end).
inline constexpr uint16_t kCampaignDiscount = 42;  // Budget → merchant, linked to a payment.
inline constexpr uint16_t kCashback = 43;          // Budget → customer, linked to a payment.
inline constexpr uint16_t kDiscountReversal = 44;  // Merchant → budget, linked to a refund.
inline constexpr uint16_t kCashbackReversal = 45;  // Customer → budget, linked to a refund.
// Points (ledger kLedgerPoints, but kPointsDiscount and kPointsDiscountReversal, which move the
// points' worth in fen), each linked to its payment or refund.
inline constexpr uint16_t kPointsEarn = 50;              // Points pool → customer points.
inline constexpr uint16_t kPointsRedeem = 51;            // Customer points → pool.
inline constexpr uint16_t kPointsDiscount = 52;          // Marketing expense → merchant (fen).
inline constexpr uint16_t kPointsClawback = 53;          // Customer points → pool (a refund).
inline constexpr uint16_t kPointsRestore = 54;           // Pool → customer points (a refund).
inline constexpr uint16_t kPointsDiscountReversal = 55;  // Merchant → marketing expense (fen).
inline constexpr uint16_t kPointsForfeit = 56;  // Customer points → pool (account closure).
// Friend referral (engine/state_machine_referral.cc): the programme's budget account pays cash
// rewards and takes back what a refund claws back; points come from the points pool.
inline constexpr uint16_t kReferralCash = 60;            // Referral budget → customer wallet.
inline constexpr uint16_t kReferralPoints = 61;          // Points pool → customer points.
inline constexpr uint16_t kReferralCashClawback = 62;    // Customer wallet → referral budget.
inline constexpr uint16_t kReferralPointsClawback = 63;  // Customer points → pool.
// The lottery (engine/state_machine_lottery.cc): a prize won.
inline constexpr uint16_t kLotteryCash = 64;    // Lottery budget → customer wallet.
inline constexpr uint16_t kLotteryPoints = 65;  // Points pool → customer points.
// Group red packets (engine/state_machine_redpacket.cc): a share claimed.
inline constexpr uint16_t kRedPacketCash = 66;  // Red-packet budget → claimant wallet.
}  // namespace transfer_codes

struct Transfer {
  uint64_t id = 0;
  uint64_t debit_account_id = 0;
  uint64_t credit_account_id = 0;
  int64_t amount = 0;
  uint64_t pending_id = 0;  // For post and void: the pending transfer they resolve.
  uint64_t user_data = 0;
  int64_t timestamp_ns = 0;  // Set by the ledger.
  uint32_t timeout_s = 0;    // For pending transfers: 0 means no expiry.
  uint32_t ledger = 0;
  uint16_t code = 0;  // What the transfer is for (payment, top-up, cashback, ...).
  uint16_t flags = 0;

  bool operator==(const Transfer&) const = default;
};

// Results are ordered by precedence: when several apply, the first in this list is returned.
// The numeric values are stable and part of the journal and API; append, never renumber.
#define QB_CREATE_ACCOUNT_RESULTS(X)  \
  X(kOk, 0)                           \
  X(kReservedFlag, 1)                 \
  X(kIdMustNotBeZero, 2)              \
  X(kIdMustNotBeIntMax, 3)            \
  X(kFlagsAreMutuallyExclusive, 4)    \
  X(kBalancesMustBeZero, 5)           \
  X(kTimestampMustBeZero, 6)          \
  X(kLedgerMustNotBeZero, 7)          \
  X(kKindMustNotBeZero, 8)            \
  X(kExistsWithDifferentFlags, 9)     \
  X(kExistsWithDifferentUserData, 10) \
  X(kExistsWithDifferentLedger, 11)   \
  X(kExistsWithDifferentKind, 12)     \
  X(kExists, 13)

#define QB_CREATE_TRANSFER_RESULTS(X)                \
  X(kOk, 0)                                          \
  X(kLinkedEventFailed, 1)                           \
  X(kLinkedEventChainOpen, 2)                        \
  X(kReservedFlag, 3)                                \
  X(kTimestampMustBeZero, 4)                         \
  X(kIdMustNotBeZero, 5)                             \
  X(kIdMustNotBeIntMax, 6)                           \
  X(kFlagsAreMutuallyExclusive, 7)                   \
  X(kDebitAccountIdMustNotBeZero, 8)                 \
  X(kCreditAccountIdMustNotBeZero, 9)                \
  X(kAccountsMustBeDifferent, 10)                    \
  X(kPendingIdMustBeZero, 11)                        \
  X(kPendingIdMustNotBeZero, 12)                     \
  X(kPendingIdMustBeDifferent, 13)                   \
  X(kTimeoutReservedForPendingTransfer, 14)          \
  X(kAmountMustBePositive, 15)                       \
  X(kLedgerMustNotBeZero, 16)                        \
  X(kCodeMustNotBeZero, 17)                          \
  X(kDebitAccountNotFound, 18)                       \
  X(kCreditAccountNotFound, 19)                      \
  X(kAccountsMustHaveTheSameLedger, 20)              \
  X(kTransferMustHaveTheSameLedgerAsAccounts, 21)    \
  X(kPendingTransferNotFound, 22)                    \
  X(kPendingTransferNotPending, 23)                  \
  X(kPendingTransferHasDifferentDebitAccountId, 24)  \
  X(kPendingTransferHasDifferentCreditAccountId, 25) \
  X(kPendingTransferHasDifferentLedger, 26)          \
  X(kPendingTransferHasDifferentCode, 27)            \
  X(kExceedsPendingTransferAmount, 28)               \
  X(kPendingTransferHasDifferentAmount, 29)          \
  X(kPendingTransferAlreadyPosted, 30)               \
  X(kPendingTransferAlreadyVoided, 31)               \
  X(kPendingTransferExpired, 32)                     \
  X(kExistsWithDifferentFlags, 33)                   \
  X(kExistsWithDifferentDebitAccountId, 34)          \
  X(kExistsWithDifferentCreditAccountId, 35)         \
  X(kExistsWithDifferentAmount, 36)                  \
  X(kExistsWithDifferentPendingId, 37)               \
  X(kExistsWithDifferentUserData, 38)                \
  X(kExistsWithDifferentTimeout, 39)                 \
  X(kExistsWithDifferentCode, 40)                    \
  X(kExists, 41)                                     \
  X(kDebitAccountClosed, 42)                         \
  X(kCreditAccountClosed, 43)                        \
  X(kOverflowsDebitsPending, 44)                     \
  X(kOverflowsCreditsPending, 45)                    \
  X(kOverflowsDebitsPosted, 46)                      \
  X(kOverflowsCreditsPosted, 47)                     \
  X(kOverflowsDebits, 48)                            \
  X(kOverflowsCredits, 49)                           \
  X(kOverflowsTimeout, 50)                           \
  X(kExceedsCredits, 51)                             \
  X(kExceedsDebits, 52)

#define QB_ENUM_VALUE(name, value) name = value,

enum class CreateAccountResult : uint8_t { QB_CREATE_ACCOUNT_RESULTS(QB_ENUM_VALUE) };
enum class CreateTransferResult : uint8_t { QB_CREATE_TRANSFER_RESULTS(QB_ENUM_VALUE) };

#undef QB_ENUM_VALUE

// Stable snake_case names, e.g. "exceeds_credits", used in logs and the API.
std::string_view ResultName(CreateAccountResult result);
std::string_view ResultName(CreateTransferResult result);

}  // namespace qb::ledger
