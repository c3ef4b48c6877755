#include "api/errors.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

namespace qb::api {
namespace {

std::string_view HeaderOf(const HttpResponse& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return {};
}

TEST(ErrorsTest, EveryCodeRendersWithItsStatusAndShape) {
  std::set<std::string_view> names;
  for (const ErrorCodeInfo& info : AllErrorCodes()) {
    EXPECT_TRUE(names.insert(info.name).second) << info.name;
    HttpResponse response = ErrorResponse(info.code, "something \"quoted\" happened");
    EXPECT_EQ(response.status, info.http_status) << info.name;
    EXPECT_EQ(response.content_type, "application/json");
    EXPECT_EQ(HeaderOf(response, "Cache-Control"), "no-store");
    boost::json::value body = boost::json::parse(response.body);
    ASSERT_TRUE(body.is_object());
    ASSERT_EQ(body.as_object().size(), 1u);
    const boost::json::object& error = body.at("error").as_object();
    EXPECT_EQ(error.size(), 2u);
    EXPECT_EQ(error.at("code").as_string(), info.name);
    EXPECT_EQ(error.at("message").as_string(), "something \"quoted\" happened");
    // Only the codes a retry can fix say when to retry.
    if (info.code == ErrorCode::kOverloaded) {
      EXPECT_EQ(HeaderOf(response, "Retry-After"), "1");
    } else if (info.code == ErrorCode::kVerifierUnavailable ||
               info.code == ErrorCode::kBankUnavailable ||
               info.code == ErrorCode::kInvoiceUnavailable) {
      EXPECT_EQ(HeaderOf(response, "Retry-After"), "5") << info.name;
    } else {
      EXPECT_EQ(HeaderOf(response, "Retry-After"), "") << info.name;
    }
  }
  // Every row has its own name (errors.cc checks at compile time that every code has a row).
  EXPECT_EQ(names.size(), AllErrorCodes().size());
}

TEST(ErrorsTest, TableHasTheAgreedStatuses) {
  struct Expected {
    ErrorCode code;
    std::string_view name;
    int status;
  };
  const Expected expected[] = {
      {ErrorCode::kBadRequest, "BAD_REQUEST", 400},
      {ErrorCode::kMalformedJson, "MALFORMED_JSON", 400},
      {ErrorCode::kUnknownField, "UNKNOWN_FIELD", 400},
      {ErrorCode::kFieldRequired, "FIELD_REQUIRED", 400},
      {ErrorCode::kFieldInvalid, "FIELD_INVALID", 400},
      {ErrorCode::kPayloadTooLarge, "PAYLOAD_TOO_LARGE", 413},
      {ErrorCode::kUnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE", 415},
      {ErrorCode::kUnauthorized, "UNAUTHORIZED", 401},
      {ErrorCode::kForbidden, "FORBIDDEN", 403},
      {ErrorCode::kNotFound, "NOT_FOUND", 404},
      {ErrorCode::kConflict, "CONFLICT", 409},
      {ErrorCode::kIdempotencyKeyRequired, "IDEMPOTENCY_KEY_REQUIRED", 400},
      {ErrorCode::kIdempotencyKeyReused, "IDEMPOTENCY_KEY_REUSED", 409},
      {ErrorCode::kIdempotencyKeyInProgress, "IDEMPOTENCY_KEY_IN_PROGRESS", 409},
      {ErrorCode::kOverloaded, "OVERLOADED", 503},
      {ErrorCode::kStoreUnavailable, "STORE_UNAVAILABLE", 503},
      {ErrorCode::kInternal, "INTERNAL", 500},
      {ErrorCode::kInsufficientFunds, "INSUFFICIENT_FUNDS", 422},
      {ErrorCode::kLimitExceeded, "LIMIT_EXCEEDED", 422},
      {ErrorCode::kAccountNotFound, "ACCOUNT_NOT_FOUND", 404},
      {ErrorCode::kAccountClosed, "ACCOUNT_CLOSED", 422},
      {ErrorCode::kDuplicate, "DUPLICATE", 409},
      {ErrorCode::kMerchantUserNotFound, "MERCHANT_USER_NOT_FOUND", 404},
      {ErrorCode::kLastOwner, "LAST_OWNER", 409},
      {ErrorCode::kCannotDisableSelf, "CANNOT_DISABLE_SELF", 409},
      {ErrorCode::kUserDisabled, "USER_DISABLED", 403},
      {ErrorCode::kRateLimited, "RATE_LIMITED", 429},
      {ErrorCode::kPinRequired, "PIN_REQUIRED", 403},
      {ErrorCode::kPinWrong, "PIN_WRONG", 403},
      {ErrorCode::kPinLocked, "PIN_LOCKED", 423},
      {ErrorCode::kPinTooWeak, "PIN_TOO_WEAK", 400},
      {ErrorCode::kPinNotSet, "PIN_NOT_SET", 409},
      {ErrorCode::kPinAlreadySet, "PIN_ALREADY_SET", 409},
      {ErrorCode::kTotpRequired, "TOTP_REQUIRED", 401},
      {ErrorCode::kTotpInvalid, "TOTP_INVALID", 403},
      {ErrorCode::kTotpLocked, "TOTP_LOCKED", 423},
      {ErrorCode::kTotpNotEnabled, "TOTP_NOT_ENABLED", 409},
      {ErrorCode::kTotpAlreadyEnabled, "TOTP_ALREADY_ENABLED", 409},
      {ErrorCode::kTotpNotPending, "TOTP_NOT_PENDING", 409},
      {ErrorCode::kChallengeInvalid, "CHALLENGE_INVALID", 403},
      {ErrorCode::kChallengeExpired, "CHALLENGE_EXPIRED", 403},
      {ErrorCode::kChallengeReplayed, "CHALLENGE_REPLAYED", 403},
      {ErrorCode::kDeviceSignatureInvalid, "DEVICE_SIGNATURE_INVALID", 403},
      {ErrorCode::kDeviceKeyLimit, "DEVICE_KEY_LIMIT", 409},
      {ErrorCode::kDeviceKeyNotFound, "DEVICE_KEY_NOT_FOUND", 404},
      {ErrorCode::kDeviceKeySuspended, "DEVICE_KEY_SUSPENDED", 423},
      {ErrorCode::kDeviceKeyTaken, "DEVICE_KEY_TAKEN", 409},
  };
  for (const Expected& row : expected) {
    ApiError error = MakeError(row.code, "m");
    EXPECT_EQ(error.code, row.name);
    EXPECT_EQ(error.http_status, row.status) << row.name;
    EXPECT_EQ(ErrorCodeName(row.code), row.name);
  }
}

TEST(ErrorsTest, ControlCharactersInMessagesAreEscaped) {
  HttpResponse response = ErrorResponse(ErrorCode::kBadRequest, "line\nbreak\x01");
  boost::json::value body = boost::json::parse(response.body);
  EXPECT_EQ(body.at("error").at("message").as_string(), "line\nbreak\x01");
}

TEST(ErrorsTest, ApiResultHoldsValueOrError) {
  ApiResult<int> good = 5;
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(good.value(), 5);
  ApiResult<int> bad = MakeError(ErrorCode::kNotFound, "no");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().http_status, 404);
}

}  // namespace
}  // namespace qb::api
