// Merchant-portal users in the engine: an owner disables a cashier (no more log-ins, its
// sessions end) and enables it again; the merchant always keeps an active owner and an owner
// cannot disable themself. The status survives journal replay and checkpoints, and a book with
// nobody disabled serializes as it did before the status existed.
#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

#include "engine/command_codec.h"
#include "engine_test_util.h"

namespace qb::engine {
namespace {

using identity::IdentityResult;
using testing::MerchantEngineTest;

class MerchantUsersTest : public MerchantEngineTest {
 protected:
  bool IsActive(uint64_t user) {
    bool active = false;
    Query([&](const StateMachine& s) { active = s.payments().IsUserActive(user); });
    return active;
  }

  bool HasSession(const std::string& token_hash) {
    bool found = false;
    Query([&](const StateMachine& s) {
      found = s.payments().users().FindSession(token_hash, clock_.NowNs()) != nullptr;
    });
    return found;
  }

  uint8_t SetStatus(uint64_t user, bool active, uint64_t by, uint64_t merchant = 0) {
    return Result(SetMerchantUserStatus{merchant == 0 ? shop_ : merchant, user, active, by});
  }
};

TEST_F(MerchantUsersTest, ADisabledCashierCannotLogInAndItsSessionsEnd) {
  ASSERT_EQ(Result(RecordMerchantLogin{cashier_, true}), Code(PaymentResult::kOk));
  ASSERT_EQ(Result(CreateMerchantSession{"till-1", cashier_}), Code(PaymentResult::kOk));
  ASSERT_EQ(Result(CreateMerchantSession{"till-2", cashier_}), Code(PaymentResult::kOk));
  ASSERT_EQ(Result(CreateMerchantSession{"owner-1", owner_}), Code(PaymentResult::kOk));

  EXPECT_EQ(SetStatus(cashier_, false, owner_), Code(PaymentResult::kOk));
  EXPECT_EQ(last_value_, 1u);  // Changed.
  EXPECT_FALSE(IsActive(cashier_));
  EXPECT_FALSE(HasSession("till-1"));
  EXPECT_FALSE(HasSession("till-2"));
  EXPECT_TRUE(HasSession("owner-1"));  // Only the disabled user's sessions end.
  EXPECT_EQ(Result(RecordMerchantLogin{cashier_, true}), Code(PaymentResult::kUserDisabled));
  EXPECT_EQ(Result(RecordMerchantLogin{cashier_, false}), Code(PaymentResult::kUserDisabled));
  EXPECT_EQ(Result(CreateMerchantSession{"till-3", cashier_}), Code(PaymentResult::kUserDisabled));

  // Again: nothing to do, and it says so.
  EXPECT_EQ(SetStatus(cashier_, false, owner_), Code(PaymentResult::kOk));
  EXPECT_EQ(last_value_, 0u);

  EXPECT_EQ(SetStatus(cashier_, true, owner_), Code(PaymentResult::kOk));
  EXPECT_EQ(last_value_, 1u);
  EXPECT_TRUE(IsActive(cashier_));
  EXPECT_EQ(Result(RecordMerchantLogin{cashier_, true}), Code(PaymentResult::kOk));
  EXPECT_EQ(Result(CreateMerchantSession{"till-3", cashier_}), Code(PaymentResult::kOk));
  EXPECT_EQ(SetStatus(cashier_, true, owner_), Code(PaymentResult::kOk));
  EXPECT_EQ(last_value_, 0u);
}

TEST_F(MerchantUsersTest, OnlyAnActiveOwnerOfTheSameMerchantMayChangeAUser) {
  // The user must be the merchant's.
  EXPECT_EQ(SetStatus(other_owner_, false, owner_), Code(PaymentResult::kUserNotFound));
  EXPECT_EQ(SetStatus(999, false, owner_), Code(PaymentResult::kUserNotFound));
  EXPECT_EQ(SetStatus(cashier_, false, owner_, 999), Code(PaymentResult::kMerchantNotFound));
  // The one acting must be an active owner of that merchant.
  EXPECT_EQ(SetStatus(cashier_, false, other_owner_), Code(PaymentResult::kNotOwner));
  EXPECT_EQ(SetStatus(owner_, false, cashier_), Code(PaymentResult::kNotOwner));
  EXPECT_EQ(SetStatus(cashier_, false, 0), Code(PaymentResult::kNotOwner));
  EXPECT_TRUE(IsActive(cashier_));
  EXPECT_TRUE(IsActive(owner_));
}

TEST_F(MerchantUsersTest, TheMerchantKeepsAnActiveOwnerAndOwnersCannotDisableThemselves) {
  // The only owner: disabling it would leave the merchant without one.
  EXPECT_EQ(SetStatus(owner_, false, owner_), Code(PaymentResult::kLastOwner));
  ASSERT_EQ(
      Result(CreateMerchantUser{shop_, {"boss2", "Boss", "argon2", payments::kMerchantOwner}}),
      Code(PaymentResult::kOk));
  const uint64_t second = last_value_;
  // Two owners: each may disable the other, neither themself.
  EXPECT_EQ(SetStatus(owner_, false, owner_), Code(PaymentResult::kSelfDisable));
  EXPECT_EQ(SetStatus(second, false, owner_), Code(PaymentResult::kOk));
  EXPECT_FALSE(IsActive(second));
  // A disabled owner acts no more.
  EXPECT_EQ(SetStatus(owner_, false, second), Code(PaymentResult::kNotOwner));
  EXPECT_EQ(SetStatus(second, true, second), Code(PaymentResult::kNotOwner));
  // Enabling oneself while active is nothing to do.
  EXPECT_EQ(SetStatus(owner_, true, owner_), Code(PaymentResult::kOk));
  EXPECT_EQ(last_value_, 0u);
  EXPECT_EQ(SetStatus(second, true, owner_), Code(PaymentResult::kOk));
  EXPECT_EQ(SetStatus(owner_, false, second), Code(PaymentResult::kOk));
  EXPECT_EQ(SetStatus(second, false, second), Code(PaymentResult::kLastOwner));
  EXPECT_TRUE(IsActive(second));
  EXPECT_FALSE(IsActive(owner_));
}

TEST_F(MerchantUsersTest, TheStatusSurvivesCheckpointAndJournalReplay) {
  ASSERT_EQ(Result(CreateMerchantSession{"till-1", cashier_}), Code(PaymentResult::kOk));
  ASSERT_EQ(SetStatus(cashier_, false, owner_), Code(PaymentResult::kOk));
  const Digest disabled = Hash();
  Digest disabled_book{};
  Query([&](const StateMachine& s) { disabled_book = s.payments().StateHash(); });

  Restart();  // From the checkpoint written on stop.
  EXPECT_EQ(Hash(), disabled);
  EXPECT_FALSE(IsActive(cashier_));
  EXPECT_FALSE(HasSession("till-1"));
  EXPECT_EQ(Result(RecordMerchantLogin{cashier_, true}), Code(PaymentResult::kUserDisabled));

  EngineOptions replay = options_;
  replay.checkpoint_on_stop = false;
  ASSERT_EQ(SetStatus(cashier_, true, owner_), Code(PaymentResult::kOk));
  ASSERT_EQ(SetStatus(cashier_, false, owner_), Code(PaymentResult::kOk));
  const Digest again = Hash();
  // The same merchant users, the same book hash; the state hash moved on with the two audit
  // entries the changes left.
  Digest again_book{};
  Query([&](const StateMachine& s) { again_book = s.payments().StateHash(); });
  EXPECT_EQ(again_book, disabled_book);
  EXPECT_NE(again, disabled);
  Restart(replay);  // The last three commands come back from the journal.
  EXPECT_EQ(Hash(), again);
  EXPECT_FALSE(IsActive(cashier_));
}

TEST(MerchantUserStatusEncodingTest, TheCommandRoundTripsThroughTheJournalCodec) {
  std::string payload;
  EncodeCommand(SetMerchantUserStatus{7, 42, false, 9}, &payload);
  // type:u16 body_bytes:u32 merchant:u64 user:u64 active:u8 by:u64.
  ASSERT_EQ(payload.size(), 2u + 4u + 8u + 8u + 1u + 8u);
  std::vector<Command> commands;
  ASSERT_TRUE(DecodeCommands(payload, 1, &commands));
  ASSERT_EQ(TypeOf(commands.at(0)), CommandType::kSetMerchantUserStatus);
  const auto& decoded = std::get<SetMerchantUserStatus>(commands[0]);
  EXPECT_EQ(decoded.merchant_id, 7u);
  EXPECT_EQ(decoded.user_id, 42u);
  EXPECT_FALSE(decoded.active);
  EXPECT_EQ(decoded.by_user_id, 9u);
  EXPECT_EQ(CommandTypeName(CommandType::kSetMerchantUserStatus), "set_merchant_user_status");
  // The flag is a strict boolean, and the body has no room for more.
  std::string corrupt = payload;
  corrupt[2 + 4 + 16] = 2;
  EXPECT_FALSE(DecodeCommands(corrupt, 1, &commands));
  EXPECT_FALSE(DecodeCommands(payload.substr(0, payload.size() - 1), 1, &commands));
}

TEST(MerchantUserStatusEncodingTest, ABookWithNobodyDisabledKeepsItsOldBytes) {
  payments::PaymentBook book;
  payments::Merchant merchant;
  merchant.id = 1;
  merchant.account_id = 77;
  book.AddMerchant(merchant);
  uint64_t user = 0;
  ASSERT_EQ(book.users().Create({"till", "Till", "argon2", payments::kMerchantCashier}, 5, &user),
            IdentityResult::kOk);
  book.SetUserMerchant(user, 1);
  std::string before;
  book.Serialize(&before);

  book.SetUserActive(user, false);
  std::string disabled;
  book.Serialize(&disabled);
  ASSERT_EQ(disabled.size(), before.size() + 16);  // count:u64 user:u64.
  EXPECT_EQ(disabled.substr(0, before.size()), before);

  payments::PaymentBook loaded;
  ASSERT_TRUE(loaded.Deserialize(disabled));
  EXPECT_FALSE(loaded.IsUserActive(user));
  EXPECT_EQ(loaded.StateHash(), book.StateHash());
  ASSERT_TRUE(loaded.Deserialize(before));  // A book written before the status existed.
  EXPECT_TRUE(loaded.IsUserActive(user));

  book.SetUserActive(user, true);
  std::string enabled;
  book.Serialize(&enabled);
  EXPECT_EQ(enabled, before);

  // An empty trailer is never written, and a disabled id must be a portal user.
  EXPECT_FALSE(loaded.Deserialize(before + std::string(8, '\0')));
  std::string stranger = disabled;
  stranger[stranger.size() - 8] = 9;
  EXPECT_FALSE(loaded.Deserialize(stranger));
  EXPECT_FALSE(loaded.Deserialize(disabled.substr(0, disabled.size() - 1)));
}

}  // namespace
}  // namespace qb::engine
