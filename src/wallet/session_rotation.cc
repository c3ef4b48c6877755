// Session rotation on a privilege change. A customer whose identity is verified, who binds a
// card (both raise the wallet's tier), sets or resets the payment PIN, or turns a second factor
// on or off gets a new session token in the same answer: a token captured before the change
// (a shoulder-surfed screen, a leaked log line, a fixation attempt) does not carry the new
// privilege. The session keeps its creation time and absolute expiry, so rotating never
// extends it.
#include <string>
#include <utility>

#include "engine/command.h"
#include "identity/otp.h"
#include "server/log.h"
#include "wallet/sessions.h"
#include "wallet/wallet_internal.h"

namespace qb::wallet {
namespace {

void Rotate(WalletContext& context, const Principal& principal, HttpResponse response,
            const Responder& respond) {
  std::string token = identity::GenerateSessionToken();
  std::string token_hash = identity::HashSessionToken(token);
  engine::RotateSession command{principal.id, principal.token_hash, token_hash};
  Services(context).engine->Submit(
      std::move(command), [&context, old_hash = principal.token_hash, token = std::move(token),
                           token_hash = std::move(token_hash), response = std::move(response),
                           respond](engine::Reply&& reply) mutable {
        const bool rotated =
            reply.status == engine::ReplyStatus::kOk && reply.results.size() == 1 &&
            reply.results[0] == static_cast<uint8_t>(identity::IdentityResult::kOk);
        if (!rotated) {
          // The change itself is done and durable; the caller keeps the old token.
          LogError("a session could not be rotated after a privilege change",
                   {{"status", std::string(engine::ReplyStatusName(reply.status))}});
          return respond(std::move(response));
        }
        Sessions(context).Rename(old_hash, std::move(token_hash));
        response.headers.emplace_back(std::string(kSessionTokenHeader), std::move(token));
        respond(std::move(response));
      });
}

}  // namespace

HttpHandler RotatesSession(WalletContext& context, HttpHandler inner) {
  return [&context, inner = std::move(inner)](HttpRequest&& request, Responder respond) {
    std::optional<Principal> me = RequireCustomer(context, request, respond);
    if (!me) return;
    Responder rotating = [&context, principal = std::move(*me),
                          respond = std::move(respond)](HttpResponse response) {
      if (response.status < 200 || response.status >= 300) return respond(std::move(response));
      Rotate(context, principal, std::move(response), respond);
    };
    inner(std::move(request), std::move(rotating));
  };
}

}  // namespace qb::wallet
