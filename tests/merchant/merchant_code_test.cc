#include "merchant/merchant_code.h"

#include <gtest/gtest.h>

#include <string>

namespace qb::merchant {
namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

// Independent formulations of both checks, from the standards' definitions rather than their
// weight tables. GB 11714: the weight of body character i (0-based) is 2^(8-i) mod 11, letters
// count 10-35, and the check value c makes (sum + c) ≡ 0 (mod 11), with 10 written 'X'.
char OrganisationCheck(const std::string& body8) {
  int sum = 0;
  for (int i = 0; i < 8; ++i) {
    int weight = 1;
    for (int k = 0; k < 8 - i; ++k) weight = weight * 2 % 11;
    char c = body8[i];
    int value = c <= '9' ? c - '0' : c - 'A' + 10;
    sum += value * weight;
  }
  for (int c = 0; c <= 10; ++c) {
    if ((sum + c) % 11 == 0) return c == 10 ? 'X' : static_cast<char>('0' + c);
  }
  ADD_FAILURE() << "no organisation check value";
  return '?';
}

// GB 32100: the weight of character i (0-based) is 3^i mod 31, and the check value makes the
// sum of all 18 weighted values ≡ 0 (mod 31).
char FinalCheck(const std::string& first17) {
  int sum = 0;
  int weight = 1;
  for (int i = 0; i < 17; ++i) {
    sum += static_cast<int>(kAlphabet.find(first17[i])) * weight;
    weight = weight * 3 % 31;
  }
  for (int c = 0; c < 31; ++c) {
    if ((sum + c) % 31 == 0) return kAlphabet[c];
  }
  ADD_FAILURE() << "no final check value";
  return '?';
}

// Builds a valid code from authority, type, division and organisation body.
std::string Craft(const std::string& prefix10, const std::string& body8) {
  std::string first17 = prefix10.substr(0, 8) + body8 + OrganisationCheck(body8);
  return first17 + FinalCheck(first17);
}

CreditCodeError Parse(std::string_view code, CreditCode* parsed = nullptr) {
  CreditCode scratch;
  return ParseCreditCode(code, parsed != nullptr ? parsed : &scratch);
}

TEST(MerchantCodeTest, StandardSampleIsValid) {
  // The example printed in GB 32100-2015.
  CreditCode parsed;
  ASSERT_EQ(Parse("91350100M000100Y43", &parsed), CreditCodeError::kOk);
  EXPECT_EQ(parsed.normalized, "91350100M000100Y43");
  EXPECT_EQ(parsed.registration_authority, '9');
  EXPECT_EQ(parsed.organisation_type, '1');
  EXPECT_EQ(parsed.division_code, "350100");
  EXPECT_EQ(parsed.organisation_code, "M000100Y4");
}

TEST(MerchantCodeTest, PublishedCompanyCodesAreValid) {
  // Codes printed on the business licences of well-known companies; each one also passes the
  // independent checks above, so the test does not rest on the implementation alone.
  for (const std::string code :
       {"914403001922038216", "91440300708461136T", "91330100716105852F"}) {
    EXPECT_EQ(OrganisationCheck(code.substr(8, 8)), code[16]) << code;
    EXPECT_EQ(FinalCheck(code.substr(0, 17)), code[17]) << code;
    EXPECT_EQ(Parse(code), CreditCodeError::kOk) << code;
  }
}

TEST(MerchantCodeTest, CheckCharactersMatchIndependentHelpers) {
  for (const std::string body : {"00000000", "12345678", "MA0000AB", "L1KKDD8E", "YYYYYYYY",
                                 "A0000000", "00000001", "00000009"}) {
    EXPECT_EQ(OrganisationCodeCheckCharacter(body), OrganisationCheck(body)) << body;
  }
  for (const std::string first17 : {"91350100M000100Y4", "12100000400000000", "Y1110000000000000",
                                    "N2330102MA0000AB4", "00000000000000000"}) {
    EXPECT_EQ(CreditCodeCheckCharacter(first17), FinalCheck(first17)) << first17;
  }
}

TEST(MerchantCodeTest, OrganisationCheckCoversZeroAndX) {
  // The two edge values: a check value of 11 is written '0' and 10 is written 'X'. Walk a
  // hundred bodies and require that both edges occur and agree with the independent helper.
  bool saw_zero = false;
  bool saw_x = false;
  for (int n = 0; n < 100 && !(saw_zero && saw_x); ++n) {
    std::string body =
        std::string(6, '0') + static_cast<char>('0' + n / 10) + static_cast<char>('0' + n % 10);
    char check = OrganisationCodeCheckCharacter(body);
    EXPECT_EQ(check, OrganisationCheck(body)) << body;
    saw_zero = saw_zero || check == '0';
    saw_x = saw_x || check == 'X';
  }
  EXPECT_TRUE(saw_zero);
  EXPECT_TRUE(saw_x);

  // A crafted code whose organisation check is 'X' parses.
  for (int n = 0; n < 100; ++n) {
    std::string body = "MA0000" + std::to_string(10 + n);
    if (OrganisationCheck(body) != 'X') continue;
    EXPECT_EQ(Parse(Craft("9144030000", body)), CreditCodeError::kOk) << body;
    return;
  }
  ADD_FAILURE() << "no body with check X found";
}

TEST(MerchantCodeTest, CraftedCodesForEveryAuthorityParse) {
  for (const std::string prefix :
       {"11", "12", "13", "19", "21", "29", "31", "32", "33", "34", "35", "39",
        "41", "49", "51", "52", "53", "59", "61", "62", "69", "71", "72", "79",
        "81", "89", "91", "92", "93", "A1", "A9", "N1", "N2", "N3", "N9", "Y1"}) {
    std::string code = Craft(prefix + "110105", "MA01B2C3");
    CreditCode parsed;
    ASSERT_EQ(Parse(code, &parsed), CreditCodeError::kOk) << code;
    EXPECT_EQ(parsed.registration_authority, prefix[0]);
    EXPECT_EQ(parsed.organisation_type, prefix[1]);
    EXPECT_EQ(parsed.division_code, "110105");
  }
}

TEST(MerchantCodeTest, LowerCaseIsNormalised) {
  CreditCode parsed;
  ASSERT_EQ(Parse("91350100m000100y43", &parsed), CreditCodeError::kOk);
  EXPECT_EQ(parsed.normalized, "91350100M000100Y43");
  EXPECT_EQ(parsed.organisation_code, "M000100Y4");
}

TEST(MerchantCodeTest, WrongLength) {
  EXPECT_EQ(Parse(""), CreditCodeError::kWrongLength);
  EXPECT_EQ(Parse("91350100M000100Y4"), CreditCodeError::kWrongLength);
  EXPECT_EQ(Parse("91350100M000100Y433"), CreditCodeError::kWrongLength);
  EXPECT_EQ(Parse(" 91350100M000100Y43"), CreditCodeError::kWrongLength);
}

TEST(MerchantCodeTest, BadCharacter) {
  // I, O, Z, S and V are excluded from the alphabet, as are punctuation and non-ASCII bytes.
  for (char bad : {'I', 'O', 'Z', 'S', 'V', 'i', 'o', 'z', 's', 'v', '-', ' ', '\0', '\xe4'}) {
    std::string code = "91350100M000100Y43";
    code[10] = bad;
    EXPECT_EQ(Parse(code), CreditCodeError::kBadCharacter) << static_cast<int>(bad);
  }
}

TEST(MerchantCodeTest, BadRegistrationAuthority) {
  for (char authority : {'0', 'B', 'C', 'M', 'X'}) {
    std::string code = Craft(std::string(1, authority) + "1350100", "M000100Y");
    EXPECT_EQ(Parse(code), CreditCodeError::kBadRegistrationAuthority) << code;
  }
}

TEST(MerchantCodeTest, BadOrganisationType) {
  for (const std::string prefix :
       {"90", "94", "99", "14", "22", "36", "54", "63", "73", "82", "A2", "N4", "Y2", "Y9", "9A"}) {
    std::string code = Craft(prefix + "350100", "M000100Y");
    EXPECT_EQ(Parse(code), CreditCodeError::kBadOrganisationType) << code;
  }
}

TEST(MerchantCodeTest, DivisionNotDigits) {
  std::string code = Craft("9135A100", "M000100Y");
  EXPECT_EQ(Parse(code), CreditCodeError::kDivisionNotDigits) << code;
  code = Craft("913501XY", "M000100Y");
  EXPECT_EQ(Parse(code), CreditCodeError::kDivisionNotDigits) << code;
}

TEST(MerchantCodeTest, BadOrganisationCheck) {
  // Change the organisation check character and repair the final check, so that only the
  // organisation check is wrong.
  std::string first16 = "91350100M000100Y";
  for (char wrong : {'0', '5', 'X', 'A'}) {
    std::string first17 = first16 + wrong;
    std::string code = first17 + FinalCheck(first17);
    EXPECT_EQ(Parse(code), CreditCodeError::kBadOrganisationCheck) << code;
  }
}

TEST(MerchantCodeTest, BadFinalCheck) {
  for (char wrong : {'0', '4', 'Y', 'A'}) {
    std::string code = std::string("91350100M000100Y4") + wrong;
    EXPECT_EQ(Parse(code), CreditCodeError::kBadFinalCheck) << code;
  }
}

TEST(MerchantCodeTest, EverySingleCharacterSubstitutionIsCaught) {
  // MOD 31 over a 31-character alphabet with weights coprime to 31 detects every single
  // substitution; some are caught earlier by the structural checks.
  const std::string valid = "91350100M000100Y43";
  for (size_t position = 0; position < valid.size(); ++position) {
    for (char c : kAlphabet) {
      if (c == valid[position]) continue;
      std::string code = valid;
      code[position] = c;
      EXPECT_NE(Parse(code), CreditCodeError::kOk) << code;
    }
  }
}

TEST(MerchantCodeTest, ParsedIsUntouchedOnError) {
  CreditCode parsed;
  parsed.normalized = "sentinel";
  EXPECT_EQ(Parse("91350100M000100Y44", &parsed), CreditCodeError::kBadFinalCheck);
  EXPECT_EQ(parsed.normalized, "sentinel");
}

TEST(MerchantCodeTest, ErrorNamesAreStable) {
  EXPECT_EQ(CreditCodeErrorName(CreditCodeError::kOk), "ok");
  EXPECT_EQ(CreditCodeErrorName(CreditCodeError::kWrongLength), "wrong_length");
  EXPECT_EQ(CreditCodeErrorName(CreditCodeError::kBadCharacter), "bad_character");
  EXPECT_EQ(CreditCodeErrorName(CreditCodeError::kBadRegistrationAuthority),
            "bad_registration_authority");
  EXPECT_EQ(CreditCodeErrorName(CreditCodeError::kBadOrganisationType), "bad_organisation_type");
  EXPECT_EQ(CreditCodeErrorName(CreditCodeError::kDivisionNotDigits), "division_not_digits");
  EXPECT_EQ(CreditCodeErrorName(CreditCodeError::kBadOrganisationCheck), "bad_organisation_check");
  EXPECT_EQ(CreditCodeErrorName(CreditCodeError::kBadFinalCheck), "bad_final_check");
}

TEST(MerchantCodeTest, TheRegionIsTheDivisionCodeInPositionsThreeToEight) {
  EXPECT_EQ(RegionOfCreditCode("91350100M000100Y43"), 350100u);
  EXPECT_EQ(RegionOfCreditCode("91110108MA01XXXXXX"), 110108u);  // digits are all it reads
  EXPECT_EQ(RegionOfCreditCode("9135010"), 0u);                  // too short
  EXPECT_EQ(RegionOfCreditCode("913501A0M000100Y43"), 0u);       // not six digits
  EXPECT_EQ(RegionOfCreditCode(""), 0u);
}

}  // namespace
}  // namespace qb::merchant
