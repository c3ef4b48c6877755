// Helpers the route files share beyond wallet_internal.h: body parsing, the identity error
// table, the staff JSON, and waiting for the read models. Implemented in wallet_api.cc (the
// document in openapi.json). Not part of the module's public header.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "api/errors.h"
#include "api/json_reader.h"
#include "api/json_writer.h"
#include "engine/command.h"
#include "identity/customer_book.h"
#include "identity/staff_book.h"
#include "server/http_server.h"
#include "wallet/wallet_internal.h"

namespace qb::wallet {

// The request body as a JSON object, or nullopt after answering 415 (a Content-Type other than
// application/json), 413 or 400 MALFORMED_JSON through `respond`.
std::optional<api::JsonObject> ParseBody(const HttpRequest& request, const Responder& respond);
// Whether the body is declared application/json; if not, answers 415 UNSUPPORTED_MEDIA_TYPE
// through `respond`. For bodies read otherwise than ParseBody (the marketing ones, with
// Boost.JSON after the strict parser's checks).
bool IsJson(const HttpRequest& request, const Responder& respond);

// {"error":{"code","message", ...extra}} with the table's status and Cache-Control: no-store,
// for errors that tell the caller more (tries left, a lock's end).
HttpResponse ErrorWith(api::ErrorCode code, std::string message,
                       const std::function<void(api::JsonObjectWriter&)>& extra);

// 400 FIELD_INVALID with the message "<field>: <why>".
HttpResponse FieldInvalid(std::string_view field, std::string_view why);

// The contract's error for an identity, card or staff command that did not succeed.
api::ApiError IdentityError(identity::IdentityResult result);

// Usernames of staff and merchant-portal users: lower-case letters, digits, '_', '.', '-';
// 3 to 32 characters, starting with a letter.
bool IsValidUsername(std::string_view name);
// ASCII letters lowered (usernames are compared as typed, case-insensitively).
std::string LowerAscii(std::string text);

// A decimal id from a path segment or a query ("17"), or nullopt (no sign, no leading zero,
// at most UINT64_MAX).
std::optional<uint64_t> ParseId(std::string_view text);

// {"id","username","display_name","roles":[...]}.
api::JsonObjectWriter StaffJson(const identity::Staff& staff);

// A hash to verify a password against when there is no account, so that an unknown name costs
// the same time as a wrong password.
const std::string& DummyPasswordHash(const WalletContext& context);

// Blocks until the read models include journal batch `seq`, at most `timeout_ns`. For worker
// threads only. False on timeout.
bool WaitForProjection(const WalletContext& context, uint64_t seq, int64_t timeout_ns);

// Revokes sessions in the engine, so a restart cannot revive them: ones the cache found
// expired (kUnspecified), or sign-outs, which the engine audits.
void RevokeInEngine(WalletContext& context, std::vector<std::string> token_hashes,
                    engine::SignOut reason = engine::SignOut::kUnspecified);

// The OpenAPI 3.0 document served at GET /api/openapi.json (openapi.json, compiled in).
std::string_view OpenApiDocument();

}  // namespace qb::wallet
