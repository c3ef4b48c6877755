#include "mfa/recovery_codes.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace qb::mfa {
namespace {

identity::SecretKey Pepper(char fill) {
  return *identity::SecretKey::FromBytes(std::string(identity::SecretKey::kSize, fill));
}

TEST(RecoveryCodesTest, GeneratesTenWellFormedDistinctCodes) {
  const identity::SecretKey pepper = Pepper('p');
  RecoveryCodes generated = GenerateRecoveryCodes(pepper);
  ASSERT_EQ(generated.codes.size(), kDefaultRecoveryCodeCount);
  ASSERT_EQ(generated.hashes.size(), kDefaultRecoveryCodeCount);
  std::set<std::string> distinct;
  for (size_t i = 0; i < generated.codes.size(); ++i) {
    const std::string& code = generated.codes[i];
    ASSERT_EQ(code.size(), kRecoveryCodeDisplayChars) << code;
    EXPECT_EQ(code[5], '-') << code;
    for (size_t k = 0; k < code.size(); ++k) {
      if (k == 5) continue;
      EXPECT_NE(kRecoveryCodeAlphabet.find(code[k]), std::string_view::npos) << code;
    }
    EXPECT_EQ(generated.hashes[i].size(), kRecoveryCodeHashHexChars);
    EXPECT_EQ(generated.hashes[i].find(code.substr(0, 5)), std::string::npos);
    distinct.insert(code);
  }
  EXPECT_EQ(distinct.size(), generated.codes.size());
  EXPECT_EQ(GenerateRecoveryCodes(pepper, 3).codes.size(), 3u);
}

TEST(RecoveryCodesTest, AlphabetHasNoLookAlikes) {
  for (char c : std::string("01ILO")) {
    EXPECT_EQ(kRecoveryCodeAlphabet.find(c), std::string_view::npos) << c;
  }
}

TEST(RecoveryCodesTest, EverySymbolIsDrawn) {
  // 5 batches of 20 codes draw 1000 symbols: a given symbol is missing with probability
  // (30/31)^1000 < 10^-14, so this fails only if some symbol can never be drawn.
  std::set<char> seen;
  const identity::SecretKey pepper = Pepper('p');
  for (int batch = 0; batch < 5; ++batch) {
    for (const std::string& code : GenerateRecoveryCodes(pepper, kMaxRecoveryCodeCount).codes) {
      for (char c : code) {
        if (c != '-') seen.insert(c);
      }
    }
  }
  EXPECT_EQ(seen.size(), kRecoveryCodeAlphabet.size());
}

TEST(RecoveryCodesTest, MatchesEachCodeAtItsIndex) {
  const identity::SecretKey pepper = Pepper('p');
  RecoveryCodes generated = GenerateRecoveryCodes(pepper);
  for (size_t i = 0; i < generated.codes.size(); ++i) {
    EXPECT_EQ(MatchRecoveryCode(generated.codes[i], generated.hashes, pepper), i);
  }
}

TEST(RecoveryCodesTest, NormalisesCaseSpacesAndDash) {
  EXPECT_EQ(NormalizeRecoveryCode("ABCDE-FGH23"), "ABCDEFGH23");
  EXPECT_EQ(NormalizeRecoveryCode("abcde-fgh23"), "ABCDEFGH23");
  EXPECT_EQ(NormalizeRecoveryCode(" abcde fgh23 "), "ABCDEFGH23");
  EXPECT_EQ(NormalizeRecoveryCode("AbCdEfGh23"), "ABCDEFGH23");
  EXPECT_EQ(NormalizeRecoveryCode("ab-cd\te-fg-h2-3"), "ABCDEFGH23");

  const identity::SecretKey pepper = Pepper('p');
  RecoveryCodes generated = GenerateRecoveryCodes(pepper, 2);
  std::string typed;
  for (char c : generated.codes[1]) {
    if (c == '-') continue;
    typed.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    typed.push_back(' ');
  }
  EXPECT_EQ(MatchRecoveryCode(typed, generated.hashes, pepper), 1u);
}

TEST(RecoveryCodesTest, RefusesMalformedInput) {
  for (const std::string& bad :
       {std::string(), std::string("ABCDE-FGH2"), std::string("ABCDE-FGH234"),
        std::string("ABCDE-FGH2O"), std::string("ABCDE-FGH21"), std::string("ABCDE-FGH2I"),
        std::string("ABCDE-FGH2L"), std::string("ABCDE_FGH23"), std::string("ABCDE\nFGH23"),
        std::string("ABCDE-FGH2\xc3\xa9"), std::string(60, ' ') + "ABCDEFGH23"}) {
    EXPECT_EQ(NormalizeRecoveryCode(bad), std::nullopt) << bad;
  }
}

TEST(RecoveryCodesTest, WrongCodeSpentCodeAndWrongPepperDoNotMatch) {
  const identity::SecretKey pepper = Pepper('p');
  RecoveryCodes generated = GenerateRecoveryCodes(pepper, 4);
  std::string other = "22222-22222";
  for (const std::string& code : generated.codes) ASSERT_NE(code, other);
  EXPECT_EQ(MatchRecoveryCode(other, generated.hashes, pepper), std::nullopt);

  // The caller spends a code by emptying its hash; the others keep their indices.
  std::optional<size_t> index = MatchRecoveryCode(generated.codes[2], generated.hashes, pepper);
  ASSERT_EQ(index, 2u);
  generated.hashes[*index].clear();
  EXPECT_EQ(MatchRecoveryCode(generated.codes[2], generated.hashes, pepper), std::nullopt);
  EXPECT_EQ(MatchRecoveryCode(generated.codes[3], generated.hashes, pepper), 3u);

  EXPECT_EQ(MatchRecoveryCode(generated.codes[0], generated.hashes, Pepper('q')), std::nullopt);
}

TEST(RecoveryCodesTest, HashIsKeyedAndDeterministic) {
  EXPECT_EQ(HashRecoveryCode("ABCDEFGH23", Pepper('p')),
            HashRecoveryCode("ABCDEFGH23", Pepper('p')));
  EXPECT_NE(HashRecoveryCode("ABCDEFGH23", Pepper('p')),
            HashRecoveryCode("ABCDEFGH23", Pepper('q')));
  EXPECT_NE(HashRecoveryCode("ABCDEFGH23", Pepper('p')),
            HashRecoveryCode("ABCDEFGH24", Pepper('p')));
}

TEST(RecoveryCodesTest, CountOutOfRangeIsAProgrammerError) {
  const identity::SecretKey pepper = Pepper('p');
  EXPECT_DEATH(GenerateRecoveryCodes(pepper, 0), "assertion failed");
  EXPECT_DEATH(GenerateRecoveryCodes(pepper, kMaxRecoveryCodeCount + 1), "assertion failed");
}

}  // namespace
}  // namespace qb::mfa
