// The engine's points state: the programme in force, what each payment earned and redeemed
// (so a refund can reverse its share), and the points a payment held for confirmation will
// redeem once confirmed. Balances themselves are ledger accounts, not kept here.
//
// Refunds use the remaining-amount method, like the campaign book: after refunds totalling
// `refunded` of the `paid_fen` the customer paid in cash, each quantity q (points earned,
// points redeemed, the redemption's worth in fen) keeps floor(q × (paid − refunded) / paid),
// and the refund reverses what is above that. So partial refunds never reverse more than a
// full one, and the last refund reverses the rest exactly.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "base/huge_page_allocator.h"
#include "points/program.h"

namespace qb::points {

// What one completed payment did with points. Kept as long as the payment, like its marketing.
struct PaymentPoints {
  uint64_t customer_id = 0;
  int64_t paid_fen = 0;  // what the customer paid in cash; >= 1
  int64_t refunded_fen = 0;
  int64_t earned = 0;
  int64_t earned_reversed = 0;  // clawed back so far (a clawback finds what the balance has)
  int64_t redeemed = 0;
  int64_t redeemed_restored = 0;
  int64_t discount_fen = 0;  // the redeemed points' worth, paid to the merchant by the bank
  int64_t discount_returned_fen = 0;

  bool operator==(const PaymentPoints&) const = default;
};

// What a refund reverses (each >= 0).
struct RefundShares {
  int64_t clawback = 0;           // earned points back to the pool, before the balance limit
  int64_t restore = 0;            // redeemed points back to the customer
  int64_t discount_back_fen = 0;  // the merchant returns this much of the points' worth
};
// For a refund that brings the payment's refunds to `refunded_after_fen` (<= paid_fen).
RefundShares SharesOf(const PaymentPoints& record, int64_t refunded_after_fen);

class PointsBook {
 public:
  // Whether a programme was ever set (SetProgram): before that the book adds nothing to the
  // engine's state, so states from before points keep their bytes and hashes.
  bool on() const { return version_ != 0; }
  void Reserve(size_t payments) { payments_.reserve(payments); }
  uint64_t version() const { return version_; }
  int64_t updated_s() const { return updated_s_; }
  const Program& program() const { return program_; }
  // Replaces the programme, normalized; a bad one is refused with its field.
  Error SetProgram(Program program, int64_t now_s);

  const PaymentPoints* FindPayment(uint64_t payment_id) const;
  // A cache hint before a payment's record is looked up or added: changes nothing.
  void PrefetchPayment(uint64_t payment_id) const { payments_.prefetch(payment_id); }
  void RecordPayment(uint64_t payment_id, const PaymentPoints& record);
  // Applies a refund the engine has moved: the new refunded total and what it reversed
  // (clawed back may be less than SharesOf said, when the customer had spent the points).
  void RecordRefund(uint64_t payment_id, int64_t refunded_after_fen, int64_t clawed_back,
                    const RefundShares& shares);

  // Points a payment held for confirmation redeems once confirmed.
  int64_t PendingRedeem(uint64_t payment_id) const;
  void SetPendingRedeem(uint64_t payment_id, int64_t points);
  void DropPending(uint64_t payment_id) { pending_.erase(payment_id); }

  size_t payment_count() const { return payments_.size(); }

  // version:u64 updated_s:i64 program, then count:u64 (payment_id:u64 record){count} and
  // count:u64 (payment_id:u64 points:i64){count}, both in payment id order.
  void Serialize(std::string* out) const;
  bool Deserialize(std::string_view bytes);

 private:
  uint64_t version_ = 0;
  int64_t updated_s_ = 0;
  Program program_;
  absl::flat_hash_map<uint64_t, PaymentPoints, absl::Hash<uint64_t>, std::equal_to<uint64_t>,
                      HugePageAllocator<std::pair<const uint64_t, PaymentPoints>>>
      payments_;
  absl::flat_hash_map<uint64_t, int64_t> pending_;
};

}  // namespace qb::points
