// The rest of the risk events wired into the engine (issue 7): top-ups and withdrawals (judged
// before anything is held, learnt when the bank answers), log-ins, coupon claims, and the
// client's IP (keyed hash) on registrations, payments, transfers, log-ins and holds, with IP
// block-list entries denying whatever the rules say. The journal codec carries the new trailing
// fields and still decodes records from before them. Every engine test ends by checking that a
// journal replay and a checkpoint reach the same state hash.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "engine/checkpoint.h"
#include "engine/command_codec.h"
#include "marketing_fixture.h"
#include "risk/default_rules.h"

namespace qb::engine {
namespace {

using identity::AuthStrength;
using identity::IdentityResult;
using payments::PaymentState;
using testing::kDaySeconds;
using testing::kSecond;
using testing::kYuan;

EngineOptions ReplayOnly() {
  EngineOptions options;
  options.checkpoint_on_stop = false;
  options.checkpoint_every_commands = 0;
  return options;
}

// Keyed hashes as the API makes them (64 hex digits); the engine keys them by the first 16.
const std::string kPhoneA = std::string(64, 'a');
const std::string kPhoneB = std::string(64, 'b');
const std::string kIpA = std::string(64, 'c');
const std::string kIpB = std::string(64, 'd');

class RiskEventsTest : public testing::MarketingTest {
 protected:
  void SetUp() override {
    testing::MarketingTest::SetUp();
    Restart(ReplayOnly());
  }

  uint8_t RiskCode(RiskResult r) { return static_cast<uint8_t>(r); }
  void InstallRules(risk::RuleSetSpec spec) {
    ASSERT_EQ(Result(SetRiskRules{staff_, false, std::move(spec)}), RiskCode(RiskResult::kOk));
  }
  void InstallDefaultRules() { InstallRules(risk::DefaultRuleSet()); }
  void Block(risk::EntityKind kind, const std::string& hash) {
    ASSERT_EQ(Result(SetRiskListEntry{staff_, kind, RiskDeviceId(hash), risk::ListType::kBlock, 0,
                                      "test", false}),
              RiskCode(RiskResult::kOk));
  }

  uint64_t TierOne(const std::string& phone, int64_t funds) {
    const uint64_t customer = SignUp(phone);
    identity::VerifiedIdentity verified{"张三", "lookup-" + phone, "sealed", "1101**********002X",
                                        0};
    EXPECT_EQ(Result(VerifyIdentity{customer, verified}), Code(IdentityResult::kOk));
    EXPECT_EQ(Result(GrantTier{customer, identity::WalletTier::kI, staff_}),
              Code(IdentityResult::kOk));
    if (funds > 0) Fund(customer, funds);
    return customer;
  }
  uint64_t BindCardFor(uint64_t customer, const std::string& pan) {
    identity::BoundCard card;
    card.lookup_hash = "pan-" + pan;
    card.pan_sealed = "sealed-" + pan;
    card.first6 = pan.substr(0, 6);
    card.last4 = pan.substr(pan.size() - 4);
    card.bank_code = "ICBC";
    card.bank_token = "tok-" + pan.substr(pan.size() - 4);
    EXPECT_EQ(Result(BindCard{customer, card}), Code(IdentityResult::kOk));
    return last_value_;
  }
  uint8_t Register(const std::string& phone, const std::string& device, const std::string& ip) {
    EXPECT_EQ(Result(IssueOtp{phone, identity::OtpPurpose::kRegister, "h" + phone}),
              Code(IdentityResult::kOk));
    return Result(RegisterCustomer{{phone, "h" + phone, "argon2", "campus", ""}, device, ip});
  }
  Pay PayFrom(uint64_t id, uint64_t customer, uint64_t merchant, int64_t amount,
              const std::string& ip) {
    Pay pay = ScanPay(id, customer, merchant, amount);
    pay.auth.strength = AuthStrength::kOneFactor;
    pay.auth.device_hash = kPhoneA;
    pay.auth.ip_hash = ip;
    return pay;
  }

  void ExpectSameAfterReplayAndCheckpoint() {
    std::optional<std::string> problem;
    std::string checkpoint;
    Query([&](const StateMachine& s) {
      problem = s.ledger().CheckInvariants();
      EncodeCheckpoint(s, journal::ChainPosition{}, &checkpoint);
    });
    EXPECT_FALSE(problem.has_value()) << *problem;
    const Digest before = Hash();
    StateMachine restored;
    journal::ChainPosition position;
    Digest restored_hash{};
    const Status decoded = DecodeCheckpoint(checkpoint, &restored, &position, &restored_hash);
    ASSERT_TRUE(decoded.ok()) << decoded.ToString();
    EXPECT_EQ(restored_hash, before);
    EXPECT_EQ(restored.StateHash(), before);
    Restart(ReplayOnly());
    EXPECT_EQ(Hash(), before);
  }
};

TEST_F(RiskEventsTest, SmallTopUpsTheBankRefusedDenyTheNextSmallOne) {
  InstallDefaultRules();
  const uint64_t alice = TierOne("13800138001", 0);
  const uint64_t card = BindCardFor(alice, "6222020200112233445");
  // Small top-ups the bank pays are no card testing.
  for (uint64_t i = 0; i < 3; i++) {
    ASSERT_EQ(Result(HoldFunds{HoldKind::kTopUp, 100 + i, alice, card, 30 * kYuan}),
              Code(MoneyResult::kOk));
    ASSERT_EQ(Result(SettleHold{200 + i, 100 + i, true}), Code(MoneyResult::kOk));
  }
  EXPECT_EQ(Balance(alice), 90 * kYuan);
  // Two the bank refuses (voided)...
  for (uint64_t i = 0; i < 2; i++) {
    ASSERT_EQ(Result(HoldFunds{HoldKind::kTopUp, 110 + i, alice, card, 30 * kYuan}),
              Code(MoneyResult::kOk));
    ASSERT_EQ(Result(SettleHold{210 + i, 110 + i, false}), Code(MoneyResult::kOk));
  }
  // ... and the next small one within the hour is denied (card_testing), nothing held.
  EXPECT_EQ(Result(HoldFunds{HoldKind::kTopUp, 120, alice, card, 30 * kYuan}),
            Code(MoneyResult::kRiskDenied));
  EXPECT_FALSE(PendingStatus(120).has_value());
  EXPECT_EQ(Balance(alice), 90 * kYuan);
  // Settling a hold twice teaches nothing more; above the rule's ¥50 a top-up goes through.
  EXPECT_EQ(Result(SettleHold{212, 110, false}), Code(MoneyResult::kHoldSettled));
  ASSERT_EQ(Result(HoldFunds{HoldKind::kTopUp, 121, alice, card, 60 * kYuan}),
            Code(MoneyResult::kOk));
  ASSERT_EQ(Result(SettleHold{221, 121, true}), Code(MoneyResult::kOk));
  // Once the failures are more than an hour old, small top-ups pass again.
  clock_.Advance(2 * 3600 * kSecond);
  ASSERT_EQ(Result(HoldFunds{HoldKind::kTopUp, 122, alice, card, 30 * kYuan}),
            Code(MoneyResult::kOk));
  ExpectSameAfterReplayAndCheckpoint();
}

TEST_F(RiskEventsTest, ADormantAccountWakingWithALargeWithdrawalIsRefused) {
  InstallDefaultRules();
  const uint64_t alice = TierOne("13800138001", 10'000 * kYuan);
  const uint64_t card = BindCardFor(alice, "6222020200112233445");
  clock_.Advance(91 * kDaySeconds * kSecond);
  // ¥2,500 out of an account idle for 91 days: dormant_large_withdrawal reviews it, which a
  // hold cannot be yet, so it is refused and nothing is held.
  EXPECT_EQ(Result(HoldFunds{HoldKind::kWithdrawal, 300, alice, card, 2'500 * kYuan}),
            Code(MoneyResult::kRiskDenied));
  EXPECT_FALSE(PendingStatus(300).has_value());
  EXPECT_EQ(Balance(alice), 10'000 * kYuan);
  // A new customer's same withdrawal is no dormant account's.
  const uint64_t bob = TierOne("13800138002", 10'000 * kYuan);
  const uint64_t bob_card = BindCardFor(bob, "6222020200112233446");
  ASSERT_EQ(Result(HoldFunds{HoldKind::kWithdrawal, 310, bob, bob_card, 2'500 * kYuan}),
            Code(MoneyResult::kOk));
  // A small withdrawal passes; once the bank pays it, the account is active again.
  ASSERT_EQ(Result(HoldFunds{HoldKind::kWithdrawal, 301, alice, card, 100 * kYuan}),
            Code(MoneyResult::kOk));
  ASSERT_EQ(Result(SettleHold{401, 301, true}), Code(MoneyResult::kOk));
  ASSERT_EQ(Result(HoldFunds{HoldKind::kWithdrawal, 302, alice, card, 2'500 * kYuan}),
            Code(MoneyResult::kOk));
  EXPECT_EQ(PendingStatus(302), ledger::PendingStatus::kPending);
  ExpectSameAfterReplayAndCheckpoint();
}

TEST_F(RiskEventsTest, ABlockedIpCannotRegisterPayTransferLogInOrTopUp) {
  InstallDefaultRules();
  Block(risk::EntityKind::kIp, kIpA);
  EXPECT_EQ(Register("13800138009", kPhoneA, kIpA), Code(IdentityResult::kRiskDenied));
  EXPECT_EQ(Result(RegisterCustomer{
                {"13800138009", "h13800138009", "argon2", "campus", ""}, kPhoneA, kIpB}),
            Code(IdentityResult::kOk));

  const uint64_t alice = TierOne("13800138001", 1'000 * kYuan);
  TierOne("13800138002", 0);
  const uint64_t shop = Onboard("shop", 0);
  EXPECT_EQ(Result(PayFrom(1, alice, shop, 50 * kYuan, kIpA)), Code(PaymentResult::kRiskDenied));
  ASSERT_EQ(Result(PayFrom(2, alice, shop, 50 * kYuan, kIpB)), Code(PaymentResult::kOk));
  EXPECT_EQ(PaymentOf(2).state, PaymentState::kCompleted);

  P2PTransfer send{1, alice, "13800138002", 20 * kYuan, "", {}};
  send.auth.strength = AuthStrength::kTwoFactors;
  send.auth.device_hash = kPhoneA;
  send.auth.ip_hash = kIpA;
  EXPECT_EQ(Result(send), Code(MoneyResult::kRiskDenied));
  send.auth.ip_hash = kIpB;
  ASSERT_EQ(Result(send), Code(MoneyResult::kOk));

  EXPECT_EQ(Result(RecordLogin{alice, true, kPhoneA, kIpA}), Code(IdentityResult::kRiskDenied));
  EXPECT_EQ(Result(RecordLogin{alice, true, kPhoneA, kIpB}), Code(IdentityResult::kOk));

  const uint64_t card = BindCardFor(alice, "6222020200112233445");
  EXPECT_EQ(Result(HoldFunds{HoldKind::kTopUp, 500, alice, card, 100 * kYuan, "", kIpA}),
            Code(MoneyResult::kRiskDenied));
  EXPECT_EQ(Result(HoldFunds{HoldKind::kWithdrawal, 501, alice, card, 100 * kYuan, "", kIpA}),
            Code(MoneyResult::kRiskDenied));
  EXPECT_EQ(Result(HoldFunds{HoldKind::kTopUp, 502, alice, card, 100 * kYuan, "", kIpB}),
            Code(MoneyResult::kOk));
  EXPECT_EQ(Balance(alice), 930 * kYuan);
  ExpectSameAfterReplayAndCheckpoint();
}

TEST_F(RiskEventsTest, ManyRegistrationsFromOneIpTripAnIpRule) {
  // The default rules read ip.registrations_1h only for referrals: a rule of the test's own.
  risk::RuleSetSpec spec;
  spec.rules.push_back({.id = 1,
                        .name = "shared_ip_registration",
                        .expression = "event == \"registration\" and ip.registrations_1h >= 3",
                        .action = risk::Action::kDeny});
  InstallRules(std::move(spec));
  for (int i = 0; i < 3; i++) {
    EXPECT_EQ(Register("1380013800" + std::to_string(i), "", kIpA), Code(IdentityResult::kOk));
  }
  EXPECT_EQ(Register("13800138009", "", kIpA), Code(IdentityResult::kRiskDenied));
  // Another network is not affected; no IP at all counts nowhere.
  EXPECT_EQ(
      Result(RegisterCustomer{{"13800138009", "h13800138009", "argon2", "campus", ""}, "", kIpB}),
      Code(IdentityResult::kOk));
  EXPECT_EQ(Register("13800138008", "", ""), Code(IdentityResult::kOk));
  ExpectSameAfterReplayAndCheckpoint();
}

TEST_F(RiskEventsTest, CouponClaimsConcentratedOnOneDeviceAreRefused) {
  InstallDefaultRules();
  const uint64_t campaign = StartCampaign(
      testing::MakeCampaign(marketing::CampaignType::kThresholdCoupon, 1'000 * kYuan));
  ASSERT_EQ(Marketing(CreateCouponTemplate{
                staff_, testing::MakeThresholdTemplate(campaign, 100 * kYuan, 10 * kYuan)}),
            Code(MarketingResult::kOk))
      << last_text_;
  const uint64_t coupon_template = last_value_;
  const uint64_t first = SignUp("13800138001");
  const uint64_t second = SignUp("13800138002");
  const uint64_t third = SignUp("13800138003");
  ASSERT_EQ(Marketing(ClaimCoupon{first, coupon_template, kPhoneA}), Code(MarketingResult::kOk));
  const uint64_t first_coupon = last_value_;
  ASSERT_EQ(Marketing(ClaimCoupon{second, coupon_template, kPhoneA}), Code(MarketingResult::kOk));
  // A third account claiming the campaign on the same phone: coupon_farm_claim.
  EXPECT_EQ(Marketing(ClaimCoupon{third, coupon_template, kPhoneA}),
            Code(MarketingResult::kRiskDenied));
  // On its own phone the claim goes through, and the refused one took no coupon.
  ASSERT_EQ(Marketing(ClaimCoupon{third, coupon_template, kPhoneB}), Code(MarketingResult::kOk));
  EXPECT_EQ(last_value_, first_coupon + 2);
  EXPECT_EQ(CouponOf(last_value_).customer_id, third);
  // A blocked device claims nothing.
  Block(risk::EntityKind::kDevice, kPhoneB);
  EXPECT_EQ(Marketing(ClaimCoupon{first, coupon_template, kPhoneB}),
            Code(MarketingResult::kRiskDenied));
  ExpectSameAfterReplayAndCheckpoint();
}

TEST_F(RiskEventsTest, ALogInFromABlockedDeviceIsRefused) {
  InstallDefaultRules();
  const uint64_t alice = SignUp("13800138001");
  Block(risk::EntityKind::kDevice, kPhoneB);
  EXPECT_EQ(Result(RecordLogin{alice, true, kPhoneB, ""}), Code(IdentityResult::kRiskDenied));
  // A wrong password is the customer book's to judge, as before.
  EXPECT_EQ(Result(RecordLogin{alice, false, kPhoneB, ""}), Code(IdentityResult::kOk));
  EXPECT_EQ(Result(RecordLogin{alice, true, kPhoneA, ""}), Code(IdentityResult::kOk));
  // A blocked customer, from any device.
  ASSERT_EQ(Result(SetRiskListEntry{staff_, risk::EntityKind::kCustomer, alice,
                                    risk::ListType::kBlock, 0, "", false}),
            RiskCode(RiskResult::kOk));
  EXPECT_EQ(Result(RecordLogin{alice, true, kPhoneA, ""}), Code(IdentityResult::kRiskDenied));
  ExpectSameAfterReplayAndCheckpoint();
}

TEST_F(RiskEventsTest, WithoutRulesOrListsNothingNewIsJudged) {
  const uint64_t alice = TierOne("13800138001", 0);
  const uint64_t card = BindCardFor(alice, "6222020200112233445");
  for (uint64_t i = 0; i < 4; i++) {
    ASSERT_EQ(Result(HoldFunds{HoldKind::kTopUp, 100 + i, alice, card, 30 * kYuan, kPhoneA, kIpA}),
              Code(MoneyResult::kOk));
    ASSERT_EQ(Result(SettleHold{200 + i, 100 + i, false}), Code(MoneyResult::kOk));
  }
  EXPECT_EQ(Result(RecordLogin{alice, true, kPhoneA, kIpA}), Code(IdentityResult::kOk));
  bool on = true;
  Query([&](const StateMachine& s) { on = s.risk().on(); });
  EXPECT_FALSE(on);
  ExpectSameAfterReplayAndCheckpoint();
}

// --- The journal codec ---

std::string Frame(CommandType type, const std::string& body) {
  std::string out;
  ByteWriter writer(&out);
  writer.U16(static_cast<uint16_t>(type));
  writer.U32(static_cast<uint32_t>(body.size()));
  writer.Bytes(body);
  return out;
}

Command DecodeOne(const std::string& payload) {
  std::vector<Command> decoded;
  EXPECT_TRUE(DecodeCommands(payload, 1, &decoded));
  return decoded.empty() ? Command{} : decoded[0];
}

Command RoundTrip(const Command& command) {
  std::string payload;
  EncodeCommand(command, &payload);
  return DecodeOne(payload);
}

TEST(RiskEventsCodecTest, TheNewFieldsRoundTrip) {
  const auto login = std::get<RecordLogin>(RoundTrip(RecordLogin{7, true, kPhoneA, kIpA}));
  EXPECT_EQ(login.customer_id, 7u);
  EXPECT_TRUE(login.password_ok);
  EXPECT_EQ(login.device_hash, kPhoneA);
  EXPECT_EQ(login.ip_hash, kIpA);
  const auto ip_only = std::get<RecordLogin>(RoundTrip(RecordLogin{7, false, "", kIpA}));
  EXPECT_EQ(ip_only.device_hash, "");
  EXPECT_EQ(ip_only.ip_hash, kIpA);
  // A staff log-in carries the same origin, for its audit entry.
  const auto staff =
      std::get<RecordStaffLogin>(RoundTrip(RecordStaffLogin{3, false, kPhoneB, kIpB}));
  EXPECT_EQ(staff.staff_id, 3u);
  EXPECT_FALSE(staff.password_ok);
  EXPECT_EQ(staff.device_hash, kPhoneB);
  EXPECT_EQ(staff.ip_hash, kIpB);

  const auto hold =
      std::get<HoldFunds>(RoundTrip(HoldFunds{HoldKind::kWithdrawal, 1, 2, 3, 400, kPhoneA, kIpB}));
  EXPECT_EQ(hold.kind, HoldKind::kWithdrawal);
  EXPECT_EQ(hold.amount_fen, 400);
  EXPECT_EQ(hold.device_hash, kPhoneA);
  EXPECT_EQ(hold.ip_hash, kIpB);

  const auto claim = std::get<ClaimCoupon>(RoundTrip(ClaimCoupon{5, 6, kPhoneB}));
  EXPECT_EQ(claim.template_id, 6u);
  EXPECT_EQ(claim.device_hash, kPhoneB);

  for (const std::string& device : {std::string(), kPhoneA}) {
    const auto registered = std::get<RegisterCustomer>(
        RoundTrip(RegisterCustomer{{"13800138001", "h", "p", "campus", ""}, device, kIpA}));
    EXPECT_EQ(registered.registration.phone, "13800138001");
    EXPECT_EQ(registered.device_hash, device);
    EXPECT_EQ(registered.ip_hash, kIpA);
  }

  // Pay: the IP after the coupon, which is then written even when 0.
  for (const uint64_t coupon : {uint64_t{0}, uint64_t{9}}) {
    for (const std::string& ip : {std::string(), kIpA}) {
      Pay pay;
      pay.payment_id = 11;
      pay.customer_id = 12;
      pay.merchant_id = 13;
      pay.amount_fen = 1'400;
      pay.channel = payments::PaymentChannel::kStaticQr;
      pay.auth.strength = AuthStrength::kTwoFactors;
      pay.auth.device_hash = kPhoneA;
      pay.auth.ip_hash = ip;
      pay.coupon_id = coupon;
      const auto decoded = std::get<Pay>(RoundTrip(pay));
      EXPECT_EQ(decoded.auth, pay.auth);
      EXPECT_EQ(decoded.coupon_id, coupon);
      EXPECT_EQ(decoded.amount_fen, 1'400);
    }
  }
  P2PTransfer send{1, 2, "13800138002", 300, "memo", {}};
  send.auth.strength = AuthStrength::kOneFactor;
  send.auth.ip_hash = kIpB;
  EXPECT_EQ(std::get<P2PTransfer>(RoundTrip(send)).auth, send.auth);
  ConfirmPayment confirm{1, 2, true, {}};
  confirm.auth.strength = AuthStrength::kDeviceSignature;
  confirm.auth.ip_hash = kIpA;
  EXPECT_EQ(std::get<ConfirmPayment>(RoundTrip(confirm)).auth, confirm.auth);
}

TEST(RiskEventsCodecTest, RecordsFromBeforeTheFieldsDecode) {
  {
    std::string body;
    ByteWriter writer(&body);
    writer.U64(7);
    writer.U8(1);
    const auto login = std::get<RecordLogin>(DecodeOne(Frame(CommandType::kRecordLogin, body)));
    EXPECT_EQ(login.customer_id, 7u);
    EXPECT_TRUE(login.password_ok);
    EXPECT_EQ(login.device_hash, "");
    EXPECT_EQ(login.ip_hash, "");
    // What the encoder writes without the fields is that old record, byte for byte.
    std::string payload;
    EncodeCommand(RecordLogin{7, true}, &payload);
    EXPECT_EQ(payload, Frame(CommandType::kRecordLogin, body));
  }
  {
    std::string body;
    ByteWriter writer(&body);
    writer.U64(3);
    writer.U8(1);
    const auto staff =
        std::get<RecordStaffLogin>(DecodeOne(Frame(CommandType::kRecordStaffLogin, body)));
    EXPECT_EQ(staff.staff_id, 3u);
    EXPECT_TRUE(staff.password_ok);
    EXPECT_EQ(staff.ip_hash, "");
    std::string payload;
    EncodeCommand(RecordStaffLogin{3, true}, &payload);
    EXPECT_EQ(payload, Frame(CommandType::kRecordStaffLogin, body));
  }
  {
    std::string body;
    ByteWriter writer(&body);
    writer.U8(static_cast<uint8_t>(HoldKind::kTopUp));
    writer.U64(1);
    writer.U64(2);
    writer.U64(3);
    writer.I64(400);
    const auto hold = std::get<HoldFunds>(DecodeOne(Frame(CommandType::kHoldFunds, body)));
    EXPECT_EQ(hold.card_id, 3u);
    EXPECT_EQ(hold.amount_fen, 400);
    EXPECT_EQ(hold.device_hash, "");
    EXPECT_EQ(hold.ip_hash, "");
  }
  {
    std::string body;
    ByteWriter writer(&body);
    writer.U64(5);
    writer.U64(6);
    const auto claim = std::get<ClaimCoupon>(DecodeOne(Frame(CommandType::kClaimCoupon, body)));
    EXPECT_EQ(claim.customer_id, 5u);
    EXPECT_EQ(claim.device_hash, "");
  }
  {
    std::string body;
    ByteWriter writer(&body);
    for (const char* field : {"13800138001", "h", "p", "campus", ""}) writer.LengthPrefixed(field);
    writer.LengthPrefixed(kPhoneA);  // The device, as written before the IP.
    const auto registered =
        std::get<RegisterCustomer>(DecodeOne(Frame(CommandType::kRegisterCustomer, body)));
    EXPECT_EQ(registered.device_hash, kPhoneA);
    EXPECT_EQ(registered.ip_hash, "");
  }
}

TEST(RiskEventsCodecTest, SecondEncodingsOfTheNewFieldsAreRefused) {
  std::vector<Command> decoded;
  // A login with an empty origin written out: never encoded so.
  std::string body;
  ByteWriter writer(&body);
  writer.U64(7);
  writer.U8(1);
  writer.LengthPrefixed("");
  writer.LengthPrefixed("");
  EXPECT_FALSE(DecodeCommands(Frame(CommandType::kRecordLogin, body), 1, &decoded));
  // A claim with an empty device.
  std::string claim;
  ByteWriter claim_writer(&claim);
  claim_writer.U64(5);
  claim_writer.U64(6);
  claim_writer.LengthPrefixed("");
  EXPECT_FALSE(DecodeCommands(Frame(CommandType::kClaimCoupon, claim), 1, &decoded));
  // A payment with a coupon of 0 and no IP after it.
  Pay pay;
  pay.payment_id = 11;
  pay.channel = payments::PaymentChannel::kStaticQr;
  pay.auth.ip_hash = kIpA;
  std::string payload;
  EncodeCommand(pay, &payload);
  const size_t ip_bytes = 4 + kIpA.size();
  std::string truncated = payload.substr(0, payload.size() - ip_bytes);
  const uint32_t body_bytes = static_cast<uint32_t>(truncated.size() - 6);
  std::memcpy(truncated.data() + 2, &body_bytes, 4);
  EXPECT_FALSE(DecodeCommands(truncated, 1, &decoded));
}

}  // namespace
}  // namespace qb::engine
