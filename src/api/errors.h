// The API's error vocabulary: every error a client can see has a stable code from one table
// (ErrorCode), a fixed HTTP status and a message that is safe to show. Messages are written by
// this module and name fields (a client-sent name is shortened) but never echo values, so a
// secret sent in a body cannot leak back.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "base/assert.h"
#include "server/http_server.h"

namespace qb::api {

// Stable codes. Clients match on the names (ErrorCodeName), so a name never changes meaning;
// new codes are appended.
enum class ErrorCode : uint8_t {
  kBadRequest,
  kMalformedJson,
  kUnknownField,
  kFieldRequired,
  kFieldInvalid,
  kPayloadTooLarge,
  kUnsupportedMediaType,
  kUnauthorized,
  kForbidden,
  kNotFound,
  kConflict,
  kIdempotencyKeyRequired,
  kIdempotencyKeyReused,      // Same key, different request body.
  kIdempotencyKeyInProgress,  // Same key while the first request is still being answered.
  kOverloaded,                // A bounded queue is full; answered with Retry-After.
  kStoreUnavailable,
  kInternal,
  // Domain codes.
  kInsufficientFunds,
  kLimitExceeded,
  kAccountNotFound,
  kAccountClosed,
  kDuplicate,
  // Identity, cards and wallet money movement (issue 3).
  kOtpTooFrequent,
  kOtpDailyLimit,
  kOtpInvalid,
  kOtpExpired,
  kOtpNotFound,
  kOtpTooManyTries,
  kPhoneTaken,
  kWeakPassword,
  kInvalidCredentials,
  kLoginLocked,
  kResidentIdInvalid,
  kRealNameInvalid,
  kIdentityMismatch,
  kIdentityNotFound,
  kIdentityTaken,
  kAlreadyVerified,
  kVerifierUnavailable,
  kIdentityRequired,
  kCardInvalid,
  kCardTaken,
  kCardLimit,
  kCardNotFound,
  kPayeeNotFound,
  kSameAccount,
  kBankDeclined,
  kBankUnavailable,
  // Merchants and payments (issue 4).
  kMerchantNotFound,
  kMerchantNotActive,
  kCreditCodeInvalid,
  kUsernameTaken,
  kSignatureInvalid,
  kNonceReplayed,
  kTimestampStale,
  kApiKeyLimit,
  kQrInvalid,
  kQrExpired,
  kOrderNotFound,
  kOrderNotOpen,
  kOrderExpired,
  kOrderExists,
  kAmountMismatch,
  kPaymentCodeInvalid,
  kPaymentCodeExpired,
  kPaymentCodeUsed,
  kPaymentNotFound,
  kPaymentNotCompleted,
  kNotAwaitingConfirmation,
  kRefundExceedsPayment,
  kMerchantInsufficientFunds,
  kDeviceNotRegistered,
  kInvoiceNotFound,
  kInvoiceUnavailable,
  kNfcInvalid,
  kNfcReplayed,
  kNfcKeysExhausted,
  kMerchantUserNotFound,  // Not a portal user of the caller's merchant.
  kLastOwner,             // The merchant must keep an active owner.
  kCannotDisableSelf,
  kUserDisabled,  // The portal user was disabled by an owner: no log-in.
  // Too many attempts at an authentication endpoint (log-in, sign-up, OTP): 429, with a
  // Retry-After the handler computes (the table's fixed value is 0).
  kRateLimited,
  // The payment PIN (支付密码).
  kPinRequired,    // The customer has a PIN: a payment from the balance must carry it.
  kPinWrong,       // Counted; the message says how many tries are left.
  kPinLocked,      // Too many wrong PINs; the message gives the unlock time.
  kPinTooWeak,     // The message names the policy's verdict (mfa::PaymentPinVerdictName).
  kPinNotSet,      // Changing a PIN that was never set.
  kPinAlreadySet,  // Setting a first PIN when one exists: change or reset it.
  // A state-changing console or merchant-portal request that a browser says came from another
  // site (Sec-Fetch-Site, Origin): 403. Sent by the HTTP server itself (server/web_security.h).
  kCsrfRejected,
  // Two-step log-in (TOTP, issue 5).
  kTotpRequired,        // Log-in: the password was right; send totp_code or recovery_code too.
  kTotpInvalid,         // A wrong or already used code, counted; the message gives tries left.
  kTotpLocked,          // Too many wrong codes; the message gives the unlock time.
  kTotpNotEnabled,      // Disabling (or using) two-step log-in that is not on.
  kTotpAlreadyEnabled,  // Enrolling while it is on: disable it first.
  kTotpNotPending,      // Confirming with no enrolment started.
  // Device keys (Ed25519 challenge signatures, issue 5).
  kChallengeInvalid,        // No such outstanding challenge (or for another device, purpose
                            // or context), or a malformed nonce or signature.
  kChallengeExpired,        // Older than 2 minutes: ask for a new one.
  kChallengeReplayed,       // Answered before.
  kDeviceSignatureInvalid,  // Counted towards the key's lockout; the message gives tries left.
  kDeviceKeyLimit,          // The customer has the most keys allowed (5).
  kDeviceKeyNotFound,       // Not one of the caller's device keys.
  kDeviceKeySuspended,      // Too many wrong signatures: bind the key again.
  kDeviceKeyTaken,          // The public key is registered already.
  kChallengeRequired,  // PBoC No. 43: the day's spending needs a stronger factor (the body says
                       // which would do); a merchant payment is held meanwhile.
  kBalanceNotZero,     // Closing the account: the wallet still holds money (or a hold).
};

struct ErrorCodeInfo {
  ErrorCode code;
  std::string_view name;  // E.g. "INSUFFICIENT_FUNDS".
  int http_status;
  int retry_after_seconds;  // Sent as Retry-After when > 0.
};

// The whole table, in enum order.
std::span<const ErrorCodeInfo> AllErrorCodes();
const ErrorCodeInfo& ErrorCodeInfoOf(ErrorCode code);
std::string_view ErrorCodeName(ErrorCode code);

struct ApiError {
  int http_status = 500;
  std::string code;     // A name from the table.
  std::string message;  // Safe to show to the client.
};

// An error with the status the table gives its code.
ApiError MakeError(ErrorCode code, std::string message);

// {"error":{"code":"...","message":"..."}} with the error's status, Cache-Control: no-store,
// and Retry-After where the code's table entry asks for it.
HttpResponse ErrorResponse(const ApiError& error);
inline HttpResponse ErrorResponse(ErrorCode code, std::string message) {
  return ErrorResponse(MakeError(code, std::move(message)));
}

// A value or the ApiError explaining why there is none. T must not be ApiError.
template <typename T>
class ApiResult {
 public:
  ApiResult(T value) : value_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit.
  ApiResult(ApiError error) : value_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return value_.index() == 0; }
  const T& value() const& {
    QB_ASSERT(ok());
    return std::get<0>(value_);
  }
  T& value() & {
    QB_ASSERT(ok());
    return std::get<0>(value_);
  }
  T&& value() && {
    QB_ASSERT(ok());
    return std::get<0>(std::move(value_));
  }
  const ApiError& error() const {
    QB_ASSERT(!ok());
    return std::get<1>(value_);
  }

 private:
  std::variant<T, ApiError> value_;
};

}  // namespace qb::api
