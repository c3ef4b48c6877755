#include "referral/referral_book.h"

#include <algorithm>

#include "base/assert.h"

namespace qb::referral {
namespace {

constexpr int64_t kSecondsPerDay = 86'400;

void EncodeReward(const Reward& reward, ByteWriter* writer) {
  writer->U8(static_cast<uint8_t>(reward.kind));
  writer->I64(reward.amount);
}

bool DecodeReward(ByteReader* reader, Reward* reward) {
  const uint8_t kind = reader->U8();
  reward->kind = static_cast<RewardKind>(kind);
  reward->amount = reader->I64();
  return kind <= static_cast<uint8_t>(RewardKind::kPoints) && reward->amount >= 0;
}

}  // namespace

std::string_view StatusName(const Referral& referral, int64_t now_s) {
  switch (referral.status) {
    case Status::kPending:
      return now_s >= referral.deadline_s ? "expired" : "pending";
    case Status::kRewarded:
      return "rewarded";
    case Status::kRefused:
      return "refused";
    case Status::kClawedBack:
      return "clawed_back";
  }
  return "pending";
}

std::string_view ReasonName(Reason reason) {
  switch (reason) {
    case Reason::kSameDevice:
      return "same_device";
    case Reason::kSameIdentity:
      return "same_identity";
    case Reason::kRisk:
      return "risk";
    case Reason::kInviterClosed:
      return "inviter_closed";
    case Reason::kBudget:
      return "budget";
    default:
      return "";
  }
}

Error ReferralBook::SetProgram(const Program& program, int64_t now_s) {
  if (Error e = Validate(program); !e.ok()) return e;
  if (program.budget_fen < spent_fen_) return Error{"REFERRAL_INVALID_PROGRAM", "budget_fen"};
  program_ = program;
  ++version_;
  updated_s_ = now_s;
  return Error{};
}

void ReferralBook::Add(uint64_t invitee_id, uint64_t inviter_id, int64_t now_s, Reason refused) {
  QB_ASSERT(invitee_id != 0 && inviter_id != 0 && invitee_id != inviter_id);
  QB_ASSERT(!by_invitee_.contains(invitee_id));
  Referral referral;
  referral.invitee_id = invitee_id;
  referral.inviter_id = inviter_id;
  referral.registered_s = now_s;
  referral.deadline_s = now_s + int64_t{program_.qualify_days} * kSecondsPerDay;
  if (refused != Reason::kNone) {
    referral.status = Status::kRefused;
    referral.reason = refused;
  }
  const auto index = static_cast<uint32_t>(referrals_.size());
  referrals_.push_back(referral);
  by_invitee_[invitee_id] = index;
  by_inviter_[inviter_id].push_back(index);
}

const Referral* ReferralBook::Find(uint64_t invitee_id) const {
  const auto it = by_invitee_.find(invitee_id);
  return it == by_invitee_.end() ? nullptr : &referrals_[it->second];
}

Referral* ReferralBook::Mutable(uint64_t invitee_id) {
  const auto it = by_invitee_.find(invitee_id);
  return it == by_invitee_.end() ? nullptr : &referrals_[it->second];
}

const Referral* ReferralBook::FindByPayment(uint64_t payment_id) const {
  const auto it = by_payment_.find(payment_id);
  return it == by_payment_.end() ? nullptr : &referrals_[it->second];
}

bool ReferralBook::Pending(uint64_t invitee_id, int64_t now_s) const {
  const Referral* referral = Find(invitee_id);
  return referral != nullptr && referral->status == Status::kPending &&
         now_s < referral->deadline_s;
}

std::vector<const Referral*> ReferralBook::InvitedBy(uint64_t inviter_id) const {
  std::vector<const Referral*> out;
  const auto it = by_inviter_.find(inviter_id);
  if (it == by_inviter_.end()) return out;
  out.reserve(it->second.size());
  for (uint32_t index : it->second) out.push_back(&referrals_[index]);
  return out;
}

int32_t ReferralBook::RewardedInMonth(uint64_t inviter_id, int64_t month) const {
  const auto it = month_counts_.find(inviter_id);
  return it == month_counts_.end() || it->second.month != month ? 0 : it->second.count;
}

bool ReferralBook::Qualifies(uint64_t invitee_id, int64_t amount_fen, int64_t now_s) const {
  return program_.enabled && amount_fen >= program_.min_payment_fen && Pending(invitee_id, now_s);
}

Grant ReferralBook::Evaluate(uint64_t invitee_id, int64_t now_s, bool inviter_open) const {
  const Referral* referral = Find(invitee_id);
  QB_ASSERT(referral != nullptr);
  Grant grant;
  grant.invitee = program_.invitee;
  if (!inviter_open) {
    grant.reason = Reason::kInviterClosed;
  } else if (RewardedInMonth(referral->inviter_id, ChinaMonth(now_s)) >=
             program_.inviter_monthly_cap) {
    grant.inviter_capped = true;
  } else {
    grant.inviter = program_.inviter;
  }
  // Both rewards' cash within what is left of the budget, or neither.
  const int64_t cash = grant.inviter.cash_fen() + grant.invitee.cash_fen();
  if (cash > program_.budget_fen - spent_fen_) {
    grant = Grant{};
    grant.reason = Reason::kBudget;
  }
  return grant;
}

void ReferralBook::CountReward(const Referral& referral) {
  if (referral.inviter_capped || referral.reason == Reason::kInviterClosed) return;
  MonthCount& count = month_counts_[referral.inviter_id];
  const int64_t month = ChinaMonth(referral.qualified_s);
  if (month < count.month) return;  // Deserialize meets referrals in registration order.
  if (month > count.month) count = MonthCount{month, 0};
  ++count.count;
}

void ReferralBook::Reward(uint64_t invitee_id, uint64_t payment_id, int64_t now_s,
                          const Grant& grant) {
  QB_ASSERT(grant.reason != Reason::kBudget);
  Referral* referral = Mutable(invitee_id);
  QB_ASSERT(referral != nullptr && referral->status == Status::kPending);
  referral->status = Status::kRewarded;
  referral->reason = grant.reason;
  referral->inviter_capped = grant.inviter_capped;
  referral->payment_id = payment_id;
  referral->qualified_s = now_s;
  referral->inviter_reward = grant.inviter;
  referral->invitee_reward = grant.invitee;
  // Evaluate kept the cash within budget_fen − spent_fen: no overflow.
  spent_fen_ += grant.inviter.cash_fen() + grant.invitee.cash_fen();
  QB_ASSERT(spent_fen_ <= program_.budget_fen);
  by_payment_[payment_id] = by_invitee_.at(invitee_id);
  CountReward(*referral);
}

void ReferralBook::Refuse(uint64_t invitee_id, uint64_t payment_id, int64_t now_s, Reason reason) {
  Referral* referral = Mutable(invitee_id);
  QB_ASSERT(referral != nullptr && referral->status == Status::kPending);
  referral->status = Status::kRefused;
  referral->reason = reason;
  referral->payment_id = payment_id;
  referral->qualified_s = now_s;
  if (payment_id != 0) by_payment_[payment_id] = by_invitee_.at(invitee_id);
}

void ReferralBook::ClawBack(uint64_t invitee_id, int64_t cash_fen, int64_t points) {
  Referral* referral = Mutable(invitee_id);
  QB_ASSERT(referral != nullptr && referral->status == Status::kRewarded);
  QB_ASSERT(cash_fen >= 0 && points >= 0);
  QB_ASSERT(cash_fen <= referral->inviter_reward.cash_fen() + referral->invitee_reward.cash_fen());
  referral->status = Status::kClawedBack;
  referral->clawed_back_fen = cash_fen;
  referral->clawed_back_points = points;
  spent_fen_ -= cash_fen;
}

Figures ReferralBook::FiguresAt(int64_t now_s) const {
  Figures f;
  for (const Referral& r : referrals_) {
    ++f.invited;
    const std::string_view status = StatusName(r, now_s);
    if (status == "pending") ++f.pending;
    if (status == "expired") ++f.expired;
    if (status == "refused") ++f.refused;
    if (status == "rewarded") ++f.rewarded;
    if (status == "clawed_back") ++f.clawed_back;
    f.inviter_cash_fen += r.inviter_reward.cash_fen();
    f.invitee_cash_fen += r.invitee_reward.cash_fen();
    f.inviter_points += r.inviter_reward.points();
    f.invitee_points += r.invitee_reward.points();
  }
  // Clawed back cash is not split by side: it comes off the inviter's first, as recovered.
  int64_t clawed = 0;
  for (const Referral& r : referrals_) clawed += r.clawed_back_fen;
  const int64_t from_inviter = std::min(clawed, f.inviter_cash_fen);
  f.inviter_cash_fen -= from_inviter;
  f.invitee_cash_fen -= clawed - from_inviter;
  return f;
}

void ReferralBook::Serialize(std::string* out) const {
  ByteWriter writer(out);
  writer.U64(version_);
  writer.I64(updated_s_);
  EncodeProgram(program_, &writer);
  writer.I64(spent_fen_);
  writer.U64(referrals_.size());
  for (const Referral& r : referrals_) {
    writer.U64(r.invitee_id);
    writer.U64(r.inviter_id);
    writer.I64(r.registered_s);
    writer.I64(r.deadline_s);
    writer.U8(static_cast<uint8_t>(r.status));
    writer.U8(static_cast<uint8_t>(r.reason));
    writer.U8(r.inviter_capped ? 1 : 0);
    writer.U64(r.payment_id);
    writer.I64(r.qualified_s);
    EncodeReward(r.inviter_reward, &writer);
    EncodeReward(r.invitee_reward, &writer);
    writer.I64(r.clawed_back_fen);
    writer.I64(r.clawed_back_points);
  }
}

bool ReferralBook::Deserialize(std::string_view bytes) {
  *this = ReferralBook();
  ByteReader reader(bytes);
  version_ = reader.U64();
  updated_s_ = reader.I64();
  if (!DecodeProgram(&reader, &program_) || !Validate(program_).ok()) return false;
  spent_fen_ = reader.I64();
  const uint64_t count = reader.U64();
  if (!reader.ok() || spent_fen_ < 0 || count > reader.remaining() / 60) return false;
  referrals_.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    Referral r;
    r.invitee_id = reader.U64();
    r.inviter_id = reader.U64();
    r.registered_s = reader.I64();
    r.deadline_s = reader.I64();
    const uint8_t status = reader.U8();
    const uint8_t reason = reader.U8();
    const uint8_t capped = reader.U8();
    r.status = static_cast<Status>(status);
    r.reason = static_cast<Reason>(reason);
    r.inviter_capped = capped == 1;
    r.payment_id = reader.U64();
    r.qualified_s = reader.I64();
    if (!DecodeReward(&reader, &r.inviter_reward) || !DecodeReward(&reader, &r.invitee_reward)) {
      return false;
    }
    r.clawed_back_fen = reader.I64();
    r.clawed_back_points = reader.I64();
    if (!reader.ok() || status > static_cast<uint8_t>(Status::kClawedBack) ||
        reason > static_cast<uint8_t>(Reason::kBudget) || capped > 1 || r.invitee_id == 0 ||
        r.inviter_id == 0 || r.invitee_id == r.inviter_id || by_invitee_.contains(r.invitee_id) ||
        (r.payment_id != 0 && by_payment_.contains(r.payment_id))) {
      return false;
    }
    const auto index = static_cast<uint32_t>(referrals_.size());
    referrals_.push_back(r);
    by_invitee_[r.invitee_id] = index;
    by_inviter_[r.inviter_id].push_back(index);
    if (r.payment_id != 0) by_payment_[r.payment_id] = index;
    if (r.status == Status::kRewarded || r.status == Status::kClawedBack) CountReward(r);
  }
  return reader.ok() && reader.remaining() == 0;
}

}  // namespace qb::referral
