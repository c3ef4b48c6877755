#include "mfa/base32.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace qb::mfa {
namespace {

// RFC 4648 section 10, with the padding removed for the encoder (which writes none).
const std::pair<const char*, const char*> kRfcVectors[] = {
    {"", ""},
    {"f", "MY======"},
    {"fo", "MZXQ===="},
    {"foo", "MZXW6==="},
    {"foob", "MZXW6YQ="},
    {"fooba", "MZXW6YTB"},
    {"foobar", "MZXW6YTBOI======"},
};

std::string WithoutPadding(std::string text) {
  text.erase(text.find_last_not_of('=') + 1);
  return text;
}

std::string Lower(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

TEST(Base32Test, EncodesRfc4648Vectors) {
  for (const auto& [bytes, encoded] : kRfcVectors) {
    EXPECT_EQ(Base32Encode(bytes), WithoutPadding(encoded)) << bytes;
  }
}

TEST(Base32Test, DecodesRfc4648VectorsPaddedOrNotInEitherCase) {
  for (const auto& [bytes, encoded] : kRfcVectors) {
    EXPECT_EQ(Base32Decode(encoded), bytes) << encoded;
    EXPECT_EQ(Base32Decode(WithoutPadding(encoded)), bytes) << encoded;
    EXPECT_EQ(Base32Decode(Lower(encoded)), bytes) << encoded;
    EXPECT_EQ(Base32Decode(Lower(WithoutPadding(encoded))), bytes) << encoded;
  }
}

TEST(Base32Test, RoundTripsEveryByteValueAndLength) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) {
    bytes.push_back(static_cast<char>(i));
    std::string encoded = Base32Encode(bytes);
    EXPECT_EQ(encoded.size(), (bytes.size() * 8 + 4) / 5);
    EXPECT_EQ(Base32Decode(encoded), bytes) << i;
  }
}

TEST(Base32Test, EncodesATwentyByteSecretAsThirtyTwoCharacters) {
  EXPECT_EQ(Base32Encode("12345678901234567890"), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
}

TEST(Base32Test, RejectsCharactersOutsideTheAlphabet) {
  for (const char* bad :
       {"MY0", "M1", "MZXW6YT8", "MZ XQ", "MZ-XQ", "MZ\nXQ", "MZXW6YTB\xc3\xa9"}) {
    EXPECT_EQ(Base32Decode(bad), std::nullopt) << bad;
  }
}

TEST(Base32Test, RejectsBadPadding) {
  for (const char* bad : {"MY=", "MY=====", "MY=======", "M=Y=====", "MY======MY======", "========",
                          "MZXW6YTB========", "=MY"}) {
    EXPECT_EQ(Base32Decode(bad), std::nullopt) << bad;
  }
}

TEST(Base32Test, RejectsImpossibleLengths) {
  // 1, 3 and 6 trailing characters are never produced: they would leave a partial byte.
  for (const char* bad : {"M", "MZX", "MZXW6Y", "MZXW6YTBM", "M=======", "MZX=====", "MZXW6Y=="}) {
    EXPECT_EQ(Base32Decode(bad), std::nullopt) << bad;
  }
}

TEST(Base32Test, RejectsNonZeroUnusedBits) {
  // "MY" is 'f' with two zero bits left over; "MZ" sets one of them.
  EXPECT_EQ(Base32Decode("MY"), "f");
  EXPECT_EQ(Base32Decode("MZ"), std::nullopt);
  EXPECT_EQ(Base32Decode("MZXW6YR"), std::nullopt);  // "foob" is MZXW6YQ
}

}  // namespace
}  // namespace qb::mfa
