// Customer segments a campaign may target (Eligibility::segment_mask): what the engine knows
// about a customer when it prices a payment, as stable bits. A campaign with a non-zero mask
// applies to customers in at least one of its segments.
//
// Not yet segments: age bands (the resident ID's birth date is sealed; nothing unsealed holds
// it) and "inactive N days" (no last-activity date is kept).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace qb::marketing {

// Bit numbers: stable (journaled in campaign configurations). Append, never renumber.
enum class Segment : uint8_t {
  kNewCustomer = 0,  // registered within the last kNewCustomerDays
  kVerified = 1,     // real-name verified
  kTierI = 2,
  kTierII = 3,
  kTierIII = 4,
  kTierIV = 5,
  // Acquisition channel given at sign-up. Outreach: onboarded by the field team.
  kChannelSocial = 8,
  kChannelSearchAd = 9,
  kChannelEmail = 10,
  kChannelOfflineEvent = 11,
  kChannelCampus = 12,
  kChannelOutreach = 13,
  kChannelOrganic = 14,
};
inline constexpr int64_t kNewCustomerDays = 30;

inline constexpr uint64_t SegmentBit(Segment segment) {
  return uint64_t{1} << static_cast<uint8_t>(segment);
}

// Every segment, in bit order.
std::span<const Segment> AllSegments();
// "new_customer", "verified", "tier_i" .. "tier_iv", "channel_<name>" (the sign-up channels).
std::string_view SegmentName(Segment segment);
std::optional<Segment> ParseSegment(std::string_view name);
// Whether every bit of `mask` is a known segment.
bool IsKnownSegmentMask(uint64_t mask);

// What the engine knows about the customer, in plain values.
struct CustomerFacts {
  int64_t registered_s = 0;
  uint8_t tier = 0;  // 1..4 for tier I..IV (identity::WalletTier)
  bool verified = false;
  std::string_view channel;  // the sign-up channel, "" when none
};

// The customer's segment bits at `now_s`.
uint64_t SegmentBitsOf(const CustomerFacts& customer, int64_t now_s);

}  // namespace qb::marketing
