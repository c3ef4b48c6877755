// The account-lifecycle commands: 52 CloseCustomer and 54 RotateSession round-trip field by
// field, and 9 RevokeSession carries a sign-out reason only when there is one, so records from
// before reasons decode as they were and bodies with impossible reasons are refused.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/bytes.h"
#include "codec_test_util.h"
#include "engine/command_codec.h"

namespace qb::engine {
namespace {

using testing::Decoded;
using testing::RawCommand;

TEST(AccountCommandCodecTest, CloseCustomerAndRotateSessionRoundTrip) {
  const Command closed = Decoded(CloseCustomer{42, "otp-hash"});
  ASSERT_TRUE(std::holds_alternative<CloseCustomer>(closed));
  EXPECT_EQ(std::get<CloseCustomer>(closed).customer_id, 42u);
  EXPECT_EQ(std::get<CloseCustomer>(closed).otp_hash, "otp-hash");
  EXPECT_EQ(static_cast<uint16_t>(CommandType::kCloseCustomer), 52);
  EXPECT_EQ(CommandTypeName(CommandType::kCloseCustomer), "close_customer");

  const Command rotated = Decoded(RotateSession{7, "old-hash", "new-hash"});
  ASSERT_TRUE(std::holds_alternative<RotateSession>(rotated));
  EXPECT_EQ(std::get<RotateSession>(rotated).customer_id, 7u);
  EXPECT_EQ(std::get<RotateSession>(rotated).old_token_hash, "old-hash");
  EXPECT_EQ(std::get<RotateSession>(rotated).new_token_hash, "new-hash");
  EXPECT_EQ(static_cast<uint16_t>(CommandType::kRotateSession), 54);
  EXPECT_EQ(CommandTypeName(CommandType::kRotateSession), "rotate_session");
}

TEST(AccountCommandCodecTest, RevokeSessionCarriesTheSignOutReasonOnlyWhenGiven) {
  // Without a reason the body is the hash alone, as every record before reasons was.
  std::string payload;
  EncodeCommand(RevokeSession{"hash"}, &payload);
  std::string old_body;
  ByteWriter(&old_body).LengthPrefixed("hash");
  EXPECT_EQ(payload, RawCommand(9, old_body));

  for (SignOut reason : {SignOut::kUnspecified, SignOut::kSelf, SignOut::kFromOtherSession}) {
    const Command decoded = Decoded(RevokeSession{"hash", reason});
    ASSERT_TRUE(std::holds_alternative<RevokeSession>(decoded));
    EXPECT_EQ(std::get<RevokeSession>(decoded).token_hash, "hash");
    EXPECT_EQ(std::get<RevokeSession>(decoded).reason, reason);
  }
  std::vector<Command> decoded;
  for (uint8_t bad : {0, 3}) {  // 0 is written as no byte at all.
    std::string body = old_body;
    body.push_back(static_cast<char>(bad));
    EXPECT_FALSE(DecodeCommands(RawCommand(9, body), 1, &decoded)) << int{bad};
  }
  EXPECT_FALSE(DecodeCommands(RawCommand(9, old_body + std::string(2, '\1')), 1, &decoded));
}

}  // namespace
}  // namespace qb::engine
