#include "mfa/totp.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace qb::mfa {
namespace {

// The seed both RFCs use: the 20 ASCII bytes "12345678901234567890".
const std::string kRfcSecret = "12345678901234567890";

// RFC 4226 appendix D: the truncated 31-bit value and the 6-digit HOTP for counters 0..9.
TEST(TotpTest, HotpMatchesRfc4226Vectors) {
  const std::pair<uint32_t, const char*> vectors[] = {
      {1284755224, "755224"}, {1094287082, "287082"}, {137359152, "359152"},
      {1726969429, "969429"}, {1640338314, "338314"}, {868254676, "254676"},
      {1918287922, "287922"}, {82162583, "162583"},   {673399871, "399871"},
      {645520489, "520489"},
  };
  for (uint64_t counter = 0; counter < 10; ++counter) {
    EXPECT_EQ(HotpSha1(kRfcSecret, counter), vectors[counter].first) << counter;
    EXPECT_EQ(TotpCode(kRfcSecret, static_cast<int64_t>(counter)), vectors[counter].second)
        << counter;
  }
}

// RFC 6238 appendix B, SHA-1 column. The RFC prints 8 digits; 6 digits are the same HOTP value
// reduced mod 10^6, i.e. the last six of the eight.
TEST(TotpTest, MatchesRfc6238Sha1Vectors) {
  struct Vector {
    int64_t unix_s;
    int64_t step;
    uint32_t eight_digits;
    const char* six_digits;
  };
  const Vector vectors[] = {
      {59, 1, 94287082, "287082"},
      {1111111109, 37037036, 7081804, "081804"},
      {1111111111, 37037037, 14050471, "050471"},
      {1234567890, 41152263, 89005924, "005924"},
      {2000000000, 66666666, 69279037, "279037"},
      {20000000000, 666666666, 65353130, "353130"},
  };
  for (const Vector& v : vectors) {
    EXPECT_EQ(TotpStep(v.unix_s), v.step) << v.unix_s;
    EXPECT_EQ(HotpSha1(kRfcSecret, static_cast<uint64_t>(v.step)) % 100'000'000, v.eight_digits)
        << v.unix_s;
    EXPECT_EQ(TotpCode(kRfcSecret, v.step), v.six_digits) << v.unix_s;
    EXPECT_EQ(MatchTotp(kRfcSecret, v.six_digits, v.unix_s, kTotpNoStepUsed), v.step) << v.unix_s;
  }
}

TEST(TotpTest, StepBoundaries) {
  EXPECT_EQ(TotpStep(0), 0);
  EXPECT_EQ(TotpStep(29), 0);
  EXPECT_EQ(TotpStep(30), 1);
  EXPECT_EQ(TotpStep(59), 1);
  EXPECT_EQ(TotpStep(60), 2);
}

// Codes of steps current-1, current and current+1 are accepted; current±2 are not, right up
// to the second where the window moves.
TEST(TotpTest, WindowEdges) {
  const int64_t step = 1000;
  const int64_t first_second = step * kTotpStepSeconds;
  const int64_t last_second = first_second + kTotpStepSeconds - 1;
  for (int64_t now : {first_second, last_second}) {
    EXPECT_EQ(MatchTotp(kRfcSecret, TotpCode(kRfcSecret, step - 1), now, kTotpNoStepUsed),
              step - 1);
    EXPECT_EQ(MatchTotp(kRfcSecret, TotpCode(kRfcSecret, step), now, kTotpNoStepUsed), step);
    EXPECT_EQ(MatchTotp(kRfcSecret, TotpCode(kRfcSecret, step + 1), now, kTotpNoStepUsed),
              step + 1);
    EXPECT_EQ(MatchTotp(kRfcSecret, TotpCode(kRfcSecret, step - 2), now, kTotpNoStepUsed),
              std::nullopt);
    EXPECT_EQ(MatchTotp(kRfcSecret, TotpCode(kRfcSecret, step + 2), now, kTotpNoStepUsed),
              std::nullopt);
  }
  // One second past the step, step - 1 has left the window and step + 2 has entered it.
  EXPECT_EQ(MatchTotp(kRfcSecret, TotpCode(kRfcSecret, step - 1), last_second + 1, kTotpNoStepUsed),
            std::nullopt);
  EXPECT_EQ(MatchTotp(kRfcSecret, TotpCode(kRfcSecret, step + 2), last_second + 1, kTotpNoStepUsed),
            step + 2);
}

TEST(TotpTest, WindowDoesNotReachBeforeStepZero) {
  EXPECT_EQ(MatchTotp(kRfcSecret, TotpCode(kRfcSecret, 0), 0, kTotpNoStepUsed), 0);
  EXPECT_EQ(MatchTotp(kRfcSecret, TotpCode(kRfcSecret, 1), 0, kTotpNoStepUsed), 1);
}

TEST(TotpTest, RefusesReuseOfAStepAndEveryEarlierStep) {
  const int64_t step = 5000;
  const int64_t now = step * kTotpStepSeconds + 10;
  const std::string code = TotpCode(kRfcSecret, step);
  std::optional<int64_t> used = MatchTotp(kRfcSecret, code, now, kTotpNoStepUsed);
  ASSERT_EQ(used, step);
  // The same code again, within the same 30 seconds and a step later: refused.
  EXPECT_EQ(MatchTotp(kRfcSecret, code, now, *used), std::nullopt);
  EXPECT_EQ(MatchTotp(kRfcSecret, code, now + kTotpStepSeconds, *used), std::nullopt);
  // An older code still inside the window is refused once a later step was used.
  EXPECT_EQ(MatchTotp(kRfcSecret, TotpCode(kRfcSecret, step - 1), now, *used), std::nullopt);
  // After the device ran a step ahead, the current step's code is refused too.
  EXPECT_EQ(MatchTotp(kRfcSecret, code, now, step + 1), std::nullopt);
  // The next step's code is still good.
  EXPECT_EQ(MatchTotp(kRfcSecret, TotpCode(kRfcSecret, step + 1), now, *used), step + 1);
}

TEST(TotpTest, RefusesWrongCode) {
  const int64_t now = 1'700'000'000;
  const std::string code = TotpCode(kRfcSecret, TotpStep(now));
  std::string wrong = code;
  wrong[5] = wrong[5] == '9' ? '0' : static_cast<char>(wrong[5] + 1);
  // Guard against the wrong code being the neighbour step's by chance.
  for (int64_t step = TotpStep(now) - 1; step <= TotpStep(now) + 1; ++step) {
    ASSERT_NE(TotpCode(kRfcSecret, step), wrong);
  }
  EXPECT_EQ(MatchTotp(kRfcSecret, wrong, now, kTotpNoStepUsed), std::nullopt);
  EXPECT_EQ(MatchTotp("another secret of 20b", code, now, kTotpNoStepUsed), std::nullopt);
}

TEST(TotpTest, RefusesWrongLengthAndNonDigitCodes) {
  const int64_t now = 1'700'000'000;
  const std::string code = TotpCode(kRfcSecret, TotpStep(now));
  ASSERT_EQ(MatchTotp(kRfcSecret, code, now, kTotpNoStepUsed), TotpStep(now));
  for (const std::string& bad :
       {std::string(), code.substr(0, 5), code + "0", "0" + code, code.substr(0, 5) + "a",
        " " + code.substr(1), code.substr(0, 3) + "-" + code.substr(3), std::string(6, '\0'),
        code + std::string(1, '\0'), std::string("１２３４５６")}) {
    EXPECT_EQ(MatchTotp(kRfcSecret, bad, now, kTotpNoStepUsed), std::nullopt) << bad;
  }
}

TEST(TotpTest, GeneratedSecretsAreTwentyRandomBytes) {
  const std::string a = GenerateTotpSecret();
  const std::string b = GenerateTotpSecret();
  EXPECT_EQ(a.size(), kTotpSecretBytes);
  EXPECT_EQ(b.size(), kTotpSecretBytes);
  EXPECT_NE(a, b);
  const int64_t now = 1'700'000'000;
  EXPECT_EQ(MatchTotp(a, TotpCode(a, TotpStep(now)), now, kTotpNoStepUsed), TotpStep(now));
}

TEST(TotpTest, ShortSecretIsAProgrammerError) {
  EXPECT_DEATH(HotpSha1("too short", 0), "assertion failed");
}

}  // namespace
}  // namespace qb::mfa
