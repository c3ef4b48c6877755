#include "risk/lists.h"

#include <gtest/gtest.h>

#include <string>

namespace qb::risk {
namespace {

constexpr int64_t kNowS = 1'700'000'000;

TEST(RiskListsTest, EntryExpiresExactlyAtItsExpiryTime) {
  RiskLists lists(100);
  ASSERT_TRUE(
      lists.Add(ListType::kBlock, EntityKind::kDevice, 77, kNowS, kNowS + 3600, "fraud ring").ok());
  EXPECT_TRUE(lists.IsBlocked(EntityKind::kDevice, 77, kNowS));
  EXPECT_TRUE(lists.IsBlocked(EntityKind::kDevice, 77, kNowS + 3599));
  EXPECT_FALSE(lists.IsBlocked(EntityKind::kDevice, 77, kNowS + 3600));
  const ListEntry* entry = lists.Find(ListType::kBlock, EntityKind::kDevice, 77, kNowS + 10);
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->reason, "fraud ring");
  EXPECT_EQ(entry->added_at_s, kNowS);
  EXPECT_EQ(entry->expires_at_s, kNowS + 3600);
  // Expired entries stay stored until purged.
  EXPECT_EQ(lists.size(), 1u);
  EXPECT_EQ(lists.PurgeExpired(kNowS + 3599), 0u);
  EXPECT_EQ(lists.PurgeExpired(kNowS + 3600), 1u);
  EXPECT_EQ(lists.size(), 0u);
}

TEST(RiskListsTest, ZeroExpiryNeverExpires) {
  RiskLists lists(100);
  ASSERT_TRUE(lists.Add(ListType::kAllow, EntityKind::kMerchant, 5, kNowS, 0, "canteen").ok());
  EXPECT_TRUE(lists.IsAllowed(EntityKind::kMerchant, 5, kNowS + int64_t{100} * 365 * 86400));
  EXPECT_EQ(lists.PurgeExpired(kNowS + int64_t{100} * 365 * 86400), 0u);
}

TEST(RiskListsTest, ListsAndKindsAreSeparate) {
  RiskLists lists(100);
  ASSERT_TRUE(lists.Add(ListType::kBlock, EntityKind::kCustomer, 1, kNowS, 0, "").ok());
  EXPECT_TRUE(lists.IsBlocked(EntityKind::kCustomer, 1, kNowS));
  EXPECT_FALSE(lists.IsAllowed(EntityKind::kCustomer, 1, kNowS));
  for (const EntityKind kind : {EntityKind::kDevice, EntityKind::kIp, EntityKind::kCard,
                                EntityKind::kMerchant, EntityKind::kPayee}) {
    EXPECT_FALSE(lists.IsBlocked(kind, 1, kNowS)) << EntityKindName(kind);
  }
  EXPECT_FALSE(lists.IsBlocked(EntityKind::kCustomer, 2, kNowS));
}

TEST(RiskListsTest, AddReplacesAndRemoveRemoves) {
  RiskLists lists(100);
  ASSERT_TRUE(lists.Add(ListType::kBlock, EntityKind::kIp, 9, kNowS, kNowS + 10, "first").ok());
  ASSERT_TRUE(lists.Add(ListType::kBlock, EntityKind::kIp, 9, kNowS + 5, 0, "second").ok());
  EXPECT_EQ(lists.size(), 1u);
  EXPECT_TRUE(lists.IsBlocked(EntityKind::kIp, 9, kNowS + 1000));
  EXPECT_EQ(lists.Find(ListType::kBlock, EntityKind::kIp, 9, kNowS + 1000)->reason, "second");
  EXPECT_TRUE(lists.Remove(ListType::kBlock, EntityKind::kIp, 9));
  EXPECT_FALSE(lists.Remove(ListType::kBlock, EntityKind::kIp, 9));
  EXPECT_FALSE(lists.IsBlocked(EntityKind::kIp, 9, kNowS));
  EXPECT_EQ(lists.size(), 0u);
}

TEST(RiskListsTest, BadEntriesAndAFullTableAreRefused) {
  RiskLists lists(2);
  EXPECT_FALSE(lists
                   .Add(ListType::kBlock, EntityKind::kCard, 1, kNowS, 0,
                        std::string(RiskLists::kMaxReasonBytes + 1, 'x'))
                   .ok());
  EXPECT_TRUE(lists
                  .Add(ListType::kBlock, EntityKind::kCard, 1, kNowS, 0,
                       std::string(RiskLists::kMaxReasonBytes, 'x'))
                  .ok());
  EXPECT_FALSE(lists.Add(ListType::kBlock, EntityKind::kCard, 2, kNowS, kNowS, "past").ok());
  EXPECT_TRUE(lists.Add(ListType::kBlock, EntityKind::kCard, 2, kNowS, kNowS + 1, "").ok());
  const Status full = lists.Add(ListType::kAllow, EntityKind::kCard, 3, kNowS, 0, "");
  EXPECT_EQ(full.code(), Status::Code::kInvalidArgument);
  // Replacing an existing key is still possible when full.
  EXPECT_TRUE(lists.Add(ListType::kBlock, EntityKind::kCard, 2, kNowS, 0, "again").ok());
  EXPECT_EQ(lists.size(), 2u);
}

TEST(RiskListsTest, SerializeRoundTripIsIndependentOfInsertionOrder) {
  RiskLists a(100);
  RiskLists b(100);
  ASSERT_TRUE(a.Add(ListType::kBlock, EntityKind::kDevice, 3, kNowS, kNowS + 60, "d3").ok());
  ASSERT_TRUE(a.Add(ListType::kAllow, EntityKind::kPayee, 1, kNowS, 0, "p1").ok());
  ASSERT_TRUE(a.Add(ListType::kBlock, EntityKind::kDevice, 1, kNowS, 0, "中文理由").ok());
  ASSERT_TRUE(b.Add(ListType::kBlock, EntityKind::kDevice, 1, kNowS, 0, "中文理由").ok());
  ASSERT_TRUE(b.Add(ListType::kAllow, EntityKind::kPayee, 1, kNowS, 0, "p1").ok());
  ASSERT_TRUE(b.Add(ListType::kBlock, EntityKind::kDevice, 3, kNowS, kNowS + 60, "d3").ok());
  EXPECT_TRUE(a == b);
  std::string bytes_a;
  std::string bytes_b;
  a.Serialize(&bytes_a);
  b.Serialize(&bytes_b);
  EXPECT_EQ(bytes_a, bytes_b);
  EXPECT_EQ(a.StateHash(), b.StateHash());

  RiskLists restored(1);
  ASSERT_TRUE(RiskLists::Deserialize(bytes_a, &restored).ok());
  EXPECT_TRUE(restored == a);
  EXPECT_EQ(restored.size(), 3u);
  EXPECT_TRUE(restored.IsBlocked(EntityKind::kDevice, 3, kNowS + 59));
  EXPECT_FALSE(restored.IsBlocked(EntityKind::kDevice, 3, kNowS + 60));
  EXPECT_EQ(restored.Find(ListType::kBlock, EntityKind::kDevice, 1, kNowS)->reason, "中文理由");

  RiskLists out(1);
  EXPECT_EQ(RiskLists::Deserialize(bytes_a.substr(0, bytes_a.size() - 1), &out).code(),
            Status::Code::kCorruption);
  EXPECT_EQ(RiskLists::Deserialize(bytes_a + "?", &out).code(), Status::Code::kCorruption);
  std::string bad_kind = bytes_a;
  bad_kind[20 + 1] = 9;  // the first entry's kind
  EXPECT_EQ(RiskLists::Deserialize(bad_kind, &out).code(), Status::Code::kCorruption);
}

}  // namespace
}  // namespace qb::risk
