// Whole-state operations: StateHash, CheckInvariants, and the checkpoint encoding
// (Serialize / Deserialize), including corrupted input.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "ledger/ledger.h"
#include "ledger_test_util.h"

namespace qb::ledger::testing {
namespace {

namespace af = account_flags;

constexpr size_t kHeaderBytes = 16;  // magic, version, last_timestamp_ns.
constexpr size_t kAccountBytes = 64;
constexpr size_t kTransferBytes = 68;

// A fixed sequence of commands touching every kind of record: accounts on two ledgers, posted
// transfers, holds that are posted, voided, expired and still open, a chain and a closed
// account.
void RunScript(Ledger* ledger) {
  std::vector<CreateAccountResult> account_results;
  std::vector<CreateTransferResult> results;
  const std::vector<Account> accounts = {NewAccount(1, af::kDebitsMustNotExceedCredits),
                                         NewAccount(2),
                                         NewAccount(3),
                                         NewAccount(4),
                                         NewAccount(5, 0, kLedgerPoints),
                                         NewAccount(6, 0, kLedgerPoints)};
  ledger->CreateAccounts(accounts, kStartNs, &account_results);
  const std::vector<Transfer> batch1 = {
      NewTransfer(10, 3, 1, 1000),   NewPending(11, 1, 2, 100, 30),
      NewPending(12, 1, 2, 200, 60), NewPending(13, 1, 4, 50, 10),
      NewPending(14, 1, 2, 25),      NewTransfer(15, 5, 6, 7, kLedgerPoints)};
  ledger->CreateTransfers(batch1, kStartNs + kNsPerSecond, &results);
  const std::vector<Transfer> batch2 = {Linked(NewPost(20, 11, 60)), NewVoid(21, 12),
                                        NewTransfer(22, 2, 3, 10)};
  ledger->CreateTransfers(batch2, kStartNs + 2 * kNsPerSecond, &results);
  ledger->ExpirePending(kStartNs + 20 * kNsPerSecond, 10);
  ledger->CloseAccount(6);
}

std::vector<Account> SortedAccounts(const Ledger& ledger) {
  std::vector<Account> accounts;
  ledger.ForEachAccount([&](const Account& a) { accounts.push_back(a); });
  std::sort(accounts.begin(), accounts.end(),
            [](const Account& a, const Account& b) { return a.id < b.id; });
  return accounts;
}

std::vector<Transfer> SortedTransfers(const Ledger& ledger) {
  std::vector<Transfer> transfers;
  ledger.ForEachTransfer([&](const Transfer& t) { transfers.push_back(t); });
  std::sort(transfers.begin(), transfers.end(),
            [](const Transfer& a, const Transfer& b) { return a.id < b.id; });
  return transfers;
}

void PutU64(std::string* bytes, size_t offset, uint64_t value) {
  std::memcpy(bytes->data() + offset, &value, sizeof(value));
}

class StateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RunScript(&ledger_);
    ASSERT_EQ(ledger_.CheckInvariants(), std::nullopt);
    ASSERT_EQ(ledger_.FindPendingStatus(11), PendingStatus::kPosted);
    ASSERT_EQ(ledger_.FindPendingStatus(12), PendingStatus::kVoided);
    ASSERT_EQ(ledger_.FindPendingStatus(13), PendingStatus::kExpired);
    ASSERT_EQ(ledger_.FindPendingStatus(14), PendingStatus::kPending);
    ledger_.Serialize(&bytes_);
  }

  size_t TransferCountOffset() const { return kHeaderBytes + 8 + 6 * kAccountBytes; }
  size_t PendingCountOffset() const {
    return TransferCountOffset() + 8 + ledger_.transfer_count() * kTransferBytes;
  }

  Ledger ledger_;
  std::string bytes_;
};

TEST_F(StateTest, SameCommandsGiveTheSameHash) {
  Ledger other;
  RunScript(&other);
  EXPECT_EQ(other.StateHash(), ledger_.StateHash());
}

TEST_F(StateTest, HashDoesNotDependOnHashTableLayout) {
  Ledger presized;
  presized.Reserve(100'000, 100'000);
  RunScript(&presized);
  EXPECT_EQ(presized.StateHash(), ledger_.StateHash());
}

TEST_F(StateTest, HashChangesWithOneMoreTransfer) {
  Ledger other;
  RunScript(&other);
  const Transfer extra = NewTransfer(30, 2, 3, 1);
  std::vector<CreateTransferResult> results;
  other.CreateTransfers({&extra, 1}, kStartNs + 30 * kNsPerSecond, &results);
  ASSERT_EQ(results, std::vector<CreateTransferResult>{CreateTransferResult::kOk});
  EXPECT_NE(other.StateHash(), ledger_.StateHash());
}

TEST_F(StateTest, HashChangesWithTheBatchTime) {
  Ledger a, b;
  const Account account = NewAccount(1);
  std::vector<CreateAccountResult> results;
  a.CreateAccounts({&account, 1}, kStartNs, &results);
  b.CreateAccounts({&account, 1}, kStartNs + 1, &results);
  EXPECT_NE(a.StateHash(), b.StateHash());
  EXPECT_EQ(Ledger().StateHash(), Ledger().StateHash());
  EXPECT_NE(Ledger().StateHash(), a.StateHash());
}

TEST_F(StateTest, RoundTripKeepsHashAndLookups) {
  Ledger restored;
  ASSERT_TRUE(restored.Deserialize(bytes_));
  EXPECT_EQ(restored.StateHash(), ledger_.StateHash());
  EXPECT_EQ(restored.account_count(), ledger_.account_count());
  EXPECT_EQ(restored.transfer_count(), ledger_.transfer_count());
  EXPECT_EQ(restored.last_timestamp_ns(), ledger_.last_timestamp_ns());
  EXPECT_EQ(SortedAccounts(restored), SortedAccounts(ledger_));
  EXPECT_EQ(SortedTransfers(restored), SortedTransfers(ledger_));
  for (uint64_t id : {1, 2, 6}) EXPECT_EQ(*restored.FindAccount(id), *ledger_.FindAccount(id));
  for (uint64_t id : {10, 11, 20, 21}) {
    EXPECT_EQ(*restored.FindTransfer(id), *ledger_.FindTransfer(id));
  }
  for (uint64_t id : {10, 11, 12, 13, 14, 99}) {
    EXPECT_EQ(restored.FindPendingStatus(id), ledger_.FindPendingStatus(id)) << id;
  }
  EXPECT_EQ(restored.CheckInvariants(), std::nullopt);
}

TEST_F(StateTest, RestoredLedgerBehavesLikeTheOriginal) {
  // A hold with a timeout is open at checkpoint time; both must expire it the same way.
  std::vector<CreateTransferResult> results;
  const Transfer hold = NewPending(40, 3, 2, 5, 100);
  ledger_.CreateTransfers({&hold, 1}, kStartNs + 40 * kNsPerSecond, &results);
  std::string bytes;
  ledger_.Serialize(&bytes);
  Ledger restored;
  ASSERT_TRUE(restored.Deserialize(bytes));

  for (Ledger* ledger : {&ledger_, &restored}) {
    const std::vector<Transfer> batch = {NewTransfer(41, 3, 2, 1), NewPost(42, 14),
                                         NewTransfer(43, 6, 5, 1, kLedgerPoints)};
    ledger->CreateTransfers(batch, kStartNs + 50 * kNsPerSecond, &results);
    EXPECT_EQ(results, (std::vector<CreateTransferResult>{
                           CreateTransferResult::kOk, CreateTransferResult::kOk,
                           CreateTransferResult::kDebitAccountClosed}));
    EXPECT_EQ(ledger->ExpirePending(kStartNs + 200 * kNsPerSecond, 10), 1u);
  }
  EXPECT_EQ(restored.StateHash(), ledger_.StateHash());
}

TEST_F(StateTest, DeserializeReplacesExistingState) {
  Ledger target;
  const Account stray = NewAccount(777);
  std::vector<CreateAccountResult> results;
  target.CreateAccounts({&stray, 1}, 5, &results);
  ASSERT_TRUE(target.Deserialize(bytes_));
  EXPECT_EQ(target.FindAccount(777), nullptr);
  EXPECT_EQ(target.StateHash(), ledger_.StateHash());
}

TEST_F(StateTest, EmptyLedgerRoundTrips) {
  Ledger empty;
  std::string bytes;
  empty.Serialize(&bytes);
  EXPECT_EQ(bytes.size(), kHeaderBytes + 3 * 8);
  Ledger restored;
  ASSERT_TRUE(restored.Deserialize(bytes));
  EXPECT_EQ(restored.StateHash(), empty.StateHash());
}

TEST_F(StateTest, DeserializeRejectsEveryTruncation) {
  for (size_t length = 0; length < bytes_.size(); length++) {
    Ledger restored;
    EXPECT_FALSE(restored.Deserialize(std::string_view(bytes_).substr(0, length)))
        << "length " << length;
  }
}

TEST_F(StateTest, DeserializeRejectsTrailingBytes) {
  Ledger restored;
  EXPECT_FALSE(restored.Deserialize(bytes_ + '\0'));
}

TEST_F(StateTest, DeserializeRejectsWrongMagicOrVersion) {
  for (size_t offset : {0, 3, 4}) {
    std::string corrupted = bytes_;
    corrupted[offset] ^= 0x20;
    Ledger restored;
    EXPECT_FALSE(restored.Deserialize(corrupted)) << "offset " << offset;
  }
}

TEST_F(StateTest, DeserializeRejectsCorruptedCounts) {
  struct Case {
    const char* what;
    size_t offset;
    uint64_t count;
  };
  const uint64_t transfers = ledger_.transfer_count();
  const Case cases[] = {
      {"accounts + 1", kHeaderBytes, 7},
      {"accounts - 1", kHeaderBytes, 5},
      {"accounts huge", kHeaderBytes, ~uint64_t{0}},
      {"accounts zero", kHeaderBytes, 0},
      {"transfers + 1", TransferCountOffset(), transfers + 1},
      {"transfers - 1", TransferCountOffset(), transfers - 1},
      {"transfers huge", TransferCountOffset(), uint64_t{1} << 60},
      {"pendings + 1", PendingCountOffset(), 5},
      {"pendings - 1", PendingCountOffset(), 3},
  };
  ASSERT_EQ(PendingCountOffset() + 8 + 4 * 17, bytes_.size()) << "layout as documented";
  for (const Case& c : cases) {
    std::string corrupted = bytes_;
    PutU64(&corrupted, c.offset, c.count);
    Ledger restored;
    EXPECT_FALSE(restored.Deserialize(corrupted)) << c.what;
  }
}

// The pending table must describe exactly the stored holds; otherwise later calls would look
// up entries that do not exist.
TEST_F(StateTest, DeserializeRejectsAPendingTableThatDisagreesWithTheTransfers) {
  const size_t first_entry = PendingCountOffset() + 8;
  std::string no_entries = bytes_.substr(0, first_entry);
  PutU64(&no_entries, PendingCountOffset(), 0);
  std::string names_a_posted_transfer = bytes_;
  PutU64(&names_a_posted_transfer, first_entry, 10);
  std::string names_an_unknown_transfer = bytes_;
  PutU64(&names_an_unknown_transfer, first_entry, 999);
  std::string duplicate_entry = bytes_;
  std::memcpy(duplicate_entry.data() + first_entry + 17, bytes_.data() + first_entry, 8);
  for (const std::string& corrupted :
       {no_entries, names_a_posted_transfer, names_an_unknown_transfer, duplicate_entry}) {
    Ledger restored;
    EXPECT_FALSE(restored.Deserialize(corrupted));
  }
}

TEST_F(StateTest, DeserializeRejectsAnUnknownPendingStatus) {
  for (uint8_t status : {0, 5, 255}) {
    std::string corrupted = bytes_;
    corrupted[PendingCountOffset() + 8 + 8] = static_cast<char>(status);
    Ledger restored;
    EXPECT_FALSE(restored.Deserialize(corrupted)) << "status " << int{status};
  }
}

TEST_F(StateTest, DeserializeRejectsDuplicateIds) {
  const size_t first_account = kHeaderBytes + 8;
  std::string duplicate_account = bytes_;
  std::memcpy(duplicate_account.data() + first_account + kAccountBytes,
              bytes_.data() + first_account, 8);
  const size_t first_transfer = TransferCountOffset() + 8;
  std::string duplicate_transfer = bytes_;
  std::memcpy(duplicate_transfer.data() + first_transfer + kTransferBytes,
              bytes_.data() + first_transfer, 8);
  for (const std::string& corrupted : {duplicate_account, duplicate_transfer}) {
    Ledger restored;
    EXPECT_FALSE(restored.Deserialize(corrupted));
  }
}

TEST_F(StateTest, CheckInvariantsHoldsOnAFreshAndAnEmptyLedger) {
  EXPECT_EQ(Ledger().CheckInvariants(), std::nullopt);
  EXPECT_EQ(ledger_.CheckInvariants(), std::nullopt);
}

// CheckInvariants must notice state that no sequence of commands can produce. Such state can
// only come from bytes, so the test edits a checkpoint.
TEST_F(StateTest, CheckInvariantsDetectsAnAccountThatDisagreesWithItsTransfers) {
  std::string corrupted = bytes_;
  // Account records are in hash-map order; bump credits_posted of the first one whatever it
  // is, which breaks both the per-account and the per-ledger sums.
  const size_t credits_posted_offset = kHeaderBytes + 8 + 5 * 8;
  uint64_t value;
  std::memcpy(&value, corrupted.data() + credits_posted_offset, sizeof(value));
  PutU64(&corrupted, credits_posted_offset, value + 1);
  Ledger restored;
  ASSERT_TRUE(restored.Deserialize(corrupted));
  const auto violation = restored.CheckInvariants();
  ASSERT_TRUE(violation.has_value());
  EXPECT_NE(violation->find("differ from the sum of its transfers"), std::string::npos)
      << *violation;
}

}  // namespace
}  // namespace qb::ledger::testing
