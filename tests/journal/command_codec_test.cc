// The journal payload codec: every journaled command type round-trips exactly, and malformed
// payloads are rejected rather than half-decoded.
#include "engine/command_codec.h"

#include <gtest/gtest.h>

#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "codec_test_util.h"
#include "ledger/types.h"

namespace qb::engine {
namespace {

using testing::RawCommand;

ledger::Account SampleAccount(uint64_t id) {
  ledger::Account a;
  a.id = id;
  a.user_data = ~id;
  a.debits_pending = 1;
  a.debits_posted = -2;  // Not a valid ledger state, but the codec must not care.
  a.credits_pending = std::numeric_limits<int64_t>::max();
  a.credits_posted = std::numeric_limits<int64_t>::min();
  a.timestamp_ns = 123;
  a.ledger = ledger::kLedgerCny;
  a.kind = static_cast<uint16_t>(ledger::AccountKind::kMerchantSettlement);
  a.flags = ledger::account_flags::kDebitsMustNotExceedCredits;
  return a;
}

ledger::Transfer SampleTransfer(uint64_t id) {
  ledger::Transfer t;
  t.id = id;
  t.debit_account_id = id + 1;
  t.credit_account_id = id + 2;
  t.amount = 9'999;
  t.pending_id = id + 3;
  t.user_data = 0xDEADBEEF;
  t.timestamp_ns = -1;
  t.timeout_s = 60;
  t.ledger = ledger::kLedgerPoints;
  t.code = 7;
  t.flags = ledger::transfer_flags::kPending | ledger::transfer_flags::kLinked;
  return t;
}

std::vector<Command> SampleCommands() {
  std::vector<Command> commands;
  commands.push_back(CreateAccounts{{SampleAccount(1), SampleAccount(2)}});
  CreateTransfers transfers;
  for (uint64_t id : {10, 20, 30}) transfers.transfers.push_back(SampleTransfer(id));
  commands.push_back(std::move(transfers));
  commands.push_back(CloseAccount{77});
  return commands;
}

std::string EncodeAll(const std::vector<Command>& commands) {
  std::string payload;
  for (const Command& c : commands) EncodeCommand(c, &payload);
  return payload;
}

std::string CountedBody(uint32_t count, size_t item_bytes) {
  std::string body;
  ByteWriter writer(&body);
  writer.U32(count);
  body.append(count * item_bytes, '\0');
  return body;
}

TEST(CommandCodecTest, EachCommandTypeRoundTrips) {
  const std::vector<Command> commands = SampleCommands();
  for (const Command& command : commands) {
    std::string payload;
    EncodeCommand(command, &payload);
    std::vector<Command> decoded;
    ASSERT_TRUE(DecodeCommands(payload, 1, &decoded)) << CommandTypeName(TypeOf(command));
    ASSERT_EQ(decoded.size(), 1u);
    EXPECT_EQ(TypeOf(decoded[0]), TypeOf(command));
  }
  std::vector<Command> decoded;
  ASSERT_TRUE(DecodeCommands(EncodeAll(commands), 3, &decoded));
  ASSERT_EQ(decoded.size(), 3u);
  const auto& accounts = std::get<CreateAccounts>(decoded[0]).accounts;
  ASSERT_EQ(accounts.size(), 2u);
  EXPECT_EQ(accounts[0], SampleAccount(1));
  EXPECT_EQ(accounts[1], SampleAccount(2));
  const auto& transfers = std::get<CreateTransfers>(decoded[1]).transfers;
  ASSERT_EQ(transfers.size(), 3u);
  EXPECT_EQ(transfers[0], SampleTransfer(10));
  EXPECT_EQ(transfers[2], SampleTransfer(30));
  EXPECT_EQ(std::get<CloseAccount>(decoded[2]).account_id, 77u);
}

TEST(CommandCodecTest, TheReferralProgrammeRoundTripsFieldByField) {
  SetReferralProgram command;
  command.staff_id = 7;
  command.program.enabled = true;
  command.program.qualify_days = 14;
  command.program.min_payment_fen = 1'234;
  command.program.inviter = {referral::RewardKind::kCash, 1'000};
  command.program.invitee = {referral::RewardKind::kPoints, 500};
  command.program.inviter_monthly_cap = 3;
  command.program.budget_fen = 99'999;
  command.program.invitee_verified = false;
  std::string payload;
  EncodeCommand(command, &payload);
  std::vector<Command> decoded;
  ASSERT_TRUE(DecodeCommands(payload, 1, &decoded));
  const auto& back = std::get<SetReferralProgram>(decoded.at(0));
  EXPECT_EQ(back.staff_id, 7u);
  EXPECT_EQ(back.program, command.program);
  EXPECT_EQ(CommandTypeName(TypeOf(decoded[0])), "set_referral_program");
  for (size_t cut = 1; cut < payload.size(); cut++) {
    EXPECT_FALSE(DecodeCommands(std::string_view(payload).substr(0, cut), 1, &decoded)) << cut;
  }
}

TEST(CommandCodecTest, TheLotteryCommandsRoundTripFieldByField) {
  SetLottery set;
  set.staff_id = 3;
  set.config.enabled = true;
  set.config.start_s = 100;
  set.config.end_s = 200;
  set.config.prizes = {{"¥1", lottery::PrizeKind::kCash, 100, 5, 2'500},
                       {"50 积分", lottery::PrizeKind::kPoints, 50, 9, 7'500}};
  set.config.payment_min_fen = 1'000;
  set.config.payment_draws_daily = 2;
  set.config.sign_in_draw = true;
  set.config.referral_draws = 4;
  set.config.daily_draw_limit = 6;
  set.config.budget_fen = 12'345;
  const DrawLottery draw{8, 99, std::string(kLotteryNonceBytes, 'z')};
  std::string payload;
  EncodeCommand(set, &payload);
  EncodeCommand(LotterySignIn{8}, &payload);
  EncodeCommand(draw, &payload);
  std::vector<Command> decoded;
  ASSERT_TRUE(DecodeCommands(payload, 3, &decoded));
  EXPECT_EQ(std::get<SetLottery>(decoded.at(0)).staff_id, 3u);
  EXPECT_EQ(std::get<SetLottery>(decoded[0]).config, set.config);
  EXPECT_EQ(std::get<LotterySignIn>(decoded.at(1)).customer_id, 8u);
  const auto& back = std::get<DrawLottery>(decoded.at(2));
  EXPECT_EQ(back.customer_id, 8u);
  EXPECT_EQ(back.draw_id, 99u);
  EXPECT_EQ(back.nonce, draw.nonce);
  EXPECT_EQ(CommandTypeName(TypeOf(decoded[2])), "draw_lottery");
}

TEST(CommandCodecTest, TheRedPacketCommandsRoundTripFieldByField) {
  SetRedPackets set;
  set.staff_id = 3;
  set.config.enabled = true;
  set.config.start_s = 100;
  set.config.end_s = 200;
  set.config.payment_min_fen = 1'000;
  set.config.packets_daily = 2;
  set.config.packet_fen = 888;
  set.config.shares = 8;
  set.config.valid_hours = 12;
  set.config.claims_daily = 4;
  set.config.budget_fen = 12'345;
  const SendRedPacket send{8, 99, std::string(kRedPacketNonceBytes, 'z')};
  const ClaimRedPacket claim{9, 99, "device-hash"};
  std::string payload;
  EncodeCommand(set, &payload);
  EncodeCommand(send, &payload);
  EncodeCommand(claim, &payload);
  std::vector<Command> decoded;
  ASSERT_TRUE(DecodeCommands(payload, 3, &decoded));
  EXPECT_EQ(std::get<SetRedPackets>(decoded.at(0)).staff_id, 3u);
  EXPECT_EQ(std::get<SetRedPackets>(decoded[0]).config, set.config);
  const auto& sent = std::get<SendRedPacket>(decoded.at(1));
  EXPECT_EQ(sent.customer_id, 8u);
  EXPECT_EQ(sent.packet_id, 99u);
  EXPECT_EQ(sent.nonce, send.nonce);
  const auto& claimed = std::get<ClaimRedPacket>(decoded.at(2));
  EXPECT_EQ(claimed.customer_id, 9u);
  EXPECT_EQ(claimed.packet_id, 99u);
  EXPECT_EQ(claimed.device_hash, "device-hash");
  EXPECT_EQ(CommandTypeName(TypeOf(decoded[0])), "set_red_packets");
  EXPECT_EQ(CommandTypeName(TypeOf(decoded[2])), "claim_red_packet");
  for (size_t cut = 1; cut < payload.size(); cut++) {
    EXPECT_FALSE(DecodeCommands(std::string_view(payload).substr(0, cut), 3, &decoded)) << cut;
  }
}

TEST(CommandCodecTest, TheRedeemCodeCommandsRoundTripFieldByField) {
  std::string payload;
  EncodeCommand(CreateCouponCodes{3, 17, 1'000'000}, &payload);
  EncodeCommand(RedeemCouponCode{8, 2, 999'999, "device-hash"}, &payload);
  std::vector<Command> decoded;
  ASSERT_TRUE(DecodeCommands(payload, 2, &decoded));
  const auto& created = std::get<CreateCouponCodes>(decoded.at(0));
  EXPECT_EQ(created.staff_id, 3u);
  EXPECT_EQ(created.template_id, 17u);
  EXPECT_EQ(created.count, 1'000'000u);
  const auto& redeemed = std::get<RedeemCouponCode>(decoded.at(1));
  EXPECT_EQ(redeemed.customer_id, 8u);
  EXPECT_EQ(redeemed.batch_id, 2u);
  EXPECT_EQ(redeemed.index, 999'999u);
  EXPECT_EQ(redeemed.device_hash, "device-hash");
  EXPECT_EQ(CommandTypeName(TypeOf(decoded[1])), "redeem_coupon_code");
  for (size_t cut = 1; cut < payload.size(); cut++) {
    EXPECT_FALSE(DecodeCommands(std::string_view(payload).substr(0, cut), 2, &decoded)) << cut;
  }
}

TEST(CommandCodecTest, IdentityCommandsRoundTripFieldByField) {
  const std::vector<Command> commands = {
      IssueOtp{"13800138000", identity::OtpPurpose::kLogin, "otp-hash"},
      RegisterCustomer{{"13800138000", "otp-hash", "$argon2id$...", "campus", "INVITE7"}},
      RecordLogin{42, true},
      CreateSession{"token-hash", 42, {}},
      RevokeSession{"token-hash"},
      P2PTransfer{9001, 42, "13900139000", 12'345, "午饭 AA", {}},
  };
  const std::string payload = EncodeAll(commands);
  std::vector<Command> decoded;
  ASSERT_TRUE(DecodeCommands(payload, static_cast<uint32_t>(commands.size()), &decoded));
  ASSERT_EQ(decoded.size(), commands.size());
  const auto& otp = std::get<IssueOtp>(decoded[0]);
  EXPECT_EQ(otp.phone, "13800138000");
  EXPECT_EQ(otp.purpose, identity::OtpPurpose::kLogin);
  EXPECT_EQ(otp.code_hash, "otp-hash");
  const auto& registration = std::get<RegisterCustomer>(decoded[1]).registration;
  EXPECT_EQ(registration.password_hash, "$argon2id$...");
  EXPECT_EQ(registration.channel, "campus");
  EXPECT_EQ(registration.invite_code, "INVITE7");
  EXPECT_EQ(std::get<RecordLogin>(decoded[2]).customer_id, 42u);
  EXPECT_TRUE(std::get<RecordLogin>(decoded[2]).password_ok);
  EXPECT_EQ(std::get<CreateSession>(decoded[3]).token_hash, "token-hash");
  EXPECT_EQ(std::get<RevokeSession>(decoded[4]).token_hash, "token-hash");
  const auto& p2p = std::get<P2PTransfer>(decoded[5]);
  EXPECT_EQ(p2p.transfer_id, 9001u);
  EXPECT_EQ(p2p.to_phone, "13900139000");
  EXPECT_EQ(p2p.amount_fen, 12'345);
  for (size_t cut = 0; cut < payload.size(); cut++) {
    EXPECT_FALSE(DecodeCommands(std::string_view(payload).substr(0, cut),
                                static_cast<uint32_t>(commands.size()), &decoded))
        << cut;
  }
}

TEST(CommandCodecTest, EncodedSizesFollowTheGrammar) {
  std::string payload;
  EncodeCommand(CreateAccounts{{SampleAccount(1), SampleAccount(2)}}, &payload);
  EXPECT_EQ(payload.size(), 2u + 4u + 4u + 2 * 64u);
  payload.clear();
  EncodeCommand(CloseAccount{5}, &payload);
  EXPECT_EQ(payload.size(), 2u + 4u + 8u);
}

TEST(CommandCodecTest, EmptyPayloadIsZeroCommands) {
  std::vector<Command> decoded{CloseAccount{1}};
  EXPECT_TRUE(DecodeCommands("", 0, &decoded));
  EXPECT_TRUE(decoded.empty());
  EXPECT_FALSE(DecodeCommands("", 1, &decoded));
}

TEST(CommandCodecTest, WrongCommandCountIsRejected) {
  const std::string payload = EncodeAll(SampleCommands());
  std::vector<Command> decoded;
  EXPECT_FALSE(DecodeCommands(payload, 2, &decoded));
  EXPECT_FALSE(DecodeCommands(payload, 4, &decoded));
  EXPECT_FALSE(DecodeCommands(payload, 0, &decoded));
}

// A record's command_count comes from disk; a huge one must be rejected, not allocated for.
TEST(CommandCodecTest, HugeCommandCountIsRejectedWithoutAllocatingForIt) {
  const std::string payload = EncodeAll(SampleCommands());
  std::vector<Command> decoded;
  EXPECT_FALSE(DecodeCommands(payload, std::numeric_limits<uint32_t>::max(), &decoded));
}

TEST(CommandCodecTest, EveryTruncationIsRejected) {
  const std::vector<Command> commands = SampleCommands();
  const std::string payload = EncodeAll(commands);
  // Cutting exactly between commands leaves a valid, shorter payload of that many commands.
  std::vector<size_t> boundaries;
  std::string prefix;
  for (const Command& c : commands) {
    EncodeCommand(c, &prefix);
    boundaries.push_back(prefix.size());
  }
  std::vector<Command> decoded;
  for (size_t cut = 1; cut < payload.size(); cut++) {
    const std::string_view truncated = std::string_view(payload).substr(0, cut);
    for (uint32_t count = 0; count <= 3; count++) {
      const bool valid = count > 0 && boundaries[count - 1] == cut;
      ASSERT_EQ(DecodeCommands(truncated, count, &decoded), valid)
          << "cut at " << cut << ", count " << count;
    }
  }
}

TEST(CommandCodecTest, UnknownAndQueryTypesAreRejected) {
  std::string payload;
  EncodeCommand(CloseAccount{5}, &payload);
  std::vector<Command> decoded;
  for (uint16_t type : {0, 4, 5, 0xFFFF}) {
    std::memcpy(payload.data(), &type, 2);
    EXPECT_FALSE(DecodeCommands(payload, 1, &decoded)) << "type " << type;
  }
}

TEST(CommandCodecTest, ItemCountMustMatchTheBody) {
  std::vector<Command> decoded;
  // Says three accounts, holds two.
  std::string body = CountedBody(2, 64);
  body[0] = 3;
  EXPECT_FALSE(DecodeCommands(RawCommand(1, body), 1, &decoded));
  // Says one transfer, holds two.
  body = CountedBody(2, 68);
  body[0] = 1;
  EXPECT_FALSE(DecodeCommands(RawCommand(2, body), 1, &decoded));
  // A close with a byte too many or too few.
  EXPECT_FALSE(DecodeCommands(RawCommand(3, std::string(9, '\0')), 1, &decoded));
  EXPECT_FALSE(DecodeCommands(RawCommand(3, std::string(7, '\0')), 1, &decoded));
  EXPECT_TRUE(DecodeCommands(RawCommand(3, std::string(8, '\0')), 1, &decoded));
}

TEST(CommandCodecTest, BodyLengthPastThePayloadIsRejected) {
  std::string payload = RawCommand(3, std::string(8, '\0'));
  payload[2] = 9;  // Body length 9, but only 8 bytes follow.
  std::vector<Command> decoded;
  EXPECT_FALSE(DecodeCommands(payload, 1, &decoded));
}

TEST(CommandCodecTest, ItemCountOverTheLimitIsRejected) {
  std::vector<Command> decoded;
  const auto limit = static_cast<uint32_t>(kMaxItemsPerCommand);
  EXPECT_TRUE(DecodeCommands(RawCommand(1, CountedBody(limit, 64)), 1, &decoded));
  EXPECT_EQ(std::get<CreateAccounts>(decoded[0]).accounts.size(), kMaxItemsPerCommand);
  EXPECT_FALSE(DecodeCommands(RawCommand(1, CountedBody(limit + 1, 64)), 1, &decoded));
  EXPECT_TRUE(DecodeCommands(RawCommand(2, CountedBody(limit, 68)), 1, &decoded));
  EXPECT_FALSE(DecodeCommands(RawCommand(2, CountedBody(limit + 1, 68)), 1, &decoded));
}

TEST(CommandCodecTest, TypeNamesAndJournaling) {
  EXPECT_EQ(TypeOf(Query{}), CommandType::kQuery);
  EXPECT_FALSE(IsJournaled(Query{}));
  EXPECT_TRUE(IsJournaled(CloseAccount{1}));
  EXPECT_EQ(CommandTypeName(CommandType::kCreateTransfers), "create_transfers");
  EXPECT_EQ(CommandTypeName(static_cast<CommandType>(99)), "unknown");
  EXPECT_EQ(ReplyStatusName(ReplyStatus::kOverloaded), "overloaded");
}

TEST(CommandCodecTest, WalletCommandsRoundTripByteForByte) {
  identity::BoundCard card;
  card.lookup_hash = "pan-hash";
  card.pan_sealed = std::string("\x01\x00\x00\x00sealed", 10);
  card.first6 = "622202";
  card.last4 = "3445";
  card.bank_code = "ICBC";
  card.bank_token = "tok-1";
  const std::vector<Command> commands = {
      VerifyIdentity{7, {"阿依古丽·买买提", "id-hash", "sealed-id", "6501**********1234", 0}},
      BindCard{7, card},
      UnbindCard{7, 3},
      GrantTier{7, identity::WalletTier::kI, 2},
      HoldFunds{HoldKind::kWithdrawal, 55, 7, 3, 9'900},
      SettleHold{56, 55, true},
      CreateStaff{{"wang", "王经理", "$argon2id$...", 0x11}},
      RecordStaffLogin{2, false},
      CreateStaffSession{"staff-token-hash", 2},
  };
  const std::string payload = EncodeAll(commands);
  std::vector<Command> decoded;
  ASSERT_TRUE(DecodeCommands(payload, static_cast<uint32_t>(commands.size()), &decoded));
  ASSERT_EQ(decoded.size(), commands.size());
  for (size_t i = 0; i < commands.size(); i++) {
    EXPECT_EQ(TypeOf(decoded[i]), TypeOf(commands[i])) << i;
  }
  // Re-encoding what was decoded gives the same bytes: no field is dropped or reordered.
  EXPECT_EQ(EncodeAll(decoded), payload);
  EXPECT_EQ(std::get<VerifyIdentity>(decoded[0]).identity.real_name, "阿依古丽·买买提");
  EXPECT_EQ(std::get<BindCard>(decoded[1]).card, card);
  EXPECT_EQ(std::get<GrantTier>(decoded[3]).tier, identity::WalletTier::kI);
  EXPECT_EQ(std::get<HoldFunds>(decoded[4]).kind, HoldKind::kWithdrawal);
  EXPECT_EQ(std::get<HoldFunds>(decoded[4]).amount_fen, 9'900);
  EXPECT_TRUE(std::get<SettleHold>(decoded[5]).post);
  EXPECT_EQ(std::get<CreateStaff>(decoded[6]).staff.roles, 0x11u);
  EXPECT_EQ(std::get<CreateStaffSession>(decoded[8]).staff_id, 2u);
  for (size_t cut = 0; cut < payload.size(); cut++) {
    EXPECT_FALSE(DecodeCommands(std::string_view(payload).substr(0, cut),
                                static_cast<uint32_t>(commands.size()), &decoded))
        << cut;
  }
}

}  // namespace
}  // namespace qb::engine
