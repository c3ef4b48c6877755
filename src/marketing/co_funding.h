// Merchant co-funding (联合营销): who put what into a campaign's budget, and who gets what
// back once it ends.
//
// The rule: what a campaign spends is shared among its funders in proportion to what each put
// in. Of T fen put in, a merchant that put in f fen is owed ⌊U × f ÷ T⌋ of the U fen that come
// back unspent; the bank (the marketing expense account) gets the rest. So a merchant's share of
// the spending is f − ⌊U × f ÷ T⌋: the rounding, under 1 fen, falls on the merchant.
//
// Money comes back first when the campaign ends (budget − spent) and again whenever a refund
// later gives a reward back to the ended campaign. What each merchant is owed is recomputed on
// the cumulative amount returned; each return pays every merchant (in id order) up to what it
// is owed and not yet paid, never more than the amount, and the bank the remainder. Each
// merchant's total therefore never passes its pro-rata share, and every fen returned goes to
// exactly one funder.
//
// Only campaigns a merchant funded are kept; bank funding of any other campaign needs no split.
#pragma once

#include <absl/functional/function_ref.h>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace qb::marketing {

struct CoFunder {
  uint64_t merchant_id = 0;
  int64_t funded_fen = 0;    // everything this merchant put in
  int64_t returned_fen = 0;  // everything it got back since the campaign ended
  bool operator==(const CoFunder&) const = default;
};

struct CoFunding {
  int64_t total_fen = 0;            // T: everything put in, by the bank and the merchants
  int64_t returned_fen = 0;         // everything given back, to anyone, since the campaign ended
  std::vector<CoFunder> merchants;  // ascending merchant id

  int64_t merchants_funded_fen() const;
  bool operator==(const CoFunding&) const = default;
};

// ⌊unspent × funded ÷ total⌋: what a funder of `funded_fen` is owed when `unspent_fen` of
// `total_fen` comes back. 0 when total is 0. Requires 0 <= unspent, funded <= total.
int64_t OwedBack(int64_t funded_fen, int64_t unspent_fen, int64_t total_fen);

// One funder's part of a return; merchant_id 0 is the bank.
struct ReturnShare {
  uint64_t merchant_id = 0;
  int64_t amount_fen = 0;
  bool operator==(const ReturnShare&) const = default;
};

class CoFundingBook {
 public:
  bool empty() const { return campaigns_.empty(); }

  // `amount_fen` (>= 1) put into a campaign whose budget was `total_before_fen` until now, by
  // `merchant_id` (0: the bank). The first merchant's funding starts the campaign's record
  // (with everything before it as the bank's); bank funding of a campaign without one is not
  // kept.
  void Fund(uint64_t campaign_id, uint64_t merchant_id, int64_t amount_fen,
            int64_t total_before_fen);

  // Splits `amount_fen` (>= 1) coming back from an ended campaign and records it: the merchants'
  // non-zero parts in id order, then the bank's (merchant_id 0) if non-zero. For a campaign no
  // merchant funded, all of it is the bank's. A merchant `can_take` refuses (its account is
  // closed) gets nothing now and stays owed: its part goes to the bank this time.
  std::vector<ReturnShare> Return(uint64_t campaign_id, int64_t amount_fen,
                                  absl::FunctionRef<bool(uint64_t merchant_id)> can_take);

  const CoFunding* Find(uint64_t campaign_id) const;
  const std::map<uint64_t, CoFunding>& campaigns() const { return campaigns_; }

  // count:u64 (campaign:u64 total:i64 returned:i64 merchants:u64
  //            (merchant:u64 funded:i64 returned:i64)*)*        ascending ids
  void Serialize(std::string* out) const;
  bool Deserialize(std::string_view bytes);

 private:
  std::map<uint64_t, CoFunding> campaigns_;
};

}  // namespace qb::marketing
