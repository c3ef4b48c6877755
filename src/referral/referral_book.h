// The engine's referral state: the programme in force, every referral (who invited whom, when
// the invitee must qualify by, what each side got) and the cash the programme has paid. Money
// and points themselves are ledger transfers the engine makes; the book decides and remembers.
//
// A referral is made when a customer registers with an invite code. The engine may refuse it
// at once (the invitee signed up on the inviter's own phone) or when the invitee's payment
// qualifies (the same person by real-name identity, the same device, the risk rules); else
// that payment rewards both sides (Evaluate, then Reward). Refunding the qualifying payment
// below the minimum claws the rewards back, as far as the balances allow (ClawBack).
//
// Statuses: pending → rewarded → clawed back; pending → refused. A pending referral past its
// deadline reads as expired (StatusName) and can no longer qualify; nothing is stored for it.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "referral/program.h"

namespace qb::referral {

// Stable numeric values: serialized.
enum class Status : uint8_t { kPending = 0, kRewarded = 1, kRefused = 2, kClawedBack = 3 };

enum class Reason : uint8_t {
  kNone = 0,
  kSameDevice = 1,     // the invitee registered or paid on a device the inviter used
  kSameIdentity = 2,   // both accounts are verified with the same resident ID
  kRisk = 3,           // the risk rules denied the reward (or the registration's verdict)
  kInviterClosed = 4,  // rewarded: only the invitee, the inviter had closed the wallet
  kBudget = 5,         // the cash budget could not pay both rewards
};

struct Referral {
  uint64_t invitee_id = 0;
  uint64_t inviter_id = 0;
  int64_t registered_s = 0;
  int64_t deadline_s = 0;  // the qualifying payment must complete before this
  Status status = Status::kPending;
  Reason reason = Reason::kNone;
  bool inviter_capped = false;  // rewarded, but the inviter's monthly cap was reached
  uint64_t payment_id = 0;      // the payment that qualified (or was refused)
  int64_t qualified_s = 0;
  Reward inviter_reward;  // what was given
  Reward invitee_reward;
  int64_t clawed_back_fen = 0;  // cash recovered from both wallets by a refund
  int64_t clawed_back_points = 0;

  bool operator==(const Referral&) const = default;
};

// "pending", "rewarded", "refused", "expired" (pending past the deadline), "clawed_back".
std::string_view StatusName(const Referral& referral, int64_t now_s);
std::string_view ReasonName(Reason reason);

// What a qualifying payment gives.
struct Grant {
  Reward inviter;
  Reward invitee;
  bool inviter_capped = false;
  Reason reason = Reason::kNone;  // kInviterClosed, or kBudget (then nothing is given)
};

struct Figures {
  int64_t invited = 0, pending = 0, rewarded = 0, refused = 0, expired = 0, clawed_back = 0;
  int64_t inviter_cash_fen = 0, invitee_cash_fen = 0;  // net of cash clawed back
  int64_t inviter_points = 0, invitee_points = 0;
};

class ReferralBook {
 public:
  // Whether anything was ever recorded (a programme set or a referral made): before that the
  // book adds nothing to the engine's state, so older states keep their bytes and hashes.
  bool on() const { return version_ != 0 || !referrals_.empty(); }
  uint64_t version() const { return version_; }
  int64_t updated_s() const { return updated_s_; }
  const Program& program() const { return program_; }
  // Cash paid out and not clawed back; the budget account holds budget_fen − spent_fen.
  int64_t spent_fen() const { return spent_fen_; }

  // Replaces the programme. A budget below what was spent is refused ("budget_fen").
  Error SetProgram(const Program& program, int64_t now_s);

  // A new referral of `invitee_id` (who has none) by `inviter_id`, its deadline the current
  // programme's qualify_days from now; refused at once when `refused` is not kNone.
  void Add(uint64_t invitee_id, uint64_t inviter_id, int64_t now_s, Reason refused);

  const Referral* Find(uint64_t invitee_id) const;
  const Referral* FindByPayment(uint64_t payment_id) const;
  // A pending referral of this invitee that a payment could still qualify now.
  bool Pending(uint64_t invitee_id, int64_t now_s) const;
  // The inviter's referrals, oldest first.
  std::vector<const Referral*> InvitedBy(uint64_t inviter_id) const;
  const std::vector<Referral>& referrals() const { return referrals_; }
  // Invitees the inviter was rewarded for in this China month (ChinaMonth).
  int32_t RewardedInMonth(uint64_t inviter_id, int64_t month) const;

  // Whether a completed payment of `amount_fen` by the invitee qualifies now (pending, before
  // the deadline, at least the minimum, programme on), and if so what it gives. `inviter_open`:
  // the inviter has not closed the wallet.
  bool Qualifies(uint64_t invitee_id, int64_t amount_fen, int64_t now_s) const;
  Grant Evaluate(uint64_t invitee_id, int64_t now_s, bool inviter_open) const;

  // The engine moved the grant's cash and points (a grant with kBudget is a refusal).
  void Reward(uint64_t invitee_id, uint64_t payment_id, int64_t now_s, const Grant& grant);
  void Refuse(uint64_t invitee_id, uint64_t payment_id, int64_t now_s, Reason reason);
  // A refund took the qualifying payment below the minimum: the engine recovered this much.
  void ClawBack(uint64_t invitee_id, int64_t cash_fen, int64_t points);

  Figures FiguresAt(int64_t now_s) const;

  // version:u64 updated_s:i64 program spent:i64 count:u64, then per referral in the order
  // made: invitee:u64 inviter:u64 registered:i64 deadline:i64 status:u8 reason:u8 capped:u8
  // payment:u64 qualified:i64 (kind:u8 amount:i64){2} clawed_fen:i64 clawed_points:i64.
  void Serialize(std::string* out) const;
  bool Deserialize(std::string_view bytes);

 private:
  struct MonthCount {
    int64_t month = 0;
    int32_t count = 0;
  };
  Referral* Mutable(uint64_t invitee_id);
  void CountReward(const Referral& referral);

  uint64_t version_ = 0;
  int64_t updated_s_ = 0;
  Program program_;
  int64_t spent_fen_ = 0;
  std::vector<Referral> referrals_;
  absl::flat_hash_map<uint64_t, uint32_t> by_invitee_;
  absl::flat_hash_map<uint64_t, std::vector<uint32_t>> by_inviter_;
  absl::flat_hash_map<uint64_t, uint32_t> by_payment_;
  absl::flat_hash_map<uint64_t, MonthCount> month_counts_;  // by inviter: the latest month
};

}  // namespace qb::referral
