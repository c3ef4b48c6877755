#include "paytoken/nfc_cryptogram.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace qb::paytoken {
namespace {

identity::SecretKey IssuerKey() { return *identity::SecretKey::FromHex(std::string(64, '1')); }

std::string KeyHex(const identity::SecretKey& key) {
  static const char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (size_t i = 0; i < identity::SecretKey::kSize; ++i) {
    hex.push_back(kDigits[key.data()[i] >> 4]);
    hex.push_back(kDigits[key.data()[i] & 0x0f]);
  }
  return hex;
}

class FakeTokens : public NfcTokenDirectory {
 public:
  const NfcTokenState* Find(std::string_view token) const override {
    auto it = states_.find(std::string(token));
    return it == states_.end() ? nullptr : &it->second;
  }
  std::map<std::string, NfcTokenState> states_;
};

TEST(NfcTokenNumberTest, MakesLuhnValidTokensInTheNationalRange) {
  EXPECT_EQ(MakeTokenNumber("900000000000001"), "9000000000000019");
  std::optional<std::string> longest = MakeTokenNumber("912345678901234567");
  ASSERT_TRUE(longest.has_value());
  EXPECT_EQ(longest->size(), 19u);
  EXPECT_TRUE(IsTokenNumber(*longest));
  EXPECT_TRUE(IsTokenNumber("9000000000000019"));
}

TEST(NfcTokenNumberTest, RejectsBadBodiesAndTokens) {
  EXPECT_FALSE(MakeTokenNumber("90000000000001").has_value());       // 14 digits
  EXPECT_FALSE(MakeTokenNumber("9000000000000000001").has_value());  // 19 digits
  EXPECT_FALSE(MakeTokenNumber("600000000000001").has_value());      // a card range
  EXPECT_FALSE(MakeTokenNumber("90000000000000a").has_value());
  EXPECT_FALSE(IsTokenNumber("9000000000000018"));  // wrong check digit
  EXPECT_FALSE(IsTokenNumber("6222020000000008"));  // Luhn-valid card PAN, not a token
  EXPECT_FALSE(IsTokenNumber("900000000000009"));   // 15 digits
  EXPECT_FALSE(IsTokenNumber(""));
}

// Cross-checked with Python's hmac/hashlib from the grammar in the header.
TEST(NfcCryptogramTest, KeyAndCryptogramVectors) {
  identity::SecretKey luk = DeriveLimitedUseKey(IssuerKey(), "9000000000000019", 0, 0);
  EXPECT_EQ(KeyHex(luk), "97c44c2681f0f17f958a28a94ca0e922c337229f62d0e4144bb816e28baa7a9e");
  NfcRequest request{"9000000000000019", 1234, "CNY", 1, 0xdeadbeef, ""};
  EXPECT_EQ(ComputeNfcCryptogram(luk, request), "078d16be5724d29a");
  request.cryptogram_hex = "078d16be5724d29a";
  EXPECT_EQ(FormatNfcRequest(request),
            "qbnfc1|9000000000000019|1234|CNY|1|deadbeef|078d16be5724d29a");
}

TEST(NfcCryptogramTest, KeysDifferByTokenGenerationAndIndex) {
  std::string base = KeyHex(DeriveLimitedUseKey(IssuerKey(), "9000000000000019", 0, 0));
  EXPECT_NE(KeyHex(DeriveLimitedUseKey(IssuerKey(), "9000000000000019", 0, 1)), base);
  EXPECT_NE(KeyHex(DeriveLimitedUseKey(IssuerKey(), "9000000000000019", 1, 0)), base);
  EXPECT_NE(KeyHex(DeriveLimitedUseKey(IssuerKey(), "9000000000000027", 0, 0)), base);
  identity::SecretKey other_issuer = *identity::SecretKey::FromHex(std::string(64, '2'));
  EXPECT_NE(KeyHex(DeriveLimitedUseKey(other_issuer, "9000000000000019", 0, 0)), base);
}

class NfcVerifyTest : public ::testing::Test {
 protected:
  static constexpr const char* kToken = "9000000000000019";

  NfcVerifyTest() : issuer_(IssuerKey()) {
    NfcTokenState state;
    state.luk_count = 3;
    state.uses_per_luk = 2;
    tokens_.states_[kToken] = state;
  }

  NfcTokenState& State() { return tokens_.states_[kToken]; }

  // What the device does: picks the LUK for the ATC and signs.
  std::string Request(uint32_t atc, int64_t amount_fen = 2'500, uint32_t generation = 0) {
    const NfcTokenState& state = State();
    uint32_t index = (atc - state.first_atc) / state.uses_per_luk;
    NfcRequest request{kToken, amount_fen, "CNY", atc, 0x01020304u + atc, ""};
    request.cryptogram_hex =
        ComputeNfcCryptogram(DeriveLimitedUseKey(issuer_, kToken, generation, index), request);
    return FormatNfcRequest(request);
  }

  // Verifies and, like the engine, stores the accepted state.
  NfcVerification Pay(const std::string& text) {
    NfcVerification verification = VerifyNfcRequest(text, tokens_, issuer_);
    if (verification.result == NfcResult::kOk) State() = verification.accepted;
    return verification;
  }

  identity::SecretKey issuer_;
  FakeTokens tokens_;
};

TEST_F(NfcVerifyTest, AcceptsAndReportsFields) {
  NfcVerification verification = Pay(Request(1));
  ASSERT_EQ(verification.result, NfcResult::kOk);
  EXPECT_EQ(verification.request.token, kToken);
  EXPECT_EQ(verification.request.amount_fen, 2'500);
  EXPECT_EQ(verification.request.currency, "CNY");
  EXPECT_EQ(verification.request.atc, 1u);
  EXPECT_EQ(verification.request.unpredictable_number, 0x01020305u);
  EXPECT_EQ(verification.luk_index, 0u);
  EXPECT_EQ(verification.accepted.last_atc, 1u);
  EXPECT_EQ(State().last_atc, 1u);
}

TEST_F(NfcVerifyTest, VerifyDoesNotChangeState) {
  std::string text = Request(1);
  EXPECT_EQ(VerifyNfcRequest(text, tokens_, issuer_).result, NfcResult::kOk);
  EXPECT_EQ(VerifyNfcRequest(text, tokens_, issuer_).result, NfcResult::kOk);
  EXPECT_EQ(State().last_atc, 0u);
}

TEST_F(NfcVerifyTest, ReplayAndLowerCountersAreRejected) {
  std::string first = Request(1);
  std::string third = Request(3);
  ASSERT_EQ(Pay(third).result, NfcResult::kOk);  // counters may skip (declined offline taps)
  EXPECT_EQ(Pay(third).result, NfcResult::kReplayedCounter);
  EXPECT_EQ(Pay(first).result, NfcResult::kReplayedCounter);
  EXPECT_EQ(Pay(Request(4)).result, NfcResult::kOk);
  EXPECT_EQ(State().last_atc, 4u);
}

TEST_F(NfcVerifyTest, EachKeyCoversItsAtcRange) {
  for (uint32_t atc = 1; atc <= 6; ++atc) {
    NfcVerification verification = Pay(Request(atc));
    ASSERT_EQ(verification.result, NfcResult::kOk) << atc;
    EXPECT_EQ(verification.luk_index, (atc - 1) / 2);
  }
}

TEST_F(NfcVerifyTest, WrongKeyForAtcIsBadCryptogram) {
  // Signed with LUK 0 but for ATC 3, which belongs to LUK 1.
  NfcRequest request{kToken, 2'500, "CNY", 3, 7, ""};
  request.cryptogram_hex =
      ComputeNfcCryptogram(DeriveLimitedUseKey(issuer_, kToken, 0, 0), request);
  NfcVerification verification = Pay(FormatNfcRequest(request));
  EXPECT_EQ(verification.result, NfcResult::kBadCryptogram);
  EXPECT_EQ(verification.luk_index, 1u);
  EXPECT_EQ(State().last_atc, 0u);
}

TEST_F(NfcVerifyTest, ExhaustedKeysThenRefresh) {
  for (uint32_t atc = 1; atc <= 6; ++atc) ASSERT_EQ(Pay(Request(atc)).result, NfcResult::kOk);
  EXPECT_EQ(Pay(Request(7)).result, NfcResult::kKeysExhausted);
  State() = RefreshedState(State(), 2, 5);
  EXPECT_EQ(State().generation, 1u);
  EXPECT_EQ(State().first_atc, 7u);
  // Old-generation keys no longer sign valid cryptograms for the new range.
  EXPECT_EQ(Pay(Request(7, 2'500, 0)).result, NfcResult::kBadCryptogram);
  NfcVerification verification = Pay(Request(7, 2'500, 1));
  ASSERT_EQ(verification.result, NfcResult::kOk);
  EXPECT_EQ(verification.luk_index, 0u);
  EXPECT_EQ(Pay(Request(16, 2'500, 1)).result, NfcResult::kOk);
  EXPECT_EQ(Pay(Request(17, 2'500, 1)).result, NfcResult::kKeysExhausted);
}

TEST_F(NfcVerifyTest, RefreshStartsAfterLastAcceptedCounter) {
  ASSERT_EQ(Pay(Request(4)).result, NfcResult::kOk);
  State() = RefreshedState(State(), 3, 2);
  EXPECT_EQ(State().first_atc, 5u);
  EXPECT_EQ(Pay(Request(4, 2'500, 1)).result, NfcResult::kReplayedCounter);
  NfcVerification verification = Pay(Request(5, 2'500, 1));
  ASSERT_EQ(verification.result, NfcResult::kOk);
  EXPECT_EQ(verification.luk_index, 0u);
}

TEST_F(NfcVerifyTest, UnknownAndInactiveTokens) {
  NfcRequest request{"9000000000000027", 2'500, "CNY", 1, 7, std::string(16, '0')};
  EXPECT_EQ(Pay(FormatNfcRequest(request)).result, NfcResult::kUnknownToken);
  State().active = false;
  EXPECT_EQ(Pay(Request(1)).result, NfcResult::kTokenInactive);
}

TEST_F(NfcVerifyTest, AnyAlteredFieldFailsTheCryptogram) {
  std::string good = Request(2);
  const std::string tampered[] = {
      "qbnfc1|9000000000000019|2501|CNY|2|01020306|",
      "qbnfc1|9000000000000019|2500|USD|2|01020306|",
      "qbnfc1|9000000000000019|2500|CNY|2|01020307|",
  };
  std::string cryptogram = good.substr(good.rfind('|') + 1);
  for (const std::string& prefix : tampered) {
    EXPECT_EQ(Pay(prefix + cryptogram).result, NfcResult::kBadCryptogram) << prefix;
  }
  // The same cryptogram under another ATC in the same key's range.
  std::string later = good;
  later.replace(later.find("|2|"), 3, "|1|");
  EXPECT_EQ(Pay(later).result, NfcResult::kBadCryptogram);
  for (size_t i = good.rfind('|') + 1; i < good.size(); ++i) {
    std::string bad = good;
    bad[i] = bad[i] == '0' ? '1' : '0';
    EXPECT_EQ(Pay(bad).result, NfcResult::kBadCryptogram) << i;
  }
  EXPECT_EQ(Pay(good).result, NfcResult::kOk);
}

TEST_F(NfcVerifyTest, StrictRequestForm) {
  std::string good = Request(1);
  const std::string c = good.substr(good.rfind('|') + 1);
  const std::string t = "9000000000000019";
  const std::string malformed[] = {
      "",
      good + "|",
      good + "0",
      "|" + good,
      "qbnfc2|" + t + "|2500|CNY|1|01020305|" + c,
      "QBNFC1|" + t + "|2500|CNY|1|01020305|" + c,
      "qbnfc1|9000000000000018|2500|CNY|1|01020305|" + c,  // Luhn
      "qbnfc1|6222020000000008|2500|CNY|1|01020305|" + c,  // a PAN
      "qbnfc1|" + t + "|02500|CNY|1|01020305|" + c,
      "qbnfc1|" + t + "|0|CNY|1|01020305|" + c,
      "qbnfc1|" + t + "|-1|CNY|1|01020305|" + c,
      "qbnfc1|" + t + "|100000001|CNY|1|01020305|" + c,
      "qbnfc1|" + t + "||CNY|1|01020305|" + c,
      "qbnfc1|" + t + "|2500|cny|1|01020305|" + c,
      "qbnfc1|" + t + "|2500|CNYY|1|01020305|" + c,
      "qbnfc1|" + t + "|2500|CNY|0|01020305|" + c,
      "qbnfc1|" + t + "|2500|CNY|01|01020305|" + c,
      "qbnfc1|" + t + "|2500|CNY|4294967296|01020305|" + c,
      "qbnfc1|" + t + "|2500|CNY|1|0102030|" + c,
      "qbnfc1|" + t + "|2500|CNY|1|0102030G|" + c,
      "qbnfc1|" + t + "|2500|CNY|1|0102030A|" + c,
      "qbnfc1|" + t + "|2500|CNY|1|01020305|" + c.substr(1),
      "qbnfc1|" + t + "|2500|CNY|1|01020305|" + c + "0",
      "qbnfc1|" + t + "|2500|CNY|1|01020305|" + std::string(15, '0') + "A",
      "qbnfc1|" + t + "|2500|CNY|1|01020305",
      "qbnfc1|" + t + "|2500|CNY|1|01020305|" + c + "|",
      "qbnfc1|" + t + "|2500|CNY|1|01020305|" + c + std::string(60, '0'),
  };
  for (const std::string& text : malformed) {
    EXPECT_EQ(Pay(text).result, NfcResult::kMalformed) << text;
  }
  EXPECT_EQ(Pay(good).result, NfcResult::kOk);
}

TEST_F(NfcVerifyTest, LargestCounterAndAmountParse) {
  State().first_atc = 4'294'967'290u;
  State().last_atc = 4'294'967'289u;
  NfcVerification verification = Pay(Request(4'294'967'295u, kMaxNfcAmountFen));
  ASSERT_EQ(verification.result, NfcResult::kOk);
  EXPECT_EQ(verification.request.atc, 4'294'967'295u);
  EXPECT_EQ(verification.luk_index, 2u);
}

TEST(NfcResultTest, NamesAreStable) {
  EXPECT_EQ(NfcResultName(NfcResult::kOk), "ok");
  EXPECT_EQ(NfcResultName(NfcResult::kMalformed), "malformed");
  EXPECT_EQ(NfcResultName(NfcResult::kUnknownToken), "unknown_token");
  EXPECT_EQ(NfcResultName(NfcResult::kTokenInactive), "token_inactive");
  EXPECT_EQ(NfcResultName(NfcResult::kReplayedCounter), "replayed_counter");
  EXPECT_EQ(NfcResultName(NfcResult::kKeysExhausted), "keys_exhausted");
  EXPECT_EQ(NfcResultName(NfcResult::kBadCryptogram), "bad_cryptogram");
}

}  // namespace
}  // namespace qb::paytoken
