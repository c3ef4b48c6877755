// Key rotation end to end in-process: values sealed under data key 1, the vault rotated to key
// 2, the Resealer moving every stored blob to 2 through ResealSecrets (command 53) in bounded
// steps while other commands keep running, the values still opening, and the state surviving a
// checkpoint restart and a full journal replay with the same hash.
#include "engine/reseal.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/command_codec.h"
#include "engine_test_util.h"
#include "identity/card_vault.h"

namespace qb::engine {
namespace {

using identity::IdentityResult;
using testing::CustomerEngineTest;

identity::SecretKey Key(char digit) {
  return *identity::SecretKey::FromHex(std::string(64, digit));
}

// A vault with data keys 1..active (key v is the hex digit v repeated) and a fixed lookup key.
identity::VaultKeys Keys(uint32_t active) {
  identity::VaultKeys keys;
  for (uint32_t v = 1; v <= active; v++) keys.data_keys.emplace(v, Key(static_cast<char>('0' + v)));
  keys.active_version = active;
  keys.lookup_key = Key('f');
  return keys;
}

uint32_t VersionOf(const std::string& blob) { return ByteReader(blob).U32(); }

// One stored sealed value: where it is and what it says.
struct Stored {
  SealedField field;
  uint64_t owner;
  std::string plain;
};

class ResealTest : public CustomerEngineTest {
 protected:
  void SetUp() override {
    CustomerEngineTest::SetUp();
    EngineOptions no_checkpoints;  // So a restart replays the whole journal.
    no_checkpoints.checkpoint_on_stop = false;
    OpenEngine(no_checkpoints);
    vault_.emplace(*identity::CardVault::FromKeys(Keys(1)));
  }

  std::string Seal(SealedField field, uint64_t owner, const std::string& plain) {
    expected_.push_back({field, owner, plain});
    return vault_->Encrypt(plain, SealContextOf(field, owner));
  }

  uint64_t SignUp(const std::string& phone) {
    EXPECT_EQ(Result(IssueOtp{phone, identity::OtpPurpose::kRegister, "h" + phone}),
              Code(IdentityResult::kOk));
    EXPECT_EQ(Result(RegisterCustomer{{phone, "h" + phone, "argon2", "campus", ""}}),
              Code(IdentityResult::kOk));
    return last_value_;
  }

  // A verified customer with two cards, TOTP pending and a payment device; every secret sealed.
  void Customer(int n) {
    const std::string phone = "1380013800" + std::to_string(n);
    const uint64_t id = SignUp(phone);
    const std::string resident_id = "11010519491231002" + std::to_string(n);
    identity::VerifiedIdentity verified{"张三", "idhash-" + resident_id,
                                        Seal(SealedField::kResidentId, id, resident_id),
                                        "1101**********002X", 0};
    ASSERT_EQ(Result(VerifyIdentity{id, verified}), Code(IdentityResult::kOk));
    for (int c = 0; c < 2; c++) {
      const std::string pan = "622202020011223" + std::to_string(n) + std::to_string(c) + "45";
      identity::BoundCard card;
      card.lookup_hash = vault_->LookupHash(pan);
      card.pan_sealed = Seal(SealedField::kCardPan, id, pan);
      card.first6 = pan.substr(0, 6);
      card.last4 = pan.substr(pan.size() - 4);
      card.bank_code = "ICBC";
      ASSERT_EQ(Result(BindCard{id, card}), Code(IdentityResult::kOk));
    }
    ASSERT_EQ(
        Result(BeginTotpEnrolment{id, Seal(SealedField::kTotpSecret, id, "JBSWY3DPEHPK3PXP")}),
        Code(IdentityResult::kOk));
    ASSERT_EQ(Result(RegisterPaymentDevice{id, static_cast<uint32_t>(9000 + n),
                                           Seal(SealedField::kPaymentDeviceSecret, id,
                                                "device-secret-" + std::to_string(n))}),
              0);
  }

  void Merchant() {
    ASSERT_EQ(Result(CreateStaff{{"admin", "Admin", "argon2", identity::kAllStaffRoles}}), 0);
    const uint64_t staff = last_value_;
    payments::MerchantProfile profile;
    profile.legal_name = "小店";
    profile.credit_code = "91350100M000100Y43";
    profile.category = "catering";
    profile.settlement_bank_code = "ICBC";
    profile.settlement_account_sealed =
        Seal(SealedField::kSettlementAccount, 1, "6222000011112222333");
    profile.settlement_account_last4 = "2333";
    ASSERT_EQ(Result(ApplyMerchant{profile, {"shop", "shop", "argon2", 0}, staff, true}), 0);
    const uint64_t merchant = last_value_;
    ASSERT_EQ(merchant, 1u);
    ASSERT_EQ(Result(IssueApiKey{
                  merchant, {"mk_1", Seal(SealedField::kApiKeySecret, 1, "api-secret"), 0, false}}),
              0);
  }

  // Every sealed blob in the state, with its field and owner, in scan order.
  std::vector<std::pair<Stored, std::string>> Blobs() {
    std::vector<std::pair<Stored, std::string>> blobs;
    Query([&](const StateMachine& s) {
      for (uint64_t id = 1; id <= s.customers().customer_count(); id++) {
        const identity::Customer& c = *s.customers().FindById(id);
        if (c.identity)
          blobs.push_back({{SealedField::kResidentId, id, ""}, c.identity->id_sealed});
        for (const auto& card : c.cards) {
          blobs.push_back({{SealedField::kCardPan, id, ""}, card.pan_sealed});
        }
        if (!c.totp_secret_sealed.empty()) {
          blobs.push_back({{SealedField::kTotpSecret, id, ""}, c.totp_secret_sealed});
        }
        if (const payments::PaymentDevice* device = s.payments().FindDeviceOf(id)) {
          blobs.push_back({{SealedField::kPaymentDeviceSecret, id, ""}, device->secret_sealed});
        }
      }
      const payments::Merchant& m = *s.payments().FindMerchant(1);
      blobs.push_back(
          {{SealedField::kSettlementAccount, 1, ""}, m.profile.settlement_account_sealed});
      blobs.push_back({{SealedField::kApiKeySecret, 1, ""}, m.api_keys[0].secret_sealed});
    });
    return blobs;
  }

  // Every stored value opens under the vault to what was sealed, with versions `version`.
  void ExpectAllOpen(uint32_t version) {
    std::multiset<std::string> opened, sealed;
    for (const auto& [where, blob] : Blobs()) {
      EXPECT_EQ(VersionOf(blob), version);
      std::optional<std::string> plain =
          vault_->Decrypt(blob, SealContextOf(where.field, where.owner));
      ASSERT_TRUE(plain.has_value());
      opened.insert(*plain);
    }
    for (const Stored& s : expected_) sealed.insert(s.plain);
    EXPECT_EQ(opened, sealed);
  }

  void Populate() {
    for (int n = 1; n <= 5; n++) Customer(n);
    Merchant();
  }

  std::optional<identity::CardVault> vault_;
  std::vector<Stored> expected_;
};

TEST_F(ResealTest, RotationMovesEveryStoredValueToTheNewKeyAndSurvivesRestartAndReplay) {
  Populate();
  ASSERT_EQ(expected_.size(), 5u * 5 + 2);
  ExpectAllOpen(1);
  {
    // Before the rotation a pass finds everything current.
    Resealer resealer(engine_.get(), &*vault_);
    KeyUsage usage;
    ASSERT_TRUE(resealer.RunPass(&usage).ok());
    EXPECT_EQ(usage.resealed, 0u);
    EXPECT_EQ(usage.blobs_by_version, (std::map<uint32_t, uint64_t>{{1, 27}}));
  }

  ASSERT_TRUE(vault_->ReloadDataKeys(Keys(2)).ok());
  Resealer resealer(engine_.get(), &*vault_);
  KeyUsage usage;
  ASSERT_TRUE(resealer.RunPass(&usage).ok());
  EXPECT_TRUE(usage.complete);
  EXPECT_EQ(usage.active_version, 2u);
  EXPECT_EQ(usage.resealed, 27u);
  EXPECT_EQ(usage.old_blobs(), 0u);
  EXPECT_EQ(usage.blobs_by_version, (std::map<uint32_t, uint64_t>{{2, 27}}));
  ExpectAllOpen(2);
  ASSERT_TRUE(resealer.RunPass(&usage).ok());
  EXPECT_EQ(usage.resealed, 0u);  // Nothing left: the second pass only counts.

  // Version 1 is unused: a vault without it still opens everything.
  identity::VaultKeys only_two = Keys(2);
  only_two.data_keys.erase(1);
  ASSERT_TRUE(vault_->ReloadDataKeys(std::move(only_two)).ok());
  ExpectAllOpen(2);

  // A full replay of the journal (no checkpoint yet) reaches the same state.
  const Digest hash = Hash();
  const uint64_t records = LastJournalSeq();
  EngineOptions checkpoint_on_stop;
  Restart(checkpoint_on_stop);
  EXPECT_EQ(engine_->recovery_report().checkpoint_seq, 0u);
  EXPECT_EQ(engine_->recovery_report().records_replayed, records);
  EXPECT_EQ(Hash(), hash);
  ExpectAllOpen(2);

  // Then a checkpoint on stop, loaded with nothing left to replay.
  Restart();
  EXPECT_EQ(engine_->recovery_report().checkpoint_seq, records);
  EXPECT_EQ(engine_->recovery_report().records_replayed, 0u);
  EXPECT_EQ(Hash(), hash);
  ExpectAllOpen(2);
}

TEST_F(ResealTest, StepsAreBoundedAndOtherCommandsRunBetweenThem) {
  Populate();
  ASSERT_TRUE(vault_->ReloadDataKeys(Keys(2)).ok());
  ResealOptions small;
  small.max_rows_per_scan = 2;        // Two customers (or merchants) per engine read.
  small.max_reseals_per_command = 3;  // Three blobs per ResealSecrets command.
  Resealer resealer(engine_.get(), &*vault_, small);
  bool done = false;
  int steps = 0;
  while (!done) {
    const uint64_t seq_before = LastJournalSeq();
    ASSERT_TRUE(resealer.Step(&done).ok());
    // At most two customers of five blobs each: ceil(10 / 3) = 4 commands.
    EXPECT_LE(LastJournalSeq() - seq_before, 4u);
    // The engine answers other work between steps: a new customer signs up mid-rotation.
    if (steps == 0) SignUp("13900139000");
    ++steps;
  }
  // Six customers two by two, then the switch to merchants and merchant 1, then the end.
  EXPECT_EQ(steps, 5);
  EXPECT_EQ(resealer.usage().old_blobs(), 0u);
  EXPECT_EQ(resealer.usage().resealed, 27u);
  ExpectAllOpen(2);
}

TEST_F(ResealTest, ResealIsRefusedWhenTheStoredBlobChangedMeanwhile) {
  Populate();
  std::string stored;
  Query([&](const StateMachine& s) { stored = s.customers().FindById(1)->totp_secret_sealed; });
  ASSERT_TRUE(vault_->ReloadDataKeys(Keys(2)).ok());
  const std::string context = SealContextOf(SealedField::kTotpSecret, 1);
  const std::string resealed = vault_->Encrypt(*vault_->Decrypt(stored, context), context);
  // An enrolment started again after the resealer read the blob: its expected blob is stale.
  const std::string newer = Seal(SealedField::kTotpSecret, 1, "NEWSECRETNEWSECR");
  ASSERT_EQ(Result(BeginTotpEnrolment{1, newer}), Code(IdentityResult::kOk));

  ResealSecrets command;
  command.items.push_back({SealedField::kTotpSecret, 1, 0, "", stored, resealed});
  command.items.push_back({SealedField::kCardPan, 1, 999, "", stored, resealed});  // No card.
  command.items.push_back({SealedField::kTotpSecret, 1, 0, "", newer, newer});     // Same blob.
  Reply reply = engine_->Execute(command);
  ASSERT_EQ(reply.status, ReplyStatus::kOk);
  EXPECT_EQ(reply.results[0], static_cast<uint8_t>(ResealResult::kChanged));
  EXPECT_EQ(reply.results[1], static_cast<uint8_t>(ResealResult::kNotFound));
  EXPECT_EQ(reply.results[2], static_cast<uint8_t>(ResealResult::kInvalid));
  Query([&](const StateMachine& s) {
    EXPECT_EQ(s.customers().FindById(1)->totp_secret_sealed, newer);
  });
  // Too many items, or none, never reach the journal.
  ResealSecrets too_many;
  too_many.items.assign(kMaxResealsPerCommand + 1, command.items[0]);
  EXPECT_EQ(engine_->Execute(too_many).status, ReplyStatus::kInvalidCommand);
  EXPECT_EQ(engine_->Execute(ResealSecrets{}).status, ReplyStatus::kInvalidCommand);
}

TEST(ResealCodecTest, RoundTripsAndRejectsUnknownFields) {
  ResealSecrets command;
  command.items.push_back({SealedField::kApiKeySecret, 7, 0, "mk_1", "old-blob", "new-blob"});
  command.items.push_back({SealedField::kCardPan, 3, 12, "", "o", "n"});
  std::string payload;
  EncodeCommand(command, &payload);
  ASSERT_EQ(ByteReader(payload).U16(), 53);  // The command number, stable in the journal.
  std::vector<Command> decoded;
  ASSERT_TRUE(DecodeCommands(payload, 1, &decoded));
  ASSERT_EQ(decoded.size(), 1u);
  EXPECT_EQ(std::get<ResealSecrets>(decoded[0]).items, command.items);
  payload[2 + 4 + 4] = 9;  // The first item's field: unknown.
  EXPECT_FALSE(DecodeCommands(payload, 1, &decoded));
}

TEST(KeyUsageTest, FormatAndParseRoundTrip) {
  KeyUsage usage;
  usage.active_version = 3;
  usage.complete = true;
  usage.blobs_by_version = {{2, 0}, {3, 41}};
  usage.unreadable = 1;
  KeyUsage parsed;
  int64_t written_ns = 0;
  ASSERT_TRUE(ParseKeyUsage(FormatKeyUsage(usage, 1234), &parsed, &written_ns));
  EXPECT_EQ(written_ns, 1234);
  EXPECT_EQ(parsed.active_version, 3u);
  EXPECT_TRUE(parsed.complete);
  EXPECT_EQ(parsed.blobs_by_version, usage.blobs_by_version);
  EXPECT_EQ(parsed.unreadable, 1u);
  EXPECT_FALSE(ParseKeyUsage("complete=1\n", &parsed, &written_ns));
  EXPECT_FALSE(ParseKeyUsage("active=x\n", &parsed, &written_ns));
}

}  // namespace
}  // namespace qb::engine
