// device_factor.h's pure parts: reading the optional "device_signature" object (absent, valid,
// malformed, with unknown members) and the payment challenge's context bytes.
#include "wallet/device_factor.h"

#include <gtest/gtest.h>

#include <string>

#include "api/json_reader.h"

namespace qb::wallet {
namespace {

const std::string kNonce(64, 'a');

std::optional<api::ApiError> Read(std::string_view body, std::optional<DeviceSignature>* out) {
  api::ApiResult<api::JsonObject> parsed = api::ParseJsonObject(body);
  EXPECT_TRUE(parsed.ok());
  api::ObjectReader reader(parsed.value());
  reader.RequiredString("payment_pin", 16, api::TextPolicy::kSingleLine, 0);
  *out = ReadDeviceSignature(reader);
  return reader.Finish();
}

TEST(DeviceFactorTest, ReadsTheOptionalDeviceSignature) {
  std::optional<DeviceSignature> signature;
  EXPECT_FALSE(Read(R"({"payment_pin":""})", &signature).has_value());
  EXPECT_FALSE(signature.has_value());
  EXPECT_FALSE(Read(R"({"payment_pin":"","device_signature":null})", &signature).has_value());
  EXPECT_FALSE(signature.has_value());
  EXPECT_FALSE(Read(R"({"payment_pin":"","device_signature":{"device_id":"17","nonce":")" + kNonce +
                        R"(","signature":"sig"}})",
                    &signature)
                   .has_value());
  ASSERT_TRUE(signature.has_value());
  EXPECT_EQ(signature->device_id, 17u);
  EXPECT_EQ(signature->nonce_hex, kNonce);
  EXPECT_EQ(signature->signature, "sig");
}

TEST(DeviceFactorTest, AMalformedDeviceSignatureIsTheReadersError) {
  std::optional<DeviceSignature> signature;
  const std::string cases[] = {
      R"({"payment_pin":"","device_signature":"x"})",
      R"({"payment_pin":"","device_signature":{"device_id":"17","nonce":"00","signature":"s"}})",
      R"({"payment_pin":"","device_signature":{"device_id":"x","nonce":")" + kNonce +
          R"(","signature":"s"}})",
      R"({"payment_pin":"","device_signature":{"device_id":"17","nonce":")" + kNonce + R"("}})",
      R"({"payment_pin":"","device_signature":{"device_id":"17","nonce":")" + kNonce +
          R"(","signature":"s","extra":1}})",
  };
  for (const std::string& body : cases) {
    std::optional<api::ApiError> error = Read(body, &signature);
    ASSERT_TRUE(error.has_value()) << body;
    EXPECT_EQ(error->http_status, 400) << body;
    EXPECT_FALSE(signature.has_value()) << body;
  }
}

TEST(DeviceFactorTest, PaymentContextIsAsciiIdAndAmount) {
  EXPECT_EQ(PaymentChallengeContext(42, 10'000), "payment:42:10000");
}

}  // namespace
}  // namespace qb::wallet
