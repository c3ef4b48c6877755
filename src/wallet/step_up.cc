#include "wallet/step_up.h"

#include <memory>
#include <utility>

#include "identity/otp.h"
#include "ratelimit/ip_key.h"
#include "wallet/handler_util.h"
#include "wallet/money_internal.h"
#include "wallet/totp_internal.h"

namespace qb::wallet {
namespace {

using api::ErrorCode;

constexpr size_t kMaxDeviceIdChars = 64;
constexpr size_t kMaxCodeChars = 16;  // Longer is not six digits either; bounded anyway.

bool IsSixDigits(const std::string& code) {
  return code.size() == 6 && code.find_first_not_of("0123456789") == std::string::npos;
}

bool IsDeviceIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

// The SMS code, hashed as IssueOtp stored it (keyed by the customer's phone), into `auth`.
void HashSmsCode(WalletContext& context, uint64_t customer_id, std::string code,
                 engine::PaymentAuth auth, const Responder& respond,
                 std::function<void(engine::PaymentAuth)> proceed) {
  ReadEngine<std::string>(
      context, respond,
      [customer_id](const engine::StateMachine& state) {
        const identity::Customer* c = state.customers().FindById(customer_id);
        return c == nullptr ? std::string() : c->phone;
      },
      [&context, code = std::move(code), auth = std::move(auth), respond,
       proceed = std::move(proceed)](std::string phone) mutable {
        if (phone.empty()) return respond(ErrorResponse(ErrorCode::kNotFound, "no such customer"));
        auth.otp_hash = identity::HashOtp(code, phone, *Services(context).otp_pepper);
        proceed(std::move(auth));
      });
}

}  // namespace

std::string DeviceIdOf(const HttpRequest& request) {
  const std::string_view id = request.Header(kDeviceIdHeader);
  if (id.empty() || id.size() > kMaxDeviceIdChars) return "";
  for (char c : id) {
    if (!IsDeviceIdChar(c)) return "";
  }
  return std::string(id);
}

std::string DeviceHash(WalletContext& context, std::string_view device_id) {
  if (device_id.empty()) return "";
  // Under the look-up key with its own prefix, so it matches no card or ID hash.
  return Services(context).vault->LookupHash("device:" + std::string(device_id));
}

std::string IpHash(WalletContext& context, std::string_view remote_address) {
  const std::optional<std::string> key = ratelimit::IpRateLimitKey(remote_address);
  if (!key) return "";
  // Its own prefix again: an IP's hash matches no device, card or ID hash.
  return Services(context).vault->LookupHash("ip:" + *key);
}

std::string AuditIpTag(WalletContext& context, std::string_view remote_address) {
  return IpHash(context, remote_address).substr(0, 16);
}

PaymentFactors ReadPaymentFactors(api::ObjectReader& reader) {
  PaymentFactors factors;
  factors.sms_code = reader.OptionalString("sms_code", kMaxCodeChars);
  factors.totp_code = reader.OptionalString("totp_code", kMaxCodeChars);
  factors.device_signature = ReadDeviceSignature(reader);
  return factors;
}

std::optional<HttpResponse> FactorProblem(const PaymentFactors& factors) {
  if (factors.sms_code && !IsSixDigits(*factors.sms_code)) {
    return FieldInvalid("sms_code", "six digits expected");
  }
  if (factors.totp_code && !IsSixDigits(*factors.totp_code)) {
    return FieldInvalid("totp_code", "six digits expected");
  }
  return std::nullopt;
}

void AuthenticatePayment(WalletContext& context, uint64_t customer_id, const HttpRequest& request,
                         PaymentFactors factors, std::string device_context,
                         const Responder& respond,
                         std::function<void(engine::PaymentAuth)> proceed) {
  engine::PaymentAuth auth;
  auth.device_hash = DeviceHash(context, DeviceIdOf(request));
  auth.ip_hash = IpHash(context, request.remote_address);
  // After the TOTP code or the signature: the SMS code last, hashed for the engine.
  auto finish = [&context, customer_id, sms = std::move(factors.sms_code), respond,
                 proceed = std::move(proceed)](engine::PaymentAuth checked) mutable {
    if (!sms) return proceed(std::move(checked));
    HashSmsCode(context, customer_id, std::move(*sms), std::move(checked), respond,
                std::move(proceed));
  };
  if (factors.device_signature) {
    if (device_context.empty()) {
      return respond(FieldInvalid("device_signature", "nothing here can be signed"));
    }
    auth.strength = identity::AuthStrength::kDeviceSignature;
    return RequireDeviceSignature(
        context, customer_id, *factors.device_signature,
        mfa::ChallengePurpose::kPaymentConfirmation, std::move(device_context), respond,
        [auth, finish = std::move(finish)]() mutable { finish(std::move(auth)); });
  }
  if (factors.totp_code) {
    auth.strength = identity::AuthStrength::kTwoFactors;
    return RequireTotpCode(
        context, customer_id, std::move(*factors.totp_code), respond,
        [auth, finish = std::move(finish)]() mutable { finish(std::move(auth)); });
  }
  finish(std::move(auth));
}

HttpResponse ChallengeRequired(identity::AuthStrength needed, uint64_t payment_id,
                               int64_t expires_ns, bool transfer) {
  const bool device_only = needed == identity::AuthStrength::kDeviceSignature;
  std::string message =
      device_only ? "today's payments need this phone's device key: confirm with it"
                  : "today's payments need a second factor: add an SMS or authenticator code";
  if (payment_id != 0) message += "; the payment is held until then";
  return ErrorWith(ErrorCode::kChallengeRequired, std::move(message),
                   [&](api::JsonObjectWriter& json) {
                     api::JsonArrayWriter factors;
                     if (!device_only) factors.String("sms_code").String("totp_code");
                     // A device signature binds a held payment, or a transfer's repeat.
                     if (payment_id != 0 || transfer) factors.String("device_signature");
                     json.String("needed", identity::AuthStrengthName(needed))
                         .Array("factors", std::move(factors));
                     if (payment_id != 0) {
                       json.String("payment_id", std::to_string(payment_id))
                           .String("expires_at", Rfc3339(expires_ns));
                     }
                   });
}

}  // namespace qb::wallet
