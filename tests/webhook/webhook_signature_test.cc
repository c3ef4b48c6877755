#include "webhook/webhook_signature.h"

#include <gtest/gtest.h>

#include <iterator>
#include <span>
#include <string>

namespace qb::webhook {
namespace {

constexpr int64_t kNow = 1'790'000'000;  // 2026-09-21, any fixed second will do
constexpr std::string_view kSecret = "whsec_test_secret";
constexpr std::string_view kBody = R"({"event":"payment.succeeded","amount_fen":1234})";

// Known answer, computed independently with Python's hmac module over "1790000000.<body>".
TEST(SignWebhookTest, KnownAnswer) {
  EXPECT_EQ(SignWebhook(kSecret, kNow, kBody),
            "t=1790000000,v1=a7df18fb4b9bc933a65a53f5a5989f077a51347b3e16fd0f895e7ff0b8f5d962");
}

TEST(VerifyWebhookTest, AcceptsItsOwnSignature) {
  EXPECT_EQ(VerifyWebhook(kSecret, SignWebhook(kSecret, kNow, kBody), kBody, kNow),
            WebhookVerifyResult::kOk);
  EXPECT_EQ(VerifyWebhook(kSecret, SignWebhook(kSecret, kNow, ""), "", kNow),
            WebhookVerifyResult::kOk);
}

TEST(VerifyWebhookTest, TamperedBodyIsBadSignature) {
  std::string header = SignWebhook(kSecret, kNow, kBody);
  std::string tampered(kBody);
  tampered.replace(tampered.find("1234"), 4, "9234");
  EXPECT_EQ(VerifyWebhook(kSecret, header, tampered, kNow), WebhookVerifyResult::kBadSignature);
  EXPECT_EQ(VerifyWebhook(kSecret, header, std::string(kBody) + " ", kNow),
            WebhookVerifyResult::kBadSignature);
}

TEST(VerifyWebhookTest, WrongSecretIsBadSignature) {
  EXPECT_EQ(VerifyWebhook("another secret", SignWebhook(kSecret, kNow, kBody), kBody, kNow),
            WebhookVerifyResult::kBadSignature);
}

// The timestamp is covered by the signature: moving it forward to dodge the age check breaks it.
TEST(VerifyWebhookTest, ReplacedTimestampIsBadSignature) {
  std::string header = SignWebhook(kSecret, kNow - 3600, kBody);
  header.replace(2, 10, std::to_string(kNow));
  EXPECT_EQ(VerifyWebhook(kSecret, header, kBody, kNow), WebhookVerifyResult::kBadSignature);
}

TEST(VerifyWebhookTest, OldOrFutureTimestampIsTooOld) {
  EXPECT_EQ(VerifyWebhook(kSecret, SignWebhook(kSecret, kNow - 300, kBody), kBody, kNow),
            WebhookVerifyResult::kOk);
  EXPECT_EQ(VerifyWebhook(kSecret, SignWebhook(kSecret, kNow - 301, kBody), kBody, kNow),
            WebhookVerifyResult::kTooOld);
  EXPECT_EQ(VerifyWebhook(kSecret, SignWebhook(kSecret, kNow + 301, kBody), kBody, kNow),
            WebhookVerifyResult::kTooOld);
  EXPECT_EQ(VerifyWebhook(kSecret, SignWebhook(kSecret, kNow - 10, kBody), kBody, kNow, 5),
            WebhookVerifyResult::kTooOld);
}

TEST(VerifyWebhookTest, PrecedenceMalformedThenSignatureThenAge) {
  // An old header that is also malformed reports malformed; an old one with a bad signature
  // reports the signature.
  std::string old_header = SignWebhook(kSecret, kNow - 3600, kBody);
  EXPECT_EQ(VerifyWebhook(kSecret, old_header + ",v1=00", kBody, kNow),
            WebhookVerifyResult::kMalformed);
  EXPECT_EQ(VerifyWebhook(kSecret, old_header, "other body", kNow),
            WebhookVerifyResult::kBadSignature);
}

TEST(VerifyWebhookTest, MalformedHeaders) {
  const std::string signature = SignWebhook(kSecret, kNow, kBody).substr(14);  // ",v1=<hex>"
  const std::string hex = signature.substr(4);
  const std::string upper = [&] {
    std::string text = hex;
    for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return text;
  }();
  for (const std::string& header : {
           std::string(),
           std::string("t=1790000000"),
           "v1=" + hex + ",t=1790000000",
           "t=" + signature,
           "t=01790000000" + signature,
           "t=-1790000000" + signature,
           "t=1790000000000" + signature,
           "t=1790000000,v1=" + hex.substr(1),
           "t=1790000000,v1=" + hex + "0",
           "t=1790000000,v1=" + upper,
           "t=1790000000, v1=" + hex,
           "t=1790000000,v0=" + hex,
           "t=1790000000" + signature + ",",
           " t=1790000000" + signature,
           "t=1790000000" + signature + ",v1=",
           "t=1790000000" + signature + "," + signature,
           "t=1790000000" + signature + signature + " ",
           "t=1790000000" + signature + ",v1=" + hex.substr(1),
           "t=1790000000" + signature + signature + signature + signature + signature,
       }) {
    EXPECT_EQ(VerifyWebhook(kSecret, header, kBody, kNow), WebhookVerifyResult::kMalformed)
        << header;
  }
}

// During the overlap after a rotation: one v1 entry per secret, the new one first.
TEST(SignWebhookTest, SeveralSecretsGiveOneEntryEachInOrder) {
  constexpr std::string_view kOld = "whsec_old_secret";
  const std::string_view secrets[] = {kSecret, kOld};
  const std::string header = SignWebhook(secrets, kNow, kBody);
  const std::string old_only = SignWebhook(kOld, kNow, kBody);
  EXPECT_EQ(header, SignWebhook(kSecret, kNow, kBody) + old_only.substr(old_only.find(',')));
  EXPECT_EQ(SignWebhook(std::span(secrets, 1), kNow, kBody), SignWebhook(kSecret, kNow, kBody));
}

TEST(VerifyWebhookTest, AnyMatchingEntryIsEnough) {
  constexpr std::string_view kOld = "whsec_old_secret";
  const std::string_view secrets[] = {kSecret, kOld};
  const std::string header = SignWebhook(secrets, kNow, kBody);
  EXPECT_EQ(VerifyWebhook(kSecret, header, kBody, kNow), WebhookVerifyResult::kOk);
  EXPECT_EQ(VerifyWebhook(kOld, header, kBody, kNow), WebhookVerifyResult::kOk);
  EXPECT_EQ(VerifyWebhook("whsec_neither", header, kBody, kNow),
            WebhookVerifyResult::kBadSignature);
  EXPECT_EQ(VerifyWebhook(kOld, header, "other body", kNow), WebhookVerifyResult::kBadSignature);
  EXPECT_EQ(VerifyWebhook(kOld, SignWebhook(secrets, kNow - 301, kBody), kBody, kNow),
            WebhookVerifyResult::kTooOld);

  // Up to kMaxSignatures entries; the match may be any of them.
  const std::string_view four[] = {"a", "b", "c", kSecret};
  static_assert(std::size(four) == kMaxSignatures);
  const std::string full = SignWebhook(four, kNow, kBody);
  EXPECT_EQ(VerifyWebhook(kSecret, full, kBody, kNow), WebhookVerifyResult::kOk);
  EXPECT_EQ(VerifyWebhook("a", full, kBody, kNow), WebhookVerifyResult::kOk);
  EXPECT_EQ(VerifyWebhook("d", full, kBody, kNow), WebhookVerifyResult::kBadSignature);
  // One more is malformed, even though a matching entry comes first.
  EXPECT_EQ(VerifyWebhook("a", full + full.substr(full.find(','), 68), kBody, kNow),
            WebhookVerifyResult::kMalformed);
}

TEST(VerifyWebhookTest, ResultNamesAreStable) {
  EXPECT_EQ(WebhookVerifyResultName(WebhookVerifyResult::kOk), "ok");
  EXPECT_EQ(WebhookVerifyResultName(WebhookVerifyResult::kMalformed), "malformed");
  EXPECT_EQ(WebhookVerifyResultName(WebhookVerifyResult::kBadSignature), "bad_signature");
  EXPECT_EQ(WebhookVerifyResultName(WebhookVerifyResult::kTooOld), "too_old");
}

}  // namespace
}  // namespace qb::webhook
