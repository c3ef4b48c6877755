// The payment-PIN commands (43 SetPaymentPin, 44 RecordPinAttempt) round-trip field by field,
// and bodies with impossible values are refused.
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

TEST(PinCommandCodecTest, SetPaymentPinRoundTripsEachAuthorization) {
  for (auto how : {identity::PinAuthorization::kFirstSet, identity::PinAuthorization::kChange,
                   identity::PinAuthorization::kReset}) {
    SetPaymentPin command;
    command.customer_id = 42;
    command.change.how = how;
    command.change.pin_hash = "$argon2id$v=19$...";
    command.change.current_pin_ok = how == identity::PinAuthorization::kChange;
    command.change.otp_hash = how == identity::PinAuthorization::kReset ? "otp-hash" : "";
    command.change.id_lookup_hash = how == identity::PinAuthorization::kReset ? "id-hash" : "";
    EXPECT_EQ(TypeOf(command), CommandType::kSetPaymentPin);
    const Command decoded = Decoded(command);
    ASSERT_TRUE(std::holds_alternative<SetPaymentPin>(decoded));
    const SetPaymentPin& back = std::get<SetPaymentPin>(decoded);
    EXPECT_EQ(back.customer_id, 42u);
    EXPECT_EQ(back.change.how, how);
    EXPECT_EQ(back.change.pin_hash, command.change.pin_hash);
    EXPECT_EQ(back.change.current_pin_ok, command.change.current_pin_ok);
    EXPECT_EQ(back.change.otp_hash, command.change.otp_hash);
    EXPECT_EQ(back.change.id_lookup_hash, command.change.id_lookup_hash);
  }
  EXPECT_EQ(CommandTypeName(CommandType::kSetPaymentPin), "set_payment_pin");
  EXPECT_EQ(static_cast<uint16_t>(CommandType::kSetPaymentPin), 43);
}

TEST(PinCommandCodecTest, RecordPinAttemptRoundTrips) {
  for (bool ok : {false, true}) {
    const Command decoded = Decoded(RecordPinAttempt{7, ok});
    ASSERT_TRUE(std::holds_alternative<RecordPinAttempt>(decoded));
    EXPECT_EQ(std::get<RecordPinAttempt>(decoded).customer_id, 7u);
    EXPECT_EQ(std::get<RecordPinAttempt>(decoded).pin_ok, ok);
  }
  EXPECT_EQ(CommandTypeName(CommandType::kRecordPinAttempt), "record_pin_attempt");
  EXPECT_EQ(static_cast<uint16_t>(CommandType::kRecordPinAttempt), 44);
}

TEST(PinCommandCodecTest, ImpossibleValuesAreRefused) {
  std::vector<Command> decoded;
  std::string attempt;
  ByteWriter a(&attempt);
  a.U64(7);
  a.U8(2);  // Not a bool.
  EXPECT_FALSE(DecodeCommands(RawCommand(44, attempt), 1, &decoded));
  std::string set;
  ByteWriter s(&set);
  s.U64(7);
  s.U8(4);  // No such authorization.
  for (int i = 0; i < 3; i++) s.LengthPrefixed("x");
  EXPECT_FALSE(DecodeCommands(RawCommand(43, set), 1, &decoded));
  // Truncated.
  EXPECT_FALSE(DecodeCommands(RawCommand(44, attempt.substr(0, 8)), 1, &decoded));
}

}  // namespace
}  // namespace qb::engine
