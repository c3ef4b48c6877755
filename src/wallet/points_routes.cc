// The points API (积分): marketing ops read and replace the points programme; a customer reads
// their balance, what it is worth and their points history. Paying with points goes through the
// payment routes (pay_routes.cc, "points") and the checkout quote (marketing_routes.cc).
//
//   GET /api/v1/staff/points-program   the programme, its version and the points outstanding
//   PUT /api/v1/staff/points-program   replaces it (engine::SetPointsProgram, audited)
//   GET /api/v1/me/points              balance, worth, the earning terms, the last entries
#include <string>
#include <string_view>
#include <utility>

#include "engine/state_machine.h"
#include "server/log.h"
#include "wallet/handler_util.h"
#include "wallet/money_internal.h"
#include "wallet/payment_internal.h"
#include "wallet/points_json.h"
#include "wallet/staff_access.h"
#include "wallet/wallet_internal.h"

namespace qb::wallet {
namespace {

using api::ErrorCode;
using api::ErrorResponse;
using engine::PaymentResult;

constexpr size_t kPointsEntries = 50;

struct ProgramView {
  points::Program program;
  uint64_t version = 0;
  int64_t updated_s = 0;
  int64_t outstanding = 0;  // What every customer holds: the pool's debit balance.
};

// The API's name of a field points::Validate names ("multipliers[0].weekday_mask" →
// "multipliers[0].weekdays").
std::string ApiFieldName(std::string field) {
  static constexpr std::pair<std::string_view, std::string_view> kNames[] = {
      {"earn_per_yuan", "earn_points_per_yuan"},
      {"redeem_max_bps", "redeem_max_percent"},
      {"weekday_mask", "weekdays"},
      {"segment_mask", "segments"},
      {"window", "starts_at"},
  };
  for (const auto& [book, api] : kNames) {
    if (field.size() >= book.size() && field.ends_with(book) &&
        (field.size() == book.size() || field[field.size() - book.size() - 1] == '.')) {
      return field.replace(field.size() - book.size(), book.size(), api);
    }
  }
  return field;
}

void AnswerProgram(WalletContext& context, const Responder& respond) {
  ReadEngine<ProgramView>(
      context, respond,
      [](const engine::StateMachine& state) {
        ProgramView view;
        view.program = state.points().program();
        view.version = state.points().version();
        view.updated_s = state.points().updated_s();
        if (const ledger::Account* pool =
                state.ledger().FindAccount(engine::kPointsPoolAccountId)) {
          view.outstanding = pool->debits_posted - pool->credits_posted;
        }
        return view;
      },
      [respond](ProgramView view) {
        api::JsonObjectWriter body;
        AddPointsProgramFields(view.program, &body);
        body.Int("version", static_cast<int64_t>(view.version));
        if (view.version != 0) {
          body.String("updated_at", Rfc3339(view.updated_s * kNsPerSecond));
        } else {
          body.Null("updated_at");
        }
        body.Int("points_outstanding", view.outstanding);
        respond(api::JsonResponse(200, body));
      });
}

void PutProgram(WalletContext& context, const Principal& staff, HttpRequest&& request,
                Responder respond) {
  if (!IsJson(request, respond)) return;
  api::ApiResult<points::Program> program = ParsePointsProgramInput(request.body);
  if (!program.ok()) return respond(ErrorResponse(program.error()));
  SubmitCommand(
      context, engine::SetPointsProgram{staff.id, std::move(program).value()}, respond,
      [&context, respond, staff_id = staff.id](uint8_t result, const engine::Reply& reply) {
        const auto code = static_cast<PaymentResult>(result);
        if (code == PaymentResult::kInvalid && !reply.text.empty()) {
          // "POINTS_INVALID_PROGRAM:multipliers[0].multiplier"
          const size_t colon = reply.text.find(':');
          return respond(ErrorResponse(api::ApiError{
              422, reply.text.substr(0, colon),
              (colon == std::string::npos ? std::string("the programme")
                                          : ApiFieldName(reply.text.substr(colon + 1))) +
                  ": out of range"}));
        }
        if (code != PaymentResult::kOk) return respond(PaymentError(code));
        LogInfo("points programme set", {{"version", std::to_string(reply.value)},
                                         {"by_staff_id", std::to_string(staff_id)}});
        AnswerProgram(context, respond);
      });
}

std::string_view EntryKind(uint16_t code) {
  switch (code) {
    case ledger::transfer_codes::kPointsEarn:
      return "earn";
    case ledger::transfer_codes::kPointsRedeem:
      return "redeem";
    case ledger::transfer_codes::kPointsRestore:
      return "restore";
    case ledger::transfer_codes::kPointsClawback:
      return "clawback";
    case ledger::transfer_codes::kPointsForfeit:
      return "forfeit";
    case ledger::transfer_codes::kReferralPoints:
      return "referral";
    case ledger::transfer_codes::kReferralPointsClawback:
      return "referral_clawback";
    case ledger::transfer_codes::kLotteryPoints:
      return "lottery";
    default:
      return "other";
  }
}

struct CustomerPoints {
  points::Program program;
  int64_t balance = 0;
};

void GetMyPoints(WalletContext& context, const Principal& customer, Responder respond) {
  ReadEngine<CustomerPoints>(
      context, respond,
      [customer_id = customer.id](const engine::StateMachine& state) {
        return CustomerPoints{state.points().program(), state.PointsBalance(customer_id)};
      },
      [&context, respond, customer_id = customer.id](CustomerPoints points) {
        RunOnWorker(
            context,
            [&context, respond, customer_id, points = std::move(points)] {
              TransferPage page;
              const Status s = Services(context).store->ListAccountTransfers(
                  engine::kPointsAccountBase + customer_id, std::nullopt, kPointsEntries, &page);
              if (!s.ok()) {
                return respond(
                    ErrorResponse(ErrorCode::kStoreUnavailable, "cannot read points now"));
              }
              const uint64_t account = engine::kPointsAccountBase + customer_id;
              api::JsonArrayWriter entries;
              for (const ledger::Transfer& t : page.transfers) {
                api::JsonObjectWriter entry;
                entry.String("id", std::to_string(t.id))
                    .String("at", Rfc3339(t.timestamp_ns))
                    .String("kind", EntryKind(t.code))
                    .Int("points", t.credit_account_id == account ? t.amount : -t.amount);
                if (t.user_data != 0) {
                  entry.String("payment_id", std::to_string(t.user_data));
                } else {
                  entry.Null("payment_id");
                }
                entries.Object(std::move(entry));
              }
              const points::Program& program = points.program;
              api::JsonObjectWriter body;
              body.Bool("enabled", program.enabled)
                  .Int("balance", points.balance)
                  .Amount("value", program.enabled && program.redeem_points_per_yuan > 0
                                       ? points.balance * 100 / program.redeem_points_per_yuan
                                       : 0)
                  .Int("earn_points_per_yuan", program.earn_per_yuan)
                  .Int("redeem_points_per_yuan", program.redeem_points_per_yuan)
                  .Int("redeem_max_percent", program.redeem_max_bps / 100)
                  .Array("entries", std::move(entries));
              respond(api::JsonResponse(200, body));
            },
            respond);
      });
}

}  // namespace

void AddPointsRoutes(Router& router, WalletContext& context) {
  WalletContext* shared = &context;
  AddStaffRoute(router, context, "GET", "/api/v1/staff/points-program",
                [shared](const Principal&, HttpRequest&&, Responder respond) {
                  AnswerProgram(*shared, respond);
                });
  AddStaffRoute(router, context, "PUT", "/api/v1/staff/points-program",
                [shared](const Principal& staff, HttpRequest&& request, Responder respond) {
                  PutProgram(*shared, staff, std::move(request), std::move(respond));
                });
  router.Add("GET", "/api/v1/me/points", [shared](HttpRequest&& request, Responder respond) {
    std::optional<Principal> principal = RequireCustomer(*shared, request, respond);
    if (principal) GetMyPoints(*shared, *principal, std::move(respond));
  });
}

}  // namespace qb::wallet
