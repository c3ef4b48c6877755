#include "paytoken/qr_payload.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <string>

#include "base/bytes.h"

namespace qb::paytoken {
namespace {

constexpr int64_t kNowNs = 1'800'000'000'000'000'000;
constexpr int64_t kMinuteNs = 60'000'000'000;
constexpr std::string_view kBase64UrlAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

identity::SecretKey Seed(char digit) {
  return *identity::SecretKey::FromHex(std::string(64, digit));
}

QrPayload StaticQr() {
  QrPayload payload;
  payload.kind = QrKind::kStatic;
  payload.merchant_id = 10'086;
  return payload;
}

QrPayload DynamicQr() {
  QrPayload payload;
  payload.kind = QrKind::kDynamic;
  payload.merchant_id = 10'086;
  payload.order_id = "ORD-2026-11_0001";
  payload.amount_fen = 12'345;
  payload.currency = "CNY";
  payload.expires_at_ns = kNowNs + 15 * kMinuteNs;
  return payload;
}

std::string Base64Url(std::string_view bytes) {
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string text(sodium_base64_ENCODED_LEN(bytes.size(), kVariant), '\0');
  sodium_bin2base64(text.data(), text.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), kVariant);
  text.pop_back();
  return text;
}

std::string Base64UrlDecode(std::string_view text) {
  std::string bytes(text.size(), '\0');
  size_t length = 0;
  EXPECT_EQ(sodium_base642bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(),
                              text.data(), text.size(), nullptr, &length, nullptr,
                              sodium_base64_VARIANT_URLSAFE_NO_PADDING),
            0);
  bytes.resize(length);
  return bytes;
}

// Signs arbitrary body bytes by the header's grammar, bypassing SignQr's field checks: it both
// reaches the paths SignQr refuses to produce and checks the documented grammar independently.
std::string SignRawBody(std::string_view body, const identity::SecretKey& seed) {
  unsigned char public_key[crypto_sign_PUBLICKEYBYTES];
  unsigned char secret[crypto_sign_SECRETKEYBYTES];
  crypto_sign_seed_keypair(public_key, secret, seed.data());
  std::string message = std::string(kQrSignatureContext) + std::string(body);
  std::string signature(64, '\0');
  crypto_sign_detached(reinterpret_cast<unsigned char*>(signature.data()), nullptr,
                       reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       secret);
  return "qbpay:1." + Base64Url(body) + "." + Base64Url(signature);
}

std::string DynamicBody(uint32_t key_id, int64_t amount_fen, std::string_view currency,
                        int64_t expires_at_ns, std::string_view order_id) {
  std::string body;
  ByteWriter writer(&body);
  writer.U8(1);
  writer.U8(2);
  writer.U32(key_id);
  writer.U64(10'086);
  writer.I64(amount_fen);
  writer.Bytes(currency);
  writer.I64(expires_at_ns);
  writer.U8(static_cast<uint8_t>(order_id.size()));
  writer.Bytes(order_id);
  return body;
}

class QrPayloadTest : public ::testing::Test {
 protected:
  QrPayloadTest() : key_(7, Seed('a')) { ring_.Add(key_.key_id(), key_.public_key()); }

  std::string Sign(const QrPayload& payload) {
    std::string text;
    EXPECT_EQ(SignQr(payload, key_, &text), QrResult::kOk);
    return text;
  }

  QrResult Verify(std::string_view text, int64_t now_ns = kNowNs) {
    QrPayload out;
    return VerifyQr(text, ring_, now_ns, &out);
  }

  QrSigningKey key_;
  QrKeyRing ring_;
};

TEST_F(QrPayloadTest, StaticRoundTrip) {
  std::string text = Sign(StaticQr());
  EXPECT_TRUE(text.starts_with("qbpay:1."));
  EXPECT_EQ(text.find_first_not_of(std::string(kBase64UrlAlphabet) + ":."), std::string::npos);
  QrPayload out;
  uint32_t key_id = 0;
  ASSERT_EQ(VerifyQr(text, ring_, kNowNs, &out, &key_id), QrResult::kOk);
  EXPECT_EQ(out.kind, QrKind::kStatic);
  EXPECT_EQ(out.merchant_id, 10'086u);
  EXPECT_TRUE(out.order_id.empty());
  EXPECT_EQ(out.amount_fen, 0);
  EXPECT_EQ(key_id, 7u);
}

TEST_F(QrPayloadTest, DynamicRoundTripAndDeterministic) {
  std::string text = Sign(DynamicQr());
  EXPECT_EQ(Sign(DynamicQr()), text);
  QrPayload out;
  ASSERT_EQ(VerifyQr(text, ring_, kNowNs, &out), QrResult::kOk);
  EXPECT_EQ(out.kind, QrKind::kDynamic);
  EXPECT_EQ(out.merchant_id, 10'086u);
  EXPECT_EQ(out.order_id, "ORD-2026-11_0001");
  EXPECT_EQ(out.amount_fen, 12'345);
  EXPECT_EQ(out.currency, "CNY");
  EXPECT_EQ(out.expires_at_ns, kNowNs + 15 * kMinuteNs);
}

TEST_F(QrPayloadTest, MatchesDocumentedGrammar) {
  QrPayload payload = DynamicQr();
  std::string body =
      DynamicBody(7, payload.amount_fen, "CNY", payload.expires_at_ns, payload.order_id);
  EXPECT_EQ(Sign(payload), SignRawBody(body, Seed('a')));
  std::string static_body;
  ByteWriter writer(&static_body);
  writer.U8(1);
  writer.U8(1);
  writer.U32(7);
  writer.U64(10'086);
  EXPECT_EQ(Sign(StaticQr()), SignRawBody(static_body, Seed('a')));
}

TEST_F(QrPayloadTest, LongestPayloadFitsTheTextLimit) {
  QrPayload payload = DynamicQr();
  payload.order_id = std::string(kMaxQrOrderIdBytes, 'Z');
  std::string text = Sign(payload);
  EXPECT_EQ(text.size(), 226u);
  EXPECT_LE(text.size(), kMaxQrTextChars);
  EXPECT_EQ(Verify(text), QrResult::kOk);
}

TEST_F(QrPayloadTest, ExpiresAtDeadline) {
  std::string text = Sign(DynamicQr());
  int64_t deadline = kNowNs + 15 * kMinuteNs;
  EXPECT_EQ(Verify(text, deadline - 1), QrResult::kOk);
  EXPECT_EQ(Verify(text, deadline), QrResult::kExpired);
  // Static QRs are printed and never expire.
  EXPECT_EQ(Verify(Sign(StaticQr()), deadline * 2), QrResult::kOk);
}

TEST_F(QrPayloadTest, EveryAlteredCharacterIsRejected) {
  for (const std::string& good : {Sign(StaticQr()), Sign(DynamicQr())}) {
    ASSERT_EQ(Verify(good), QrResult::kOk);
    for (size_t i = 0; i < good.size(); ++i) {
      for (int bit = 0; bit < 8; ++bit) {
        std::string bad = good;
        bad[i] = static_cast<char>(bad[i] ^ (1 << bit));
        EXPECT_NE(Verify(bad), QrResult::kOk) << "position " << i << " bit " << bit;
      }
      for (char replacement : kBase64UrlAlphabet) {
        if (replacement == good[i]) continue;
        std::string bad = good;
        bad[i] = replacement;
        EXPECT_NE(Verify(bad), QrResult::kOk) << "position " << i << " char " << replacement;
      }
    }
  }
}

TEST_F(QrPayloadTest, EveryAlteredBodyByteFailsTheSignature) {
  std::string good = Sign(DynamicQr());
  size_t first_dot = good.find('.');
  size_t second_dot = good.find('.', first_dot + 1);
  std::string body = Base64UrlDecode(good.substr(first_dot + 1, second_dot - first_dot - 1));
  std::string signature = good.substr(second_dot);
  for (size_t i = 0; i < body.size(); ++i) {
    std::string altered = body;
    altered[i] = static_cast<char>(altered[i] ^ 0x01);
    QrResult result = Verify("qbpay:1." + Base64Url(altered) + signature);
    // The version and key-id bytes fail before the signature check; the rest fail it.
    if (i == 0) {
      EXPECT_EQ(result, QrResult::kUnsupportedVersion);
    } else if (i == 1) {
      EXPECT_EQ(result, QrResult::kMalformed);  // kind 3
    } else if (i < 6) {
      EXPECT_EQ(result, QrResult::kUnknownKey);
    } else if (i == body.size() - 17) {
      EXPECT_EQ(result, QrResult::kMalformed);  // order id length no longer matches
    } else {
      EXPECT_EQ(result, QrResult::kBadSignature) << i;
    }
  }
}

TEST_F(QrPayloadTest, TruncatedAndExtendedTextIsMalformed) {
  std::string good = Sign(DynamicQr());
  for (size_t length = 0; length < good.size(); ++length) {
    EXPECT_NE(Verify(good.substr(0, length)), QrResult::kOk) << length;
  }
  EXPECT_EQ(Verify(good + "A"), QrResult::kMalformed);
  EXPECT_EQ(Verify(good + ".AAAA"), QrResult::kMalformed);
  EXPECT_EQ(Verify(good + "="), QrResult::kMalformed);
  EXPECT_EQ(Verify(std::string(kMaxQrTextChars + 1, 'A')), QrResult::kMalformed);
}

TEST_F(QrPayloadTest, MalformedFraming) {
  std::string good = Sign(StaticQr());
  std::string tail = good.substr(std::string("qbpay:1").size());
  EXPECT_EQ(Verify("QBPAY:1" + tail), QrResult::kMalformed);
  EXPECT_EQ(Verify("qbpay:" + tail), QrResult::kMalformed);
  EXPECT_EQ(Verify("qbpay:x" + tail), QrResult::kMalformed);
  EXPECT_EQ(Verify("qbpay:1"), QrResult::kMalformed);
  EXPECT_EQ(Verify("qbpay:1.AAAA"), QrResult::kMalformed);
  EXPECT_EQ(Verify("qbpay:1.." + good.substr(good.rfind('.') + 1)), QrResult::kMalformed);
  // Padding is not canonical for this variant.
  EXPECT_EQ(Verify(good.substr(0, good.rfind('.')) + ".AA=="), QrResult::kMalformed);
}

TEST_F(QrPayloadTest, ShortSignatureIsMalformed) {
  std::string good = Sign(StaticQr());
  std::string head = good.substr(0, good.rfind('.') + 1);
  EXPECT_EQ(Verify(head + Base64Url(std::string(63, 'x'))), QrResult::kMalformed);
  EXPECT_EQ(Verify(head + Base64Url(std::string(65, 'x'))), QrResult::kMalformed);
  EXPECT_EQ(Verify(head + Base64Url(std::string(64, 'x'))), QrResult::kBadSignature);
}

TEST_F(QrPayloadTest, OtherTextVersionIsUnsupported) {
  std::string good = Sign(StaticQr());
  std::string tail = good.substr(std::string("qbpay:1").size());
  EXPECT_EQ(Verify("qbpay:2" + tail), QrResult::kUnsupportedVersion);
  EXPECT_EQ(Verify("qbpay:10" + tail), QrResult::kUnsupportedVersion);
}

TEST_F(QrPayloadTest, OtherBodyVersionIsUnsupported) {
  std::string body = DynamicBody(7, 100, "CNY", kNowNs + kMinuteNs, "A1");
  body[0] = 2;
  EXPECT_EQ(Verify(SignRawBody(body, Seed('a'))), QrResult::kUnsupportedVersion);
}

TEST_F(QrPayloadTest, BodyStructureErrorsAreMalformed) {
  std::string body = DynamicBody(7, 100, "CNY", kNowNs + kMinuteNs, "A1");
  EXPECT_EQ(Verify(SignRawBody(body + "x", Seed('a'))), QrResult::kMalformed);
  EXPECT_EQ(Verify(SignRawBody(body.substr(0, body.size() - 1), Seed('a'))), QrResult::kMalformed);
  EXPECT_EQ(Verify(SignRawBody(body.substr(0, 10), Seed('a'))), QrResult::kMalformed);
  std::string unknown_kind = body;
  unknown_kind[1] = 0;
  EXPECT_EQ(Verify(SignRawBody(unknown_kind, Seed('a'))), QrResult::kMalformed);
}

TEST_F(QrPayloadTest, ForgedWithAnotherKeyIsRejected) {
  QrSigningKey forger(7, Seed('b'));  // claims the real key id
  std::string text;
  ASSERT_EQ(SignQr(DynamicQr(), forger, &text), QrResult::kOk);
  EXPECT_EQ(Verify(text), QrResult::kBadSignature);
}

TEST_F(QrPayloadTest, KeyRotation) {
  QrSigningKey next(8, Seed('c'));
  std::string old_text = Sign(StaticQr());
  std::string new_text;
  ASSERT_EQ(SignQr(StaticQr(), next, &new_text), QrResult::kOk);
  EXPECT_EQ(Verify(new_text), QrResult::kUnknownKey);
  ring_.Add(next.key_id(), next.public_key());
  EXPECT_EQ(Verify(new_text), QrResult::kOk);
  EXPECT_EQ(Verify(old_text), QrResult::kOk);
  EXPECT_TRUE(ring_.Remove(7));
  EXPECT_FALSE(ring_.Remove(7));
  EXPECT_EQ(Verify(old_text), QrResult::kUnknownKey);
  EXPECT_EQ(Verify(new_text), QrResult::kOk);
}

TEST_F(QrPayloadTest, SignedOutOfBoundsFieldsAreInvalid) {
  const int64_t later = kNowNs + kMinuteNs;
  for (const std::string& body :
       {DynamicBody(7, 0, "CNY", later, "A1"), DynamicBody(7, -5, "CNY", later, "A1"),
        DynamicBody(7, kMaxQrAmountFen + 1, "CNY", later, "A1"),
        DynamicBody(7, 100, "cny", later, "A1"), DynamicBody(7, 100, "C1Y", later, "A1"),
        DynamicBody(7, 100, "CNY", 0, "A1"), DynamicBody(7, 100, "CNY", later, ""),
        DynamicBody(7, 100, "CNY", later, "a b"), DynamicBody(7, 100, "CNY", later, "订单")}) {
    EXPECT_EQ(Verify(SignRawBody(body, Seed('a'))), QrResult::kInvalidField);
  }
  // A longer order id makes the body longer than any valid one: rejected while decoding.
  std::string long_order =
      DynamicBody(7, 100, "CNY", later, std::string(kMaxQrOrderIdBytes + 1, 'a'));
  EXPECT_EQ(Verify(SignRawBody(long_order, Seed('a'))), QrResult::kMalformed);
  std::string zero_merchant;
  ByteWriter writer(&zero_merchant);
  writer.U8(1);
  writer.U8(1);
  writer.U32(7);
  writer.U64(0);
  EXPECT_EQ(Verify(SignRawBody(zero_merchant, Seed('a'))), QrResult::kInvalidField);
  // Bounds are inclusive where the header says so.
  EXPECT_EQ(Verify(SignRawBody(DynamicBody(7, kMaxQrAmountFen, "USD", later, "a"), Seed('a'))),
            QrResult::kOk);
}

TEST_F(QrPayloadTest, SignRefusesOutOfBoundsFields) {
  std::string text = "untouched";
  QrPayload payload = StaticQr();
  payload.amount_fen = 100;  // a static QR has no amount
  EXPECT_EQ(SignQr(payload, key_, &text), QrResult::kInvalidField);
  payload = StaticQr();
  payload.merchant_id = 0;
  EXPECT_EQ(SignQr(payload, key_, &text), QrResult::kInvalidField);
  payload = DynamicQr();
  payload.order_id = "has space";
  EXPECT_EQ(SignQr(payload, key_, &text), QrResult::kInvalidField);
  payload = DynamicQr();
  payload.kind = static_cast<QrKind>(9);
  EXPECT_EQ(SignQr(payload, key_, &text), QrResult::kInvalidField);
  EXPECT_EQ(text, "untouched");
}

TEST_F(QrPayloadTest, FailedVerifyLeavesOutputsAlone) {
  QrPayload out = DynamicQr();
  out.merchant_id = 1;
  uint32_t key_id = 99;
  EXPECT_EQ(VerifyQr(Sign(DynamicQr()), ring_, kNowNs + kMinuteNs * 60, &out, &key_id),
            QrResult::kExpired);
  EXPECT_EQ(out.merchant_id, 1u);
  EXPECT_EQ(key_id, 99u);
}

TEST(QrResultTest, NamesAreStable) {
  EXPECT_EQ(QrResultName(QrResult::kOk), "ok");
  EXPECT_EQ(QrResultName(QrResult::kMalformed), "malformed");
  EXPECT_EQ(QrResultName(QrResult::kUnsupportedVersion), "unsupported_version");
  EXPECT_EQ(QrResultName(QrResult::kUnknownKey), "unknown_key");
  EXPECT_EQ(QrResultName(QrResult::kBadSignature), "bad_signature");
  EXPECT_EQ(QrResultName(QrResult::kInvalidField), "invalid_field");
  EXPECT_EQ(QrResultName(QrResult::kExpired), "expired");
}

}  // namespace
}  // namespace qb::paytoken
