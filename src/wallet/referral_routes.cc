// The referral API (好友推荐 / 邀请有礼): marketing ops read and replace the programme and see
// every referral with why it was refused; a customer reads their invite code and link, the
// terms, and how each friend they invited is doing. Registering with a code is the sign-up
// route's (auth_routes.cc, "invite_code").
//
//   GET /api/v1/staff/referral-program   the programme, its version, the budget spent, figures
//   PUT /api/v1/staff/referral-program   replaces it (engine::SetReferralProgram, audited)
//   GET /api/v1/staff/referrals          the newest referrals, with reasons
//   GET /api/v1/me/referral              my code, link, terms, this month, invitees
//
// A customer is never told why a referral was refused (the risk rules stay unnamed): it reads
// "refused". Staff see the reason.
#include <algorithm>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/state_machine.h"
#include "identity/phone.h"
#include "referral/invite_code.h"
#include "server/log.h"
#include "wallet/handler_util.h"
#include "wallet/json_fields.h"
#include "wallet/money_internal.h"
#include "wallet/payment_internal.h"
#include "wallet/staff_access.h"
#include "wallet/wallet_internal.h"

namespace qb::wallet {
namespace {

using api::ErrorCode;
using api::ErrorResponse;
using engine::PaymentResult;

constexpr size_t kListedReferrals = 100;
constexpr int64_t kInt32Max = 2'147'483'647;
constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();

// The API's name of a field referral::Validate names.
std::string ApiFieldName(std::string_view field) {
  static constexpr std::pair<std::string_view, std::string_view> kNames[] = {
      {"min_payment_fen", "min_payment"},          {"budget_fen", "budget"},
      {"inviter.amount", "inviter_reward.amount"}, {"invitee.amount", "invitee_reward.amount"},
      {"inviter.kind", "inviter_reward.kind"},     {"invitee.kind", "invitee_reward.kind"},
  };
  for (const auto& [book, api] : kNames) {
    if (field == book) return std::string(api);
  }
  return std::string(field);
}

constexpr std::string_view kKinds[] = {"none", "cash", "points"};

api::ApiResult<referral::Program> ParseProgram(std::string_view body) {
  api::ApiResult<boost::json::object> root = ParseRoot(body);
  if (!root.ok()) return root.error();
  std::optional<api::ApiError> error;
  Fields f(root.value(), "", &error);
  referral::Program program;
  program.enabled = f.Bool("enabled", true).value_or(false);
  program.qualify_days =
      static_cast<int32_t>(f.Int("qualify_days", true, 0, kInt32Max).value_or(0));
  program.min_payment_fen = f.Int("min_payment", true, 0, kInt64Max).value_or(0);
  for (const auto& [name, reward] : {std::pair{"inviter_reward", &program.inviter},
                                     std::pair{"invitee_reward", &program.invitee}}) {
    if (const boost::json::object* object = f.Object(name, true)) {
      Fields r(*object, std::string(name) + ".", &error);
      reward->kind = static_cast<referral::RewardKind>(r.Enum("kind", true, kKinds).value_or(0));
      reward->amount = r.Int("amount", true, 0, kInt64Max).value_or(0);
      r.Finish();
    }
  }
  program.inviter_monthly_cap =
      static_cast<int32_t>(f.Int("inviter_monthly_cap", true, 0, kInt32Max).value_or(0));
  program.budget_fen = f.Int("budget", true, 0, kInt64Max).value_or(0);
  program.invitee_verified = f.Bool("invitee_must_verify", false).value_or(true);
  f.Finish();
  if (error) return *error;
  return program;
}

api::JsonObjectWriter RewardJson(const referral::Reward& reward) {
  api::JsonObjectWriter json;
  json.String("kind", referral::RewardKindName(reward.kind)).Int("amount", reward.amount);
  return json;
}

// The terms a customer may see (no budget).
void AddTerms(const referral::Program& p, api::JsonObjectWriter* json) {
  json->Bool("enabled", p.enabled)
      .Int("qualify_days", p.qualify_days)
      .Amount("min_payment", p.min_payment_fen)
      .Object("inviter_reward", RewardJson(p.inviter))
      .Object("invitee_reward", RewardJson(p.invitee))
      .Int("inviter_monthly_cap", p.inviter_monthly_cap)
      .Bool("invitee_must_verify", p.invitee_verified);
}

std::string TimeText(int64_t unix_s) { return Rfc3339(unix_s * kNsPerSecond); }

struct ProgramView {
  referral::Program program;
  uint64_t version = 0;
  int64_t updated_s = 0;
  int64_t spent_fen = 0;
  referral::Figures figures;
};

void AnswerProgram(WalletContext& context, const Responder& respond) {
  const int64_t now_s = Services(context).clock->NowNs() / kNsPerSecond;
  ReadEngine<ProgramView>(
      context, respond,
      [now_s](const engine::StateMachine& state) {
        const referral::ReferralBook& book = state.referrals();
        return ProgramView{book.program(), book.version(), book.updated_s(), book.spent_fen(),
                           book.FiguresAt(now_s)};
      },
      [respond](ProgramView view) {
        api::JsonObjectWriter body;
        AddTerms(view.program, &body);
        body.Amount("budget", view.program.budget_fen)
            .Amount("spent", view.spent_fen)
            .Int("version", static_cast<int64_t>(view.version));
        if (view.version != 0) {
          body.String("updated_at", TimeText(view.updated_s));
        } else {
          body.Null("updated_at");
        }
        const referral::Figures& f = view.figures;
        api::JsonObjectWriter figures;
        figures.Int("invited", f.invited)
            .Int("pending", f.pending)
            .Int("rewarded", f.rewarded)
            .Int("refused", f.refused)
            .Int("expired", f.expired)
            .Int("clawed_back", f.clawed_back)
            .Amount("inviter_cash", f.inviter_cash_fen)
            .Amount("invitee_cash", f.invitee_cash_fen)
            .Int("inviter_points", f.inviter_points)
            .Int("invitee_points", f.invitee_points);
        body.Object("figures", std::move(figures));
        respond(api::JsonResponse(200, body));
      });
}

void PutProgram(WalletContext& context, const Principal& staff, HttpRequest&& request,
                Responder respond) {
  if (!IsJson(request, respond)) return;
  api::ApiResult<referral::Program> program = ParseProgram(request.body);
  if (!program.ok()) return respond(ErrorResponse(program.error()));
  SubmitCommand(
      context, engine::SetReferralProgram{staff.id, std::move(program).value()}, respond,
      [&context, respond, staff_id = staff.id](uint8_t result, const engine::Reply& reply) {
        const auto code = static_cast<PaymentResult>(result);
        if (code == PaymentResult::kInvalid && !reply.text.empty()) {
          // "REFERRAL_INVALID_PROGRAM:budget_fen"
          const size_t colon = reply.text.find(':');
          const std::string field = colon == std::string::npos
                                        ? std::string("the programme")
                                        : ApiFieldName(reply.text.substr(colon + 1));
          const std::string why =
              field == "budget" ? ": out of range, or below what was spent" : ": out of range";
          return respond(
              ErrorResponse(api::ApiError{422, reply.text.substr(0, colon), field + why}));
        }
        if (code != PaymentResult::kOk) return respond(PaymentError(code));
        LogInfo("referral programme set", {{"version", std::to_string(reply.value)},
                                           {"by_staff_id", std::to_string(staff_id)}});
        AnswerProgram(context, respond);
      });
}

// One referral as staff see it, phones masked.
struct Row {
  referral::Referral referral;
  std::string invitee_phone;
  std::string inviter_phone;
};

std::string MaskedPhoneOf(const engine::StateMachine& state, uint64_t customer_id) {
  const identity::Customer* customer = state.customers().FindById(customer_id);
  return customer == nullptr ? "" : identity::MaskPhone(customer->phone);
}

void ListReferrals(WalletContext& context, const Responder& respond) {
  const int64_t now_s = Services(context).clock->NowNs() / kNsPerSecond;
  ReadEngine<std::vector<Row>>(
      context, respond,
      [](const engine::StateMachine& state) {
        const std::vector<referral::Referral>& all = state.referrals().referrals();
        std::vector<Row> rows;
        for (size_t i = all.size(); i-- > 0 && rows.size() < kListedReferrals;) {
          rows.push_back(Row{all[i], MaskedPhoneOf(state, all[i].invitee_id),
                             MaskedPhoneOf(state, all[i].inviter_id)});
        }
        return rows;
      },
      [respond, now_s](std::vector<Row> rows) {
        api::JsonArrayWriter list;
        for (const Row& row : rows) {
          const referral::Referral& r = row.referral;
          api::JsonObjectWriter item;
          item.String("invitee_id", std::to_string(r.invitee_id))
              .String("invitee_phone", row.invitee_phone)
              .String("inviter_id", std::to_string(r.inviter_id))
              .String("inviter_phone", row.inviter_phone)
              .String("registered_at", TimeText(r.registered_s))
              .String("deadline", TimeText(r.deadline_s))
              .String("status", referral::StatusName(r, now_s))
              .String("reason", referral::ReasonName(r.reason))
              .Bool("inviter_capped", r.inviter_capped);
          if (r.qualified_s != 0) {
            item.String("qualified_at", TimeText(r.qualified_s));
          } else {
            item.Null("qualified_at");
          }
          if (r.payment_id != 0) {
            item.String("payment_id", std::to_string(r.payment_id));
          } else {
            item.Null("payment_id");
          }
          item.Object("inviter_reward", RewardJson(r.inviter_reward))
              .Object("invitee_reward", RewardJson(r.invitee_reward))
              .Amount("clawed_back_cash", r.clawed_back_fen)
              .Int("clawed_back_points", r.clawed_back_points);
          list.Object(std::move(item));
        }
        api::JsonObjectWriter body;
        body.Array("referrals", std::move(list));
        respond(api::JsonResponse(200, body));
      });
}

// What a customer sees of one referral: refusals without their reason.
std::string_view CustomerStatus(const referral::Referral& r, int64_t now_s) {
  return referral::StatusName(r, now_s);
}

// The reward a side got, or while the referral is pending, what it would get now.
const referral::Reward& ShownReward(const referral::Referral& r, const referral::Reward& given,
                                    const referral::Reward& offered, int64_t now_s) {
  return CustomerStatus(r, now_s) == "pending" ? offered : given;
}

struct MyReferral {
  referral::Program program;
  int32_t rewarded_this_month = 0;
  std::vector<Row> invitees;  // newest first
  std::optional<referral::Referral> invited_by;
  int64_t earned_cash_fen = 0;
  int64_t earned_points = 0;
};

void GetMyReferral(WalletContext& context, const Principal& customer, const Responder& respond) {
  const int64_t now_s = Services(context).clock->NowNs() / kNsPerSecond;
  if (customer.id > referral::kMaxInviteCustomerId) {
    return respond(ErrorResponse(ErrorCode::kNotFound, "no invite code for this account"));
  }
  ReadEngine<MyReferral>(
      context, respond,
      [customer_id = customer.id, now_s](const engine::StateMachine& state) {
        const referral::ReferralBook& book = state.referrals();
        MyReferral mine;
        mine.program = book.program();
        mine.rewarded_this_month = book.RewardedInMonth(customer_id, referral::ChinaMonth(now_s));
        const std::vector<const referral::Referral*> invited = book.InvitedBy(customer_id);
        for (const referral::Referral* r : invited) {
          if (r->status == referral::Status::kRewarded) {
            mine.earned_cash_fen += r->inviter_reward.cash_fen();
            mine.earned_points += r->inviter_reward.points();
          }
        }
        for (size_t i = invited.size(); i-- > 0 && mine.invitees.size() < kListedReferrals;) {
          mine.invitees.push_back(
              Row{*invited[i], MaskedPhoneOf(state, invited[i]->invitee_id), ""});
        }
        if (const referral::Referral* own = book.Find(customer_id)) mine.invited_by = *own;
        return mine;
      },
      [respond, customer_id = customer.id, now_s](MyReferral mine) {
        const std::string code = referral::InviteCode(customer_id);
        api::JsonObjectWriter terms;
        AddTerms(mine.program, &terms);
        api::JsonObjectWriter month;
        month.Int("rewarded", mine.rewarded_this_month)
            .Int("cap", mine.program.inviter_monthly_cap);
        api::JsonObjectWriter earned;
        earned.Amount("cash", mine.earned_cash_fen).Int("points", mine.earned_points);
        api::JsonArrayWriter invitees;
        for (const Row& row : mine.invitees) {
          api::JsonObjectWriter item;
          item.String("phone", row.invitee_phone)
              .String("registered_at", TimeText(row.referral.registered_s))
              .String("deadline", TimeText(row.referral.deadline_s))
              .String("status", CustomerStatus(row.referral, now_s))
              .Object("reward", RewardJson(ShownReward(row.referral, row.referral.inviter_reward,
                                                       mine.program.inviter, now_s)));
          invitees.Object(std::move(item));
        }
        api::JsonObjectWriter body;
        body.String("invite_code", code)
            .String("invite_path", "/register?invite=" + code)
            .Object("program", std::move(terms))
            .Object("this_month", std::move(month))
            .Object("earned", std::move(earned))
            .Array("invitees", std::move(invitees));
        if (mine.invited_by) {
          api::JsonObjectWriter own;
          own.String("status", CustomerStatus(*mine.invited_by, now_s))
              .String("deadline", TimeText(mine.invited_by->deadline_s))
              .Object("reward",
                      RewardJson(ShownReward(*mine.invited_by, mine.invited_by->invitee_reward,
                                             mine.program.invitee, now_s)));
          body.Object("invited_by", std::move(own));
        } else {
          body.Null("invited_by");
        }
        respond(api::JsonResponse(200, body));
      });
}

}  // namespace

void AddReferralRoutes(Router& router, WalletContext& context) {
  WalletContext* shared = &context;
  AddStaffRoute(router, context, "GET", "/api/v1/staff/referral-program",
                [shared](const Principal&, HttpRequest&&, Responder respond) {
                  AnswerProgram(*shared, respond);
                });
  AddStaffRoute(router, context, "PUT", "/api/v1/staff/referral-program",
                [shared](const Principal& staff, HttpRequest&& request, Responder respond) {
                  PutProgram(*shared, staff, std::move(request), std::move(respond));
                });
  AddStaffRoute(router, context, "GET", "/api/v1/staff/referrals",
                [shared](const Principal&, HttpRequest&&, Responder respond) {
                  ListReferrals(*shared, respond);
                });
  router.Add("GET", "/api/v1/me/referral", [shared](HttpRequest&& request, Responder respond) {
    std::optional<Principal> principal = RequireCustomer(*shared, request, respond);
    if (principal) GetMyReferral(*shared, *principal, respond);
  });
}

}  // namespace qb::wallet
