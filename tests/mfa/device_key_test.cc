#include "mfa/device_key.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <array>
#include <set>
#include <string>

namespace qb::mfa {
namespace {

constexpr int kBase64Variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
constexpr int64_t kIssuedNs = 1'700'000'000'000'000'000;
constexpr int64_t kExpiresNs = kIssuedNs + kChallengeLifetimeNs;

std::string Base64Url(const unsigned char* bytes, size_t size) {
  std::string text(sodium_base64_ENCODED_LEN(size, kBase64Variant), '\0');
  sodium_bin2base64(text.data(), text.size(), bytes, size, kBase64Variant);
  text.pop_back();
  return text;
}

std::string FromHex(std::string_view hex) {
  std::string bytes(hex.size() / 2, '\0');
  size_t length = 0;
  EXPECT_EQ(sodium_hex2bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(), hex.data(),
                           hex.size(), nullptr, &length, nullptr),
            0);
  EXPECT_EQ(length, bytes.size());
  return bytes;
}

// Nonce bytes first, first+1, ..., so every test challenge has a distinct, readable nonce.
ChallengeNonce Nonce(uint8_t first) {
  ChallengeNonce nonce;
  for (size_t i = 0; i < nonce.size(); i++) nonce[i] = static_cast<uint8_t>(first + i);
  return nonce;
}

// A nonce that spells `n` in its first eight bytes, for filling the book.
ChallengeNonce NumberedNonce(uint64_t n) {
  ChallengeNonce nonce{};
  for (size_t i = 0; i < 8; i++) nonce[i] = static_cast<uint8_t>(n >> (8 * i));
  nonce[31] = 0xee;
  return nonce;
}

struct Device {
  std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> public_key;
  std::array<unsigned char, crypto_sign_SECRETKEYBYTES> secret_key;

  Device() {
    EXPECT_GE(sodium_init(), 0);
    crypto_sign_keypair(public_key.data(), secret_key.data());
  }
  DevicePublicKey Key() const {
    std::optional<DevicePublicKey> key =
        DevicePublicKey::FromBase64Url(Base64Url(public_key.data(), public_key.size()));
    EXPECT_TRUE(key.has_value());
    return *key;
  }
  std::string Sign(const Challenge& challenge) const {
    const std::string message = ChallengeMessage(challenge);
    std::array<unsigned char, crypto_sign_BYTES> signature;
    crypto_sign_detached(signature.data(), nullptr,
                         reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                         secret_key.data());
    return Base64Url(signature.data(), signature.size());
  }
};

TEST(DevicePublicKeyTest, AcceptsAGeneratedKeyAndRoundTrips) {
  Device device;
  const std::string text = Base64Url(device.public_key.data(), device.public_key.size());
  ASSERT_EQ(text.size(), 43u);
  std::optional<DevicePublicKey> key = DevicePublicKey::FromBase64Url(text);
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ(key->ToBase64Url(), text);
  EXPECT_TRUE(std::equal(key->bytes().begin(), key->bytes().end(), device.public_key.begin()));
  EXPECT_EQ(DevicePublicKey::FromBytes(
                std::string(reinterpret_cast<const char*>(device.public_key.data()), 32)),
            key);
}

TEST(DevicePublicKeyTest, RejectsWrongLengthAndBadEncoding) {
  Device device;
  const std::string good = Base64Url(device.public_key.data(), device.public_key.size());
  std::array<unsigned char, 33> long_key{};
  std::copy(device.public_key.begin(), device.public_key.end(), long_key.begin());
  const std::string bad[] = {
      "",
      Base64Url(device.public_key.data(), 31),      // 31 bytes
      Base64Url(long_key.data(), long_key.size()),  // 33 bytes
      good + "=",                                   // padding
      good.substr(0, 42) + "+",                     // standard, not url-safe, alphabet
      good.substr(0, 42) + "/",
      good.substr(0, 42) + "*",
      " " + good.substr(1),
      good.substr(0, 21) + "\n" + good.substr(22),
  };
  for (const std::string& text : bad) {
    EXPECT_FALSE(DevicePublicKey::FromBase64Url(text).has_value()) << text;
  }
  EXPECT_FALSE(DevicePublicKey::FromBytes(std::string(31, '\x01')).has_value());
  EXPECT_FALSE(DevicePublicKey::FromBytes(std::string(33, '\x01')).has_value());
}

// 43 characters carry 258 bits; the last character's two low bits are not part of the key and
// must be zero, or several texts would name the same key.
TEST(DevicePublicKeyTest, RejectsNonCanonicalBase64) {
  Device device;
  const std::string good = Base64Url(device.public_key.data(), device.public_key.size());
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const size_t last = alphabet.find(good.back());
  ASSERT_EQ(last % 4, 0u);
  for (size_t low = 1; low < 4; low++) {
    std::string text = good;
    text.back() = alphabet[last + low];
    EXPECT_FALSE(DevicePublicKey::FromBase64Url(text).has_value()) << text;
  }
}

TEST(DevicePublicKeyTest, RejectsInvalidPoints) {
  const std::string invalid[] = {
      // The identity (y = 1): small order, verifies "signatures" that sign nothing.
      FromHex("0100000000000000000000000000000000000000000000000000000000000000"),
      // y = 0: a point of order 4.
      FromHex("0000000000000000000000000000000000000000000000000000000000000000"),
      // A point of order 8 (from libsodium's small-order blocklist).
      FromHex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"),
      // y = p = 2^255 - 19 and y = p + 1: non-canonical encodings of 0 and 1.
      FromHex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
      FromHex("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
      // y = 2 is not on the curve (x^2 would have to be a non-square).
      FromHex("0200000000000000000000000000000000000000000000000000000000000000"),
  };
  for (const std::string& bytes : invalid) {
    EXPECT_FALSE(DevicePublicKey::FromBytes(bytes).has_value());
    EXPECT_FALSE(DevicePublicKey::FromBase64Url(
                     Base64Url(reinterpret_cast<const unsigned char*>(bytes.data()), 32))
                     .has_value());
  }
}

// A real key plus a point of order 8 is on the curve and canonical but outside the prime-order
// subgroup: crypto_sign_verify_detached would take it; registration must not.
TEST(DevicePublicKeyTest, RejectsKeyWithTorsionComponent) {
  Device device;
  const std::string order8 =
      FromHex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a");
  std::array<unsigned char, 32> mixed{};
  ASSERT_EQ(crypto_core_ed25519_add(mixed.data(), device.public_key.data(),
                                    reinterpret_cast<const unsigned char*>(order8.data())),
            0);
  EXPECT_FALSE(
      DevicePublicKey::FromBytes(std::string(reinterpret_cast<const char*>(mixed.data()), 32))
          .has_value());
}

TEST(ChallengeTest, NewChallengeDrawsFreshNoncesAndFixesTheLifetime) {
  std::set<ChallengeNonce> nonces;
  for (int i = 0; i < 100; i++) {
    Challenge challenge =
        NewChallenge(7, ChallengePurpose::kPaymentConfirmation, kIssuedNs, "payment:1");
    EXPECT_EQ(challenge.device_id, 7u);
    EXPECT_EQ(challenge.purpose, ChallengePurpose::kPaymentConfirmation);
    EXPECT_EQ(challenge.issued_ns, kIssuedNs);
    EXPECT_EQ(challenge.expires_ns, kIssuedNs + 120'000'000'000);
    EXPECT_EQ(challenge.context, "payment:1");
    nonces.insert(challenge.nonce);
  }
  EXPECT_EQ(nonces.size(), 100u);
}

TEST(ChallengeTest, PurposeNamesRoundTrip) {
  for (uint8_t value = 1; value <= kMaxChallengePurpose; value++) {
    const auto purpose = static_cast<ChallengePurpose>(value);
    EXPECT_EQ(ParseChallengePurpose(ChallengePurposeName(purpose)), purpose);
  }
  EXPECT_EQ(ChallengePurposeName(ChallengePurpose::kPaymentConfirmation), "payment_confirmation");
  EXPECT_FALSE(ParseChallengePurpose("Login").has_value());
  EXPECT_FALSE(ParseChallengePurpose("").has_value());
  EXPECT_EQ(ChallengeVerdictName(ChallengeVerdict::kAlreadyUsed), "already_used");
  EXPECT_EQ(ChallengeVerdictName(ChallengeVerdict::kBadSignature), "bad_signature");
}

// The golden bytes the H5 app and the phone build; changing them breaks every client.
TEST(ChallengeTest, MessageGoldenBytes) {
  const Challenge login = MakeChallenge(Nonce(0), 42, ChallengePurpose::kLogin, kIssuedNs, "");
  EXPECT_EQ(ChallengeMessage(login),
            "qianbao device challenge v1\n"
            "login\n"
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n"
            "42\n"
            "1700000120000000000\n");
  const Challenge payment = MakeChallenge(Nonce(0), 42, ChallengePurpose::kPaymentConfirmation,
                                          kIssuedNs, "payment:9001;amount_fen:12345;CNY");
  EXPECT_EQ(ChallengeMessage(payment),
            "qianbao device challenge v1\n"
            "payment_confirmation\n"
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n"
            "42\n"
            "1700000120000000000\n"
            "7061796d656e743a393030313b616d6f756e745f66656e3a31323334353b434e59");
  const Challenge zero = MakeChallenge(Nonce(0xf0), 0, ChallengePurpose::kDeviceBinding, 0,
                                       std::string("\x00\xff", 2));
  EXPECT_EQ(ChallengeMessage(zero),
            "qianbao device challenge v1\n"
            "device_binding\n"
            "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff000102030405060708090a0b0c0d0e0f\n"
            "0\n"
            "120000000000\n"
            "00ff");
}

// Signatures made by another implementation (Python cryptography / OpenSSL) with the RFC 8032
// section 7.1 test 1 key over the golden messages above: what a phone produces must verify.
TEST(ChallengeTest, VerifiesSignaturesFromAnotherImplementation) {
  const std::optional<DevicePublicKey> key =
      DevicePublicKey::FromBase64Url("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo");
  ASSERT_TRUE(key.has_value());
  ChallengeBook book;
  const Challenge login = MakeChallenge(Nonce(0), 42, ChallengePurpose::kLogin, kIssuedNs, "");
  ASSERT_EQ(book.Issue(login), IssueResult::kOk);
  EXPECT_EQ(VerifyChallengeResponse(*key, login,
                                    "2G5ZAHsOIf-NcZS6hnnKwJmWEMybsEWzoJdDob1n7yFfmi_-r0C2OSMejzWI0K"
                                    "TCoLr9ZIDdbBm0kv1-VxROCQ",
                                    kIssuedNs, &book),
            ChallengeVerdict::kOk);
  book.Clear();
  const Challenge payment = MakeChallenge(Nonce(0), 42, ChallengePurpose::kPaymentConfirmation,
                                          kIssuedNs, "payment:9001;amount_fen:12345;CNY");
  ASSERT_EQ(book.Issue(payment), IssueResult::kOk);
  EXPECT_EQ(VerifyChallengeResponse(*key, payment,
                                    "bJ3ytGsdj_O5MJuBignPZRXieQku0J9-28aZDU3wA7Ehh8ar1KmHCJS_SW2wZf"
                                    "0RsqqqRh0XNipIAtFANPgGAg",
                                    kIssuedNs, &book),
            ChallengeVerdict::kOk);
}

class VerifyTest : public ::testing::Test {
 protected:
  Challenge IssueFor(uint8_t nonce_first, ChallengePurpose purpose = ChallengePurpose::kLogin,
                     std::string_view context = "") {
    Challenge challenge = MakeChallenge(Nonce(nonce_first), 5, purpose, kIssuedNs, context);
    EXPECT_EQ(book_.Issue(challenge), IssueResult::kOk);
    return challenge;
  }
  ChallengeVerdict Verify(const Challenge& challenge, std::string_view signature,
                          int64_t now_ns = kIssuedNs + 1) {
    return VerifyChallengeResponse(device_.Key(), challenge, signature, now_ns, &book_);
  }

  Device device_;
  ChallengeBook book_;
};

TEST_F(VerifyTest, OkOnceThenAlreadyUsed) {
  const Challenge challenge = IssueFor(1);
  const std::string signature = device_.Sign(challenge);
  EXPECT_EQ(Verify(challenge, signature), ChallengeVerdict::kOk);
  EXPECT_EQ(book_.FindOutstanding(challenge.nonce), nullptr);
  EXPECT_TRUE(book_.WasUsed(challenge.nonce));
  EXPECT_EQ(Verify(challenge, signature), ChallengeVerdict::kAlreadyUsed);
}

TEST_F(VerifyTest, AcceptsTheBooksOwnCopyAsExpected) {
  const Challenge challenge = IssueFor(1);
  const Challenge* stored = book_.FindOutstanding(challenge.nonce);
  ASSERT_NE(stored, nullptr);
  EXPECT_EQ(Verify(*stored, device_.Sign(challenge)), ChallengeVerdict::kOk);
}

TEST_F(VerifyTest, SignatureOverAnotherNonceIsRefusedAndSpendsTheTry) {
  const Challenge a = IssueFor(1);
  const Challenge b = IssueFor(2);
  EXPECT_EQ(Verify(b, device_.Sign(a)), ChallengeVerdict::kBadSignature);
  EXPECT_EQ(book_.FindOutstanding(b.nonce), nullptr);
  EXPECT_EQ(Verify(b, device_.Sign(b)), ChallengeVerdict::kAlreadyUsed);
  // A was not touched and still works.
  EXPECT_EQ(Verify(a, device_.Sign(a)), ChallengeVerdict::kOk);
}

TEST_F(VerifyTest, BadSignaturesAreConsumed) {
  const Challenge challenge = IssueFor(1, ChallengePurpose::kPaymentConfirmation, "pay:1;10");
  Device other;
  EXPECT_EQ(
      VerifyChallengeResponse(other.Key(), challenge, device_.Sign(challenge), kIssuedNs, &book_),
      ChallengeVerdict::kBadSignature);
  EXPECT_EQ(Verify(challenge, device_.Sign(challenge)), ChallengeVerdict::kAlreadyUsed);

  // A flipped bit; the phone signing the right nonce for another purpose or amount.
  const Challenge flipped = IssueFor(2);
  std::string signature = device_.Sign(flipped);
  signature[10] = signature[10] == 'A' ? 'B' : 'A';
  EXPECT_EQ(Verify(flipped, signature), ChallengeVerdict::kBadSignature);
  const Challenge payment = IssueFor(3, ChallengePurpose::kPaymentConfirmation, "pay:2;10");
  Challenge as_login = payment;
  as_login.purpose = ChallengePurpose::kLogin;
  EXPECT_EQ(Verify(payment, device_.Sign(as_login)), ChallengeVerdict::kBadSignature);
  const Challenge other_amount = IssueFor(4, ChallengePurpose::kPaymentConfirmation, "pay:3;10");
  Challenge cheaper = other_amount;
  cheaper.context = "pay:3;1";
  EXPECT_EQ(Verify(other_amount, device_.Sign(cheaper)), ChallengeVerdict::kBadSignature);
}

TEST_F(VerifyTest, ExpiresAtExpiresNs) {
  const Challenge late = IssueFor(1);
  EXPECT_EQ(Verify(late, device_.Sign(late), kExpiresNs), ChallengeVerdict::kExpired);
  EXPECT_EQ(book_.FindOutstanding(late.nonce), nullptr);
  EXPECT_EQ(Verify(late, device_.Sign(late), kExpiresNs), ChallengeVerdict::kUnknownChallenge);
  const Challenge just_in_time = IssueFor(2);
  EXPECT_EQ(Verify(just_in_time, device_.Sign(just_in_time), kExpiresNs - 1),
            ChallengeVerdict::kOk);
}

TEST_F(VerifyTest, MalformedSignaturesConsumeNothing) {
  const Challenge challenge = IssueFor(1);
  const std::string good = device_.Sign(challenge);
  ASSERT_EQ(good.size(), 86u);
  const std::string malformed[] = {
      "",
      good.substr(0, 85),
      good + "A",
      good + "==",
      good.substr(0, 85) + "+",
      good.substr(0, 85) + ".",
      std::string(86, '!'),
  };
  for (const std::string& signature : malformed) {
    EXPECT_EQ(Verify(challenge, signature), ChallengeVerdict::kMalformedSignature) << signature;
  }
  // 86 characters carry 516 bits: the last one's four low bits must be zero.
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const size_t last = alphabet.find(good.back());
  ASSERT_EQ(last % 16, 0u);
  std::string non_canonical = good;
  non_canonical.back() = alphabet[last + 1];
  EXPECT_EQ(Verify(challenge, non_canonical), ChallengeVerdict::kMalformedSignature);
  // Even after expiry a malformed signature is reported as such and nothing changes.
  EXPECT_EQ(Verify(challenge, "x", kExpiresNs + 1), ChallengeVerdict::kMalformedSignature);
  EXPECT_NE(book_.FindOutstanding(challenge.nonce), nullptr);
  EXPECT_EQ(Verify(challenge, good), ChallengeVerdict::kOk);
}

TEST_F(VerifyTest, UnknownChallengesConsumeNothing) {
  const Challenge never_issued =
      MakeChallenge(Nonce(9), 5, ChallengePurpose::kLogin, kIssuedNs, "");
  EXPECT_EQ(Verify(never_issued, device_.Sign(never_issued)), ChallengeVerdict::kUnknownChallenge);

  // The right nonce presented for another device, purpose, context or time.
  const Challenge real = IssueFor(1, ChallengePurpose::kPaymentConfirmation, "pay:1;100");
  Challenge other_device = real;
  other_device.device_id = 6;
  Challenge other_purpose = real;
  other_purpose.purpose = ChallengePurpose::kLogin;
  Challenge other_context = real;
  other_context.context = "pay:1;1";
  Challenge other_time = MakeChallenge(real.nonce, 5, real.purpose, kIssuedNs + 1, real.context);
  for (const Challenge* forged : {&other_device, &other_purpose, &other_context, &other_time}) {
    EXPECT_EQ(Verify(*forged, device_.Sign(*forged)), ChallengeVerdict::kUnknownChallenge);
  }
  EXPECT_EQ(Verify(real, device_.Sign(real)), ChallengeVerdict::kOk);
}

TEST(ChallengeBookTest, IssueRefusesDuplicateNonces) {
  ChallengeBook book;
  const Challenge challenge = MakeChallenge(Nonce(1), 5, ChallengePurpose::kLogin, kIssuedNs, "");
  EXPECT_EQ(book.Issue(challenge), IssueResult::kOk);
  EXPECT_EQ(book.Issue(challenge), IssueResult::kDuplicateNonce);
  Device device;
  EXPECT_EQ(
      VerifyChallengeResponse(device.Key(), challenge, device.Sign(challenge), kIssuedNs, &book),
      ChallengeVerdict::kOk);
  // A replayed issue command cannot revive a used nonce.
  EXPECT_EQ(book.Issue(challenge), IssueResult::kDuplicateNonce);
  EXPECT_EQ(book.outstanding_count(), 0u);
}

TEST(ChallengeBookTest, ADeviceKeepsItsNewestChallenges) {
  ChallengeBook book;
  const size_t max = ChallengeBook::kMaxOutstandingPerDevice;
  for (size_t i = 0; i <= max; i++) {
    const Challenge challenge = MakeChallenge(NumberedNonce(i), 5, ChallengePurpose::kLogin,
                                              kIssuedNs + static_cast<int64_t>(i), "");
    ASSERT_EQ(book.Issue(challenge), IssueResult::kOk);
  }
  EXPECT_EQ(book.outstanding_count(5), max);
  EXPECT_EQ(book.FindOutstanding(NumberedNonce(0)), nullptr);  // the oldest went
  EXPECT_NE(book.FindOutstanding(NumberedNonce(1)), nullptr);
  EXPECT_NE(book.FindOutstanding(NumberedNonce(max)), nullptr);
  const Challenge other = MakeChallenge(Nonce(1), 6, ChallengePurpose::kLogin, kIssuedNs, "");
  EXPECT_EQ(book.Issue(other), IssueResult::kOk);
  EXPECT_EQ(book.outstanding_count(6), 1u);
  EXPECT_EQ(book.outstanding_count(), max + 1);
}

TEST(ChallengeBookTest, FullBookRefusesUntilChallengesExpire) {
  ChallengeBook book;
  const size_t max = ChallengeBook::kMaxOutstandingChallenges;
  const size_t per_device = ChallengeBook::kMaxOutstandingPerDevice;
  for (size_t i = 0; i < max; i++) {
    // Issue times spread over the first second so the expired ones go in order.
    const Challenge challenge =
        MakeChallenge(NumberedNonce(i), i / per_device, ChallengePurpose::kLogin,
                      kIssuedNs + static_cast<int64_t>(i), "");
    ASSERT_EQ(book.Issue(challenge), IssueResult::kOk);
  }
  ASSERT_EQ(book.outstanding_count(), max);
  const Challenge newcomer =
      MakeChallenge(Nonce(1), 1'000'000, ChallengePurpose::kLogin, kIssuedNs + 1'000'000, "");
  EXPECT_EQ(book.Issue(newcomer), IssueResult::kFull);
  EXPECT_EQ(book.FindOutstanding(newcomer.nonce), nullptr);
  // A device at its own limit still replaces its oldest challenge when the book is full.
  const Challenge replacing =
      MakeChallenge(Nonce(2), 0, ChallengePurpose::kLogin, kIssuedNs + 1'000'000, "");
  EXPECT_EQ(book.Issue(replacing), IssueResult::kOk);
  EXPECT_EQ(book.FindOutstanding(NumberedNonce(0)), nullptr);
  // Once challenges 1 and 2 have expired (0 was evicted), a newcomer fits.
  const Challenge later =
      MakeChallenge(Nonce(3), 1'000'000, ChallengePurpose::kLogin, kExpiresNs + 2, "");
  EXPECT_EQ(book.Issue(later), IssueResult::kOk);
  EXPECT_EQ(book.FindOutstanding(NumberedNonce(1)), nullptr);
  EXPECT_EQ(book.FindOutstanding(NumberedNonce(2)), nullptr);
  EXPECT_NE(book.FindOutstanding(NumberedNonce(3)), nullptr);
  EXPECT_EQ(book.outstanding_count(), max - 1);
}

TEST(ChallengeBookTest, IssuePrunesABatchAndPruneExpiredTheRest) {
  ChallengeBook book;
  for (uint64_t i = 0; i < 100; i++) {
    const Challenge challenge = MakeChallenge(NumberedNonce(i), i, ChallengePurpose::kLogin,
                                              kIssuedNs + static_cast<int64_t>(i), "");
    ASSERT_EQ(book.Issue(challenge), IssueResult::kOk);
  }
  const Challenge later =
      MakeChallenge(Nonce(1), 1000, ChallengePurpose::kLogin, kExpiresNs + 1'000, "");
  ASSERT_EQ(book.Issue(later), IssueResult::kOk);
  EXPECT_EQ(book.outstanding_count(), 100 - ChallengeBook::kPruneBatch + 1);
  // The earliest expiring went first.
  EXPECT_EQ(book.FindOutstanding(NumberedNonce(ChallengeBook::kPruneBatch - 1)), nullptr);
  EXPECT_NE(book.FindOutstanding(NumberedNonce(ChallengeBook::kPruneBatch)), nullptr);
  EXPECT_EQ(book.PruneExpired(kExpiresNs + 49, 10), 10u);
  EXPECT_EQ(book.PruneExpired(kExpiresNs + 49, 1000), 50u - ChallengeBook::kPruneBatch - 10);
  EXPECT_EQ(book.FindOutstanding(NumberedNonce(49)), nullptr);
  EXPECT_NE(book.FindOutstanding(NumberedNonce(50)), nullptr);
  EXPECT_EQ(book.PruneExpired(kExpiresNs + 1'000, 1000), 50u);
  EXPECT_EQ(book.outstanding_count(), 1u);  // `later` itself
  EXPECT_EQ(book.outstanding_count(1), 0u);
}

TEST(ChallengeBookTest, RememberedNoncesAreBoundedAndPruned) {
  ChallengeBook book;
  Device device;
  const DevicePublicKey key = device.Key();
  // A signature whose R is the all-zero encoding (small order): refused before any curve
  // arithmetic, so filling the book stays fast. It still spends the challenge.
  const std::string zero_signature(86, 'A');
  const size_t max = ChallengeBook::kMaxRememberedNonces;
  for (size_t i = 0; i <= max; i++) {
    const Challenge challenge = MakeChallenge(NumberedNonce(i), i, ChallengePurpose::kLogin,
                                              kIssuedNs + static_cast<int64_t>(i), "");
    ASSERT_EQ(book.Issue(challenge), IssueResult::kOk);
    ASSERT_EQ(VerifyChallengeResponse(key, challenge, zero_signature, kIssuedNs + 1'000'000, &book),
              ChallengeVerdict::kBadSignature);
  }
  EXPECT_EQ(book.remembered_count(), max);
  EXPECT_FALSE(book.WasUsed(NumberedNonce(0)));  // the earliest expiring was forgotten
  EXPECT_TRUE(book.WasUsed(NumberedNonce(1)));
  EXPECT_TRUE(book.WasUsed(NumberedNonce(max)));
  EXPECT_EQ(book.PruneExpired(kExpiresNs + 10, max), 10u);
  EXPECT_FALSE(book.WasUsed(NumberedNonce(10)));
  EXPECT_TRUE(book.WasUsed(NumberedNonce(11)));
}

ChallengeBook SampleBook(const Device& device) {
  ChallengeBook book;
  EXPECT_EQ(book.Issue(MakeChallenge(Nonce(1), 5, ChallengePurpose::kLogin, kIssuedNs, "")),
            IssueResult::kOk);
  EXPECT_EQ(book.Issue(MakeChallenge(Nonce(2), 5, ChallengePurpose::kPaymentConfirmation,
                                     kIssuedNs + 1, "payment:9;amount_fen:500")),
            IssueResult::kOk);
  EXPECT_EQ(book.Issue(MakeChallenge(Nonce(0x80), 6, ChallengePurpose::kSecurityChange,
                                     kIssuedNs + 2, std::string("\x00\x01", 2))),
            IssueResult::kOk);
  const Challenge used =
      MakeChallenge(Nonce(3), 7, ChallengePurpose::kDeviceBinding, kIssuedNs + 3, "");
  EXPECT_EQ(book.Issue(used), IssueResult::kOk);
  EXPECT_EQ(VerifyChallengeResponse(device.Key(), used, device.Sign(used), kIssuedNs + 4, &book),
            ChallengeVerdict::kOk);
  return book;
}

TEST(ChallengeBookSerializationTest, RoundTrips) {
  Device device;
  const ChallengeBook book = SampleBook(device);
  std::string bytes;
  book.Serialize(&bytes);

  ChallengeBook loaded;
  ASSERT_TRUE(loaded.Deserialize(bytes));
  std::string again;
  loaded.Serialize(&again);
  EXPECT_EQ(again, bytes);
  EXPECT_EQ(loaded.outstanding_count(), 3u);
  EXPECT_EQ(loaded.outstanding_count(5), 2u);
  EXPECT_EQ(loaded.remembered_count(), 1u);
  const Challenge* payment = loaded.FindOutstanding(Nonce(2));
  ASSERT_NE(payment, nullptr);
  EXPECT_EQ(*payment, *book.FindOutstanding(Nonce(2)));
  EXPECT_EQ(payment->context, "payment:9;amount_fen:500");

  // The loaded book behaves like the original: replays are still refused, the rest verify.
  const Challenge used =
      MakeChallenge(Nonce(3), 7, ChallengePurpose::kDeviceBinding, kIssuedNs + 3, "");
  EXPECT_EQ(VerifyChallengeResponse(device.Key(), used, device.Sign(used), kIssuedNs + 5, &loaded),
            ChallengeVerdict::kAlreadyUsed);
  const Challenge login = *loaded.FindOutstanding(Nonce(1));
  EXPECT_EQ(
      VerifyChallengeResponse(device.Key(), login, device.Sign(login), kIssuedNs + 5, &loaded),
      ChallengeVerdict::kOk);
  EXPECT_EQ(loaded.PruneExpired(kExpiresNs + 10, 100), 4u);  // two outstanding, two used
}

TEST(ChallengeBookSerializationTest, EmptyBookGoldenBytes) {
  ChallengeBook book;
  std::string bytes;
  book.Serialize(&bytes);
  EXPECT_EQ(bytes, std::string("QBDC\x01\x00\x00\x00", 8) + std::string(16, '\0'));
  ChallengeBook loaded;
  EXPECT_TRUE(loaded.Deserialize(bytes));
  EXPECT_EQ(loaded.outstanding_count(), 0u);
}

TEST(ChallengeBookSerializationTest, RefusesTruncationAndTrailingBytes) {
  Device device;
  std::string bytes;
  SampleBook(device).Serialize(&bytes);
  ChallengeBook loaded;
  for (size_t length = 0; length < bytes.size(); length++) {
    EXPECT_FALSE(loaded.Deserialize(std::string_view(bytes).substr(0, length))) << length;
    EXPECT_EQ(loaded.outstanding_count(), 0u);
    EXPECT_EQ(loaded.remembered_count(), 0u);
  }
  EXPECT_FALSE(loaded.Deserialize(bytes + '\0'));
  EXPECT_TRUE(loaded.Deserialize(bytes));
}

// Offsets into a book of one challenge without context: magic 0, version 4, count 8, nonce 16,
// device 48, purpose 56, issued 57, expires 65, context length 73, used count 77.
TEST(ChallengeBookSerializationTest, RefusesCorruptedFields) {
  ChallengeBook book;
  ASSERT_EQ(book.Issue(MakeChallenge(Nonce(1), 5, ChallengePurpose::kLogin, kIssuedNs, "")),
            IssueResult::kOk);
  std::string good;
  book.Serialize(&good);
  ASSERT_EQ(good.size(), 85u);
  ChallengeBook loaded;
  ASSERT_TRUE(loaded.Deserialize(good));

  auto corrupted = [&](size_t offset, char value) {
    std::string bytes = good;
    bytes[offset] = value;
    return bytes;
  };
  EXPECT_FALSE(loaded.Deserialize(corrupted(0, 'X')));      // magic
  EXPECT_FALSE(loaded.Deserialize(corrupted(4, '\x02')));   // version
  EXPECT_FALSE(loaded.Deserialize(corrupted(8, '\x02')));   // count beyond the data
  EXPECT_FALSE(loaded.Deserialize(corrupted(56, '\x00')));  // purpose 0
  EXPECT_FALSE(loaded.Deserialize(corrupted(56, '\x05')));  // purpose 5
  EXPECT_FALSE(loaded.Deserialize(corrupted(57, '\x01')));  // lifetime no longer 2 minutes
  EXPECT_FALSE(loaded.Deserialize(corrupted(72, '\x80')));  // negative expiry
  EXPECT_FALSE(loaded.Deserialize(corrupted(73, '\x01')));  // context length past the end
  EXPECT_EQ(loaded.outstanding_count(), 0u);

  // Repeated or unsorted nonces, a nonce both outstanding and used, a context too long.
  std::string twice = good.substr(0, 77);
  twice[8] = 2;
  twice += good.substr(16, 61) + good.substr(77);
  EXPECT_FALSE(loaded.Deserialize(twice));
  std::string both = good.substr(0, 77) + std::string("\x01\0\0\0\0\0\0\0", 8) +
                     good.substr(16, 32) + good.substr(65, 8);
  EXPECT_FALSE(loaded.Deserialize(both));
  ChallengeBook long_context;
  ASSERT_EQ(long_context.Issue(MakeChallenge(Nonce(1), 5, ChallengePurpose::kLogin, kIssuedNs,
                                             std::string(kMaxChallengeContextBytes, 'c'))),
            IssueResult::kOk);
  std::string longest;
  long_context.Serialize(&longest);
  ASSERT_TRUE(loaded.Deserialize(longest));
  std::string too_long = longest.substr(0, 73) + std::string("\x81\0\0\0", 4) +
                         longest.substr(77, kMaxChallengeContextBytes) + "c" +
                         longest.substr(77 + kMaxChallengeContextBytes);
  EXPECT_FALSE(loaded.Deserialize(too_long));
}

TEST(ChallengeBookSerializationTest, RefusesUnsortedNonces) {
  ChallengeBook book;
  ASSERT_EQ(book.Issue(MakeChallenge(Nonce(1), 5, ChallengePurpose::kLogin, kIssuedNs, "")),
            IssueResult::kOk);
  ASSERT_EQ(book.Issue(MakeChallenge(Nonce(2), 5, ChallengePurpose::kLogin, kIssuedNs, "")),
            IssueResult::kOk);
  std::string bytes;
  book.Serialize(&bytes);
  ASSERT_EQ(bytes.size(), 16u + 2 * 61 + 8);
  const std::string swapped =
      bytes.substr(0, 16) + bytes.substr(77, 61) + bytes.substr(16, 61) + bytes.substr(138);
  ChallengeBook loaded;
  EXPECT_FALSE(loaded.Deserialize(swapped));
  EXPECT_TRUE(loaded.Deserialize(bytes));
}

}  // namespace
}  // namespace qb::mfa
