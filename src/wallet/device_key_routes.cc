// Device keys (issue 5): a phone or browser holds an Ed25519 private key and the server verifies
// signed challenges (mfa/device_key.h has the signed message's grammar).
//
//   POST   /api/v1/me/device-keys/challenge               {public_key} → a binding challenge
//   POST   /api/v1/me/device-keys                         {device_id, public_key, name, nonce,
//                                                          signature} → the registered key
//   GET    /api/v1/me/device-keys                         the customer's keys
//   DELETE /api/v1/me/device-keys/{device_id}
//   POST   /api/v1/me/device-keys/{device_id}/challenge   {purpose, payment_id?} → a
//                                                          payment_confirmation (context bound
//                                                          to the payment) or security_change
//                                                          challenge
//   POST   /api/v1/auth/device-challenge                  {phone, device_id} → a login challenge
//   POST   /api/v1/auth/device-login                      {phone, device_id, nonce, signature}
//                                                          → a session, as POST /sessions
// and RequireDeviceSignature (device_factor.h), the step-up other routes call.
//
// WebAuthn keys (mfa/webauthn.h) use the same routes with these shapes (byte strings base64url
// without padding):
//   POST /me/device-keys/challenge   {kind: "webauthn"} → a binding challenge plus
//                                    webauthn {rp_id, challenge}: the WebAuthn challenge is the
//                                    nonce's 32 bytes
//   POST /me/device-keys             {kind: "webauthn", device_id, name, nonce,
//                                     attestation_object, client_data_json}
//   answers (device-login, device_signature): {..., nonce, signature, authenticator_data,
//                                     client_data_json}, `signature` the assertion's signature
// The server's rp id and origin ([wallet] webauthn_rp_id / webauthn_origin) travel in the
// command, so the engine checks what this server expected when it took the request.
//
// Challenges are drawn here (mfa::NewChallenge: the nonce from the OS CSPRNG) and stored by the
// engine (command 48), which stamps them with its batch time; signatures are verified by the
// engine (49, 50), which consumes the challenge and counts wrong signatures, so replays and the
// lockout are decided once, in journal order.
//
// The log-in pair never says whether a phone or a device exists: the challenge endpoint answers
// a challenge either way (the engine refuses to store one for an unknown phone or device, so it
// can never be answered), and the log-in endpoint answers INVALID_CREDENTIALS for every refusal
// except a replayed or expired challenge, which only a holder of a real challenge can cause.
// Both are limited like password log-ins, per address and per phone.
#include <sodium.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "api/idempotency.h"
#include "base/digest.h"
#include "identity/phone.h"
#include "mfa/device_key_book.h"
#include "mfa/webauthn.h"
#include "server/log.h"
#include "wallet/auth_rate_limits.h"
#include "wallet/device_factor.h"
#include "wallet/handler_util.h"
#include "wallet/money_internal.h"
#include "wallet/sessions.h"

namespace qb::wallet {
namespace {

using api::ErrorCode;
using api::ErrorResponse;
using mfa::ChallengePurpose;
using mfa::DeviceKeyResult;

constexpr size_t kMaxPhoneInput = 32;
constexpr size_t kMaxIdInput = 20;  // UINT64_MAX has 20 digits.
constexpr size_t kNonceHexChars = 2 * mfa::kChallengeNonceBytes;
constexpr size_t kMaxKeyInput = 64;         // A key is 43 characters; longer is simply wrong.
constexpr size_t kMaxSignatureInput = 128;  // A signature is 86 (an ES256 one at most 96).
// WebAuthn byte strings as base64url text: 4 characters per 3 bytes.
constexpr size_t Base64UrlChars(size_t bytes) { return (bytes * 4 + 2) / 3; }

// The rp id and origin WebAuthn answers are checked against; nullopt (and an answer sent) when
// this server has WebAuthn off.
struct WebAuthnSite {
  std::string rp_id;
  std::string origin;
};
std::optional<WebAuthnSite> WebAuthnSiteOf(WalletContext& context, const Responder& respond) {
  const WalletOptions& options = Services(context).options;
  if (options.webauthn_origin.empty() || options.webauthn_rp_id.empty()) {
    respond(ErrorResponse(ErrorCode::kBadRequest,
                          "WebAuthn is not configured on this server; use the browser key"));
    return std::nullopt;
  }
  return WebAuthnSite{options.webauthn_rp_id, options.webauthn_origin};
}

std::string Base64Url(std::string_view bytes) {
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string text(sodium_base64_ENCODED_LEN(bytes.size(), kVariant), '\0');
  sodium_bin2base64(text.data(), text.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), kVariant);
  text.pop_back();  // the encoder's NUL
  return text;
}

std::string NonceHex(const mfa::ChallengeNonce& nonce) {
  std::string hex(2 * nonce.size() + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), nonce.data(), nonce.size());
  hex.pop_back();
  return hex;
}

// 64 lower-case hex digits, as NonceHex writes them.
std::optional<mfa::ChallengeNonce> ParseNonceHex(std::string_view hex) {
  if (hex.size() != kNonceHexChars ||
      hex.find_first_not_of("0123456789abcdef") != std::string_view::npos) {
    return std::nullopt;
  }
  mfa::ChallengeNonce nonce{};
  size_t length = 0;
  if (sodium_hex2bin(nonce.data(), nonce.size(), hex.data(), hex.size(), nullptr, &length,
                     nullptr) != 0 ||
      length != nonce.size()) {
    return std::nullopt;
  }
  return nonce;
}

// The challenge as the client needs it to sign: `message` is base64url of the exact bytes.
// A WebAuthn binding challenge adds webauthn {rp_id, challenge}.
HttpResponse ChallengeResponse(const mfa::Challenge& challenge,
                               std::optional<std::string_view> webauthn_rp_id = std::nullopt) {
  api::JsonObjectWriter json;
  json.String("device_id", std::to_string(challenge.device_id))
      .String("nonce", NonceHex(challenge.nonce))
      .String("purpose", mfa::ChallengePurposeName(challenge.purpose))
      .String("expires_at", Rfc3339(challenge.expires_ns))
      .String("message", Base64Url(mfa::ChallengeMessage(challenge)));
  if (webauthn_rp_id) {
    api::JsonObjectWriter webauthn;
    webauthn.String("rp_id", *webauthn_rp_id)
        .String("challenge",
                Base64Url(std::string_view(reinterpret_cast<const char*>(challenge.nonce.data()),
                                           challenge.nonce.size())));
    json.Object("webauthn", std::move(webauthn));
  }
  HttpResponse response = api::JsonResponse(201, json);
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

// The challenge the engine stored: the API's, stamped with the batch time.
mfa::Challenge AsIssued(mfa::Challenge challenge, const engine::Reply& reply) {
  challenge.issued_ns = reply.batch_time_ns;
  challenge.expires_ns = reply.batch_time_ns + mfa::kChallengeLifetimeNs;
  return challenge;
}

HttpResponse DeviceKeyRefusal(DeviceKeyResult result, const engine::Reply& reply) {
  switch (result) {
    case DeviceKeyResult::kKeyLimit:
      return ErrorResponse(ErrorCode::kDeviceKeyLimit,
                           "at most " + std::to_string(mfa::kMaxDeviceKeysPerCustomer) +
                               " device keys; remove one first");
    case DeviceKeyResult::kKeyNotFound:
    case DeviceKeyResult::kCustomerNotFound:
      return ErrorResponse(ErrorCode::kDeviceKeyNotFound, "no such device key");
    case DeviceKeyResult::kKeySuspended:
      return ErrorResponse(ErrorCode::kDeviceKeySuspended,
                           "too many wrong signatures; bind this device again");
    case DeviceKeyResult::kKeyTaken:
      return ErrorResponse(ErrorCode::kDeviceKeyTaken, "this key is registered already");
    case DeviceKeyResult::kChallengeBookFull:
    case DeviceKeyResult::kDuplicateNonce: {
      HttpResponse response =
          ErrorResponse(ErrorCode::kOverloaded, "no challenge can be issued now; retry");
      response.headers.emplace_back("Retry-After", "1");
      return response;
    }
    case DeviceKeyResult::kMalformedSignature:
      return ErrorResponse(ErrorCode::kChallengeInvalid,
                           "signature: base64url (no padding) of 64 bytes expected");
    case DeviceKeyResult::kUnknownChallenge:
      return ErrorResponse(ErrorCode::kChallengeInvalid,
                           "no such challenge for this device and purpose; ask for a new one");
    case DeviceKeyResult::kReplayed:
      return ErrorResponse(ErrorCode::kChallengeReplayed, "this challenge was answered already");
    case DeviceKeyResult::kExpired:
      return ErrorResponse(ErrorCode::kChallengeExpired,
                           "the challenge expired; ask for a new one");
    case DeviceKeyResult::kBadSignature:
      return ErrorWith(
          ErrorCode::kDeviceSignatureInvalid,
          "the signature does not verify; " + std::to_string(reply.value) + " tries left",
          [&](api::JsonObjectWriter& json) {
            json.Int("tries_left", static_cast<int64_t>(reply.value));
          });
    case DeviceKeyResult::kSuspendedNow:
      return ErrorResponse(ErrorCode::kDeviceKeySuspended,
                           "the signature does not verify; the key is suspended until bound again");
    // WebAuthn: neither counts towards the lockout; `reason` tells them apart.
    case DeviceKeyResult::kCloneWarning:
      return ErrorWith(ErrorCode::kDeviceSignatureInvalid,
                       "the authenticator's signature counter did not rise (a cloned "
                       "authenticator?); bind this device again",
                       [](api::JsonObjectWriter& json) { json.String("reason", "clone_warning"); });
    case DeviceKeyResult::kUserNotVerified:
      return ErrorWith(
          ErrorCode::kDeviceSignatureInvalid,
          "this needs user verification (fingerprint, face or PIN) on the device",
          [](api::JsonObjectWriter& json) { json.String("reason", "user_not_verified"); });
    case DeviceKeyResult::kOk:
    case DeviceKeyResult::kInvalid:
      break;
  }
  return ErrorResponse(ErrorCode::kBadRequest, "the request was refused");
}

api::JsonObjectWriter KeyJson(const mfa::DeviceKey& key) {
  api::JsonObjectWriter json;
  json.String("device_id", std::to_string(key.device_id))
      .String("name", key.name)
      .String("kind", key.kind == mfa::DeviceKeyKind::kWebAuthn ? "webauthn" : "ed25519");
  if (key.public_key) {
    json.String("public_key", key.public_key->ToBase64Url());
  } else {
    json.Null("public_key");
    json.String("credential_id", mfa::EncodeBase64Url(key.credential_id));
  }
  json.String("created_at", Rfc3339(key.created_ns));
  if (key.last_used_ns != 0) {
    json.String("last_used_at", Rfc3339(key.last_used_ns));
  } else {
    json.Null("last_used_at");
  }
  json.String("status", key.suspended ? "suspended" : "active");
  return json;
}

// Submits a device-key command and calls `then` on kOk; refusals answer through `respond`.
void SubmitDeviceCommand(WalletContext& context, engine::Command command, const Responder& respond,
                         std::function<void(const engine::Reply&)> then) {
  SubmitCommand(context, std::move(command), respond,
                [respond, then = std::move(then)](uint8_t result, const engine::Reply& reply) {
                  const auto code = static_cast<DeviceKeyResult>(result);
                  if (code != DeviceKeyResult::kOk) return respond(DeviceKeyRefusal(code, reply));
                  then(reply);
                });
}

// --- POST /me/device-keys/challenge ---

// {kind: "webauthn"}: the credential does not exist yet, so the context names only the customer.
void WebAuthnBindingChallenge(WalletContext& context, const Principal& principal,
                              const HttpRequest& request, const Responder& respond) {
  std::optional<WebAuthnSite> site = WebAuthnSiteOf(context, respond);
  if (!site) return;
  if (!AdmitAuthAttempt(context, AuthAction::kCustomerLogIn, request,
                        "device-binding:" + std::to_string(principal.id), respond)) {
    return;
  }
  const mfa::Challenge challenge =
      mfa::NewChallenge(0, ChallengePurpose::kDeviceBinding, Services(context).clock->NowNs(),
                        mfa::DeviceKeyBook::WebAuthnBindingContext(principal.id));
  SubmitDeviceCommand(context, engine::IssueDeviceChallenge{principal.id, challenge}, respond,
                      [challenge, respond, rp_id = site->rp_id](const engine::Reply& reply) {
                        mfa::Challenge issued = AsIssued(challenge, reply);
                        issued.device_id = reply.value;
                        respond(ChallengeResponse(issued, rp_id));
                      });
}

void BindingChallenge(WalletContext& context, const Principal& principal, HttpRequest&& request,
                      Responder respond) {
  std::optional<api::JsonObject> body = ParseBody(request, respond);
  if (!body) return;
  api::ObjectReader reader(*body);
  const std::optional<std::string> kind = reader.OptionalString("kind", 16);
  if (kind && *kind == "webauthn") {
    if (auto error = reader.Finish()) return respond(ErrorResponse(*error));
    return WebAuthnBindingChallenge(context, principal, request, respond);
  }
  if (kind && *kind != "ed25519") return respond(FieldInvalid("kind", "ed25519 or webauthn"));
  const std::string key_text = reader.RequiredString("public_key", kMaxKeyInput);
  if (auto error = reader.Finish()) return respond(ErrorResponse(*error));
  std::optional<mfa::DevicePublicKey> key = mfa::DevicePublicKey::FromBase64Url(key_text);
  if (!key) return respond(FieldInvalid("public_key", "base64url of a 32-byte Ed25519 key"));
  // Every binding challenge takes a new device id and a place in the engine's challenge book
  // until it expires: limited per customer like log-ins, so one customer cannot fill the book.
  if (!AdmitAuthAttempt(context, AuthAction::kCustomerLogIn, request,
                        "device-binding:" + std::to_string(principal.id), respond)) {
    return;
  }
  const mfa::Challenge challenge =
      mfa::NewChallenge(0, ChallengePurpose::kDeviceBinding, Services(context).clock->NowNs(),
                        mfa::DeviceKeyBook::BindingContext(principal.id, *key));
  SubmitDeviceCommand(context, engine::IssueDeviceChallenge{principal.id, challenge}, respond,
                      [challenge, respond](const engine::Reply& reply) {
                        mfa::Challenge issued = AsIssued(challenge, reply);
                        issued.device_id = reply.value;
                        respond(ChallengeResponse(issued));
                      });
}

// --- POST /me/device-keys ---

// {kind: "webauthn", device_id, name, nonce, attestation_object, client_data_json}. The
// attestation object is opened here (its authData goes to the engine, which checks it); the
// route refuses what can never verify with a field error first.
void RegisterWebAuthn(WalletContext& context, const Principal& principal, api::ObjectReader& reader,
                      const Responder& respond) {
  const std::string device_text = reader.RequiredString("device_id", kMaxIdInput);
  std::string name = reader.RequiredString("name", mfa::kMaxDeviceNameChars);
  const std::string nonce_text = reader.RequiredString("nonce", kNonceHexChars);
  const std::string attestation_text =
      reader.RequiredString("attestation_object", Base64UrlChars(mfa::kMaxAttestationObjectBytes));
  const std::string client_text =
      reader.RequiredString("client_data_json", Base64UrlChars(mfa::kMaxClientDataJsonBytes));
  if (auto error = reader.Finish()) return respond(ErrorResponse(*error));
  const std::optional<uint64_t> device_id = ParseId(device_text);
  if (!device_id || *device_id == 0) return respond(FieldInvalid("device_id", "a decimal id"));
  const std::optional<mfa::ChallengeNonce> nonce = ParseNonceHex(nonce_text);
  if (!nonce) return respond(FieldInvalid("nonce", "64 lower-case hex digits"));
  const std::optional<std::string> attestation =
      mfa::DecodeBase64Url(attestation_text, mfa::kMaxAttestationObjectBytes);
  const std::optional<std::string> auth_data =
      attestation ? mfa::AuthenticatorDataOfAttestation(*attestation) : std::nullopt;
  const std::optional<mfa::AuthenticatorData> parsed =
      auth_data ? mfa::ParseAuthenticatorData(*auth_data) : std::nullopt;
  if (!parsed || (parsed->flags & mfa::kAuthDataAttestedCredential) == 0 ||
      !mfa::ParseCoseKey(parsed->cose_key)) {
    return respond(FieldInvalid("attestation_object",
                                "base64url of a WebAuthn attestation object with an ES256 or "
                                "EdDSA credential"));
  }
  std::optional<std::string> client_data =
      mfa::DecodeBase64Url(client_text, mfa::kMaxClientDataJsonBytes);
  if (!client_data || !mfa::ParseClientData(*client_data)) {
    return respond(FieldInvalid("client_data_json", "base64url of the clientDataJSON"));
  }
  // The key stands for the customer's fingerprint or face, so the authenticator must have
  // verified the user when it made the key, not only seen them present (a security key
  // touched by whoever holds the phone). Checked here, before the engine, so that journals
  // from before this check replay as they ran; the challenge stays unused.
  if ((parsed->flags & mfa::kAuthDataUserVerified) == 0) {
    return respond(ErrorWith(
        ErrorCode::kDeviceSignatureInvalid,
        "binding a device needs user verification (fingerprint, face or PIN) on the device",
        [](api::JsonObjectWriter& json) { json.String("reason", "user_not_verified"); }));
  }
  std::optional<WebAuthnSite> site = WebAuthnSiteOf(context, respond);
  if (!site) return;
  engine::RegisterDeviceKey command;
  command.customer_id = principal.id;
  command.device_id = *device_id;
  command.name = name;
  command.nonce = *nonce;
  command.key_kind = static_cast<uint8_t>(mfa::DeviceKeyKind::kWebAuthn);
  command.authenticator_data = *auth_data;
  command.client_data_json = std::move(*client_data);
  command.rp_id = site->rp_id;
  command.origin = site->origin;
  SubmitDeviceCommand(
      context, std::move(command), respond,
      [id = principal.id, device_id = *device_id, credential = parsed->credential_id, name,
       respond](const engine::Reply& reply) {
        LogInfo("WebAuthn device key bound",
                {{"customer_id", std::to_string(id)}, {"device_id", std::to_string(device_id)}});
        mfa::DeviceKey registered{.device_id = device_id,
                                  .customer_id = id,
                                  .name = name,
                                  .created_ns = reply.batch_time_ns,
                                  .kind = mfa::DeviceKeyKind::kWebAuthn,
                                  .credential_id = credential};
        HttpResponse response = api::JsonResponse(201, KeyJson(registered));
        response.headers.emplace_back("Cache-Control", "no-store");
        respond(std::move(response));
      });
}

void Register(WalletContext& context, const Principal& principal, HttpRequest&& request,
              Responder respond) {
  std::optional<api::JsonObject> body = ParseBody(request, respond);
  if (!body) return;
  api::ObjectReader reader(*body);
  const std::optional<std::string> kind = reader.OptionalString("kind", 16);
  if (kind && *kind == "webauthn") return RegisterWebAuthn(context, principal, reader, respond);
  if (kind && *kind != "ed25519") return respond(FieldInvalid("kind", "ed25519 or webauthn"));
  const std::string device_text = reader.RequiredString("device_id", kMaxIdInput);
  const std::string key_text = reader.RequiredString("public_key", kMaxKeyInput);
  std::string name = reader.RequiredString("name", mfa::kMaxDeviceNameChars);
  const std::string nonce_text = reader.RequiredString("nonce", kNonceHexChars);
  std::string signature = reader.RequiredString("signature", kMaxSignatureInput);
  if (auto error = reader.Finish()) return respond(ErrorResponse(*error));
  const std::optional<uint64_t> device_id = ParseId(device_text);
  if (!device_id || *device_id == 0) return respond(FieldInvalid("device_id", "a decimal id"));
  std::optional<mfa::DevicePublicKey> key = mfa::DevicePublicKey::FromBase64Url(key_text);
  if (!key) return respond(FieldInvalid("public_key", "base64url of a 32-byte Ed25519 key"));
  const std::optional<mfa::ChallengeNonce> nonce = ParseNonceHex(nonce_text);
  if (!nonce) return respond(FieldInvalid("nonce", "64 lower-case hex digits"));
  engine::RegisterDeviceKey command;
  command.customer_id = principal.id;
  command.device_id = *device_id;
  command.public_key =
      std::string(reinterpret_cast<const char*>(key->bytes().data()), key->bytes().size());
  command.name = name;
  command.nonce = *nonce;
  command.signature = std::move(signature);
  SubmitDeviceCommand(context, std::move(command), respond,
                      [id = principal.id, device_id = *device_id, key = *key, name,
                       respond](const engine::Reply& reply) {
                        LogInfo("device key bound", {{"customer_id", std::to_string(id)},
                                                     {"device_id", std::to_string(device_id)}});
                        mfa::DeviceKey registered{.device_id = device_id,
                                                  .customer_id = id,
                                                  .public_key = key,
                                                  .name = name,
                                                  .created_ns = reply.batch_time_ns};
                        HttpResponse response = api::JsonResponse(201, KeyJson(registered));
                        response.headers.emplace_back("Cache-Control", "no-store");
                        respond(std::move(response));
                      });
}

// --- GET /me/device-keys ---

void List(WalletContext& context, const Principal& principal, HttpRequest&&, Responder respond) {
  ReadEngine<std::vector<mfa::DeviceKey>>(
      context, respond,
      [id = principal.id](const engine::StateMachine& state) {
        std::vector<mfa::DeviceKey> keys;
        for (const mfa::DeviceKey* key : state.device_keys().KeysOf(id)) keys.push_back(*key);
        return keys;
      },
      [respond](std::vector<mfa::DeviceKey> keys) {
        api::JsonArrayWriter list;
        for (const mfa::DeviceKey& key : keys) list.Object(KeyJson(key));
        api::JsonObjectWriter json;
        json.Array("device_keys", std::move(list));
        HttpResponse response = api::JsonResponse(200, json);
        response.headers.emplace_back("Cache-Control", "no-store");
        respond(std::move(response));
      });
}

// --- DELETE /me/device-keys/{device_id} ---

void Remove(WalletContext& context, const Principal& principal, HttpRequest&& request,
            Responder respond) {
  const std::optional<uint64_t> device_id = ParseId(request.PathParam("device_id"));
  if (!device_id)
    return respond(ErrorResponse(ErrorCode::kDeviceKeyNotFound, "no such device key"));
  SubmitDeviceCommand(context, engine::RemoveDeviceKey{principal.id, *device_id}, respond,
                      [id = principal.id, device_id = *device_id, respond](const engine::Reply&) {
                        LogInfo("device key removed", {{"customer_id", std::to_string(id)},
                                                       {"device_id", std::to_string(device_id)}});
                        HttpResponse response;
                        response.status = 204;
                        response.headers.emplace_back("Cache-Control", "no-store");
                        respond(std::move(response));
                      });
}

// --- POST /me/device-keys/{device_id}/challenge ---

void IssueStepUpChallenge(WalletContext& context, uint64_t customer_id, uint64_t device_id,
                          ChallengePurpose purpose, std::string challenge_context,
                          const Responder& respond) {
  const mfa::Challenge challenge =
      mfa::NewChallenge(device_id, purpose, Services(context).clock->NowNs(), challenge_context);
  SubmitDeviceCommand(context, engine::IssueDeviceChallenge{customer_id, challenge}, respond,
                      [challenge, respond](const engine::Reply& reply) {
                        respond(ChallengeResponse(AsIssued(challenge, reply)));
                      });
}

void StepUpChallenge(WalletContext& context, const Principal& principal, HttpRequest&& request,
                     Responder respond) {
  const std::optional<uint64_t> device_id = ParseId(request.PathParam("device_id"));
  if (!device_id)
    return respond(ErrorResponse(ErrorCode::kDeviceKeyNotFound, "no such device key"));
  std::optional<api::JsonObject> body = ParseBody(request, respond);
  if (!body) return;
  api::ObjectReader reader(*body);
  const std::string purpose_name =
      reader.RequiredEnum("purpose", {"payment_confirmation", "security_change"});
  const std::optional<std::string> payment_text = reader.OptionalString("payment_id", kMaxIdInput);
  // A transfer to be sent: what it will carry (see TransferChallengeContext).
  std::optional<api::JsonObject> transfer = reader.OptionalObject("transfer");
  if (auto error = reader.Finish()) return respond(ErrorResponse(*error));
  const uint64_t id = principal.id;
  if (purpose_name == "security_change") {
    if (payment_text || transfer) {
      return respond(
          FieldInvalid(payment_text ? "payment_id" : "transfer", "only for payment_confirmation"));
    }
    return IssueStepUpChallenge(context, id, *device_id, ChallengePurpose::kSecurityChange, "",
                                respond);
  }
  if (transfer) {
    if (payment_text) return respond(FieldInvalid("transfer", "give a payment_id or a transfer"));
    api::ObjectReader fields(*transfer);
    const std::string to_phone = fields.RequiredString("to_phone", kMaxPhoneInput);
    const int64_t amount_fen = fields.RequiredAmount("amount");
    const std::string key = fields.RequiredString("idempotency_key", api::kMaxIdempotencyKeyLength);
    if (auto error = fields.Finish()) return respond(ErrorResponse(*error));
    const std::optional<std::string> phone = identity::NormalizePhone(to_phone);
    if (!phone) return respond(FieldInvalid("to_phone", "not a mainland mobile number"));
    return IssueStepUpChallenge(context, id, *device_id, ChallengePurpose::kPaymentConfirmation,
                                TransferChallengeContext(key, *phone, amount_fen), respond);
  }
  if (!payment_text) {
    return respond(FieldInvalid("payment_id", "is required for this purpose (or a transfer)"));
  }
  const std::optional<uint64_t> payment_id = ParseId(*payment_text);
  if (!payment_id) return respond(ErrorResponse(ErrorCode::kNotFound, "no such payment"));
  ReadEngine<std::optional<int64_t>>(
      context, respond,
      [id, payment_id = *payment_id](const engine::StateMachine& state) -> std::optional<int64_t> {
        const payments::Payment* payment = state.payments().FindPayment(payment_id);
        if (payment == nullptr || payment->customer_id != id) return std::nullopt;
        return payment->amount_fen;
      },
      [&context, id, device_id = *device_id, payment_id = *payment_id,
       respond](std::optional<int64_t> amount_fen) {
        if (!amount_fen) return respond(ErrorResponse(ErrorCode::kNotFound, "no such payment"));
        IssueStepUpChallenge(context, id, device_id, ChallengePurpose::kPaymentConfirmation,
                             PaymentChallengeContext(payment_id, *amount_fen), respond);
      });
}

// The WebAuthn tail of an answer: decodes the base64url texts into `command` with this server's
// rp id and origin. Nothing to do when both are empty (an Ed25519 answer); false, with an answer
// sent, when they are malformed, only one is given, or WebAuthn is off.
bool FillWebAuthnAnswer(WalletContext& context, std::string_view auth_text,
                        std::string_view client_text, engine::AnswerDeviceChallenge* command,
                        const Responder& respond) {
  if (auth_text.empty() && client_text.empty()) return true;
  std::optional<std::string> auth =
      mfa::DecodeBase64Url(auth_text, mfa::kMaxAuthenticatorDataBytes);
  std::optional<std::string> client =
      mfa::DecodeBase64Url(client_text, mfa::kMaxClientDataJsonBytes);
  if (!auth || !client || auth->empty() || client->empty()) {
    respond(FieldInvalid("authenticator_data",
                         "authenticator_data and client_data_json: base64url, both or neither"));
    return false;
  }
  std::optional<WebAuthnSite> site = WebAuthnSiteOf(context, respond);
  if (!site) return false;
  command->webauthn = true;
  command->authenticator_data = std::move(*auth);
  command->client_data_json = std::move(*client);
  command->rp_id = site->rp_id;
  command->origin = site->origin;
  return true;
}

// --- POST /auth/device-challenge and /auth/device-login ---

// The customer id of `phone`, 0 when none, read at its place in the command order.
void LookUpPhone(WalletContext& context, std::string phone, const Responder& respond,
                 std::function<void(uint64_t)> then) {
  ReadEngine<uint64_t>(
      context, respond,
      [phone = std::move(phone)](const engine::StateMachine& state) -> uint64_t {
        const identity::Customer* customer = state.customers().FindByPhone(phone);
        return customer == nullptr ? 0 : customer->id;
      },
      std::move(then));
}

HttpResponse InvalidCredentials() {
  return ErrorResponse(ErrorCode::kInvalidCredentials,
                       "the phone, the device or the signature is wrong");
}

void LogInChallenge(WalletContext& context, HttpRequest&& request, Responder respond) {
  std::optional<api::JsonObject> body = ParseBody(request, respond);
  if (!body) return;
  api::ObjectReader reader(*body);
  const std::string phone_input = reader.RequiredString("phone", kMaxPhoneInput);
  const std::string device_text = reader.RequiredString("device_id", kMaxIdInput);
  if (auto error = reader.Finish()) return respond(ErrorResponse(*error));
  const std::optional<uint64_t> device_id = ParseId(device_text);
  if (!device_id) return respond(FieldInvalid("device_id", "a decimal id"));
  // A malformed phone is just an account that does not exist.
  std::string phone = identity::NormalizePhone(phone_input).value_or("");
  if (!AdmitAuthAttempt(context, AuthAction::kCustomerLogIn, request, phone, respond)) return;
  LookUpPhone(context, std::move(phone), respond,
              [&context, device_id = *device_id, respond](uint64_t customer_id) {
                const mfa::Challenge challenge = mfa::NewChallenge(
                    device_id, ChallengePurpose::kLogin, Services(context).clock->NowNs(), "");
                // Stored only when the phone and device exist; the answer is the same either
                // way, so the challenge tells nothing about either.
                SubmitCommand(context, engine::IssueDeviceChallenge{customer_id, challenge},
                              respond,
                              [challenge, respond](uint8_t result, const engine::Reply& reply) {
                                const auto code = static_cast<DeviceKeyResult>(result);
                                if (code == DeviceKeyResult::kChallengeBookFull ||
                                    code == DeviceKeyResult::kDuplicateNonce) {
                                  return respond(DeviceKeyRefusal(code, reply));
                                }
                                respond(ChallengeResponse(AsIssued(challenge, reply)));
                              });
              });
}

void LogIn(WalletContext& context, HttpRequest&& request, Responder respond) {
  std::optional<api::JsonObject> body = ParseBody(request, respond);
  if (!body) return;
  api::ObjectReader reader(*body);
  const std::string phone_input = reader.RequiredString("phone", kMaxPhoneInput);
  const std::string device_text = reader.RequiredString("device_id", kMaxIdInput);
  const std::string nonce_text = reader.RequiredString("nonce", kNonceHexChars);
  std::string signature = reader.RequiredString("signature", kMaxSignatureInput);
  // A WebAuthn key's assertion (both or neither).
  const std::string auth_text =
      reader.OptionalString("authenticator_data", Base64UrlChars(mfa::kMaxAuthenticatorDataBytes))
          .value_or("");
  const std::string client_text =
      reader.OptionalString("client_data_json", Base64UrlChars(mfa::kMaxClientDataJsonBytes))
          .value_or("");
  if (auto error = reader.Finish()) return respond(ErrorResponse(*error));
  const std::optional<uint64_t> device_id = ParseId(device_text);
  if (!device_id) return respond(FieldInvalid("device_id", "a decimal id"));
  const std::optional<mfa::ChallengeNonce> nonce = ParseNonceHex(nonce_text);
  if (!nonce) return respond(FieldInvalid("nonce", "64 lower-case hex digits"));
  engine::AnswerDeviceChallenge webauthn;
  if (!FillWebAuthnAnswer(context, auth_text, client_text, &webauthn, respond)) return;
  std::string phone = identity::NormalizePhone(phone_input).value_or("");
  if (!AdmitAuthAttempt(context, AuthAction::kCustomerLogIn, request, phone, respond)) return;
  auto shared_request = std::make_shared<HttpRequest>(std::move(request));
  LookUpPhone(context, std::move(phone), respond,
              [&context, device_id = *device_id, nonce = *nonce, signature = std::move(signature),
               webauthn = std::move(webauthn), shared_request, respond](uint64_t customer_id) {
                engine::AnswerDeviceChallenge command = webauthn;
                command.customer_id = customer_id;
                command.device_id = device_id;
                command.purpose = ChallengePurpose::kLogin;
                command.nonce = nonce;
                command.signature = signature;
                SubmitCommand(
                    context, std::move(command), respond,
                    [&context, customer_id, device_id, shared_request, respond](
                        uint8_t result, const engine::Reply& reply) {
                      const auto code = static_cast<DeviceKeyResult>(result);
                      if (code == DeviceKeyResult::kReplayed || code == DeviceKeyResult::kExpired) {
                        return respond(DeviceKeyRefusal(code, reply));
                      }
                      if (code != DeviceKeyResult::kOk) return respond(InvalidCredentials());
                      LogInfo("customer logged in with a device key",
                              {{"customer_id", std::to_string(customer_id)},
                               {"device_id", std::to_string(device_id)}});
                      IssueDeviceLogInSession(context, customer_id, *shared_request, respond);
                    });
              });
}

using CustomerHandler = void (*)(WalletContext&, const Principal&, HttpRequest&&, Responder);

}  // namespace

std::optional<DeviceSignature> ReadDeviceSignature(api::ObjectReader& reader) {
  std::optional<api::JsonObject> object = reader.OptionalObject("device_signature");
  if (!object) return std::nullopt;
  api::ObjectReader inner(*object);
  const std::string device_text = inner.RequiredString("device_id", kMaxIdInput);
  std::string nonce = inner.RequiredString("nonce", kNonceHexChars);
  std::string signature = inner.RequiredString("signature", kMaxSignatureInput);
  std::string auth_text =
      inner.OptionalString("authenticator_data", Base64UrlChars(mfa::kMaxAuthenticatorDataBytes))
          .value_or("");
  std::string client_text =
      inner.OptionalString("client_data_json", Base64UrlChars(mfa::kMaxClientDataJsonBytes))
          .value_or("");
  if (auto error = inner.Finish()) {
    error->message = "device_signature: " + error->message;
    reader.Adopt(std::move(*error));
    return std::nullopt;
  }
  const std::optional<uint64_t> device_id = ParseId(device_text);
  if (!device_id || !ParseNonceHex(nonce)) {
    reader.Adopt(api::MakeError(ErrorCode::kFieldInvalid,
                                !device_id ? "device_signature: field \"device_id\" must be a "
                                             "decimal id"
                                           : "device_signature: field \"nonce\" must be 64 "
                                             "lower-case hex digits"));
    return std::nullopt;
  }
  return DeviceSignature{*device_id, std::move(nonce), std::move(signature), std::move(auth_text),
                         std::move(client_text)};
}

void RequireDeviceSignature(WalletContext& context, uint64_t customer_id,
                            const DeviceSignature& signature, mfa::ChallengePurpose purpose,
                            std::string expected_context, const Responder& respond,
                            std::function<void()> proceed) {
  const std::optional<mfa::ChallengeNonce> nonce = ParseNonceHex(signature.nonce_hex);
  if (!nonce) {
    return respond(ErrorResponse(ErrorCode::kChallengeInvalid, "nonce: 64 lower-case hex digits"));
  }
  if (expected_context.size() > mfa::kMaxChallengeContextBytes) {
    return respond(ErrorResponse(ErrorCode::kChallengeInvalid, "no such challenge"));
  }
  engine::AnswerDeviceChallenge command;
  if (!FillWebAuthnAnswer(context, signature.authenticator_data, signature.client_data_json,
                          &command, respond)) {
    return;
  }
  command.customer_id = customer_id;
  command.device_id = signature.device_id;
  command.purpose = purpose;
  command.context = std::move(expected_context);
  command.nonce = *nonce;
  command.signature = signature.signature;
  SubmitDeviceCommand(context, std::move(command), respond,
                      [proceed = std::move(proceed)](const engine::Reply&) { proceed(); });
}

std::string PaymentChallengeContext(uint64_t payment_id, int64_t amount_fen) {
  return "payment:" + std::to_string(payment_id) + ":" + std::to_string(amount_fen);
}

std::string TransferChallengeContext(std::string_view idempotency_key, std::string_view to_phone,
                                     int64_t amount_fen) {
  return "transfer:" + DigestHex(HashBytes(idempotency_key)).substr(0, 16) + ":" +
         std::string(to_phone) + ":" + std::to_string(amount_fen);
}

void AddDeviceKeyRoutes(Router& router, WalletContext& context) {
  WalletContext* shared = &context;
  auto customer = [shared](CustomerHandler handler) {
    return [shared, handler](HttpRequest&& request, Responder respond) {
      std::optional<Principal> principal = RequireCustomer(*shared, request, respond);
      if (principal) handler(*shared, *principal, std::move(request), std::move(respond));
    };
  };
  router.Add("POST", "/api/v1/me/device-keys/challenge", customer(BindingChallenge));
  // Binding a device key (a new way to log in) rotates the session: sessions.h.
  router.Add("POST", "/api/v1/me/device-keys", RotatesSession(context, customer(Register)));
  router.Add("GET", "/api/v1/me/device-keys", customer(List));
  router.Add("DELETE", "/api/v1/me/device-keys/{device_id}", customer(Remove));
  router.Add("POST", "/api/v1/me/device-keys/{device_id}/challenge", customer(StepUpChallenge));
  router.Add("POST", "/api/v1/auth/device-challenge",
             [shared](HttpRequest&& request, Responder respond) {
               LogInChallenge(*shared, std::move(request), std::move(respond));
             });
  router.Add("POST", "/api/v1/auth/device-login",
             [shared](HttpRequest&& request, Responder respond) {
               LogIn(*shared, std::move(request), std::move(respond));
             });
}

}  // namespace qb::wallet
