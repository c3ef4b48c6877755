#include "identity/identity_verifier.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "identity/resident_id.h"

namespace qb::identity {
namespace {

constexpr CalendarDate kToday{2026, 11, 22};
const std::string kValidId = "11010519491231002X";  // the published GB 11643 sample

std::string WithCheckCharacter(const std::string& first17) {
  return first17 + ResidentIdCheckCharacter(first17);
}

LocalIdentityVerifier MakeVerifier(std::vector<std::string> not_found = {}) {
  return LocalIdentityVerifier(LocalIdentityVerifierOptions{kToday, std::move(not_found)});
}

TEST(RealNameTest, AcceptsChineseLatinAndMinorityNames) {
  EXPECT_TRUE(IsPlausibleRealName("张三"));
  EXPECT_TRUE(IsPlausibleRealName("欧阳娜娜"));
  EXPECT_TRUE(IsPlausibleRealName("阿依古丽·买买提"));
  EXPECT_TRUE(IsPlausibleRealName("John Smith"));
  EXPECT_TRUE(IsPlausibleRealName("𠀋一"));  // CJK extension B
  EXPECT_TRUE(IsPlausibleRealName(std::string(20, 'a')));
}

TEST(RealNameTest, RejectsBadLengthCharactersAndSeparators) {
  EXPECT_FALSE(IsPlausibleRealName(""));
  EXPECT_FALSE(IsPlausibleRealName("张"));
  EXPECT_FALSE(IsPlausibleRealName(std::string(21, 'a')));
  std::string twenty_one_hanzi;
  for (int i = 0; i < 21; ++i) twenty_one_hanzi += "王";
  EXPECT_FALSE(IsPlausibleRealName(twenty_one_hanzi));
  EXPECT_FALSE(IsPlausibleRealName("张3"));
  EXPECT_FALSE(IsPlausibleRealName("张三<script>"));
  EXPECT_FALSE(IsPlausibleRealName("张，三"));
  EXPECT_FALSE(IsPlausibleRealName(" 张三"));
  EXPECT_FALSE(IsPlausibleRealName("张三·"));
  EXPECT_FALSE(IsPlausibleRealName("阿依·· 买"));
  EXPECT_FALSE(IsPlausibleRealName("John  Smith"));
  EXPECT_FALSE(IsPlausibleRealName("Jöhn"));
}

TEST(RealNameTest, RejectsIllFormedUtf8) {
  EXPECT_FALSE(IsPlausibleRealName("\xE5\xBC"));                  // truncated 张
  EXPECT_FALSE(IsPlausibleRealName("\xC0\xC1\xC0\xC1"));          // overlong
  EXPECT_FALSE(IsPlausibleRealName("\xED\xA0\x80\xED\xB0\x80"));  // surrogates
  EXPECT_FALSE(IsPlausibleRealName(std::string("张\0三", 7)));
}

TEST(LocalIdentityVerifierTest, WellFormedPairIsVerified) {
  LocalIdentityVerifier verifier = MakeVerifier();
  EXPECT_EQ(verifier.Verify("张三", kValidId), VerificationResult::kVerified);
  EXPECT_EQ(verifier.Verify("张三", "11010519491231002x"), VerificationResult::kVerified);
}

TEST(LocalIdentityVerifierTest, MalformedIdIsNotFound) {
  LocalIdentityVerifier verifier = MakeVerifier();
  EXPECT_EQ(verifier.Verify("张三", "110105194912310021"), VerificationResult::kIdNotFound);
  EXPECT_EQ(verifier.Verify("张三", "1101051949123100"), VerificationResult::kIdNotFound);
  EXPECT_EQ(verifier.Verify("张三", ""), VerificationResult::kIdNotFound);
}

TEST(LocalIdentityVerifierTest, MalformedNameIsMismatch) {
  LocalIdentityVerifier verifier = MakeVerifier();
  EXPECT_EQ(verifier.Verify("张", kValidId), VerificationResult::kNameMismatch);
  EXPECT_EQ(verifier.Verify("Robert'); DROP", kValidId), VerificationResult::kNameMismatch);
}

TEST(LocalIdentityVerifierTest, TodayComesFromTheCaller) {
  std::string born_2026_12_01 = WithCheckCharacter("11010520261201001");
  LocalIdentityVerifier verifier = MakeVerifier();
  EXPECT_EQ(verifier.Verify("李四", born_2026_12_01), VerificationResult::kIdNotFound);
  EXPECT_EQ(verifier.VerifyOn("李四", born_2026_12_01, CalendarDate{2026, 12, 1}),
            VerificationResult::kVerified);
}

TEST(LocalIdentityVerifierTest, MarkersAndListSelectEveryAnswer) {
  LocalIdentityVerifier verifier = MakeVerifier({"王五", "Jane Doe"});
  EXPECT_EQ(verifier.Verify("王五", kValidId), VerificationResult::kIdNotFound);
  EXPECT_EQ(verifier.Verify("Jane Doe", kValidId), VerificationResult::kIdNotFound);
  EXPECT_EQ(verifier.Verify("王五六", kValidId), VerificationResult::kVerified);
  EXPECT_EQ(verifier.Verify("张不存在", kValidId), VerificationResult::kIdNotFound);
  EXPECT_EQ(verifier.Verify("张不匹配", kValidId), VerificationResult::kNameMismatch);
  EXPECT_EQ(verifier.Verify("张不可用", kValidId), VerificationResult::kUnavailable);
}

TEST(LocalIdentityVerifierTest, ResultNamesAreStable) {
  EXPECT_EQ(VerificationResultName(VerificationResult::kVerified), "verified");
  EXPECT_EQ(VerificationResultName(VerificationResult::kNameMismatch), "name_mismatch");
  EXPECT_EQ(VerificationResultName(VerificationResult::kIdNotFound), "id_not_found");
  EXPECT_EQ(VerificationResultName(VerificationResult::kUnavailable), "unavailable");
}

TEST(LocalIdentityVerifierTest, UsableThroughTheInterfaceFromManyThreads) {
  LocalIdentityVerifier local = MakeVerifier();
  IdentityVerifier& verifier = local;
  std::vector<std::thread> threads;
  std::vector<int> verified(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        if (verifier.Verify("赵六", kValidId) == VerificationResult::kVerified) ++verified[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int count : verified) EXPECT_EQ(count, 200);
}

}  // namespace
}  // namespace qb::identity
