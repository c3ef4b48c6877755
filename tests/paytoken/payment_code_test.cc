#include "paytoken/payment_code.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace qb::paytoken {
namespace {

constexpr int64_t kNsPerSecond = 1'000'000'000;

identity::SecretKey CountingSecret() {
  std::string bytes;
  for (int i = 0; i < 32; ++i) bytes.push_back(static_cast<char>(i));
  return *identity::SecretKey::FromBytes(bytes);
}

class FakeDevices : public PaymentCodeDevices {
 public:
  void Add(uint32_t slot, identity::SecretKey secret) { secrets_[slot] = std::move(secret); }
  const identity::SecretKey* FindBySlot(uint32_t slot) const override {
    auto it = secrets_.find(slot);
    return it == secrets_.end() ? nullptr : &it->second;
  }

 private:
  std::map<uint32_t, identity::SecretKey> secrets_;
};

int64_t AtStep(int64_t step, int64_t step_seconds = 30) {
  return step * step_seconds * kNsPerSecond + 7 * kNsPerSecond;
}

// RFC 6238 appendix B, SHA-256 column: seed is the 32 ASCII bytes "1234...9012", 8 digits.
TEST(PaymentCodeTest, HotpMatchesRfc6238Sha256Vectors) {
  const std::string seed = "12345678901234567890123456789012";
  const std::pair<uint64_t, uint32_t> vectors[] = {
      {59, 46119246},         {1111111109, 68084774}, {1111111111, 67062674},
      {1234567890, 91819424}, {2000000000, 90698825}, {20000000000, 77737706},
  };
  for (const auto& [unix_seconds, expected] : vectors) {
    EXPECT_EQ(HotpSha256(seed, unix_seconds / 30) % 100'000'000, expected) << unix_seconds;
  }
}

// Cross-checked with Python's hmac/hashlib over the same secret and step.
TEST(PaymentCodeTest, CodeVectors) {
  PaymentCodeConfig config;
  identity::SecretKey secret = CountingSecret();
  EXPECT_EQ(MakePaymentCode(config, 42, secret, 0), "280000042294464393");
  EXPECT_EQ(MakePaymentCode(config, 42, secret, 1000), "280000042860315770");
  EXPECT_EQ(MakePaymentCode(config, 9'999'999, secret, 56666666), "289999999962793923");
  config.prefix = 25;
  EXPECT_EQ(MakePaymentCode(config, 0, secret, 1000), "250000000860315770");
}

TEST(PaymentCodeTest, StepFollowsConfiguredLength) {
  PaymentCodeConfig config;
  EXPECT_EQ(PaymentCodeStep(config, 0), 0);
  EXPECT_EQ(PaymentCodeStep(config, 29 * kNsPerSecond + 999'999'999), 0);
  EXPECT_EQ(PaymentCodeStep(config, 30 * kNsPerSecond), 1);
  config.step_seconds = 60;
  EXPECT_EQ(PaymentCodeStep(config, 119 * kNsPerSecond), 1);
}

TEST(PaymentCodeTest, ConfigBounds) {
  PaymentCodeConfig config;
  EXPECT_TRUE(IsValidPaymentCodeConfig(config));
  for (uint32_t prefix : {24u, 31u, 0u, 99u}) {
    PaymentCodeConfig bad = config;
    bad.prefix = prefix;
    EXPECT_FALSE(IsValidPaymentCodeConfig(bad)) << prefix;
  }
  for (int64_t seconds : {29, 61, 0, -30}) {
    PaymentCodeConfig bad = config;
    bad.step_seconds = seconds;
    EXPECT_FALSE(IsValidPaymentCodeConfig(bad)) << seconds;
  }
  PaymentCodeConfig bad = config;
  bad.window_steps = 3;
  EXPECT_FALSE(IsValidPaymentCodeConfig(bad));
  bad = config;
  bad.expired_lookback_steps = 121;
  EXPECT_FALSE(IsValidPaymentCodeConfig(bad));
  bad = config;
  bad.max_tracked_devices = 0;
  EXPECT_FALSE(IsValidPaymentCodeConfig(bad));
}

TEST(PaymentCodeTest, CodesLookLikeWalletCodes) {
  identity::SecretKey secret = CountingSecret();
  for (uint32_t prefix = 25; prefix <= 30; ++prefix) {
    PaymentCodeConfig config;
    config.prefix = prefix;
    std::string code = MakePaymentCode(config, 123, secret, 77);
    ASSERT_EQ(code.size(), kPaymentCodeDigits);
    EXPECT_EQ(code.find_first_not_of("0123456789"), std::string::npos);
    EXPECT_EQ(code.substr(0, 2), std::to_string(prefix));
  }
}

class PaymentCodeVerifierTest : public ::testing::Test {
 protected:
  PaymentCodeVerifierTest() : verifier_(config_) { devices_.Add(42, CountingSecret()); }

  std::string Code(int64_t step) {
    return MakePaymentCode(config_, 42, *devices_.FindBySlot(42), step);
  }

  PaymentCodeConfig config_;
  FakeDevices devices_;
  PaymentCodeVerifier verifier_;
};

TEST_F(PaymentCodeVerifierTest, AcceptsCurrentStepOnce) {
  PaymentCodeMatch match = verifier_.Verify(Code(1000), AtStep(1000), devices_);
  EXPECT_EQ(match.result, PaymentCodeResult::kOk);
  EXPECT_EQ(match.device_slot, 42u);
  EXPECT_EQ(match.step, 1000);
  EXPECT_EQ(verifier_.Verify(Code(1000), AtStep(1000), devices_).result,
            PaymentCodeResult::kReused);
  EXPECT_EQ(verifier_.tracked_devices(), 1u);
}

TEST_F(PaymentCodeVerifierTest, AcceptsOneStepEitherSide) {
  EXPECT_EQ(verifier_.Verify(Code(999), AtStep(1000), devices_).result, PaymentCodeResult::kOk);
  PaymentCodeVerifier other(config_);
  EXPECT_EQ(other.Verify(Code(1001), AtStep(1000), devices_).result, PaymentCodeResult::kOk);
}

TEST_F(PaymentCodeVerifierTest, OlderStepAfterNewerIsReused) {
  ASSERT_EQ(verifier_.Verify(Code(1000), AtStep(1000), devices_).result, PaymentCodeResult::kOk);
  // A code shown before the accepted one cannot be used after it: it may have been seen.
  EXPECT_EQ(verifier_.Verify(Code(999), AtStep(1000), devices_).result, PaymentCodeResult::kReused);
  EXPECT_EQ(verifier_.Verify(Code(1001), AtStep(1000), devices_).result, PaymentCodeResult::kOk);
}

TEST_F(PaymentCodeVerifierTest, StolenOldCodeIsExpired) {
  PaymentCodeMatch match = verifier_.Verify(Code(998), AtStep(1000), devices_);
  EXPECT_EQ(match.result, PaymentCodeResult::kExpired);
  EXPECT_EQ(match.step, 998);
  EXPECT_EQ(verifier_.Verify(Code(980), AtStep(1000), devices_).result,
            PaymentCodeResult::kExpired);
  // Beyond the lookback the code is simply wrong; either way it is worthless.
  EXPECT_EQ(verifier_.Verify(Code(900), AtStep(1000), devices_).result,
            PaymentCodeResult::kInvalidCode);
  EXPECT_EQ(verifier_.tracked_devices(), 0u);
}

TEST_F(PaymentCodeVerifierTest, FutureCodeBeyondWindowIsInvalid) {
  EXPECT_EQ(verifier_.Verify(Code(1002), AtStep(1000), devices_).result,
            PaymentCodeResult::kInvalidCode);
}

TEST_F(PaymentCodeVerifierTest, WindowZeroAcceptsOnlyCurrentStep) {
  config_.window_steps = 0;
  PaymentCodeVerifier strict(config_);
  EXPECT_EQ(strict.Verify(Code(999), AtStep(1000), devices_).result, PaymentCodeResult::kExpired);
  EXPECT_EQ(strict.Verify(Code(1001), AtStep(1000), devices_).result,
            PaymentCodeResult::kInvalidCode);
  EXPECT_EQ(strict.Verify(Code(1000), AtStep(1000), devices_).result, PaymentCodeResult::kOk);
}

TEST_F(PaymentCodeVerifierTest, SixtySecondSteps) {
  config_.step_seconds = 60;
  PaymentCodeVerifier verifier(config_);
  EXPECT_EQ(verifier.Verify(Code(500), AtStep(500, 60), devices_).result, PaymentCodeResult::kOk);
}

TEST_F(PaymentCodeVerifierTest, RejectsMalformedCodes) {
  std::string good = Code(1000);
  for (const std::string& bad :
       {std::string(), good.substr(1), good + "0", std::string("28000004286031577a"),
        std::string("28000004286031577 "), std::string("-80000042860315770")}) {
    PaymentCodeMatch match = verifier_.Verify(bad, AtStep(1000), devices_);
    EXPECT_EQ(match.result, PaymentCodeResult::kMalformed) << bad;
  }
}

TEST_F(PaymentCodeVerifierTest, RejectsOtherPrefixes) {
  std::string code = Code(1000);
  code[1] = '9';
  EXPECT_EQ(verifier_.Verify(code, AtStep(1000), devices_).result, PaymentCodeResult::kWrongPrefix);
}

TEST_F(PaymentCodeVerifierTest, RejectsUnknownDevice) {
  std::string code = Code(1000);
  code[8] = '3';  // slot 43
  PaymentCodeMatch match = verifier_.Verify(code, AtStep(1000), devices_);
  EXPECT_EQ(match.result, PaymentCodeResult::kUnknownDevice);
  EXPECT_EQ(match.device_slot, 43u);
}

TEST_F(PaymentCodeVerifierTest, AnyAlteredValueDigitIsRejected) {
  std::string good = Code(1000);
  for (size_t i = 2 + kPaymentCodeSlotDigits; i < good.size(); ++i) {
    std::string bad = good;
    bad[i] = static_cast<char>('0' + (bad[i] - '0' + 1) % 10);
    EXPECT_NE(verifier_.Verify(bad, AtStep(1000), devices_).result, PaymentCodeResult::kOk) << i;
  }
  EXPECT_EQ(verifier_.Verify(good, AtStep(1000), devices_).result, PaymentCodeResult::kOk);
}

TEST_F(PaymentCodeVerifierTest, CodeOfOneDeviceDoesNotWorkForAnother) {
  std::string other_secret(32, 'x');
  devices_.Add(43, *identity::SecretKey::FromBytes(other_secret));
  std::string code = Code(1000);
  code[8] = '3';
  EXPECT_EQ(verifier_.Verify(code, AtStep(1000), devices_).result, PaymentCodeResult::kInvalidCode);
}

TEST_F(PaymentCodeVerifierTest, FullMemoryForgetsExpiredThenFailsClosed) {
  config_.max_tracked_devices = 2;
  PaymentCodeVerifier verifier(config_);
  devices_.Add(43, *identity::SecretKey::FromBytes(std::string(32, 'b')));
  devices_.Add(44, *identity::SecretKey::FromBytes(std::string(32, 'c')));
  auto code = [&](uint32_t slot, int64_t step) {
    return MakePaymentCode(config_, slot, *devices_.FindBySlot(slot), step);
  };
  ASSERT_EQ(verifier.Verify(code(42, 1000), AtStep(1000), devices_).result, PaymentCodeResult::kOk);
  ASSERT_EQ(verifier.Verify(code(43, 1000), AtStep(1000), devices_).result, PaymentCodeResult::kOk);
  // Both entries are live: a third device is refused rather than forgetting a live one.
  EXPECT_EQ(verifier.Verify(code(44, 1001), AtStep(1001), devices_).result,
            PaymentCodeResult::kBusy);
  EXPECT_EQ(verifier.tracked_devices(), 2u);
  // A known device still works while full: its entry is updated, not added.
  EXPECT_EQ(verifier.Verify(code(42, 1001), AtStep(1001), devices_).result, PaymentCodeResult::kOk);
  // Two steps on, device 43's step 1000 is outside the window and can be forgotten.
  EXPECT_EQ(verifier.Verify(code(44, 1002), AtStep(1002), devices_).result, PaymentCodeResult::kOk);
  EXPECT_EQ(verifier.tracked_devices(), 2u);
}

TEST(PaymentCodeTest, ResultNamesAreStable) {
  EXPECT_EQ(PaymentCodeResultName(PaymentCodeResult::kOk), "ok");
  EXPECT_EQ(PaymentCodeResultName(PaymentCodeResult::kMalformed), "malformed");
  EXPECT_EQ(PaymentCodeResultName(PaymentCodeResult::kWrongPrefix), "wrong_prefix");
  EXPECT_EQ(PaymentCodeResultName(PaymentCodeResult::kUnknownDevice), "unknown_device");
  EXPECT_EQ(PaymentCodeResultName(PaymentCodeResult::kExpired), "expired");
  EXPECT_EQ(PaymentCodeResultName(PaymentCodeResult::kInvalidCode), "invalid_code");
  EXPECT_EQ(PaymentCodeResultName(PaymentCodeResult::kReused), "reused");
  EXPECT_EQ(PaymentCodeResultName(PaymentCodeResult::kBusy), "busy");
}

}  // namespace
}  // namespace qb::paytoken
