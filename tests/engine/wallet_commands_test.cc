// The wallet's commands beyond sign-up: real-name verification, cards, card top-ups and
// withdrawals as holds settled by the bank's answer, staff and their grants. Each test also
// restarts the engine (journal replay and checkpoint) and expects exactly the same state.
#include <gtest/gtest.h>

#include <string>

#include "engine_test_util.h"

namespace qb::engine {
namespace {

using identity::IdentityResult;
using identity::WalletTier;
using testing::CustomerEngineTest;

constexpr int64_t kSecond = 1'000'000'000;
constexpr int64_t kYuan = 100;
constexpr char kAlice[] = "13800138001";
constexpr char kBob[] = "13800138002";

class WalletCommandsTest : public CustomerEngineTest {
 protected:
  uint64_t SignUp(const std::string& phone) {
    EXPECT_EQ(Result(IssueOtp{phone, identity::OtpPurpose::kRegister, "h" + phone}),
              Code(IdentityResult::kOk));
    EXPECT_EQ(Result(RegisterCustomer{{phone, "h" + phone, "argon2", "campus", ""}}),
              Code(IdentityResult::kOk));
    clock_.Advance(61 * kSecond);
    return last_value_;
  }
  static identity::VerifiedIdentity Identity(const std::string& id) {
    return {"张三", "idhash-" + id, "sealed-" + id, id.substr(0, 4) + "**********" + id.substr(14),
            0};
  }
  static identity::BoundCard Card(const std::string& pan) {
    identity::BoundCard card;
    card.lookup_hash = "pan-" + pan;
    card.pan_sealed = "sealed-" + pan;
    card.first6 = pan.substr(0, 6);
    card.last4 = pan.substr(pan.size() - 4);
    card.bank_code = "ICBC";
    card.bank_token = "tok-" + pan.substr(pan.size() - 4);
    return card;
  }
  const identity::Customer Customer(uint64_t id) {
    identity::Customer copy;
    Query([&](const StateMachine& s) { copy = *s.customers().FindById(id); });
    return copy;
  }
  // A verified customer with one card; returns the card id.
  uint64_t VerifiedWithCard(uint64_t customer, const std::string& id, const std::string& pan) {
    EXPECT_EQ(Result(VerifyIdentity{customer, Identity(id)}), Code(IdentityResult::kOk));
    EXPECT_EQ(Result(BindCard{customer, Card(pan)}), Code(IdentityResult::kOk));
    return last_value_;
  }
};

TEST_F(WalletCommandsTest, VerificationAndCardsMoveTheTierAndOneIdentityHoldsOneWallet) {
  OpenEngine();
  const uint64_t alice = SignUp(kAlice);
  const uint64_t bob = SignUp(kBob);
  EXPECT_EQ(Customer(alice).tier, WalletTier::kIV);
  // No card before the name is known.
  EXPECT_EQ(Result(BindCard{alice, Card("6222020200112233445")}),
            Code(IdentityResult::kNotVerified));
  EXPECT_EQ(Result(VerifyIdentity{alice, Identity("11010519491231002X")}),
            Code(IdentityResult::kOk));
  EXPECT_EQ(Customer(alice).tier, WalletTier::kIII);
  EXPECT_EQ(Customer(alice).identity->id_masked, "1101**********002X");
  EXPECT_EQ(Result(VerifyIdentity{alice, Identity("11010519491231002X")}),
            Code(IdentityResult::kAlreadyVerified));
  EXPECT_EQ(Result(VerifyIdentity{bob, Identity("11010519491231002X")}),
            Code(IdentityResult::kIdentityTaken));
  EXPECT_EQ(Customer(bob).tier, WalletTier::kIV);

  EXPECT_EQ(Result(BindCard{alice, Card("6222020200112233445")}), Code(IdentityResult::kOk));
  const uint64_t card = last_value_;
  EXPECT_EQ(card, 1u);
  EXPECT_EQ(Customer(alice).tier, WalletTier::kII);
  EXPECT_EQ(Customer(alice).cards.size(), 1u);
  // The same card cannot be bound twice, to anyone.
  EXPECT_EQ(Result(BindCard{alice, Card("6222020200112233445")}), Code(IdentityResult::kCardTaken));
  EXPECT_EQ(Result(UnbindCard{alice, card + 7}), Code(IdentityResult::kCardNotFound));
  EXPECT_EQ(Result(UnbindCard{alice, card}), Code(IdentityResult::kOk));
  EXPECT_EQ(Customer(alice).tier, WalletTier::kIII);
  // Unbound, the card may be bound again (under a new id).
  EXPECT_EQ(Result(BindCard{alice, Card("6222020200112233445")}), Code(IdentityResult::kOk));
  EXPECT_EQ(last_value_, 2u);

  const Digest before = Hash();
  const identity::Customer alice_before = Customer(alice);
  Restart();
  EXPECT_EQ(Hash(), before);
  EXPECT_EQ(Customer(alice), alice_before);
}

TEST_F(WalletCommandsTest, CardLimitIsTen) {
  OpenEngine();
  const uint64_t alice = SignUp(kAlice);
  ASSERT_EQ(Result(VerifyIdentity{alice, Identity("11010519491231002X")}),
            Code(IdentityResult::kOk));
  for (int i = 0; i < 10; i++) {
    EXPECT_EQ(Result(BindCard{alice, Card("62220202001122334" + std::to_string(10 + i))}),
              Code(IdentityResult::kOk));
  }
  EXPECT_EQ(Result(BindCard{alice, Card("6222020200112233499")}), Code(IdentityResult::kCardLimit));
}

TEST_F(WalletCommandsTest, TopUpIsAHoldThatTheBankAnswerPostsOrVoids) {
  OpenEngine();
  const uint64_t alice = SignUp(kAlice);
  const uint64_t card = VerifiedWithCard(alice, "11010519491231002X", "6222020200112233445");
  // Tier II: balance cap ¥10,000.
  EXPECT_EQ(Result(HoldFunds{HoldKind::kTopUp, 100, alice, card + 1, 50 * kYuan}),
            Code(MoneyResult::kCardNotFound));
  EXPECT_EQ(Result(HoldFunds{HoldKind::kTopUp, 100, alice, card, 6'000 * kYuan}),
            Code(MoneyResult::kOk));
  EXPECT_EQ(Balance(alice), 0);  // Not yet: the bank has not answered.
  EXPECT_EQ(FindAccount(kCustomerWalletAccountBase + alice)->credits_pending, 6'000 * kYuan);
  // Pending money in counts against the cap.
  EXPECT_EQ(Result(HoldFunds{HoldKind::kTopUp, 101, alice, card, 4'001 * kYuan}),
            Code(MoneyResult::kReceiverBalanceCap));
  EXPECT_EQ(Result(HoldFunds{HoldKind::kTopUp, 100, alice, card, 1 * kYuan}),
            Code(MoneyResult::kDuplicate));
  EXPECT_EQ(Result(SettleHold{200, 100, true}), Code(MoneyResult::kOk));
  EXPECT_EQ(Balance(alice), 6'000 * kYuan);
  EXPECT_EQ(Result(SettleHold{201, 100, false}), Code(MoneyResult::kHoldSettled));
  EXPECT_EQ(Result(SettleHold{200, 100, true}), Code(MoneyResult::kDuplicate));

  // A declined top-up is voided: nothing arrives.
  EXPECT_EQ(Result(HoldFunds{HoldKind::kTopUp, 102, alice, card, 1'000 * kYuan}),
            Code(MoneyResult::kOk));
  EXPECT_EQ(Result(SettleHold{202, 102, false}), Code(MoneyResult::kOk));
  EXPECT_EQ(Balance(alice), 6'000 * kYuan);
  EXPECT_EQ(FindAccount(kCustomerWalletAccountBase + alice)->credits_pending, 0);
  // Only holds made by HoldFunds can be settled.
  EXPECT_EQ(Result(SettleHold{203, 999, true}), Code(MoneyResult::kHoldNotFound));

  // Withdrawal: the funds are held at once, so they cannot be spent twice.
  EXPECT_EQ(Result(HoldFunds{HoldKind::kWithdrawal, 103, alice, card, 6'000 * kYuan + 1}),
            Code(MoneyResult::kInsufficientFunds));
  EXPECT_EQ(Result(HoldFunds{HoldKind::kWithdrawal, 104, alice, card, 4'000 * kYuan}),
            Code(MoneyResult::kOk));
  EXPECT_EQ(Result(HoldFunds{HoldKind::kWithdrawal, 105, alice, card, 2'001 * kYuan}),
            Code(MoneyResult::kInsufficientFunds));
  EXPECT_EQ(Result(SettleHold{204, 104, true}), Code(MoneyResult::kOk));
  EXPECT_EQ(Balance(alice), 2'000 * kYuan);
  // The clearing account mirrors the wallet: the ledger still sums to zero.
  EXPECT_EQ(FindAccount(kBankClearingAccountId)->CreditBalance(), -2'000 * kYuan);
  std::optional<std::string> problem;
  Query([&](const StateMachine& s) { problem = s.ledger().CheckInvariants(); });
  EXPECT_FALSE(problem.has_value()) << *problem;

  const Digest before = Hash();
  Restart();
  EXPECT_EQ(Hash(), before);
  EXPECT_EQ(Balance(alice), 2'000 * kYuan);
}

TEST_F(WalletCommandsTest, StaffLogInLockOutAndGrantTierOne) {
  OpenEngine();
  const uint64_t alice = SignUp(kAlice);
  const uint32_t roles = static_cast<uint32_t>(identity::StaffRole::kAdmin) |
                         static_cast<uint32_t>(identity::StaffRole::kOutreachAgent);
  EXPECT_EQ(Result(CreateStaff{{"wang", "王经理", "argon2", roles}}), Code(IdentityResult::kOk));
  const uint64_t wang = last_value_;
  EXPECT_EQ(wang, 1u);
  EXPECT_EQ(Result(CreateStaff{{"wang", "another", "argon2", roles}}),
            Code(IdentityResult::kStaffTaken));
  EXPECT_EQ(Result(CreateStaff{{"li", "李", "argon2", 1u << 20}}), Code(IdentityResult::kInvalid));
  for (uint32_t i = 1; i < identity::kMaxFailedLogins; i++) {
    EXPECT_EQ(Result(RecordStaffLogin{wang, false}), Code(IdentityResult::kOk));
  }
  EXPECT_EQ(Result(RecordStaffLogin{wang, false}), Code(IdentityResult::kLoginLocked));
  EXPECT_EQ(Result(RecordStaffLogin{wang, true}), Code(IdentityResult::kLoginLocked));
  clock_.Advance(identity::kLoginLockNs);
  EXPECT_EQ(Result(RecordStaffLogin{wang, true}), Code(IdentityResult::kOk));
  EXPECT_EQ(Result(CreateStaffSession{"staff-token", wang}), Code(IdentityResult::kOk));
  EXPECT_EQ(Result(CreateStaffSession{"staff-token", 99}), Code(IdentityResult::kStaffNotFound));

  // Tier I needs a verified identity and an existing staff member.
  EXPECT_EQ(Result(GrantTier{alice, WalletTier::kI, wang}), Code(IdentityResult::kNotVerified));
  ASSERT_EQ(Result(VerifyIdentity{alice, Identity("11010519491231002X")}),
            Code(IdentityResult::kOk));
  EXPECT_EQ(Result(GrantTier{alice, WalletTier::kI, 42}), Code(IdentityResult::kStaffNotFound));
  EXPECT_EQ(Result(GrantTier{alice, WalletTier::kI, wang}), Code(IdentityResult::kOk));
  EXPECT_EQ(Customer(alice).tier, WalletTier::kI);

  const Digest before = Hash();
  Restart();
  EXPECT_EQ(Hash(), before);
  bool session_alive = false;
  Query([&](const StateMachine& s) {
    session_alive = s.staff().FindSession("staff-token", s.batch_time_ns()) != nullptr;
  });
  EXPECT_TRUE(session_alive);
  // One revoke command serves both kinds of session.
  EXPECT_EQ(Result(RevokeSession{"staff-token"}), Code(IdentityResult::kOk));
  EXPECT_EQ(Result(RevokeSession{"staff-token"}), Code(IdentityResult::kSessionNotFound));
}

TEST_F(WalletCommandsTest, HistoryReadModelShowsStatusMemoCounterpartyAndCard) {
  OpenEngine();
  const uint64_t alice = SignUp(kAlice);
  const uint64_t bob = SignUp(kBob);
  const uint64_t card = VerifiedWithCard(alice, "11010519491231002X", "6222020200112233445");
  ASSERT_EQ(Result(HoldFunds{HoldKind::kTopUp, 100, alice, card, 300 * kYuan}),
            Code(MoneyResult::kOk));
  ASSERT_EQ(Result(SettleHold{200, 100, true}), Code(MoneyResult::kOk));
  ASSERT_EQ(Result(HoldFunds{HoldKind::kTopUp, 101, alice, card, 50 * kYuan}),
            Code(MoneyResult::kOk));
  ASSERT_EQ(Result(SettleHold{201, 101, false}), Code(MoneyResult::kOk));
  ASSERT_EQ(Result(HoldFunds{HoldKind::kWithdrawal, 102, alice, card, 10 * kYuan}),
            Code(MoneyResult::kOk));
  ASSERT_EQ(Result(P2PTransfer{103, alice, kBob, 20 * kYuan, "奶茶", {}}), Code(MoneyResult::kOk));
  StopEngine();  // Everything projected.

  HistoryPage page;
  ASSERT_TRUE(
      store_->ListHistory(kCustomerWalletAccountBase + alice, {}, std::nullopt, 10, &page).ok());
  ASSERT_EQ(page.entries.size(), 4u);  // Posts and voids are folded into their holds.
  const HistoryEntry& p2p = page.entries[0];
  EXPECT_EQ(p2p.transfer.id, 103u);
  EXPECT_EQ(p2p.status, HistoryStatus::kPosted);
  EXPECT_EQ(p2p.memo, "奶茶");
  ASSERT_TRUE(p2p.counterparty_customer.has_value());
  EXPECT_EQ(p2p.counterparty_customer->phone, kBob);
  EXPECT_FALSE(p2p.card.has_value());
  EXPECT_EQ(page.entries[1].transfer.id, 102u);
  EXPECT_EQ(page.entries[1].status, HistoryStatus::kPending);
  ASSERT_TRUE(page.entries[1].card.has_value());
  EXPECT_EQ(page.entries[1].card->last4, "3445");
  EXPECT_EQ(page.entries[2].status, HistoryStatus::kVoided);
  EXPECT_EQ(page.entries[3].status, HistoryStatus::kPosted);
  EXPECT_EQ(page.entries[3].transfer.amount, 300 * kYuan);

  // Bob sees the same transfer from the other side, with Alice's masked name.
  ASSERT_TRUE(
      store_->ListHistory(kCustomerWalletAccountBase + bob, {}, std::nullopt, 10, &page).ok());
  ASSERT_EQ(page.entries.size(), 1u);
  ASSERT_TRUE(page.entries[0].counterparty_customer.has_value());
  EXPECT_EQ(page.entries[0].counterparty_customer->real_name_masked, "张*");

  // Filters: top-ups only, then money in only, then pages of one with a cursor.
  HistoryFilter top_ups;
  top_ups.codes = {kTransferCodeTopUp};
  ASSERT_TRUE(
      store_->ListHistory(kCustomerWalletAccountBase + alice, top_ups, std::nullopt, 10, &page)
          .ok());
  EXPECT_EQ(page.entries.size(), 2u);
  HistoryFilter out;
  out.only_out = true;
  ASSERT_TRUE(
      store_->ListHistory(kCustomerWalletAccountBase + alice, out, std::nullopt, 10, &page).ok());
  ASSERT_EQ(page.entries.size(), 2u);
  EXPECT_EQ(page.entries[1].transfer.id, 102u);
  std::optional<int64_t> cursor;
  std::vector<uint64_t> ids;
  do {
    ASSERT_TRUE(store_->ListHistory(kCustomerWalletAccountBase + alice, {}, cursor, 1, &page).ok());
    for (const HistoryEntry& e : page.entries) ids.push_back(e.transfer.id);
    cursor = page.next_cursor;
  } while (cursor);
  EXPECT_EQ(ids, (std::vector<uint64_t>{103, 102, 101, 100}));

  // Staff search by phone prefix, newest first, with the real name masked.
  CustomerPage customers;
  ASSERT_TRUE(store_->SearchCustomers("1380013800", std::nullopt, 10, &customers).ok());
  ASSERT_EQ(customers.customers.size(), 2u);
  EXPECT_EQ(customers.customers[0].id, bob);
  EXPECT_EQ(customers.customers[1].real_name_masked, "张*");
  EXPECT_EQ(customers.customers[1].tier, static_cast<uint8_t>(WalletTier::kII));
  ASSERT_TRUE(store_->SearchCustomers(kBob, std::nullopt, 10, &customers).ok());
  ASSERT_EQ(customers.customers.size(), 1u);
  ASSERT_TRUE(store_->SearchCustomers("139", std::nullopt, 10, &customers).ok());
  EXPECT_TRUE(customers.customers.empty());
  std::optional<CustomerRow> row;
  ASSERT_TRUE(store_->ReadCustomer(alice, &row).ok());
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->resident_id_masked, "1101**********002X");
  EXPECT_EQ(row->channel, "campus");
}

}  // namespace
}  // namespace qb::engine

namespace qb::engine {
namespace {

// Account closure (PIPL): only an empty wallet with nothing pending closes, with a code sent
// for the purpose; the wallet's ledger account closes with it; the state replays exactly.
class CloseCustomerTest : public WalletCommandsTest {
 protected:
  uint8_t Close(uint64_t customer, const std::string& phone) {
    EXPECT_EQ(Result(IssueOtp{phone, identity::OtpPurpose::kCloseAccount, "close-" + phone}),
              Code(IdentityResult::kOk));
    clock_.Advance(61 * kSecond);
    return Result(CloseCustomer{customer, "close-" + phone});
  }
};

TEST_F(CloseCustomerTest, OnlyAnEmptyWalletClosesAndItsLedgerAccountClosesWithIt) {
  OpenEngine();
  const uint64_t alice = SignUp(kAlice);
  const uint64_t card = VerifiedWithCard(alice, "11010519491231002X", "6222020200112233445");
  ASSERT_EQ(Result(CreateSession{"alice-session", alice, ""}), Code(IdentityResult::kOk));
  ASSERT_EQ(Result(HoldFunds{HoldKind::kTopUp, 100, alice, card, 50 * kYuan}),
            Code(MoneyResult::kOk));
  // A pending top-up is money on its way in: no closing yet.
  EXPECT_EQ(Close(alice, kAlice), Code(IdentityResult::kBalanceNotZero));
  ASSERT_EQ(Result(SettleHold{200, 100, true}), Code(MoneyResult::kOk));
  EXPECT_EQ(Close(alice, kAlice), Code(IdentityResult::kBalanceNotZero));
  // The refused attempts did not use their codes up: the balance is checked first.
  EXPECT_EQ(Result(CloseCustomer{alice, "close-" + std::string(kAlice)}),
            Code(IdentityResult::kBalanceNotZero));
  ASSERT_EQ(Result(HoldFunds{HoldKind::kWithdrawal, 101, alice, card, 50 * kYuan}),
            Code(MoneyResult::kOk));
  EXPECT_EQ(Close(alice, kAlice), Code(IdentityResult::kBalanceNotZero));  // Withdrawal pending.
  ASSERT_EQ(Result(SettleHold{201, 101, true}), Code(MoneyResult::kOk));
  EXPECT_EQ(Balance(alice), 0);

  EXPECT_EQ(Result(CloseCustomer{alice, "wrong"}), Code(IdentityResult::kOtpMismatch));
  EXPECT_EQ(Close(alice, kAlice), Code(IdentityResult::kOk));
  EXPECT_EQ(last_value_, 1u);  // The one session.
  EXPECT_TRUE(Customer(alice).closed());
  EXPECT_TRUE(Customer(alice).cards.empty());
  const uint64_t wallet = kCustomerWalletAccountBase + alice;
  EXPECT_TRUE(FindAccount(wallet)->flags & ledger::account_flags::kClosed);
  EXPECT_EQ(Result(HoldFunds{HoldKind::kTopUp, 102, alice, card, 1 * kYuan}),
            Code(MoneyResult::kCardNotFound));
  EXPECT_EQ(Result(CreateSession{"again", alice, ""}), Code(IdentityResult::kCustomerClosed));
  EXPECT_EQ(Close(alice, kAlice), Code(IdentityResult::kCustomerClosed));
  std::optional<std::string> problem;
  Query([&](const StateMachine& s) {
    problem = s.ledger().CheckInvariants();
    EXPECT_EQ(s.customers().FindByPhone(kAlice), nullptr);
    EXPECT_EQ(s.customers().FindSession("alice-session", testing::kStartNs + 3600 * kSecond),
              nullptr);
  });
  EXPECT_FALSE(problem.has_value()) << *problem;

  // The phone signs up again as a new customer with a new wallet.
  const uint64_t again = SignUp(kAlice);
  EXPECT_NE(again, alice);
  const Digest before = Hash();
  const identity::Customer closed = Customer(alice);
  Restart();
  EXPECT_EQ(Hash(), before);
  EXPECT_EQ(Customer(alice), closed);
}

// Five years after closing (AML keeping period), the daily purge drops the sealed identity and
// the masked phone; earlier it leaves them, and a purge is never repeated, across a restart.
TEST_F(CloseCustomerTest, TheIdentityIsPurgedFiveYearsAfterClosingAndNotBefore) {
  OpenEngine();
  const uint64_t alice = SignUp(kAlice);
  VerifiedWithCard(alice, "11010519491231002X", "6222020200112233445");
  const uint64_t bob = SignUp(kBob);
  ASSERT_EQ(Close(alice, kAlice), Code(IdentityResult::kOk));
  clock_.Advance(24 * 3600 * kSecond);
  ASSERT_EQ(Close(bob, kBob), Code(IdentityResult::kOk));
  const int64_t alice_closed = Customer(alice).closed_ns;
  ASSERT_TRUE(Customer(alice).identity.has_value());
  ASSERT_NE(Customer(alice).phone, "");

  auto purge = [&] {
    EXPECT_EQ(Result(PurgeClosedIdentities{}), 0);
    return last_value_;
  };
  EXPECT_EQ(purge(), 0u);
  // One second short of the period: still kept.
  clock_.Advance(alice_closed + identity::kClosedIdentityRetentionNs - kSecond - clock_.NowNs());
  EXPECT_EQ(purge(), 0u);
  EXPECT_TRUE(Customer(alice).identity.has_value());
  clock_.Advance(kSecond);
  EXPECT_EQ(purge(), 1u);
  const identity::Customer purged = Customer(alice);
  EXPECT_TRUE(purged.closed());
  EXPECT_FALSE(purged.identity.has_value());
  EXPECT_EQ(purged.phone, "");
  EXPECT_EQ(purged.channel, "campus");  // Attribution stays: it names no one.
  EXPECT_NE(Customer(bob).phone, "");   // Closed a day later: a day to go.
  EXPECT_EQ(purge(), 0u);

  const Digest before = Hash();
  Restart();
  EXPECT_EQ(Hash(), before);
  EXPECT_EQ(Customer(alice), purged);
  EXPECT_EQ(purge(), 0u);  // Not purged twice.
  clock_.Advance(2 * 24 * 3600 * kSecond);
  EXPECT_EQ(purge(), 1u);
  EXPECT_EQ(Customer(bob).phone, "");
  std::optional<std::string> problem;
  Query([&](const StateMachine& s) { problem = s.ledger().CheckInvariants(); });
  EXPECT_FALSE(problem.has_value()) << *problem;
}

}  // namespace
}  // namespace qb::engine
