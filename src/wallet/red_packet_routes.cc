// The red-packet API (拼手气红包): marketing ops read and replace the programme and see the
// packets; a customer reads the terms and their packets, sends a packet their payment earned,
// opens a shared one and takes a share.
//
//   GET  /api/v1/staff/red-packets              the programme, its budget figures, newest packets
//   PUT  /api/v1/staff/red-packets              replaces it (engine::SetRedPackets, audited)
//   GET  /api/v1/me/red-packets                 terms, packets to send, sent and opened
//   POST /api/v1/me/red-packets                 sends one (Idempotency-Key: a retry, the same)
//   GET  /api/v1/me/red-packets/{id}            one packet, as its link shows it
//   POST /api/v1/me/red-packets/{id}/claim      takes the next share (once per customer)
//
// The split's randomness is a nonce drawn here from libsodium's CSPRNG and journaled with the
// command (engine/state_machine_redpacket.cc). Other customers appear by masked phone only.
#include <sodium.h>

#include <algorithm>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/state_machine.h"
#include "identity/phone.h"
#include "server/log.h"
#include "wallet/handler_util.h"
#include "wallet/json_fields.h"
#include "wallet/money_internal.h"
#include "wallet/payment_internal.h"
#include "wallet/staff_access.h"
#include "wallet/step_up.h"
#include "wallet/wallet_internal.h"

namespace qb::wallet {
namespace {

using api::ErrorCode;
using api::ErrorResponse;
using engine::MarketingResult;

constexpr size_t kListedPackets = 20;
constexpr size_t kStaffListedPackets = 50;
constexpr int64_t kInt32Max = std::numeric_limits<int32_t>::max();
constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();

std::string TimeText(int64_t unix_s) { return Rfc3339(unix_s * kNsPerSecond); }

api::ApiResult<redpacket::Config> ParseConfig(std::string_view body) {
  api::ApiResult<boost::json::object> root = ParseRoot(body);
  if (!root.ok()) return root.error();
  std::optional<api::ApiError> error;
  Fields f(root.value(), "", &error);
  redpacket::Config config;
  auto i32 = [&f](std::string_view name) {
    return static_cast<int32_t>(f.Int(name, true, 0, kInt32Max).value_or(0));
  };
  config.enabled = f.Bool("enabled", true).value_or(false);
  config.start_s = f.Time("starts_at", false).value_or(0);
  config.end_s = f.Time("ends_at", false).value_or(redpacket::kMaxTimeS);
  config.payment_min_fen = f.Int("payment_min", true, 0, kInt64Max).value_or(0);
  config.packets_daily = i32("packets_daily");
  config.packet_fen = f.Int("packet_amount", true, 0, kInt64Max).value_or(0);
  config.shares = i32("shares");
  config.valid_hours = i32("valid_hours");
  config.claims_daily = i32("claims_daily");
  config.budget_fen = f.Int("budget", true, 0, kInt64Max).value_or(0);
  f.Finish();
  if (error) return *error;
  return config;
}

// The API's name of a field redpacket::Validate names.
std::string ApiFieldName(std::string field) {
  if (field == "window") return "starts_at";
  if (field == "payment_min_fen") return "payment_min";
  if (field == "packet_fen") return "packet_amount";
  if (field == "budget_fen") return "budget";
  return field;
}

std::string_view StatusOf(const redpacket::Packet& p, int64_t now_s) {
  if (p.empty()) return "empty";
  return p.expired(now_s) ? "expired" : "open";
}

void TimeOrNull(api::JsonObjectWriter& body, std::string_view key, int64_t unix_s, bool set) {
  if (set) {
    body.String(key, TimeText(unix_s));
  } else {
    body.Null(key);
  }
}

// A packet with the phones it shows, read on the engine thread.
struct PacketView {
  redpacket::Packet packet;
  std::string sender_phone;
  std::vector<std::string> claim_phones;
};

std::string MaskedPhoneOf(const engine::StateMachine& state, uint64_t customer_id) {
  const identity::Customer* customer = state.customers().FindById(customer_id);
  return customer == nullptr ? "" : identity::MaskPhone(customer->phone);
}

PacketView ViewOf(const engine::StateMachine& state, const redpacket::Packet& packet) {
  PacketView view{packet, MaskedPhoneOf(state, packet.sender_id), {}};
  for (const redpacket::Claim& claim : packet.claims) {
    view.claim_phones.push_back(MaskedPhoneOf(state, claim.customer_id));
  }
  return view;
}

void PacketSummary(api::JsonObjectWriter& body, const PacketView& view, int64_t now_s) {
  const redpacket::Packet& p = view.packet;
  body.String("id", std::to_string(p.id))
      .String("sender_phone", view.sender_phone)
      .String("sent_at", TimeText(p.sent_s))
      .String("expires_at", TimeText(p.expires_s))
      .Amount("amount", p.amount_fen)
      .Int("shares", static_cast<int64_t>(p.shares.size()))
      .Int("claimed", static_cast<int64_t>(p.claims.size()))
      .Amount("claimed_amount", p.claimed_fen())
      .String("status", StatusOf(p, now_s));
}

// A packet as a customer sees it: the claims with masked phones, 手气最佳 once it is settled.
api::JsonObjectWriter CustomerPacketJson(const PacketView& view, uint64_t customer_id,
                                         int64_t now_s) {
  const redpacket::Packet& p = view.packet;
  api::JsonObjectWriter body;
  PacketSummary(body, view, now_s);
  body.String("link", "/red-packets/" + std::to_string(p.id))
      .Bool("mine", p.sender_id == customer_id);
  if (const redpacket::Claim* mine = p.ClaimOf(customer_id)) {
    body.Amount("my_share", mine->amount_fen);
  } else {
    body.Null("my_share");
  }
  const bool settled = p.empty() || p.expired(now_s);
  int64_t best = -1;
  if (settled) {
    for (const redpacket::Claim& c : p.claims) best = std::max(best, c.amount_fen);
  }
  api::JsonArrayWriter claims;
  bool best_named = false;
  for (size_t i = 0; i < p.claims.size(); ++i) {
    const redpacket::Claim& c = p.claims[i];
    const bool is_best = !best_named && c.amount_fen == best;
    best_named = best_named || is_best;
    api::JsonObjectWriter claim;
    claim.String("phone", view.claim_phones[i])
        .Amount("amount", c.amount_fen)
        .String("time", TimeText(c.time_s))
        .Bool("best", is_best);
    claims.Object(std::move(claim));
  }
  body.Array("claims", std::move(claims));
  return body;
}

struct StaffView {
  redpacket::Config config;
  uint64_t version = 0;
  int64_t updated_s = 0;
  redpacket::Figures figures;
  std::vector<PacketView> packets;
};

void AnswerConfig(WalletContext& context, const Responder& respond) {
  const int64_t now_s = Services(context).clock->NowNs() / kNsPerSecond;
  ReadEngine<StaffView>(
      context, respond,
      [now_s](const engine::StateMachine& state) {
        const redpacket::RedPacketBook& book = state.red_packets();
        StaffView view{book.config(), book.version(), book.updated_s(), book.FiguresAt(now_s), {}};
        for (const redpacket::Packet* p : book.Newest(kStaffListedPackets)) {
          view.packets.push_back(ViewOf(state, *p));
        }
        return view;
      },
      [respond, now_s](StaffView view) {
        const redpacket::Config& c = view.config;
        const redpacket::Figures& f = view.figures;
        api::JsonObjectWriter body;
        body.Bool("enabled", c.enabled);
        TimeOrNull(body, "starts_at", c.start_s, c.start_s != 0);
        TimeOrNull(body, "ends_at", c.end_s, c.end_s != redpacket::kMaxTimeS);
        api::JsonArrayWriter packets;
        for (const PacketView& p : view.packets) {
          api::JsonObjectWriter packet;
          PacketSummary(packet, p, now_s);
          packets.Object(std::move(packet));
        }
        body.Amount("payment_min", c.payment_min_fen)
            .Int("packets_daily", c.packets_daily)
            .Amount("packet_amount", c.packet_fen)
            .Int("shares", c.shares)
            .Int("valid_hours", c.valid_hours)
            .Int("claims_daily", c.claims_daily)
            .Amount("budget", c.budget_fen)
            .Amount("spent", f.spent_fen)
            .Amount("reserved", f.reserved_fen)
            .Amount("returned", f.returned_fen)
            .Amount("available", view.version == 0 ? 0 : f.available_fen)
            .Int("packets_sent", f.packets_sent)
            .Int("claims", f.claims)
            .Int("version", static_cast<int64_t>(view.version))
            .Array("packets", std::move(packets));
        TimeOrNull(body, "updated_at", view.updated_s, view.version != 0);
        respond(api::JsonResponse(200, body));
      });
}

void PutConfig(WalletContext& context, const Principal& staff, HttpRequest&& request,
               Responder respond) {
  if (!IsJson(request, respond)) return;
  api::ApiResult<redpacket::Config> config = ParseConfig(request.body);
  if (!config.ok()) return respond(ErrorResponse(config.error()));
  SubmitCommand(
      context, engine::SetRedPackets{staff.id, std::move(config).value()}, respond,
      [&context, respond, staff_id = staff.id](uint8_t result, const engine::Reply& reply) {
        const auto code = static_cast<MarketingResult>(result);
        if (code == MarketingResult::kInvalid && !reply.text.empty()) {
          // "REDPACKET_INVALID:packet_fen"
          const size_t colon = reply.text.find(':');
          const std::string field = colon == std::string::npos
                                        ? std::string("the programme")
                                        : ApiFieldName(reply.text.substr(colon + 1));
          std::string why = ": out of range";
          if (field == "packet_amount") why = ": at least 1 fen a share, at most ¥200";
          if (field == "budget") why = ": out of range, or below what is spent and reserved";
          if (field == "starts_at") why = ": must be before ends_at";
          return respond(
              ErrorResponse(api::ApiError{422, reply.text.substr(0, colon), field + why}));
        }
        if (code != MarketingResult::kOk) {
          return respond(ErrorResponse(ErrorCode::kInternal, "the programme was not set"));
        }
        LogInfo("red packets set", {{"version", std::to_string(reply.value)},
                                    {"by_staff_id", std::to_string(staff_id)}});
        AnswerConfig(context, respond);
      });
}

struct Mine {
  redpacket::Config config;
  bool active = false;
  redpacket::Sender sender;
  int32_t claims_today = 0;
  std::vector<PacketView> sent;
  std::vector<PacketView> claimed;
};

void GetMine(WalletContext& context, const Principal& customer, const Responder& respond) {
  const int64_t now_s = Services(context).clock->NowNs() / kNsPerSecond;
  ReadEngine<Mine>(
      context, respond,
      [customer_id = customer.id, now_s](const engine::StateMachine& state) {
        const redpacket::RedPacketBook& book = state.red_packets();
        Mine mine{book.config(),
                  book.Active(now_s),
                  book.SenderOf(customer_id, now_s),
                  book.ClaimsToday(customer_id, now_s),
                  {},
                  {}};
        for (const redpacket::Packet* p : book.SentBy(customer_id, kListedPackets)) {
          mine.sent.push_back(ViewOf(state, *p));
        }
        for (const redpacket::Packet* p : book.ClaimedBy(customer_id, kListedPackets)) {
          mine.claimed.push_back(ViewOf(state, *p));
        }
        return mine;
      },
      [respond, customer_id = customer.id, now_s](Mine mine) {
        const redpacket::Config& c = mine.config;
        api::JsonArrayWriter sent;
        for (const PacketView& p : mine.sent) {
          sent.Object(CustomerPacketJson(p, customer_id, now_s));
        }
        api::JsonArrayWriter claimed;
        for (const PacketView& p : mine.claimed) {
          claimed.Object(CustomerPacketJson(p, customer_id, now_s));
        }
        api::JsonObjectWriter body;
        body.Bool("active", mine.active)
            .Amount("payment_min", c.payment_min_fen)
            .Int("packets_daily", c.packets_daily)
            .Amount("packet_amount", c.packet_fen)
            .Int("shares", c.shares)
            .Int("valid_hours", c.valid_hours)
            .Int("claims_daily", c.claims_daily);
        TimeOrNull(body, "ends_at", c.end_s, c.end_s != redpacket::kMaxTimeS);
        body.Int("to_send", mine.active ? mine.sender.available() : 0)
            .Int("claims_today", mine.claims_today)
            .Array("sent", std::move(sent))
            .Array("claimed", std::move(claimed));
        respond(api::JsonResponse(200, body));
      });
}

HttpResponse NotFound() {
  return ErrorResponse(api::ApiError{404, "REDPACKET_NOT_FOUND", "no such red packet"});
}

HttpResponse Refusal(std::string_view code) {
  struct Known {
    std::string_view code;
    std::string_view message;
  };
  static constexpr Known kKnown[] = {
      {"REDPACKET_OFF", "there is no red-packet programme running now"},
      {"REDPACKET_NONE_TO_SEND", "no red packet to send; a qualifying payment earns one"},
      {"REDPACKET_BUDGET", "the programme's budget is used up"},
      {"REDPACKET_EXPIRED", "this red packet has expired"},
      {"REDPACKET_EMPTY", "every share of this red packet has been taken"},
      {"REDPACKET_DAILY_LIMIT", "today's red packets are used up; come back tomorrow"},
      {"REDPACKET_SAME_DEVICE", "a red packet cannot be opened on a device its sender used"},
      {"REDPACKET_WALLET_FULL", "the wallet cannot hold this share: its balance limit"},
  };
  if (code == "REDPACKET_NOT_FOUND") return NotFound();
  for (const Known& known : kKnown) {
    if (known.code == code) {
      return ErrorResponse(api::ApiError{409, std::string(known.code), std::string(known.message)});
    }
  }
  return ErrorResponse(ErrorCode::kInternal, "the red packet was refused");
}

// Answers one packet as `customer_id` sees it, with `status`; wraps it as {amount, packet}
// when `claimed`.
void AnswerPacket(WalletContext& context, uint64_t packet_id, uint64_t customer_id, int status,
                  bool claimed, const Responder& respond) {
  const int64_t now_s = Services(context).clock->NowNs() / kNsPerSecond;
  ReadEngine<std::optional<PacketView>>(
      context, respond,
      [packet_id](const engine::StateMachine& state) -> std::optional<PacketView> {
        const redpacket::Packet* p = state.red_packets().Find(packet_id);
        return p == nullptr ? std::nullopt : std::optional<PacketView>(ViewOf(state, *p));
      },
      [respond, customer_id, status, claimed, now_s](std::optional<PacketView> view) {
        if (!view) return respond(NotFound());
        api::JsonObjectWriter packet = CustomerPacketJson(*view, customer_id, now_s);
        if (!claimed) return respond(api::JsonResponse(status, packet));
        const redpacket::Claim* mine = view->packet.ClaimOf(customer_id);
        if (mine == nullptr) {
          return respond(ErrorResponse(ErrorCode::kInternal, "claim not found"));
        }
        api::JsonObjectWriter body;
        body.Amount("amount", mine->amount_fen).Object("packet", std::move(packet));
        respond(api::JsonResponse(status, body));
      });
}

void Send(WalletContext& context, const Principal& customer, HttpRequest&& request,
          const Responder& respond) {
  if (!RequireIdempotencyKey(request, respond)) return;
  engine::SendRedPacket send;
  send.customer_id = customer.id;
  send.packet_id =
      DeriveTransferId(customer.id, request.Header("Idempotency-Key"), "red-packet-send");
  send.nonce.resize(engine::kRedPacketNonceBytes);
  randombytes_buf(send.nonce.data(), send.nonce.size());
  SubmitCommand(
      context, std::move(send), respond,
      [&context, respond, customer_id = customer.id](uint8_t result, const engine::Reply& reply) {
        const auto code = static_cast<MarketingResult>(result);
        if (code == MarketingResult::kRefused) return respond(Refusal(reply.text));
        if (code != MarketingResult::kOk && code != MarketingResult::kDuplicate) {
          return respond(ErrorResponse(ErrorCode::kIdempotencyKeyReused,
                                       "this Idempotency-Key was used for another request"));
        }
        AnswerPacket(context, reply.value, customer_id, code == MarketingResult::kOk ? 201 : 200,
                     false, respond);
      });
}

void GetOne(WalletContext& context, const Principal& customer, const HttpRequest& request,
            const Responder& respond) {
  const std::optional<uint64_t> id = ParseId(request.PathParam("id"));
  if (!id) return respond(NotFound());
  AnswerPacket(context, *id, customer.id, 200, false, respond);
}

void Claim(WalletContext& context, const Principal& customer, const HttpRequest& request,
           const Responder& respond) {
  const std::optional<uint64_t> id = ParseId(request.PathParam("id"));
  if (!id) return respond(NotFound());
  engine::ClaimRedPacket claim{customer.id, *id, DeviceHash(context, DeviceIdOf(request))};
  SubmitCommand(context, std::move(claim), respond,
                [&context, respond, customer_id = customer.id, packet_id = *id](
                    uint8_t result, const engine::Reply& reply) {
                  const auto code = static_cast<MarketingResult>(result);
                  if (code == MarketingResult::kRefused) return respond(Refusal(reply.text));
                  if (code == MarketingResult::kRiskDenied) {
                    return respond(ErrorResponse(RiskDeniedError()));  // risk_routes.cc
                  }
                  if (code != MarketingResult::kOk && code != MarketingResult::kDuplicate) {
                    return respond(ErrorResponse(ErrorCode::kNotFound, "no such customer"));
                  }
                  if (code == MarketingResult::kOk) {
                    LogInfo("red packet share claimed",
                            {{"packet_id", std::to_string(packet_id)},
                             {"amount_fen", std::to_string(reply.value)}});
                  }
                  AnswerPacket(context, packet_id, customer_id,
                               code == MarketingResult::kOk ? 201 : 200, true, respond);
                });
}

}  // namespace

void AddRedPacketRoutes(Router& router, WalletContext& context) {
  WalletContext* shared = &context;
  AddStaffRoute(router, context, "GET", "/api/v1/staff/red-packets",
                [shared](const Principal&, HttpRequest&&, Responder respond) {
                  AnswerConfig(*shared, respond);
                });
  AddStaffRoute(router, context, "PUT", "/api/v1/staff/red-packets",
                [shared](const Principal& staff, HttpRequest&& request, Responder respond) {
                  PutConfig(*shared, staff, std::move(request), std::move(respond));
                });
  auto customer = [shared](auto handler) {
    return [shared, handler](HttpRequest&& request, Responder respond) {
      std::optional<Principal> principal = RequireCustomer(*shared, request, respond);
      if (principal) handler(*shared, *principal, std::move(request), respond);
    };
  };
  router.Add("GET", "/api/v1/me/red-packets",
             customer([](WalletContext& c, const Principal& p, HttpRequest&&,
                         const Responder& respond) { GetMine(c, p, respond); }));
  router.Add("POST", "/api/v1/me/red-packets",
             customer([](WalletContext& c, const Principal& p, HttpRequest&& request,
                         const Responder& respond) { Send(c, p, std::move(request), respond); }));
  router.Add("GET", "/api/v1/me/red-packets/{id}",
             customer([](WalletContext& c, const Principal& p, HttpRequest&& request,
                         const Responder& respond) { GetOne(c, p, request, respond); }));
  router.Add("POST", "/api/v1/me/red-packets/{id}/claim",
             customer([](WalletContext& c, const Principal& p, HttpRequest&& request,
                         const Responder& respond) { Claim(c, p, request, respond); }));
}

}  // namespace qb::wallet
