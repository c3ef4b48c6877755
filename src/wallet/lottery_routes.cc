// The lottery API (抽奖): marketing ops read and replace the lottery; a customer reads the
// prizes with their published chances, their draw chances and draws, signs in for a draw and
// draws.
//
//   GET  /api/v1/staff/lottery            the configuration, version, prizes left, cash spent
//   PUT  /api/v1/staff/lottery            replaces it (engine::SetLottery, audited)
//   GET  /api/v1/me/lottery               prizes, my chances, my newest draws
//   POST /api/v1/me/lottery/sign-in       the daily sign-in (签到): one draw when it gives one
//   POST /api/v1/me/lottery/draws         one draw (Idempotency-Key: a retry answers the first)
//
// The draw's randomness is a nonce drawn here from libsodium's CSPRNG and journaled with the
// command (engine/state_machine_lottery.cc).
#include <sodium.h>

#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/state_machine.h"
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
using engine::MarketingResult;

constexpr size_t kListedDraws = 20;
constexpr int64_t kInt32Max = std::numeric_limits<int32_t>::max();
constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();
constexpr std::string_view kKinds[] = {"cash", "points"};

std::string TimeText(int64_t unix_s) { return Rfc3339(unix_s * kNsPerSecond); }

api::ApiResult<lottery::Config> ParseConfig(std::string_view body) {
  api::ApiResult<boost::json::object> root = ParseRoot(body);
  if (!root.ok()) return root.error();
  std::optional<api::ApiError> error;
  Fields f(root.value(), "", &error);
  lottery::Config config;
  config.enabled = f.Bool("enabled", true).value_or(false);
  config.start_s = f.Time("starts_at", false).value_or(0);
  config.end_s = f.Time("ends_at", false).value_or(lottery::kMaxTimeS);
  if (const boost::json::array* prizes = f.Array("prizes", true, lottery::kMaxPrizes)) {
    for (size_t i = 0; i < prizes->size() && !error; ++i) {
      if (!(*prizes)[i].is_object()) {
        f.Fail(ErrorCode::kFieldInvalid, "prizes", "a list of objects");
        break;
      }
      Fields p((*prizes)[i].as_object(), "prizes[" + std::to_string(i) + "].", &error);
      lottery::Prize prize;
      prize.name = p.String("name", true, lottery::kMaxNameBytes).value_or("");
      prize.kind = p.Enum("kind", true, kKinds).value_or(1) == 0 ? lottery::PrizeKind::kCash
                                                                 : lottery::PrizeKind::kPoints;
      prize.amount = p.Int("amount", true, 0, kInt64Max).value_or(0);
      prize.inventory = p.Int("inventory", true, 0, kInt64Max).value_or(0);
      prize.chance_bps = static_cast<int32_t>(p.Int("chance_bps", true, 0, kInt32Max).value_or(0));
      p.Finish();
      config.prizes.push_back(std::move(prize));
    }
  }
  config.payment_min_fen = f.Int("payment_min", true, 0, kInt64Max).value_or(0);
  config.payment_draws_daily =
      static_cast<int32_t>(f.Int("payment_draws_daily", true, 0, kInt32Max).value_or(0));
  config.sign_in_draw = f.Bool("sign_in_draw", true).value_or(false);
  config.referral_draws =
      static_cast<int32_t>(f.Int("referral_draws", true, 0, kInt32Max).value_or(0));
  config.daily_draw_limit =
      static_cast<int32_t>(f.Int("daily_draw_limit", true, 0, kInt32Max).value_or(0));
  config.budget_fen = f.Int("budget", true, 0, kInt64Max).value_or(0);
  f.Finish();
  if (error) return *error;
  return config;
}

// The API's name of a field lottery::Validate names.
std::string ApiFieldName(std::string field) {
  if (field == "window") return "starts_at";
  if (field == "payment_min_fen") return "payment_min";
  if (field == "budget_fen") return "budget";
  return field;
}

struct ConfigView {
  lottery::Config config;
  uint64_t version = 0;
  int64_t updated_s = 0;
  int64_t spent_fen = 0;
  std::vector<int64_t> remaining;
  size_t draws = 0;
};

api::JsonArrayWriter PrizesJson(const lottery::Config& config,
                                const std::vector<int64_t>& remaining, bool staff) {
  api::JsonArrayWriter prizes;
  for (size_t i = 0; i < config.prizes.size(); ++i) {
    const lottery::Prize& p = config.prizes[i];
    api::JsonObjectWriter prize;
    prize.String("name", p.name)
        .String("kind", lottery::PrizeKindName(p.kind))
        .Int("amount", p.amount)
        .Int("chance_bps", p.chance_bps);
    if (staff) {
      prize.Int("inventory", p.inventory).Int("remaining", remaining[i]);
    } else {
      prize.Bool("available", remaining[i] > 0);
    }
    prizes.Object(std::move(prize));
  }
  return prizes;
}

void AnswerConfig(WalletContext& context, const Responder& respond) {
  ReadEngine<ConfigView>(
      context, respond,
      [](const engine::StateMachine& state) {
        const lottery::LotteryBook& book = state.lottery();
        ConfigView view{book.config(),    book.version(), book.updated_s(), book.spent_fen(), {},
                        book.draw_count()};
        for (size_t i = 0; i < view.config.prizes.size(); ++i) {
          view.remaining.push_back(book.Remaining(i));
        }
        return view;
      },
      [respond](ConfigView view) {
        const lottery::Config& c = view.config;
        api::JsonObjectWriter body;
        body.Bool("enabled", c.enabled);
        if (c.start_s != 0) {
          body.String("starts_at", TimeText(c.start_s));
        } else {
          body.Null("starts_at");
        }
        if (c.end_s != lottery::kMaxTimeS) {
          body.String("ends_at", TimeText(c.end_s));
        } else {
          body.Null("ends_at");
        }
        body.Array("prizes", PrizesJson(c, view.remaining, true))
            .Amount("payment_min", c.payment_min_fen)
            .Int("payment_draws_daily", c.payment_draws_daily)
            .Bool("sign_in_draw", c.sign_in_draw)
            .Int("referral_draws", c.referral_draws)
            .Int("daily_draw_limit", c.daily_draw_limit)
            .Amount("budget", c.budget_fen)
            .Amount("spent", view.spent_fen)
            .Int("draws", static_cast<int64_t>(view.draws))
            .Int("version", static_cast<int64_t>(view.version));
        if (view.version != 0) {
          body.String("updated_at", TimeText(view.updated_s));
        } else {
          body.Null("updated_at");
        }
        respond(api::JsonResponse(200, body));
      });
}

void PutConfig(WalletContext& context, const Principal& staff, HttpRequest&& request,
               Responder respond) {
  if (!IsJson(request, respond)) return;
  api::ApiResult<lottery::Config> config = ParseConfig(request.body);
  if (!config.ok()) return respond(ErrorResponse(config.error()));
  SubmitCommand(
      context, engine::SetLottery{staff.id, std::move(config).value()}, respond,
      [&context, respond, staff_id = staff.id](uint8_t result, const engine::Reply& reply) {
        const auto code = static_cast<MarketingResult>(result);
        if (code == MarketingResult::kInvalid && !reply.text.empty()) {
          // "LOTTERY_INVALID:prizes[1].chance_bps"
          const size_t colon = reply.text.find(':');
          const std::string field = colon == std::string::npos
                                        ? std::string("the lottery")
                                        : ApiFieldName(reply.text.substr(colon + 1));
          std::string why = ": out of range";
          if (field == "prizes") why = ": at most 12, chances adding up to 10000 or less";
          if (field.ends_with(".name")) why = ": 1 to 64 bytes, unlike every other prize's";
          if (field == "budget") why = ": out of range, or below what was spent";
          return respond(
              ErrorResponse(api::ApiError{422, reply.text.substr(0, colon), field + why}));
        }
        if (code != MarketingResult::kOk) {
          return respond(ErrorResponse(ErrorCode::kInternal, "the lottery was not set"));
        }
        LogInfo("lottery set", {{"version", std::to_string(reply.value)},
                                {"by_staff_id", std::to_string(staff_id)}});
        AnswerConfig(context, respond);
      });
}

api::JsonObjectWriter DrawJson(const lottery::Draw& d) {
  api::JsonObjectWriter draw;
  draw.String("id", std::to_string(d.id)).String("time", TimeText(d.time_s)).Bool("won", d.won());
  if (d.won()) {
    api::JsonObjectWriter prize;
    prize.String("name", d.prize_name)
        .String("kind", lottery::PrizeKindName(d.kind))
        .Int("amount", d.amount);
    draw.Object("prize", std::move(prize));
  } else {
    draw.Null("prize");
  }
  return draw;
}

struct MyLottery {
  lottery::Config config;
  bool active = false;
  std::vector<int64_t> remaining;
  lottery::Chances chances;
  std::vector<lottery::Draw> draws;
};

api::JsonObjectWriter ChancesJson(const lottery::Chances& c, const lottery::Config& config) {
  api::JsonObjectWriter chances;
  chances.Int("available", c.available())
      .Int("used_today", c.used_today)
      .Int("daily_limit", config.daily_draw_limit)
      .Bool("signed_in_today", c.signed_in_today)
      .Int("earned_by_payments_today", c.paid_today);
  return chances;
}

void ReadMine(WalletContext& context, uint64_t customer_id, const Responder& respond,
              std::function<void(MyLottery)> then) {
  const int64_t now_s = Services(context).clock->NowNs() / kNsPerSecond;
  ReadEngine<MyLottery>(
      context, respond,
      [customer_id, now_s](const engine::StateMachine& state) {
        const lottery::LotteryBook& book = state.lottery();
        MyLottery mine{
            book.config(), book.Active(now_s), {}, book.ChancesOf(customer_id, now_s), {}};
        for (size_t i = 0; i < mine.config.prizes.size(); ++i) {
          mine.remaining.push_back(book.Remaining(i));
        }
        for (const lottery::Draw* d : book.DrawsOf(customer_id, kListedDraws)) {
          mine.draws.push_back(*d);
        }
        return mine;
      },
      std::move(then));
}

void GetMine(WalletContext& context, const Principal& customer, const Responder& respond) {
  ReadMine(context, customer.id, respond, [respond](MyLottery mine) {
    const lottery::Config& c = mine.config;
    api::JsonArrayWriter draws;
    for (const lottery::Draw& d : mine.draws) draws.Object(DrawJson(d));
    api::JsonObjectWriter body;
    body.Bool("active", mine.active)
        .Array("prizes", PrizesJson(c, mine.remaining, false))
        .Object("chances", ChancesJson(mine.chances, c))
        .Bool("sign_in_draw", c.sign_in_draw)
        .Amount("payment_min", c.payment_min_fen)
        .Int("payment_draws_daily", c.payment_draws_daily)
        .Int("referral_draws", c.referral_draws)
        .Array("draws", std::move(draws));
    if (c.end_s != lottery::kMaxTimeS) {
      body.String("ends_at", TimeText(c.end_s));
    } else {
      body.Null("ends_at");
    }
    respond(api::JsonResponse(200, body));
  });
}

HttpResponse Refusal(std::string_view code) {
  if (code == "LOTTERY_OFF") {
    return ErrorResponse(api::ApiError{409, "LOTTERY_OFF", "there is no lottery running now"});
  }
  if (code == "LOTTERY_SIGNED_IN") {
    return ErrorResponse(api::ApiError{409, "LOTTERY_SIGNED_IN", "already signed in today"});
  }
  if (code == "LOTTERY_NO_DRAWS") {
    return ErrorResponse(api::ApiError{409, "LOTTERY_NO_DRAWS", "no draws left; earn more"});
  }
  if (code == "LOTTERY_DAILY_LIMIT") {
    return ErrorResponse(
        api::ApiError{409, "LOTTERY_DAILY_LIMIT", "today's draws are used up; come back tomorrow"});
  }
  return ErrorResponse(api::ApiError{409, "LOTTERY_WALLET_FULL",
                                     "the wallet cannot hold this prize: its balance limit"});
}

void SignIn(WalletContext& context, const Principal& customer, const Responder& respond) {
  SubmitCommand(
      context, engine::LotterySignIn{customer.id}, respond,
      [&context, respond, customer_id = customer.id](uint8_t result, const engine::Reply& reply) {
        const auto code = static_cast<MarketingResult>(result);
        if (code == MarketingResult::kRefused) return respond(Refusal(reply.text));
        if (code != MarketingResult::kOk) {
          return respond(ErrorResponse(ErrorCode::kNotFound, "no such customer"));
        }
        ReadMine(context, customer_id, respond, [respond](MyLottery mine) {
          api::JsonObjectWriter body;
          body.Object("chances", ChancesJson(mine.chances, mine.config));
          respond(api::JsonResponse(200, body));
        });
      });
}

void DrawOnce(WalletContext& context, const Principal& customer, HttpRequest&& request,
              const Responder& respond) {
  if (!RequireIdempotencyKey(request, respond)) return;
  engine::DrawLottery draw;
  draw.customer_id = customer.id;
  draw.draw_id = DeriveTransferId(customer.id, request.Header("Idempotency-Key"), "lottery-draw");
  draw.nonce.resize(engine::kLotteryNonceBytes);
  randombytes_buf(draw.nonce.data(), draw.nonce.size());
  SubmitCommand(
      context, std::move(draw), respond,
      [&context, respond, customer_id = customer.id](uint8_t result, const engine::Reply& reply) {
        const auto code = static_cast<MarketingResult>(result);
        if (code == MarketingResult::kRefused) return respond(Refusal(reply.text));
        if (code != MarketingResult::kOk && code != MarketingResult::kDuplicate) {
          return respond(ErrorResponse(ErrorCode::kIdempotencyKeyReused,
                                       "this Idempotency-Key was used for another request"));
        }
        const uint64_t draw_id = reply.value;
        const int status = code == MarketingResult::kOk ? 201 : 200;
        ReadEngine<std::optional<lottery::Draw>>(
            context, respond,
            [draw_id](const engine::StateMachine& state) -> std::optional<lottery::Draw> {
              const lottery::Draw* d = state.lottery().FindDraw(draw_id);
              return d == nullptr ? std::nullopt : std::optional<lottery::Draw>(*d);
            },
            [&context, respond, customer_id, status](std::optional<lottery::Draw> found) {
              if (!found) return respond(ErrorResponse(ErrorCode::kInternal, "draw not found"));
              ReadMine(context, customer_id, respond,
                       [respond, found = *found, status](MyLottery mine) {
                         api::JsonObjectWriter body = DrawJson(found);
                         body.Object("chances", ChancesJson(mine.chances, mine.config));
                         respond(api::JsonResponse(status, body));
                       });
            });
      });
}

}  // namespace

void AddLotteryRoutes(Router& router, WalletContext& context) {
  WalletContext* shared = &context;
  AddStaffRoute(router, context, "GET", "/api/v1/staff/lottery",
                [shared](const Principal&, HttpRequest&&, Responder respond) {
                  AnswerConfig(*shared, respond);
                });
  AddStaffRoute(router, context, "PUT", "/api/v1/staff/lottery",
                [shared](const Principal& staff, HttpRequest&& request, Responder respond) {
                  PutConfig(*shared, staff, std::move(request), std::move(respond));
                });
  router.Add("GET", "/api/v1/me/lottery", [shared](HttpRequest&& request, Responder respond) {
    std::optional<Principal> principal = RequireCustomer(*shared, request, respond);
    if (principal) GetMine(*shared, *principal, respond);
  });
  router.Add("POST", "/api/v1/me/lottery/sign-in",
             [shared](HttpRequest&& request, Responder respond) {
               std::optional<Principal> principal = RequireCustomer(*shared, request, respond);
               if (principal) SignIn(*shared, *principal, respond);
             });
  router.Add("POST", "/api/v1/me/lottery/draws",
             [shared](HttpRequest&& request, Responder respond) {
               std::optional<Principal> principal = RequireCustomer(*shared, request, respond);
               if (principal) DrawOnce(*shared, *principal, std::move(request), respond);
             });
}

}  // namespace qb::wallet
