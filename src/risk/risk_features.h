// The features the risk engine computes for every event, by name: what rules may read. The list
// below is the one place a feature is defined; its slot in the feature array is its position.
//
// Conventions:
//   - Velocity features ("_1m", "_1h", "_24h", "_30d") count the events BEFORE the one being
//     evaluated; a rule adds `amount` itself ("customer.amount_24h + amount > 100_000").
//     Counts are attempts (a refused payment still counts); amounts are money that moved.
//   - A feature is filled only for the events where it means something (docs/RISK.md lists
//     them: merchant.* on payments, card.* on top-ups and withdrawals...); elsewhere it is 0.
//   - Days are whole days, rounded down. Ratios are integer percent. Z-scores are milli-units.
//   - "new" means first seen less than 24 hours ago, or now.
#pragma once

#include <cstdint>
#include <string_view>

#include "risk/expression.h"

namespace qb::risk {

// X(identifier, name, type, meaning)
#define QB_RISK_VELOCITY_FEATURES(X, Id, prefix, what)                                  \
  X(Id##Count1m, prefix ".count_1m", kInt, what ": events in the last minute")          \
  X(Id##Count1h, prefix ".count_1h", kInt, what ": events in the last hour")            \
  X(Id##Count24h, prefix ".count_24h", kInt, what ": events in the last 24 hours")      \
  X(Id##Count30d, prefix ".count_30d", kInt, what ": events in the last 30 days")       \
  X(Id##Amount1m, prefix ".amount_1m", kInt, what ": fen moved in the last minute")     \
  X(Id##Amount1h, prefix ".amount_1h", kInt, what ": fen moved in the last hour")       \
  X(Id##Amount24h, prefix ".amount_24h", kInt, what ": fen moved in the last 24 hours") \
  X(Id##Amount30d, prefix ".amount_30d", kInt, what ": fen moved in the last 30 days")

#define QB_RISK_FEATURES(X)                                                                      \
  X(Event, "event", kSymbol,                                                                     \
    "registration, login, payment, transfer, top_up, withdrawal, coupon_claim or reward")        \
  X(Amount, "amount", kInt, "fen of the payment, transfer, top-up, withdrawal or reward")        \
  X(Channel, "channel", kSymbol, "payment channel: qr, payment_code, online or nfc")             \
  X(Auth, "auth", kInt, "authentication: 1 one factor, 2 two factors, 3 device key, 0 none")     \
  X(Tier, "tier", kInt, "wallet tier: 1 (in person) .. 4 (phone only), 0 unknown")               \
  X(RewardPresent, "reward.present", kBool, "the payment would earn a coupon/cashback/points")   \
  X(Blocked, "blocked", kBool, "the customer, device, IP, card, merchant or payee is blocked")   \
  X(CustomerAllowed, "customer.allowed", kBool, "the customer is on the allow list")             \
  X(CustomerAgeDays, "customer.age_days", kInt, "days since registration (or first event)")      \
  X(CustomerIdleDays, "customer.idle_days", kInt,                                                \
    "days since the customer's last completed payment, transfer or withdrawal (or since "        \
    "registration)")                                                                             \
  QB_RISK_VELOCITY_FEATURES(X, Customer, "customer",                                             \
                            "the customer's payments, transfers and withdrawals")                \
  X(CustomerAmountZ, "customer.amount_z_milli", kInt,                                            \
    "z-score of this amount against the customer's payments and transfers (0: < 5 samples)")     \
  X(CustomerAmountSamples, "customer.amount_samples", kInt,                                      \
    "payments and transfers in the customer's amount statistics")                                \
  X(CustomerDevices, "customer.devices", kInt, "distinct devices the customer has used")         \
  X(CustomerFailedTopUps1h, "customer.failed_top_ups_1h", kInt, "failed top-ups, last hour")     \
  X(CustomerFailedTopUps24h, "customer.failed_top_ups_24h", kInt, "failed top-ups, 24 hours")    \
  X(CustomerNewCards24h, "customer.new_cards_24h", kInt,                                         \
    "top-ups or withdrawals with a card new to the customer, 24 hours")                          \
  X(CustomerTopUpAmount24h, "customer.top_up_amount_24h", kInt, "fen topped up, 24 hours")       \
  X(CustomerInvitees24h, "customer.invitees_24h", kInt, "registrations the customer invited")    \
  X(CustomerInvitees30d, "customer.invitees_30d", kInt, "registrations invited, 30 days")        \
  X(CustomerRegDeviceAccounts, "customer.reg_device_accounts", kInt,                             \
    "at the customer's registration: accounts already seen on its device")                       \
  X(CustomerRegChainDepth, "customer.reg_chain_depth", kInt,                                     \
    "at registration: depth (1..4) of the nearest inviter above that had used the same device "  \
    "or identity, 0 none")                                                                       \
  X(CustomerRegIdentityAccounts, "customer.reg_identity_accounts", kInt,                         \
    "at registration: accounts already registered with the same identity")                       \
  X(CustomerRegInviterAgeDays, "customer.reg_inviter_age_days", kInt,                            \
    "at registration: the inviter's age in days, -1 without an inviter")                         \
  X(CustomerRegIpRegistrations1h, "customer.reg_ip_registrations_1h", kInt,                      \
    "at registration: other registrations from its IP in the hour before")                       \
  X(DeviceAccounts, "device.accounts", kInt, "distinct customers seen on the device")            \
  X(DeviceNewForCustomer, "device.new_for_customer", kBool,                                      \
    "the customer is at least a day old and first used this device less than 24 h ago")          \
  X(DeviceCustomerDays, "device.customer_days", kInt,                                            \
    "days since the customer first used this device")                                            \
  QB_RISK_VELOCITY_FEATURES(X, Device, "device", "money events from the device")                 \
  X(DeviceRegistrations24h, "device.registrations_24h", kInt, "registrations on the device")     \
  X(DeviceRegistrations30d, "device.registrations_30d", kInt, "registrations, 30 days")          \
  X(DeviceInvitees30d, "device.invitees_30d", kInt, "registrations with an inviter, 30 days")    \
  X(DeviceClaims24h, "device.claims_24h", kInt, "coupon claims from the device, 24 hours")       \
  X(DeviceCampaignClaims30d, "device.campaign_claims_30d", kInt,                                 \
    "claims of this campaign from the device, 30 days")                                          \
  X(DeviceRewards30d, "device.rewards_30d", kInt, "rewards asked for on the device, 30 days")    \
  QB_RISK_VELOCITY_FEATURES(X, Ip, "ip", "money events from the IP")                             \
  X(IpRegistrations1h, "ip.registrations_1h", kInt, "registrations from the IP, last hour")      \
  X(IpRegistrations24h, "ip.registrations_24h", kInt, "registrations from the IP, 24 hours")     \
  X(PhoneBlockRegistrations1h, "phone.block_registrations_1h", kInt,                             \
    "registrations whose phone shares its first 9 digits with this one, last hour")              \
  X(PhoneBlockRegistrations24h, "phone.block_registrations_24h", kInt, "the same, 24 hours")     \
  X(IdentityAccounts, "identity.accounts", kInt, "accounts registered with the identity")        \
  X(ReferralHasInviter, "referral.has_inviter", kBool, "the registration used a referral code")  \
  X(ReferralChainDepth, "referral.chain_depth", kInt,                                            \
    "depth (1..4) of the nearest inviter above that used this device or identity, 0 none")       \
  X(ReferralInviterAgeDays, "referral.inviter_age_days", kInt, "the inviter's age in days")      \
  X(ReferralInviterInvitees24h, "referral.inviter_invitees_24h", kInt,                           \
    "registrations the inviter invited in the last 24 hours")                                    \
  X(InviteeRegDeviceAccounts, "invitee.reg_device_accounts", kInt,                               \
    "for a referral reward: the invitee's customer.reg_device_accounts")                         \
  X(InviteeRegChainDepth, "invitee.reg_chain_depth", kInt,                                       \
    "for a referral reward: the invitee's customer.reg_chain_depth")                             \
  X(InviteeRegInviterAgeDays, "invitee.reg_inviter_age_days", kInt,                              \
    "for a referral reward: the invitee's customer.reg_inviter_age_days (-1 otherwise)")         \
  X(InviteeRegIpRegistrations1h, "invitee.reg_ip_registrations_1h", kInt,                        \
    "for a referral reward: the invitee's customer.reg_ip_registrations_1h")                     \
  QB_RISK_VELOCITY_FEATURES(X, Card, "card", "top-ups and withdrawals with the card")            \
  X(CardFailed24h, "card.failed_24h", kInt, "failed top-ups with the card, any customer")        \
  X(CardNewForCustomer, "card.new_for_customer", kBool, "first use of the card by the customer") \
  QB_RISK_VELOCITY_FEATURES(X, Merchant, "merchant", "payments to the merchant")                 \
  X(MerchantAmountZ, "merchant.amount_z_milli", kInt,                                            \
    "z-score of this amount against the merchant's payments (0: < 5 samples)")                   \
  X(MerchantCustomers30d, "merchant.customers_30d", kInt,                                        \
    "customers paying the merchant for the first time (or after 30 days away), 30 days")         \
  X(MerchantCustomerCount30d, "merchant.customer_count_30d", kInt,                               \
    "this customer's payments to the merchant, 30 days")                                         \
  X(MerchantCustomerSharePct, "merchant.customer_share_pct", kInt,                               \
    "this customer's share of the merchant's takings over 30 days, percent")                     \
  QB_RISK_VELOCITY_FEATURES(X, Payee, "payee", "transfers received by the payee")                \
  X(PayeeNewForCustomer, "payee.new_for_customer", kBool,                                        \
    "no completed transfer from this customer to the payee before")                              \
  X(PayeeAgeDays, "payee.age_days", kInt, "the payee's age in days")                             \
  X(PayeeIdleDays, "payee.idle_days", kInt,                                                      \
    "days since the payee's own last completed money event (or registration)")                   \
  X(PayeeNewSenders24h, "payee.new_senders_24h", kInt,                                           \
    "transfers from first-time senders to the payee, 24 hours")

enum class Feature : uint32_t {
#define QB_RISK_FEATURE_ENUM(id, name, type, meaning) k##id,
  QB_RISK_FEATURES(QB_RISK_FEATURE_ENUM)
#undef QB_RISK_FEATURE_ENUM
      kCount
};
inline constexpr size_t kFeatureCount = static_cast<size_t>(Feature::kCount);

struct FeatureInfo {
  std::string_view name;
  ValueType type;
  std::string_view meaning;
};

inline constexpr FeatureInfo kFeatureInfos[kFeatureCount] = {
#define QB_RISK_FEATURE_INFO(id, name, type, meaning) {name, ValueType::type, meaning},
    QB_RISK_FEATURES(QB_RISK_FEATURE_INFO)
#undef QB_RISK_FEATURE_INFO
};

}  // namespace qb::risk
