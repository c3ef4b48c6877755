// Group red packets through the engine (commands 73 to 75): the budget funded from marketing
// expense, a packet earned by a payment and sent, its shares claimed into wallets as ledger
// transfers summing to the packet, once per customer; a packet's unclaimed shares back in the
// budget when it expires; claims on the sender's device and from a device farm refused; the
// same packets after a restart (the nonce is in the journal).
#include <gtest/gtest.h>

#include "engine/state_machine_internal.h"
#include "marketing_fixture.h"
#include "risk/default_rules.h"

namespace qb::engine::testing {
namespace {

// Device hashes as the API makes them (hex): the risk engine names a device by its first 16.
const std::string kPhoneAlice = std::string(64, 'a');
const std::string kPhoneAlias = std::string(64, 'c');
const std::string kPhoneBob = std::string(64, 'b');
const std::string kPhoneFarm = std::string(64, 'f');

class RedPacketTest : public MarketingTest {
 protected:
  // A ¥10 payment earns one packet a day; each packet is ¥10 in three shares, open 24 hours;
  // five claims a day; ¥100 of budget.
  static redpacket::Config Programme() {
    redpacket::Config c;
    c.enabled = true;
    c.payment_min_fen = 10 * kYuan;
    c.packets_daily = 1;
    c.packet_fen = 10 * kYuan;
    c.shares = 3;
    c.valid_hours = 24;
    c.claims_daily = 5;
    c.budget_fen = 100 * kYuan;
    return c;
  }
  uint8_t Set(const redpacket::Config& config) { return Marketing(SetRedPackets{staff_, config}); }
  uint8_t Send(uint64_t customer, uint64_t packet_id) {
    std::string nonce(kRedPacketNonceBytes, '\0');
    for (size_t b = 0; b < 8; ++b) nonce[b] = static_cast<char>(packet_id >> (8 * b));
    return Marketing(SendRedPacket{customer, packet_id, nonce});
  }
  uint8_t Open(uint64_t customer, uint64_t packet_id, const std::string& device = "") {
    return Marketing(ClaimRedPacket{customer, packet_id, device});
  }
  // Signs up with a session on `device`, as the API does.
  uint64_t Join(const std::string& phone, const std::string& device) {
    EXPECT_EQ(Result(IssueOtp{phone, identity::OtpPurpose::kRegister, "h" + phone}),
              Code(identity::IdentityResult::kOk));
    EXPECT_EQ(Result(RegisterCustomer{{phone, "h" + phone, "argon2", "organic", ""}, device, ""}),
              Code(identity::IdentityResult::kOk));
    const uint64_t id = last_value_;
    EXPECT_EQ(Result(CreateSession{"session-" + phone, id, device}),
              Code(identity::IdentityResult::kOk));
    return id;
  }
  redpacket::Packet PacketOf(uint64_t id) {
    redpacket::Packet copy;
    Query([&](const StateMachine& s) {
      if (const redpacket::Packet* p = s.red_packets().Find(id)) copy = *p;
    });
    return copy;
  }
  redpacket::Figures Figures() {
    redpacket::Figures copy;
    Query(
        [&](const StateMachine& s) { copy = s.red_packets().FiguresAt(clock_.NowNs() / kSecond); });
    return copy;
  }
  int64_t BudgetLeft() {
    std::optional<ledger::Account> budget = FindAccount(kRedPacketBudgetAccountId);
    return budget ? budget->CreditBalance() : 0;
  }
  // The budget account holds what was funded less what was paid out.
  void ExpectBudgetAgrees() {
    int64_t budget = 0;
    Query([&](const StateMachine& s) { budget = s.red_packets().config().budget_fen; });
    EXPECT_EQ(BudgetLeft(), budget - Figures().spent_fen);
  }
};

TEST_F(RedPacketTest, TheProgrammeFundsItsBudgetAndIsValidated) {
  redpacket::Config bad = Programme();
  bad.shares = 1;
  EXPECT_EQ(Set(bad), Code(MarketingResult::kInvalid));
  EXPECT_EQ(last_text_, "REDPACKET_INVALID:shares");
  EXPECT_EQ(Marketing(SetRedPackets{staff_ + 9, Programme()}),
            Code(MarketingResult::kStaffNotFound));
  Query([&](const StateMachine& s) { EXPECT_FALSE(s.red_packets().on()); });
  ASSERT_EQ(Set(Programme()), Code(MarketingResult::kOk));
  EXPECT_EQ(last_value_, 1u);
  EXPECT_EQ(BudgetLeft(), 100 * kYuan);
  EXPECT_EQ(Expense(), -100 * kYuan);

  // A packet sent reserves ¥10: the budget may come down to that, not below.
  const uint64_t shop = Onboard("shop", 0);
  const uint64_t alice = SignUp("13800138001");
  Fund(alice, 50 * kYuan);
  ASSERT_EQ(Result(ScanPay(1, alice, shop, 10 * kYuan)), Code(PaymentResult::kOk));
  ASSERT_EQ(Send(alice, 500), Code(MarketingResult::kOk));
  redpacket::Config lower = Programme();
  lower.budget_fen = 10 * kYuan - 1;
  EXPECT_EQ(Set(lower), Code(MarketingResult::kInvalid));
  EXPECT_EQ(last_text_, "REDPACKET_INVALID:budget_fen");
  lower.budget_fen = 10 * kYuan;
  ASSERT_EQ(Set(lower), Code(MarketingResult::kOk));
  EXPECT_EQ(BudgetLeft(), 10 * kYuan);
  EXPECT_EQ(Expense(), -10 * kYuan);
  ExpectLedgerSound();
  ExpectSameAfterRestart();
}

TEST_F(RedPacketTest, APaymentEarnsAPacketWhoseSharesAreClaimedOnceEachIntoWallets) {
  ASSERT_EQ(Set(Programme()), Code(MarketingResult::kOk));
  const uint64_t shop = Onboard("shop", 0);
  const uint64_t alice = SignUp("13800138001");
  Fund(alice, 50 * kYuan);
  EXPECT_EQ(Send(alice, 500), Code(MarketingResult::kRefused));
  EXPECT_EQ(last_text_, "REDPACKET_NONE_TO_SEND");
  ASSERT_EQ(Result(ScanPay(1, alice, shop, 10 * kYuan - 1)), Code(PaymentResult::kOk));
  EXPECT_EQ(Send(alice, 500), Code(MarketingResult::kRefused));  // ¥9.99 earns none
  ASSERT_EQ(Result(ScanPay(2, alice, shop, 10 * kYuan)), Code(PaymentResult::kOk));
  ASSERT_EQ(Send(alice, 500), Code(MarketingResult::kOk));
  EXPECT_EQ(last_value_, 500u);
  EXPECT_EQ(Send(alice, 500), Code(MarketingResult::kDuplicate));  // a retry
  EXPECT_EQ(Send(alice, 501), Code(MarketingResult::kRefused));
  EXPECT_EQ(last_text_, "REDPACKET_NONE_TO_SEND");
  const redpacket::Packet sent = PacketOf(500);
  ASSERT_EQ(sent.shares.size(), 3u);
  EXPECT_EQ(sent.amount_fen, 10 * kYuan);

  // Three friends take the three shares, in the split's order; a fourth finds it empty.
  std::vector<uint64_t> friends;
  for (int i = 0; i < 4; ++i) friends.push_back(SignUp("1390013900" + std::to_string(i)));
  int64_t paid = 0;
  for (size_t i = 0; i < 3; ++i) {
    const int64_t before = Balance(friends[i]);
    ASSERT_EQ(Open(friends[i], 500), Code(MarketingResult::kOk)) << last_text_;
    EXPECT_EQ(static_cast<int64_t>(last_value_), sent.shares[i]);
    EXPECT_EQ(Balance(friends[i]), before + sent.shares[i]);
    paid += sent.shares[i];
    Query([&](const StateMachine& s) {
      const ledger::Transfer* t = s.ledger().FindTransfer(
          internal::DerivedId(500, "red-packet-share-" + std::to_string(i)));
      ASSERT_NE(t, nullptr);
      EXPECT_EQ(t->code, ledger::transfer_codes::kRedPacketCash);
      EXPECT_EQ(t->debit_account_id, kRedPacketBudgetAccountId);
      EXPECT_EQ(t->amount, sent.shares[i]);
    });
  }
  EXPECT_EQ(paid, 10 * kYuan);
  EXPECT_EQ(Open(friends[3], 500), Code(MarketingResult::kRefused));
  EXPECT_EQ(last_text_, "REDPACKET_EMPTY");
  // Opening it again answers the same share and moves nothing.
  const int64_t balance = Balance(friends[0]);
  EXPECT_EQ(Open(friends[0], 500), Code(MarketingResult::kDuplicate));
  EXPECT_EQ(static_cast<int64_t>(last_value_), sent.shares[0]);
  EXPECT_EQ(Balance(friends[0]), balance);
  EXPECT_EQ(Open(friends[0], 999), Code(MarketingResult::kRefused));
  EXPECT_EQ(last_text_, "REDPACKET_NOT_FOUND");

  const redpacket::Figures f = Figures();
  EXPECT_EQ(f.spent_fen, 10 * kYuan);
  EXPECT_EQ(f.reserved_fen, 0);
  EXPECT_EQ(f.claims, 3);
  EXPECT_EQ(BudgetLeft(), 90 * kYuan);
  ExpectBudgetAgrees();
  ExpectLedgerSound();
  ExpectSameAfterRestart();
  EXPECT_EQ(PacketOf(500), PacketOf(500));
  EXPECT_EQ(PacketOf(500).shares, sent.shares);
}

TEST_F(RedPacketTest, AnExpiredPacketsUnclaimedSharesGoBackToTheBudget) {
  redpacket::Config c = Programme();
  c.budget_fen = 17 * kYuan;  // one ¥10 packet reserved leaves ¥7: not enough for another
  ASSERT_EQ(Set(c), Code(MarketingResult::kOk));
  const uint64_t shop = Onboard("shop", 0);
  const uint64_t alice = SignUp("13800138001");
  const uint64_t bob = SignUp("13800138002");
  const uint64_t carol = SignUp("13800138003");
  Fund(alice, 50 * kYuan);
  Fund(bob, 50 * kYuan);
  ASSERT_EQ(Result(ScanPay(1, alice, shop, 10 * kYuan)), Code(PaymentResult::kOk));
  ASSERT_EQ(Result(ScanPay(2, bob, shop, 10 * kYuan)), Code(PaymentResult::kOk));
  ASSERT_EQ(Send(alice, 500), Code(MarketingResult::kOk));
  EXPECT_EQ(Send(bob, 600), Code(MarketingResult::kRefused));
  EXPECT_EQ(last_text_, "REDPACKET_BUDGET");
  ASSERT_EQ(Open(carol, 500), Code(MarketingResult::kOk));
  const int64_t share = static_cast<int64_t>(last_value_);

  clock_.Advance(24 * 3'600 * kSecond);
  EXPECT_EQ(Open(bob, 500), Code(MarketingResult::kRefused));
  EXPECT_EQ(last_text_, "REDPACKET_EXPIRED");
  const redpacket::Figures f = Figures();
  EXPECT_EQ(f.returned_fen, 10 * kYuan - share);
  EXPECT_EQ(f.reserved_fen, 0);
  EXPECT_EQ(f.available_fen, 17 * kYuan - share);
  // The shares never left the budget account: ¥17 less the one share paid.
  EXPECT_EQ(BudgetLeft(), 17 * kYuan - share);
  // Now Bob's packet fits (a share is at most ¥6.66, so at least ¥10.34 is free).
  ASSERT_EQ(Send(bob, 600), Code(MarketingResult::kOk));
  ExpectBudgetAgrees();
  ExpectLedgerSound();
  ExpectSameAfterRestart();
  EXPECT_TRUE(PacketOf(500).returned);
}

TEST_F(RedPacketTest, ClaimsOnTheSendersDeviceOrFromADeviceFarmAreRefused) {
  ASSERT_EQ(Result(SetRiskRules{staff_, false, risk::DefaultRuleSet()}),
            static_cast<uint8_t>(RiskResult::kOk));
  redpacket::Config c = Programme();
  c.shares = 5;
  ASSERT_EQ(Set(c), Code(MarketingResult::kOk));
  const uint64_t shop = Onboard("shop", 0);
  const uint64_t alice = Join("13800138001", kPhoneAlice);
  Fund(alice, 50 * kYuan);
  ASSERT_EQ(Result(ScanPay(1, alice, shop, 10 * kYuan)), Code(PaymentResult::kOk));
  ASSERT_EQ(Send(alice, 500), Code(MarketingResult::kOk));

  // A second account opened on Alice's phone: refused, nothing paid.
  const uint64_t alias = Join("13800138009", kPhoneAlias);
  const int64_t before = Balance(alias);
  EXPECT_EQ(Open(alias, 500, kPhoneAlice), Code(MarketingResult::kRefused));
  EXPECT_EQ(last_text_, "REDPACKET_SAME_DEVICE");
  EXPECT_EQ(Balance(alias), before);
  // Alice herself may take a share on her own phone; a friend on their own phone too.
  ASSERT_EQ(Open(alice, 500, kPhoneAlice), Code(MarketingResult::kOk)) << last_text_;
  const uint64_t bob = Join("13800138002", kPhoneBob);
  ASSERT_EQ(Open(bob, 500, kPhoneBob), Code(MarketingResult::kOk)) << last_text_;
  // Three accounts on one phone: the default rule shared_device_reward denies the reward.
  std::vector<uint64_t> farm;
  for (int i = 0; i < 3; ++i) farm.push_back(Join("1370013700" + std::to_string(i), kPhoneFarm));
  EXPECT_EQ(Open(farm[2], 500, kPhoneFarm), Code(MarketingResult::kRiskDenied));
  Query([&](const StateMachine& s) { EXPECT_EQ(s.red_packets().Find(500)->claims.size(), 2u); });
  ExpectBudgetAgrees();
  ExpectLedgerSound();
  ExpectSameAfterRestart();
}

TEST_F(RedPacketTest, TheDailyClaimLimitHolds) {
  redpacket::Config c = Programme();
  c.claims_daily = 2;
  ASSERT_EQ(Set(c), Code(MarketingResult::kOk));
  const uint64_t shop = Onboard("shop", 0);
  std::vector<uint64_t> senders;
  for (int i = 0; i < 3; ++i) {
    senders.push_back(SignUp("1380013800" + std::to_string(i)));
    Fund(senders.back(), 50 * kYuan);
    ASSERT_EQ(Result(ScanPay(static_cast<uint64_t>(i + 1), senders.back(), shop, 10 * kYuan)),
              Code(PaymentResult::kOk));
    ASSERT_EQ(Send(senders.back(), 500 + static_cast<uint64_t>(i)), Code(MarketingResult::kOk));
  }
  const uint64_t dave = SignUp("13900139000");
  ASSERT_EQ(Open(dave, 500), Code(MarketingResult::kOk));
  ASSERT_EQ(Open(dave, 501), Code(MarketingResult::kOk));
  EXPECT_EQ(Open(dave, 502), Code(MarketingResult::kRefused));
  EXPECT_EQ(last_text_, "REDPACKET_DAILY_LIMIT");
  // The fixture starts at 06:13 China time: 18 hours on is the next China day, and the packets
  // (24 hours) are still open.
  clock_.Advance(18 * 3'600 * kSecond);
  ExpectSameAfterRestart();
  // After the restart the day's claims are counted the same way.
  ASSERT_EQ(Open(dave, 502), Code(MarketingResult::kOk)) << last_text_;
  ExpectLedgerSound();
}

}  // namespace
}  // namespace qb::engine::testing
