// The two-step log-in commands (45 BeginTotpEnrolment, 46 ConfirmTotp, 47 UseTotp) round-trip
// field by field, and bodies with impossible values are refused.
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

TEST(TotpCommandCodecTest, EachCommandRoundTrips) {
  const Command begin = Decoded(BeginTotpEnrolment{7, "sealed-blob"});
  ASSERT_TRUE(std::holds_alternative<BeginTotpEnrolment>(begin));
  EXPECT_EQ(std::get<BeginTotpEnrolment>(begin).customer_id, 7u);
  EXPECT_EQ(std::get<BeginTotpEnrolment>(begin).secret_sealed, "sealed-blob");

  const Command confirm = Decoded(ConfirmTotp{7, 59'843'760, "sealed", {"h1", "h2", "h3"}});
  ASSERT_TRUE(std::holds_alternative<ConfirmTotp>(confirm));
  EXPECT_EQ(std::get<ConfirmTotp>(confirm).step, 59'843'760);
  EXPECT_EQ(std::get<ConfirmTotp>(confirm).secret_sealed, "sealed");
  EXPECT_EQ(std::get<ConfirmTotp>(confirm).recovery_code_hashes,
            (std::vector<std::string>{"h1", "h2", "h3"}));

  for (auto proof : {identity::TotpProof::kWrong, identity::TotpProof::kStep,
                     identity::TotpProof::kRecoveryCode}) {
    UseTotp use;
    use.customer_id = 9;
    use.use.proof = proof;
    use.use.step = 123;
    use.use.recovery_code_hash = "hash";
    use.use.disable = proof == identity::TotpProof::kStep;
    const Command decoded = Decoded(use);
    ASSERT_TRUE(std::holds_alternative<UseTotp>(decoded));
    const UseTotp& back = std::get<UseTotp>(decoded);
    EXPECT_EQ(back.customer_id, 9u);
    EXPECT_EQ(back.use.proof, proof);
    EXPECT_EQ(back.use.step, 123);
    EXPECT_EQ(back.use.recovery_code_hash, "hash");
    EXPECT_EQ(back.use.disable, use.use.disable);
  }
  EXPECT_EQ(static_cast<uint16_t>(CommandType::kBeginTotpEnrolment), 45);
  EXPECT_EQ(static_cast<uint16_t>(CommandType::kConfirmTotp), 46);
  EXPECT_EQ(static_cast<uint16_t>(CommandType::kUseTotp), 47);
  EXPECT_EQ(CommandTypeName(CommandType::kBeginTotpEnrolment), "begin_totp_enrolment");
  EXPECT_EQ(CommandTypeName(CommandType::kConfirmTotp), "confirm_totp");
  EXPECT_EQ(CommandTypeName(CommandType::kUseTotp), "use_totp");
}

TEST(TotpCommandCodecTest, ImpossibleValuesAreRefused) {
  std::vector<Command> decoded;
  std::string use;
  ByteWriter u(&use);
  u.U64(7);
  u.U8(3);  // No such proof.
  u.I64(1);
  u.LengthPrefixed("");
  u.U8(0);
  EXPECT_FALSE(DecodeCommands(RawCommand(47, use), 1, &decoded));
  std::string not_bool;
  ByteWriter b(&not_bool);
  b.U64(7);
  b.U8(1);
  b.I64(1);
  b.LengthPrefixed("");
  b.U8(2);  // Not a bool.
  EXPECT_FALSE(DecodeCommands(RawCommand(47, not_bool), 1, &decoded));
  std::string confirm;
  ByteWriter c(&confirm);
  c.U64(7);
  c.I64(1);
  c.LengthPrefixed("sealed");
  c.U32(1000);  // More hashes than a customer may hold.
  EXPECT_FALSE(DecodeCommands(RawCommand(46, confirm), 1, &decoded));
  // Truncated.
  EXPECT_FALSE(DecodeCommands(RawCommand(45, std::string(6, '\0')), 1, &decoded));
}

}  // namespace
}  // namespace qb::engine
