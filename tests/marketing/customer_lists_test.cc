// Custom lists (自定义人群包): membership, ids that are never reused, the 64-list bound, the
// checkpoint bytes, and campaigns that target a list (pricing, the book's checks, the dry run).
#include "marketing/customer_lists.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "marketing/campaign_book.h"
#include "marketing/config_codec.h"
#include "marketing/dry_run.h"
#include "marketing_test_util.h"

namespace qb::marketing {
namespace {

using testing::AddLive;
using testing::kDay;
using testing::kT0;
using testing::MakeCampaign;
using testing::MakePayment;
using testing::Pay;

uint32_t Create(CustomerLists* lists, const std::string& name) {
  uint32_t id = 0;
  EXPECT_TRUE(lists->Create(name, 7, kT0, &id).ok());
  return id;
}

int64_t Add(CustomerLists* lists, uint32_t id, const std::vector<uint64_t>& customers) {
  int64_t added = -1;
  EXPECT_TRUE(lists->Add(id, customers, kT0 + 60, &added).ok());
  return added;
}

TEST(CustomerListsTest, MembersAreAddedAndRemovedOnceEach) {
  CustomerLists lists;
  const uint32_t a = Create(&lists, "双11老客");
  const uint32_t b = Create(&lists, "VIP");
  EXPECT_NE(a, b);
  EXPECT_EQ(Add(&lists, a, {1, 2, 3, 2}), 3);  // a repeat counts once
  EXPECT_EQ(Add(&lists, a, {3, 4}), 1);        // 3 was in already
  EXPECT_EQ(Add(&lists, b, {3}), 1);
  EXPECT_EQ(lists.Find(a)->members, 4);
  EXPECT_EQ(lists.Find(a)->updated_s, kT0 + 60);
  EXPECT_TRUE(lists.Contains(a, 3));
  EXPECT_TRUE(lists.Contains(b, 3));
  EXPECT_FALSE(lists.Contains(b, 1));
  EXPECT_EQ(lists.MembershipBits(3),
            (uint64_t{1} << CustomerListSlot(a)) | (uint64_t{1} << CustomerListSlot(b)));
  EXPECT_EQ(lists.MembershipBits(99), 0u);

  int64_t removed = -1;
  ASSERT_TRUE(lists.Remove(a, std::vector<uint64_t>{3, 9, 3}, kT0 + 120, &removed).ok());
  EXPECT_EQ(removed, 1);  // 9 was never in, and 3 only once
  EXPECT_EQ(lists.Find(a)->members, 3);
  EXPECT_FALSE(lists.Contains(a, 3));
  EXPECT_TRUE(lists.Contains(b, 3));

  EXPECT_EQ(lists.Add(a + 1000, std::vector<uint64_t>{1}, kT0, &removed).code,
            "CUSTOMER_LIST_NOT_FOUND");
  uint32_t id = 0;
  EXPECT_EQ(lists.Create("", 7, kT0, &id).code, "CUSTOMER_LIST_INVALID_NAME");
  EXPECT_EQ(lists.Create(std::string(kMaxNameBytes + 1, 'x'), 7, kT0, &id).code,
            "CUSTOMER_LIST_INVALID_NAME");
}

TEST(CustomerListsTest, ADeletedListsIdIsNeverReusedThoughItsSlotIs) {
  CustomerLists lists;
  const uint32_t first = Create(&lists, "first");
  Add(&lists, first, {1, 2});
  ASSERT_TRUE(lists.Delete(first).ok());
  EXPECT_EQ(lists.Find(first), nullptr);
  EXPECT_EQ(lists.MembershipBits(1), 0u);  // memberships go with the list
  EXPECT_EQ(lists.Delete(first).code, "CUSTOMER_LIST_NOT_FOUND");
  const uint32_t second = Create(&lists, "second");
  EXPECT_NE(second, first);
  EXPECT_EQ(CustomerListSlot(second), CustomerListSlot(first));
  EXPECT_FALSE(lists.Contains(second, 1));
  EXPECT_FALSE(lists.Contains(first, 1));
}

TEST(CustomerListsTest, AtMostSixtyFourExistAtOnce) {
  CustomerLists lists;
  std::vector<uint32_t> ids;
  for (size_t i = 0; i < kMaxCustomerLists; ++i) ids.push_back(Create(&lists, "l"));
  uint32_t id = 0;
  EXPECT_EQ(lists.Create("one too many", 7, kT0, &id).code, "CUSTOMER_LIST_LIMIT");
  // Every slot is taken once: each customer's 64 bits name each list.
  uint64_t slots = 0;
  for (const uint32_t list : ids) slots |= uint64_t{1} << CustomerListSlot(list);
  EXPECT_EQ(slots, ~uint64_t{0});
  ASSERT_TRUE(lists.Delete(ids[10]).ok());
  ASSERT_TRUE(lists.Create("again", 7, kT0, &id).ok());
  EXPECT_EQ(CustomerListSlot(id), CustomerListSlot(ids[10]));
}

TEST(CustomerListsTest, IdsStayBelowTwoToTheThirtyTwoUntilTheSerialsRunOut) {
  // A book whose serials are all but spent: one more list, the last id, then no more.
  std::string bytes;
  ByteWriter writer(&bytes);
  writer.U32(kMaxCustomerListSerial);  // next serial
  writer.U32(0);
  writer.U64(0);
  CustomerLists lists;
  ByteReader reader(bytes);
  ASSERT_TRUE(lists.Deserialize(&reader));
  uint32_t id = 0;
  ASSERT_TRUE(lists.Create("last", 7, kT0, &id).ok());
  EXPECT_EQ(id, kMaxCustomerListSerial * 64 + 1);
  EXPECT_LE(uint64_t{kMaxCustomerListSerial} * 64 + 64, uint64_t{UINT32_MAX});
  EXPECT_EQ(lists.Create("none", 7, kT0, &id).code, "CUSTOMER_LIST_LIMIT");
}

TEST(CustomerListsTest, CheckpointBytesRoundTripAndRefuseWhatNoOperationMakes) {
  CustomerLists lists;
  const uint32_t a = Create(&lists, "a");
  const uint32_t b = Create(&lists, "b");
  Add(&lists, a, {5, 6, 7});
  Add(&lists, b, {7, 8});
  ASSERT_TRUE(lists.Delete(Create(&lists, "gone")).ok());
  std::string bytes;
  ByteWriter writer(&bytes);
  lists.Serialize(&writer);
  CustomerLists loaded;
  ByteReader reader(bytes);
  ASSERT_TRUE(loaded.Deserialize(&reader));
  EXPECT_EQ(reader.remaining(), 0u);
  std::string again;
  ByteWriter again_writer(&again);
  loaded.Serialize(&again_writer);
  EXPECT_EQ(again, bytes);
  EXPECT_TRUE(loaded.Contains(b, 7));
  // The next id continues after the deleted one.
  uint32_t next = 0;
  ASSERT_TRUE(loaded.Create("next", 7, kT0, &next).ok());
  EXPECT_GT(next, b + 1);

  // The last member's word names a list that does not exist.
  std::string bad = bytes;
  bad[bad.size() - 8] = static_cast<char>(0x80);
  ByteReader bad_reader(bad);
  EXPECT_FALSE(CustomerLists().Deserialize(&bad_reader));
  // A list's count that its members do not add up to (list a's members field).
  std::string miscounted = bytes;
  const size_t a_members = 4 + 4 + 4 + (4 + 1) + 8 + 8 + 8;
  miscounted[a_members] = 2;
  ByteReader miscounted_reader(miscounted);
  EXPECT_FALSE(CustomerLists().Deserialize(&miscounted_reader));
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    ByteReader truncated(std::string_view(bytes).substr(0, cut));
    EXPECT_FALSE(CustomerLists().Deserialize(&truncated)) << cut;
  }
}

TEST(CustomerListsTest, ACampaignTargetingAListRewardsOnlyItsMembers) {
  CampaignBook book;
  uint32_t list = 0;
  ASSERT_TRUE(book.CreateCustomerList("members", 7, kT0, &list).ok());
  int64_t added = 0;
  ASSERT_TRUE(book.AddToCustomerList(list, std::vector<uint64_t>{1}, kT0, &added).ok());
  Campaign campaign = MakeCampaign(CampaignType::kInstantDiscount);
  campaign.eligibility.customer_list = list;
  const uint64_t id = AddLive(&book, campaign);

  PaymentContext member = MakePayment(1, 10'000);
  member.list_bits = book.customer_lists().MembershipBits(1);
  PaymentContext other = MakePayment(2, 10'000);
  other.list_bits = book.customer_lists().MembershipBits(2);
  EXPECT_EQ(Pay(&book, 1, member).discount_fen, 500);
  EXPECT_TRUE(Pay(&book, 2, other).rewards.empty());
  // A list in another slot does not stand in for it.
  PaymentContext elsewhere = other;
  elsewhere.list_bits = ~(uint64_t{1} << CustomerListSlot(list));
  EXPECT_FALSE(IsEligible(book.FindCampaign(id)->campaign, elsewhere));

  // The list cannot go while the campaign may still pay; once it has ended it can.
  EXPECT_EQ(book.DeleteCustomerList(list).code, "CUSTOMER_LIST_IN_USE");
  int64_t unspent = 0;
  ASSERT_TRUE(book.EndCampaign(id, &unspent).ok());
  EXPECT_TRUE(book.DeleteCustomerList(list).ok());
  EXPECT_EQ(book.DeleteCustomerList(list).code, "CUSTOMER_LIST_NOT_FOUND");
  // An ended campaign naming a deleted list still checkpoints and loads.
  std::string bytes;
  book.Serialize(&bytes);
  CampaignBook loaded;
  ASSERT_TRUE(loaded.Deserialize(bytes));
  EXPECT_EQ(loaded, book);
}

TEST(CustomerListsTest, ACampaignMayNameOnlyAListThatExists) {
  CampaignBook book;
  Campaign campaign = MakeCampaign(CampaignType::kCashback);
  campaign.eligibility.customer_list = 1;
  uint64_t id = 0;
  const Error missing = book.CreateCampaign(campaign, &id);
  EXPECT_EQ(missing.code, "CAMPAIGN_INVALID_TARGETING");
  EXPECT_EQ(missing.field, "eligibility.customer_list");
  uint32_t list = 0;
  ASSERT_TRUE(book.CreateCustomerList("l", 7, kT0, &list).ok());
  campaign.eligibility.customer_list = list;
  ASSERT_TRUE(book.CreateCampaign(campaign, &id).ok());
  campaign.id = id;
  campaign.eligibility.customer_list = list + 64;  // same slot, no such list
  EXPECT_EQ(book.UpdateCampaign(campaign).field, "eligibility.customer_list");
  // A checkpoint whose live campaign names a list that is gone is refused: the book's lists
  // (57 bytes: the serial, the count, list "l" of 41 bytes, no members) replaced by none.
  CampaignBook other;
  uint32_t other_list = 0;
  ASSERT_TRUE(other.CreateCustomerList("l", 7, kT0, &other_list).ok());
  campaign.eligibility.customer_list = other_list;
  AddLive(&other, campaign);
  std::string bytes;
  other.Serialize(&bytes);
  CampaignBook loaded;
  ASSERT_TRUE(loaded.Deserialize(bytes));
  std::string lists_bytes;
  ByteWriter lists_writer(&lists_bytes);
  other.customer_lists().Serialize(&lists_writer);
  ASSERT_EQ(lists_bytes.size(), 57u);
  ASSERT_EQ(bytes.compare(bytes.size() - 57, 57, lists_bytes), 0);
  std::string no_lists;
  ByteWriter no_lists_writer(&no_lists);
  no_lists_writer.U32(1);  // one serial issued
  no_lists_writer.U32(0);
  no_lists_writer.U64(0);
  bytes.replace(bytes.size() - 57, 57, no_lists);
  EXPECT_FALSE(loaded.Deserialize(bytes));
}

TEST(CustomerListsTest, TheListTravelsAtTheEndOfACampaignsCommandBytes) {
  Campaign campaign = MakeCampaign(CampaignType::kInstantDiscount);
  std::string plain;
  ByteWriter plain_writer(&plain);
  EncodeCampaignConfig(campaign, &plain_writer);
  campaign.eligibility.customer_list = 65;
  std::string with;
  ByteWriter writer(&with);
  EncodeCampaignConfig(campaign, &writer);
  // Empty age and win-back targeting, then the list: configurations without one keep their
  // bytes.
  EXPECT_EQ(with.size(), plain.size() + 12 + 4);
  EXPECT_EQ(with.compare(0, plain.size(), plain), 0);
  Campaign decoded;
  ByteReader reader(with);
  ASSERT_TRUE(DecodeCampaignConfig(&reader, &decoded));
  EXPECT_EQ(decoded.eligibility, campaign.eligibility);
  // A list written as 0 is never written: refused.
  std::string zero = plain + std::string(12, '\0') + std::string(4, '\0');
  ByteReader zero_reader(zero);
  EXPECT_FALSE(DecodeCampaignConfig(&zero_reader, &decoded));
}

TEST(CustomerListsTest, TheDryRunPricesOnlyTheListsMembers) {
  Campaign campaign = MakeCampaign(CampaignType::kInstantDiscount);
  campaign.eligibility.customer_list = 3;  // the dry run needs no such list: the bits decide
  const uint64_t bit = uint64_t{1} << CustomerListSlot(3);
  std::vector<DryRunPayment> payments;
  for (uint64_t i = 1; i <= 10; ++i) {
    DryRunPayment p;
    p.payment_id = i;
    p.customer_id = i;
    p.merchant_id = 77;
    p.amount_fen = 10'000;
    p.time_s = kT0 + static_cast<int64_t>(i);
    p.list_bits = i % 2 == 0 ? bit : 0;
    payments.push_back(p);
  }
  DryRunResult result;
  ASSERT_TRUE(DryRun(campaign, payments, kT0, kT0 + kDay, &result).ok());
  EXPECT_EQ(result.payments, 10);
  EXPECT_EQ(result.rewarded_payments, 5);
  EXPECT_EQ(result.customers_reached, 5);
  EXPECT_EQ(result.discount_fen, 5 * 500);
}

}  // namespace
}  // namespace qb::marketing
