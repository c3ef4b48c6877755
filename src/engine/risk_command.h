// Commands 62 to 64: the risk engine's configuration and the review of held payments
// (risk/risk_engine.h holds the rules; engine/state_machine_risk.cc runs them in the engine).
//
//   body (type 62) := staff_id:u64 shadow:u8 rule_set                         (SetRiskRules)
//   body (type 63) := staff_id:u64 kind:u8 entity_id:u64 list:u8 expires_at_s:i64 reason:str
//                     remove:u8                                          (SetRiskListEntry)
//   body (type 64) := staff_id:u64 payment_id:u64 approve:u8 label:u8 block_device:u8
//                                                                           (ReviewPayment)
//   rule_set := count:u32 rule{count} threshold{3} (challenge_at, review_at, deny_at)
//   rule     := id:u32 name:str expression:str score:i32 action:u8 shadow:u8
//               active_from_s:i64 active_until_s:i64
//   threshold := present:u8 [value:i64, only when present]
//
// Each answers one RiskResult. The rule set's version is the engine's (the spec's is ignored):
// the previous version plus one, in Reply::value.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "risk/lists.h"
#include "risk/rule_set.h"

namespace qb::engine {

// Installs the active rule set (or, with `shadow`, the candidate evaluated beside it and never
// enforced; a shadow set without rules removes the shadow). A spec that does not compile is
// refused with the compiler's message in Reply::text and nothing changes. staff_id 0 is the
// system (qianbaod installing the default rules at first start).
struct SetRiskRules {
  uint64_t staff_id = 0;
  bool shadow = false;
  risk::RuleSetSpec spec;
};

// Puts an entity on the block or allow list (or takes it off, `remove`). Devices and IPs are
// named by the u64 the engine derives from their keyed hash (RiskDeviceId); cards by the bound
// card's id.
struct SetRiskListEntry {
  uint64_t staff_id = 0;
  risk::EntityKind kind = risk::EntityKind::kDevice;
  uint64_t entity_id = 0;
  risk::ListType list = risk::ListType::kBlock;
  int64_t expires_at_s = 0;  // 0: never.
  std::string reason;
  bool remove = false;
};

// What a reviewer concluded, kept for backtests. Stable values.
enum class ReviewLabel : uint8_t { kUnknown = 0, kLegit = 1, kFraud = 2 };
inline constexpr uint8_t kMaxReviewLabel = 2;
std::string_view ReviewLabelName(ReviewLabel label);

// A risk analyst decides a payment held for review: approve posts it (as a confirmed payment),
// reject voids it; `block_device` also puts the paying device on the block list.
struct ReviewPayment {
  uint64_t staff_id = 0;
  uint64_t payment_id = 0;
  bool approve = false;
  ReviewLabel label = ReviewLabel::kUnknown;
  bool block_device = false;
};

// The outcome of a risk command, ordered by precedence. Stable values: append, never renumber.
enum class RiskResult : uint8_t {
  kOk = 0,
  kInvalid = 1,  // A field the API should have rejected.
  kStaffNotFound = 2,
  kRulesInvalid = 3,    // The rule set does not compile: the message is in Reply::text.
  kListRefused = 4,     // RiskLists::Add refused (full, bad expiry): the message in Reply::text.
  kNotListed = 5,       // Removing an entry that is not on the list.
  kReviewNotFound = 6,  // No payment held for review under that id.
  kReviewClosed = 7,    // Already approved, rejected or expired.
  kPaymentFailed = 8,   // Posting the approved payment failed: the PaymentResult in Reply::value.
};

std::string_view RiskResultName(RiskResult result);

// Bounds of the command layer (the rule compiler checks the rest).
inline constexpr size_t kMaxRiskExpressionBytes = 4096;

// The risk engine's u64 for a device, and likewise for an IP address: the first 8 bytes of its
// keyed hash (64 hex digits, as CardVault::LookupHash makes them), 0 for none or a hash of
// another shape.
uint64_t RiskDeviceId(std::string_view device_hash);

void EncodeRuleSetSpec(const risk::RuleSetSpec& spec, ByteWriter* writer);
// False on a malformed rule set (the compiler judges its content later).
bool DecodeRuleSetSpec(ByteReader* reader, risk::RuleSetSpec* spec);

}  // namespace qb::engine
