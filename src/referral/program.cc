#include "referral/program.h"

namespace qb::referral {
namespace {

constexpr int64_t kChinaOffsetSeconds = 8 * 3'600;
constexpr int64_t kSecondsPerDay = 86'400;

Error Bad(std::string field) { return Error{"REFERRAL_INVALID_PROGRAM", std::move(field)}; }

Error ValidateReward(const Reward& reward, const std::string& name) {
  switch (reward.kind) {
    case RewardKind::kNone:
      return reward.amount == 0 ? Error{} : Bad(name + ".amount");
    case RewardKind::kCash:
      return reward.amount >= 1 && reward.amount <= kMaxCashRewardFen ? Error{}
                                                                      : Bad(name + ".amount");
    case RewardKind::kPoints:
      return reward.amount >= 1 && reward.amount <= kMaxPointsReward ? Error{}
                                                                     : Bad(name + ".amount");
  }
  return Bad(name + ".kind");
}

void EncodeReward(const Reward& reward, ByteWriter* writer) {
  writer->U8(static_cast<uint8_t>(reward.kind));
  writer->I64(reward.amount);
}

void DecodeReward(ByteReader* reader, Reward* reward) {
  reward->kind = static_cast<RewardKind>(reader->U8());
  reward->amount = reader->I64();
}

}  // namespace

Error Validate(const Program& program) {
  if (program.qualify_days < 1 || program.qualify_days > kMaxQualifyDays) {
    return Bad("qualify_days");
  }
  if (program.min_payment_fen < 1 || program.min_payment_fen > kMaxPaymentFen) {
    return Bad("min_payment_fen");
  }
  if (Error e = ValidateReward(program.inviter, "inviter"); !e.ok()) return e;
  if (Error e = ValidateReward(program.invitee, "invitee"); !e.ok()) return e;
  if (program.inviter_monthly_cap < 1 || program.inviter_monthly_cap > kMaxMonthlyCap) {
    return Bad("inviter_monthly_cap");
  }
  if (program.budget_fen < 0 || program.budget_fen > kMaxBudgetFen) return Bad("budget_fen");
  return Error{};
}

std::string_view RewardKindName(RewardKind kind) {
  switch (kind) {
    case RewardKind::kCash:
      return "cash";
    case RewardKind::kPoints:
      return "points";
    default:
      return "none";
  }
}

int64_t ChinaMonth(int64_t unix_s) {
  // Howard Hinnant's civil_from_days, for days >= 0 (1970-01-01 onwards).
  const int64_t days = (unix_s + kChinaOffsetSeconds) / kSecondsPerDay + 719'468;
  const int64_t era = days / 146'097;
  const int64_t day_of_era = days - era * 146'097;
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1'460 + day_of_era / 36'524 - day_of_era / 146'096) / 365;
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t shifted_month = (5 * day_of_year + 2) / 153;  // 0 = March
  const int64_t month = shifted_month < 10 ? shifted_month + 3 : shifted_month - 9;
  const int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
  return year * 12 + (month - 1);
}

void EncodeProgram(const Program& program, ByteWriter* writer) {
  writer->U8(program.enabled ? 1 : 0);
  writer->U32(static_cast<uint32_t>(program.qualify_days));
  writer->I64(program.min_payment_fen);
  EncodeReward(program.inviter, writer);
  EncodeReward(program.invitee, writer);
  writer->U32(static_cast<uint32_t>(program.inviter_monthly_cap));
  writer->I64(program.budget_fen);
  writer->U8(program.invitee_verified ? 1 : 0);
}

bool DecodeProgram(ByteReader* reader, Program* program) {
  const uint8_t enabled = reader->U8();
  program->enabled = enabled == 1;
  program->qualify_days = static_cast<int32_t>(reader->U32());
  program->min_payment_fen = reader->I64();
  DecodeReward(reader, &program->inviter);
  DecodeReward(reader, &program->invitee);
  program->inviter_monthly_cap = static_cast<int32_t>(reader->U32());
  program->budget_fen = reader->I64();
  const uint8_t verified = reader->U8();
  program->invitee_verified = verified == 1;
  return reader->ok() && enabled <= 1 && verified <= 1;
}

}  // namespace qb::referral
