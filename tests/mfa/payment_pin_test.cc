#include "mfa/payment_pin.h"

#include <gtest/gtest.h>

#include <string>

namespace qb::mfa {
namespace {

// A syntactically plausible resident ID for a holder born on 1990-07-23. The check character
// does not matter here: the policy only reads the birth date.
const std::string kResidentId = "110105199007231234";

PaymentPinVerdict Check(std::string_view pin) { return CheckPaymentPin(pin, kResidentId); }

TEST(PaymentPinTest, VerdictNamesAreStable) {
  EXPECT_EQ(PaymentPinVerdictName(PaymentPinVerdict::kOk), "ok");
  EXPECT_EQ(PaymentPinVerdictName(PaymentPinVerdict::kNotSixDigits), "not_six_digits");
  EXPECT_EQ(PaymentPinVerdictName(PaymentPinVerdict::kSameDigit), "same_digit");
  EXPECT_EQ(PaymentPinVerdictName(PaymentPinVerdict::kSequence), "sequence");
  EXPECT_EQ(PaymentPinVerdictName(PaymentPinVerdict::kRepeatingPattern), "repeating_pattern");
  EXPECT_EQ(PaymentPinVerdictName(PaymentPinVerdict::kBirthDate), "birth_date");
}

TEST(PaymentPinTest, NotSixDigits) {
  for (const std::string& pin :
       {std::string(), std::string("12345"), std::string("1234567"), std::string("13579a"),
        std::string("135 79"), std::string("+35790"), std::string("１３５７９０"),
        std::string("13579\0", 6), std::string("135790\n")}) {
    EXPECT_EQ(Check(pin), PaymentPinVerdict::kNotSixDigits) << pin;
  }
}

TEST(PaymentPinTest, SameDigit) {
  for (char digit = '0'; digit <= '9'; ++digit) {
    EXPECT_EQ(Check(std::string(6, digit)), PaymentPinVerdict::kSameDigit) << digit;
  }
}

TEST(PaymentPinTest, Sequences) {
  for (const char* pin : {"012345", "123456", "234567", "345678", "456789", "567890", "678901",
                          "789012", "890123", "901234", "987654", "876543", "765432", "654321",
                          "543210", "432109", "321098", "210987", "109876", "098765"}) {
    EXPECT_EQ(Check(pin), PaymentPinVerdict::kSequence) << pin;
  }
}

TEST(PaymentPinTest, RepeatingPatterns) {
  for (const char* pin :
       {"121212", "909090", "010101", "123123", "520520", "112112", "001001", "987987"}) {
    EXPECT_EQ(Check(pin), PaymentPinVerdict::kRepeatingPattern) << pin;
  }
}

TEST(PaymentPinTest, BirthDateInEachOrder) {
  EXPECT_EQ(Check("900723"), PaymentPinVerdict::kBirthDate);  // YYMMDD
  EXPECT_EQ(Check("072390"), PaymentPinVerdict::kBirthDate);  // MMDDYY
  EXPECT_EQ(Check("230790"), PaymentPinVerdict::kBirthDate);  // DDMMYY
  // Other holders may use these; only this holder's birth date is refused.
  EXPECT_EQ(CheckPaymentPin("900723", "110105198512300012"), PaymentPinVerdict::kOk);
  EXPECT_EQ(CheckPaymentPin("851230", "110105198512300012"), PaymentPinVerdict::kBirthDate);
  // A lower-case check character does not stop the birth date being read.
  EXPECT_EQ(CheckPaymentPin("851230", "11010519851230001x"), PaymentPinVerdict::kBirthDate);
}

TEST(PaymentPinTest, BirthDateCheckSkippedWithoutAUsableResidentId) {
  for (const std::string& id :
       {std::string(), std::string("11010519900723123"), std::string("1101051990072312345"),
        std::string("110105199O07231234")}) {
    EXPECT_EQ(CheckPaymentPin("900723", id), PaymentPinVerdict::kOk) << id;
  }
}

TEST(PaymentPinTest, PrecedenceIsTheEnumOrder) {
  // A holder born 2012-12-12: 121212 is both a repeating pattern and the birth date.
  EXPECT_EQ(CheckPaymentPin("121212", "110105201212121234"), PaymentPinVerdict::kRepeatingPattern);
  // A holder born 2000-00-00 cannot exist, but a bogus ID must not outrank same_digit.
  EXPECT_EQ(CheckPaymentPin("000000", "110105200000001234"), PaymentPinVerdict::kSameDigit);
}

TEST(PaymentPinTest, AcceptablePins) {
  for (const char* pin : {"135790", "482916", "102938", "123457", "112233", "124578", "900724",
                          "720390", "012346", "121213", "123124", "654320"}) {
    EXPECT_EQ(Check(pin), PaymentPinVerdict::kOk) << pin;
  }
}

}  // namespace
}  // namespace qb::mfa
