// Redeem codes (兑换码): coupons ops hand out as codes (printed, sent by SMS, given to a
// partner) rather than to known customers. A batch of up to kMaxCodesPerBatch codes is one
// small record: its codes are never stored. Each code is its batch id and index in the batch,
// and a 36-bit MAC over both under a server key: 80 bits, put through a fixed permutation so
// that neighbouring codes look unrelated, written as 16 Crockford base32 digits in groups of
// four (7K3M-Q9TD-X2BE-HN4R). The API computes the MAC (with the vault's look-up
// key, so the journal holds no key and no code), both to list a batch's codes and to check a
// code typed in; the engine keeps one bit per code for "redeemed".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"

namespace qb::marketing {

inline constexpr uint32_t kMaxCodesPerBatch = 1'000'000;
inline constexpr uint64_t kMaxCodeBatchId = (uint64_t{1} << 20) - 1;
inline constexpr uint32_t kCouponCodeIndexBits = 24;
inline constexpr uint64_t kCouponCodeMacBits = 36;
inline constexpr uint64_t kCouponCodeMacMask = (uint64_t{1} << kCouponCodeMacBits) - 1;
inline constexpr size_t kCouponCodeDigits = 16;

struct CouponCode {
  uint64_t batch_id = 0;  // 1..kMaxCodeBatchId
  uint32_t index = 0;     // 0..2^24-1
  uint64_t mac = 0;       // the low kCouponCodeMacBits bits
  bool operator==(const CouponCode&) const = default;
};

// "7K3M-Q9TD-X2BE-HN4R". Requires a batch id in range.
std::string FormatCouponCode(const CouponCode& code);
// Reads a code as a person may type it: case, spaces and hyphens ignored, I and L read as 1 and
// O as 0. nullopt when it is not 16 base32 digits or names batch 0. The MAC is the caller's to
// check.
std::optional<CouponCode> ParseCouponCode(std::string_view text);

struct CodeBatch {
  uint64_t id = 0;
  uint64_t template_id = 0;
  uint64_t staff_id = 0;
  uint32_t count = 0;
  int64_t created_s = 0;
  uint32_t redeemed = 0;
  std::vector<uint64_t> used;  // one bit per code

  bool IsUsed(uint32_t index) const { return (used[index / 64] >> (index % 64)) & 1; }
  bool operator==(const CodeBatch&) const = default;
};

class CouponCodeBook {
 public:
  bool empty() const { return batches_.empty(); }
  // A new batch of `count` (1..kMaxCodesPerBatch) codes; its id, or 0 when the ids are used up.
  uint64_t Create(uint64_t template_id, uint64_t staff_id, uint32_t count, int64_t now_s);
  const CodeBatch* Find(uint64_t batch_id) const;
  // "" when code `index` of the batch may be redeemed; else COUPON_CODE_INVALID (no such batch
  // or index) or COUPON_CODE_USED.
  std::string_view CanRedeem(uint64_t batch_id, uint32_t index) const;
  void MarkRedeemed(uint64_t batch_id, uint32_t index);
  // The template's batches, newest first.
  std::vector<const CodeBatch*> OfTemplate(uint64_t template_id) const;

  // count:u64 (id:u64 template:u64 staff:u64 count:u32 created:i64 words:u64...) in id order.
  void Serialize(std::string* out) const;
  bool Deserialize(std::string_view bytes);

 private:
  std::vector<CodeBatch> batches_;  // batch id = index + 1
};

}  // namespace qb::marketing
