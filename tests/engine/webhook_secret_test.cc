// Webhook secret rotation in the engine: an active owner raises the merchant's secret version
// (a cashier, another merchant's owner or a disabled owner cannot); the version and when it
// changed survive checkpoints and journal replay; a book where no merchant ever rotated
// serializes as it did before versions existed.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "engine/command_codec.h"
#include "engine_test_util.h"

namespace qb::engine {
namespace {

using identity::IdentityResult;
using testing::kNsPerMs;
using testing::MerchantEngineTest;

class WebhookSecretTest : public MerchantEngineTest {
 protected:
  payments::Merchant MerchantNow(uint64_t id) {
    payments::Merchant merchant;
    Query([&](const StateMachine& s) { merchant = *s.payments().FindMerchant(id); });
    return merchant;
  }

  // The secret version and when it changed.
  std::pair<uint32_t, int64_t> SecretOf(uint64_t id) {
    const payments::Merchant merchant = MerchantNow(id);
    return {merchant.webhook_secret_version, merchant.webhook_rotated_ns};
  }

  uint8_t Rotate(uint64_t by, uint64_t merchant = 0) {
    return Result(RotateWebhookSecret{merchant == 0 ? shop_ : merchant, by});
  }
};

TEST_F(WebhookSecretTest, AnOwnerRotationRaisesTheVersionAndRecordsTheBatchTime) {
  EXPECT_EQ(MerchantNow(shop_).webhook_secret_version, 0u);
  EXPECT_EQ(MerchantNow(shop_).webhook_rotated_ns, 0);

  clock_.Advance(kNsPerMs);
  const int64_t first_ns = clock_.NowNs();
  ASSERT_EQ(Rotate(owner_), Code(PaymentResult::kOk));
  EXPECT_EQ(last_value_, 1u);
  EXPECT_EQ(MerchantNow(shop_).webhook_secret_version, 1u);
  EXPECT_EQ(MerchantNow(shop_).webhook_rotated_ns, first_ns);

  clock_.Advance(kNsPerMs);
  const int64_t second_ns = clock_.NowNs();
  ASSERT_EQ(Rotate(owner_), Code(PaymentResult::kOk));
  EXPECT_EQ(last_value_, 2u);
  EXPECT_EQ(MerchantNow(shop_).webhook_secret_version, 2u);
  EXPECT_EQ(MerchantNow(shop_).webhook_rotated_ns, second_ns);
  // Other merchants are untouched.
  EXPECT_EQ(MerchantNow(other_shop_).webhook_secret_version, 0u);
}

TEST_F(WebhookSecretTest, OnlyAnActiveOwnerOfTheMerchantMayRotate) {
  EXPECT_EQ(Rotate(cashier_), Code(PaymentResult::kNotOwner));
  EXPECT_EQ(Rotate(other_owner_), Code(PaymentResult::kNotOwner));
  EXPECT_EQ(Rotate(0), Code(PaymentResult::kNotOwner));
  EXPECT_EQ(Rotate(999), Code(PaymentResult::kNotOwner));
  EXPECT_EQ(Rotate(owner_, 999), Code(PaymentResult::kMerchantNotFound));
  EXPECT_EQ(MerchantNow(shop_).webhook_secret_version, 0u);

  // A disabled owner acts no more.
  ASSERT_EQ(
      Result(CreateMerchantUser{shop_, {"boss2", "Boss", "argon2", payments::kMerchantOwner}}),
      Code(PaymentResult::kOk));
  const uint64_t second = last_value_;
  ASSERT_EQ(Result(SetMerchantUserStatus{shop_, second, false, owner_}), Code(PaymentResult::kOk));
  EXPECT_EQ(Rotate(second), Code(PaymentResult::kNotOwner));
  EXPECT_EQ(MerchantNow(shop_).webhook_secret_version, 0u);
  EXPECT_EQ(Rotate(owner_), Code(PaymentResult::kOk));
}

TEST_F(WebhookSecretTest, TheVersionSurvivesCheckpointAndJournalReplay) {
  const Digest never_rotated = Hash();
  Restart();
  EXPECT_EQ(Hash(), never_rotated);

  ASSERT_EQ(Rotate(owner_), Code(PaymentResult::kOk));
  const std::pair<uint32_t, int64_t> rotated = SecretOf(shop_);
  const Digest after_one = Hash();
  EXPECT_NE(after_one, never_rotated);

  Restart();  // From the checkpoint written on stop.
  EXPECT_EQ(Hash(), after_one);
  EXPECT_EQ(SecretOf(shop_), rotated);

  EngineOptions replay = options_;
  replay.checkpoint_on_stop = false;
  clock_.Advance(kNsPerMs);
  ASSERT_EQ(Rotate(owner_), Code(PaymentResult::kOk));
  clock_.Advance(kNsPerMs);
  ASSERT_EQ(Rotate(other_owner_, other_shop_), Code(PaymentResult::kOk));
  const std::pair<uint32_t, int64_t> shop = SecretOf(shop_);
  const std::pair<uint32_t, int64_t> other = SecretOf(other_shop_);
  const Digest again = Hash();
  Restart(replay);  // The last two rotations come back from the journal.
  EXPECT_EQ(Hash(), again);
  EXPECT_EQ(SecretOf(shop_), shop);
  EXPECT_EQ(SecretOf(other_shop_), other);
  EXPECT_EQ(shop.first, 2u);
  EXPECT_EQ(other.first, 1u);
}

TEST(WebhookSecretEncodingTest, TheCommandRoundTripsThroughTheJournalCodec) {
  std::string payload;
  EncodeCommand(RotateWebhookSecret{7, 9}, &payload);
  // type:u16 body_bytes:u32 merchant:u64 by:u64.
  ASSERT_EQ(payload.size(), 2u + 4u + 8u + 8u);
  std::vector<Command> commands;
  ASSERT_TRUE(DecodeCommands(payload, 1, &commands));
  ASSERT_EQ(TypeOf(commands.at(0)), CommandType::kRotateWebhookSecret);
  EXPECT_EQ(static_cast<uint16_t>(CommandType::kRotateWebhookSecret), 41);
  const auto& decoded = std::get<RotateWebhookSecret>(commands[0]);
  EXPECT_EQ(decoded.merchant_id, 7u);
  EXPECT_EQ(decoded.by_user_id, 9u);
  EXPECT_EQ(CommandTypeName(CommandType::kRotateWebhookSecret), "rotate_webhook_secret");
  EXPECT_FALSE(DecodeCommands(payload.substr(0, payload.size() - 1), 1, &commands));
  EXPECT_FALSE(DecodeCommands(payload + std::string(1, '\0'), 1, &commands));
}

TEST(WebhookSecretEncodingTest, ABookWhereNoMerchantRotatedKeepsItsOldBytes) {
  payments::PaymentBook book;
  for (uint64_t id = 1; id <= 2; id++) {
    payments::Merchant merchant;
    merchant.id = id;
    merchant.account_id = 76 + id;
    book.AddMerchant(merchant);
  }
  uint64_t user = 0;
  ASSERT_EQ(book.users().Create({"till", "Till", "argon2", payments::kMerchantCashier}, 5, &user),
            IdentityResult::kOk);
  book.SetUserMerchant(user, 1);
  std::string before;
  book.Serialize(&before);

  book.MutableMerchant(2)->webhook_secret_version = 3;
  book.MutableMerchant(2)->webhook_rotated_ns = 1'234;
  std::string rotated;
  book.Serialize(&rotated);
  // disabled_count:u64 (zero) credit_count:u64 (zero) rotated_count:u64 merchant:u64
  // version:u32 rotated:i64.
  ASSERT_EQ(rotated.size(), before.size() + 8 + 8 + 8 + 8 + 4 + 8);
  EXPECT_EQ(rotated.substr(0, before.size()), before);

  payments::PaymentBook loaded;
  ASSERT_TRUE(loaded.Deserialize(rotated));
  EXPECT_EQ(loaded.FindMerchant(2)->webhook_secret_version, 3u);
  EXPECT_EQ(loaded.FindMerchant(2)->webhook_rotated_ns, 1'234);
  EXPECT_EQ(loaded.FindMerchant(1)->webhook_secret_version, 0u);
  EXPECT_EQ(loaded.StateHash(), book.StateHash());
  ASSERT_TRUE(loaded.Deserialize(before));  // A book from before secret versions.
  EXPECT_EQ(loaded.FindMerchant(2)->webhook_secret_version, 0u);

  // With both earlier trailers present.
  book.SetUserActive(user, false);
  ASSERT_TRUE(book.AddCreditInvoice(10, "26310000000000000002"));
  std::string all;
  book.Serialize(&all);
  ASSERT_TRUE(loaded.Deserialize(all));
  EXPECT_FALSE(loaded.IsUserActive(user));
  EXPECT_NE(loaded.FindCreditInvoiceOf(10), nullptr);
  EXPECT_EQ(loaded.FindMerchant(2)->webhook_secret_version, 3u);
  EXPECT_EQ(loaded.StateHash(), book.StateHash());

  // Zero counts need a trailer after them; an empty rotated trailer, a version of 0 and an
  // unknown merchant are never written.
  EXPECT_FALSE(loaded.Deserialize(before + std::string(24, '\0')));
  const size_t version_at = rotated.size() - 12;
  std::string zero_version = rotated;
  zero_version.replace(version_at, 4, std::string(4, '\0'));
  EXPECT_FALSE(loaded.Deserialize(zero_version));
  std::string stranger = rotated;
  stranger[version_at - 8] = 9;
  EXPECT_FALSE(loaded.Deserialize(stranger));
  EXPECT_FALSE(loaded.Deserialize(rotated.substr(0, rotated.size() - 1)));
}

}  // namespace
}  // namespace qb::engine
