// The customer's signed-in devices (security centre): GET /api/v1/me/sessions lists the live
// sessions of the caller, DELETE /api/v1/me/sessions/{id} signs one out, DELETE
// /api/v1/me/sessions signs out every session but the caller's own. Revocation is an engine
// command, so a revoked session stays dead after a restart.
#include <string>
#include <utility>
#include <vector>

#include "engine/command.h"
#include "wallet/handler_util.h"
#include "wallet/sessions.h"
#include "wallet/wallet_internal.h"

namespace qb::wallet {
namespace {

using api::ErrorCode;
using api::ErrorResponse;

HttpResponse SessionList(const std::vector<std::pair<std::string, CachedSession>>& sessions,
                         std::string_view current_hash) {
  api::JsonArrayWriter list;
  for (const auto& [hash, session] : sessions) {
    api::JsonObjectWriter item;
    item.String("id", SessionId(hash))
        .Bool("current", hash == current_hash)
        .String("created_at", Rfc3339(session.created_ns))
        .String("last_active_at", Rfc3339(session.last_seen_ns))
        .String("expires_at", Rfc3339(session.expires_ns))
        .String("device", session.origin.device)
        .String("ip", session.origin.ip);
    list.Object(std::move(item));
  }
  api::JsonObjectWriter body;
  body.Array("sessions", std::move(list));
  HttpResponse response = api::JsonResponse(200, body);
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

// Signs `hashes` out in the cache at once and in the engine (which audits each sign-out), then
// answers 204.
void Revoke(WalletContext& context, std::vector<std::string> hashes, engine::SignOut reason,
            Responder respond) {
  for (const std::string& hash : hashes) Sessions(context).Remove(hash);
  if (hashes.empty()) {
    HttpResponse response;
    response.status = 204;
    return respond(std::move(response));
  }
  // The engine executes and answers in submission order, so once the last revocation is
  // durable, so are the ones before it.
  const std::string last = std::move(hashes.back());
  hashes.pop_back();
  RevokeInEngine(context, std::move(hashes), reason);
  Services(context).engine->Submit(engine::RevokeSession{last, reason},
                                   [respond = std::move(respond)](engine::Reply&& reply) {
                                     if (reply.status != engine::ReplyStatus::kOk) {
                                       return respond(EngineFailureResponse(reply));
                                     }
                                     HttpResponse response;
                                     response.status = 204;
                                     respond(std::move(response));
                                   });
}

}  // namespace

void AddSessionRoutes(Router& router, WalletContext& context) {
  router.Add("GET", "/api/v1/me/sessions", [&context](HttpRequest&& request, Responder respond) {
    std::optional<Principal> me = RequireCustomer(context, request, respond);
    if (!me) return;
    respond(
        SessionList(Sessions(context).ListOf(Principal::Kind::kCustomer, me->id), me->token_hash));
  });
  router.Add(
      "DELETE", "/api/v1/me/sessions/{id}", [&context](HttpRequest&& request, Responder respond) {
        std::optional<Principal> me = RequireCustomer(context, request, respond);
        if (!me) return;
        const std::string_view id = request.PathParam("id");
        for (auto& [hash, session] : Sessions(context).ListOf(Principal::Kind::kCustomer, me->id)) {
          if (SessionId(hash) != id) continue;
          const engine::SignOut reason =
              hash == me->token_hash ? engine::SignOut::kSelf : engine::SignOut::kFromOtherSession;
          return Revoke(context, {hash}, reason, std::move(respond));
        }
        respond(ErrorResponse(ErrorCode::kNotFound, "no such session"));
      });
  router.Add("DELETE", "/api/v1/me/sessions", [&context](HttpRequest&& request, Responder respond) {
    std::optional<Principal> me = RequireCustomer(context, request, respond);
    if (!me) return;
    std::vector<std::string> others;
    for (auto& [hash, session] : Sessions(context).ListOf(Principal::Kind::kCustomer, me->id)) {
      if (hash != me->token_hash) others.push_back(hash);
    }
    Revoke(context, std::move(others), engine::SignOut::kFromOtherSession, std::move(respond));
  });
}

}  // namespace qb::wallet
