#include "api/errors.h"

#include <array>

namespace qb::api {
namespace {

// The one place that ties a code to its name and status. Indexed by ErrorCode.
constexpr std::array<ErrorCodeInfo, 105> kErrorCodes = {{
    {ErrorCode::kBadRequest, "BAD_REQUEST", 400, 0},
    {ErrorCode::kMalformedJson, "MALFORMED_JSON", 400, 0},
    {ErrorCode::kUnknownField, "UNKNOWN_FIELD", 400, 0},
    {ErrorCode::kFieldRequired, "FIELD_REQUIRED", 400, 0},
    {ErrorCode::kFieldInvalid, "FIELD_INVALID", 400, 0},
    {ErrorCode::kPayloadTooLarge, "PAYLOAD_TOO_LARGE", 413, 0},
    {ErrorCode::kUnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE", 415, 0},
    {ErrorCode::kUnauthorized, "UNAUTHORIZED", 401, 0},
    {ErrorCode::kForbidden, "FORBIDDEN", 403, 0},
    {ErrorCode::kNotFound, "NOT_FOUND", 404, 0},
    {ErrorCode::kConflict, "CONFLICT", 409, 0},
    {ErrorCode::kIdempotencyKeyRequired, "IDEMPOTENCY_KEY_REQUIRED", 400, 0},
    {ErrorCode::kIdempotencyKeyReused, "IDEMPOTENCY_KEY_REUSED", 409, 0},
    {ErrorCode::kIdempotencyKeyInProgress, "IDEMPOTENCY_KEY_IN_PROGRESS", 409, 0},
    {ErrorCode::kOverloaded, "OVERLOADED", 503, 1},
    {ErrorCode::kStoreUnavailable, "STORE_UNAVAILABLE", 503, 0},
    {ErrorCode::kInternal, "INTERNAL", 500, 0},
    {ErrorCode::kInsufficientFunds, "INSUFFICIENT_FUNDS", 422, 0},
    {ErrorCode::kLimitExceeded, "LIMIT_EXCEEDED", 422, 0},
    {ErrorCode::kAccountNotFound, "ACCOUNT_NOT_FOUND", 404, 0},
    {ErrorCode::kAccountClosed, "ACCOUNT_CLOSED", 422, 0},
    {ErrorCode::kDuplicate, "DUPLICATE", 409, 0},
    {ErrorCode::kOtpTooFrequent, "OTP_TOO_FREQUENT", 429, 0},
    {ErrorCode::kOtpDailyLimit, "OTP_DAILY_LIMIT", 429, 0},
    {ErrorCode::kOtpInvalid, "OTP_INVALID", 400, 0},
    {ErrorCode::kOtpExpired, "OTP_EXPIRED", 400, 0},
    {ErrorCode::kOtpNotFound, "OTP_NOT_FOUND", 400, 0},
    {ErrorCode::kOtpTooManyTries, "OTP_TOO_MANY_TRIES", 400, 0},
    {ErrorCode::kPhoneTaken, "PHONE_TAKEN", 409, 0},
    {ErrorCode::kWeakPassword, "WEAK_PASSWORD", 400, 0},
    {ErrorCode::kInvalidCredentials, "INVALID_CREDENTIALS", 401, 0},
    {ErrorCode::kLoginLocked, "LOGIN_LOCKED", 403, 0},
    {ErrorCode::kResidentIdInvalid, "RESIDENT_ID_INVALID", 400, 0},
    {ErrorCode::kRealNameInvalid, "REAL_NAME_INVALID", 400, 0},
    {ErrorCode::kIdentityMismatch, "IDENTITY_MISMATCH", 422, 0},
    {ErrorCode::kIdentityNotFound, "IDENTITY_NOT_FOUND", 422, 0},
    {ErrorCode::kIdentityTaken, "IDENTITY_TAKEN", 409, 0},
    {ErrorCode::kAlreadyVerified, "ALREADY_VERIFIED", 409, 0},
    {ErrorCode::kVerifierUnavailable, "VERIFIER_UNAVAILABLE", 503, 5},
    {ErrorCode::kIdentityRequired, "IDENTITY_REQUIRED", 403, 0},
    {ErrorCode::kCardInvalid, "CARD_INVALID", 400, 0},
    {ErrorCode::kCardTaken, "CARD_TAKEN", 409, 0},
    {ErrorCode::kCardLimit, "CARD_LIMIT", 422, 0},
    {ErrorCode::kCardNotFound, "CARD_NOT_FOUND", 404, 0},
    {ErrorCode::kPayeeNotFound, "PAYEE_NOT_FOUND", 404, 0},
    {ErrorCode::kSameAccount, "SAME_ACCOUNT", 400, 0},
    {ErrorCode::kBankDeclined, "BANK_DECLINED", 402, 0},
    {ErrorCode::kBankUnavailable, "BANK_UNAVAILABLE", 503, 5},
    {ErrorCode::kMerchantNotFound, "MERCHANT_NOT_FOUND", 404, 0},
    {ErrorCode::kMerchantNotActive, "MERCHANT_NOT_ACTIVE", 409, 0},
    {ErrorCode::kCreditCodeInvalid, "CREDIT_CODE_INVALID", 400, 0},
    {ErrorCode::kUsernameTaken, "USERNAME_TAKEN", 409, 0},
    {ErrorCode::kSignatureInvalid, "SIGNATURE_INVALID", 401, 0},
    {ErrorCode::kNonceReplayed, "NONCE_REPLAYED", 401, 0},
    {ErrorCode::kTimestampStale, "TIMESTAMP_STALE", 401, 0},
    {ErrorCode::kApiKeyLimit, "API_KEY_LIMIT", 409, 0},
    {ErrorCode::kQrInvalid, "QR_INVALID", 400, 0},
    {ErrorCode::kQrExpired, "QR_EXPIRED", 410, 0},
    {ErrorCode::kOrderNotFound, "ORDER_NOT_FOUND", 404, 0},
    {ErrorCode::kOrderNotOpen, "ORDER_NOT_OPEN", 409, 0},
    {ErrorCode::kOrderExpired, "ORDER_EXPIRED", 410, 0},
    {ErrorCode::kOrderExists, "ORDER_EXISTS", 409, 0},
    {ErrorCode::kAmountMismatch, "AMOUNT_MISMATCH", 400, 0},
    {ErrorCode::kPaymentCodeInvalid, "PAYMENT_CODE_INVALID", 400, 0},
    {ErrorCode::kPaymentCodeExpired, "PAYMENT_CODE_EXPIRED", 410, 0},
    {ErrorCode::kPaymentCodeUsed, "PAYMENT_CODE_USED", 409, 0},
    {ErrorCode::kPaymentNotFound, "PAYMENT_NOT_FOUND", 404, 0},
    {ErrorCode::kPaymentNotCompleted, "PAYMENT_NOT_COMPLETED", 409, 0},
    {ErrorCode::kNotAwaitingConfirmation, "NOT_AWAITING_CONFIRMATION", 409, 0},
    {ErrorCode::kRefundExceedsPayment, "REFUND_EXCEEDS_PAYMENT", 409, 0},
    {ErrorCode::kMerchantInsufficientFunds, "MERCHANT_INSUFFICIENT_FUNDS", 409, 0},
    {ErrorCode::kDeviceNotRegistered, "DEVICE_NOT_REGISTERED", 404, 0},
    {ErrorCode::kInvoiceNotFound, "INVOICE_NOT_FOUND", 404, 0},
    {ErrorCode::kInvoiceUnavailable, "INVOICE_UNAVAILABLE", 503, 5},
    {ErrorCode::kNfcInvalid, "NFC_INVALID", 400, 0},
    {ErrorCode::kNfcReplayed, "NFC_REPLAYED", 409, 0},
    {ErrorCode::kNfcKeysExhausted, "NFC_KEYS_EXHAUSTED", 409, 0},
    {ErrorCode::kMerchantUserNotFound, "MERCHANT_USER_NOT_FOUND", 404, 0},
    {ErrorCode::kLastOwner, "LAST_OWNER", 409, 0},
    {ErrorCode::kCannotDisableSelf, "CANNOT_DISABLE_SELF", 409, 0},
    {ErrorCode::kUserDisabled, "USER_DISABLED", 403, 0},
    {ErrorCode::kRateLimited, "RATE_LIMITED", 429, 0},
    {ErrorCode::kPinRequired, "PIN_REQUIRED", 403, 0},
    {ErrorCode::kPinWrong, "PIN_WRONG", 403, 0},
    {ErrorCode::kPinLocked, "PIN_LOCKED", 423, 0},
    {ErrorCode::kPinTooWeak, "PIN_TOO_WEAK", 400, 0},
    {ErrorCode::kPinNotSet, "PIN_NOT_SET", 409, 0},
    {ErrorCode::kPinAlreadySet, "PIN_ALREADY_SET", 409, 0},
    {ErrorCode::kCsrfRejected, "CSRF_REJECTED", 403, 0},
    {ErrorCode::kTotpRequired, "TOTP_REQUIRED", 401, 0},
    {ErrorCode::kTotpInvalid, "TOTP_INVALID", 403, 0},
    {ErrorCode::kTotpLocked, "TOTP_LOCKED", 423, 0},
    {ErrorCode::kTotpNotEnabled, "TOTP_NOT_ENABLED", 409, 0},
    {ErrorCode::kTotpAlreadyEnabled, "TOTP_ALREADY_ENABLED", 409, 0},
    {ErrorCode::kTotpNotPending, "TOTP_NOT_PENDING", 409, 0},
    {ErrorCode::kChallengeInvalid, "CHALLENGE_INVALID", 403, 0},
    {ErrorCode::kChallengeExpired, "CHALLENGE_EXPIRED", 403, 0},
    {ErrorCode::kChallengeReplayed, "CHALLENGE_REPLAYED", 403, 0},
    {ErrorCode::kDeviceSignatureInvalid, "DEVICE_SIGNATURE_INVALID", 403, 0},
    {ErrorCode::kDeviceKeyLimit, "DEVICE_KEY_LIMIT", 409, 0},
    {ErrorCode::kDeviceKeyNotFound, "DEVICE_KEY_NOT_FOUND", 404, 0},
    {ErrorCode::kDeviceKeySuspended, "DEVICE_KEY_SUSPENDED", 423, 0},
    {ErrorCode::kDeviceKeyTaken, "DEVICE_KEY_TAKEN", 409, 0},
    {ErrorCode::kChallengeRequired, "CHALLENGE_REQUIRED", 403, 0},
    {ErrorCode::kBalanceNotZero, "BALANCE_NOT_ZERO", 409, 0},
}};

constexpr bool TableIsInEnumOrder() {
  for (size_t i = 0; i < kErrorCodes.size(); ++i) {
    if (static_cast<size_t>(kErrorCodes[i].code) != i) return false;
  }
  return true;
}
static_assert(TableIsInEnumOrder(), "kErrorCodes must list the codes in enum order");
static_assert(static_cast<size_t>(ErrorCode::kBalanceNotZero) + 1 == kErrorCodes.size(),
              "every ErrorCode needs a row in kErrorCodes");

}  // namespace

std::span<const ErrorCodeInfo> AllErrorCodes() { return kErrorCodes; }

const ErrorCodeInfo& ErrorCodeInfoOf(ErrorCode code) {
  size_t index = static_cast<size_t>(code);
  QB_ASSERT(index < kErrorCodes.size());
  return kErrorCodes[index];
}

std::string_view ErrorCodeName(ErrorCode code) { return ErrorCodeInfoOf(code).name; }

ApiError MakeError(ErrorCode code, std::string message) {
  const ErrorCodeInfo& info = ErrorCodeInfoOf(code);
  return ApiError{info.http_status, std::string(info.name), std::move(message)};
}

HttpResponse ErrorResponse(const ApiError& error) {
  HttpResponse response = JsonErrorResponse(error.http_status, error.code, error.message);
  response.headers.emplace_back("Cache-Control", "no-store");
  // A linear scan of 22 rows is cheaper than keeping a second index in step with the table.
  for (const ErrorCodeInfo& info : kErrorCodes) {
    if (info.name == error.code && info.retry_after_seconds > 0) {
      response.headers.emplace_back("Retry-After", std::to_string(info.retry_after_seconds));
    }
  }
  return response;
}

}  // namespace qb::api
