#include "identity/resident_id.h"

#include <gtest/gtest.h>

#include <string>

namespace qb::identity {
namespace {

constexpr CalendarDate kToday{2026, 11, 22};

// An independent formulation of ISO 7064 MOD 11-2: the weight of the i-th digit from the left
// is 2^(18-i) mod 11, and the check value c in 0..10 ('X' = 10) makes (sum + c) mod 11 == 1.
std::string WithCheckCharacter(const std::string& first17) {
  int sum = 0;
  for (int i = 0; i < 17; ++i) {
    int weight = 1;
    for (int k = 0; k < 17 - i; ++k) weight = weight * 2 % 11;
    sum += (first17[i] - '0') * weight;
  }
  for (int c = 0; c <= 10; ++c) {
    if ((sum + c) % 11 == 1) return first17 + (c == 10 ? 'X' : static_cast<char>('0' + c));
  }
  ADD_FAILURE() << "no check value";
  return first17;
}

ResidentIdError Parse(const std::string& id, ResidentIdInfo* info = nullptr) {
  ResidentIdInfo scratch;
  return ParseResidentId(id, kToday, info != nullptr ? info : &scratch);
}

TEST(ResidentIdTest, PublishedSampleIsValid) {
  ResidentIdInfo info;
  ASSERT_EQ(Parse("11010519491231002X", &info), ResidentIdError::kOk);
  EXPECT_EQ(info.normalized, "11010519491231002X");
  EXPECT_EQ(info.region_code, "110105");
  EXPECT_EQ(info.birth_date, (CalendarDate{1949, 12, 31}));
  EXPECT_EQ(info.sex, Sex::kFemale);  // 17th digit 2 is even
}

TEST(ResidentIdTest, ConstructedIdsParse) {
  ResidentIdInfo info;
  ASSERT_EQ(Parse(WithCheckCharacter("44030519900307123"), &info), ResidentIdError::kOk);
  EXPECT_EQ(info.region_code, "440305");
  EXPECT_EQ(info.birth_date, (CalendarDate{1990, 3, 7}));
  EXPECT_EQ(info.sex, Sex::kMale);

  ASSERT_EQ(Parse(WithCheckCharacter("32010220000229246"), &info), ResidentIdError::kOk);
  EXPECT_EQ(info.birth_date, (CalendarDate{2000, 2, 29}));
  EXPECT_EQ(info.sex, Sex::kFemale);
}

TEST(ResidentIdTest, CheckCharacterMatchesIndependentHelper) {
  for (const char* first17 : {"11010519491231002", "44030519900307123", "65010119851111555",
                              "82000020010101001", "91000019700101000"}) {
    std::string id = WithCheckCharacter(first17);
    EXPECT_EQ(ResidentIdCheckCharacter(first17), id.back()) << first17;
  }
}

TEST(ResidentIdTest, WrongChecksumRejected) {
  std::string id = WithCheckCharacter("44030519900307123");
  id.back() = id.back() == '0' ? '1' : '0';
  EXPECT_EQ(Parse(id), ResidentIdError::kBadChecksum);
  EXPECT_EQ(Parse("110105194912310021"), ResidentIdError::kBadChecksum);
}

TEST(ResidentIdTest, LowercaseXIsNormalised) {
  ResidentIdInfo info;
  ASSERT_EQ(Parse("11010519491231002x", &info), ResidentIdError::kOk);
  EXPECT_EQ(info.normalized, "11010519491231002X");
}

TEST(ResidentIdTest, BadProvinceRejected) {
  for (const char* first17 : {"99010519900307123", "10010519900307123", "72010519900307123",
                              "00010519900307123", "16010519900307123"}) {
    EXPECT_EQ(Parse(WithCheckCharacter(first17)), ResidentIdError::kBadProvince) << first17;
  }
}

TEST(ResidentIdTest, InvalidCalendarDatesRejected) {
  EXPECT_EQ(Parse(WithCheckCharacter("11010519900230123")), ResidentIdError::kBadBirthDate);
  EXPECT_EQ(Parse(WithCheckCharacter("11010519000229123")), ResidentIdError::kBadBirthDate);
  EXPECT_EQ(Parse(WithCheckCharacter("11010519901301123")), ResidentIdError::kBadBirthDate);
  EXPECT_EQ(Parse(WithCheckCharacter("11010519900431123")), ResidentIdError::kBadBirthDate);
  EXPECT_EQ(Parse(WithCheckCharacter("11010519900100123")), ResidentIdError::kBadBirthDate);
}

TEST(ResidentIdTest, FutureBirthDateRejected) {
  EXPECT_EQ(Parse(WithCheckCharacter("11010520261123123")), ResidentIdError::kBirthDateInFuture);
  EXPECT_EQ(Parse(WithCheckCharacter("11010520300101123")), ResidentIdError::kBirthDateInFuture);
  EXPECT_EQ(Parse(WithCheckCharacter("11010520261122123")), ResidentIdError::kOk);  // born today
}

TEST(ResidentIdTest, WrongLengthAndCharactersRejected) {
  EXPECT_EQ(Parse(""), ResidentIdError::kWrongLength);
  EXPECT_EQ(Parse("11010519491231002"), ResidentIdError::kWrongLength);
  EXPECT_EQ(Parse("11010519491231002X0"), ResidentIdError::kWrongLength);
  EXPECT_EQ(Parse("110105491231002"), ResidentIdError::kWrongLength);  // old 15-digit form
  EXPECT_EQ(Parse("1101051949123100AX"), ResidentIdError::kBadCharacter);
  EXPECT_EQ(Parse("11010519491231002Y"), ResidentIdError::kBadCharacter);
  EXPECT_EQ(Parse("X10105194912310021"), ResidentIdError::kBadCharacter);
}

TEST(ResidentIdTest, FailedParseLeavesInfoUntouched) {
  ResidentIdInfo info;
  info.region_code = "sentinel";
  EXPECT_EQ(Parse("110105194912310021", &info), ResidentIdError::kBadChecksum);
  EXPECT_EQ(info.region_code, "sentinel");
}

TEST(ResidentIdTest, Masking) {
  EXPECT_EQ(MaskResidentId("11010519491231002X"), "110***********002X");
  EXPECT_EQ(MaskResidentId("11010519491231002X").size(), 18u);
  EXPECT_EQ(MaskResidentId("1234567"), "*******");
}

}  // namespace
}  // namespace qb::identity
