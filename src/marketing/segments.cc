#include "marketing/segments.h"

#include <array>
#include <utility>

namespace qb::marketing {
namespace {

constexpr int64_t kSecondsPerDay = 86'400;

constexpr std::array<std::pair<Segment, std::string_view>, 13> kNames = {{
    {Segment::kNewCustomer, "new_customer"},
    {Segment::kVerified, "verified"},
    {Segment::kTierI, "tier_i"},
    {Segment::kTierII, "tier_ii"},
    {Segment::kTierIII, "tier_iii"},
    {Segment::kTierIV, "tier_iv"},
    {Segment::kChannelSocial, "channel_social"},
    {Segment::kChannelSearchAd, "channel_search_ad"},
    {Segment::kChannelEmail, "channel_email"},
    {Segment::kChannelOfflineEvent, "channel_offline_event"},
    {Segment::kChannelCampus, "channel_campus"},
    {Segment::kChannelOutreach, "channel_outreach"},
    {Segment::kChannelOrganic, "channel_organic"},
}};

constexpr std::array<Segment, kNames.size()> MakeAll() {
  std::array<Segment, kNames.size()> all{};
  for (size_t i = 0; i < kNames.size(); i++) all[i] = kNames[i].first;
  return all;
}
constexpr std::array<Segment, kNames.size()> kAll = MakeAll();

constexpr std::string_view kChannelPrefix = "channel_";

}  // namespace

std::span<const Segment> AllSegments() { return kAll; }

std::string_view SegmentName(Segment segment) {
  for (const auto& [s, name] : kNames) {
    if (s == segment) return name;
  }
  return "";
}

std::optional<Segment> ParseSegment(std::string_view name) {
  for (const auto& [segment, text] : kNames) {
    if (text == name) return segment;
  }
  return std::nullopt;
}

bool IsKnownSegmentMask(uint64_t mask) {
  uint64_t known = 0;
  for (Segment segment : kAll) known |= SegmentBit(segment);
  return (mask & ~known) == 0;
}

uint64_t SegmentBitsOf(const CustomerFacts& customer, int64_t now_s) {
  uint64_t bits = 0;
  if (now_s - customer.registered_s < kNewCustomerDays * kSecondsPerDay) {
    bits |= SegmentBit(Segment::kNewCustomer);
  }
  if (customer.verified) bits |= SegmentBit(Segment::kVerified);
  if (customer.tier >= 1 && customer.tier <= 4) {
    bits |=
        SegmentBit(static_cast<Segment>(static_cast<uint8_t>(Segment::kTierI) + customer.tier - 1));
  }
  if (!customer.channel.empty()) {
    for (const auto& [segment, name] : kNames) {
      if (name.starts_with(kChannelPrefix) &&
          name.substr(kChannelPrefix.size()) == customer.channel) {
        bits |= SegmentBit(segment);
      }
    }
  }
  return bits;
}

}  // namespace qb::marketing
