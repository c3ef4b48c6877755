// PBoC 2015 No. 43 in the engine: the day's spending from the balance by authentication
// strength (¥1,000 with one factor, ¥5,000 with two, the tier's limit with a device key), the
// step-up hold of a payment (posted when the customer confirms strongly enough, voided when the
// hold expires), transfers refused until repeated with a stronger factor, SMS codes consumed by
// the engine, and the new-device rule. Every test ends with the ledger invariants and a restart
// to the same state hash.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "engine/command_codec.h"
#include "payments_fixture.h"

namespace qb::engine {
namespace {

using identity::AuthStrength;
using identity::IdentityResult;
using payments::PaymentState;
using testing::kSecond;
using testing::kYuan;

class StepUpTest : public testing::PaymentsTest {
 protected:
  // A tier I wallet (¥50,000 a payment, ¥100,000 a day) with `funds` in it.
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
  Pay ScanPayWith(uint64_t id, uint64_t customer, uint64_t merchant, int64_t amount,
                  AuthStrength strength, std::string device = "") {
    Pay pay = ScanPay(id, customer, merchant, amount);
    pay.auth.strength = strength;
    pay.auth.device_hash = std::move(device);
    return pay;
  }
  ConfirmPayment Confirm(uint64_t customer, uint64_t payment, AuthStrength strength,
                         std::string otp_hash = "") {
    ConfirmPayment confirm{customer, payment, true, {}};
    confirm.auth.strength = strength;
    confirm.auth.otp_hash = std::move(otp_hash);
    return confirm;
  }
  P2PTransfer Send(uint64_t id, uint64_t from, const std::string& to, int64_t amount,
                   AuthStrength strength) {
    P2PTransfer transfer{id, from, to, amount, "", {}};
    transfer.auth.strength = strength;
    return transfer;
  }
};

TEST_F(StepUpTest, OneFactorPaysUpToAThousandADayThenThePaymentIsHeldForASecondFactor) {
  const uint64_t alice = TierOne("13800138001", 20'000 * kYuan);
  const uint64_t shop = Onboard("shop", 0);
  ASSERT_EQ(Result(ScanPayWith(1, alice, shop, 800 * kYuan, AuthStrength::kOneFactor)),
            Code(PaymentResult::kOk));
  EXPECT_EQ(PaymentOf(1).state, PaymentState::kCompleted);

  // ¥800 + ¥300 passes ¥1,000: held, the money reserved but not moved.
  ASSERT_EQ(Result(ScanPayWith(2, alice, shop, 300 * kYuan, AuthStrength::kOneFactor)),
            Code(PaymentResult::kOk));
  EXPECT_EQ(PaymentOf(2).state, PaymentState::kAwaitingConfirmation);
  EXPECT_EQ(PaymentOf(2).step_up, static_cast<uint8_t>(AuthStrength::kTwoFactors));
  EXPECT_EQ(MerchantBalance(shop), 800 * kYuan);
  EXPECT_EQ(PendingStatus(2), ledger::PendingStatus::kPending);

  // Confirming with the same one factor is refused and says what is needed; nothing moves.
  EXPECT_EQ(Result(Confirm(alice, 2, AuthStrength::kOneFactor)),
            Code(PaymentResult::kChallengeRequired));
  EXPECT_EQ(last_value_, static_cast<uint64_t>(AuthStrength::kTwoFactors));
  EXPECT_EQ(PaymentOf(2).state, PaymentState::kAwaitingConfirmation);
  EXPECT_EQ(MerchantBalance(shop), 800 * kYuan);

  ASSERT_EQ(Result(Confirm(alice, 2, AuthStrength::kTwoFactors)), Code(PaymentResult::kOk));
  EXPECT_EQ(PaymentOf(2).state, PaymentState::kCompleted);
  EXPECT_EQ(PaymentOf(2).step_up, 0);
  EXPECT_EQ(MerchantBalance(shop), 1'100 * kYuan);
  EXPECT_EQ(Balance(alice), (20'000 - 1'100) * kYuan);
  ExpectSameAfterRestart();
}

TEST_F(StepUpTest, TwoFactorsReachFiveThousandAndOnlyADeviceKeyGoesBeyond) {
  const uint64_t alice = TierOne("13800138001", 20'000 * kYuan);
  const uint64_t shop = Onboard("shop", 0);
  ASSERT_EQ(Result(ScanPayWith(1, alice, shop, 4'500 * kYuan, AuthStrength::kTwoFactors)),
            Code(PaymentResult::kOk));
  EXPECT_EQ(PaymentOf(1).state, PaymentState::kCompleted);
  // ¥4,500 + ¥600 passes ¥5,000: two factors are not enough any more.
  ASSERT_EQ(Result(ScanPayWith(2, alice, shop, 600 * kYuan, AuthStrength::kTwoFactors)),
            Code(PaymentResult::kOk));
  EXPECT_EQ(PaymentOf(2).step_up, static_cast<uint8_t>(AuthStrength::kDeviceSignature));
  EXPECT_EQ(Result(Confirm(alice, 2, AuthStrength::kTwoFactors)),
            Code(PaymentResult::kChallengeRequired));
  EXPECT_EQ(last_value_, static_cast<uint64_t>(AuthStrength::kDeviceSignature));
  ASSERT_EQ(Result(Confirm(alice, 2, AuthStrength::kDeviceSignature)), Code(PaymentResult::kOk));
  // A device key pays straight up to the tier's own limits, which still apply.
  ASSERT_EQ(Result(ScanPayWith(3, alice, shop, 9'000 * kYuan, AuthStrength::kDeviceSignature)),
            Code(PaymentResult::kOk));
  EXPECT_EQ(PaymentOf(3).state, PaymentState::kCompleted);
  EXPECT_EQ(Result(ScanPayWith(4, alice, shop, 50'001 * kYuan, AuthStrength::kDeviceSignature)),
            Code(PaymentResult::kExceedsPerPayment));
  // Declining a held payment needs no factor at all.
  ASSERT_EQ(Result(ScanPayWith(5, alice, shop, 100 * kYuan, AuthStrength::kOneFactor)),
            Code(PaymentResult::kOk));
  EXPECT_EQ(PaymentOf(5).state, PaymentState::kAwaitingConfirmation);
  ASSERT_EQ(Result(ConfirmPayment{alice, 5, false, {}}), Code(PaymentResult::kOk));
  EXPECT_EQ(PaymentOf(5).state, PaymentState::kCancelled);
  EXPECT_EQ(MerchantBalance(shop), 14'100 * kYuan);
  ExpectSameAfterRestart();
}

TEST_F(StepUpTest, AHeldPaymentNotSteppedUpInFiveMinutesIsVoidedAndTheMoneyStays) {
  const uint64_t alice = TierOne("13800138001", 5'000 * kYuan);
  const uint64_t shop = Onboard("shop", 0);
  ASSERT_EQ(Result(ScanPayWith(1, alice, shop, 1'200 * kYuan, AuthStrength::kOneFactor)),
            Code(PaymentResult::kOk));
  EXPECT_EQ(PaymentOf(1).step_up, static_cast<uint8_t>(AuthStrength::kTwoFactors));
  // The hold survives a restart (the step-up is in the checkpoint) ...
  ExpectSameAfterRestart();
  EXPECT_EQ(PaymentOf(1).step_up, static_cast<uint8_t>(AuthStrength::kTwoFactors));
  clock_.Advance(4 * 60 * kSecond);
  Query([](const StateMachine&) {});
  EXPECT_EQ(PaymentOf(1).state, PaymentState::kAwaitingConfirmation);
  // ... and expires at five minutes: voided, the balance whole, the step-up gone.
  clock_.Advance(61 * kSecond);
  EXPECT_EQ(Result(Confirm(alice, 1, AuthStrength::kTwoFactors)),
            Code(PaymentResult::kNotAwaitingConfirmation));
  EXPECT_EQ(PaymentOf(1).state, PaymentState::kCancelled);
  EXPECT_EQ(PaymentOf(1).step_up, 0);
  EXPECT_EQ(PendingStatus(1), ledger::PendingStatus::kExpired);
  EXPECT_EQ(Balance(alice), 5'000 * kYuan);
  EXPECT_EQ(MerchantBalance(shop), 0);
  ExpectSameAfterRestart();
}

TEST_F(StepUpTest, AnSmsCodeIsConsumedByTheEngineAsTheSecondFactorOnce) {
  const uint64_t alice = TierOne("13800138001", 5'000 * kYuan);
  const uint64_t shop = Onboard("shop", 0);
  ASSERT_EQ(Result(ScanPayWith(1, alice, shop, 1'500 * kYuan, AuthStrength::kOneFactor)),
            Code(PaymentResult::kOk));
  clock_.Advance(61 * kSecond);  // One code a minute per phone: the sign-up sent one.
  ASSERT_EQ(Result(IssueOtp{"13800138001", identity::OtpPurpose::kPayment, "otp-1"}),
            Code(IdentityResult::kOk));
  // A wrong code counts a try and moves nothing; the right one confirms; it cannot serve twice.
  EXPECT_EQ(Result(Confirm(alice, 1, AuthStrength::kOneFactor, "otp-wrong")),
            Code(PaymentResult::kSecondFactorRejected));
  EXPECT_EQ(last_value_, static_cast<uint64_t>(IdentityResult::kOtpMismatch));
  EXPECT_EQ(PaymentOf(1).state, PaymentState::kAwaitingConfirmation);
  ASSERT_EQ(Result(Confirm(alice, 1, AuthStrength::kOneFactor, "otp-1")), Code(PaymentResult::kOk));
  EXPECT_EQ(PaymentOf(1).state, PaymentState::kCompleted);

  // With a code in the payment itself it goes straight through; a used code is refused.
  clock_.Advance(61 * kSecond);  // One code a minute per phone.
  ASSERT_EQ(Result(IssueOtp{"13800138001", identity::OtpPurpose::kPayment, "otp-2"}),
            Code(IdentityResult::kOk));
  Pay pay = ScanPayWith(2, alice, shop, 200 * kYuan, AuthStrength::kOneFactor);
  pay.auth.otp_hash = "otp-2";
  ASSERT_EQ(Result(pay), Code(PaymentResult::kOk));
  EXPECT_EQ(PaymentOf(2).state, PaymentState::kCompleted);
  pay.payment_id = 3;
  EXPECT_EQ(Result(pay), Code(PaymentResult::kSecondFactorRejected));
  EXPECT_EQ(last_value_, static_cast<uint64_t>(IdentityResult::kOtpNotFound));
  // A code of another purpose is not a payment code.
  clock_.Advance(61 * kSecond);
  ASSERT_EQ(Result(IssueOtp{"13800138001", identity::OtpPurpose::kLogin, "otp-3"}),
            Code(IdentityResult::kOk));
  pay.auth.otp_hash = "otp-3";
  EXPECT_EQ(Result(pay), Code(PaymentResult::kSecondFactorRejected));
  EXPECT_EQ(MerchantBalance(shop), 1'700 * kYuan);
  ExpectSameAfterRestart();
}

TEST_F(StepUpTest, ATransferBeyondItsStrengthMovesNothingUntilRepeatedStronger) {
  const uint64_t alice = TierOne("13800138001", 20'000 * kYuan);
  const uint64_t bob = TierOne("13800138002", 0);
  ASSERT_EQ(Result(Send(1, alice, "13800138002", 900 * kYuan, AuthStrength::kOneFactor)),
            Code(MoneyResult::kOk));
  EXPECT_EQ(Result(Send(2, alice, "13800138002", 200 * kYuan, AuthStrength::kOneFactor)),
            Code(MoneyResult::kChallengeRequired));
  EXPECT_EQ(last_value_, static_cast<uint64_t>(AuthStrength::kTwoFactors));
  EXPECT_EQ(Balance(bob), 900 * kYuan);
  // The refused id is free: the repeat with two factors goes through under it.
  ASSERT_EQ(Result(Send(2, alice, "13800138002", 200 * kYuan, AuthStrength::kTwoFactors)),
            Code(MoneyResult::kOk));
  EXPECT_EQ(Result(Send(3, alice, "13800138002", 4'000 * kYuan, AuthStrength::kTwoFactors)),
            Code(MoneyResult::kChallengeRequired));
  EXPECT_EQ(last_value_, static_cast<uint64_t>(AuthStrength::kDeviceSignature));
  EXPECT_EQ(Balance(bob), 1'100 * kYuan);
  EXPECT_EQ(Balance(alice), (20'000 - 1'100) * kYuan);
  ExpectSameAfterRestart();
}

TEST_F(StepUpTest, ANewDeviceNeedsASecondFactorForLargePaymentsForADay) {
  const uint64_t alice = TierOne("13800138001", 5'000 * kYuan);
  const uint64_t shop = Onboard("shop", 0);
  ASSERT_EQ(Result(CreateSession{"token-1", alice, "old-phone"}), Code(IdentityResult::kOk));
  // The first device is not new: there is no older one to have moved from.
  ASSERT_EQ(Result(ScanPayWith(1, alice, shop, 600 * kYuan, AuthStrength::kOneFactor, "old-phone")),
            Code(PaymentResult::kOk));
  EXPECT_EQ(PaymentOf(1).state, PaymentState::kCompleted);
  clock_.Advance(25 * 3600 * kSecond);  // A new day: the ¥600 no longer counts.
  ASSERT_EQ(Result(CreateSession{"token-2", alice, "new-phone"}), Code(IdentityResult::kOk));
  ASSERT_EQ(Result(ScanPayWith(2, alice, shop, 600 * kYuan, AuthStrength::kOneFactor, "new-phone")),
            Code(PaymentResult::kOk));
  EXPECT_EQ(PaymentOf(2).step_up, static_cast<uint8_t>(AuthStrength::kTwoFactors));
  // Small payments from it, and large ones from the old phone, need nothing more.
  ASSERT_EQ(Result(ScanPayWith(3, alice, shop, 100 * kYuan, AuthStrength::kOneFactor, "new-phone")),
            Code(PaymentResult::kOk));
  EXPECT_EQ(PaymentOf(3).state, PaymentState::kCompleted);
  ASSERT_EQ(Result(ScanPayWith(4, alice, shop, 200 * kYuan, AuthStrength::kOneFactor, "old-phone")),
            Code(PaymentResult::kOk));
  EXPECT_EQ(PaymentOf(4).state, PaymentState::kCompleted);
  // A device that never logged in is new too.
  ASSERT_EQ(Result(ScanPayWith(5, alice, shop, 501 * kYuan, AuthStrength::kOneFactor, "unknown")),
            Code(PaymentResult::kOk));
  EXPECT_EQ(PaymentOf(5).step_up, static_cast<uint8_t>(AuthStrength::kTwoFactors));
  ExpectSameAfterRestart();  // The devices are in the checkpoint and the journal alike.
  // A day after its first log-in the new phone is known.
  clock_.Advance(25 * 3600 * kSecond);
  ASSERT_EQ(Result(ScanPayWith(6, alice, shop, 600 * kYuan, AuthStrength::kOneFactor, "new-phone")),
            Code(PaymentResult::kOk));
  EXPECT_EQ(PaymentOf(6).state, PaymentState::kCompleted);
  ExpectSameAfterRestart();
}

TEST_F(StepUpTest, ASmallPaymentCodePaymentPastTheOneFactorDayWaitsForAStepUp) {
  const uint64_t alice = TierOne("13800138001", 5'000 * kYuan);
  const uint64_t shop = Onboard("shop", 0);
  ASSERT_EQ(Result(RegisterPaymentDevice{alice, 7, "sealed"}), Code(PaymentResult::kOk));
  ASSERT_EQ(Result(SetSmallPayments{alice, true, 1'000 * kYuan, 2'000 * kYuan}),
            Code(PaymentResult::kOk));
  ASSERT_EQ(Result(ScanPayWith(1, alice, shop, 900 * kYuan, AuthStrength::kOneFactor)),
            Code(PaymentResult::kOk));
  // Within the small-payment caps, but ¥900 + ¥200 passes the one-factor day.
  ASSERT_EQ(Result(CodePay(2, 7, CurrentStep(), shop, 200 * kYuan)), Code(PaymentResult::kOk));
  EXPECT_EQ(PaymentOf(2).state, PaymentState::kAwaitingConfirmation);
  EXPECT_EQ(PaymentOf(2).step_up, static_cast<uint8_t>(AuthStrength::kTwoFactors));
  ASSERT_EQ(Result(Confirm(alice, 2, AuthStrength::kTwoFactors)), Code(PaymentResult::kOk));
  ExpectSameAfterRestart();
}

TEST(PaymentAuthCodecTest, CommandsRoundTripAndOldRecordsDecodeAsUnlimited) {
  Pay pay;
  pay.payment_id = 9;
  pay.customer_id = 3;
  pay.merchant_id = 1;
  pay.amount_fen = 100;
  pay.auth.strength = AuthStrength::kTwoFactors;
  pay.auth.device_hash = "device";
  pay.auth.otp_hash = "otp";
  std::string bytes;
  EncodeCommand(pay, &bytes);
  std::vector<Command> decoded;
  ASSERT_TRUE(DecodeCommands(bytes, 1, &decoded));
  EXPECT_EQ(std::get<Pay>(decoded[0]).auth, pay.auth);

  // A record from before the auth field: the same bytes without it (strength u8, two empty-or-
  // not strings), with the body length patched. It replays as it ran, with no auth limit.
  Pay old = pay;
  old.auth = PaymentAuth{};
  std::string with_empty;
  EncodeCommand(old, &with_empty);
  const size_t auth_bytes = 1 + 4 + 4;
  std::string without = with_empty.substr(0, with_empty.size() - auth_bytes);
  const uint32_t body = static_cast<uint32_t>(without.size() - 2 - 4);
  std::memcpy(without.data() + 2, &body, 4);
  decoded.clear();
  ASSERT_TRUE(DecodeCommands(without, 1, &decoded));
  EXPECT_EQ(std::get<Pay>(decoded[0]).auth.strength, AuthStrength::kDeviceSignature);

  // A strength out of range is refused.
  std::string bad = with_empty;
  bad[bad.size() - auth_bytes] = 4;
  decoded.clear();
  EXPECT_FALSE(DecodeCommands(bad, 1, &decoded));
}

}  // namespace
}  // namespace qb::engine
