// WebAuthn device keys (mfa/webauthn.h and the device-key book's WebAuthn kind): every answer is
// built here by a software authenticator (webauthn_test_util.h: a P-256 key from OpenSSL or an
// Ed25519 one from libsodium), and each refusal changes exactly one thing of a good answer.
#include "mfa/webauthn.h"

#include <gtest/gtest.h>

#include <string>

#include "base/bytes.h"
#include "mfa/device_key_book.h"
#include "webauthn_test_util.h"

namespace qb::mfa {
namespace {

using testing::AttestationObject;
using testing::ClientDataJson;
using testing::TestAuthenticator;

constexpr std::string_view kRpId = "wallet.example.cn";
constexpr std::string_view kOrigin = "https://wallet.example.cn";
constexpr uint8_t kUp = kAuthDataUserPresent;
constexpr uint8_t kUpUv = kAuthDataUserPresent | kAuthDataUserVerified;
constexpr uint8_t kAt = kAuthDataAttestedCredential;

const std::string kChallenge(32, '\x5a');

WebAuthnExpectation Expect(bool uv = false) {
  return {
      .challenge = kChallenge, .rp_id = kRpId, .origin = kOrigin, .require_user_verification = uv};
}

// --- registration ---

TEST(WebAuthnRegistrationTest, AcceptsAGoodAttestationAndKeepsTheCredential) {
  TestAuthenticator authenticator;
  const std::string auth = authenticator.AuthData(kRpId, kUpUv | kAt, 0);
  // The authData travels inside the attestation object; the parser hands back the same bytes.
  const std::optional<std::string> extracted =
      AuthenticatorDataOfAttestation(AttestationObject(auth));
  ASSERT_TRUE(extracted.has_value());
  EXPECT_EQ(*extracted, auth);
  WebAuthnCredential credential;
  EXPECT_EQ(
      VerifyWebAuthnRegistration(*extracted, ClientDataJson("webauthn.create", kChallenge, kOrigin),
                                 Expect(), &credential),
      WebAuthnVerdict::kOk);
  EXPECT_EQ(credential.credential_id, authenticator.credential_id());
  EXPECT_EQ(credential.cose_key, authenticator.CoseKey());
  EXPECT_EQ(credential.alg, kCoseAlgEs256);
  EXPECT_TRUE(credential.user_verified);
  const std::optional<CosePublicKey> key = ParseCoseKey(credential.cose_key);
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ(key->raw.size(), 65u);
  EXPECT_EQ(key->raw[0], '\x04');
}

TEST(WebAuthnRegistrationTest, RefusesEachWrongField) {
  TestAuthenticator authenticator;
  const std::string good_auth = authenticator.AuthData(kRpId, kUp | kAt, 0);
  const std::string good_client = ClientDataJson("webauthn.create", kChallenge, kOrigin);
  auto verify = [](std::string_view auth, std::string_view client) {
    return VerifyWebAuthnRegistration(auth, client, Expect(), nullptr);
  };
  EXPECT_EQ(verify(good_auth, good_client), WebAuthnVerdict::kOk);
  EXPECT_EQ(verify(good_auth, ClientDataJson("webauthn.get", kChallenge, kOrigin)),
            WebAuthnVerdict::kWrongType);
  EXPECT_EQ(verify(good_auth, ClientDataJson("webauthn.create", std::string(32, 'x'), kOrigin)),
            WebAuthnVerdict::kWrongChallenge);
  EXPECT_EQ(verify(good_auth, ClientDataJson("webauthn.create", kChallenge,
                                             "https://wallet.example.cn.evil.com")),
            WebAuthnVerdict::kWrongOrigin);
  EXPECT_EQ(verify(authenticator.AuthData("evil.com", kUp | kAt, 0), good_client),
            WebAuthnVerdict::kWrongRpId);
  EXPECT_EQ(verify(authenticator.AuthData(kRpId, kAt, 0), good_client),
            WebAuthnVerdict::kUserNotPresent);
  EXPECT_EQ(VerifyWebAuthnRegistration(authenticator.AuthData(kRpId, kUp | kAt, 0), good_client,
                                       Expect(/*uv=*/true), nullptr),
            WebAuthnVerdict::kUserNotVerified);
  // No attested credential, or a key of an algorithm we do not take (RS256, -257).
  EXPECT_EQ(verify(authenticator.AuthData(kRpId, kUp, 0), good_client),
            WebAuthnVerdict::kUnsupportedKey);
  EXPECT_EQ(
      verify(authenticator.AuthData(kRpId, kUp | kAt, 0, authenticator.CoseKey(-257)), good_client),
      WebAuthnVerdict::kUnsupportedKey);
  // crossOrigin true: an iframe on another site.
  std::string cross = good_client;
  cross.replace(cross.find("false"), 5, "true");
  EXPECT_EQ(verify(good_auth, cross), WebAuthnVerdict::kWrongOrigin);
}

TEST(WebAuthnRegistrationTest, RefusesMalformedInput) {
  TestAuthenticator authenticator;
  const std::string auth = authenticator.AuthData(kRpId, kUp | kAt, 0);
  const std::string client = ClientDataJson("webauthn.create", kChallenge, kOrigin);
  // Truncated authData, trailing bytes, an AT flag without the data, an ED flag without a map.
  EXPECT_FALSE(ParseAuthenticatorData(auth.substr(0, auth.size() - 1)).has_value());
  EXPECT_FALSE(ParseAuthenticatorData(auth + "x").has_value());
  EXPECT_FALSE(ParseAuthenticatorData(authenticator.AuthData(kRpId, kUp, 0) + "x").has_value());
  EXPECT_FALSE(ParseAuthenticatorData(auth.substr(0, 36)).has_value());
  std::string with_ed = authenticator.AuthData(kRpId, kUp | kAuthDataExtensions, 0);
  EXPECT_FALSE(ParseAuthenticatorData(with_ed).has_value());
  EXPECT_TRUE(ParseAuthenticatorData(with_ed + "\xa0").has_value());  // an empty map
  EXPECT_EQ(VerifyWebAuthnRegistration(auth.substr(0, 50), client, Expect(), nullptr),
            WebAuthnVerdict::kMalformed);
  // Not JSON, not an object, a missing or non-string member.
  for (std::string_view bad :
       {std::string_view("{"), std::string_view("[]"),
        std::string_view(R"({"type":"webauthn.create","origin":"x"})"),
        std::string_view(R"({"type":1,"challenge":"a","origin":"x"})"),
        std::string_view(R"({"type":"a","challenge":"a","origin":"x","crossOrigin":"no"})")}) {
    EXPECT_EQ(VerifyWebAuthnRegistration(auth, bad, Expect(), nullptr), WebAuthnVerdict::kMalformed)
        << bad;
  }
  // Malformed CBOR attestation objects: garbage, truncated, trailing, missing or extra members.
  const std::string object = AttestationObject(auth);
  EXPECT_FALSE(AuthenticatorDataOfAttestation("\xff\x00garbage").has_value());
  // Headers declaring far more than the bytes hold (libcbor would allocate for them first):
  // a map of 2^32 - 1 entries, an array of 2^64 - 1 items, a 2^31-byte string, nesting 17 deep.
  EXPECT_FALSE(
      AuthenticatorDataOfAttestation(std::string("\xba\xff\xff\xff\xff\x01\x02", 7)).has_value());
  EXPECT_FALSE(
      ParseCoseKey(std::string("\x9b\xff\xff\xff\xff\xff\xff\xff\xff\x00", 10)).has_value());
  EXPECT_FALSE(
      AuthenticatorDataOfAttestation(std::string("\x5a\x80\x00\x00\x00\x00", 6)).has_value());
  EXPECT_FALSE(AuthenticatorDataOfAttestation(std::string(17, '\x81') + "\x00").has_value());
  EXPECT_FALSE(AuthenticatorDataOfAttestation(object.substr(0, object.size() - 3)).has_value());
  EXPECT_FALSE(AuthenticatorDataOfAttestation(object + std::string(1, '\0')).has_value());
  EXPECT_FALSE(AuthenticatorDataOfAttestation(testing::Cbor(cbor_new_definite_map(0))).has_value());
  cbor_item_t* array = cbor_new_definite_array(1);
  cbor_array_push(array, cbor_move(cbor_build_uint8(1)));
  EXPECT_FALSE(AuthenticatorDataOfAttestation(testing::Cbor(array)).has_value());
  // A COSE key that is not a map, an x off the curve.
  EXPECT_FALSE(ParseCoseKey("\x01").has_value());
  std::string off_curve = authenticator.CoseKey();
  off_curve[off_curve.size() - 1] ^= 0x01;
  EXPECT_FALSE(ParseCoseKey(off_curve).has_value());
}

// --- assertion ---

class WebAuthnAssertionTest : public ::testing::Test {
 protected:
  WebAuthnVerdict Verify(std::string_view auth, std::string_view client, std::string_view signature,
                         uint32_t stored = 0, bool uv = false, uint32_t* count = nullptr) {
    return VerifyWebAuthnAssertion(authenticator_.CoseKey(), stored, auth, client, signature,
                                   Expect(uv), count);
  }
  TestAuthenticator authenticator_;
  const std::string client_ = ClientDataJson("webauthn.get", kChallenge, kOrigin);
};

TEST_F(WebAuthnAssertionTest, AcceptsAGoodAssertionAndReportsTheCounter) {
  const std::string auth = authenticator_.AuthData(kRpId, kUpUv, 7);
  uint32_t count = 0;
  EXPECT_EQ(Verify(auth, client_, authenticator_.Sign(auth, client_), 6, true, &count),
            WebAuthnVerdict::kOk);
  EXPECT_EQ(count, 7u);
  // Authenticators that keep no counter send 0 every time: accepted while the stored one is 0.
  const std::string zero = authenticator_.AuthData(kRpId, kUp, 0);
  EXPECT_EQ(Verify(zero, client_, authenticator_.Sign(zero, client_), 0), WebAuthnVerdict::kOk);
}

TEST_F(WebAuthnAssertionTest, RefusesEachWrongField) {
  const std::string auth = authenticator_.AuthData(kRpId, kUp, 5);
  auto signed_verify = [&](std::string_view a, std::string_view c, bool uv = false) {
    return Verify(a, c, authenticator_.Sign(a, c), 4, uv);
  };
  EXPECT_EQ(signed_verify(auth, client_), WebAuthnVerdict::kOk);
  EXPECT_EQ(signed_verify(auth, ClientDataJson("webauthn.create", kChallenge, kOrigin)),
            WebAuthnVerdict::kWrongType);
  EXPECT_EQ(signed_verify(auth, ClientDataJson("webauthn.get", std::string(32, 'y'), kOrigin)),
            WebAuthnVerdict::kWrongChallenge);
  EXPECT_EQ(
      signed_verify(auth, ClientDataJson("webauthn.get", kChallenge, "http://wallet.example.cn")),
      WebAuthnVerdict::kWrongOrigin);
  const std::string other_rp = authenticator_.AuthData("example.cn", kUp, 5);
  EXPECT_EQ(signed_verify(other_rp, client_), WebAuthnVerdict::kWrongRpId);
  const std::string absent = authenticator_.AuthData(kRpId, 0, 5);
  EXPECT_EQ(signed_verify(absent, client_), WebAuthnVerdict::kUserNotPresent);
  // UP without UV: enough for a log-in, not where UV is required (payment confirmation).
  EXPECT_EQ(signed_verify(auth, client_, /*uv=*/true), WebAuthnVerdict::kUserNotVerified);
  const std::string verified = authenticator_.AuthData(kRpId, kUpUv, 5);
  EXPECT_EQ(signed_verify(verified, client_, /*uv=*/true), WebAuthnVerdict::kOk);
}

TEST_F(WebAuthnAssertionTest, RefusesBadSignatures) {
  const std::string auth = authenticator_.AuthData(kRpId, kUpUv, 5);
  std::string signature = authenticator_.Sign(auth, client_);
  // Signed over other authenticator data (the UV flag set after signing).
  const std::string unsigned_uv = authenticator_.AuthData(kRpId, kUp, 5);
  EXPECT_EQ(Verify(auth, client_, authenticator_.Sign(unsigned_uv, client_)),
            WebAuthnVerdict::kBadSignature);
  // Over other client data.
  const std::string other_client = ClientDataJson("webauthn.get", kChallenge, kOrigin, ",\"x\":1");
  EXPECT_EQ(Verify(auth, client_, authenticator_.Sign(auth, other_client)),
            WebAuthnVerdict::kBadSignature);
  // By another key.
  TestAuthenticator other;
  EXPECT_EQ(Verify(auth, client_, other.Sign(auth, client_)), WebAuthnVerdict::kBadSignature);
  // A flipped bit, a trailing byte (not strict DER), garbage.
  std::string flipped = signature;
  flipped[flipped.size() - 2] ^= 0x01;
  EXPECT_EQ(Verify(auth, client_, flipped), WebAuthnVerdict::kBadSignature);
  EXPECT_EQ(Verify(auth, client_, signature + '\0'), WebAuthnVerdict::kBadSignature);
  EXPECT_EQ(Verify(auth, client_, "not a signature"), WebAuthnVerdict::kBadSignature);
  EXPECT_EQ(Verify(auth, client_, ""), WebAuthnVerdict::kMalformed);
  EXPECT_EQ(Verify(auth, client_, signature), WebAuthnVerdict::kOk);
}

TEST_F(WebAuthnAssertionTest, ACounterThatDoesNotRiseIsACloneWarning) {
  for (uint32_t sent : {5u, 4u, 0u}) {
    const std::string auth = authenticator_.AuthData(kRpId, kUp, sent);
    EXPECT_EQ(Verify(auth, client_, authenticator_.Sign(auth, client_), 5),
              WebAuthnVerdict::kSignCountNotRising)
        << sent;
  }
  const std::string auth = authenticator_.AuthData(kRpId, kUp, 6);
  EXPECT_EQ(Verify(auth, client_, authenticator_.Sign(auth, client_), 5), WebAuthnVerdict::kOk);
  // A forged answer never reads as a clone warning: the signature is checked first.
  const std::string stale = authenticator_.AuthData(kRpId, kUp, 1);
  EXPECT_EQ(Verify(stale, client_, "forged", 5), WebAuthnVerdict::kBadSignature);
}

TEST(WebAuthnEdDsaTest, AcceptsEd25519Credentials) {
  TestAuthenticator authenticator(kCoseAlgEdDsa);
  const std::string registration = authenticator.AuthData(kRpId, kUpUv | kAt, 0);
  WebAuthnCredential credential;
  ASSERT_EQ(VerifyWebAuthnRegistration(registration,
                                       ClientDataJson("webauthn.create", kChallenge, kOrigin),
                                       Expect(), &credential),
            WebAuthnVerdict::kOk);
  EXPECT_EQ(credential.alg, kCoseAlgEdDsa);
  const std::string client = ClientDataJson("webauthn.get", kChallenge, kOrigin);
  const std::string auth = authenticator.AuthData(kRpId, kUpUv, 1);
  EXPECT_EQ(VerifyWebAuthnAssertion(credential.cose_key, 0, auth, client,
                                    authenticator.Sign(auth, client), Expect(true), nullptr),
            WebAuthnVerdict::kOk);
  std::string bad = authenticator.Sign(auth, client);
  bad[0] ^= 0x01;
  EXPECT_EQ(
      VerifyWebAuthnAssertion(credential.cose_key, 0, auth, client, bad, Expect(true), nullptr),
      WebAuthnVerdict::kBadSignature);
}

TEST(WebAuthnBase64UrlTest, DecodesOnlyCanonicalText) {
  EXPECT_EQ(DecodeBase64Url("AQID", 3), std::string("\x01\x02\x03"));
  EXPECT_EQ(DecodeBase64Url("", 3), std::string());
  EXPECT_FALSE(DecodeBase64Url("AQID", 2).has_value());  // too long
  EXPECT_FALSE(DecodeBase64Url("AQI=", 3).has_value());  // padding
  EXPECT_FALSE(DecodeBase64Url("AQJ", 3).has_value());   // non-zero unused bits
  EXPECT_FALSE(DecodeBase64Url("AQ+/", 3).has_value());  // the other alphabet
  EXPECT_EQ(EncodeBase64Url("\x01\x02\x03"), "AQID");
}

// --- the device-key book ---

constexpr int64_t kNow = 1'700'000'000'000'000'000;
constexpr uint64_t kAlice = 7;

class WebAuthnBookTest : public ::testing::Test {
 protected:
  // Issues a binding challenge and registers `authenticator_` with it.
  uint64_t Bind(int64_t now = kNow) {
    Challenge issued;
    const Challenge drawn = NewChallenge(0, ChallengePurpose::kDeviceBinding, now,
                                         DeviceKeyBook::WebAuthnBindingContext(kAlice));
    EXPECT_EQ(book_.IssueChallenge(kAlice, true, drawn, now, &issued), DeviceKeyResult::kOk);
    const std::string client = ClientDataJson("webauthn.create", Nonce(issued), kOrigin);
    const std::string auth = authenticator_.AuthData(kRpId, kUpUv | kAt, 0);
    EXPECT_EQ(book_.RegisterWebAuthn(kAlice, issued.device_id, "Pixel", issued.nonce,
                                     Proof(auth, client, ""), now),
              DeviceKeyResult::kOk);
    return issued.device_id;
  }

  static std::string Nonce(const Challenge& c) {
    return std::string(reinterpret_cast<const char*>(c.nonce.data()), c.nonce.size());
  }

  WebAuthnProof Proof(const std::string& auth, const std::string& client,
                      const std::string& signature) {
    // The views must outlive the call: keep the strings here.
    auth_ = auth;
    client_ = client;
    signature_ = signature;
    return {.authenticator_data = auth_,
            .client_data_json = client_,
            .signature = signature_,
            .rp_id = kRpId,
            .origin = kOrigin};
  }

  Challenge IssueFor(uint64_t device, ChallengePurpose purpose, std::string_view context,
                     int64_t now = kNow) {
    Challenge issued;
    EXPECT_EQ(book_.IssueChallenge(kAlice, true, NewChallenge(device, purpose, now, context), now,
                                   &issued),
              DeviceKeyResult::kOk);
    return issued;
  }

  // An assertion for `challenge` with counter `count` and `flags`, answered at `now`.
  DeviceKeyResult Answer(const Challenge& challenge, uint32_t count, uint8_t flags = kUpUv,
                         int64_t now = kNow, uint32_t* tries = nullptr,
                         std::string_view signature_override = "") {
    const std::string client = ClientDataJson("webauthn.get", Nonce(challenge), kOrigin);
    const std::string auth = authenticator_.AuthData(kRpId, flags, count);
    const std::string signature = signature_override.empty()
                                      ? EncodeBase64Url(authenticator_.Sign(auth, client))
                                      : std::string(signature_override);
    return book_.AnswerWebAuthn(kAlice, challenge.device_id, challenge.purpose, challenge.context,
                                challenge.nonce, Proof(auth, client, signature), now, tries);
  }

  DeviceKeyBook book_;
  TestAuthenticator authenticator_;
  std::string auth_, client_, signature_;
};

TEST_F(WebAuthnBookTest, RegistersAndAnswersLogInAndPaymentChallenges) {
  const uint64_t device = Bind();
  const DeviceKey* key = book_.Find(device);
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(key->kind, DeviceKeyKind::kWebAuthn);
  EXPECT_EQ(key->credential_id, authenticator_.credential_id());
  EXPECT_FALSE(key->public_key.has_value());
  EXPECT_EQ(Answer(IssueFor(device, ChallengePurpose::kLogin, ""), 1, kUp), DeviceKeyResult::kOk);
  EXPECT_EQ(Answer(IssueFor(device, ChallengePurpose::kPaymentConfirmation, "payment:1:500"), 2),
            DeviceKeyResult::kOk);
  EXPECT_EQ(book_.Find(device)->sign_count, 2u);
  EXPECT_EQ(book_.Find(device)->last_used_ns, kNow);
}

TEST_F(WebAuthnBookTest, RefusesReplayedExpiredAndUnverifiedAnswers) {
  const uint64_t device = Bind();
  const Challenge payment = IssueFor(device, ChallengePurpose::kPaymentConfirmation, "payment:1:5");
  // UP only for a payment: refused, and the challenge is spent.
  EXPECT_EQ(Answer(payment, 1, kUp), DeviceKeyResult::kUserNotVerified);
  EXPECT_EQ(Answer(payment, 2), DeviceKeyResult::kReplayed);
  const Challenge login = IssueFor(device, ChallengePurpose::kLogin, "");
  EXPECT_EQ(Answer(login, 3), DeviceKeyResult::kOk);
  EXPECT_EQ(Answer(login, 4), DeviceKeyResult::kReplayed);
  const Challenge late = IssueFor(device, ChallengePurpose::kLogin, "");
  EXPECT_EQ(Answer(late, 5, kUpUv, kNow + kChallengeLifetimeNs), DeviceKeyResult::kExpired);
  // A clone warning refuses, spends the challenge and leaves the counter where it was.
  EXPECT_EQ(Answer(IssueFor(device, ChallengePurpose::kLogin, ""), 3),
            DeviceKeyResult::kCloneWarning);
  EXPECT_EQ(book_.Find(device)->sign_count, 3u);
  // Unparsable answers consume nothing.
  const Challenge kept = IssueFor(device, ChallengePurpose::kLogin, "");
  EXPECT_EQ(book_.AnswerWebAuthn(kAlice, device, ChallengePurpose::kLogin, "", kept.nonce,
                                 Proof("short", "{}", "AAAA"), kNow, nullptr),
            DeviceKeyResult::kMalformedSignature);
  EXPECT_EQ(Answer(kept, 9), DeviceKeyResult::kOk);
  // An Ed25519 answer to a WebAuthn key is malformed.
  const Challenge bare = IssueFor(device, ChallengePurpose::kLogin, "");
  EXPECT_EQ(book_.Answer(kAlice, device, ChallengePurpose::kLogin, "", bare.nonce,
                         std::string(86, 'A'), kNow, nullptr),
            DeviceKeyResult::kMalformedSignature);
}

TEST_F(WebAuthnBookTest, WrongSignaturesCountTowardsTheLockout) {
  const uint64_t device = Bind();
  uint32_t tries = 99;
  EXPECT_EQ(Answer(IssueFor(device, ChallengePurpose::kLogin, ""), 1, kUpUv, kNow, &tries,
                   EncodeBase64Url("forged")),
            DeviceKeyResult::kBadSignature);
  EXPECT_EQ(tries, kMaxDeviceBadSignatures - 1);
  for (uint32_t i = 2; i < kMaxDeviceBadSignatures; i++) {
    EXPECT_EQ(Answer(IssueFor(device, ChallengePurpose::kLogin, ""), i, kUpUv, kNow, &tries,
                     EncodeBase64Url("forged")),
              DeviceKeyResult::kBadSignature);
  }
  EXPECT_EQ(Answer(IssueFor(device, ChallengePurpose::kLogin, ""), 9, kUpUv, kNow, &tries,
                   EncodeBase64Url("forged")),
            DeviceKeyResult::kSuspendedNow);
  EXPECT_TRUE(book_.Find(device)->suspended);
}

TEST_F(WebAuthnBookTest, RegistrationRefusesWrongAnswersAndReusedCredentials) {
  Challenge issued;
  const auto issue = [&] {
    EXPECT_EQ(book_.IssueChallenge(kAlice, true,
                                   NewChallenge(0, ChallengePurpose::kDeviceBinding, kNow,
                                                DeviceKeyBook::WebAuthnBindingContext(kAlice)),
                                   kNow, &issued),
              DeviceKeyResult::kOk);
  };
  issue();
  const std::string auth = authenticator_.AuthData(kRpId, kUp | kAt, 0);
  // Another origin: refused, and the binding challenge is spent.
  EXPECT_EQ(
      book_.RegisterWebAuthn(
          kAlice, issued.device_id, "x", issued.nonce,
          Proof(auth, ClientDataJson("webauthn.create", Nonce(issued), "https://evil.example"), ""),
          kNow),
      DeviceKeyResult::kBadSignature);
  const std::string good_client = ClientDataJson("webauthn.create", Nonce(issued), kOrigin);
  EXPECT_EQ(book_.RegisterWebAuthn(kAlice, issued.device_id, "x", issued.nonce,
                                   Proof(auth, good_client, ""), kNow),
            DeviceKeyResult::kReplayed);
  // A binding challenge for another customer's context cannot be used.
  issue();
  EXPECT_EQ(book_.RegisterWebAuthn(
                kAlice + 1, issued.device_id, "x", issued.nonce,
                Proof(auth, ClientDataJson("webauthn.create", Nonce(issued), kOrigin), ""), kNow),
            DeviceKeyResult::kUnknownChallenge);
  // Expired.
  EXPECT_EQ(book_.RegisterWebAuthn(
                kAlice, issued.device_id, "x", issued.nonce,
                Proof(auth, ClientDataJson("webauthn.create", Nonce(issued), kOrigin), ""),
                kNow + kChallengeLifetimeNs),
            DeviceKeyResult::kExpired);
  // Good, then the same credential again: taken.
  Bind();
  issue();
  EXPECT_EQ(book_.RegisterWebAuthn(
                kAlice, issued.device_id, "x", issued.nonce,
                Proof(auth, ClientDataJson("webauthn.create", Nonce(issued), kOrigin), ""), kNow),
            DeviceKeyResult::kKeyTaken);
  // Malformed CBOR in the authenticator data consumes nothing.
  issue();
  std::string broken = auth;
  broken.resize(broken.size() - 4);
  EXPECT_EQ(book_.RegisterWebAuthn(
                kAlice, issued.device_id, "x", issued.nonce,
                Proof(broken, ClientDataJson("webauthn.create", Nonce(issued), kOrigin), ""), kNow),
            DeviceKeyResult::kMalformedSignature);
  EXPECT_NE(book_.challenges().FindOutstanding(issued.nonce), nullptr);
}

TEST_F(WebAuthnBookTest, CheckpointRoundTripsAndVersionOneStillLoads) {
  const uint64_t device = Bind();
  ASSERT_EQ(Answer(IssueFor(device, ChallengePurpose::kLogin, ""), 4), DeviceKeyResult::kOk);
  std::string bytes;
  book_.Serialize(&bytes);
  DeviceKeyBook loaded;
  ASSERT_TRUE(loaded.Deserialize(bytes));
  ASSERT_NE(loaded.Find(device), nullptr);
  EXPECT_EQ(*loaded.Find(device), *book_.Find(device));
  std::string again;
  loaded.Serialize(&again);
  EXPECT_EQ(again, bytes);
  // A broken COSE key in a checkpoint is refused.
  std::string broken = bytes;
  const size_t at = broken.find(book_.Find(device)->cose_key);
  ASSERT_NE(at, std::string::npos);
  broken[at] = '\x01';
  EXPECT_FALSE(loaded.Deserialize(broken));

  // Version 1, as written before WebAuthn: one Ed25519 key, then an empty challenge book.
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(pk, sk);
  std::string v1;
  ByteWriter w(&v1);
  w.U32(0x4b444251);  // "QBDK"
  w.U64(4);           // next device id
  w.U64(1);
  w.U64(3);
  w.U64(kAlice);
  w.Bytes(std::string_view(reinterpret_cast<const char*>(pk), sizeof pk));
  w.LengthPrefixed("old phone");
  w.I64(kNow);
  w.I64(0);
  w.U32(1);
  w.U8(0);
  ChallengeBook().Serialize(&v1);
  DeviceKeyBook old;
  ASSERT_TRUE(old.Deserialize(v1));
  const DeviceKey* key = old.Find(3);
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(key->kind, DeviceKeyKind::kEd25519);
  ASSERT_TRUE(key->public_key.has_value());
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(key->public_key->bytes().data()), 32),
            std::string(reinterpret_cast<const char*>(pk), 32));
  EXPECT_EQ(key->name, "old phone");
  EXPECT_EQ(key->bad_signatures, 1u);
  EXPECT_EQ(old.next_device_id(), 4u);
}

}  // namespace
}  // namespace qb::mfa
